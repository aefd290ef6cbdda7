#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Write a real trace.dat capture as traced_probes would have written it.

Reads `trace-cmd report -R -t` (raw fields, ns timestamps) and `trace-cmd
report --stat` of a trace.dat, and writes a Perfetto trace of the same events:
system_info (the kernel), process_tree (the saved task names), one
FtraceEventBundle per CPU and drain period (default 100 ms of trace time, at
most --bundle events), sched_switch in compact_sched form (no prev_pid or
prev_comm: the reader must know the CPU's task), typed events where Perfetto
has a message for them, self-describing events with generic_event_descriptors
for the others (--old-generic: GenericFtraceEvent, as before Perfetto v50),
function_graph funcs as interned kernel_symbols, ftrace_stats at the end, and
every --group packets inside one compressed_packets (zlib).

--frame-timeline adds what SurfaceFlinger's FrameTimeline (Android 12+) would
write for the app frames of the trace's atrace slices (doFrame N with the
DrawFrames of vsync id N): per frame an expected and an actual surface frame
(the app's pid, its vsync id as token, from the doFrame's begin to the last
DrawFrame's end; jank type APP_DEADLINE_MISSED when longer than 16.667 ms,
else NONE) and the display frame, each start followed by its FrameEnd,
written one drain period after the frame ended (SurfaceFlinger writes a frame
once it was presented), on a sequence of their own; and the threads' tgids
the markers name ("B|TGID|...") in process_tree, as traced_probes reads them
from /proc.

Usage: encode.py [options] TRACE.dat OUT.pftrace
The schema is tests/perfetto/trace-subset.proto, compiled with protoc at run time.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))

# typed FtraceEvent messages: event name -> (oneof field, {raw field: proto field})
TYPED = {
    'print': ('print', {'buf': 'buf'}),
    'mm_page_alloc': ('mm_page_alloc', {'pfn': 'pfn', 'order': 'order', 'gfp_flags': 'gfp_flags',
                                        'migratetype': 'migratetype', 'page': 'page'}),
    'mm_vmscan_direct_reclaim_begin': ('mm_vmscan_direct_reclaim_begin',
                                       {'order': 'order', 'gfp_flags': 'gfp_flags',
                                        'may_writepage': 'may_writepage'}),
    'mm_vmscan_direct_reclaim_end': ('mm_vmscan_direct_reclaim_end', {'nr_reclaimed': 'nr_reclaimed'}),
    'mm_vmscan_memcg_reclaim_begin': ('mm_vmscan_memcg_reclaim_begin',
                                      {'order': 'order', 'gfp_flags': 'gfp_flags'}),
    'mm_vmscan_memcg_reclaim_end': ('mm_vmscan_memcg_reclaim_end', {'nr_reclaimed': 'nr_reclaimed'}),
    'mm_vmscan_kswapd_wake': ('mm_vmscan_kswapd_wake', {'nid': 'nid', 'order': 'order', 'zid': 'zid'}),
    'mm_vmscan_kswapd_sleep': ('mm_vmscan_kswapd_sleep', {'nid': 'nid'}),
    'mm_compaction_begin': ('mm_compaction_begin', {'zone_start': 'zone_start', 'migrate_pfn': 'migrate_pfn',
                                                    'free_pfn': 'free_pfn', 'zone_end': 'zone_end',
                                                    'sync': 'sync'}),
    'mm_compaction_end': ('mm_compaction_end', {'zone_start': 'zone_start', 'migrate_pfn': 'migrate_pfn',
                                                'free_pfn': 'free_pfn', 'zone_end': 'zone_end',
                                                'sync': 'sync', 'status': 'status'}),
    'mm_compaction_suitable': ('mm_compaction_suitable', {'nid': 'nid', 'idx': 'idx', 'order': 'order',
                                                          'ret': 'ret'}),
    'mm_compaction_finished': ('mm_compaction_finished', {'nid': 'nid', 'idx': 'idx', 'order': 'order',
                                                          'ret': 'ret'}),
    'mm_compaction_deferred': ('mm_compaction_deferred', {'nid': 'nid', 'idx': 'idx', 'order': 'order',
                                                          'considered': 'considered',
                                                          'defer_shift': 'defer_shift',
                                                          'order_failed': 'order_failed'}),
    'mm_compaction_try_to_compact_pages': ('mm_compaction_try_to_compact_pages',
                                           {'order': 'order', 'gfp_mask': 'gfp_mask', 'prio': 'prio',
                                            'mode': 'mode'}),
    'mark_victim': ('mark_victim', {'pid': 'pid'}),
    'mm_shrink_slab_start': ('mm_shrink_slab_start', {'nid': 'nid', 'priority': 'priority'}),
    'mm_shrink_slab_end': ('mm_shrink_slab_end', {'nid': 'nid'}),
}

