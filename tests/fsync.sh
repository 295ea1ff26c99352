#!/usr/bin/env bash
# fsync.sh -- small fsync-tree sweeps on tmpfs and on a disk filesystem's page cache: latencies finite
# and positive, k=0 cheaper than k=N on disk, dirtied pages verified, growth exponents derived;
# mapsync on the page cache: map-sync skipped with its reason, the other modes verified on disk.
set -u
: "${DAXBENCH:?}" "${DBQ:?}"
. "$(dirname "$0")/lib.sh"
disk=$(mktemp -d "${BUILD_DIR:-$PWD}/fsync-test.XXXXXX")
shm=$(mktemp -d /dev/shm/daxbench-fsync.XXXXXX)
res=$(mktemp -d /tmp/daxbench-fsync-res.XXXXXX)
tiny=$res/tiny
mkdir -p "$tiny"
cleanup() { umount "$tiny" 2>/dev/null; rm -rf "$disk" "$shm" "$res"; }
trap cleanup EXIT
D=$DAXBENCH

for where in "$shm" "$disk"; do
	out=$res/$(basename "$where").json
	$D run fsync-tree --dir "$where" --set pages=256,1024,4096 --set dirty=0,n --set op=fsync,msync,msync-range,sync_file_range,fsync-again \
		--set syncs=3 --repeat 2 --out "$out" >/dev/null 2>&1
	eq "$where: exit" $? 0
	fs=$($DBQ "$out" context.target.fs)
	n=$($DBQ --len "$out" records)
	points=0 fits=0
	for ((i = 0; i < n; i++)); do
		if [ "$($DBQ "$out" records.$i.derived 2>/dev/null)" == growth_exponent ]; then
			fits=$((fits + 1))
			e=$($DBQ "$out" records.$i.fit.exponent)
			awk -v e="$e" 'BEGIN { exit !(e > -5 && e < 5) }' || bad "$fs fit $i exponent '$e'"
			continue
		fi
		points=$((points + 1))
		if [ "$($DBQ "$out" records.$i.params.op)" == msync-range ] && [ "$($DBQ "$out" records.$i.params.dirty)" == 0 ]; then
			eq "$fs point $i: msync-range k=0" "$($DBQ "$out" records.$i.reason)" "op=msync-range with k=0: no dirtied range to sync"
			continue
		fi
		eq "$fs point $i status" "$($DBQ "$out" records.$i.status)" ok
		positive "$fs point $i latency median" "$($DBQ "$out" records.$i.metrics.latency_ns.median)"
		if [ "$($DBQ "$out" records.$i.params.dirty)" == n ]; then
			positive "$fs point $i pages verified" "$($DBQ "$out" records.$i.observed.pages_verified)"
		fi
	done
	eq "$fs: points" $points 30
	eq "$fs: one growth fit per curve" $fits 9
	if [ "$fs" != tmpfs ]; then
		# N=4096, op=fsync: nothing dirty against everything dirty (op varies fastest, pages slowest)
		k0=$($DBQ "$out" records.20.metrics.latency_ns.median)
		kn=$($DBQ "$out" records.25.metrics.latency_ns.median)
		eq "k=0 record" "$($DBQ "$out" records.20.params)" '{"pages":4096,"populate":"write","dirty":"0","pattern":"random","op":"fsync","syncs":3}'
		eq "k=N record" "$($DBQ "$out" records.25.params)" '{"pages":4096,"populate":"write","dirty":"n","pattern":"random","op":"fsync","syncs":3}'
		awk -v a="$k0" -v b="$kn" 'BEGIN { exit !(a < b) }' && ok "$fs: k=0 fsync ($k0 ns) faster than k=N ($kn ns)" ||
			bad "$fs: k=0 $k0 ns not faster than k=N $kn ns"
		c=$($DBQ "$out" records.25.observed.page_flags_check)
		[ "$(id -u)" -ne 0 ] || grep -q "clean after the sync" <<<"$c" && ok "$fs: page flags checked: $c" || bad "$fs: page flags: $c"
	fi
done

# N beyond the room on the target: refused with the numbers, never filled to ENOSPC
if mount -t tmpfs -o size=8m tmpfs "$tiny" 2>/dev/null; then
	$D run fsync-tree --dir "$tiny" --set pages=65536 --set syncs=1 --repeat 1 --out "$res/big.json" >/dev/null 2>&1
	eq "too big: status" "$($DBQ "$res/big.json" records.0.status)" skipped
	grep -q "needs 268435456 bytes" <<<"$($DBQ "$res/big.json" records.0.reason)" && ok "too big: reason says how much" ||
		bad "too big: $($DBQ "$res/big.json" records.0.reason)"
	eq "too big: nothing left behind" "$(find "$tiny" -mindepth 1 | wc -l)" 0
fi

# mapsync on the page cache
out=$res/mapsync.json
$D run mapsync --dir "$disk" --set file=sparse,written --set mode=map-sync,deferred,write-dsync,write-batch --set batch=1,8 \
	--set writes=64 --repeat 2 --out "$out" >/dev/null 2>&1
eq "mapsync exit" $? 0
n=$($DBQ --len "$out" records)
for ((i = 0; i < n; i++)); do
	m=$($DBQ "$out" records.$i.params.mode) b=$($DBQ "$out" records.$i.params.batch) st=$($DBQ "$out" records.$i.status)
	case $m/$b in
	map-sync/1) eq "map-sync on the page cache: status" "$st" skipped
		eq "map-sync reason" "$($DBQ "$out" records.$i.reason)" "MAP_SYNC: EOPNOTSUPP, not a DAX mapping" ;;
	map-sync/*|write-dsync/8) eq "$m batch=$b refused" "$st" skipped ;;
	*) eq "$m batch=$b status" "$st" ok
		eq "$m batch=$b every write read back" "$($DBQ "$out" records.$i.observed.writes_verified)" 128
		positive "$m batch=$b ns per durable write" "$($DBQ "$out" records.$i.metrics.ns_per_durable_write.median)" ;;
	esac
done
finish
