#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# allocscope-record.sh: the allocscope capture for devices that only have a POSIX
# shell (Android `adb shell su`, toybox, busybox, dash).  Same modes and the same
# trace_marker snapshots as `allocscope record` (docs/capture-format.md); writes
# ftrace text of its own tracefs instance; restores tracefs on every exit path
# (normal, error, SIGINT/SIGTERM/SIGHUP, the command failing).
#
#   allocscope-record.sh [-o FILE] [-m graph|freelist|retprobe|events|auto] [-d SECONDS]
#                        [-b KB] [-P entry|return] [-f] [-n] [-- COMMAND ARGS...]
#
# One reader (cat) per CPU on per_cpu/cpuN/trace_pipe, merged by timestamp into
# FILE afterwards with awk: the kernel formats the text in the reader's context,
# and one reader of trace_pipe formats every CPU's events on one CPU (under qemu
# TCG a function_graph capture overran an 8 MB/CPU buffer that way).  Without
# awk, one reader on trace_pipe.
#
# Needs root.  Uses only: sh, cat, grep, sed, awk, ls, wc, mkdir, rmdir, rm, sleep, kill, date, id,
# uname, mount, getconf and hostname (optional), as toybox has them on Android (no tr: Debian's toybox
# 0.8.9 lacks it); the shell builtins of mksh, dash, bash and busybox ash.

usage() {
	cat <<'EOF'
Usage: allocscope-record.sh [OPTIONS] [-- COMMAND [ARGS...]]
  -o FILE     output (default ./allocscope-trace.txt)
  -m MODE     freelist, graph, retprobe, events or auto (default auto: the first
              the kernel allows, in that order; freelist first only where the
              kernel's BTF has alloc_flags, else after graph); freelist: one
              probe on get_page_from_freelist (alloc_flags) and mm_page_alloc,
              exact
  -d SECONDS  record for SECONDS (default: until COMMAND ends, or Ctrl-C / SIGTERM)
  -b KB       ring buffer per CPU (default 8192, 16384 for graph/freelist/retprobe)
  -P PROBE    freelist's probe: entry (default: times each whole allocation, costs
              less) or return (alloc_flags and the result in one event; 6.9+)
  -f          overwrite FILE
  -n          print the plan and exit (dry run)
  -h          this text
EXAMPLES
  adb push capture/allocscope-record.sh /data/local/tmp/
  adb shell su -c 'sh /data/local/tmp/allocscope-record.sh -d 30 -o /data/local/tmp/t.txt'
  adb pull /data/local/tmp/t.txt && allocscope analyze t.txt
EOF
}

OUT=./allocscope-trace.txt
MODE=auto
DUR=
BUF=
FORCE=0
DRY=0
FLPROBE=entry
while [ $# -gt 0 ]; do
	case $1 in
	-o) OUT=$2; shift 2 ;;
	-m) MODE=$2; shift 2 ;;
	-d) DUR=$2; shift 2 ;;
	-b) BUF=$2; shift 2 ;;
	-P) FLPROBE=$2; shift 2 ;;
	-f) FORCE=1; shift ;;
	-n) DRY=1; shift ;;
	-h|--help) usage; exit 0 ;;
	--) shift; break ;;
	-*) echo "allocscope-record: unknown option $1" >&2; usage >&2; exit 1 ;;
	*) break ;;
	esac
done

die() { echo "allocscope-record: $*" >&2; exit 1; }
isnum() { case $1 in ''|*[!0-9]*) return 1 ;; esac; return 0; }

case $MODE in graph|freelist|retprobe|events|auto) ;; *) die "-m: graph, freelist, retprobe, events or auto, not '$MODE'" ;; esac
[ -z "$DUR" ] || isnum "$DUR" || die "-d: a whole number of seconds, not '$DUR'"
[ -z "$BUF" ] || isnum "$BUF" || die "-b: a number of KB, not '$BUF'"
case $FLPROBE in entry|return) ;; *) die "-P: entry or return, not '$FLPROBE'" ;; esac
[ -n "$DUR" ] && [ $# -gt 0 ] && die "give -d or a COMMAND, not both"
if [ $# -gt 0 ] && ! command -v "$1" >/dev/null 2>&1; then die "command not found: $1"; fi

# ---- probe (read only) ---------------------------------------------------------
T=
for d in /sys/kernel/tracing /sys/kernel/debug/tracing; do
	[ -d "$d/events" ] && { T=$d; break; }
done
if [ -z "$T" ] && [ "$DRY" = 0 ]; then
	mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null && T=/sys/kernel/tracing
fi
[ -n "$T" ] || die "tracefs is not mounted (mount -t tracefs nodev /sys/kernel/tracing)"
if [ "$DRY" = 0 ]; then
	[ "$(id -u 2>/dev/null || echo 0)" = 0 ] || die "must run as root"
fi

REL=$(cat /proc/sys/kernel/osrelease 2>/dev/null || uname -r)
NCPU=0
for c in "$T"/per_cpu/cpu[0-9]*; do [ -d "$c" ] && NCPU=$((NCPU + 1)); done
# CPU numbers in numeric order (the glob's is cpu0 cpu1 cpu10 ...): the merge breaks ties by it
CPUS= i=0 k=0
while [ $k -lt $NCPU ] && [ $i -lt 8192 ]; do
	[ -d "$T/per_cpu/cpu$i" ] && { CPUS="$CPUS $i"; k=$((k + 1)); }
	i=$((i + 1))
done

has_word() { # FILE WORD
	for w in $(cat "$1" 2>/dev/null); do [ "$w" = "$2" ] && return 0; done
	return 1
}

SFX='(\.(constprop|isra|part)\.[0-9]+)*'
FSRC=none
if cat "$T/available_filter_functions" >/dev/null 2>&1; then
	FSRC=available_filter_functions
elif grep -q ' [tT] get_page_from_freelist' /proc/kallsyms 2>/dev/null; then
	FSRC=kallsyms
fi
ALL='__alloc_frozen_pages_noprof|__alloc_pages_noprof|__alloc_pages|__alloc_pages_nodemask|get_page_from_freelist|wake_all_kswapds|__alloc_pages_slowpath|__alloc_pages_direct_compact|__alloc_pages_direct_reclaim|try_to_free_pages|__alloc_pages_may_oom|out_of_memory|alloc_pages_bulk_noprof|__alloc_pages_bulk|alloc_frozen_pages_nolock_noprof|alloc_pages_nolock_noprof|try_alloc_pages_noprof'
# one pass over the (large) list, then look names up in the few lines found
case $FSRC in
available_filter_functions)
	FOUND=$(grep -E "^($ALL)$SFX( |\$)" "$T/available_filter_functions" 2>/dev/null | sed 's/ .*//') ;;
kallsyms)
	FOUND=$(grep -E " [tT] ($ALL)$SFX\$" /proc/kallsyms 2>/dev/null | sed 's/.* //') ;;
