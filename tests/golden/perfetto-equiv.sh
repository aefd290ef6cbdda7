#!/usr/bin/env bash
# Perfetto reader against the trace.dat reader on the same real captures (issue 20).
#
# tests/perfetto/encode.py writes each trace.dat fixture below as traced_probes
# would (from `trace-cmd report -R`, not from allocscope): compact sched_switch,
# typed events, self-describing events with their descriptors (or, for one
# fixture, GenericFtraceEvent as before Perfetto v50), interned kernel symbols
# for function_graph, compressed packets, ftrace_stats.  `analyze --json` of the
# Perfetto file must equal the trace.dat's in every key but those the encoding
# cannot carry, each named here with its reason:
#   trace.format/path/size/xxh64  another file
#   by_gfp                        Perfetto keeps gfp flags as numbers; the class is read
#                                 from the kernel's symbolic rendering, which it does not
#                                 carry (trace.dat has the print format that renders it)
#   capture.page_size(_source)    a trace.dat without a page_size marker gives the page size by
#                                 its ring-buffer page, which a Perfetto trace does not carry
#   groundtruth_source            the fixture's vmstat snapshot files are given to analyze
#                                 for the trace.dat, and written into the Perfetto trace as
#                                 sys_stats packets (analyzed without the files): same
#                                 numbers, another source (6.1.192-anon-graph-tcmd: its own
#                                 markers carry snapshots, which the files override)
#   capture.mode_forced           6.12.117-jank-retprobe: a retprobe capture; Perfetto carries its
#                                 kprobe events without the symbols their __probe_ip/__probe_func
#                                 addresses need (Perfetto records no kallsyms for them), so the
#                                 Perfetto file analyzes as events mode: the trace.dat is analyzed
#                                 with -m events to compare the same mode
# and `stalls --frames --json` (frames from the atrace slices in print events, the stalls inside
# them) must be equal too, but for the trace's path and format.
# Exit 77 (skip) when protoc, python3-protobuf or trace-cmd is missing.
set -u
BIN=${BIN:-build/allocscope}
BUILD=${BUILD:-build}
PY=/usr/bin/python3
for t in protoc trace-cmd; do
	command -v $t >/dev/null || { echo "perfetto-equiv: $t missing (make deps)" >&2; exit 77; }
done
$PY -c 'import google.protobuf' 2>/dev/null || { echo "perfetto-equiv: python3-protobuf missing (make deps)" >&2; exit 77; }
out=$BUILD/perfetto
mkdir -p "$out"
status=0

# FIXTURE [encoder options] [-- analyze options for the trace.dat]
fixtures=(
	"6.12-thp-tcev"
	"sample-6.12-anon-graph"
	"6.1.192-anon-graph-tcmd --old-generic --group 0"
	"6.18.44-memcg-events --bundle 500 --period-ms 20"
	"6.12.117-jank-retprobe --bundle 1000 -- -m events"
)
for spec in "${fixtures[@]}"; do
	set -- ${spec%% -- *}
	f=$1; shift
	datopt=()
	[ "$spec" != "${spec#* -- }" ] && read -ra datopt <<<"${spec#* -- }"
	dat=tests/data/$f.dat
	[ -f "$dat" ] || { echo "perfetto-equiv: $dat missing" >&2; status=1; continue; }
	pf=$out/$f.pftrace
	vm=()
	[ -f tests/data/$f.vmstat.before ] && vm=(--vmstat-before tests/data/$f.vmstat.before
						  --vmstat-after tests/data/$f.vmstat.after)
	# the snapshots go into the Perfetto trace as sys_stats packets: analyzed without the files
	if ! $PY tests/perfetto/encode.py "$@" "${vm[@]}" "$dat" "$pf"; then
		echo "perfetto-equiv: encoding $dat failed" >&2; status=1; continue
	fi
	"$BIN" analyze --json "${datopt[@]}" "${vm[@]}" "$dat" > "$out/$f.dat.json" || { status=1; continue; }
	"$BIN" analyze --json "$pf" > "$out/$f.pf.json" || { status=1; continue; }
	"$BIN" stalls --frames --json --top 1000 "${datopt[@]}" "$dat" > "$out/$f.dat.frames.json" || { status=1; continue; }
	"$BIN" stalls --frames --json --top 1000 "$pf" > "$out/$f.pf.frames.json" || { status=1; continue; }
	if ! $PY - "$out/$f.dat.json" "$out/$f.pf.json" "$f" "$out/$f.dat.frames.json" "$out/$f.pf.frames.json" <<'EOF'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