# -t prints SECONDS.NANOSECONDS, or bare nanoseconds for a clock trace-cmd does not convert
# (boot, mono, mono_raw: 65544266583)
LINE = re.compile(r'^\s*(?P<comm>.*)-(?P<pid>\d+)\s+\[(?P<cpu>\d+)\]\s+(?P<ts>\d+)(?:\.(?P<ns>\d{9}))?:\s+'
                  r'(?P<event>[\w:/.-]+):\s*(?P<fields>.*)$')
LOST = re.compile(r'CPU:\s*(\d+)\s*\[\s*(\d+)?\s*\w*\s*LOST')
FIELD = re.compile(r'(\w+)=')


def load_pb2(tmp):
    subprocess.run(['protoc', '--proto_path=' + HERE, '--python_out=' + tmp, 'trace-subset.proto'],
                   check=True)
    sys.path.insert(0, tmp)
    import trace_subset_pb2  # noqa: E402
    return trace_subset_pb2


def num(v):
    v = v.strip()
    try:
        return int(v, 0)
    except ValueError:
        return int(v, 16)     # calltime/rettime: hex without 0x


def parse_fields(event, s):
    if event == 'print':
        m = re.search(r'\bbuf=(.*)$', s)
        return {'buf': m.group(1) if m else ''}
    out = {}
    keys = list(FIELD.finditer(s))
    for i, k in enumerate(keys):
        end = keys[i + 1].start() if i + 1 < len(keys) else len(s)
        out[k.group(1)] = s[k.end():end].strip()
    return out


def report(path):
    p = subprocess.run(['trace-cmd', 'report', '-R', '-t', '-i', path], capture_output=True, text=True,
                       errors='replace', check=True)
    events, unread = [], []
    for line in p.stdout.splitlines():
        m = LINE.match(line)
        if not m:
            lm = LOST.search(line)
            if lm:
                events.append(('LOST', int(lm.group(1))))
            elif line.strip() and not line.startswith(('cpus=', 'version =')):
                unread.append(line)
            continue
        if m.group('ns') is None:
            ts = int(m.group('ts'))
        else:
            ts = int(m.group('ts')) * 1000000000 + int(m.group('ns'))
        events.append((m.group('event'), int(m.group('cpu')), ts, int(m.group('pid')), m.group('comm').strip(),
                       parse_fields(m.group('event'), m.group('fields'))))
    if unread or not any(e[0] != 'LOST' for e in events):
        # an encoding that silently lost events would compare nothing
        sys.exit('encode.py: %s: %d report lines not understood%s' %
                 (path, len(unread), (', the first: ' + unread[0]) if unread else ', no events'))
    return events


def cpustats(path):
    p = subprocess.run(['trace-cmd', 'report', '--stat', '-i', path], capture_output=True, text=True,
                       errors='replace')
    stats, cpu = {}, None
    for line in p.stdout.splitlines():
        m = re.match(r'CPU:\s*(\d+)', line)
        if m:
            cpu = int(m.group(1))
            stats[cpu] = {}
        elif cpu is not None and ':' in line:
            k, v = line.split(':', 1)
            try:
                stats[cpu][k.strip()] = int(float(v.strip()))
            except ValueError:
                pass
    return stats


