#!/bin/sh
# /init of the e2e suite's initramfs (tests/e2e/e2e.sh). One boot = one scenario, captured several times in
# a row with OUR recorders (the static `allocscope record` and capture/allocscope-record.sh, which write the
# markers of docs/capture-format.md themselves) and optionally once with `trace-cmd record` (this script then
# writes the canonical markers through trace_marker). Results go to the ext4 file system on the virtio data disk.
#
# Kernel command line (as_*):
#   as_name=NAME          output directory on the data disk
#   as_scen=anon|pagecache|thp|calm|oom|jank|proactive
#   as_caps=LIST          captures, in order, comma-separated: REC-MODE with REC = as (static allocscope record,
#                         trace.dat), sh (allocscope-record.sh under busybox sh, text), mk (allocscope-record.sh
#                         under mksh with PATH=/system/bin: toybox and awk only, as on an Android phone; arm64
#                         initramfs) or tcmd (trace-cmd record, trace.dat) and MODE = graph|freelist|retprobe|
#                         events|auto|cross (as only) (tcmd: graph, freelist or retprobe); or stop-REC-HOW-MODE (REC as, sh or mk): the
#                         recorder stopped by HOW = int|term (SIGINT/SIGTERM sent to it by its COMMAND 3 s in) or
#                         its COMMAND failing (fail: exit status 3), checked for tracefs restored and a whole trace
#   as_buf=KB             per-CPU ring buffer of every recorder
#   as_win=SECS           window workload length
#   as_zram=MB            zram swap (0: none; oom turns swap off anyway)
#
# Per capture N: N-REC-MODE.{dat,txt} (the trace), N-REC-MODE.log (recorder output), lines in checks.txt
# ("PASS|FAIL <capture> tracefs-restored ..."), and guest.log.

# mounts, as_* parameters, T, NCPU, ENTRY, EVENTS, KSWAPD, log(), guest_disk, guest_memory, add_kprobes,
# kallsyms_filtered (tests/e2e/guest-common.sh)
. /guest-common.sh
SCEN=${as_scen:-anon}
CAPS=$(echo "${as_caps:-as-graph}" | tr , ' ')
BUF=${as_buf:-8192}
WIN=${as_win:-1}
NAME=${as_name:-suite}
ZRAM=${as_zram:-128}

guest_disk "$NAME"
CHK=$D/checks.txt
: >$CHK
uname -r >$D/uname.txt
log "kernel $(uname -r) scen=$SCEN caps=$CAPS buf=$BUF win=$WIN zram=$ZRAM cpus=$NCPU $(grep MemTotal /proc/meminfo | tr -s " ")"
guest_memory "$ZRAM"
[ "$SCEN" = oom ] && swapoff -a 2>/dev/null && log "oom: swap off"

# the hogs are sized relative to MA0: MemAvailable minus the ring buffers the recorder will allocate
MA0=$(awk -v b=$((NCPU * BUF / 1024)) '/^MemAvailable:/ {print int($2 / 1024) - b}' /proc/meminfo)
log "MA0 (MemAvailable - ring buffers) = $MA0 MiB"
# shellcheck disable=SC2034  # read by tcmd_reset (guest-common.sh)
TOPBUF0=$(buffer_kb)

