#!/usr/bin/env bash
# The real-kernel jank fixture (tests/data/6.12.117-jank-retprobe.*): stalls --frames agrees to the ns with
# an independent count from `trace-cmd report` (tests/golden/jank-frames.py: frames from the atrace slices,
# slow paths from the kprobes, each frame's stall union), and with the app's own record of its frames
# (jankapp's .truth: the same vsync ids, durations within 1 ms where the app's clock read and its marker
# write were not apart).
set -u
cd "$(dirname "$0")/../.."
BIN=${BIN:-build/allocscope}
F=tests/data/6.12.117-jank-retprobe
command -v trace-cmd >/dev/null || { echo "skip: jank-fixture.sh needs trace-cmd ('make deps')" >&2; exit 77; }
command -v python3 >/dev/null || { echo "skip: jank-fixture.sh needs python3" >&2; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
trace-cmd report "$F.dat" >"$T/report.txt" 2>/dev/null || { echo "jank-fixture: trace-cmd report $F.dat failed" >&2; exit 1; }
python3 tests/golden/jank-frames.py "$T/report.txt" >"$T/indep.json" || exit 1
"$BIN" stalls --frames --json --top 1000 "$F.dat" >"$T/frames.json" || exit 1
python3 - "$T/indep.json" "$T/frames.json" "$F.truth" <<'PYEOF'
import json, sys
ind = json.load(open(sys.argv[1]))
a = json.load(open(sys.argv[2]))["frames"]
truth = [l.split() for l in open(sys.argv[3]) if not l.startswith("#")]
bad = 0
def check(what, got, want):
    global bad
    if got != want:
        print("jank-fixture: %s: allocscope %s, independent %s" % (what, got, want), file=sys.stderr)
        bad += 1
late = [x for x in ind if x["late"]]
check("frames", a["frames"], len(ind))
check("late", a["late"], len(late))
check("explained", a["explained"], sum(x["explained"] for x in ind))
check("late_stalled", a["late_stalled"], sum(x["stall"] > 0 for x in late))
check("stalled", a["stalled"], sum(x["stall"] > 0 for x in ind))
check("listed", len(a["late_frames"]), len(late))
for x, y in zip(late, a["late_frames"]):
    v = x["vsync"]
    check("vsync %s start" % v, y["start_ns"], x["start"])
    check("vsync %s duration" % v, y["dur_ns"], x["dur"])
    check("vsync %s UI stall" % v, y["ui"]["stall_ns"], x["ui"])
    check("vsync %s RenderThread stall" % v, y["render"]["stall_ns"], x["rt"])
    check("vsync %s stall union" % v, y["stall_ns"], x["stall"])
    check("vsync %s explained" % v, y["explained"], x["explained"])
# the app's own record: the same frames; its clock read precedes each marker write
check("frames in the app's record", len(truth), len(ind))
by_v = {x["vsync"]: x for x in ind}
for t in truth:
    v, ui_b, frame_ns = int(t[0]), int(t[2]), int(t[6])
    x = by_v.get(v)
    if x is None:
        check("vsync %d in the trace" % v, None, v)
        continue
    if x["start"] < ui_b:
        check("vsync %d: its marker before the app's clock read" % v, x["start"], ui_b)
    if x["start"] - ui_b < 1000000 and abs(x["dur"] - frame_ns) > 1000000:
        check("vsync %d duration against the app's" % v, x["dur"], frame_ns)
print("jank-fixture: %d frames, %d late, %d explained: allocscope = trace-cmd report counted apart; "
      "the app's %d frames agree" % (len(ind), len(late), a["explained"], len(truth)))
sys.exit(1 if bad else 0)
PYEOF
