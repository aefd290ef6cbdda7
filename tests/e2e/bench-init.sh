#!/bin/sh
# /init of the capture-overhead benchmark's initramfs (bench/capture-overhead.sh, `make bench-capture`).
# One boot = one kernel. The workload (faultloop: write-faults every page of an anonymous region, then
# MADV_DONTNEED, in a loop) runs as many times as there are conditions, alternating a run without capture
# ("base") and a run under one recorder, so that every captured run sits between two baseline runs of the same
# boot and drifts of the TCG speed cancel out:
#
#   warm-up, then per round: base C1 base C2 ... base Cn, and a last base after the last round;
#   round r starts at condition r (rotated), so no condition always follows the same one.
#
# Kernel command line (as_*):
#   as_name=NAME      output directory on the data disk
#   as_caps=LIST      conditions, comma-separated: REC-MODE with REC = as (the static allocscope record,
#                     trace.dat), sh (allocscope-record.sh, text) or tcmd (trace-cmd record) and MODE =
#                     events|freelist|retprobe|graph (as, sh), freelist-return (as: -m freelist
#                     --freelist-probe return); tcmd-graph = `trace-cmd record -p function_graph -g ENTRY`
#                     without a filter; tcmd-graphl = the same with -l ENTRY and the slow-path helpers (the
#                     filter allocscope's graph mode sets); nr-events|nr-retprobe|nr-graph = the tracefs set-up
#                     of that mode made by hand and no reader (what tracing costs in the workload's context
#                     alone), nr-fretprobe = nr-retprobe's probes as fprobe events (dynamic_events f:,
#                     6.7+), nr-retprobena = nr-retprobe's probes without fetch args (gfp, order, the two
#                     $retval: not a set-up anyone records, what the args cost), nr-retprobe2 = nr-retprobe
#                     without the alloc entry's return probe (what that probe costs), nr-retprobe3 = the
#                     alloc entry's kprobe alone, no return probes (the least a set with an entry probe
#                     costs), nr-retprobe4 = the alloc entry's and get_page_from_freelist's kprobes, no
#                     return probes, nr-freelist = the freelist probe as allocscope record -m freelist
#                     places it (at get_page_from_freelist's entry), nr-freelist-return = the return probe
#                     with alloc_flags and the result (6.9+),
#                     nr-graphl = nr-graph
#                     without the tracepoints (as tcmd-graphl), nr-graphall =
#                     tcmd-graph's set-up and no reader; spin = no tracing, a busy loop in the
#                     background (shows how qemu -icount shares time between the vCPUs); X-MODE with any
#                     other X: /bin/allocscope-record-X (another build of the recorder, to compare) in MODE
#   as_rounds=N       rounds (default 2)
#   as_secs=SECS      faultloop run length (default 2)
#   as_mb=MB          faultloop region (default 32)
#   as_buf=KB         per-CPU ring buffer of every recorder (default 8192)
#   as_scen=fault|pressure  fault: nothing else runs; pressure: a memhog of 75 % of MemAvailable re-touches its
#                     pages in the background (zram swap), so that faults take the slow path (kswapd, reclaim)
#   as_zram=MB        zram swap (default 0; pressure: 128)
#
# Every trace is written to the ext4 file system on the virtio data disk (/out), next to the recorder's
# scratch files; `sync` and drop_caches before every run (baseline ones too), so that writeback of one run
# does not fall into the next. Results: results.txt (one faultloop line per run, "r=R i=I cond=C pages=..."),
# N-COND.{dat,txt,log} per captured run, runs.txt (how long each capture took in all, set-up and write-out
# included), checks.txt (tracefs restored after each recorder), guest.log.

# mounts, as_* parameters, T, NCPU, ENTRY, log(), guest_disk, guest_memory, kallsyms_filtered, check_restored,
# tcmd_reset (tests/e2e/guest-common.sh)
. /guest-common.sh
NAME=${as_name:-bench}
CAPS=$(echo "${as_caps:-as-events,as-retprobe,as-graph,tcmd-graph}" | tr , ' ')
ROUNDS=${as_rounds:-2}
SECS=${as_secs:-2}
MB=${as_mb:-32}
BUF=${as_buf:-8192}
SCEN=${as_scen:-fault}
ZRAM=${as_zram:-0}
[ "$SCEN" = pressure ] && [ "$ZRAM" = 0 ] && ZRAM=128

guest_disk "$NAME"
CHK=$D/checks.txt
RES=$D/results.txt
: >$CHK
: >$RES
: >$D/runs.txt
uname -r >$D/uname.txt
log "kernel $(uname -r) scen=$SCEN caps=$CAPS rounds=$ROUNDS secs=$SECS mb=$MB buf=$BUF zram=$ZRAM cpus=$NCPU entry=$ENTRY"
guest_memory "$ZRAM"
# shellcheck disable=SC2034  # read by tcmd_reset and nr_reset
TOPBUF0=$(buffer_kb)
grep -E '^(MemTotal|MemFree|MemAvailable):' /proc/meminfo | tr -s ' ' >>$LOG

