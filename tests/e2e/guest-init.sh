#!/bin/sh
# /init of allocscope's e2e initramfs (busybox-static). Runs ONE capture per boot, configured on the kernel
# command line, writes everything to the ext4 file system on the second virtio disk (/dev/vda here: the initramfs
# is the root, the data disk is the only disk), then powers off.
#
# Kernel command line parameters (they reach /init as environment variables too; /proc/cmdline is authoritative):
#   as_scen=anon|oom|thp      workload (see run_workload)
#   as_mode=graph|kprobe|events
#   as_rec=text|pipe|tcmd     text: `cat trace` after the window; pipe: `cat trace_pipe` during the window;
#                             tcmd: trace-cmd record inside the guest
#   as_tcopt=...              extra trace-cmd record options, commas for spaces (e.g. --compression,zstd)
#   as_inst=NAME              record in a tracefs instance (tcmd: -B NAME; text/pipe: instances/NAME)
#   as_buf=KB                 per-CPU ring buffer size (default 32768)
#   as_win=SECS               seconds the window workload keeps re-touching its memory after faulting it in
#   as_name=NAME              output base name
#   as_zram=MB                zram swap size (0 = no swap)

# mounts, as_* parameters, T, ENTRY, EVENTS, KSWAPD, log(), guest_disk, guest_memory, add_kprobes,
# kallsyms_filtered (tests/e2e/guest-common.sh)
. /guest-common.sh
SCEN=${as_scen:-anon}
MODE=${as_mode:-kprobe}
REC=${as_rec:-text}
BUF=${as_buf:-32768}
WIN=${as_win:-1}
NAME=${as_name:-capture}
ZRAM=${as_zram:-192}
INST=${as_inst:-}
TCOPT=$(echo "${as_tcopt:-}" | tr , ' ')

die_off() { sync; umount /out 2>/dev/null; echo "allocscope-guest: done" >/dev/console; poweroff -f; }

guest_disk "$NAME"
uname -a >$D/uname.txt
log "kernel $(uname -r) scen=$SCEN mode=$MODE rec=$REC inst=$INST buf=$BUF win=$WIN zram=$ZRAM tcopt=$TCOPT"
guest_memory "$ZRAM"
cat /sys/kernel/mm/transparent_hugepage/enabled /sys/kernel/mm/transparent_hugepage/defrag >$D/thp_settings.txt 2>/dev/null

# ---- what the kernel offers ------------------------------------------------------------------------
AFF=$T/available_filter_functions
has_func() { grep -qx "$1" $AFF 2>/dev/null; }
FUNCS="$ENTRY"
for f in get_page_from_freelist __alloc_pages_slowpath __alloc_pages_direct_reclaim __alloc_pages_may_oom \
	wake_all_kswapds __alloc_pages_direct_compact try_to_free_pages out_of_memory; do
	if has_func $f; then FUNCS="$FUNCS $f"; else log "not traceable: $f"; fi
done
log "entry=$ENTRY funcs=$FUNCS"
log "events=$EVENTS"

# ---- helpers ---------------------------------------------------------------------------------------
if [ -n "$INST" ] && [ "$REC" != tcmd ]; then
	mkdir -p $T/instances/$INST
	B=$T/instances/$INST
else
	B=$T
fi
MARK=$B/trace_marker
[ "$REC" = tcmd ] && [ -n "$INST" ] && MARK=$T/instances/$INST/trace_marker

echo $KSWAPD >$D/kswapd0.pid

snap() { # snap before|after: files + trace_marker lines
	# /proc/vmstat is read between "snapshot-PHASE" and "vmstat-begin PHASE", nothing else in between:
	# the analyzer bounds the kernel's read by these two lines (docs/capture-format.md)
	M=/dev/null
	[ -w "$MARK" ] && M=$MARK
	echo "allocscope: snapshot-$1" >$M
	cat /proc/vmstat >$D/vmstat.$1
	echo "allocscope: vmstat-begin $1" >$M
	cat /proc/$KSWAPD/stat >$D/kswapd0.stat.$1
	cat /proc/meminfo >$D/meminfo.$1
	cat /proc/zoneinfo >$D/zoneinfo.$1
	cat /proc/buddyinfo >$D/buddyinfo.$1
	cat /proc/uptime >$D/uptime.$1
	[ -w "$MARK" ] || return 0
	while read -r n v; do echo "allocscope: vmstat $n $v" >$MARK; done <$D/vmstat.$1
	echo "allocscope: vmstat-end $1" >$MARK
	echo "allocscope: kswapd-stat $1 $(cat $D/kswapd0.stat.$1)" >$MARK
}

