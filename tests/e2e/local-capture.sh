#!/bin/bash
# local-capture.sh: record small real fixtures on the machine's own (running) kernel, tracepoints only.
#
#   tests/e2e/local-capture.sh OUTDIR [WORKLOAD_MB]
#
# Makes, in OUTDIR (names use the short kernel version, e.g. 6.18):
#   <k>-anon-events.txt.zst          trace_pipe text of a tracefs INSTANCE (allocscope-fx), tracepoints only,
#                                    with trace_marker snapshots (see below)
#   <k>-anon-events.vmstat.before/.after, .kswapd.before/.after, .ftrace-stats   ground truth files
#   <k>-anon-perf.txt.zst            `perf script` (default format) of perf record -e kmem:mm_page_alloc
#                                    -e sched:sched_switch (+ the reclaim/compaction tracepoints) -a -- memhog
#   <k>-anon-perf.vmstat.before/.after, .kswapd.before/.after, .perf-stats
#
# The kernel is shared: the workload is small (WORKLOAD_MB, default 48 MiB anonymous, touched once), the
# capture is short, and tracefs is restored on every exit path (trap): events off, instance removed, no filters.
# Needs root, perf (linux-perf), zstd, gcc.
set -eu

OUT=${1:?usage: local-capture.sh OUTDIR [WORKLOAD_MB]}
MB=${2:-48}
HERE=$(cd "$(dirname "$0")" && pwd)
T=/sys/kernel/tracing
[ -d "$T/events" ] || T=/sys/kernel/debug/tracing
INST=$T/instances/allocscope-fx
KV=$(uname -r)
K=$(echo "$KV" | sed -E 's/^([0-9]+\.[0-9]+\.[0-9]+).*/\1/')
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
WORK=$(mktemp -d /tmp/allocscope-local.XXXXXX)

EVENTS="kmem/mm_page_alloc vmscan/mm_vmscan_direct_reclaim_begin vmscan/mm_vmscan_direct_reclaim_end
vmscan/mm_vmscan_wakeup_kswapd vmscan/mm_vmscan_kswapd_wake vmscan/mm_vmscan_kswapd_sleep
vmscan/mm_vmscan_memcg_reclaim_begin vmscan/mm_vmscan_memcg_reclaim_end
vmscan/mm_vmscan_memcg_softlimit_reclaim_begin vmscan/mm_vmscan_memcg_softlimit_reclaim_end
compaction/mm_compaction_begin compaction/mm_compaction_end compaction/mm_compaction_try_to_compact_pages
oom/mark_victim sched/sched_switch"

READER=
restore() {
	set +e
	if [ -d "$INST" ]; then
		echo 0 >"$INST/tracing_on"
		for e in $EVENTS; do
			[ -e "$INST/events/$e/enable" ] && echo 0 >"$INST/events/$e/enable"
			[ -e "$INST/events/$e/filter" ] && echo 0 >"$INST/events/$e/filter"
		done
		echo >"$INST/set_event"
	fi
	[ -n "$READER" ] && kill "$READER" 2>/dev/null && wait "$READER" 2>/dev/null
	READER=
	[ -d "$INST" ] && rmdir "$INST"
	rm -rf "$WORK"
}
trap 'restore' EXIT
trap 'exit 130' INT TERM

gcc -O2 -static -o "$WORK/memhog" "$HERE/memhog.c"

kswapd_stat() {
	for p in /proc/[0-9]*; do
		c=$(cat "$p/comm" 2>/dev/null) || continue
		case $c in kswapd*) cat "$p/stat" ;; esac
	done
}

# snapshot NAME PREFIX [MARKERFILE]: vmstat + kswapd stat into files, and as marker lines if a marker file is given;
# /proc/vmstat is read between "snapshot-NAME" and "vmstat-begin NAME", nothing else in between
snapshot() {
	[ -n "${3:-}" ] && echo "allocscope: snapshot-$1" >"$3"
	cat /proc/vmstat >"$2.vmstat.$1"
	[ -n "${3:-}" ] && echo "allocscope: vmstat-begin $1" >"$3"
	kswapd_stat >"$2.kswapd.$1"
	if [ -n "${3:-}" ]; then
		while read -r n v; do echo "allocscope: vmstat $n $v" >"$3"; done <"$2.vmstat.$1"
		echo "allocscope: vmstat-end $1" >"$3"
		while read -r l; do echo "allocscope: kswapd-stat $1 $l" >"$3"; done <"$2.kswapd.$1"
	fi
}

# --- 1. tracefs instance, trace_pipe text -------------------------------------------------------------
[ -d "$INST" ] && { echo "local-capture: $INST exists (another capture running?)" >&2; trap - EXIT; exit 1; }
mkdir "$INST"
echo 8192 >"$INST/buffer_size_kb"
echo 0 >"$INST/tracing_on"
echo >"$INST/trace"
used=
for e in $EVENTS; do
	if [ -e "$INST/events/$e/enable" ]; then echo 1 >"$INST/events/$e/enable"; used="$used $e"; fi