# the slow-path helpers allocscope's graph mode filters on (for tcmd-graphl)
GRAPHL=
GRAPHF=
for f in $ENTRY get_page_from_freelist wake_all_kswapds __alloc_pages_direct_compact try_to_free_pages \
	__alloc_pages_may_oom out_of_memory; do
	grep -qx $f $T/available_filter_functions && { GRAPHL="$GRAPHL -l $f"; GRAPHF="$GRAPHF $f"; }
done
for m in events freelist retprobe graph; do
	echo "plan of allocscope record -m $m:" >>$LOG
	allocscope-record -n -m $m -b $BUF >>$LOG 2>&1
done

# trace-cmd saves /proc/kallsyms into its file (7 MB): a filtered copy (made once, it takes long under TCG)
# keeps the files small and trace-cmd's write-out short
case " $CAPS" in *" tcmd-"*) kallsyms_filtered /tmp/kallsyms.text ;; esac

HOG=
if [ "$SCEN" = pressure ]; then
	MA0=$(awk -v b=$((NCPU * BUF / 1024)) '/^MemAvailable:/ {print int($2 / 1024) - b}' /proc/meminfo)
	memhog -m $((MA0 * 75 / 100)) -N -t 100000 -r /tmp/ready -q 2>>$LOG &
	HOG=$!
	i=0
	while [ ! -e /tmp/ready ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
	log "pressure: hog of $((MA0 * 75 / 100)) MiB re-touching; $(grep MemAvailable /proc/meminfo | tr -s ' ')"
fi

# nr-MODE: the tracefs set-up of allocscope record's MODE made by hand at the top level, and no reader (the
# ring buffer overwrites itself): what tracing costs in the workload's own context, without the recorder's
# reading and writing. nr-graphl: graph without the tracepoints (as tcmd-graphl records); nr-graphall:
# trace-cmd's unfiltered function_graph, no reader.
NR_OPTS="max_graph_depth options/funcgraph-abstime options/funcgraph-proc options/funcgraph-cpu options/funcgraph-retval"
nr_setup() {
	NR_SAVED=
	for f in $NR_OPTS; do [ -e $T/$f ] && NR_SAVED="$NR_SAVED $f=$(cat $T/$f)"; done
	echo 0 >$T/tracing_on
	echo $BUF >$T/buffer_size_kb
	: >$T/trace
	case $1 in
	retprobe)
		add_kprobes
		for e in $KPROBE_EVENTS; do echo 1 >"$T/events/$(echo $e | tr : /)/enable"; done ;;
	retprobe2)	# without the alloc entry's return probe (what it costs)
		add_kprobes
		for e in kprobes:alloc_entry kprobes:gpfl_ret; do echo 1 >"$T/events/$(echo $e | tr : /)/enable"; done ;;
	retprobe3)	# the alloc entry's kprobe alone, no return probe: the least any probe set with an entry
			# probe costs (__alloc_pages_slowpath, whose entry would tell the slow path with no
			# probe on the fast path, is inlined in Debian's 6.12 and not traceable)
		kprobe_alloc_entry
		cat $T/error_log >>$LOG 2>/dev/null
		echo 1 >"$T/events/kprobes/alloc_entry/enable" ;;
	retprobe4)	# the alloc entry's and get_page_from_freelist's kprobes, no return probe: a second
			# get_page_from_freelist() under one entry is the slow path (as graph mode without
			# retval tells it), mm_page_alloc ending the allocation (what such a set would cost)
		kprobe_alloc_entry
		echo "p:kprobes/gpfl_entry get_page_from_freelist" >>$T/kprobe_events || log "kprobe gpfl_entry failed"
		cat $T/error_log >>$LOG 2>/dev/null
		for e in alloc_entry gpfl_entry; do echo 1 >"$T/events/kprobes/$e/enable"; done ;;
	freelist | freelist-return)	# allocscope record -m freelist's probe (guest-common.sh: as record
			# places it), and the return probe (record --freelist-probe return)
		add_freelist_kprobe "${1#freelist-}"
		echo 1 >"$T/events/kprobes/freelist/enable" ;;
	retprobena)	# the same probes without fetch args (what the 4 args cost)
		echo "p:kprobes/alloc_entry $ENTRY" >>$T/kprobe_events
		echo "r:kprobes/alloc_ret $ENTRY" >>$T/kprobe_events
		echo "r:kprobes/gpfl_ret get_page_from_freelist" >>$T/kprobe_events
		for e in $KPROBE_EVENTS; do echo 1 >"$T/events/$(echo $e | tr : /)/enable"; done ;;
	fretprobe)	# the same probes as fprobe events (dynamic_events f:, 6.7+)
		echo "f:fprobes/alloc_entry $ENTRY gfp_mask=\$arg1 order=\$arg2" >>$T/dynamic_events || log "fprobe alloc_entry failed"
		echo "f:fprobes/alloc_ret $ENTRY%return ret=\$retval" >>$T/dynamic_events || log "fprobe alloc_ret failed"
		echo "f:fprobes/gpfl_ret get_page_from_freelist%return ret=\$retval" >>$T/dynamic_events || log "fprobe gpfl_ret failed"
		cat $T/error_log >>$LOG 2>/dev/null
		for e in alloc_entry alloc_ret gpfl_ret; do echo 1 >"$T/events/fprobes/$e/enable"; done ;;
	graph | graphl | graphall)
		[ $1 = graphall ] || echo "$GRAPHF" >$T/set_ftrace_filter
		echo $ENTRY >$T/set_graph_function
		if [ $1 != graphall ]; then
			echo 12 >$T/max_graph_depth
			for o in funcgraph-abstime funcgraph-proc funcgraph-cpu funcgraph-retval; do
				[ -e $T/options/$o ] && echo 1 >$T/options/$o
			done
		fi
		echo function_graph >$T/current_tracer ;;
	esac
	case $1 in graphl | graphall) ;; *) for e in $EVENTS; do echo 1 >$T/events/$e/enable; done ;; esac
	echo 1 >$T/tracing_on
}
nr_reset() {
	echo 0 >$T/tracing_on
	echo nop >$T/current_tracer
	: >$T/set_event
	: >$T/set_ftrace_filter
	: >$T/set_graph_function
	for kv in $NR_SAVED; do echo ${kv#*=} >$T/${kv%%=*}; done
	: >$T/kprobe_events
	[ -e $T/dynamic_events ] && : >$T/dynamic_events
	echo 1 >$T/tracing_on
	echo $TOPBUF0 >$T/buffer_size_kb
}

settle() { # no writeback or freed page cache of the previous run left for the next one
	sync
	echo 3 >/proc/sys/vm/drop_caches
	sleep 0.3
}

FL="/bin/faultloop -m $MB -t $SECS -o $RES"
n=0
run_base() {
	n=$((n + 1))
	settle
	$FL -l "r=$1 i=$n cond=base" 2>>$LOG
}
run_cap() { # ROUND CONDITION
	n=$((n + 1))
	id=$n-$2
	rec=${2%%-*}
	mode=${2#*-}
	settle
	t0=$(cut -d' ' -f1 /proc/uptime)
	case $rec in
	sh) sh /bin/allocscope-record.sh -m $mode -b $BUF -o $D/$id.txt -f -- $FL -l "r=$1 i=$n cond=$2" \
	    >$D/$id.log 2>&1
	    echo "rc=$?" >>$D/$id.log ;;
	nr)	nr_setup $mode
		$FL -l "r=$1 i=$n cond=$2" 2>>$LOG
		nr_reset ;;
	spin)	sh -c 'while :; do :; done' &
		sp=$!
		$FL -l "r=$1 i=$n cond=$2" 2>>$LOG
		kill $sp; wait $sp 2>/dev/null ;;
	tcmd)
		plug="-p function_graph -g $ENTRY"
		[ "$mode" = graphl ] && plug="$plug $GRAPHL"
		mount -o bind /tmp/kallsyms.text /proc/kallsyms
		echo "trace-cmd record -b $BUF $plug -o $D/$id.dat $FL ..." >$D/$id.log
		echo $BUF >$T/buffer_size_kb
		trace-cmd record -b $BUF $plug -o $D/$id.dat $FL -l "r=$1 i=$n cond=$2" >>$D/$id.log 2>&1
		echo "rc=$?" >>$D/$id.log
		umount /proc/kallsyms ;;
	*)	# as: the static allocscope record; any other REC: /bin/allocscope-record-REC, another build of it
		# (capture-overhead.sh's BENCH_RECORDERS)
		bin=allocscope-record
		[ $rec = as ] || bin=allocscope-record-$rec
		margs="-m $mode"
		[ "$mode" = freelist-return ] && margs="-m freelist --freelist-probe return"
		# shellcheck disable=SC2086
		$bin $margs -b $BUF -o $D/$id.dat -f -- $FL -l "r=$1 i=$n cond=$2" >$D/$id.log 2>&1
		echo "rc=$?" >>$D/$id.log ;;
	esac
	t1=$(cut -d' ' -f1 /proc/uptime)
	echo "$id $(awk -v a=$t0 -v b=$t1 'BEGIN {printf "%.1f", b - a}')" >>$D/runs.txt
	check_after $rec $id
	log "$id took $(tail -n 1 $D/runs.txt | cut -d' ' -f2) s: $(tail -n 1 $RES)"
}

check_restored "0-before-any-recorder"
settle
/bin/faultloop -m $MB -t 1 -l warmup -o $D/warmup.txt 2>>$LOG
nc=$(echo $CAPS | wc -w)
r=1
while [ $r -le $ROUNDS ]; do
	# rotate: round r starts at condition ((r - 1) mod nc) + 1
	set -- $CAPS
	k=$(((r - 1) % nc))
	while [ $k -gt 0 ]; do c=$1; shift; set -- "$@" $c; k=$((k - 1)); done
	for c in "$@"; do
		run_base $r
		run_cap $r $c
	done
	r=$((r + 1))
done
run_base $ROUNDS
[ -n "$HOG" ] && kill $HOG 2>/dev/null
guest_end
