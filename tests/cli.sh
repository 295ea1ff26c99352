#!/usr/bin/env bash
# cli.sh GROUP -- the command line as a user meets it: exit codes, one-line errors, files left behind.
# Needs DAXBENCH (the binary) and DBQ (tests/dbq) in the environment; ctest sets both.
set -u
: "${DAXBENCH:?}" "${DBQ:?}"
. "$(dirname "$0")/lib.sh"
work=$(mktemp -d /tmp/daxbench-test.XXXXXX)
mounts=()
cleanup() {
	for m in "${mounts[@]}"; do umount "$m" 2>/dev/null; done
	rm -rf "$work"
}
trap cleanup EXIT




D="$DAXBENCH"
R=(run --dir "$work")

group_usage() {
	for verb in "" list env run export; do
		out=$($D $verb --help 2>&1); rc=$?
		if [ $rc -eq 0 ] && grep -q "usage: daxbench" <<<"$out"; then ok "daxbench $verb --help"; else bad "daxbench $verb --help (exit $rc)"; fi
	done
	expect 2 "unknown command 'bogus'" -- $D bogus
	expect 2 "no command given" -- $D
	expect 2 "unrecognized option" -- $D run timer --bogus
	expect 2 "name a benchmark or suite" -- $D run
	expect 2 "unknown benchmark or suite 'nosuch'" -- $D "${R[@]}" nosuch
	expect 2 "unknown parameter 'bogus'" -- $D "${R[@]}" timer --set bogus=1
	expect 2 "expected KEY=VALUE" -- $D "${R[@]}" timer --set pairs
	expect 2 "pairs: 'abc': not an integer" -- $D "${R[@]}" timer --set pairs=abc
	expect 2 "pairs=1 is out of range" -- $D "${R[@]}" timer --set pairs=1
	expect 2 "zero points" -- $D "${R[@]}" timer --set pairs=1000:*2:100
	expect 2 "malformed sweep" -- $D "${R[@]}" timer --set pairs=100:2:1000
	expect 2 "unknown value 'maybe'" -- $D "${R[@]}" selftest --set outcome=maybe
	expect 2 "--repeat: '0' is not an integer" -- $D "${R[@]}" timer --repeat 0
	expect 2 "--dir /nonexistent-daxbench: No such file" -- $D run timer --dir /nonexistent-daxbench
	expect 2 "not a directory" -- $D run timer --dir /etc/hostname
	expect 2 "unknown event 'no-such-event-xyz'" -- $D "${R[@]}" timer --events cycles,no-such-event-xyz
	expect 2 "CPU 9999 is offline" -- $D "${R[@]}" timer --cpus 9999
	expect 2 "malformed" -- $D "${R[@]}" timer --cpus 1-x
	printf 'timer\nnosuchbench x=1\n' >"$work/bad.suite"
	expect 2 "bad.suite:2: unknown benchmark 'nosuchbench'" -- $D "${R[@]}" "$work/bad.suite"
	printf 'timer bogus=3\n' >"$work/bad2.suite"
	expect 2 "bad2.suite:1: timer has no parameter 'bogus'" -- $D "${R[@]}" "$work/bad2.suite"
	printf '# nothing\n' >"$work/empty.suite"
	expect 2 "lists no benchmark" -- $D "${R[@]}" "$work/empty.suite"
	echo '{}' >"$work/exists.json"
	expect 2 "file exists" -- $D "${R[@]}" timer --out "$work/exists.json"
	eq "existing --out untouched" "$(cat "$work/exists.json")" "{}"
	expect 0 "records written" -- $D "${R[@]}" timer --set pairs=100 --repeat 1 --out "$work/exists.json" --force
	eq "--force replaced it" "$($DBQ "$work/exists.json" schema_version)" 1
	echo 'not json' >"$work/garbage.json"
	expect 2 "garbage.json: not a daxbench result file" -- $D export --csv "$work/garbage.json"
	echo '{"schema_version": 99, "records": []}' >"$work/future.json"
	expect 2 "schema_version 99" -- $D export --csv "$work/future.json"
	expect 2 "--csv FILE.json is required" -- $D export
	expect 2 "unknown benchmark 'nosuch'" -- $D list nosuch
	expect 2 "unexpected argument" -- $D env extra

	# --device: only devdax or block devices; one holding a filesystem needs --destroy-data
	expect 2 "not a devdax or block device" -- $D "${R[@]}" timer --device /etc/hostname
	expect 2 "--device /nonexistent-dev: No such file" -- $D "${R[@]}" timer --device /nonexistent-dev
	truncate -s 32M "$work/fs.img"
	if mkfs.ext4 -q -F "$work/fs.img" 2>/dev/null && loop=$(losetup -f --show "$work/fs.img" 2>/dev/null); then
		expect 2 "holds a ext4 signature: refusing to write to it without --destroy-data" -- \
			$D "${R[@]}" timer --set pairs=100 --device "$loop"
		expect 0 "records written" -- $D "${R[@]}" timer --set pairs=100 --repeat 1 --device "$loop" \
			--destroy-data --out "$work/dev.json"
		eq "device in context" "$($DBQ "$work/dev.json" context.device.signature)" ext4
		losetup -d "$loop"
	else
		skipped "--device signature check: no loop device here"
	fi

	# filesystems that refuse: read-only, and one with no room (needs root to mount tmpfs)
	mkdir -p "$work/ro" "$work/full"
	if mount -t tmpfs -o ro,size=4m tmpfs "$work/ro" 2>/dev/null; then
		mounts+=("$work/ro")
		expect 2 "not writable" -- $D run timer --dir "$work/ro"
	elif [ "$(id -u)" -ne 0 ]; then
		chmod 555 "$work/ro"
		expect 2 "not writable" -- $D run timer --dir "$work/ro"
	else
		skipped "read-only --dir: cannot mount tmpfs here"
	fi
	if mount -t tmpfs -o size=512k tmpfs "$work/full" 2>/dev/null; then
		mounts+=("$work/full")
		expect 2 "has no room" -- $D run timer --dir "$work/full"
	else
		skipped "--dir without room: cannot mount tmpfs here"
	fi
}

