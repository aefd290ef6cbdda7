#!/usr/bin/env python3
"""Shrink a trace.dat v6 (uncompressed, little endian) into a small fuzz seed:
kallsyms and printk formats emptied, at most PAGES data pages per CPU kept.
Make the v6 input with: trace-cmd convert -i IN -o OUT --file-version 6 --compression none
Usage: shrink-tracedat.py IN.v6 OUT [PAGES]"""
import struct, sys

src = open(sys.argv[1], 'rb').read()
pages = int(sys.argv[3]) if len(sys.argv) > 3 else 1
p = 0
def take(n):
    global p
    b = src[p:p + n]; p += n; return b
def u16(): return struct.unpack('<H', take(2))[0]
def u32(): return struct.unpack('<I', take(4))[0]
def u64(): return struct.unpack('<Q', take(8))[0]
def cstr():
    global p
    e = src.index(b'\0', p); s = src[p:e + 1]; p = e + 1; return s

out = bytearray()
out += take(10)                     # magic
ver = cstr(); assert ver == b'6\0', 'need a v6 file'
out += ver
out += take(2)                      # endian, long size
psize = u32(); out += struct.pack('<I', psize)
assert src[p - 6] == 0, 'little endian only'
for name in (b'header_page\0', b'header_event\0'):
    assert take(len(name)) == name
    n = u64(); out += name + struct.pack('<Q', n) + take(n)
cnt = u32(); out += struct.pack('<I', cnt)
for _ in range(cnt):
    n = u64(); out += struct.pack('<Q', n) + take(n)
nsys = u32(); out += struct.pack('<I', nsys)
for _ in range(nsys):
    out += cstr()
    ne = u32(); out += struct.pack('<I', ne)
    for _ in range(ne):
        n = u64(); out += struct.pack('<Q', n) + take(n)
n = u32(); take(n); out += struct.pack('<I', 0)     # kallsyms
n = u32(); take(n); out += struct.pack('<I', 0)     # printk formats
n = u64(); out += struct.pack('<Q', n) + take(n)    # saved cmdlines
cpus = u32(); out += struct.pack('<I', cpus)
clock = False
while True:
    tag = take(10)
    out += tag
    if tag == b'options  \0':
        while True:
            oid = u16(); out += struct.pack('<H', oid)
            if oid == 0:
                break
            n = u32(); data = take(n)
            assert oid != 3, 'buffer instances not supported here'
            if oid == 4:
                clock = True
            out += struct.pack('<I', n) + data
        continue
    assert tag == b'flyrecord\0', tag
    break
table = [(u64(), u64()) for _ in range(cpus)]
tail = b''
if clock:
    n = u64(); tail = struct.pack('<Q', n) + take(n)
hdr_len = len(out) + 16 * cpus + len(tail)
off = (hdr_len + psize - 1) // psize * psize
data = bytearray()
newtab = []
for o, s in table:
    s = min(s, pages * psize)
    newtab.append((off + len(data) if s else 0, s))
    data += src[o:o + s]
for o, s in newtab:
    out += struct.pack('<QQ', o, s)
out += tail
out += b'\0' * (off - len(out))
out += data
open(sys.argv[2], 'wb').write(out)
