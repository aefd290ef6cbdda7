#!/usr/bin/env python3
"""kprobe-args.py: the alloc entry's kprobe arguments against mm_page_alloc's fields (issue 18).

    kprobe-args.py TRACE      (trace.dat: read through `trace-cmd report -R`; text: as written)

Our recorders probe the alloc entry with gfp=$argN order=$argN (registers %di/%si on x86-64, %x0/%x1 on
arm64 before 4.20). mm_page_alloc, which fires at the end of the same __alloc_pages call, carries the
kernel's own gfp_flags and order: the columns must agree. Per task, the entries open a stack that
alloc_ret closes; an mm_page_alloc belongs to the innermost open entry. order must be equal. gfp: in
trace.dat (-R: raw numbers) mm_page_alloc's gfp_flags must equal the probe's gfp, except for the bits
the kernel itself changes in between (__alloc_pages: gfp &= gfp_allowed_mask, current_gfp_context()
clears __GFP_IO/__GFP_FS in memalloc_noio/nofs scopes): the probe's gfp must contain mm_page_alloc's,
and what it has more must lie in __GFP_IO|__GFP_FS; in text, where mm_page_alloc prints flag names,
each probe value must always meet the same names (one value, one string).
Prints one line: KARGS: PASS|FAIL (compared, order mismatches, gfp mismatches, without entry).
"""
import re
import subprocess
import sys

# include/linux/gfp_types.h: ___GFP_IO_BIT 6, ___GFP_FS_BIT 7 in 6.1 and 6.12 (bits of the enum after
# DMA, HIGHMEM, DMA32, MOVABLE, RECLAIMABLE, HIGH)
GFP_IO_FS = (1 << 6) | (1 << 7)

LINE = re.compile(r"^\s*(.+?)-(\d+)\s+(?:\(\s*[\d-]+\)\s+)?\[(\d+)\]\s*(?:[.a-zA-Z]{4,6}\s+)?([\d.]+):\s+(\w+):\s*(.*)$")


def lines_of(path):
    if path.endswith(".dat"):
        p = subprocess.run(["trace-cmd", "report", "-R", "-i", path], capture_output=True, text=True)
        return p.stdout.splitlines()
    return open(path, errors="replace").read().splitlines()


def fields(rest):
    return dict(kv.split("=", 1) for kv in rest.split() if "=" in kv)


def num(v):
    try:
        return int(v, 0)
    except ValueError:
        return None


def main(path):
    stacks = {}
    compared = order_bad = gfp_bad = no_entry = iofs = 0
    names = {}       # text: probe gfp -> mm_page_alloc's flag string
    examples = []
    for line in lines_of(path):
        m = LINE.match(line)
        if not m:
            continue
        pid, ev, rest = m.group(2), m.group(5), m.group(6)
        if ev == "alloc_entry":
            f = fields(rest)
            stacks.setdefault(pid, []).append((num(f.get("gfp", "")), num(f.get("order", ""))))
        elif ev == "alloc_ret":
            if stacks.get(pid):
                stacks[pid].pop()
        elif ev == "mm_page_alloc":
            st = stacks.get(pid)
            if not st:
                no_entry += 1
                continue
            gfp, order = st[-1]
            f = fields(rest)
            compared += 1
            if num(f.get("order", "")) != order:
                order_bad += 1
                if len(examples) < 3:
                    examples.append(f"order {order} vs {f.get('order')}")
            g = f.get("gfp_flags", "")
            k = num(g)
            if k is not None:
                ok = gfp is not None and (gfp & k) == k and not ((gfp ^ k) & ~GFP_IO_FS)
                iofs += ok and gfp != k
            else:
                ok = names.setdefault(gfp, g) == g
            if not ok:
                gfp_bad += 1
                if len(examples) < 3:
                    examples.append(f"gfp {gfp:#x} vs {g} ({names.get(gfp)})" if gfp is not None else f"gfp ? vs {g}")
    ok = compared > 0 and not order_bad and not gfp_bad
    print(f"KARGS: {'PASS' if ok else 'FAIL'} ({compared} mm_page_alloc compared with their alloc_entry, "
          f"{order_bad} order mismatches, {gfp_bad} gfp mismatches ({iofs} differing in __GFP_IO/__GFP_FS only), "
          f"{no_entry} without an open entry, "
          f"{len(names)} gfp values{'; ' + '; '.join(examples) if examples else ''})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
