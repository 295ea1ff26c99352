#!/usr/bin/env bash
# persist.sh -- smoke run of every persist op on DRAM and on a file in the page cache, tiny sizes:
# numbers finite and positive, skips and errors with their reasons, baseline bandwidth sane.
set -u
: "${DAXBENCH:?}" "${DBQ:?}"
. "$(dirname "$0")/lib.sh"
work=$(mktemp -d /tmp/daxbench-persist.XXXXXX)
trap 'rm -rf "$work"' EXIT
D=$DAXBENCH
ops=store,store+clflush,store+clflushopt,store+clwb,movnti32,movnti,movntdq,nt-ymm,nt-zmm,movdir64b,memset,memset+clwb,memset+pmem2-persist,pmem2-memset-nt,pmem2-memset-t,pmem2-memcpy-nt,pmem2-memcpy-t
nops=17

for target in anon file; do
	out=$work/$target.json
	$D run persist --dir "$work" --set op=$ops --set size=256 --set region=64K --set target=$target \
		--set duration_ms=20 --set lat_ops=50 --repeat 2 --out "$out" >"$work/$target.txt" 2>&1
	eq "$target: exit" $? 0
	eq "$target: records" "$($DBQ --len "$out" records)" $nops
	for ((i = 0; i < nops; i++)); do
		op=$($DBQ "$out" records.$i.params.op)
		st=$($DBQ "$out" records.$i.status)
		if [ "$st" == skipped ]; then
			r=$($DBQ "$out" records.$i.reason)
			grep -q "lacks\|disabled" <<<"$r" && ok "$target $op skipped: $r" || bad "$target $op skipped without a CPU reason: $r"
			continue
		fi
		eq "$target $op status" "$st" ok
		positive "$target $op latency median" "$($DBQ "$out" records.$i.metrics.latency_ns.median)"
		positive "$target $op latency p99" "$($DBQ "$out" records.$i.metrics.latency_ns.p99)"
		positive "$target $op aggregate bandwidth" "$($DBQ "$out" records.$i.metrics.agg_bw_bytes_per_sec.median)"
		eq "$target $op page-faults counted" "$($DBQ "$out" records.$i.counters.page-faults.available)" true
		positive "$target $op ops in the counted region" "$($DBQ "$out" records.$i.measured_ops)"
	done
	eq "$target: durable is said" "$($DBQ "$out" records.0.observed.durable)" no
done

# the no-flush baseline and glibc memset on the same buffer: within a sane factor of each other
out=$work/anon.json
s=$($DBQ "$out" records.0.metrics.agg_bw_bytes_per_sec.median)
eq "record 10 is memset" "$($DBQ "$out" records.10.params.op)" memset
m=$($DBQ "$out" records.10.metrics.agg_bw_bytes_per_sec.median)
if awk -v s="$s" -v m="$m" 'BEGIN { exit !(s > m / 10 && s < m * 10) }'; then
	ok "store bandwidth $s within 10x of memset $m"
else
	bad "store bandwidth $s vs memset $m"
fi
# CLWB's reload finding is recorded
grep -q "stays cached\|evicted\|undecided" <<<"$($DBQ "$out" records.3.observed.reload_verdict)" &&
	ok "reload verdict: $($DBQ "$out" records.3.observed.reload_verdict)" || bad "no reload verdict for store+clwb"

# refusals, with reasons
$D run persist --dir "$work" --set target=devdax --set region=64K --set duration_ms=10 --out "$work/dd.json" >/dev/null 2>&1
eq "devdax without --device: status" "$($DBQ "$work/dd.json" records.0.status)" skipped
eq "devdax without --device: reason" "$($DBQ "$work/dd.json" records.0.reason)" "target=devdax needs --device /dev/daxX.Y"
DAXBENCH_CPU_DISABLE=avx512f,clwb $D run persist --dir "$work" --set op=nt-zmm,store+clwb,nt-ymm --set target=anon \
	--set region=64K --set duration_ms=10 --set lat_ops=10 --repeat 1 --out "$work/dis.json" >/dev/null 2>&1
