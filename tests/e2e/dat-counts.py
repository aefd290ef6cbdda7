#!/usr/bin/env python3
"""dat-counts.py: one trace.dat of our recorder read three ways must give the same events (issue 18).

    dat-counts.py ALLOCSCOPE TRACE.dat

1. our reader: `allocscope info --json TRACE.dat` (events per name, total);
2. trace-cmd's: `trace-cmd report TRACE.dat` (one line per event; its per-name counts);
3. the text path: that report as text, read by `allocscope info --json` again.
Also the page size: trace-cmd's "[Page size, bytes]" of the file (the ring buffer's sub-buffer, written by
our trace.dat writer) against the recorder's `allocscope: page_size` marker (the kernel's page size): on
a 16 KB-page arm64 kernel both are 16384. Prints one line: DATCOUNT: PASS|FAIL (...).
"""
import collections
import json
import os
import re
import subprocess
import sys
import tempfile

EV = re.compile(r"^\s*.+?-\d+\s+(?:\(\s*[\d-]+\)\s+)?\[\d+\]\s*(?:[.a-zA-Z]{4,6}\s+)?[\d.]+:\s+(\w+):")


def info(binary, path):
    p = subprocess.run([binary, "info", "--json", path], capture_output=True, text=True)
    d = json.loads(p.stdout)
    return d["events_total"], {e["name"]: e["count"] for e in d["events"]}


def main(binary, path):
    bad = []
    ours_total, ours = info(binary, path)
    rep = subprocess.run(["trace-cmd", "report", "-i", path], capture_output=True, text=True).stdout
    tc = collections.Counter()
    for line in rep.splitlines():
        m = EV.match(line)
        if m:
            tc[m.group(1)] += 1
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write(rep)
        tmp = f.name
    try:
        text_total, text = info(binary, tmp)
    finally:
        os.unlink(tmp)
    tc_total = sum(tc.values())
    # kprobe and function_graph events are named differently per reader (funcgraph_entry/exit): totals
    # must agree, and so must every tracepoint's count
    # function_graph: trace-cmd prints a leaf call's entry and exit as one line, so its line count is
    # lower by the leaves; our two readings must still agree on entries and exits
    note = ""
    if "funcgraph_entry" in ours:
        note = f"; function_graph: {ours['funcgraph_entry']} entries, {ours.get('funcgraph_exit', 0)} exits"
        for n in ("funcgraph_entry", "funcgraph_exit"):
            if ours.get(n, 0) != text.get(n, 0):
                bad.append(f"{n}: ours {ours.get(n, 0)}, text {text.get(n, 0)}")
        if ours_total != text_total:
            bad.append(f"totals ours {ours_total}, text {text_total}")
    elif not (ours_total == tc_total == text_total):
        bad.append(f"totals ours {ours_total}, trace-cmd {tc_total}, text {text_total}")
    for name in sorted(set(ours) | set(tc)):
        if name.startswith("mm_") or name in ("sched_switch", "mark_victim", "print"):
            if not (ours.get(name, 0) == tc.get(name, 0) == text.get(name, 0)):
                bad.append(f"{name}: ours {ours.get(name, 0)}, trace-cmd {tc.get(name, 0)}, text {text.get(name, 0)}")
    dump = subprocess.run(["trace-cmd", "dump", "--summary", "-i", path], capture_output=True, text=True).stdout
    m = re.search(r"(\d+)\s+\[Page size, bytes\]", dump)
    file_page = int(m.group(1)) if m else None
    m = re.search(r"allocscope: page_size (\d+)", rep)
    marker_page = int(m.group(1)) if m else None
    if file_page is None or file_page != marker_page:
        bad.append(f"page size: trace.dat header {file_page}, recorder marker {marker_page}")
    print(f"DATCOUNT: {'FAIL' if bad else 'PASS'} ({ours_total} events by allocscope, {tc_total} by trace-cmd "
          f"report, {text_total} by allocscope from that report's text; page size {file_page} in the header, "
          f"{marker_page} in the marker{note}{'; ' + '; '.join(bad[:4]) if bad else ''})")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
