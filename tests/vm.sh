#!/usr/bin/env bash
# vm.sh GROUP -- the VM harness: bad input (usage), and a real boot of Debian 6.1 under TCG with
# emulated pmem checking, from the JSON that comes back, what each target really is (boot).
# Needs DAXBENCH and DBQ (ctest sets them) and the packages of scripts/install-deps --vm.
set -u
: "${DAXBENCH:?}" "${DBQ:?}" "${SRC:?}"
. "$(dirname "$0")/lib.sh"
VM="$SRC/scripts/vm/daxbench-vm"
work=$(mktemp -d /tmp/daxbench-vmtest.XXXXXX)
trap 'rm -rf "$work"' EXIT

group_usage() {
	out=$("$VM" --help); [ $? -eq 0 ] && grep -q "usage: daxbench-vm" <<<"$out" && ok "--help" || bad "--help"
	expect 2 "unknown option '--bogus'" -- "$VM" --bogus
	expect 2 "unknown target 'nvme'" -- "$VM" --target nvme
	expect 2 "--accel: 'xen' is not" -- "$VM" --accel xen
	expect 2 "pmem-size 8G is larger than --mem 6G allows \\(at most 3072M" -- "$VM" --pmem-size 8G --mem 6G
	expect 2 "--mem 2G: at least 4G" -- "$VM" --mem 2G
	expect 2 "--pmem-size: 'lots' is not a size" -- "$VM" --pmem-size lots
	expect 2 "not found: build first" -- "$VM" --daxbench /nonexistent/daxbench
	expect 2 "unknown kernel '9.99': Debian offers these series: .*6\\.1" -- "$VM" --kernel 9.99 --daxbench "$DAXBENCH"
	expect 2 "give its modules with --modules" -- "$VM" --kernel /etc/hostname --daxbench "$DAXBENCH"
}