*)	FOUND= ;;
esac
findfn() { # NAME -> traceable name with its suffix, or nothing
	echo "$FOUND" | grep -m1 -E "^$1$SFX\$"
}
# alloc entry, newest name first (see DESIGN.md)
ENTRY=
for n in __alloc_frozen_pages_noprof __alloc_pages_noprof __alloc_pages __alloc_pages_nodemask; do
	ENTRY=$(findfn $n); [ -n "$ENTRY" ] && break
done
GPFF=$(findfn get_page_from_freelist)
HELPERS=
for n in wake_all_kswapds __alloc_pages_slowpath __alloc_pages_direct_compact \
	 __alloc_pages_direct_reclaim try_to_free_pages __alloc_pages_may_oom; do
	f=$(findfn $n); [ -n "$f" ] && HELPERS="$HELPERS $f"
done
case $HELPERS in *__alloc_pages_may_oom*) ;; *) f=$(findfn out_of_memory); [ -n "$f" ] && HELPERS="$HELPERS $f" ;; esac
# the bulk allocator (5.13+) counts pgalloc without mm_page_alloc: its returns bound those pages (any mode)
BULK=$(findfn alloc_pages_bulk_noprof); [ -n "$BULK" ] || BULK=$(findfn __alloc_pages_bulk)
# the nolock allocation (6.15+), the function mm_page_alloc fires in first: one freelist attempt, no slow path,
# possibly inside another allocation (from a tracepoint or BPF program): traced as an allocation of its own
NOLOCK=
for n in alloc_frozen_pages_nolock_noprof alloc_pages_nolock_noprof try_alloc_pages_noprof; do
	NOLOCK=$(findfn $n); [ -n "$NOLOCK" ] && break
done

WHY_G=
if ! has_word "$T/available_tracers" function_graph; then WHY_G="no function_graph tracer"
elif [ "$FSRC" != available_filter_functions ] || ! cat "$T/set_ftrace_filter" >/dev/null 2>&1; then
	WHY_G="function tracing locked down"
elif [ -z "$ENTRY" ] || [ -z "$GPFF" ]; then WHY_G="alloc entry or get_page_from_freelist not traceable"
fi
PROBEF=
if [ -e "$T/kprobe_events" ]; then PROBEF=$T/kprobe_events; PK=p; RK=r; RS=
elif [ -e "$T/dynamic_events" ] && grep -q 'f\[:\[<group>/\]\[<event>\]\]' "$T/README" 2>/dev/null; then
	PROBEF=$T/dynamic_events; PK=f; RK=f; RS=%return
fi
WHY_R=
if [ -z "$PROBEF" ]; then WHY_R="no kprobe_events and no fprobe events"
elif [ -z "$ENTRY" ] || [ -z "$GPFF" ]; then WHY_R="alloc entry or get_page_from_freelist not found ($FSRC)"
fi

