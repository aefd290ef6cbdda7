# guest-common.sh: the start both /init scripts of the e2e initramfs share (guest-init.sh, the fixtures'
# guest, and suite-init.sh, the suite's), sourced as /guest-common.sh (busybox ash; fixtures.sh copies it
# into the initramfs). Sourcing it mounts proc/sys/dev/tmp/tracefs and sets the as_* parameters of the
# kernel command line as variables; the functions do the rest of the set-up.
#
# After sourcing: T (tracefs), NCPU, every as_NAME=VALUE of /proc/cmdline as the variable as_NAME.

export PATH=/bin:/sbin:/usr/bin:/usr/sbin
/bin/busybox --install -s /bin
# arm64 initramfs: Android's /system/bin (mksh as sh, toybox, awk); toybox's applets linked as on a phone
if [ -x /system/bin/toybox ]; then
	for a in $(/system/bin/toybox); do [ -e /system/bin/$a ] || ln -s toybox /system/bin/$a; done
fi
mkdir -p /proc /sys /dev /tmp /out /run
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
mount -t tmpfs tmp /tmp
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null || mount -t debugfs debugfs /sys/kernel/debug
T=/sys/kernel/tracing
[ -e $T/trace ] || T=/sys/kernel/debug/tracing
NCPU=$(grep -c '^processor' /proc/cpuinfo)

for kv in $(cat /proc/cmdline); do
	case $kv in as_*=*) eval "${kv%%=*}='${kv#*=}'" ;; esac
done

log() { echo "$*" >>$LOG; echo "allocscope-guest: $*" >/dev/console; }

# guest_disk NAME: the modules (decompressed on the host, /modules/order lists them in dependency
# order), the ext4 data disk as /out; D=/out/NAME, LOG=$D/guest.log. Powers off without a disk.
guest_disk() {
	if [ -f /modules/order ]; then
		while read -r m; do insmod "/modules/$m" 2>/dev/null || echo "insmod $m failed" >/dev/console; done </modules/order
	fi
	sleep 0.3
	DISK=
	for d in /dev/vda /dev/vdb; do [ -b $d ] && { DISK=$d; break; }; done
	if [ -z "$DISK" ] || ! mount -t ext4 "$DISK" /out; then
		echo "allocscope-guest: no data disk" >/dev/console
		poweroff -f
	fi
	D=/out/$1
	mkdir -p $D
	LOG=$D/guest.log
}

# guest_memory ZRAM_MB: zram swap (0: none) and THP
guest_memory() {
	if [ "$1" -gt 0 ] && [ -e /sys/block/zram0 -o -e /sys/class/zram-control ]; then
		for a in lz4 lzo-rle lzo; do echo $a >/sys/block/zram0/comp_algorithm 2>/dev/null && break; done
		log "zram comp_algorithm: $(cat /sys/block/zram0/comp_algorithm)"
		echo "${1}M" >/sys/block/zram0/disksize
		mkswap /dev/zram0 >/dev/null && swapon /dev/zram0 && log "zram swap ${1}M on"
	fi
	# THP: the kernel turns THP off on machines with < 512 MB RAM; use the common distro setting instead
	echo madvise >/sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null
	echo madvise >/sys/kernel/mm/transparent_hugepage/defrag 2>/dev/null
}