group_run() {
	local out="$work/run.json"
	$D "${R[@]}" timer selftest --set touch_pages=256 --set values=10 --out "$out" >"$work/table.txt" 2>"$work/err.txt"
	eq "run exit" $? 0
	grep -q "tsc_pair_ns\|clock_pair_ns" "$work/table.txt" && ok "table printed" || bad "no table on stdout"
	grep -q "is not DAX" "$work/err.txt" && ok "page-cache warning" || bad "no not-DAX warning: $(cat "$work/err.txt")"
	eq "records" "$($DBQ --len "$out" records)" 2
	eq "timer status" "$($DBQ "$out" records.0.status)" ok
	positive "clock_pair_ns median" "$($DBQ "$out" records.0.metrics.clock_pair_ns.median)"
	positive "clock_pair_ns p999" "$($DBQ "$out" records.0.metrics.clock_pair_ns.p999)"
	if [ "$($DBQ "$out" context.timing.tsc_usable)" == true ]; then
		positive "tsc_pair_ns median" "$($DBQ "$out" records.0.metrics.tsc_pair_ns.median)"
		positive "tsc_hz median" "$($DBQ "$out" records.0.metrics.tsc_hz.median)"
		positive "context tsc overhead" "$($DBQ "$out" context.timing.tsc_overhead_ns)"
	fi
	# the software counter agrees with the pages touched: exactly one fault per page
	eq "page-faults per op" "$($DBQ "$out" records.1.counters.page-faults.per_op)" 1
	eq "page-faults total" "$($DBQ "$out" records.1.counters.page-faults.total)" $((256 * 5))
	eq "measured ops" "$($DBQ "$out" records.1.measured_ops)" $((256 * 5))
	eq "warm-up counted" "$($DBQ "$out" records.1.warmup_reps_excluded)" 1
	eq "samples exclude warm-up" "$($DBQ "$out" records.1.metrics.value.n)" 50
	positive "touch ns/page" "$($DBQ "$out" records.1.metrics.touch_ns_per_page.median)"
	eq "overhead recorded" "$($DBQ "$out" records.1.metrics.touch_ns_per_page.overhead_subtracted_ns)" \
		"$($DBQ "$out" context.timing.overhead_subtracted_ns)"
	eq "target fs recorded" "$($DBQ "$out" context.target.dax)" false
	# no scratch left behind, no temp files beside the result
	eq "scratch removed" "$(find "$work" -mindepth 1 -maxdepth 1 -name 'daxbench-*' | wc -l)" 0
	eq "no temp result files" "$(find "$work" -maxdepth 1 -name '.daxbench-out-*' | wc -l)" 0

	# export: a header plus one row per record x metric
	$D export --csv "$out" --out "$work/run.csv"
	eq "export exit" $? 0
	local want=$((1 + $($DBQ --len "$out" records.0.metrics) + $($DBQ --len "$out" records.1.metrics)))
	eq "csv rows" "$(wc -l <"$work/run.csv")" "$want"
	grep -q '^bench,status,pairs,values,.*,metric,unit,n,min,median' "$work/run.csv" && ok "csv header has parameter columns" || bad "csv header: $(head -1 "$work/run.csv")"

	# outcomes: skipped is not an error; an error exits 1 with the reason recorded
	$D "${R[@]}" selftest --set outcome=skip --out "$work/skip.json" >/dev/null 2>&1
	eq "skip exit" $? 0
	eq "skip status" "$($DBQ "$work/skip.json" records.0.status)" skipped
	eq "skip reason" "$($DBQ "$work/skip.json" records.0.reason)" "selftest: skipped as asked"
	$D "${R[@]}" selftest --set outcome=error --out "$work/error.json" >/dev/null 2>&1
	eq "error exit" $? 1
	eq "error status" "$($DBQ "$work/error.json" records.0.status)" error
	eq "error reason" "$($DBQ "$work/error.json" records.0.reason)" "selftest: failed as asked"

	# sweeps: every combination is a record
	$D "${R[@]}" selftest --set values=1,2,3 --set threads=1,2 --repeat 1 --out "$work/sweep.json" >/dev/null 2>&1
	eq "sweep records" "$($DBQ --len "$work/sweep.json" records)" 6
	eq "sweep last params" "$($DBQ "$work/sweep.json" records.5.params)" '{"values":3,"touch_pages":0,"delay_ms":0,"outcome":"ok","threads":2}'
	eq "threads x samples" "$($DBQ "$work/sweep.json" records.5.metrics.value.n)" 6

	# golden: the deterministic part of a record, field by field
	$D "${R[@]}" selftest --set values=10 --repeat 2 --warmup 1 --out "$work/golden.json" >/dev/null 2>&1
	if $DBQ --subset "$SRC/tests/golden/selftest.json" "$work/golden.json"; then ok "golden selftest record"; else bad "golden selftest record"; fi

	# the quick suite, by name
	$D "${R[@]}" quick --quick --out "$work/quick.json" >/dev/null 2>&1
	eq "quick suite exit" $? 0
	eq "quick suite complete" "$($DBQ "$work/quick.json" complete)" true
}