# freelist: alloc_flags, get_page_from_freelist's third argument (5.4 .. 7.1), read by BTF name where the
# kernel has BTF probe arguments (README "<argname>", 6.5+: the kernel finds it in the prototype), else $arg3
# or the register (x86-64 %dx, arm64 %x2), at the entry; with -P return one return probe with the result too,
# where return probes fetch entry arguments (README "return probes support: $retval, $arg<N>", 6.9+). A compiler clone
# (get_page_from_freelist.isra.0 ...) has other arguments: not this mode. No BTF prototype check here (the
# C recorder reads /sys/kernel/btf/vmlinux): analyze checks every capture (docs/freelist.md)
README=$(cat "$T/README" 2>/dev/null)
case $README in *'<argname>'*) BTFARGS=1 ;; *) BTFARGS=0 ;; esac
case $README in *'return probes support: $retval, $arg<N>'*) RETARGS=1 ;; *) RETARGS=0 ;; esac
GPFF_PLAIN=$(echo "$FOUND" | grep -x get_page_from_freelist)
GPFF_CLONE=$(echo "$FOUND" | grep -m1 -E '^get_page_from_freelist\.')
WHY_F=
if [ -z "$PROBEF" ]; then WHY_F="no kprobe_events and no fprobe events"
elif [ ! -e "$T/events/kmem/mm_page_alloc/format" ]; then WHY_F="no kmem:mm_page_alloc tracepoint"
elif [ -n "$GPFF_CLONE" ]; then WHY_F="get_page_from_freelist is compiled as $GPFF_CLONE: its arguments are not the source's"
elif [ -z "$GPFF_PLAIN" ]; then WHY_F="get_page_from_freelist not found ($FSRC)"
fi

# alloc_flags checked: a probe by BTF name is taken only where the function's prototype has a parameter of
# that name (removed at once, signals held off for the two writes)
FLBTF=0
if [ -z "$WHY_F" ] && [ "$BTFARGS" = 1 ]; then
	trap '' INT TERM HUP
	if echo "$PK:allocscope/flcheck get_page_from_freelist alloc_flags=alloc_flags" >> "$PROBEF" 2>/dev/null; then
		FLBTF=1
		echo "-:allocscope/flcheck" >> "$PROBEF" 2>/dev/null
	fi
	trap - INT TERM HUP
fi

# auto: the exact modes, the cheapest first: freelist where BTF checks alloc_flags (half graph's and
# retprobe's cost, bench/CAPTURE.md); else graph, which assumes no argument; else freelist unchecked
REQ=$MODE
if [ "$MODE" = auto ]; then
	if [ -z "$WHY_F" ] && [ "$FLBTF" = 1 ]; then MODE=freelist
	elif [ -z "$WHY_G" ]; then MODE=graph
	elif [ -z "$WHY_F" ]; then MODE=freelist
	elif [ -z "$WHY_R" ]; then MODE=retprobe
	else MODE=events; fi
fi
[ "$MODE" = graph ] && [ -n "$WHY_G" ] && die "mode graph is not possible on this kernel ($WHY_G)"
[ "$MODE" = freelist ] && [ -n "$WHY_F" ] && die "mode freelist is not possible on this kernel ($WHY_F)"
[ "$MODE" = retprobe ] && [ -n "$WHY_R" ] && die "mode retprobe is not possible on this kernel ($WHY_R)"
[ "$MODE" = freelist ] && [ "$FLPROBE" = return ] && [ "$RETARGS" = 0 ] &&
	die "-P return: this kernel's return probes do not fetch entry arguments (6.9+; tracefs README)"
# the freelist probe's definitions, most exact first, one a line: "DEFINITION|LABEL"
fl_defs() {
	ev=allocscope/freelist fn=get_page_from_freelist
	args=
	[ "$BTFARGS" = 1 ] && args="alloc_flags=alloc_flags:x32|alloc_flags by BTF name
alloc_flags=alloc_flags|alloc_flags by BTF name"
	args="$args
alloc_flags=\$arg3:x32|\$arg3 (no BTF check: unchecked)"
	case $(uname -m 2>/dev/null) in
	x86_64) reg='alloc_flags=%dx:x32|%dx (no BTF check: unchecked)' ;;
	aarch64) reg='alloc_flags=%x2:x32|%x2 (no BTF check: unchecked)' ;;
	*) reg= ;;
	esac
	[ "$PK" = p ] && [ -n "$reg" ] && args="$args
$reg"
	if [ "$FLPROBE" = return ]; then
		echo "$args" | while IFS='|' read -r a l; do
			case $a in ''|*%dx*|*%x2*) continue ;; esac
			if [ "$RK" = r ]; then echo "r1024:$ev $fn $a ret=\$retval:x64|kretprobe, $l"
			else echo "f:$ev $fn%return $a ret=\$retval:x64|fprobe return, $l"; fi
		done
	fi
	echo "$args" | while IFS='|' read -r a l; do
		[ -n "$a" ] && echo "$PK:$ev $fn $a|$( [ "$PK" = p ] && echo kprobe || echo fprobe ), $l"
	done
}

EVENTS="kmem/mm_page_alloc vmscan/mm_vmscan_direct_reclaim_begin vmscan/mm_vmscan_direct_reclaim_end
vmscan/mm_vmscan_wakeup_kswapd vmscan/mm_vmscan_kswapd_wake vmscan/mm_vmscan_kswapd_sleep
vmscan/mm_vmscan_lru_shrink_inactive vmscan/mm_vmscan_lru_shrink_active
vmscan/mm_vmscan_memcg_reclaim_begin vmscan/mm_vmscan_memcg_reclaim_end
vmscan/mm_vmscan_memcg_softlimit_reclaim_begin vmscan/mm_vmscan_memcg_softlimit_reclaim_end
compaction/mm_compaction_begin compaction/mm_compaction_end compaction/mm_compaction_try_to_compact_pages
compaction/mm_compaction_suitable compaction/mm_compaction_deferred compaction/mm_compaction_finished
oom/mark_victim sched/sched_switch"
PRESENT= MISSING=
for e in $EVENTS; do
	if [ -e "$T/events/$e/format" ]; then PRESENT="$PRESENT $e"; else MISSING="$MISSING $e"; fi