done
B=$K-anon-events
NAME=$B.txt
cat "$INST/trace_pipe" >"$WORK/$NAME" &
READER=$!
echo 1 >"$INST/tracing_on"
M=$INST/trace_marker
echo "allocscope: uname $KV" >"$M"
echo "allocscope: mode events (tracepoints only), instance allocscope-fx, trace_pipe" >"$M"
snapshot before "$OUT/$B" "$M"
echo "allocscope: window-begin" >"$M"
"$WORK/memhog" -m "$MB" -N -q
echo "allocscope: window-end" >"$M"
snapshot after "$OUT/$B" "$M"
echo 0 >"$INST/tracing_on"
# trace_pipe returns EOF once tracing is off and the buffer is drained; kill the reader only if it hangs
i=0
while kill -0 "$READER" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
kill "$READER" 2>/dev/null || true
wait "$READER" 2>/dev/null || true
READER=
{
	echo "instance: allocscope-fx buffer_size_kb=$(cat "$INST/buffer_size_kb")"
	for s in "$INST"/per_cpu/cpu*/stats; do echo "== $s"; cat "$s"; done
} >"$OUT/$B.ftrace-stats"
zstd -q -19 -f "$WORK/$NAME" -o "$OUT/$NAME.zst"
restore
mkdir -p "$WORK"
gcc -O2 -static -o "$WORK/memhog" "$HERE/memhog.c"

# --- 2. perf record + perf script -----------------------------------------------------------------------
PB=$K-anon-perf
PNAME=$PB.txt
pe=""
for e in $EVENTS; do
	[ -e "$T/events/$e/format" ] && pe="$pe -e $(echo "$e" | tr / :)"
done
cat /proc/vmstat >"$OUT/$PB.vmstat.before"
kswapd_stat >"$OUT/$PB.kswapd.before"
# shellcheck disable=SC2086
perf record -q $pe -a -o "$WORK/perf.data" -- sh -c "'$WORK/memhog' -m $MB -N -q; sleep 0.3" 2>"$WORK/perf.log"
cat /proc/vmstat >"$OUT/$PB.vmstat.after"
kswapd_stat >"$OUT/$PB.kswapd.after"
perf script -i "$WORK/perf.data" >"$WORK/$PNAME" 2>>"$WORK/perf.log"
zstd -q -19 -f "$WORK/$PNAME" -o "$OUT/$PNAME.zst"
{
	echo "perf record -q$pe -a -- sh -c 'memhog -m $MB -N -q; sleep 0.3'"
	cat "$WORK/perf.log"
	perf report -i "$WORK/perf.data" --stats 2>/dev/null | grep -iE "LOST|SAMPLE|TOTAL" || true
} >"$OUT/$PB.perf-stats"
# READMEs with the kernel deltas and event counts
. "$HERE/lib.sh"
readme() { # readme BASE FILE HOW
	local base=$1 f=$2 how=$3
	{
		echo "Fixture $(basename "$f")"
		echo
		echo "Kernel: $(uname -a) (the development machine's own kernel; tracefs offers tracepoints only)"
		echo "Regenerate: tests/e2e/local-capture.sh tests/data $MB   (as root; or tests/e2e/fixtures.sh -L)"
		echo "Format: $(stat -c %s "$f") bytes, zstd -19 of the text"
		echo "Capture: $how"
		echo "Workload: tests/e2e/memhog -m $MB -N -q (faults $MB MiB of anonymous memory once, MADV_NOHUGEPAGE). The"
		echo "machine has $(awk '/MemTotal/ {print int($2/1024)}' /proc/meminfo) MiB and is shared with other work: no memory pressure is expected, other tasks' events are in the trace."
		echo
		echo "Ground truth: $(basename "$base").vmstat.before/.after (/proc/vmstat), $(basename "$base").kswapd.before/.after (/proc/<kswapd*>/stat, one line per node)."
		echo "$4"
		echo
		echo "Kernel deltas (after - before):"
		vmdelta "$base.vmstat.before" "$base.vmstat.after"
		echo "  kswapd0 utime+stime  $(kswapd_ticks "$base.kswapd.before" "$base.kswapd.after")"
		echo
		echo "Event counts:"
		zstd -dc "$f" | count_events
		echo
		echo "Loss:"
		sed 's/^/  /' "$5"
	} >"$base.README"
}
readme "$OUT/$B" "$OUT/$NAME.zst" "tracefs instance allocscope-fx (buffer_size_kb 8192 per CPU), events:$used; text streamed from the instance's trace_pipe during the window (no header lines)" \
	"The snapshots are also inside the trace as trace_marker lines (tracing_mark_write): 'allocscope: snapshot-before' (/proc/vmstat is read after it), 'allocscope: vmstat-begin before', 'allocscope: vmstat <name> <value>' ..., 'allocscope: vmstat-end before', 'allocscope: kswapd-stat before <stat line>', 'allocscope: window-begin' ... 'allocscope: window-end', then the same for 'after'." \
	"$OUT/$B.ftrace-stats"
readme "$OUT/$PB" "$OUT/$PNAME.zst" "perf record$pe -a -- sh -c 'memhog -m $MB -N -q; sleep 0.3', then \`perf script\` (default output format) -> zstd -19; $(perf --version)" \
	"The snapshots were taken just before perf record started and just after it ended (not inside the trace)." \
	"$OUT/$PB.perf-stats"
echo "local-capture: wrote $OUT/$NAME.zst $OUT/$PNAME.zst"