group_boot() {
	"$VM" --kernel 6.1 --target all --accel tcg --daxbench "$DAXBENCH" --out "$work" \
		"$SRC/tests/vm.suite" --repeat 1 >"$work/log" 2>&1
	eq "daxbench-vm exit" $? 0 || cat "$work/log"
	local rel
	rel=$(ls "$work" | sed -n 's/-fsdax-ext4-env.json$//p')
	case $rel in 6.1.*) ok "guest kernel $rel" ;; *) bad "guest kernel '$rel'"; cat "$work/log"; return ;; esac
	for t in fsdax-ext4 fsdax-xfs pagecache-ext4 devdax; do
		local e="$work/$rel-$t-env.json" r="$work/$rel-$t.json"
		eq "$t: result status" "$($DBQ "$r" records.0.status)" ok
		eq "$t: context.vm.vm" "$($DBQ "$r" context.vm.vm)" true
		eq "$t: context.vm.accel" "$($DBQ "$r" context.vm.accel)" tcg
		eq "$t: context.vm.target" "$($DBQ "$r" context.vm.target)" "$t"
		eq "$t: pmem kind" "$($DBQ "$r" context.pmem.kind)" "emulated: memmap"
		eq "$t: guest kernel in context" "$($DBQ "$r" context.kernel.release)" "$rel"
		# persist ran on the real thing: a DAX file, or the devdax itself
		for i in 1 2; do
			eq "$t: persist $($DBQ "$r" records.$i.params.op) status" "$($DBQ "$r" records.$i.status)" ok
			v=$($DBQ "$r" records.$i.metrics.latency_ns.median)
			awk -v v="$v" 'BEGIN { exit !(v + 0 > 0) }' && ok "$t: persist latency $v ns > 0" || bad "$t: persist latency '$v'"
		done
		case $t in
		fsdax-*|devdax) eq "$t: persist durable" "$($DBQ "$r" records.1.observed.durable)" yes ;;
		*) eq "$t: persist not durable" "$($DBQ "$r" records.1.observed.durable)" no ;;
		esac
		# fault: DAX 4K write faults one per page; 2M faults obtained as PMD (devdax, fsdax)
		if [ "$t" == devdax ]; then
			# a 2 MiB-aligned devdax only takes 2 MiB faults: 4K is refused, with the reason
			eq "$t: fault 4K status" "$($DBQ "$r" records.3.status)" skipped
			grep -q "alignment" <<<"$($DBQ "$r" records.3.reason)" && ok "$t: 4K refused: alignment" ||
				bad "$t: 4K reason: $($DBQ "$r" records.3.reason)"
		else
			eq "$t: fault 4K status" "$($DBQ "$r" records.3.status)" ok
			eq "$t: fault 4K write faults per page" "$($DBQ "$r" records.3.observed.faults_per_4k_page)" 1
		fi
		v=$($DBQ "$r" records.4.observed.fault_size_obtained)
		case $t in
		fsdax-*|devdax) grep -q '^2M (PMD)' <<<"$v" && ok "$t: 2M faults are PMD: $v" || bad "$t: 2M faults: $v" ;;
		esac
		case $t in
		fsdax-*)
			n=$($DBQ "$r" records.4.observed.dax_pmd_fault_nopage)
			awk -v n="$n" 'BEGIN { exit !(n > 0) }' && ok "$t: fs_dax:dax_pmd_fault_done NOPAGE x$n" ||
				bad "$t: tracepoint: $($DBQ "$r" records.4.observed.tracepoint) nopage='$n'"
			eq "$t: fault backing" "$($DBQ "$r" records.3.observed.backing)" "DAX file" ;;
		devdax) eq "$t: fault backing" "$($DBQ "$r" records.4.observed.backing)" devdax ;;
		esac
		# mapsync: MAP_SYNC on DAX; a sparse file commits the journal on allocating faults, a written one not
		case $t in
		fsdax-*)
			for i in 5 6; do
				eq "$t: mapsync $($DBQ "$r" records.$i.params.file) status" "$($DBQ "$r" records.$i.status)" ok
				eq "$t: mapsync every write read back" "$($DBQ "$r" records.$i.observed.writes_verified)" 256
			done
			js=$($DBQ "$r" records.5.observed.journal_commits_per_write)
			jw=$($DBQ "$r" records.6.observed.journal_commits_per_write)
			if [ "$t" == fsdax-ext4 ]; then
				awk -v a="$js" -v b="$jw" 'BEGIN { exit !(a > b) }' &&
					ok "$t: journal commits per write sparse $js > written $jw" ||
					bad "$t: journal commits per write sparse '$js' vs written '$jw'"
			fi
			for i in 9 10 11 12; do
				eq "$t: fsync-tree point $i" "$($DBQ "$r" records.$i.status)" ok
				v=$($DBQ "$r" records.$i.metrics.latency_ns.median)
				awk -v v="$v" 'BEGIN { exit !(v > 0) }' && ok "$t: fsync latency $v ns" || bad "$t: fsync latency '$v'"
			done
			eq "$t: fsync-tree on DAX" "$($DBQ "$r" records.9.observed.backing)" "DAX (cache-line flushes, no block I/O)"
			eq "$t: growth fit derived" "$($DBQ "$r" records.13.derived)" growth_exponent
			# the break-even batch compares points of two suite lines: derived once for the whole run
			last=$(($($DBQ --len "$r" records) - 1))
			eq "$t: break-even derived" "$($DBQ "$r" records.$last.derived)" break_even_batch
			v=$($DBQ "$r" records.$last.break_even.map_sync_ns_per_durable_write)
			awk -v v="$v" 'BEGIN { exit !(v > 0) }' && ok "$t: break-even compares against map-sync $v ns" || bad "$t: break-even '$v'" ;;
		*)
			eq "$t: mapsync refused off DAX" "$($DBQ "$r" records.5.reason)" "MAP_SYNC: EOPNOTSUPP, not a DAX mapping" ;;
		esac
		case $t in
		fsdax-*)
			eq "$t: fs" "$($DBQ "$e" target.fs)" "${t#fsdax-}"
			eq "$t: a file is DAX (statx)" "$($DBQ "$e" target.dax)" true
			eq "$t: MAP_SYNC maps" "$($DBQ "$e" target.map_sync)" true
			eq "$t: libpmem2 granularity" "$($DBQ "$e" target.pmem2_store_granularity)" cache_line ;;
		pagecache-ext4)
			eq "$t: not DAX" "$($DBQ "$e" target.dax)" false
			grep -q '^EOPNOTSUPP' <<<"$($DBQ "$e" target.map_sync_reason)" && ok "$t: MAP_SYNC refused with EOPNOTSUPP" ||
				bad "$t: map_sync_reason $($DBQ "$e" target.map_sync_reason)" ;;
		devdax)
			eq "$t: device kind" "$($DBQ "$e" device.kind)" devdax
			eq "$t: device align" "$($DBQ "$e" device.align)" 2097152
			eq "$t: 2 MiB-aligned mapping of /dev/dax0.0" "$($DBQ "$e" device.mmap_ok)" true ;;
		esac
	done
}

case ${1:-} in
usage) group_usage ;;
boot) group_boot ;;
*) echo "usage: vm.sh usage|boot"; exit 2 ;;
esac
finish