done
[ -n "$PRESENT" ] || die "none of the allocator tracepoints exist"

case $MODE in
graph) FUNCS="$ENTRY $GPFF$HELPERS${NOLOCK:+ $NOLOCK}" ;;
retprobe) FUNCS="$ENTRY $GPFF" ;;
freelist) FUNCS=get_page_from_freelist ;;
*) FUNCS= ;;
esac
[ -n "$BUF" ] || { [ "$MODE" = events ] && BUF=8192 || BUF=16384; }
# Readers: one per CPU when the merge can order their lines (awk, and a timestamp on every event line:
# function_graph prints one only with funcgraph-abstime); per_cpu/cpuN/trace_pipe exists since 2.6.30
READERS=per-cpu WHY_1=
if ! command -v awk >/dev/null 2>&1; then WHY_1="no awk to merge per-CPU files"
elif [ "$NCPU" -lt 2 ]; then WHY_1="one CPU"
elif [ "$MODE" = graph ] && [ ! -e "$T/options/funcgraph-abstime" ]; then WHY_1="no funcgraph-abstime"
else
	for c in $CPUS; do [ -e "$T/per_cpu/cpu$c/trace_pipe" ] || WHY_1="no per_cpu/cpu$c/trace_pipe"; done
fi
[ -z "$WHY_1" ] || READERS=single
NAME=allocscope
INST=$T/instances/$NAME

if [ "$DRY" = 1 ]; then
	echo "kernel       $REL"
	echo "tracefs      $T"
	echo "mode         $MODE (requested $REQ)"
	echo "graph        ${WHY_G:-possible}"
	echo "retprobe     ${WHY_R:-possible ($PROBEF)}"
	if [ -n "$WHY_F" ]; then echo "freelist     $WHY_F"
	elif [ "$FLBTF" = 1 ]; then echo "freelist     possible ($PROBEF), alloc_flags checked by BTF name"
	else echo "freelist     possible ($PROBEF), alloc_flags unchecked (no BTF probe arguments)"; fi
	[ "$MODE" = freelist ] && echo "fl probe     $(fl_defs | sed -n '1s/|.*//p') (the first the kernel accepts of $(fl_defs | wc -l))"
	echo "alloc entry  ${ENTRY:-not found} (from $FSRC)"
	echo "functions    ${FUNCS:-none (tracepoints only)}"
	echo "events      $PRESENT"
	echo "missing     $MISSING"
	echo "instance     $NAME"
	echo "buffer       $BUF KB per CPU x $NCPU CPUs"
	if [ "$READERS" = per-cpu ]; then
		echo "readers      one per CPU (per_cpu/cpuN/trace_pipe), merged by timestamp"
	else
		echo "readers      one (trace_pipe): $WHY_1"
	fi
	echo "output       ftrace text -> $OUT"
	exit 0
fi

if [ -e "$OUT" ] && [ "$FORCE" = 0 ]; then die "$OUT exists (use -f to overwrite)"; fi
: > "$OUT" 2>/dev/null || die "cannot write $OUT"
WORK=$OUT.allocscope.$$
mkdir "$WORK" || die "cannot create $WORK"

# ---- journal: every change is undone, newest first -------------------------------
J=$WORK/journal
: > "$J"
N=0
RPIDS=
MARKERS=
RECORDING=0
CPID=
RESTORED=0
STOP=0

set_file() { # FILE VALUE: save, then write
	N=$((N + 1))
	cat "$1" > "$WORK/u$N" 2>/dev/null || return 1
	echo "c $N $1" >> "$J"
	echo "$2" > "$1" 2>/dev/null
}
set_lines() { # FILE LINES...: a filter, saved as lines
	f=$1; shift
	N=$((N + 1))
	cat "$f" > "$WORK/u$N" 2>/dev/null || return 1
	echo "l $N $f" >> "$J"
	: > "$f" 2>/dev/null || return 1
	ok=0
	for l in "$@"; do echo "$l" >> "$f" 2>/dev/null && ok=1; done
	[ $ok = 1 ]
}
enable_ev() { # DIR SYSTEM/EVENT
	v=$(cat "$1/events/$2/enable" 2>/dev/null) || return 1
	case $v in 1*) return 0 ;; esac	# someone else's: leave it
	set_file "$1/events/$2/enable" 1
}

