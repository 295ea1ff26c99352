#!/usr/bin/env bash
# compare.sh -- daxbench compare and report: known shifts flagged (and only those), golden text,
# formats, bad input, an interleaved A/A run of the quick suite (the false-positive check), report
# pages and figures.
set -u
: "${DAXBENCH:?}" "${DBQ:?}" "${SRC:?}"
. "$(dirname "$0")/lib.sh"
work=$(mktemp -d /tmp/daxbench-compare.XXXXXX)
trap 'rm -rf "$work"' EXIT
D=$DAXBENCH
cd "$SRC" || exit 2

# synthetic sides, four runs each: a 10% shift with 1% noise, the same shift with 30% noise
out=$($D compare tests/compare/base tests/compare/new)
eq "regressions flagged: exit" $? 3
grep -q '^synthetic *latency_ns .*REGRESSION *{"case":"lowvar"}' <<<"$out" && ok "low-noise 10% slowdown flagged as a regression" || bad "lowvar: $out"
grep -q '^synthetic *latency_ns .* - *{"case":"noisy"}' <<<"$out" && ok "high-noise shift not flagged" || bad "noisy flagged"
grep -q 'improvement *{"case":"faster"}' <<<"$out" && ok "bandwidth +10% flagged as an improvement (higher is better)" || bad "faster"
grep -q ' - *{"case":"same"}' <<<"$out" && ok "unchanged metric not flagged" || bad "same"
grep -q 'only in base: synthetic {"case":"only-base"}' <<<"$out" && ok "records on one side listed" || bad "only-in lists"
grep -q 'kernel.release *"6.1.0-test" -> "6.12.0-test"' <<<"$out" && ok "context difference shown" || bad "context diff"
grep -q '^summary: 1 regressions, 1 improvements, 2 unchanged' <<<"$out" && ok "summary line" || bad "summary"
# golden text: the whole output, byte for byte
if diff -u tests/compare/golden.txt <(printf '%s\n' "$out") >"$work/golden.diff"; then ok "golden text output"; else bad "golden text differs:"; cat "$work/golden.diff"; fi
$D compare --format json tests/compare/base tests/compare/new >"$work/c.json"
eq "json format: regressions" "$($DBQ "$work/c.json" summary.regressions)" 1
eq "json format: first verdict" "$($DBQ "$work/c.json" rows.0.verdict)" REGRESSION
$D compare --format markdown tests/compare/base tests/compare/new | grep -q '^| synthetic | `{"case":"lowvar"}` | latency_ns |' &&
	ok "markdown table" || bad "markdown table"
$D compare --threshold 15 tests/compare/base tests/compare/new >/dev/null
eq "threshold 15%: nothing flagged" $? 0
out=$($D compare tests/compare/base1.json tests/compare/new1.json)
eq "single runs: range rule flags the separated shift" $? 3
grep -q 'note: 1 metrics had fewer than 3 runs' <<<"$out" && ok "single-run caveat printed" || bad "no single-run note"

# bad input: one line naming the file, exit 2
echo 'garbage' >"$work/garbage.json"
head -c 300 tests/compare/base/run0.json >"$work/truncated.json"
echo '{"schema_version": 7, "records": []}' >"$work/v7.json"
echo '{"schema_version": 1, "records": [{"bench": 3}]}' >"$work/shape.json"
mkdir -p "$work/empty"
expect 2 "garbage.json: not a daxbench result file" -- $D compare "$work/garbage.json" tests/compare/new
expect 2 "truncated.json: not a daxbench result file" -- $D compare tests/compare/base "$work/truncated.json"
expect 2 "v7.json: schema_version 7" -- $D compare "$work/v7.json" tests/compare/new
expect 2 "shape.json: not a daxbench result file: records\\[0\\] has no bench name" -- $D compare "$work/shape.json" tests/compare/new
expect 2 "empty: no result files there" -- $D compare "$work/empty" tests/compare/new
expect 2 "no records in common" -- $D compare tests/compare/base1.json "$SRC/tests/golden/selftest.json"
expect 2 "nope: No such file" -- $D compare "$work/nope" tests/compare/new
expect 2 "--format: 'xml'" -- $D compare --format xml a b
expect 2 "report: --out DIR is required" -- $D report tests/compare/base1.json

# A/A: the same build, the quick suite three times a side, interleaved: nothing may be flagged
mkdir -p "$work/A" "$work/B" "$work/run"
for i in 1 2 3; do
	for s in A B; do
		$D run quick --quick --dir "$work/run" --out "$work/$s/run$i.json" >/dev/null 2>&1 || bad "quick run $s$i"
	done
done
out=$($D compare "$work/A" "$work/B")
rc=$?
summary=$(grep '^summary' <<<"$out")
[ $rc -eq 0 ] && grep -q '^summary: 0 regressions, 0 improvements' <<<"$out" && ok "A/A: nothing flagged ($summary)" ||
	{ bad "A/A flagged: $summary"; grep -E 'REGRESSION|improvement' <<<"$out"; }

# report: pages and figures for two runs side by side
$D report "$work/A/run1.json" "$work/B/run1.json" --out "$work/report" 2>"$work/report.err"
eq "report exit" $? 0
for f in index.md persist.md persist.html fault.md fault.html fsync-tree.md mapsync.md timer.md; do
	[ -s "$work/report/$f" ] && ok "report $f" || bad "report $f missing: $(cat "$work/report.err")"
done
for f in input0-persist-bandwidth input1-persist-bandwidth input0-fault-cost input0-fsync_tree-growth; do
	for e in png svg; do
		[ -s "$work/report/fig/$f.$e" ] && ok "figure $f.$e" || bad "figure $f.$e missing"
	done
done
grep -q '<img src="fig/input1-persist-bandwidth.png"' "$work/report/persist.html" && ok "html links its figures" || bad "html figures"
finish
