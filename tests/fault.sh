#!/usr/bin/env bash
# fault.sh -- smoke run of every fault kind on tmpfs and on a disk filesystem's page cache: numbers
# finite, fault counts consistent between getrusage and the perf counter, one fault per page where
# the kernel cannot batch, PMD faults on anon 2M where THP allows (a loud fallback where not).
set -u
: "${DAXBENCH:?}" "${DBQ:?}"
. "$(dirname "$0")/lib.sh"
disk=$(mktemp -d "${BUILD_DIR:-$PWD}/fault-test.XXXXXX")
shm=$(mktemp -d /dev/shm/daxbench-fault.XXXXXX)
res=$(mktemp -d /tmp/daxbench-fault-res.XXXXXX)
trap 'rm -rf "$disk" "$shm" "$res"' EXIT
D=$DAXBENCH
kinds=read,read-hole,write-alloc,write-prealloc,write,read-then-write,rewrite-after-sync,populate,hole-then-write
nk=9

for where in "$shm" "$disk"; do
	out=$res/$(basename "$where").json
	$D run fault --dir "$where" --set map=shared --set kind=$kinds --set size=4M --repeat 2 --out "$out" >/dev/null 2>&1
	eq "$where: exit" $? 0
	fs=$($DBQ "$out" context.target.fs)
	eq "$fs: records" "$($DBQ --len "$out" records)" $nk
	for ((i = 0; i < nk; i++)); do
		k=$($DBQ "$out" records.$i.params.kind)
		st=$($DBQ "$out" records.$i.status)
		if [ "$st" == skipped ]; then
			r=$($DBQ "$out" records.$i.reason)
			[ -n "$r" ] && ok "$fs $k skipped: $r" || bad "$fs $k skipped without a reason"
			continue
		fi
		eq "$fs $k status" "$st" ok
		per=$($DBQ "$out" records.$i.observed.faults_per_4k_page)
		# two independent counts of the same faults: getrusage and the perf software counter
		[ "$k" != populate ] && near "$fs $k perf page-faults per page vs getrusage" \
			"$($DBQ "$out" records.$i.counters.page-faults.per_op)" "$per" 0.01
		case $k in
		write-alloc|read-then-write|rewrite-after-sync|hole-then-write)
			# a fault per PTE: holes filled one page at a time, write-protect faults per PTE
			[ "$fs" == tmpfs ] && [ "$k" != write-alloc ] || near "$fs $k faults per 4K page" "$per" 1 0.01 ;;
		esac
		[ "$k" == hole-then-write ] && [ "$fs" != tmpfs ] &&
			awk -v v="$($DBQ "$out" records.$i.observed.first_phase_faults_per_4k_page)" 'BEGIN { exit !(v > 0) }' &&
			ok "$fs hole-then-write: the read of the hole faulted too, then the write faulted again"
		if awk -v v="$per" 'BEGIN { exit !(v > 0) }'; then
			v=$($DBQ "$out" records.$i.metrics.ns_per_fault.median)
			awk -v v="$v" 'BEGIN { exit !(v > 0 && v < 1e12) }' && ok "$fs $k ns_per_fault $v" || bad "$fs $k ns_per_fault '$v'"
		fi
		v=$($DBQ "$out" records.$i.metrics.fault_ns.p99)
		awk -v v="$v" 'BEGIN { exit !(v >= 0 && v < 1e12) }' && ok "$fs $k fault_ns p99 $v" || bad "$fs $k fault_ns p99 '$v'"
		grep -q . <<<"$($DBQ "$out" records.$i.observed.fault_size_obtained)" && ok "$fs $k size obtained stated" ||
			bad "$fs $k: no fault_size_obtained"
	done
done