# ring buffers are allocated now, before MemAvailable is measured, so that resizing them does not eat into
# the workload's memory later (trace-cmd -b with the same size leaves them alone)
if [ -n "$INST" ]; then mkdir -p $T/instances/$INST; echo $BUF >$T/instances/$INST/buffer_size_kb; fi
echo $BUF >$T/buffer_size_kb
[ "$REC" = tcmd ] && kallsyms_filtered /tmp/kallsyms.filtered
# MemAvailable (MiB) before any hog: window sizes are relative to it, so that hog#1 + hog#2 overcommit
MA0=$(awk '/^MemAvailable:/ {print int($2 / 1024)}' /proc/meminfo)
log "MemAvailable before the pre-phase: $MA0 MiB"
HOGS=
pre_phase() {
	case $SCEN in
	anon)
		memhog -m $((MA0 * 75 / 100)) -N -t 1000 -r /tmp/ready1 -q 2>>$LOG &
		HOGS="$HOGS $!"
		;;
	oom)
		swapoff -a 2>/dev/null
		log "oom: swap off"
		memhog -m $((MA0 * 80 / 100)) -N -t -1 -c 100 -r /tmp/ready1 -q 2>>$LOG &
		HOGS="$HOGS $!"
		;;
	thp)
		memhog -f 90 -F -N -t -1 -r /tmp/ready1 -q 2>>$LOG &
		HOGS="$HOGS $!"
		;;
	calm)
		touch /tmp/ready1
		;;
	esac
	i=0
	while [ ! -e /tmp/ready1 ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
	log "pre-phase ready after $((i / 10)) s; MemAvailable=$(grep MemAvailable /proc/meminfo)"
}

# the window: snapshots, markers, workload; also written to /win.sh for trace-cmd record
cat >/win.sh <<EOF
. /lib.sh
snap before
echo "allocscope: window-begin" >$MARK
run_workload
echo "allocscope: window-end" >$MARK
snap after
EOF
run_workload() {
	case $SCEN in
	anon) memhog -m $((MA0 * 30 / 100)) -N -t $WIN -q ;;
	oom) memhog -m $((MA0 * 40 / 100)) -N -c 100 -t $WIN -q; echo "oom hog exit status $?" >>$LOG ;;
	thp) memhog -a 90 -H -t $WIN -q ;;
	calm) memhog -m 2 -N -t $WIN -q ;;
	esac
}
# busybox ash has no `typeset -f`: copy the functions the window needs out of this file
cat >/lib.sh <<EOF
D=$D; MARK=$MARK; KSWAPD=$KSWAPD; SCEN=$SCEN; WIN=$WIN; LOG=$LOG; MA0=$MA0
$(sed -n '/^snap() {/,/^}/p' /init)
$(sed -n '/^run_workload() {/,/^}/p' /init)
EOF

tracing_config() {
	{
		echo "current_tracer: $(cat $B/current_tracer)"
		echo "buffer_size_kb: $(cat $B/buffer_size_kb)"
		echo "set_event:"; cat $B/set_event
		echo "set_ftrace_filter:"; cat $T/set_ftrace_filter 2>/dev/null | head -20
		echo "set_graph_function:"; cat $T/set_graph_function 2>/dev/null | head -20
		echo "kprobe_events:"; cat $T/kprobe_events 2>/dev/null
		echo "trace_options:"; cat $B/trace_options 2>/dev/null
		echo "trace_clock: $(cat $B/trace_clock)"
	} >$D/tracing_config.txt
}

