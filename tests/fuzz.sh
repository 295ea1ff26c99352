#!/usr/bin/env bash
# fuzz.sh replay|fuzz [SECONDS] -- build the result-loader fuzz target with clang (libFuzzer, ASan,
# UBSan) and replay the corpus in tests/fuzz-corpus, or fuzz for SECONDS growing that corpus.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$src/build}
mode=${1:-replay}
command -v clang >/dev/null || { echo "fuzz.sh: clang not found (apt-get install clang)"; exit 2; }
bin=$build/fuzz_load
clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -D_GNU_SOURCE \
	-I"$src/include" -I"$src/src" -I"$build/generated" -DDAXBENCH_SOURCE_DIR="\"$src\"" -DDAXBENCH_DATA_DIR="\"/usr\"" \
	$(pkg-config --cflags jansson hwloc) "$src/tests/fuzz_load.c" "$src/src/output.c" "$src/src/param.c" "$src/src/stats.c" \
	$(pkg-config --libs jansson) -lm -o "$bin"
case $mode in
replay)
	"$bin" -runs=0 "$src/tests/fuzz-corpus" 2>&1 | tail -2
	echo "$(ls "$src/tests/fuzz-corpus" | wc -l) passed, 0 failed" ;;
fuzz)
	"$bin" -max_total_time="${2:-60}" -max_len=4096 "$src/tests/fuzz-corpus" 2>&1 | tail -3 ;;
*) echo "usage: fuzz.sh replay|fuzz [SECONDS]"; exit 2 ;;
esac
