#!/usr/bin/env bash
# Perfetto's own test inputs (tests/perfetto/upstream/, text protos copied from
# Perfetto's trace_processor diff tests), encoded with protoc and our schema
# subset, read by allocscope; compared with what Perfetto's tests expect where
# the two overlap (the expected rows are quoted from those tests below).
# Exit 77 (skip) when protoc is missing.
set -u
BIN=${BIN:-build/allocscope}
BUILD=${BUILD:-build}
command -v protoc >/dev/null || { echo "perfetto-upstream: protoc missing (make deps)" >&2; exit 77; }
out=$BUILD/perfetto/upstream
mkdir -p "$out"
status=0
for t in tests/perfetto/upstream/*.textproto; do
	n=${t##*/}; n=${n%.textproto}
	if ! protoc --proto_path=tests/perfetto --encode=perfetto.protos.Trace trace-subset.proto \
		< "$t" > "$out/$n.pftrace"; then
		echo "perfetto-upstream: protoc cannot encode $t" >&2; status=1; continue
	fi
	if ! "$BIN" events -a "$out/$n.pftrace" > "$out/$n.events"; then
		echo "perfetto-upstream: allocscope cannot read $n" >&2; status=1
	fi
done
"$BIN" stalls --frames --json "$out/frame_timeline_events.pftrace" > "$out/frame_timeline_events.frames.json" ||
	{ echo "perfetto-upstream: stalls --frames cannot read frame_timeline_events" >&2; status=1; }
[ $status -eq 0 ] || exit $status

python3 - "$out" <<'EOF'
import sys
out = sys.argv[1]

def events(n):
    rows = []
    for line in open('%s/%s.events' % (out, n)):
        p = line.split(' ', 6)
        sec, ns = p[0].split('.')
        f = dict(x.split('=', 1) for x in p[6].split() if '=' in x) if len(p) > 6 else {}
        if p[5] == 'print':
            f['text'] = p[6].split('text=', 1)[1].rstrip('\n')
        rows.append(dict(ts=int(sec) * 10**9 + int(ns), cpu=int(p[1]), pid=int(p[2]), kind=p[4],
                         name=p[5], **f))
    return rows

bad = 0
def check(test, cond, what):
    global bad
    print('perfetto-upstream: %s: %s: %s' % (test, what, 'ok' if cond else 'MISMATCH'))
    bad += not cond

# kprobes_tests.py test_kprobes_slice: "ts","slice_dur","slice_name" = 1500,1200,"fuse_file_write_iter"
e = events('kprobes_slice')
b = [x for x in e if x['kind'] == 'kprobe']
r = [x for x in e if x['kind'] == 'kretprobe']
check('kprobes_slice', len(b) == 1 and len(r) == 1 and b[0]['ts'] == 1500 and
      r[0]['ts'] - b[0]['ts'] == 1200 and b[0]['func'] == r[0]['func'] == 'fuse_file_write_iter',
      'one slice at 1500 of 1200 ns named fuse_file_write_iter')
# test_kprobes_instant: 1500,0,"fuse_file_write_iter"
e = events('kprobes_instant')
check('kprobes_instant', len(e) == 1 and e[0]['kind'] == 'kprobe' and e[0]['ts'] == 1500 and
      e[0]['func'] == 'fuse_file_write_iter', 'one instant at 1500 named fuse_file_write_iter')
# parsing/tests.py test_funcgraph_trace_funcgraph: "ts","dur","tid","name","depth" =
#   679375600673065,3797,385482,"__handle_mm_fault",0 / 679375600673769,1726,385482,"alloc_pages_vma",1
e = events('funcgraph_trace')
stack, slices = [], []
for x in e:
    if x['kind'] == 'func_entry':
        stack.append(x)
    elif x['kind'] == 'func_exit' and stack:
        s = stack.pop()
        slices.append((s['ts'], x['ts'] - s['ts'], s['pid'], s['func'], int(s['depth'])))
check('funcgraph_trace', sorted(slices) == [(679375600673065, 3797, 385482, '__handle_mm_fault', 0),
                                             (679375600673769, 1726, 385482, 'alloc_pages_vma', 1)],
      'slices (ts, dur, tid, name, depth) as Perfetto expects')