def trace_clock(path):
    """The trace.dat's clock (the bracketed one of its TRACECLOCK option)."""
    p = subprocess.run(['trace-cmd', 'dump', '--options', '-i', path], capture_output=True, text=True,
                       errors='replace')
    m = re.search(r'\[(\w[\w-]*)\]\s+\w', p.stdout)
    return m.group(1) if m else None


# FtraceEventBundle.ftrace_clock: omitted for boot, Perfetto's default
FTRACE_CLOCK = {'global': 2, 'local': 3, 'mono_raw': 4}


def uname(path):
    p = subprocess.run(['trace-cmd', 'report', '--uname', '-i', path], capture_output=True, text=True,
                       errors='replace')
    for line in p.stdout.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0] == 'Linux':
            return parts[2]
    return None


class Encoder:
    def __init__(self, pb, args):
        self.pb = pb
        self.args = args
        self.generic_ids = {}       # event name -> (field id, DescriptorProto bytes, {field: (number, type)})
        self.ksym = {}              # function name -> iid
        self.ksym_written = 0
        self.out_packets = []
        self.clock = None

    def descriptor(self, name, fields):
        if name in self.generic_ids:
            return self.generic_ids[name]
        from google.protobuf import descriptor_pb2
        d = descriptor_pb2.DescriptorProto()
        d.name = name
        layout = {}
        for i, (k, v) in enumerate(fields.items(), 1):
            f = d.field.add()
            f.name = k
            f.number = i
            try:
                n = num(v)
                f.type = descriptor_pb2.FieldDescriptorProto.TYPE_INT64 if n < 0 else \
                    descriptor_pb2.FieldDescriptorProto.TYPE_UINT64
            except ValueError:
                f.type = descriptor_pb2.FieldDescriptorProto.TYPE_STRING
            layout[k] = (i, f.type)
        ent = (65536 + len(self.generic_ids), d.SerializeToString(), layout)
        self.generic_ids[name] = ent
        return ent

    def generic_payload(self, layout, fields):
        """The self-describing event's bytes, encoded by hand as its descriptor says."""
        out = bytearray()

        def varint(v):
            v &= (1 << 64) - 1
            b = bytearray()
            while True:
                c = v & 0x7f
                v >>= 7
                b.append(c | (0x80 if v else 0))
                if not v:
                    return bytes(b)
        for k, v in fields.items():
            if k not in layout:
                continue
            number, t = layout[k]
            if t == 9:
                raw = v.encode()
                out += varint(number << 3 | 2) + varint(len(raw)) + raw
            else:
                try:
                    out += varint(number << 3) + varint(num(v))
                except ValueError:
                    pass
        return bytes(out)

    def bundle(self, cpu, evs, lost, seq_first):
        pb = self.pb
        pkt = pb.TracePacket()
        pkt.trusted_packet_sequence_id = 2
        b = pkt.ftrace_events
        b.cpu = cpu
        if self.clock and self.clock != 'boot':
            b.ftrace_clock = FTRACE_CLOCK.get(self.clock, 1)
        if lost:
            b.lost_events = True
        cs = b.compact_sched
        intern = {}
        last_sw = None
        descs = {}
        new_syms = []
        for name, _cpu, ts, pid, comm, f in evs:
            if name == 'sched_switch':
                idx = intern.setdefault(f.get('next_comm', ''), len(intern))
                cs.switch_timestamp.append(ts - (last_sw if last_sw is not None else 0))
                last_sw = ts
                cs.switch_prev_state.append(num(f.get('prev_state', '0')))
                cs.switch_next_pid.append(num(f.get('next_pid', '0')))
                cs.switch_next_prio.append(num(f.get('next_prio', '120')))
                cs.switch_next_comm_index.append(idx)
                continue
            e = b.event.add()
            e.timestamp = ts
            e.pid = pid
            if name in ('funcgraph_entry', 'funcgraph_exit'):
                fn = f.get('func', '')
                if fn not in self.ksym:
                    self.ksym[fn] = len(self.ksym) + 1
                    new_syms.append(fn)
                m = e.funcgraph_entry if name == 'funcgraph_entry' else e.funcgraph_exit
                m.func = self.ksym[fn]
                m.depth = num(f.get('depth', '0'))
                if name == 'funcgraph_exit':
                    # trace-cmd -R prints calltime and rettime in hex without 0x
                    m.calltime = int(f.get('calltime', '0'), 16)
                    m.rettime = int(f.get('rettime', '0'), 16)
                    m.overrun = num(f.get('overrun', '0'))
                continue
            if name in TYPED:
                oneof, mapping = TYPED[name]
                m = getattr(e, oneof)
                for raw, field in mapping.items():
                    if raw not in f:
                        continue
                    if field == 'buf':
                        m.buf = f[raw] + '\n'
                    else:
                        try:
                            setattr(m, field, num(f[raw]))
                        except ValueError:
                            pass
                m.SetInParent()
                continue
            if self.args.old_generic:
                g = e.generic
                g.event_name = name
                for k, v in f.items():
                    gf = g.field.add()
                    gf.name = k
                    try:
                        n = num(v)
                        if n < 0:
                            gf.int_value = n
                        else:
                            gf.uint_value = n
                    except ValueError:
                        gf.str_value = v
                continue
            fid, dbytes, layout = self.descriptor(name, f)
            descs[fid] = (name, dbytes)
            e.MergeFromString(self.varint_tag(fid) + self.varlen(self.generic_payload(layout, f)))
        if intern:
            for s in sorted(intern, key=intern.get):
                cs.intern_table.append(s)
        else:
            b.ClearField('compact_sched')
        for fid, (name, dbytes) in sorted(descs.items()):
            d = b.generic_event_descriptors.add()
            d.field_id = fid
            d.event_descriptor = dbytes
        if new_syms:
            if not self.ksym_written:
                pkt.sequence_flags = 1    # SEQ_INCREMENTAL_STATE_CLEARED: symbol ids start here
            for fn in new_syms:
                s = pkt.interned_data.kernel_symbols.add()
                s.iid = self.ksym[fn]
                s.str = fn.encode()
            self.ksym_written += len(new_syms)
        return pkt

    @staticmethod
    def varint(v):
        b = bytearray()
        while True:
            c = v & 0x7f
            v >>= 7
            b.append(c | (0x80 if v else 0))
            if not v:
                return bytes(b)

    def varint_tag(self, fid):
        return self.varint(fid << 3 | 2)

    def varlen(self, payload):
        return self.varint(len(payload)) + payload