HOGS=
pre_phase() {
	rm -f /tmp/ready1
	case $SCEN in
	anon|jank) memhog -m $((MA0 * 75 / 100)) -N -t 1000 -r /tmp/ready1 -q 2>>$LOG & HOGS="$HOGS $!" ;;
	pagecache) memhog -m $((MA0 * 70 / 100)) -N -t -1 -r /tmp/ready1 -q 2>>$LOG & HOGS="$HOGS $!" ;;
	oom) memhog -m $((MA0 * 80 / 100)) -N -t -1 -c 100 -r /tmp/ready1 -q 2>>$LOG & HOGS="$HOGS $!" ;;
	thp) memhog -f 90 -F -N -t -1 -r /tmp/ready1 -q 2>>$LOG & HOGS="$HOGS $!" ;;
	calm) touch /tmp/ready1 ;;
	proactive)
		# a cgroup v2 group holding half of MA0: the window reclaims from it through memory.reclaim
		mkdir -p /sys/fs/cgroup
		grep -q " /sys/fs/cgroup cgroup2 " /proc/mounts || mount -t cgroup2 none /sys/fs/cgroup
		echo +memory >/sys/fs/cgroup/cgroup.subtree_control || log "cgroup: no memory controller"
		mkdir -p /sys/fs/cgroup/g
		sh -c "echo \$\$ >/sys/fs/cgroup/g/cgroup.procs && exec memhog -m $((MA0 * 50 / 100)) -N -t -1 -r /tmp/ready1 -q" \
			2>>$LOG & HOGS="$HOGS $!" ;;
	esac
	i=0
	while [ ! -e /tmp/ready1 ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
}
# the window workload (also run by the recorders as their COMMAND through /win.sh)
cat >/workload.sh <<EOF
PATH=/bin:/sbin:/usr/bin:\$PATH
case $SCEN in
anon) memhog -m $((MA0 * 55 / 100)) -N -t $WIN -q ;;
pagecache) memhog -m 1 -R /out/big.bin -t $WIN -q ;;
oom) memhog -m $((MA0 * 40 / 100)) -N -c 100 -t $WIN -q; echo "oom hog exit status \$?" >>$LOG ;;
thp) memhog -a 90 -H -t $WIN -q ;;
calm) memhog -m 2 -N -t $WIN -q ;;
jank) # an app drawing 60 frames/s (atrace markers, tests/e2e/jankapp.c) whose caches grow by 768 KiB a
	# frame, while the pre-phase hog holds 75 % of MA0 and a second one faults in 30 %: the app's page
	# faults run into the slow path and direct reclaim. Its threads at nice -10, as Android runs its UI thread and
	# RenderThread above the rest (THREAD_PRIORITY_DISPLAY), so that waiting for a CPU behind the hogs
	# and kswapd on 2 vCPUs does not make every frame late
	memhog -m $((MA0 * 30 / 100)) -N -t $WIN -q &
	jankapp -t $WIN -u 128 -r 64 -k -p -10 -o /tmp/jank-truth.txt
	wait ;;
proactive) echo "cgroup g: memory.current \$(cat /sys/fs/cgroup/g/memory.current) procs \$(cat /sys/fs/cgroup/g/cgroup.procs | tr '\n' ' ')" >>$LOG
	for i in 1 2; do printf '16M' >/sys/fs/cgroup/g/memory.reclaim 2>>$LOG || echo "memory.reclaim: \$?" >>$LOG; done
	echo "cgroup g: memory.current \$(cat /sys/fs/cgroup/g/memory.current) after memory.reclaim" >>$LOG
	# memory.max below the usage: memcg reclaim by the writer too (not proactive)
	echo \$(( \$(cat /sys/fs/cgroup/g/memory.current) - 16777216 )) >/sys/fs/cgroup/g/memory.max 2>>$LOG ||
		echo "memory.max: \$?" >>$LOG
	echo max >/sys/fs/cgroup/g/memory.max
	echo "cgroup g: memory.current \$(cat /sys/fs/cgroup/g/memory.current) after memory.max; \$(grep -E '^(pgscan|pgsteal|anon) ' /sys/fs/cgroup/g/memory.stat | tr '\n' ' ')" >>$LOG
	memhog -m 2 -N -t $WIN -q ;;
esac
exit 0
EOF

# trace-cmd: the canonical markers of docs/capture-format.md, written by this script (begin before reading the
# before-snapshot; snapshot-after before reading the after-snapshot, end after it)
cat >/win-tcmd.sh <<EOF
M=$T/trace_marker
echo "allocscope: begin" >\$M
echo "allocscope: uname \$(uname -r)" >\$M
echo "allocscope: option recorder=trace-cmd" >\$M
cat /proc/vmstat >/tmp/before.vm
set -- \$(sed 's/.*) //' /proc/$KSWAPD/stat)
K0="\${12} \${13}"
echo "allocscope: clk_tck 100" >\$M
echo "allocscope: kswapd $KSWAPD kswapd0 \$K0" >\$M
while read -r n v; do echo "allocscope: vmstat \$n \$v" >\$M; done </tmp/before.vm
sh /workload.sh
echo "allocscope: snapshot-after" >\$M
cat /proc/vmstat >/tmp/after.vm
set -- \$(sed 's/.*) //' /proc/$KSWAPD/stat)
K1="\${12} \${13}"
echo "allocscope: end" >\$M
echo "allocscope: clk_tck 100" >\$M
echo "allocscope: kswapd $KSWAPD kswapd0 \$K1" >\$M
while read -r n v; do echo "allocscope: vmstat \$n \$v" >\$M; done </tmp/after.vm
EOF