# ftrace_crop_tests.py test_crop_atrace_slice, its raw table: 1500 "B|42|FilteredOut",
#   2200 "B|42|Kept", 2700 "E|42" (allocscope crops nothing: every print, in time order)
e = events('crop_atrace_slice')
check('crop_atrace_slice', [(x['ts'], x['text']) for x in e] ==
      [(1500, 'B|42|FilteredOut'), (2200, 'B|42|Kept'), (2700, 'E|42')], 'the prints in time order')
# test_crop_compact_sched_switch: "cpu","ts","dur","tid","name" = 3,1200,-1,51,"one:3" /
#   6,1100,100,42,"two:6" / 6,1200,-1,43,"three:6" (Perfetto crops switches before the largest
#   previous_bundle_end_timestamp, 1000; allocscope keeps them: the expected rows are a subset)
e = events('crop_compact_sched_switch')
sw = [(x['cpu'], x['ts'], int(x['next_pid']), x['next_comm']) for x in e if x['kind'] == 'sched_switch']
want = [(3, 1200, 51, 'one:3'), (6, 1100, 42, 'two:6'), (6, 1200, 43, 'three:6')]
nxt = {(c, t): min([u for (cc, u, _, _) in sw if cc == c and u > t], default=None) for (c, t, _, _) in sw}
check('crop_compact_sched_switch', all(w in sw for w in want) and nxt[(6, 1100)] - 1100 == 100 and
      nxt[(3, 1200)] is None and nxt[(6, 1200)] is None,
      'switches in (cpu, ts, tid, name) and the 100 ns slice of tid 42')
prev = {(x['cpu'], x['ts']): int(x['prev_pid']) for x in e if x['kind'] == 'sched_switch'}
check('crop_compact_sched_switch', prev[(3, 1200)] == 50 and prev[(6, 1200)] == 42 and
      prev[(3, 1100)] == -1, 'prev_pid from the CPU\'s previous switch (unknown for its first)')
# graphics/tests.py test_actual_frame_timeline_events, the rows of pid 1000 (the app's surface frames;
# pid 666's are SurfaceFlinger's display frames, which allocscope pairs and drops):
#   "ts","dur","pid","display_frame_token","surface_frame_token","layer_name",...,"jank_type",...,"jank_tag"
#   21,16,1000,4,1,"Layer1",...,"None",...,"No Jank"
#   41,33,1000,6,5,"Layer1",...,"App Deadline Missed",...,"Self Jank"
#   80,110,1000,17,16,"Layer1",...,"Unknown Jank",...,"Self Jank"
#   90,16,1000,8,7,"Layer1",...,"SurfaceFlinger Scheduling",...,"Other Jank"
#   150,17,1000,15,14,"Layer1",...,"None",...,"No Jank"
#   150,17,1000,15,14,"Layer2",...,"None",...,"No Jank"
import json
e = [x for x in events('frame_timeline_events') if x['kind'] == 'frame']
got = sorted((int(x['start'].replace('.', '')), int(x['dur_ns']), x['pid'], int(x['display_token']),
              int(x['token']), x['layer'], int(x['jank_type'], 16)) for x in e)
want = [(21, 16, 1000, 4, 1, 'Layer1', 1), (41, 33, 1000, 6, 5, 'Layer1', 64),
        (80, 110, 1000, 17, 16, 'Layer1', 256), (90, 16, 1000, 8, 7, 'Layer1', 2),
        (150, 17, 1000, 15, 14, 'Layer1', 1), (150, 17, 1000, 15, 14, 'Layer2', 1)]
check('frame_timeline_events', got == want, "the actual surface frames (ts, dur, pid, display token, "
      "token, layer, jank type) as Perfetto's actual timeline")
j = json.load(open('%s/frame_timeline_events.frames.json' % out))['frames']
t = j.get('timeline', {})
late = [(x['start_ns'], x['dur_ns'], x['vsync'], x['jank']) for x in j['late_frames']]
check('frame_timeline_events', t.get('frames') == 6 and t.get('self_jank') == 2 and t.get('late') == 2 and
      late == [(41, 33, 5, 'App Deadline Missed'), (80, 110, 16, 'Unknown Jank')] and j['frames'] == 0,
      'stalls --frames: 6 frames, late the 2 of "Self Jank", named as Perfetto names their jank type')
sys.exit(1 if bad else 0)
EOF