# reader ID: "all" = trace_pipe into FILE, a CPU number = per_cpu/cpuN/trace_pipe into WORK/cpuN;
# RPID_<ID> is its pid. Appends: a reader that died (a CPU that was offline when the instance was
# made has no buffer until it comes online: read gives ENODEV) is started again while recording.
start_reader() {
	if [ "$1" = all ]; then
		cat "$D/trace_pipe" >> "$OUT" 2>/dev/null &
	else
		cat "$D/per_cpu/cpu$1/trace_pipe" >> "$WORK/cpu$1" 2>/dev/null &
	fi
	eval "RPID_$1=\$!"
	# a reader started again while recording: the analyzer keeps its allocations out of the KPIs
	if [ "$RECORDING" = 1 ] && [ -n "$MARKERS" ]; then m "recorder-pid $!"; fi
}
check_readers() {
	for r in $RPIDS; do
		eval "p=\$RPID_$r"
		kill -0 "$p" 2>/dev/null || { [ "$RECORDING" = 1 ] && start_reader "$r"; }
	done
}
stop_readers() {
	for r in $RPIDS; do
		eval "p=\$RPID_$r"
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
}
restore() {
	[ "$RESTORED" = 1 ] && return
	RESTORED=1
	trap '' INT TERM HUP
	exec 3>&-
	stop_readers
	[ -n "$CPID" ] && kill -0 "$CPID" 2>/dev/null && { kill "$CPID" 2>/dev/null; wait "$CPID" 2>/dev/null; }
	fail=0
	# newest first
	sed -n '1!G;h;$p' "$J" 2>/dev/null | while read -r kind n path; do
		case $kind in
		c)	# files inside our instance vanish with it, except event enables
			case $path in "$INST"/events/*) ;; "$INST"/*) continue ;; esac
			v=$(cat "$WORK/u$n")
			case $v in *"(expanded: "*) v=${v#*expanded: }; v=${v%)*} ;; esac
			echo "$v" > "$path" 2>/dev/null || { echo "allocscope-record: cannot restore $path" >&2; }
			;;
		l)	: > "$path" 2>/dev/null
			grep -v '^#' "$WORK/u$n" | while read -r l; do
				[ -n "$l" ] && echo "$l" >> "$path"
			done ;;
		p)	echo "$n" >> "$PROBEF" 2>/dev/null ;;
		r)	i=0
			while [ -d "$path" ] && ! rmdir "$path" 2>/dev/null && [ $i -lt 20 ]; do
				sleep 1; i=$((i + 1))
			done
			[ -d "$path" ] && echo "allocscope-record: cannot remove $path" >&2 ;;
		esac
	done
}
# the per-CPU files outlive restore() until they are merged
trap 'restore; rm -rf "$WORK"' EXIT
trap 'STOP=1' INT TERM HUP

# merge_cpus CPU...: WORK/cpuN, each in time order, into one file in time order (stdout), as the
# kernel's trace_pipe merges its CPUs: the line with the lowest timestamp first, a tie to the lower CPU.
# An event line carries its timestamp: function_graph (funcgraph-abstime) "  1234.567890 |   1)  ...",
# else "  comm-pid  [001] d..1.  1234.567890: event: ...". Lines without one belong to the event line
# that follows them: "CPU:1 [LOST 12 EVENTS]", function_graph's context-switch banners
# (" ----", " 1)  sh-328  =>  cat-418 ", an empty line). awk keeps every file open: a file per CPU
# (at most 16 at once; more are merged in rounds).
MRG=0
merge_cpus() {
	if [ $# -gt 16 ]; then
		rest=
		while [ $# -gt 0 ]; do
			grp=
			k=0
			while [ $# -gt 0 ] && [ $k -lt 16 ]; do grp="$grp $1"; shift; k=$((k + 1)); done
			MRG=$((MRG + 1))
			# shellcheck disable=SC2086
			merge_cpus $grp > "$WORK/cpu-m$MRG" || return 1
			rest="$rest -m$MRG"
		done
		# shellcheck disable=SC2086
		merge_cpus $rest
		return
	fi
	AS_WORK=$WORK awk '
	function stamp(l,   s) {	# the timestamp of an event line, "" for any other line
		if (match(l, /^ *[0-9]+\.[0-9]+ +\|/))
			return substr(l, 1, RLENGTH) + 0
		if (match(l, /\][^:]* [0-9]+(\.[0-9]+)?: /)) {	# no fraction: a counter clock
			s = substr(l, RSTART, RLENGTH - 2)
			sub(/.* /, "", s)
			return s + 0
		}
		return ""
	}
	# the next event line of file i into line[i] and ts[i], p and the lines before it into
	# pre[i]; 0 at the end of the file (pre[i] then holds the lines after its last event)
	function fill(i, p,   l, t) {
		pre[i] = p
		while ((getline l < file[i]) > 0) {
			if ((t = stamp(l)) != "") { line[i] = l; ts[i] = t; return 1 }
			pre[i] = pre[i] l "\n"
		}
		close(file[i])
		return 0
	}
	BEGIN {
		n = ARGC - 1
		for (i = 1; i <= n; i++) { file[i] = ENVIRON["AS_WORK"] "/cpu" ARGV[i]; live[i] = fill(i, "") }
		for (;;) {
			b = c = 0	# the file whose next event comes first, and the one after it
			for (i = 1; i <= n; i++) {
				if (!live[i]) continue
				if (!b || ts[i] < ts[b]) { c = b; b = i }
				else if (!c || ts[i] < ts[c]) c = i
			}
			if (!b) break
			printf "%s%s\n", pre[b], line[b]
			# then the lines of b while they stay first, with as few operations per line as
			# possible: busybox awk spends thousands of instructions on each (under qemu TCG
			# this loop merged a 380,000-line function_graph capture 2.5 times faster than
			# one file selection per line; printing each line costs less than collecting them)
			lim = c ? ts[c] : 1e300
			tie = !c || b < c
			f = file[b]
			for (;;) {
				if ((getline l < f) <= 0) { live[b] = fill(b, ""); break }
				if (match(l, /^ *[0-9]+\.[0-9]+ +\|/)) t = substr(l, 1, RLENGTH) + 0
				else if ((t = stamp(l)) == "") { live[b] = fill(b, l "\n"); break }
				if (t >= lim && (t > lim || !tie)) { pre[b] = ""; line[b] = l; ts[b] = t; break }
				print l
			}
		}
		for (i = 1; i <= n; i++) printf "%s", pre[i]
	}' "$@"
}

# ---- setup ---------------------------------------------------------------------------
D=$T
if [ -d "$T/instances" ]; then
	mkdir "$INST" 2>/dev/null || { D=; die "$INST exists: another allocscope record is running (if not: rmdir $INST)"; }
	echo "r 0 $INST" >> "$J"
	D=$INST
fi
GTOP=0
if [ "$MODE" = graph ] && { ! has_word "$D/available_tracers" function_graph || [ ! -e "$D/set_graph_function" ]; }; then
	# function_graph in instances is newer than instances: use the top level. 6.12 lists function_graph
	# in an instance's available_tracers but creates set_graph_function at the top level only
	D=$T; GTOP=1
	[ "$(cat "$T/current_tracer")" = nop ] || die "the top-level tracer is in use ($(cat "$T/current_tracer"))"
fi
set_file "$D/tracing_on" 0 || die "cannot write $D/tracing_on"
set_file "$D/buffer_size_kb" "$BUF" || die "cannot set $D/buffer_size_kb"
# local, the default clock, is per CPU: a task that sleeps in the slow path and wakes on another
# CPU gets stamps out of order. boot (4.10+, Perfetto's and Android's), mono (4.1+) and global are
# monotonic across CPUs: the first offered, unless one is set already (option clock= says which)
CLK=$(sed -n 's/.*\[\(.*\)\].*/\1/p' "$D/trace_clock" 2>/dev/null)
case $CLK in boot|mono|global|"") ;; *)
	for c in boot mono global; do
		case " $(sed 's/[][]//g' "$D/trace_clock") " in *" $c "*)
			N=$((N + 1))
			echo "$CLK" > "$WORK/u$N"
			echo "c $N $D/trace_clock" >> "$J"
			echo "$c" > "$D/trace_clock" 2>/dev/null || die "cannot set $D/trace_clock to $c"
			break ;;
		esac
	done ;;
