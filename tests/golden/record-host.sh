#!/usr/bin/env bash
# allocscope record on this machine's own kernel (tracepoints only, -m events):
# a few seconds of a memory workload into the allocscope instance, then
# analyze; the tracefs state is snapshotted before and compared after every
# run: a normal end, a traced command that fails, SIGINT and SIGTERM in the
# middle, a second concurrent record (refused), and a trace.dat that
# trace-cmd report reads with the same event count as ours.  Needs root and a
# writable tracefs: without them, exit 77 (a skip that says why).
set -u
cd "$(dirname "$0")/../.."
BIN=${BIN:-build/allocscope}
BUILD=${BUILD:-build}
T=$BUILD/record-host
status=0
bad() { echo "record-host: $*" >&2; status=1; }

TR=$(awk '$3 == "tracefs" { print $2; exit }' /proc/mounts)
if [ "$(id -u)" != 0 ] || [ -z "$TR" ] || [ ! -w "$TR/trace_marker" ]; then
	echo "skip: record-host.sh needs root and a mounted, writable tracefs" >&2
	exit 77
fi
# one record-host.sh at a time on this machine (worktrees, parallel make test): the tracefs state is shared
exec 9>/tmp/allocscope-record-host.lock
flock 9
if [ -e "$TR/instances/allocscope" ]; then
	echo "skip: record-host.sh: $TR/instances/allocscope exists (another record running?)" >&2
	exit 77
fi
rm -rf "$T"; mkdir -p "$T"

# the state a record may touch: tracer, options, events, filters, probes, instances, buffer
state() {
	local f
	for f in current_tracer tracing_on set_event set_ftrace_filter set_graph_function \
		 set_ftrace_pid set_event_pid max_graph_depth buffer_size_kb buffer_percent kprobe_events \
		 dynamic_events trace_clock; do
		[ -r "$TR/$f" ] && { echo "== $f"; cat "$TR/$f" 2>/dev/null; }
	done
	echo "== options"; cat "$TR"/options/* 2>/dev/null | tr '\n' ' '; echo
	echo "== instances"; ls "$TR/instances"
	echo "== enabled events"; grep -l 1 "$TR"/events/*/enable 2>/dev/null
	echo "== filters"; grep -L '^none$' "$TR"/events/*/*/filter 2>/dev/null | head
}
state > "$T/before"
same() {	# same NAME: the state equals the one before the first run
	state > "$T/after-$1"
	diff -u "$T/before" "$T/after-$1" > "$T/diff-$1" || bad "$1: tracefs not restored: $(head -c 600 "$T/diff-$1")"
}

work=(dd if=/dev/zero of=/dev/null bs=64M count=8 status=none)

# 1. a normal run: record while the workload runs, then analyze it
"$BIN" record -q -m events -o "$T/run.dat" -- "${work[@]}" 2>"$T/run.err" || bad "record exit $?: $(cat "$T/run.err")"
same normal
"$BIN" analyze --json "$T/run.dat" > "$T/run.json" 2>"$T/analyze.err" || bad "analyze exit $?: $(cat "$T/analyze.err")"
python3 - "$T/run.json" <<'PY' || bad "analyze of the recording: $(cat "$T/py.err" 2>/dev/null)"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["capture"]["mode"] == "events", d["capture"]["mode"]
assert d["kpi"]["allocations"] > 0, "no allocations"
assert d["capture"]["window_ns"] > 0, "no window"
names = {g["name"] for g in d.get("groundtruth", [])}
assert {"allocstall", "pgalloc"} <= names, "no ground truth from the in-trace snapshots: %s" % names
# the recorder names its own pid: its allocations are told apart by that marker, not by comm
r = d["recorder"]
assert r["rule"] in (None, "allocscope: recorder-pid markers"), r
PY
grep -q "allocscope: recorder-pid [0-9]" <("$BIN" events "$T/run.dat" 2>/dev/null) ||
	bad "no 'allocscope: recorder-pid' marker in the recording"
# trace-cmd reads our trace.dat, with as many events as our reader
if command -v trace-cmd >/dev/null; then
	n_tc=$(trace-cmd report "$T/run.dat" 2>/dev/null | grep -c ': [a-z_]*: ')
	n_as=$("$BIN" info --json "$T/run.dat" | python3 -c 'import json,sys; print(json.load(sys.stdin)["events_total"])')
	[ "$n_tc" -gt 0 ] && [ "$n_tc" = "$n_as" ] || bad "trace-cmd report: $n_tc events, allocscope info: $n_as"
fi

# 2. the traced command fails: recorded, warned, restored
"$BIN" record -q -m events -o "$T/fail.dat" -- sh -c 'exit 3' 2>"$T/fail.err"
rc=$?; [ $rc = 0 ] || bad "failing command: exit $rc"
same failing-command

# 3. SIGINT and SIGTERM in the middle of a recording
for sig in INT TERM; do
	"$BIN" record -q -m events -o "$T/sig-$sig.dat" -d 30 2>"$T/sig-$sig.err" &
	pid=$!
	for _ in $(seq 50); do [ -e "$TR/instances/allocscope" ] && break; sleep 0.1; done
	sleep 1
	# a second record while this one runs: refused, and it must not disturb the first
	if [ $sig = INT ]; then
		"$BIN" record -q -m events -o "$T/second.dat" -d 1 2>"$T/second.err"
		rc=$?; [ $rc != 0 ] && grep -q "allocscope" "$T/second.err" || bad "second record: exit $rc: $(cat "$T/second.err")"
		[ ! -e "$T/second.dat" ] || bad "the refused second record wrote a file"
	fi
	kill -s $sig $pid
	wait $pid; rc=$?
	[ $rc -le 1 ] || [ $rc = 130 ] || [ $rc = 143 ] || bad "SIG$sig: exit $rc: $(cat "$T/sig-$sig.err")"
	same sig$sig
	[ -s "$T/sig-$sig.dat" ] && "$BIN" info "$T/sig-$sig.dat" >/dev/null 2>&1 || bad "SIG$sig: no readable trace.dat"
done

[ $status = 0 ] && echo "record-host: ok (normal, failing command, SIGINT, SIGTERM, second record refused; tracefs identical after each; trace-cmd report agrees)"
exit $status
