#!/usr/bin/env bash
# Check one of our Perfetto schema subsets against Perfetto's own definitions: every message,
# enum and field of ours must exist upstream under the same name with the same number, type and
# label (packed-ness aside).  Upstream is a Perfetto checkout (not kept here: Apache-2.0):
#   tests/perfetto/check-schema.sh PERFETTO/protos/perfetto/trace/perfetto_trace.proto
#   tests/perfetto/check-schema.sh PERFETTO/protos/perfetto/config/trace_config.proto PERFETTO config-subset.proto
# (the second form: the import root of a file that imports others, and our subset to check).
set -eu
up=${1:?usage: $0 UPSTREAM.proto [IMPORT_ROOT] [OURS.proto]}
root=${2:-$(dirname "$up")}
ours=${3:-trace-subset.proto}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
protoc --proto_path="$here" --descriptor_set_out="$tmp/ours.pb" "$ours"
protoc --proto_path="$root" --include_imports --descriptor_set_out="$tmp/up.pb" "$(realpath --relative-to="$root" "$up")"
/usr/bin/python3 - "$tmp/ours.pb" "$tmp/up.pb" <<'EOF'
import sys
from google.protobuf import descriptor_pb2

def load(path):
    fds = descriptor_pb2.FileDescriptorSet()
    fds.ParseFromString(open(path, 'rb').read())
    msgs, enums = {}, {}
    def walk(prefix, m):
        name = prefix + '.' + m.name
        msgs[name] = {f.name: (f.number, f.type, f.label, f.type_name.split('.')[-1]) for f in m.field}
        for n in m.nested_type:
            walk(name, n)
        for e in m.enum_type:
            enums[name + '.' + e.name] = {v.name: v.number for v in e.value}
    for f in fds.file:
        for m in f.message_type:
            walk(f.package, m)
        for e in f.enum_type:
            enums[f.package + '.' + e.name] = {v.name: v.number for v in e.value}
    return msgs, enums

ours, ours_e = load(sys.argv[1])
up, up_e = load(sys.argv[2])
bad = 0
for name, fields in ours.items():
    if name not in up:
        print('check-schema: message %s: not upstream' % name); bad += 1; continue
    for f, spec in fields.items():
        u = up[name].get(f)
        if not u:
            print('check-schema: %s.%s: no such field upstream' % (name, f)); bad += 1
        elif u[:3] != spec[:3] and not (f == 'key' and name.endswith('VmstatValue')):
            print('check-schema: %s.%s: ours %s, upstream %s (number, type, label)' % (name, f, spec[:3], u[:3]))
            bad += 1
for name, vals in ours_e.items():
    u = up_e.get(name)
    if u is None:
        print('check-schema: enum %s: not upstream' % name); bad += 1; continue
    for v, n in vals.items():
        if u.get(v) != n:
            print('check-schema: %s.%s = %s, upstream %s' % (name, v, n, u.get(v))); bad += 1
print('check-schema: %d messages, %d enums checked, %d differences' % (len(ours), len(ours_e), bad))
sys.exit(1 if bad else 0)
EOF