tcmd_capture() { # MODE OUT LOG: the tracepoints + function_graph (graph) or kprobe events (retprobe,
	# freelist), as allocscope record's mode of that name
	ev=
	for e in $EVENTS; do ev="$ev -e $(echo $e | tr / :)"; done
	plug=
	if [ "$1" = graph ]; then
		plug="-p function_graph -g $ENTRY ${NOLOCK:+-g $NOLOCK -l $NOLOCK} -O funcgraph-abstime -O funcgraph-proc"
		# as allocscope record does where the kernel has it (6.5+, CONFIG_FUNCTION_GRAPH_RETVAL)
		[ -e $T/options/funcgraph-retval ] && plug="$plug -O funcgraph-retval"
		for f in $ENTRY get_page_from_freelist wake_all_kswapds __alloc_pages_direct_compact try_to_free_pages \
			__alloc_pages_may_oom out_of_memory; do
			grep -qx $f $T/available_filter_functions && plug="$plug -l $f"
		done
	elif [ "$1" = freelist ]; then
		add_freelist_kprobe
		for e in $FREELIST_EVENTS; do ev="$ev -e $e"; done
	else
		add_kprobes
		for e in $KPROBE_EVENTS; do ev="$ev -e $e"; done
	fi
	kallsyms_filtered /tmp/kallsyms.text
	mount -o bind /tmp/kallsyms.text /proc/kallsyms
	echo "trace-cmd record -o $2 --compression zstd -b $BUF $plug $ev /bin/sh /win-tcmd.sh" >$3
	trace-cmd record -o $2 --compression zstd -b $BUF $plug $ev /bin/sh /win-tcmd.sh >>$3 2>&1
	echo "trace-cmd rc=$?" >>$3
	umount /proc/kallsyms
}

# the COMMAND of a stop-* capture: its recorder is its parent
cat >/stop.sh <<'EOF'
PATH=/bin:/sbin:/usr/bin:$PATH
case $1 in
int) memhog -m 2 -N -t 20 -q & sleep 3; kill -INT $PPID; wait ;;
term) memhog -m 2 -N -t 20 -q & sleep 3; kill -TERM $PPID; wait ;;
fail) memhog -m 2 -N -t 1 -q; exit 3 ;;
esac
EOF

# run_rec REC MODE OUT LOG COMMAND...: one recorder run
run_rec() {
	rr=$1 rm=$2 ro=$3 rl=$4
	shift 4
	case $rr in
	as) allocscope-record -m $rm $fr -b $BUF -o $ro.dat -f -- "$@" >$rl 2>&1 ;;
	sh) sh /bin/allocscope-record.sh -m $rm -b $BUF -o $ro.txt -f -- "$@" >$rl 2>&1 ;;
	# Android: mksh, toybox's applets and awk only (/system/bin), nothing of busybox on the PATH
	mk) env -i PATH=/system/bin /system/bin/sh /bin/allocscope-record.sh -m $rm -b $BUF -o $ro.txt -f -- "$@" >$rl 2>&1 ;;
	esac
	echo "rc=$?" >>$rl
}

between() { # back to the state after boot: hogs gone, caches dropped, swap empty
	for h in $HOGS; do kill $h 2>/dev/null; done
	wait 2>/dev/null
	HOGS=
	sync
	echo 3 >/proc/sys/vm/drop_caches
	if [ "$ZRAM" -gt 0 ] && [ "$SCEN" != oom ]; then swapoff /dev/zram0 2>/dev/null; swapon /dev/zram0; fi
	echo 1 >/proc/sys/vm/compact_memory 2>/dev/null
	sleep 0.5
}