esac
: > "$D/trace" 2>/dev/null
[ -e "$D/options/record-tgid" ] && set_file "$D/options/record-tgid" 1

if [ "$MODE" = retprobe ]; then
	addp() { # DEFINITION EVENT
		echo "$1" >> "$PROBEF" 2>/dev/null || return 1
		echo "p -:allocscope/$2 x" >> "$J"
	}
	# $argN needs 4.20+ (x86-64, arm64, ...); before, the argument registers of the ABI
	case $(uname -m) in
	x86_64) REGS="gfp=%di:x32 order=%si:u32" ;;
	aarch64) REGS="gfp=%x0:x32 order=%x1:u32" ;;
	*) REGS= ;;
	esac
	addp "$PK:allocscope/alloc_entry $ENTRY gfp=\$arg1:x32 order=\$arg2:u32" alloc_entry ||
		{ [ "$PK" = p ] && [ -n "$REGS" ] && addp "p:allocscope/alloc_entry $ENTRY $REGS" alloc_entry; } ||
		die "cannot add a probe on $ENTRY to $PROBEF"
	# a kretprobe holds one instance per call in flight (default max(10, 2 x CPUs)): tasks asleep in
	# reclaim use them up and later returns are missed; rN: (4.12+) asks for N, as Perfetto does
	addr() { # EVENT FUNCTION
		{ [ "$RK" = r ] && addp "r1024:allocscope/$1 $2 ret=\$retval:x64" "$1"; } ||
			addp "$RK:allocscope/$1 $2$RS ret=\$retval:x64" "$1"
	}
	addr alloc_ret "$ENTRY" || die "cannot add a return probe on $ENTRY"
	addr gpff_ret "$GPFF" || die "cannot add a return probe on $GPFF"
	for e in alloc_entry alloc_ret gpff_ret; do
		enable_ev "$D" "allocscope/$e" || die "cannot enable allocscope/$e"
	done
	# optional (nolock=NAME traced=no without them): the analyzer then knows its gpfl returns by their caller
	if [ -n "$NOLOCK" ] && addp "$PK:allocscope/nolock_entry $NOLOCK" nolock_entry && addr nolock_ret "$NOLOCK" &&
		enable_ev "$D" allocscope/nolock_entry && enable_ev "$D" allocscope/nolock_ret; then
		NOLOCKT=probes
	fi
fi
FLDEF= FLLABEL=
if [ "$MODE" = freelist ]; then
	# the first definition the kernel accepts (a return probe refused leaves the entry probe)
	fl_defs > "$WORK/fldefs"
	while IFS='|' read -r d l; do
		if echo "$d" >> "$PROBEF" 2>/dev/null; then
			echo "p -:allocscope/freelist x" >> "$J"
			FLDEF=$d FLLABEL=$l
			break
		fi
	done < "$WORK/fldefs"
	[ -n "$FLDEF" ] || die "the kernel took none of the freelist probe's definitions ($(head -1 "$WORK/fldefs" | sed 's/|.*//') ...)"
	enable_ev "$D" allocscope/freelist || die "cannot enable allocscope/freelist"
