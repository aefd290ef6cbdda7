"""Frames and their allocation stalls, counted apart from allocscope (tests/golden/jank-fixture.sh).

Reads `trace-cmd report` text of a retprobe capture (allocscope record -m retprobe --frames): frames from the
print events' atrace slices (per-thread B/E stacks; doFrame + the DrawFrames of its vsync id or begun inside
it), slow paths from the kprobes (alloc_entry .. alloc_ret whose first gpff_ret returned NULL, outermost
only), each frame's stall time as the union of its threads' slow paths clipped to their slices. Prints one
JSON list, a frame per element. No code shared with allocscope.
"""
import sys, re, json

budget = 16666667
lines = open(sys.argv[1], errors='replace').read().splitlines()
rx = re.compile(r'^\s*(.*)-(\d+)\s+\[(\d+)\]\s+(\d+): (\S+):\s+(.*)$')
stack = {}      # tid -> [(name, tgid, frameref)]
openui = {}     # tgid -> frame
frames = []
allocs = {}     # tid -> list of [start, first_gpfl_seen, slow]
stalls = {}     # tid -> list of (s, e) top-level slow allocations
cur = {}        # tid -> frame slice (frame, role, slice_start)
def add_stall(tid, s, e):
    c = cur.get(tid)
    if not c: return
    f, role, ss = c
    s = max(s, ss)
    if e <= s: return
    f['iv'][role].append((s, e))
for l in lines:
    m = rx.match(l)
    if not m: continue
    comm, tid, cpu, ts, ev, rest = m.groups(); tid = int(tid); ts = int(ts)
    if ev == 'print':
        txt = rest.split('tracing_mark_write: ', 1)[-1].strip()
        st = stack.setdefault(tid, [])
        if txt == 'E' or txt.startswith('E|'):
            if not st: continue
            name, tg, fr = st.pop()
            if fr is not None:
                f, role = fr
                if role == 0: f['ui_end'] = ts; f['ui_open'] = False
                else: f['rt_open'] -= 1; f['rt_end'] = max(f['rt_end'], ts)
                f['end'] = max(f['end'], ts)
                cur.pop(tid, None)
                if not f['ui_open'] and f['rt_open'] == 0: frames.append(f)
            continue
        if not txt.startswith('B|'): continue
        _, tg, name = txt.split('|', 2); tg = int(tg)
        fr = None
        if not any(x[2] is not None for x in st):
            mu = re.fullmatch(r'Choreographer#doFrame(?: (\d+).*)?', name)
            mr = re.fullmatch(r'DrawFrames?(?: (\d+).*)?', name)
            if mu:
                f = dict(start=ts, end=ts, vsync=int(mu.group(1)) if mu.group(1) else None, ui_open=True,
                         rt_open=0, rt_end=0, iv=([], []))
                openui.setdefault(tg, []).append(f); fr = (f, 0)
            elif mr:
                v = int(mr.group(1)) if mr.group(1) else None
                f = next((x for x in openui.get(tg, []) if x['vsync'] is not None and x['vsync'] == v), None)
                if f is None:
                    f = next((x for x in reversed(openui.get(tg, [])) if x['ui_open']), None)
                if f is None: f = dict(start=ts, end=ts, vsync=v, ui_open=False, rt_open=0, rt_end=0, iv=([], []))
                f['rt_open'] += 1; fr = (f, 1)
            if fr: cur[tid] = (fr[0], fr[1], ts)
        st.append((name, tg, fr))
    elif ev == 'alloc_entry':
        allocs.setdefault(tid, []).append([ts, False, False])
    elif ev == 'gpff_ret':
        a = allocs.get(tid)
        if a and not a[-1][1]:
            a[-1][1] = True
            a[-1][2] = rest.strip().endswith('ret=0x0')
    elif ev == 'alloc_ret':
        a = allocs.get(tid)
        if not a: continue
        s, _, slow = a.pop()
        if slow and not a:          # outermost slow allocation
            add_stall(tid, s, ts)
def union(iv):
    iv = sorted(iv); tot = 0; cs = ce = None
    for s, e in iv:
        if ce is None or s > ce:
            if ce is not None: tot += ce - cs
            cs, ce = s, e
        else: ce = max(ce, e)
    if ce is not None: tot += ce - cs
    return tot
out = []
for f in sorted(frames, key=lambda x: x['start']):
    d = f['end'] - f['start']
    ui = union(f['iv'][0]); rt = union(f['iv'][1]); both = union(f['iv'][0] + f['iv'][1])
    out.append(dict(start=f['start'], dur=d, vsync=f['vsync'], ui=ui, rt=rt, stall=both,
                    late=d > budget, explained=d > budget and both >= d - budget))
print(json.dumps(out))