# anonymous memory: a write fault per page; 2M gets PMD faults where THP allows, and says so
out=$res/anon.json
$D run fault --dir "$disk" --set map=anon --set kind=write --set page=4K,2M --set size=8M --repeat 2 --out "$out" >/dev/null 2>&1
eq "anon exit" $? 0
near "anon 4K write faults per page" "$($DBQ "$out" records.0.observed.faults_per_4k_page)" 1 0.01
thp=$(sed -n 's/.*\[\(.*\)\].*/\1/p' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null)
v=$($DBQ "$out" records.1.observed.fault_size_obtained)
if [ "$thp" == always ] || [ "$thp" == madvise ]; then
	grep -q '^2M (PMD)' <<<"$v" && ok "anon 2M with THP '$thp': $v" || bad "anon 2M with THP '$thp': $v"
	awk -v v="$($DBQ "$out" records.1.observed.smaps_pmd_mapped_kb)" 'BEGIN { exit !(v >= 2048) }' &&
		ok "smaps AnonHugePages agrees" || bad "smaps AnonHugePages: $($DBQ "$out" records.1.observed.smaps_pmd_mapped_kb)"
else
	grep -q '^FALLBACK' <<<"$v" && ok "anon 2M without THP: $v" || bad "anon 2M with THP '$thp': $v"
fi

# shmem's read faults map writable PTEs: the writes that follow take no fault, whatever the page size;
# zero faults must read as such, never as a PMD fault
$D run fault --dir "$shm" --set map=shmem --set kind=read-then-write --set page=2M --set size=4M --repeat 1 \
	--out "$res/nofault.json" >/dev/null 2>&1
eq "no faults said as such" "$($DBQ "$res/nofault.json" records.0.observed.fault_size_obtained)" \
	"no faults: the pages were already mapped"

# refusals and mapping modes
$D run fault --dir "$disk" --set map=devdax --out "$res/dd.json" >/dev/null 2>&1
eq "devdax without --device" "$($DBQ "$res/dd.json" records.0.reason)" "map=devdax needs --device /dev/daxX.Y"
$D run fault --dir "$shm" --set map=anon --set cache=cold --set kind=read --out "$res/cold.json" >/dev/null 2>&1
eq "cold anon refused" "$($DBQ "$res/cold.json" records.0.status)" skipped
$D run fault --dir "$disk" --set map=anon,shared --set kind=write --set size=4M --set threads=2 --set mm=one,separate \
	--repeat 1 --out "$res/thr.json" >/dev/null 2>&1
eq "threads exit" $? 0
for i in 0 1 2 3; do
	eq "threads record $i" "$($DBQ "$res/thr.json" records.$i.status)" ok
	v=$($DBQ "$res/thr.json" records.$i.metrics.agg_faults_per_sec.median)
	awk -v v="$v" 'BEGIN { exit !(v > 0) }' && ok "aggregate faults/s $v" || bad "aggregate faults/s '$v'"
done
if [ "$($DBQ "$res/$(basename "$disk").json" context.target.fs)" != tmpfs ]; then
	$D run fault --dir "$disk" --set kind=read --set cache=cold --set size=4M --repeat 1 --out "$res/major.json" >/dev/null 2>&1
	awk -v v="$($DBQ "$res/major.json" records.0.observed.major_faults_counted)" 'BEGIN { exit !(v > 0) }' &&
		ok "cache=cold reads take major faults" || bad "cache=cold: no major faults"
fi
$D run fault-loop --dir "$disk" --set map=anon,shared --set size=4M --set duration_ms=50 --repeat 1 --out "$res/loop.json" >/dev/null 2>&1
eq "fault-loop exit" $? 0
v=$($DBQ "$res/loop.json" records.0.metrics.touch_ns_per_fault.median)
awk -v v="$v" 'BEGIN { exit !(v > 0) }' && ok "fault-loop touch ns per fault $v" || bad "fault-loop: '$v'"
rm -f "$disk"/../*.json
# the figures render from the exported CSV
if [ -n "${SRC:-}" ] && command -v gnuplot >/dev/null; then
	"$SRC/scripts/plot" "$res/anon.json" "$res/fig" 2>"$res/plot.err"
	eq "scripts/plot exit" $? 0
	for f in cost quantiles; do
		for e in png svg; do
			[ -s "$res/fig/anon-fault-$f.$e" ] && ok "figure $f.$e written" || bad "figure $f.$e missing: $(cat "$res/plot.err")"
		done
	done
fi
eq "scratch removed" "$(find "$disk" "$shm" -mindepth 1 | wc -l)" 0
finish