fa, fb = (json.load(open(p)) for p in sys.argv[4:6])
skip = {'[frames].trace', '.trace.format', '.trace.path', '.trace.size', '.trace.xxh64', '.by_gfp',
        '.groundtruth_source', '.capture.page_size', '.capture.page_size_source',
        '.capture.mode_forced'}
diffs, same = [], 0
def walk(x, y, p):
    global same
    if p in skip:
        return
    if isinstance(x, dict) and isinstance(y, dict):
        for k in sorted(set(x) | set(y)):
            if k not in x or k not in y:
                diffs.append('%s.%s only in %s' % (p, k, 'trace.dat' if k in x else 'perfetto'))
            else:
                walk(x[k], y[k], p + '.' + k)
    elif isinstance(x, list) and isinstance(y, list):
        if len(x) != len(y):
            diffs.append('%s: %d vs %d entries' % (p, len(x), len(y)))
        for i, (u, v) in enumerate(zip(x, y)):
            walk(u, v, '%s[%d]' % (p, i))
    elif x != y:
        diffs.append('%s: trace.dat %r, perfetto %r' % (p, x, y))
    else:
        same += 1
walk(a, b, '')
# stalls --frames: every key but the file's own
walk(fa, fb, '[frames]')
k = a.get('kpi', {})
fr = fa.get('frames', {})
print('perfetto-equiv: %s: %d values equal (allocations %s, slow paths %s; frames %s, late %s, '
      'with stalls %s), %d differ' %
      (sys.argv[3], same, k.get('allocations'), k.get('slow_path_entries', k.get('slow_paths')),
       fr.get('frames'), fr.get('late'), fr.get('late_stalled'), len(diffs)))
for d in diffs[:20]:
    print('  ' + d, file=sys.stderr)
sys.exit(1 if diffs else 0)
EOF
	then status=1; fi
done

# The frame timeline on a real-kernel capture: 6.12.117-jank-retprobe with its atrace frames also
# written as SurfaceFlinger's frame timeline would (encode.py --frame-timeline: each doFrame N with its
# DrawFrames N as one actual surface frame of the app, written after it ended, on its own sequence).
# stalls --frames must give the timeline frames the atrace frames' start, duration and vsync id, the
# late ones late, and as each one's stall time the union of the stalls `stalls --json -M 0` lists for
# threads of the app's process inside it (counted here apart from the frames code: its history of
# stalls and the frames that wait for stalls still open at their end).
f=6.12.117-jank-retprobe
if [ -f tests/data/$f.dat ]; then
	pf=$out/$f-timeline.pftrace
	if ! $PY tests/perfetto/encode.py --frame-timeline --bundle 1000 tests/data/$f.dat "$pf"; then
		echo "perfetto-equiv: encoding $f with a frame timeline failed" >&2; status=1
	elif ! "$BIN" stalls --frames --json --top 1000 "$pf" > "$out/$f-timeline.frames.json" ||
	     ! "$BIN" stalls --json -M 0 --top 100000 "$pf" > "$out/$f-timeline.stalls.json"; then
		status=1
	elif ! $PY - "$out/$f-timeline.frames.json" "$out/$f-timeline.stalls.json" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))['frames']
stalls = json.load(open(sys.argv[2]))['stalls']
bad = []
tl = [x for x in j['late_frames'] if x.get('source') == 'timeline']
at = [x for x in j['late_frames'] if x.get('source') is None]
t = j.get('timeline', {})
if (t.get('frames'), t.get('late')) != (j['frames'], j['late']) or len(tl) != len(at):
    bad.append('timeline frames %s, late %s, listed %d; atrace frames %s, late %s, listed %d' %
               (t.get('frames'), t.get('late'), len(tl), j['frames'], j['late'], len(at)))