# KSWAPD: pid of kswapd0
KSWAPD=
for p in /proc/[0-9]*; do [ "$(cat $p/comm 2>/dev/null)" = kswapd0 ] && KSWAPD=${p#/proc/}; done

# ENTRY: the page allocator's entry, newest name first (DESIGN.md)
ENTRY=
for f in __alloc_frozen_pages_noprof __alloc_pages_noprof __alloc_pages __alloc_pages_nodemask; do
	grep -qx $f $T/available_filter_functions 2>/dev/null && { ENTRY=$f; break; }
done

# NOLOCK: the nolock allocation (6.15+), the function mm_page_alloc fires in first (as allocscope record picks it)
NOLOCK=
for f in alloc_frozen_pages_nolock_noprof alloc_pages_nolock_noprof try_alloc_pages_noprof; do
	grep -qx $f $T/available_filter_functions 2>/dev/null && { NOLOCK=$f; break; }
done

# EVENTS: the tracepoints our recorders record (SYSTEM/EVENT), those this kernel has
EVENTS=
for e in kmem/mm_page_alloc vmscan/mm_vmscan_direct_reclaim_begin vmscan/mm_vmscan_direct_reclaim_end \
	vmscan/mm_vmscan_wakeup_kswapd vmscan/mm_vmscan_kswapd_wake vmscan/mm_vmscan_kswapd_sleep \
	vmscan/mm_vmscan_lru_shrink_inactive vmscan/mm_vmscan_lru_shrink_active \
	vmscan/mm_vmscan_memcg_reclaim_begin vmscan/mm_vmscan_memcg_reclaim_end \
	vmscan/mm_vmscan_memcg_softlimit_reclaim_begin vmscan/mm_vmscan_memcg_softlimit_reclaim_end \
	compaction/mm_compaction_begin compaction/mm_compaction_end compaction/mm_compaction_try_to_compact_pages \
	compaction/mm_compaction_suitable compaction/mm_compaction_deferred compaction/mm_compaction_finished \
	oom/mark_victim sched/sched_switch; do
	[ -d $T/events/$e ] && EVENTS="$EVENTS $e"
done

# the kprobe on the alloc function's entry, with gfp and order (error_log: the caller's)
kprobe_alloc_entry() {
	echo "p:kprobes/alloc_entry $ENTRY gfp_mask=\$arg1 order=\$arg2" >>$T/kprobe_events || log "kprobe alloc_entry failed"
}

# kprobe events of the retprobe mode for trace-cmd (allocscope record makes its own): entry of the
# alloc function with gfp and order, its return, the return of get_page_from_freelist
add_kprobes() {
	kprobe_alloc_entry
	echo "r:kprobes/alloc_ret $ENTRY ret=\$retval" >>$T/kprobe_events || log "kretprobe alloc_ret failed"
	echo "r:kprobes/gpfl_ret get_page_from_freelist ret=\$retval" >>$T/kprobe_events || log "kretprobe gpfl_ret failed"
	cat $T/error_log >>$LOG 2>/dev/null
}
KPROBE_EVENTS="kprobes:alloc_entry kprobes:alloc_ret kprobes:gpfl_ret"

# the freelist mode's probe for trace-cmd and the benchmark (allocscope record makes its own,
# docs/freelist.md): get_page_from_freelist's alloc_flags at its entry, by BTF name where README lists
# "<argname>" (6.5+), else $arg3; add_freelist_kprobe return: a return probe with the result too, where
# return probes fetch entry arguments (6.9+)
add_freelist_kprobe() {
	a='alloc_flags=$arg3:x32'
	grep -q '<argname>' $T/README && a='alloc_flags=alloc_flags:x32'
	if [ "$1" = return ] && grep -qF 'return probes support: $retval, $arg<N>' $T/README; then
		echo "r1024:kprobes/freelist get_page_from_freelist $a ret=\$retval:x64" >>$T/kprobe_events ||
			log "kretprobe freelist failed"
	else
		echo "p:kprobes/freelist get_page_from_freelist $a" >>$T/kprobe_events || log "kprobe freelist failed"
	fi
	cat $T/error_log >>$LOG 2>/dev/null
}
FREELIST_EVENTS="kprobes:freelist"

# the end of a capture boot: the kernel log into $D, "captured" for the host, the data disk unmounted
guest_end() {
	dmesg >$D/dmesg.txt
	sync
	echo "allocscope-guest: captured" >/dev/console
	umount /out
	echo "allocscope-guest: done" >/dev/console
	poweroff -f
}

# kallsyms_filtered FILE: trace-cmd embeds /proc/kallsyms (~7 MB here); a copy with the text symbols of
# the page allocator and its usual callers keeps trace.dat small (bind-mounted over /proc/kallsyms while
# trace-cmd runs). Each kept symbol's successor in address order is kept too, so that an address inside a
# kept function never resolves to "kept+huge offset" of the wrong one; addresses elsewhere may resolve
# to a wrong name.
KSYMRE='alloc|get_free_page|get_zeroed|freelist|kswapd|compact|try_to_free|out_of_memory|reclaim|oom_|tracing_mark'
kallsyms_filtered() {
	grep -E '^[0-9a-f]+ [tTwW] ' /proc/kallsyms | grep -v '\[' | sort |
		awk -v re="$KSYMRE" '{ if ($3 ~ re) { print; k = 1 } else if (k) { print; k = 0 } }' >"$1"
}

# buffer_size_kb reads "7 (expanded: 1408)" before the buffer is first used: the real size is 1408
buffer_kb() { sed -e 's/.*expanded: \([0-9]*\).*/\1/' $T/buffer_size_kb; }

# check_restored CAPTURE [FAILWORD]: tracefs as it was before any recorder; one PASS/FAIL line in $CHK
check_restored() {
	bad=
	fw=${2:-FAIL}
	[ "$(cat $T/current_tracer)" = nop ] || bad="$bad current_tracer=$(cat $T/current_tracer)"
	[ -z "$(cat $T/set_event)" ] || bad="$bad set_event=[$(head -c 200 $T/set_event | tr '\n' ' ')]"
	[ -z "$(ls $T/instances)" ] || bad="$bad instances=[$(ls $T/instances | tr '\n' ' ')]"
	[ -z "$(cat $T/kprobe_events 2>/dev/null)" ] || bad="$bad kprobe_events=[$(head -c 200 $T/kprobe_events | tr '\n' ' ')]"
	[ ! -e $T/dynamic_events ] || [ -z "$(cat $T/dynamic_events)" ] || bad="$bad dynamic_events=[$(head -c 200 $T/dynamic_events | tr '\n' ' ')]"
	[ -z "$(cat $T/set_graph_function 2>/dev/null | grep -v '^#')" ] || bad="$bad set_graph_function=[$(head -c 200 $T/set_graph_function | tr '\n' ' ')]"
	[ -z "$(cat $T/set_ftrace_filter 2>/dev/null | grep -v '^#')" ] || bad="$bad set_ftrace_filter=[$(head -c 200 $T/set_ftrace_filter | tr '\n' ' ')]"
	[ "$(cat $T/tracing_on)" = 1 ] || bad="$bad tracing_on=$(cat $T/tracing_on)"
	if [ -z "$bad" ]; then
		echo "PASS $1 tracefs-restored: current_tracer=nop, set_event empty, no instances, no kprobe/dynamic events, no filters" >>$CHK
	else
		echo "$fw $1 tracefs-restored:$bad" >>$CHK
	fi
}
# trace-cmd leaves its own settings behind (it is not ours to fix): reset them after its run ($TOPBUF0: the
# top-level buffer_kb before any recorder)
tcmd_reset() {
	echo 0 >$T/tracing_on; echo >$T/set_event; echo nop >$T/current_tracer
	echo >$T/set_ftrace_filter; echo >$T/set_graph_function; echo >$T/kprobe_events; echo 1 >$T/tracing_on
	echo $TOPBUF0 >$T/buffer_size_kb
}
# after one capture by REC (as, sh, tcmd, nr, ...): tracefs as found; trace-cmd's leftovers are logged
# (INFO, not a failure), then reset and checked again
check_after() { # check_after REC ID
	if [ "$1" = tcmd ]; then
		check_restored $2 INFO
		tcmd_reset
		check_restored $2-after-reset
	else
		check_restored $2
	fi
}