restore_all() {
	for b in $T $T/instances/*; do
		[ -d "$b/events" ] || continue
		echo 0 >$b/tracing_on
		echo >$b/set_event
		echo nop >$b/current_tracer 2>/dev/null
	done
	echo >$T/set_ftrace_filter 2>/dev/null
	echo >$T/set_graph_function 2>/dev/null
	echo >$T/kprobe_events 2>/dev/null
	for i in $T/instances/*; do [ -d "$i" ] && rmdir "$i"; done
	echo 1 >$T/tracing_on
	{
		echo "after restore: current_tracer=$(cat $T/current_tracer)"
		echo "set_event=[$(cat $T/set_event)]"
		echo "kprobe_events=[$(cat $T/kprobe_events)]"
		echo "set_ftrace_filter=[$(head -c 200 $T/set_ftrace_filter)]"
		echo "set_graph_function=[$(head -c 200 $T/set_graph_function)]"
		echo "instances=[$(ls $T/instances)]"
	} >>$LOG
}

ftrace_stats() {
	for s in $1/per_cpu/cpu*/stats; do echo "== $s"; cat $s; done >$D/ftrace_stats.txt
}

pre_phase

# ---- capture ---------------------------------------------------------------------------------------
if [ "$REC" = tcmd ]; then
	[ "$MODE" = kprobe ] && add_kprobes
	ev=
	for e in $EVENTS; do ev="$ev -e $(echo $e | tr / :)"; done
	if [ "$MODE" = kprobe ]; then for e in $KPROBE_EVENTS; do ev="$ev -e $e"; done; fi
	plug=
	if [ "$MODE" = graph ]; then
		plug="-p function_graph -g $ENTRY -O funcgraph-abstime -O funcgraph-proc"
		for f in $FUNCS; do plug="$plug -l $f"; done
	fi
	if [ -n "$INST" ]; then
		cmd="trace-cmd record -o $D/trace.dat $TCOPT -B $INST -b $BUF $plug $ev /bin/sh /win.sh"
	else
		cmd="trace-cmd record -o $D/trace.dat $TCOPT -b $BUF $plug $ev /bin/sh /win.sh"
	fi
	if mount -o bind /tmp/kallsyms.filtered /proc/kallsyms; then
		log "kallsyms: bind-mounted filtered copy, $(wc -l </tmp/kallsyms.filtered) symbols (pattern: $KSYMRE)"
	fi
	log "$cmd"
	echo "$cmd" >$D/trace-cmd.cmdline
	$cmd >$D/trace-cmd.log 2>&1
	log "trace-cmd rc=$?"
	umount /proc/kallsyms 2>/dev/null
	tail -n 30 $D/trace-cmd.log >>$LOG
else
	echo 0 >$B/tracing_on
	echo $BUF >$B/buffer_size_kb
	echo >$B/trace
	if [ "$MODE" = graph ]; then
		echo $ENTRY >$T/set_graph_function
		echo >$T/set_ftrace_filter
		for f in $FUNCS; do echo $f >>$T/set_ftrace_filter; done
		echo function_graph >$B/current_tracer
		for o in funcgraph-abstime funcgraph-proc funcgraph-cpu; do echo 1 >$B/options/$o; done
		[ -e $B/options/funcgraph-retval ] && echo 1 >$B/options/funcgraph-retval && log "funcgraph-retval on"
	fi
	[ "$MODE" = kprobe ] && add_kprobes
	for e in $EVENTS; do echo 1 >$B/events/$e/enable; done
	if [ "$MODE" = kprobe ]; then for e in alloc_entry alloc_ret gpfl_ret; do echo 1 >$B/events/kprobes/$e/enable; done; fi
	tracing_config
	if [ "$REC" = pipe ]; then
		cat $B/trace_pipe >$D/trace.txt &
		RD=$!
	fi
	echo 1 >$B/tracing_on
	sh /win.sh
	echo 0 >$B/tracing_on
	ftrace_stats $B
	if [ "$REC" = pipe ]; then
		i=0
		while kill -0 $RD 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
		kill $RD 2>/dev/null
		wait $RD
	else
		log "dumping trace text"
		cat $B/trace >$D/trace.txt
	fi
fi
# the trace and both snapshots are complete: put them on disk before anything else can go wrong
sync
echo "allocscope-guest: captured" >/dev/console
for h in $HOGS; do kill $h 2>/dev/null; done
wait 2>/dev/null
restore_all
dmesg >$D/dmesg.txt
log "capture done"
die_off