eq "disabled avx512f" "$($DBQ "$work/dis.json" records.0.reason)" "nt-zmm: avx512f is disabled by DAXBENCH_CPU_DISABLE"
eq "disabled clwb" "$($DBQ "$work/dis.json" records.1.status)" skipped
st=$($DBQ "$work/dis.json" records.2.status)
[ "$st" == ok ] || grep -q lacks <<<"$($DBQ "$work/dis.json" records.2.reason)" && ok "nt-ymm unaffected ($st)" || bad "nt-ymm: $st"
$D run persist --dir "$work" --set op=pmem2-memset-nt --set fence=line --set target=anon --set region=64K --out "$work/f.json" >/dev/null 2>&1
eq "library op with fence=line" "$($DBQ "$work/f.json" records.0.status)" skipped
$D run persist --dir "$work" --set size=96 --set target=anon --set region=64K --out "$work/e.json" >/dev/null 2>&1
eq "size not a multiple of 64: exit" $? 1
eq "size not a multiple of 64: reason" "$($DBQ "$work/e.json" records.0.reason)" "size=96 is not a multiple of 64"
$D run persist --dir "$work" --set size=4K --set region=4K --set target=anon --set threads=2 --set duration_ms=10 \
	--set lat_ops=10 --repeat 1 --out "$work/t.json" >/dev/null 2>&1
eq "two threads: samples from both" "$($DBQ "$work/t.json" records.0.metrics.bw_bytes_per_sec.n)" 2
eq "two threads: pinned twice" "$($DBQ --len "$work/t.json" records.0.pin.observed_start)" 2
# the figures: gnuplot runs on the exported CSV and writes non-empty PNG and SVG
$D run persist --dir "$work" --set op=store,nt-ymm --set size=64,4K --set region=1G --set target=anon \
	--set duration_ms=10 --set lat_ops=20 --repeat 1 --out "$work/plot.json" >/dev/null 2>&1
if [ -n "${SRC:-}" ] && command -v gnuplot >/dev/null; then
	"$SRC/scripts/plot" "$work/plot.json" "$work/fig" 2>"$work/plot.err"
	eq "scripts/plot exit" $? 0
	for f in bandwidth latency hotcold; do
		for e in png svg; do
			[ -s "$work/fig/plot-persist-$f.$e" ] && ok "figure $f.$e written" || bad "figure $f.$e missing: $(cat "$work/plot.err")"
		done
	done
fi
# scripts/persist-bar: the ratios from synthetic rounds whose answer is known, then a real run
# round(FILE SIZE THREADS OP=BW...): a result file with one persist record per op
round() {
	local f=$1 size=$2 thr=$3 sep=""
	shift 3
	{
		printf '{"schema_version": 1, "tool": "daxbench", "complete": true, "context": {"host": "synthetic"}, "records": ['
		for kv in "$@"; do
			printf '%s{"bench": "persist", "params": {"op": "%s", "size": %s, "threads": %s}, "status": "ok", "reason": null,' \
				"$sep" "${kv%=*}" "$size" "$thr"
			printf ' "metrics": {"agg_bw_bytes_per_sec": {"unit": "bytes_per_sec", "better": "higher", "n": 1,'
			printf ' "median": %s, "mean": %s, "min": %s, "max": %s, "rep_medians": [%s]}}}' "${kv#*=}" "${kv#*=}" "${kv#*=}" "${kv#*=}" "${kv#*=}"
			sep=,
		done
		printf ']}\n'
	} >"$f"
}
mkdir -p "$work/bar"
for r in 1 2 3 4 5 6; do
	j=$(((r % 2) * 2 - 1)) # +1, -1: noise that averages out
	# 4K: pmem2 is the baseline; nt-ymm equal, movnti 20% slower, nt-zmm 25% faster, noise 1%
	round "$work/bar/r$r-4k.json" 4096 1 nt-ymm=$((1000 + 10 * j)) movnti=$((800 + 8 * j)) nt-zmm=$((1250 - 12 * j)) \
		pmem2-memset-nt=$((1000 - 10 * j)) memset=500
	# 64K: glibc memset beats libpmem2 (a cache-resident region), so it is the baseline
	round "$work/bar/r$r-64k.json" 65536 2 nt-ymm=600 memset=2000 pmem2-memset-nt=610
