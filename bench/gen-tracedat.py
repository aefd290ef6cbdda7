#!/usr/bin/env python3
"""Make a large, format-valid trace.dat (v6, uncompressed) from a real one.

    gen-tracedat.py IN-v6.dat OUT.dat COPIES

IN must be a v6 file without buffer instances (`trace-cmd convert
--file-version 6 --compression none` makes one from any trace.dat).  The
metadata (formats, kallsyms, cmdlines, options) is copied byte for byte; the
CPU data of each CPU is the original's ring-buffer pages repeated COPIES
times, copy k with every page timestamp moved by k * (the trace's span +
1 ms), so the merged stream stays ordered and every event keeps its
content.  Events inside a page carry time deltas relative to the page's
timestamp, so only page headers change; a page holding an absolute
TIME_STAMP record (type 31) would not shift correctly, and is refused.
`trace-cmd convert --file-version 7 --compression zstd` turns the result into
the usual compressed v7 file.
"""
import struct
import sys


def fail(msg):
    sys.exit("gen-tracedat: " + msg)


def main():
    if len(sys.argv) != 4:
        fail("usage: gen-tracedat.py IN-v6.dat OUT.dat COPIES")
    src, dst, copies = sys.argv[1], sys.argv[2], int(sys.argv[3])
    d = open(src, "rb").read()
    if d[:10] != b"\x17\x08Dtracing" or d[10:12] != b"6\0":
        fail("%s: not a v6 trace.dat" % src)
    if d[12] != 0:
        fail("big-endian files are not supported")
    lsize, psize = d[13], struct.unpack_from("<I", d, 14)[0]
    pos = 18

    def block(pos, szbytes):
        n = struct.unpack_from("<Q" if szbytes == 8 else "<I", d, pos)[0]
        return pos + szbytes + n

    for name in (b"header_page\0", b"header_event\0"):
        if d[pos:pos + len(name)] != name:
            fail("expected %r at %d" % (name, pos))
        pos = block(pos + len(name), 8)
    n = struct.unpack_from("<I", d, pos)[0]
    pos += 4
    for _ in range(n):
        pos = block(pos, 8)
    nsys = struct.unpack_from("<I", d, pos)[0]
    pos += 4
    for _ in range(nsys):
        pos = d.index(b"\0", pos) + 1
        nev = struct.unpack_from("<I", d, pos)[0]
        pos += 4
        for _ in range(nev):
            pos = block(pos, 8)
    pos = block(pos, 4)     # kallsyms
    pos = block(pos, 4)     # printk formats
    pos = block(pos, 8)     # saved cmdlines
    cpus = struct.unpack_from("<I", d, pos)[0]
    pos += 4
    has_clock = False
    while d[pos:pos + 10] == b"options  \0":
        pos += 10
        while True:
            oid = struct.unpack_from("<H", d, pos)[0]
            pos += 2
            if oid == 0:
                break
            size = struct.unpack_from("<I", d, pos)[0]
            if oid == 3:
                fail("buffer instances are not supported")
            if oid == 4:
                has_clock = True
            pos += 4 + size
    if d[pos:pos + 10] != b"flyrecord\0":
        fail("expected flyrecord at %d" % pos)
    pos += 10
    table = pos
    extents = [struct.unpack_from("<QQ", d, table + 16 * c) for c in range(cpus)]
    after = table + 16 * cpus
    clock = b""
    if has_clock:
        end = block(after, 8)
        clock = d[after:end]

    hdr = 16 if lsize == 8 else 12
    first, last = None, 0
    for off, size in extents:
        for p in range(off, off + size, psize):
            ts = struct.unpack_from("<Q", d, p)[0]
            commit = struct.unpack_from("<Q" if lsize == 8 else "<I", d, p + 8)[0] & ((1 << 27) - 1)
            i, t = p + hdr, ts
            while i < p + hdr + commit:
                w = struct.unpack_from("<I", d, i)[0]
                tl, delta = w & 31, w >> 5
                if tl == 29:
                    i += 4 + struct.unpack_from("<I", d, i + 4)[0]
                    continue
                if tl == 31:
                    fail("absolute TIME_STAMP records: cannot shift pages")
                if tl == 30:
                    t += delta + (struct.unpack_from("<I", d, i + 4)[0] << 27)
                    i += 8
                    continue
                t += delta
                if tl == 0:
                    i += 4 + ((struct.unpack_from("<I", d, i + 4)[0] + 3) & ~3)
                else:
                    i += 4 + 4 * tl
                first = t if first is None else min(first, t)
                last = max(last, t)
    span = last - (first or 0) + 1000000

    out = open(dst + ".tmp", "wb")
    out.write(d[:table])
    data_start = table + 16 * cpus + len(clock)
    data_start = (data_start + psize - 1) // psize * psize
    off = data_start
    new = []
    for _, size in extents:
        new.append((off, size * copies))
        off += size * copies
    for o, s in new:
        out.write(struct.pack("<QQ", o, s))
    out.write(clock)
    out.write(b"\0" * (data_start - out.tell()))
    for (o, size) in extents:
        pages = bytearray(d[o:o + size])
        for k in range(copies):
            if k:
                for p in range(0, size, psize):
                    ts = struct.unpack_from("<Q", pages, p)[0]
                    struct.pack_into("<Q", pages, p, ts + span)
            out.write(pages)
    out.close()
    import os
    os.replace(dst + ".tmp", dst)
    print("gen-tracedat: %s: %d CPUs x %d copies, span %.3f s per copy" %
          (dst, cpus, copies, span / 1e9))


main()
