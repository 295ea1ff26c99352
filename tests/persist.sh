#!/usr/bin/env bash
# persist.sh -- smoke run of every persist op on DRAM and on a file in the page cache, tiny sizes:
# numbers finite and positive, skips and errors with their reasons, baseline bandwidth sane.
set -u
: "${DAXBENCH:?}" "${DBQ:?}"
. "$(dirname "$0")/lib.sh"
work=$(mktemp -d /tmp/daxbench-persist.XXXXXX)
trap 'rm -rf "$work"' EXIT
D=$DAXBENCH
ops=store,store+clflush,store+clflushopt,store+clwb,movnti,movntdq,nt-ymm,nt-zmm,movdir64b,memset,memset+clwb,memset+pmem2-persist,pmem2-memset-nt,pmem2-memset-t,pmem2-memcpy-nt,pmem2-memcpy-t
nops=16

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
m=$($DBQ "$out" records.9.metrics.agg_bw_bytes_per_sec.median)
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
eq "scratch removed" "$(find "$work" -mindepth 1 -maxdepth 1 -name 'daxbench-*' | wc -l)" 0
finish