for a, b in zip(tl, at):
    if (a['start_ns'], a['dur_ns'], a['vsync']) != (b['start_ns'], b['dur_ns'], b['vsync']):
        bad.append('timeline frame %s: start %s dur %s; atrace %s %s' % (a['vsync'], a['start_ns'],
                   a['dur_ns'], b['start_ns'], b['dur_ns']))
    iv = sorted((max(s['start_ns'], a['start_ns']), min(s['end_ns'], a['end_ns'])) for s in stalls
                if (s['tgid'] == a['tgid'] or s['pid'] == a['tgid']) and s['end_ns'] > a['start_ns']
                and s['start_ns'] < a['end_ns'])
    tot, cs, ce = 0, None, None
    for s0, e0 in iv:
        if ce is None or s0 > ce:
            tot += (ce - cs) if ce is not None else 0
            cs, ce = s0, e0
        else:
            ce = max(ce, e0)
    tot += (ce - cs) if ce is not None else 0
    if a['stall_ns'] != tot or a['stalls_total'] != len(iv):
        bad.append('timeline frame %s: stall %s ns in %s stalls; the stall list gives %d ns in %d' %
                   (a['vsync'], a['stall_ns'], a['stalls_total'], tot, len(iv)))
for b in bad:
    print('  ' + b, file=sys.stderr)
print("perfetto-equiv: 6.12.117-jank-retprobe frame timeline: %d frames, %d late, %d with stalls "
      "(%.3f ms in the late ones): the atrace frames' times, the stall list's union%s" %
      (t.get('frames', 0), t.get('late', 0), t.get('late_stalled', 0), t.get('late_stall_ns', 0) / 1e6,
       '' if not bad else ': %d differ' % len(bad)))
sys.exit(1 if bad else 0)
EOF
	then status=1; fi
fi

# The same trace as users bring it: gzip-wrapped, and inside a bugreport zip (deflated, and stored
# as proto/perfetto-trace.gz): the same analysis, and info names the entry read.
strip_file() {	# analyze --json without the file's own path, size and hash
	$PY -c 'import json, sys; d = json.load(sys.stdin)
for k in ("path", "size", "xxh64"): d["trace"].pop(k, None)
print(json.dumps(d, sort_keys=True))'
}
pf=$out/6.12-thp-tcev.pftrace
if [ -f "$pf" ]; then
	gzip -c "$pf" > "$out/wrapped.pftrace.gz"
	$PY -c '
import sys, zipfile
pf, out = sys.argv[1:3]
gz = open(out + "/wrapped.pftrace.gz", "rb").read()
with zipfile.ZipFile(out + "/bugreport-deflated.zip", "w") as z:
    z.writestr("bugreport-x.txt", "dumpstate\n" * 100, compress_type=zipfile.ZIP_DEFLATED)
    z.write(pf, "FS/data/misc/perfetto-traces/bugreport/systrace.pftrace", compress_type=zipfile.ZIP_DEFLATED)
with zipfile.ZipFile(out + "/bugreport-stored.zip", "w") as z:
    z.writestr("main_entry.txt", "bugreport-x.txt", compress_type=zipfile.ZIP_STORED)
    z.writestr("proto/perfetto-trace.gz", gz, compress_type=zipfile.ZIP_STORED)
' "$pf" "$out"
	"$BIN" analyze --json "$pf" | strip_file > "$out/plain.json"
	for w in "wrapped.pftrace.gz:gzip" \
		 "bugreport-deflated.zip:zip entry FS/data/misc/perfetto-traces/bugreport/systrace.pftrace" \
		 "bugreport-stored.zip:zip entry proto/perfetto-trace.gz"; do
		f=${w%%:*} want=${w#*:}
		got=$("$BIN" info --json "$out/$f" | sed -n 's/.*"container":"\([^"]*\)".*/\1/p')
		if [ "$got" != "$want" ]; then
			echo "perfetto-equiv: $f: info names '$got', expected '$want'" >&2; status=1
		elif ! "$BIN" analyze --json "$out/$f" | strip_file | cmp -s - "$out/plain.json"; then
			echo "perfetto-equiv: $f: analyze --json differs from the plain trace's" >&2; status=1
		else
			echo "perfetto-equiv: $f: read from $got, the same analysis"
		fi
	done
fi
exit $status