fi
# optional: recorded without it when it cannot be added (bulk_probe=-)
BULKP=-
if [ -n "$BULK" ] && [ -e "$T/kprobe_events" ] &&
	echo "r:allocscope/bulk_ret $BULK ret=\$retval:u32" >> "$T/kprobe_events" 2>/dev/null; then
	echo "p -:allocscope/bulk_ret x" >> "$J"
	enable_ev "$D" allocscope/bulk_ret && BULKP=$BULK
fi
for e in $PRESENT; do enable_ev "$D" "$e" || die "cannot enable $e"; done
if [ "$MODE" = graph ]; then
	# shellcheck disable=SC2086
	set_lines "$D/set_ftrace_filter" $FUNCS || die "set_ftrace_filter accepted none of: $FUNCS"
	# shellcheck disable=SC2086  # the nolock allocation is a graph root of its own
	set_lines "$D/set_graph_function" "$ENTRY" $NOLOCK || die "cannot set set_graph_function"
	[ -n "$NOLOCK" ] && NOLOCKT=graph
	[ -e "$D/max_graph_depth" ] && set_file "$D/max_graph_depth" 12
	for o in funcgraph-abstime funcgraph-proc funcgraph-cpu funcgraph-retval; do
		[ -e "$D/options/$o" ] && set_file "$D/options/$o" 1
	done
	set_file "$D/current_tracer" function_graph || die "cannot set function_graph"
fi

# ---- record ----------------------------------------------------------------------------
# the buffer recorded may lack what the top level has (an instance without funcgraph-abstime)
if [ "$READERS" = per-cpu ] && [ "$MODE" = graph ] && [ "$(cat "$D/options/funcgraph-abstime" 2>/dev/null)" != 1 ]; then
	READERS=single
fi
if [ "$READERS" = per-cpu ]; then RPIDS=$CPUS; else RPIDS=all; fi
RECORDING=1
for r in $RPIDS; do start_reader "$r"; done
echo 1 > "$D/tracing_on" || die "cannot turn tracing on"
exec 3> "$D/trace_marker" || die "cannot open $D/trace_marker"
m() { echo "allocscope: $*" >&3 2>/dev/null; }

KR=3	# the trace_marker's descriptor while a snapshot is taken
snapshot() { # the facts, one marker line each (to stdout: the caller sends them)
	m "clk_tck $(getconf CLK_TCK 2>/dev/null || echo 100)"
	for p in /proc/[0-9]*; do
		read -r c 2>/dev/null < "$p/comm" || continue
		case $c in kswapd*)
			read -r s 2>/dev/null < "$p/stat" || continue
			pid=${s%% *}; s=${s##*) }
			# shellcheck disable=SC2086
			set -- $s
			m "kswapd $pid $c ${12} ${13}"
			# schedstat (CONFIG_SCHED_INFO): the run time in ns that stat rounds to ticks
			read -r s 2>/dev/null < "$p/schedstat" && m "kswapd-sched $pid $c ${s%% *}"
			# when kswapd was read, straight into the trace (the after-snapshot's lines are held
			# until after "end"): the analyzer compares like with like from here
			echo "allocscope: kswapd-read" >&"$KR" 2>/dev/null ;;
		esac
	done
	while read -r k v; do m "vmstat $k $v"; done < /proc/vmstat
	while read -r k v rest; do m "meminfo ${k%:} $v"; done < /proc/meminfo
	node= zone= wmin= wlow= whigh=
	while read -r a b c d; do
		case $a in
		Node) node=${b%,}; zone=$d; wmin= wlow= whigh= ;;
		min) [ -z "$wmin" ] && wmin=$b ;;
		low) [ -z "$wlow" ] && wlow=$b ;;
		high) if [ -z "$whigh" ]; then whigh=$b; m "watermark $node $zone $wmin $wlow $whigh"; fi ;;
		esac
	done < /proc/zoneinfo
}

# this shell and its readers: their allocations count in the kernel's vmstat, not in the KPIs
MARKERS=1
m "recorder-pid $$"
for r in $RPIDS; do eval "m \"recorder-pid \$RPID_$r\""; done
m begin
m "uname $REL"
# the unit of pgalloc and every page count: 4, 16 or 64 KB on arm64
PGSZ=$(getconf PAGESIZE 2>/dev/null || getconf PAGE_SIZE 2>/dev/null)
if ! isnum "$PGSZ"; then	# busybox has no getconf: the kernel's page size of sed's own mappings
	PGSZ=$(sed -n '/^KernelPageSize:/{s/^KernelPageSize: *\([0-9]*\) kB$/\1/p;q;}' /proc/self/smaps 2>/dev/null)
	isnum "$PGSZ" && PGSZ=$((PGSZ * 1024))