def atrace_frames(events):
    """The app frames of the print events' atrace slices: doFrame N (UI thread) and the
    DrawFrame(s) N of its process (RenderThread), from the doFrame's begin to the last end."""
    stack, byvs, out = {}, {}, []
    for e in events:
        if e[0] != 'print':
            continue
        _, _, ts, tid, _, f = e
        txt = f.get('buf', '').strip()
        st = stack.setdefault(tid, [])
        if txt == 'E' or txt.startswith('E|'):
            if st:
                name, tg = st.pop()
                m = re.fullmatch(r'(Choreographer#doFrame|DrawFrames?) (\d+)', name)
                if m and (tg, int(m.group(2))) in byvs:
                    fr = byvs[(tg, int(m.group(2)))]
                    fr['end'] = max(fr['end'], ts)
            continue
        if not txt.startswith('B|'):
            continue
        _, tg, name = txt.split('|', 2)
        st.append((name, int(tg)))
        m = re.fullmatch(r'Choreographer#doFrame (\d+)', name)
        if m and len(st) == 1:
            fr = dict(start=ts, end=ts, pid=int(tg), token=int(m.group(1)))
            byvs[(int(tg), fr['token'])] = fr
            out.append(fr)
    out.sort(key=lambda x: x['end'])
    return out