done
SRC=${SRC:-$(cd "$(dirname "$0")/.." && pwd)}
bar=$(DAXBENCH=$D "$SRC/scripts/persist-bar" "$work/bar")
eq "persist-bar: exit" $? 0
row() { awk -v s="$1" -v t="$2" -v k="$3" '$1 == s && $2 == t && $3 == k' <<<"$bar"; }
grep -q 'equal within noise$' <<<"$(row 4096 1 nt-ymm)" && ok "persist-bar: equal kernel within noise" || bad "nt-ymm row: $(row 4096 1 nt-ymm)"
grep -q ' 0.800 .* below$' <<<"$(row 4096 1 movnti)" && ok "persist-bar: 0.8x kernel below" || bad "movnti row: $(row 4096 1 movnti)"
grep -q ' 1.250 .* faster$' <<<"$(row 4096 1 nt-zmm)" && ok "persist-bar: 1.25x kernel faster" || bad "nt-zmm row: $(row 4096 1 nt-zmm)"
grep -q 'pmem2-memset-nt *6 ' <<<"$(row 4096 1 movnti)" && ok "persist-bar: 6 rounds paired, pmem2 the baseline" || bad "rounds: $(row 4096 1 movnti)"
grep -q 'memset *6  *0.300 ' <<<"$(row 65536 2 nt-ymm)" && ok "persist-bar: the faster baseline (memset) chosen" || bad "baseline: $(row 65536 2 nt-ymm)"
eq "persist-bar: rows (header, 3 kernels at 4K, 1 at 64K, the note)" "$(wc -l <<<"$bar")" 6
grep -q '^4 intervals at 95% each: .* about 0.2 of them' <<<"$bar" && ok "persist-bar: chance flags noted" || bad "no note: $bar"
if command -v gnuplot >/dev/null; then
	DAXBENCH=$D "$SRC/scripts/persist-bar" --plot "$work/barfig/bar" "$work/bar" >/dev/null 2>"$work/barfig.err"
	eq "persist-bar --plot: exit" $? 0
	[ -s "$work/barfig/bar.png" ] && [ -s "$work/barfig/bar.svg" ] && ok "persist-bar figure written" || bad "no persist-bar figure: $(cat "$work/barfig.err")"
	if grep -qv "^persist-bar: wrote" "$work/barfig.err"; then bad "gnuplot said: $(cat "$work/barfig.err")"; else ok "gnuplot quiet"; fi
fi
round "$work/dup.json" 4096 1 nt-ymm=1000 nt-ymm=900 pmem2-memset-nt=1000
expect 2 "two records of op=nt-ymm size=4096 threads=1 .other parameters differ" -- env DAXBENCH=$D "$SRC/scripts/persist-bar" "$work/dup.json"
mkdir -p "$work/nojson"
expect 2 "nojson: no result files" -- env DAXBENCH=$D "$SRC/scripts/persist-bar" "$work/nojson"
expect 2 "persist-bar: $work/nope: no such file" -- env DAXBENCH=$D "$SRC/scripts/persist-bar" "$work/nope"
expect 2 "persist-bar: --rounds: 'x' is not a positive integer" -- env DAXBENCH=$D "$SRC/scripts/persist-bar" run --rounds x
# a real run: two rounds, the second in the reverse order, and its report reads them
DAXBENCH=$D "$SRC/scripts/persist-bar" run --rounds 2 --sizes 4K --threads 1 --ops nt-ymm,movnti,pmem2-memset-nt \
	--region 64K --duration-ms 10 --repeat 1 --out "$work/barrun" -- --dir "$work" --set target=anon >/dev/null 2>&1
eq "persist-bar run: exit" $? 0
eq "persist-bar run: round 1 order" "$($DBQ "$work/barrun/round01-4K-t1.json" records.0.params.op)" nt-ymm
eq "persist-bar run: round 2 reversed" "$($DBQ "$work/barrun/round02-4K-t1.json" records.0.params.op)" pmem2-memset-nt
bar=$(DAXBENCH=$D "$SRC/scripts/persist-bar" "$work/barrun")
grep -q '^4096 *1 *movnti *pmem2-memset-nt *2 ' <<<"$bar" && ok "persist-bar run: its rounds paired" || bad "persist-bar run report: $bar"
expect 2 "is not empty" -- env DAXBENCH=$D "$SRC/scripts/persist-bar" run --out "$work/barrun"

eq "scratch removed" "$(find "$work" -mindepth 1 -maxdepth 1 -name 'daxbench-*' | wc -l)" 0
finish
