#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Hand-made damaged Perfetto traces for the malformed suite (tests/malformed/cases).

Each file starts with a first packet the reader recognizes, then the damage.
Written with plain byte strings (no protobuf library): the point is bytes a
protobuf library would never write.  Usage: malformed.py OUTDIR
"""
import io
import os
import sys
import zipfile
import zlib


def varint(v):
    b = bytearray()
    while True:
        c = v & 0x7f
        v >>= 7
        b.append(c | (0x80 if v else 0))
        if not v:
            return bytes(b)


def ld(field, payload):
    """A length-delimited field."""
    return varint(field << 3 | 2) + varint(len(payload)) + payload


def vi(field, v):
    return varint(field << 3) + varint(v)


FIRST = ld(1, vi(10, 1))                       # TracePacket{trusted_packet_sequence_id: 1}


def packet(payload):
    return ld(1, payload)


def bundle(*events, cpu=0):
    return ld(1, vi(1, cpu) + b''.join(ld(2, e) for e in events))   # TracePacket.ftrace_events


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    good_event = vi(1, 1000) + vi(2, 42) + ld(3, ld(2, b'hello\n'))   # print at 1000 ns
    cases = {
        # a varint whose last byte never comes, inside an event
        'pf-trunc-varint.pftrace': FIRST + packet(bundle(good_event, vi(1, 2000)[:1] + b'\xff\xff')),
        # an event's length runs past its bundle
        'pf-len-past-end.pftrace': FIRST + packet(ld(1, vi(1, 0) + varint(2 << 3 | 2) + varint(100) +
                                                  b'\x08\x01')),
        # the file ends inside a packet's length varint (a cut file: exit 4)
        'pf-cut-length.pftrace': FIRST + packet(bundle(good_event)) + b'\x0a\xff\xff',
        # a packet claiming 1 TB
        'pf-huge-packet.pftrace': FIRST + b'\x0a' + varint(1 << 40) + b'\x00' * 16,
        # after the packets, something that is not a Trace.packet
        'pf-not-packet.pftrace': FIRST + packet(bundle(good_event)) + vi(3, 7),
        # wire types 3/4 (groups)
        'pf-group.pftrace': FIRST + packet(b'\x0b\x0c'),
        # compressed packets holding compressed packets
        'pf-recursion.pftrace': FIRST + packet(ld(50, zlib.compress(packet(ld(50, zlib.compress(
            packet(bundle(good_event)))))))),
        # 64 MiB of zeros in compressed packets: a decompression bomb
        'pf-bomb.pftrace': FIRST + packet(ld(50, zlib.compress(b'\x00' * (64 << 20), 9))),
        # compressed packets that are not deflate
        'pf-bad-deflate.pftrace': FIRST + packet(ld(50, b'\x78\x9c' + b'\xff' * 64)),
        # zstd compressed packets that are not zstd
        'pf-bad-zstd.pftrace': FIRST + packet(ld(133, b'\x28\xb5\x2f\xfd' + b'\xff' * 64)),
        # a bundle for CPU 100000
        'pf-cpu.pftrace': FIRST + packet(bundle(good_event, cpu=100000)),
        # compact_sched with arrays of different lengths
        'pf-compact.pftrace': FIRST + packet(ld(1, vi(1, 0) + ld(4, ld(5, b'a') + ld(1, varint(5) + varint(6)) +
                                                                ld(2, varint(0)) + ld(3, varint(7) + varint(8)) +
                                                                ld(4, varint(120) + varint(120)) +
                                                                ld(6, varint(0) + varint(0))))),
        # a frame timeline start whose pid varint never ends (TracePacket.frame_timeline_event, 76)
        'pf-ftl-trunc.pftrace': FIRST + packet(vi(8, 100) + ld(76, ld(4, vi(1, 7) + vi(2, 1) + vi(3, 2) +
                                                                   b'\x20\xff\xff'))),
        # 2,000 actual surface frame starts that never end, an end whose start never came, then
        # one frame that pairs: read, the unpaired counted (frames 1, unpaired 2,001)
        'pf-ftl-unpaired.pftrace': FIRST + b''.join(
            packet(vi(8, 100 + i) + ld(76, ld(4, vi(1, i + 10) + vi(2, i) + vi(3, i) + vi(4, 42))))
            for i in range(2000)) + packet(vi(8, 5000) + ld(76, ld(5, vi(1, 99999)))) +
            packet(vi(8, 6000) + ld(76, ld(4, vi(1, 5) + vi(2, 1) + vi(3, 2) + vi(4, 42) + vi(9, 64)))) +
            packet(vi(8, 7000) + ld(76, ld(5, vi(1, 5)))),
        # nesting 20,000 deep inside a field the reader does not read: skipped, never recursed into
        'pf-deep.pftrace': FIRST + packet(bundle(good_event) + _deep(20000)),
    }
    for name, data in cases.items():
        with open(os.path.join(out, name), 'wb') as f:
            f.write(data)
    # a zip without a trace; a zip whose directory points outside it
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('bugreport.txt', 'no trace here\n' * 10)
        z.writestr('FS/data/misc/perfetto-traces/notes.txt', 'not a trace either\n')
    open(os.path.join(out, 'pf-zip-none.zip'), 'wb').write(buf.getvalue())
    data = bytearray(buf.getvalue())
    eocd = data.rfind(b'PK\x05\x06')
    data[eocd + 16:eocd + 20] = (len(data) + 1000).to_bytes(4, 'little')
    open(os.path.join(out, 'pf-zip-cd.zip'), 'wb').write(bytes(data))


def _deep(n):
    """Field 900 holding field 900 holding ... n levels (lengths computed from the inside out)."""
    inner = b''
    for _ in range(n):
        inner = ld(900, inner)
    return inner


if __name__ == '__main__':
    main()