group_pin() {
	local n
	n=$(nproc)
	for cpu in 0 $((n - 1)); do
		$D "${R[@]}" selftest --cpus "$cpu" --repeat 1 --out "$work/pin$cpu.json" >/dev/null 2>&1
		eq "requested cpu" "$($DBQ "$work/pin$cpu.json" records.0.pin.requested.0)" "$cpu"
		eq "observed cpu at start" "$($DBQ "$work/pin$cpu.json" records.0.pin.observed_start.0)" "$cpu"
		eq "observed cpu at end" "$($DBQ "$work/pin$cpu.json" records.0.pin.observed_end.0)" "$cpu"
		eq "no migration" "$($DBQ "$work/pin$cpu.json" records.0.pin.migrated)" false
	done
	if [ "$n" -ge 2 ]; then
		$D "${R[@]}" selftest --cpus scatter --set threads=2 --repeat 1 --out "$work/scatter.json" >/dev/null 2>&1
		a=$($DBQ "$work/scatter.json" records.0.pin.observed_start.0)
		b=$($DBQ "$work/scatter.json" records.0.pin.observed_start.1)
		[ "$a" != "$b" ] && ok "scatter: two threads on two CPUs ($a, $b)" || bad "scatter put both threads on $a"
	fi
	# hardware counters: numbers, or unavailable with a reason; never dropped
	$D "${R[@]}" selftest --events cycles,instructions --repeat 1 --set touch_pages=16 --out "$work/ev.json" >/dev/null 2>&1
	for e in cycles instructions; do
		av=$($DBQ "$work/ev.json" "records.0.counters.$e.available")
		if [ "$av" == true ]; then
			positive "$e total" "$($DBQ "$work/ev.json" "records.0.counters.$e.total")"
		elif [ "$av" == false ]; then
			r=$($DBQ "$work/ev.json" "records.0.counters.$e.reason")
			[ -n "$r" ] && ok "$e unavailable: $r" || bad "$e unavailable without a reason"
		else
			bad "$e missing from the record"
		fi
	done
}