fi
isnum "$PGSZ" && m "page_size $PGSZ"
m "mode $MODE"
m "funcs ${FUNCS:--}"
m "option format=text"
m "option requested_mode=$REQ"
[ "$GTOP" = 1 ] && m "option instance=-" || m "option instance=$NAME"
m "option buffer_kb=$BUF"
m "option nr_cpus=$NCPU"
m "option clock=$(sed -n 's/.*\[\(.*\)\].*/\1/p' "$D/trace_clock")"
m "option recorder=allocscope-record.sh"
m "option readers=$READERS"
m "option bulk_probe=$BULKP"
if [ "$MODE" = freelist ]; then
	m "option freelist_probe=$FLLABEL"
	m "option freelist_def=$FLDEF"
fi
[ -n "$NOLOCK" ] && m "option nolock=$NOLOCK traced=${NOLOCKT:-no}"
for e in $PRESENT; do m "option event=${e%%/*}:${e#*/}"; done
for e in $MISSING; do m "option event=${e%%/*}:${e#*/},missing"; done
[ -n "$DUR" ] && m "option duration_s=$DUR"
[ $# -gt 0 ] && m "option command=$1"
snapshot

tick() { check_readers; sleep 0.2 2>/dev/null || sleep 1; }
START=$(date +%s)
if [ $# -gt 0 ]; then
	"$@" &
	CPID=$!
	while [ "$STOP" = 0 ] && kill -0 "$CPID" 2>/dev/null; do tick; done
	if [ "$STOP" = 0 ]; then wait "$CPID"; CRC=$?; else kill "$CPID" 2>/dev/null; wait "$CPID"; CRC=$?; fi
	CPID=
	[ "$CRC" = 0 ] || echo "allocscope-record: warning: $1 exited with status $CRC" >&2
elif [ -n "$DUR" ]; then
	END=$((START + DUR))
	while [ "$STOP" = 0 ] && [ "$(date +%s)" -lt "$END" ]; do tick; done
else
	echo "allocscope-record: recording into $OUT; Ctrl-C or kill -TERM $$ to stop" >&2
	while [ "$STOP" = 0 ]; do tick; done
fi

# "end" goes after the after-snapshot was read: the window holds the counter window; "snapshot-after" just
# before the read bounds what may count in the window only
m snapshot-after
exec 4>&3 3> "$WORK/after"
KR=4
snapshot
KR=3
exec 3>&4 4>&-
m end
while IFS= read -r l; do echo "$l" >&3; done < "$WORK/after"
LOST=0
for c in "$T"/per_cpu/cpu[0-9]*; do
	cpu=${c##*cpu}
	o=$(sed -n 's/^overrun: //p' "$D/per_cpu/cpu$cpu/stats")
	dr=$(sed -n 's/^dropped events: //p' "$D/per_cpu/cpu$cpu/stats")
	m "cpustat $cpu overrun=${o:-0} dropped=${dr:-0}"
	LOST=$((LOST + ${o:-0} + ${dr:-0}))
done
# kprobe_profile: the probes' hits and misses (a kretprobe out of instances, a kprobe hit inside another)
if [ "$MODE" = retprobe ] || [ "$MODE" = freelist ]; then
	while read -r name hits miss; do
		case $name in allocscope/*) m "kprobe ${name#allocscope/} hits=$hits missed=$miss" ;; esac
	done < "$T/kprobe_profile" 2>/dev/null
fi
echo 0 > "$D/tracing_on"
RECORDING=0
# Let the readers drain what is left: every CPU's buffer empty and the files no longer growing. A fixed
# "sleep 1" here cut traces whose reader lagged (seen under qemu TCG: a function_graph capture of 15 s
# lost its tail, mid-line, with the end marker and the after-snapshot). At most 120 s.
last=-1
i=0
while [ $i -lt 600 ]; do
	left=0
	for c in "$D"/per_cpu/cpu[0-9]*; do
		e=$(sed -n 's/^entries: //p' "$c/stats" 2>/dev/null)
		left=$((left + ${e:-0}))
	done
	sz=$(ls -ln "$OUT" "$WORK"/cpu[0-9]* 2>/dev/null)
	[ "$left" = 0 ] && [ "$sz" = "$last" ] && break
	last=$sz
	i=$((i + 1))
	tick
done
[ "$left" = 0 ] || echo "allocscope-record: warning: $left events still unread after 120 s; the trace is cut" >&2
restore
REC_S=$(( $(date +%s) - START ))
KEEP=0
if [ "$READERS" = per-cpu ]; then
	M0=$(date +%s)
	# shellcheck disable=SC2086
	if merge_cpus $CPUS > "$OUT"; then
		echo "allocscope-record: merged $NCPU per-CPU files in $(( $(date +%s) - M0 )) s" >&2
	else
		KEEP=1
		echo "allocscope-record: merging the per-CPU files failed; they stay in $WORK (cpu0 ...)" >&2
	fi
fi
[ "$KEEP" = 1 ] || rm -rf "$WORK"
trap - EXIT
echo "allocscope-record: recorded $REC_S s in mode $MODE: $(wc -l < "$OUT") lines in $OUT" >&2
[ "$LOST" -gt 0 ] && echo "allocscope-record: warning: $LOST events lost; enlarge the buffer (-b, now $BUF KB per CPU)" >&2
if command -v getprop >/dev/null 2>&1; then
	echo "allocscope-record: pull it with: adb pull $OUT" >&2
else
	echo "allocscope-record: copy it with: scp $(hostname 2>/dev/null || echo HOST):$OUT ." >&2
fi
[ "$KEEP" = 0 ] || exit 1
exit 0