def timeline_packets(pb, fr, shift):
    """SurfaceFlinger's packets for one app frame: expected and actual surface frame, the display
    frame, each start with its FrameEnd (cookies unique per start, as FrameTimeline's)."""
    out = []
    token = fr['token'] + (shift // 1000)     # vsync ids grow with time: new ones per copy
    start, end = fr['start'] + shift, fr['end'] + shift
    late = end - start > 16666667
    base = (token << 3) & ((1 << 62) - 1)

    def packet(ts, kind, **fields):
        p = pb.TracePacket()
        p.timestamp = ts
        p.trusted_packet_sequence_id = 7
        m = getattr(p.frame_timeline_event, kind)
        for k, v in fields.items():
            setattr(m, k, v)
        m.SetInParent()
        out.append(p.SerializeToString())
    packet(start, 'expected_surface_frame_start', cookie=base + 1, token=token, display_frame_token=token + 1,
           pid=fr['pid'], layer_name='jankapp#0')
    packet(start + 16666667, 'frame_end', cookie=base + 1)
    packet(start, 'actual_surface_frame_start', cookie=base + 2, token=token, display_frame_token=token + 1,
           pid=fr['pid'], layer_name='jankapp#0', present_type=2 if late else 1, on_time_finish=not late,
           gpu_composition=False, jank_type=64 if late else 1, prediction_type=1)
    packet(end, 'frame_end', cookie=base + 2)
    packet(end, 'actual_display_frame_start', cookie=base + 3, token=token + 1, pid=1,
           present_type=2 if late else 1, on_time_finish=not late, jank_type=1, prediction_type=1)
    packet(end + 4000000, 'frame_end', cookie=base + 3)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('trace')
    ap.add_argument('out')
    ap.add_argument('--period-ms', type=int, default=100, help='drain period (trace time)')
    ap.add_argument('--bundle', type=int, default=4000, help='events per bundle at most')
    ap.add_argument('--group', type=int, default=16, help='packets per compressed_packets (0: none)')
    ap.add_argument('--old-generic', action='store_true', help='GenericFtraceEvent for untyped events')
    ap.add_argument('--vmstat-before', help='a /proc/vmstat snapshot read before the trace: a sys_stats packet')
    ap.add_argument('--vmstat-after', help='... and after it')
    ap.add_argument('--frame-timeline', action='store_true',
                    help="the atrace frames as SurfaceFlinger's frame timeline would write them too")
    ap.add_argument('--repeat', type=int, default=1,
                    help='the events N times over, shifted in time (a large trace for make bench)')
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        pb = load_pb2(tmp)
        events = report(args.trace)
        enc = Encoder(pb, args)
        enc.clock = trace_clock(args.trace)
        packets = []
        head = pb.TracePacket()
        rel = uname(args.trace)
        if rel:
            head.system_info.utsname.sysname = 'Linux'
            head.system_info.utsname.release = rel
            packets.append(head.SerializeToString())
        tree = pb.TracePacket()
        # the names the trace.dat saved (its cmdlines: the report's task column), as
        # traced_probes' process scan reads them from /proc; sched_switch's for the others
        names = {}
        for e in events:
            if e[0] != 'LOST' and e[3] > 0:
                names.setdefault(e[3], e[4])
        for e in events:
            if e[0] == 'sched_switch':
                for p, c in ((e[5].get('prev_pid'), e[5].get('prev_comm')),
                             (e[5].get('next_pid'), e[5].get('next_comm'))):
                    if p and c and num(p) > 0:
                        names.setdefault(num(p), c)
        tgids = {}
        frames = atrace_frames(events) if args.frame_timeline else []
        if args.frame_timeline:
            for e in events:
                if e[0] == 'print' and e[5].get('buf', '').startswith('B|'):
                    try:
                        tgids.setdefault(e[3], int(e[5]['buf'].split('|')[1]))
                    except ValueError:
                        pass
        for pid, comm in sorted(names.items()):
            t = tree.process_tree.threads.add()
            t.tid = pid
            t.name = comm
            if pid in tgids:
                t.tgid = tgids[pid]
        tree.trusted_packet_sequence_id = 1
        packets.append(tree.SerializeToString())

        span = 0
        tss = [e[2] for e in events if e[0] != 'LOST']
        if tss:
            span = max(tss) - min(tss) + 1000000
        period = args.period_ms * 1000000
        for rep in range(args.repeat):
            shift = rep * span
            cycle, pending, lost = None, {}, set()

            def flush():
                # the frames presented by now: one drain period after their end
                while frames and frames[0]['end'] + shift + period <= (cycle + 1) * period:
                    packets.extend(timeline_packets(pb, frames.pop(0), shift))
                for cpu in sorted(pending):
                    evs = pending[cpu]
                    for i in range(0, len(evs), args.bundle):
                        packets.append(enc.bundle(cpu, evs[i:i + args.bundle], cpu in lost and i == 0,
                                                  False).SerializeToString())
                    lost.discard(cpu)
                pending.clear()
            for e in events:
                if e[0] == 'LOST':
                    lost.add(e[1])
                    continue
                name, cpu, ts, pid, comm, f = e
                ts += shift
                c = ts // period
                if cycle is not None and c != cycle:
                    flush()
                cycle = c
                if name == 'funcgraph_exit' and rep:
                    f = dict(f)
                    f['calltime'] = '%x' % (int(f.get('calltime', '0'), 16) + shift)
                    f['rettime'] = '%x' % (int(f.get('rettime', '0'), 16) + shift)
                pending.setdefault(cpu, []).append((name, cpu, ts, pid, comm, f))
            flush()
            while frames:
                packets.extend(timeline_packets(pb, frames.pop(0), shift))
            if args.frame_timeline and rep + 1 < args.repeat:
                frames = atrace_frames(events)
        # sys_stats: the snapshots read around the capture, at its ends (traced_probes polls
        # /proc/vmstat every vmstat_period_ms; here the two reads that exist)
        if args.vmstat_before and args.vmstat_after and tss:
            for path, ts in ((args.vmstat_before, min(tss) - 1), (args.vmstat_after, max(tss) + 1)):
                p = pb.TracePacket()
                p.timestamp = ts
                p.trusted_packet_sequence_id = 3
                for line in open(path):
                    parts = line.split()
                    if len(parts) != 2:
                        continue
                    try:
                        key = pb.VmstatCounters.Value('VMSTAT_' + parts[0].upper())
                    except ValueError:
                        continue          # a counter Perfetto has no id for
                    v = p.sys_stats.vmstat.add()
                    v.key = key
                    v.value = int(parts[1])
                packets.insert(2 if path == args.vmstat_before else len(packets), p.SerializeToString())
        st = cpustats(args.trace)
        if st:
            p = pb.TracePacket()
            p.ftrace_stats.phase = pb.FtraceStats.END_OF_TRACE
            for cpu in sorted(st):
                c = p.ftrace_stats.cpu_stats.add()
                c.cpu = cpu
                c.overrun = st[cpu].get('overrun', 0)
                c.dropped_events = st[cpu].get('dropped events', 0)
                c.entries = st[cpu].get('entries', 0)
            packets.append(p.SerializeToString())

        def field1(b):
            return Encoder.varint(1 << 3 | 2) + Encoder.varint(len(b)) + b
        with open(args.out, 'wb') as out:
            if args.group <= 0:
                for b in packets:
                    out.write(field1(b))
                return
            # the first packets stay plain (traced writes its own header packets uncompressed)
            for b in packets[:2]:
                out.write(field1(b))
            rest = packets[2:]
            for i in range(0, len(rest), args.group):
                raw = b''.join(field1(b) for b in rest[i:i + args.group])
                p = pb.TracePacket()
                p.compressed_packets = zlib.compress(raw, 6)
                out.write(field1(p.SerializeToString()))


if __name__ == '__main__':
    main()
