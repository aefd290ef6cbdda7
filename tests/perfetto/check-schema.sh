#!/usr/bin/env bash
# Check one of our Perfetto schema subsets against Perfetto's own definitions: every message,
# enum and field of ours must exist upstream under the same name with the same number, type and
# label (packed-ness aside).  Upstream is a Perfetto checkout (not kept here: Apache-2.0):
#   tests/perfetto/check-schema.sh PERFETTO/protos/perfetto/trace/perfetto_trace.proto
#   tests/perfetto/check-schema.sh PERFETTO/protos/perfetto/trace/trace.proto:PERFETTO/protos/third_party/android/frameworks/native/tracing/frameworks_native_trace_packet.proto PERFETTO
#     (several upstream files, ':' between them: the trace with the Android extension of its
#     packet that holds FrameTimelineEvent, which the merged perfetto_trace.proto lacks)
#   tests/perfetto/check-schema.sh PERFETTO/protos/perfetto/config/trace_config.proto PERFETTO config-subset.proto
# (the second form: the import root of a file that imports others, and our subset to check).
set -eu
up=${1:?usage: $0 UPSTREAM.proto [IMPORT_ROOT] [OURS.proto]}
root=${2:-$(dirname "${up%%:*}")}
ours=${3:-trace-subset.proto}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
protoc --proto_path="$here" --descriptor_set_out="$tmp/ours.pb" "$ours"
ups=()
IFS=: read -ra upl <<<"$up"
for u in "${upl[@]}"; do ups+=("$(realpath --relative-to="$root" "$u")"); done
protoc --proto_path="$root" --include_imports --descriptor_set_out="$tmp/up.pb" "${ups[@]}"
/usr/bin/python3 - "$tmp/ours.pb" "$tmp/up.pb" <<'EOF'
import sys
from google.protobuf import descriptor_pb2

def load(path):
    fds = descriptor_pb2.FileDescriptorSet()
    fds.ParseFromString(open(path, 'rb').read())
    msgs, enums, exts = {}, {}, []
    def walk(prefix, m):
        name = prefix + '.' + m.name
        msgs[name] = {f.name: (f.number, f.type, f.label, f.type_name.split('.')[-1]) for f in m.field}
        exts.extend(m.extension)
        for n in m.nested_type:
            walk(name, n)
        for e in m.enum_type:
            enums[name + '.' + e.name] = {v.name: v.number for v in e.value}
    for f in fds.file:
        exts.extend(f.extension)
        for m in f.message_type:
            walk(f.package, m)
        for e in f.enum_type:
            enums[f.package + '.' + e.name] = {v.name: v.number for v in e.value}
    # extensions (TracePacket.frame_timeline_event, 76) count as fields of the message they extend
    for x in exts:
        msgs.setdefault(x.extendee.lstrip('.'), {})[x.name] = (x.number, x.type, x.label,
                                                               x.type_name.split('.')[-1])
    return msgs, enums

ours, ours_e = load(sys.argv[1])
up, up_e = load(sys.argv[2])

def upstream_name(name, table):
    """Our perfetto.protos.X, or the one message upstream keeps as X in another package
    (FrameTimelineEvent moved to com.android.internal)."""
    if name in table:
        return name
    tail = name.split('.', 2)[2]
    # a package is lower case: com.android.internal.FrameTimelineEvent, not a nested X.FrameTimelineEvent
    cands = [k for k in table if k.endswith('.' + tail) and k[:-len(tail) - 1].islower()]
    return cands[0] if len(cands) == 1 else None

bad = 0
for name, fields in ours.items():
    uname = upstream_name(name, up)
    if not uname:
        print('check-schema: message %s: not upstream' % name); bad += 1; continue
    for f, spec in fields.items():
        u = up[uname].get(f)
        if not u:
            print('check-schema: %s.%s: no such field upstream' % (name, f)); bad += 1
        elif u[:3] != spec[:3] and not (f == 'key' and name.endswith('VmstatValue')):
            print('check-schema: %s.%s: ours %s, upstream %s (number, type, label)' % (name, f, spec[:3], u[:3]))
            bad += 1
for name, vals in ours_e.items():
    u = up_e.get(upstream_name(name, up_e) or name)
    if u is None:
        print('check-schema: enum %s: not upstream' % name); bad += 1; continue
    for v, n in vals.items():
        if u.get(v) != n:
            print('check-schema: %s.%s = %s, upstream %s' % (name, v, n, u.get(v))); bad += 1
print('check-schema: %d messages, %d enums checked, %d differences' % (len(ours), len(ours_e), bad))
sys.exit(1 if bad else 0)
EOF