# arm64 (issue 18): the recorders read the allocator's arguments by $argN where the kernel has it and by
# register before (AAPCS64: gfp %x0, order %x1 on the alloc entry; alloc_flags %x2 on get_page_from_freelist;
# allocscope-record.sh and cap-probe.c): one kprobe on each with both fetches, and where the kernel has BTF
# arguments alloc_flags by name too; every event's pairs must be equal
check_arg_regs() {
	[ "$(uname -m)" = aarch64 ] || return 0
	K=$T/kprobe_events
	case $(cat $T/README) in *'$arg<N>'*) ;; *)
		echo "INFO 0-arg-regs arg-regs: this kernel's kprobe_events have no \$argN (registers only)" >>$CHK; return ;;
	esac
	if ! echo "p:argchk/entry $ENTRY x0=%x0:x32 a1=\$arg1:x32 x1=%x1:u32 a2=\$arg2:u32" >>$K ||
	   ! echo "p:argchk/gpff get_page_from_freelist x2=%x2:x32 a3=\$arg3:x32" >>$K; then
		echo "FAIL 0-arg-regs arg-regs: kprobe_events refused the probes" >>$CHK
		echo >$K
		return
	fi
	grep -q '<argname>' $T/README &&
		echo "p:argchk/gpffbtf get_page_from_freelist x2=%x2:x32 bf=alloc_flags:x32" >>$K 2>/dev/null
	echo >$T/trace
	echo 1 >$T/events/argchk/enable
	memhog -m 8 -N -q
	echo 0 >$T/events/argchk/enable
	# KEY=VALUE pairs of an event line: x0~a1, x1~a2 (entry), x2~a3 (gpff), x2~bf (gpffbtf)
	awk '/ (entry|gpff|gpffbtf): / {
		for (i = 1; i <= NF; i++) if (split($i, kv, "=") == 2) v[kv[1]] = kv[2]
		ev = ($0 ~ / entry: /) ? "entry" : ($0 ~ / gpffbtf: /) ? "gpffbtf" : "gpff"; n[ev]++
		if (ev == "entry") bad += (v["x0"] != v["a1"]) + (v["x1"] != v["a2"])
		else if (ev == "gpff") bad += (v["x2"] != v["a3"])
		else bad += (v["x2"] != v["bf"])
		delete v
	}
	END { printf "%s 0-arg-regs arg-regs: %d %s events (%%x0 = $arg1 gfp, %%x1 = $arg2 order), %d get_page_from_freelist (%%x2 = $arg3 alloc_flags), %d with alloc_flags by BTF name (= %%x2): %d mismatches\n",
		(bad == 0 && n["entry"] > 0 && n["gpff"] > 0) ? "PASS" : "FAIL", n["entry"], entry, n["gpff"], n["gpffbtf"], bad }' \
		entry=$ENTRY $T/trace >>$CHK
	echo >$T/trace
	echo >$K
	check_restored "0-arg-regs"
}

check_restored "0-before-any-recorder"
check_arg_regs
n=0
for c in $CAPS; do
	n=$((n + 1))
	rec=${c%%-*}
	mode=${c#*-}
	cap=$n-$c
	log "capture $cap"
	[ "$rec" = tcmd ] && echo $BUF >$T/buffer_size_kb
	[ "$rec" = stop ] || pre_phase
	log "pre-phase ready; $(grep MemAvailable /proc/meminfo | tr -s ' ')"
	t0=$(cut -d' ' -f1 /proc/uptime)
	# jank: the app's atrace markers go to the top-level trace_marker (record --frames)
	fr=
	[ "$SCEN" = jank ] && fr=--frames
	rm -f /tmp/jank-truth.txt
	case $rec in
	as | sh) run_rec $rec $mode $D/$cap $D/$cap.log /bin/sh /workload.sh ;;
	mk) run_rec $rec $mode $D/$cap $D/$cap.log /system/bin/sh /workload.sh ;;
	tcmd) tcmd_capture $mode $D/$cap.dat $D/$cap.log ;;
	stop) set -- $(echo $mode | tr - ' ')
	      run_rec $1 $3 $D/$cap $D/$cap.log /bin/sh /stop.sh $2 ;;
	esac
	log "capture $cap took $(awk -v a=$t0 '{printf "%.1f", $1 - a}' /proc/uptime) s: $(tail -n 3 $D/$cap.log | tr '\n' ' ')"
	check_after $rec $cap
	[ -f /tmp/jank-truth.txt ] && cp /tmp/jank-truth.txt $D/$cap.truth
	between
	sync
done
guest_end