group_sigint() {
	local dir="$work/sig" out="$work/sig.json"
	mkdir -p "$dir"
	# six points of ~0.5 s each; interrupt during the third
	$D run --dir "$dir" selftest --set values=1:+1:6 --set delay_ms=100 --repeat 4 --warmup 0 --out "$out" \
		>"$work/sig.out" 2>"$work/sig.err" &
	local pid=$!
	sleep 1.2
	kill -INT $pid
	wait $pid
	eq "exit status after SIGINT" $? 130
	eq "valid JSON, marked incomplete" "$($DBQ "$out" complete)" false
	eq "interrupting signal" "$($DBQ "$out" interrupted_by_signal)" 2
	local n
	n=$($DBQ --len "$out" records)
	if [ "$n" -ge 1 ] && [ "$n" -lt 6 ]; then ok "partial records: $n of 6"; else bad "records after SIGINT: $n"; fi
	eq "finished records are ok" "$($DBQ "$out" records.0.status)" ok
	eq "scratch removed after SIGINT" "$(find "$dir" -mindepth 1 | wc -l)" 0
	eq "no temp result files" "$(find "$work" -maxdepth 1 -name '.daxbench-out-*' | wc -l)" 0
	# SIGTERM too
	$D run --dir "$dir" selftest --set delay_ms=5000 --repeat 1 --warmup 0 --out "$work/term.json" >/dev/null 2>&1 &
	pid=$!
	sleep 0.5
	kill -TERM $pid
	wait $pid
	eq "exit status after SIGTERM" $? 130
	eq "SIGTERM: valid JSON" "$($DBQ "$work/term.json" complete)" false
	eq "SIGTERM: scratch removed" "$(find "$dir" -mindepth 1 | wc -l)" 0
}

group_env() {
	out=$($D env --dir /dev/shm --json)
	eq "env exit" $? 0
	echo "$out" >"$work/env.json"
	eq "tmpfs detected" "$($DBQ "$work/env.json" target.fs)" tmpfs
	eq "tmpfs not DAX" "$($DBQ "$work/env.json" target.dax)" false
	grep -q EOPNOTSUPP <<<"$($DBQ "$work/env.json" target.map_sync_reason)" && ok "MAP_SYNC refused with EOPNOTSUPP" || bad "map_sync_reason"
	$D env --dir /dev/shm | grep -q '^dax  *no' && ok "env text" || bad "env text output"
	eq "probe file removed" "$(find /dev/shm -maxdepth 1 -name '.daxbench-probe*' | wc -l)" 0
}

group=${1:-all}
case $group in
usage) group_usage ;;
run) group_run ;;
pin) group_pin ;;
sigint) group_sigint ;;
env) group_env ;;
all) group_usage; group_run; group_pin; group_sigint; group_env ;;
*) echo "unknown group $group"; exit 2 ;;
esac
finish
