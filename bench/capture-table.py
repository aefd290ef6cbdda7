#!/usr/bin/env python3
"""capture-table.py: the table of the capture-overhead benchmark (bench/capture-overhead.sh runs it).

    capture-table.py [--markdown FILE] RUNDIR...

RUNDIR = build/e2e/runs/bench-<kernel>-<scenario>/bench-<kernel>-<scenario> as the guest
(tests/e2e/bench-init.sh) wrote it: results.txt (one faultloop line per run: "r=R i=I cond=C pages=N secs=S
pages_per_s=X ..."), runs.txt ("I-COND SECONDS": a captured run's whole time, set-up and write-out included),
I-COND.{dat,txt} + .info.txt (`allocscope info` on the host), I-COND.log (the recorder's output), checks.txt,
uname.txt, host.txt (qemu, host CPU; written by capture-overhead.sh).

Overhead of a captured run i = 1 - X_i / mean(X_{i-1}, X_{i+1}), its two neighbours being runs without capture
(bench-init.sh alternates them). Per condition: the median of those ratios (and their range), the median
throughput of the captured runs and of all baseline runs, the median events recorded and events lost per run.
Lost = the ring buffer's overrun + dropped counts of every CPU (what the kernel discarded) plus events the trace's
own loss markers announce. "no reader": the overhead of the nr-* condition with the same tracefs set-up and
nobody reading (nr-MODE for as-MODE and sh-MODE, nr-graphall for tcmd-graph, nr-graphl for tcmd-graphl). Exit status 1 if a target is missed or a recorder did not restore tracefs.
"""
import argparse
import os
import re
import statistics
import sys

# issue 19: events mode's target is the recorder's own share (at most 1 point above the same tracefs set-up
# with nobody reading); freelist: at most 20 %, its recorder's share at most 2 points
TARGETS = {"retprobe": 25.0, "graph": 40.0, "freelist": 20.0, "freelist-return": 20.0}
SHARES = {"events": 1.0, "freelist": 2.0, "freelist-return": 2.0}
# "well below" trace-cmd's unfiltered function_graph: at most half of its overhead
WELL_BELOW = 0.5


def parse_results(path):
    runs = []
    with open(path) as f:
        for line in f:
            kv = dict(w.split("=", 1) for w in line.split() if "=" in w)
            if "i" in kv and "pages_per_s" in kv:
                runs.append({"i": int(kv["i"]), "r": int(kv["r"]), "cond": kv["cond"],
                             "rate": float(kv["pages_per_s"]), "pages": int(kv["pages"])})
    runs.sort(key=lambda x: x["i"])
    return runs


def parse_info(path):
    """events, lost (overrun + dropped + loss markers) from `allocscope info`; None when unreadable"""
    if not os.path.exists(path):
        return None
    text = open(path).read()
    # allocscope info separates thousands with commas ("events:       107,579")
    num = lambda x: int(x.replace(",", ""))
    m = re.search(r"^\s*events:\s+([\d,]+)", text, re.M)
    if not m:
        return None
    ev = num(m.group(1))
    lost = 0
    m = re.search(r"lost events:\s+([\d,]+)", text)
    if m:
        lost += num(m.group(1))
    m = re.search(r"ring buffer:\s+([\d,]+) overrun, ([\d,]+) dropped", text)
    if m:
        lost += num(m.group(1)) + num(m.group(2))
    return ev, lost


def parse_reclog(path):
    """events and lost from allocscope record's own summary (cross-check); None for other recorders"""
    if not os.path.exists(path):
        return None
    text = open(path).read()
    m = re.search(r"recorded [\d.]+ s in mode \w+: (\d+) events", text)
    if not m:
        return None
    lost = sum(int(x) for x in re.findall(r"cpu\d+ lost (\d+) events", text))
    return int(m.group(1)), lost


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def fmt_rate(x):
    return "%.0f" % x if x == x else "-"


def table(rundir):
    runs = parse_results(os.path.join(rundir, "results.txt"))
    kernel = open(os.path.join(rundir, "uname.txt")).read().strip()
    took = {}
    if os.path.exists(os.path.join(rundir, "runs.txt")):
        for line in open(os.path.join(rundir, "runs.txt")):
            w = line.split()
            if len(w) == 2:
                took[w[0]] = float(w[1])
    checks = open(os.path.join(rundir, "checks.txt")).read().splitlines() \
        if os.path.exists(os.path.join(rundir, "checks.txt")) else []
    restore_fail = [c for c in checks if c.startswith("FAIL")]
    base = [x["rate"] for x in runs if x["cond"] == "base"]
    byi = {x["i"]: x for x in runs}
    conds = []
    for x in runs:
        if x["cond"] != "base" and x["cond"] not in conds:
            conds.append(x["cond"])
    order = ["as-events", "as-freelist", "as-freelist-return", "as-retprobe", "as-graph", "sh-events",
             "sh-freelist", "sh-retprobe", "sh-graph", "tcmd-graph", "tcmd-graphl", "nr-events", "nr-freelist",
             "nr-freelist-return", "nr-retprobe", "nr-fretprobe", "nr-retprobena", "nr-retprobe2",
             "nr-retprobe3", "nr-retprobe4", "nr-graph", "nr-graphl", "nr-graphall", "spin"]
    conds.sort(key=lambda c: (order.index(c) if c in order else len(order), c))
    rows = []
    notes = []
    for c in conds:
        ratios, rates, evs, losts, secs = [], [], [], [], []
        for x in runs:
            if x["cond"] != c:
                continue
            nb = [byi[j]["rate"] for j in (x["i"] - 1, x["i"] + 1) if j in byi and byi[j]["cond"] == "base"]
            if len(nb) != 2:
                notes.append("%s run %d: %d baseline neighbours, left out" % (c, x["i"], len(nb)))
                continue
            ratios.append(x["rate"] / (sum(nb) / 2))
            rates.append(x["rate"])
            rid = "%d-%s" % (x["i"], c)
            ext = ".txt" if c.startswith("sh-") else ".dat"
            info = parse_info(os.path.join(rundir, rid + ext + ".info.txt"))
            rec = parse_reclog(os.path.join(rundir, rid + ".log"))
            if info:
                evs.append(info[0])
                losts.append(info[1])
                if rec and rec[1] > info[1]:
                    losts[-1] = rec[1]
            elif rec:
                evs.append(rec[0])
                losts.append(rec[1])
            elif not c.startswith(("nr-", "spin")):
                notes.append("%s: no event count for run %d" % (c, x["i"]))
            if rid in took:
                secs.append(took[rid])
        if not ratios:
            continue
        over = [100 * (1 - r) for r in ratios]
        mode = c.split("-", 1)[-1]
        target = TARGETS.get(mode) if c.startswith("as-") else None
        share = SHARES.get(mode) if c.startswith("as-") else None
        rows.append({"cond": c, "mode": mode, "n": len(ratios), "base": med(base), "cap": med(rates),
                     "over": 100 * (1 - med(ratios)), "omin": min(over), "omax": max(over), "target": target,
                     "share_target": share,
                     "events": med(evs) if evs else None, "lost": med(losts) if losts else None,
                     "lost_max": max(losts) if losts else None, "took": med(secs) if secs else None})
    # the same tracefs set-up without a reader (bench-init.sh's nr-*): the part paid in the workload's context
    over = {r["cond"]: r["over"] for r in rows}
    for r in rows:
        rec = r["cond"].split("-", 1)[0]
        nr = {"tcmd-graph": "nr-graphall", "tcmd-graphl": "nr-graphl"}.get(r["cond"]) if rec == "tcmd" else \
            None if rec in ("nr", "spin") else "nr-" + r["mode"]
        r["noreader"] = over.get(nr)
    ref = next((r for r in rows if r["cond"] == "tcmd-graph"), None)
    ok = not restore_fail
    for r in rows:
        if r["target"] is None and r["share_target"] is None:
            r["verdict"] = "-"
            continue
        good = r["target"] is None or r["over"] <= r["target"]
        why = []
        if not good:
            why.append("> target")
        if r["share_target"] is not None:
            if r["noreader"] is None:
                good = False
                why.append("no nobody-reading run to take the share from")
            elif r["over"] - r["noreader"] > r["share_target"]:
                good = False
                why.append("share %.1f > %g points" % (r["over"] - r["noreader"], r["share_target"]))
        if ref is not None:
            if r["over"] > WELL_BELOW * ref["over"]:
                good = False
                why.append("not <= %.0f %% of trace-cmd's" % (100 * WELL_BELOW))
        r["verdict"] = "PASS" if good else "FAIL (" + ", ".join(why) + ")"
        ok = ok and good
    host = open(os.path.join(rundir, "host.txt")).read().splitlines() \
        if os.path.exists(os.path.join(rundir, "host.txt")) else []
    return {"kernel": kernel, "host": host, "rows": rows, "base": base, "notes": notes, "restore_fail": restore_fail,
            "checks": len(checks), "ok": ok, "rounds": max((x["r"] for x in runs), default=0),
            "secs": med([x["pages"] / x["rate"] for x in runs]) if runs else 0}


COLS = ["condition", "baseline pages/s", "captured pages/s", "overhead", "range", "target", "verdict",
        "no reader", "recorder's share", "events/run", "lost/run", "run took"]


def cells(r):
    return [r["cond"], fmt_rate(r["base"]), fmt_rate(r["cap"]), "%.1f %%" % r["over"],
            "%.1f .. %.1f" % (r["omin"], r["omax"]),
            " and ".join(x for x in ("<= %g %%" % r["target"] if r["target"] is not None else "",
                                     "share <= %g" % r["share_target"] if r.get("share_target") is not None
                                     else "") if x) or "-", r["verdict"],
            "%.1f %%" % r["noreader"] if r.get("noreader") is not None else "-",
            "%.1f" % (r["over"] - r["noreader"]) if r.get("noreader") is not None else "-",
            "%.0f" % r["events"] if r["events"] is not None else "-",
            ("%.0f" % r["lost"] + (" (max %.0f)" % r["lost_max"] if r["lost_max"] != r["lost"] else ""))
            if r["lost"] is not None else "-",
            "%.1f s" % r["took"] if r["took"] is not None else "-"]


def head(t):
    b = t["base"]
    spread = (100 * (max(b) - min(b)) / med(b)) if b else 0
    return ("kernel %s: %d rounds of %.1f s runs; %d baseline runs, median %.0f pages/s, range %.0f .. %.0f "
            "(%.1f %% of the median)" % (t["kernel"], t["rounds"], t["secs"], len(b), med(b),
                                          min(b) if b else 0, max(b) if b else 0, spread))


def print_text(ts, out):
    for t in ts:
        out.write(head(t) + "\n")
        for h in t["host"]:
            out.write("  " + h + "\n")
        rows = [COLS] + [cells(r) for r in t["rows"]]
        w = [max(len(row[k]) for row in rows) for k in range(len(COLS))]
        for row in rows:
            out.write("  ".join(row[k].ljust(w[k]) if k in (0, 6) else row[k].rjust(w[k])
                                for k in range(len(COLS))).rstrip() + "\n")
        for n in t["notes"]:
            out.write("note: %s\n" % n)
        out.write("tracefs restored after every recorder: %s\n" %
                  ("yes (%d checks)" % t["checks"] if not t["restore_fail"] else
                   "NO: " + "; ".join(t["restore_fail"])))
        out.write("\n")


def print_md(ts, out):
    for t in ts:
        out.write("%s\n\n" % head(t))
        for h in t["host"]:
            out.write("- %s\n" % h)
        if t["host"]:
            out.write("\n")
        out.write("| " + " | ".join(COLS) + " |\n")
        out.write("|" + "|".join("---" for _ in COLS) + "|\n")
        for r in t["rows"]:
            out.write("| " + " | ".join(c.replace("|", "\\|") for c in cells(r)) + " |\n")
        out.write("\n")
        for n in t["notes"]:
            out.write("- note: %s\n" % n)
        if t["notes"]:
            out.write("\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--markdown")
    ap.add_argument("rundirs", nargs="+")
    args = ap.parse_args()
    ts = [table(d) for d in args.rundirs]
    print_text(ts, sys.stdout)
    ok = all(t["ok"] for t in ts)
    print("BENCH-CAPTURE: %s (targets: events' recorder share <= 1 point above nobody reading, freelist <= 20 %% "
          "and its share <= 2 points, retprobe <= 25 %%, graph <= 40 %%, each <= %.0f %% of trace-cmd's "
          "unfiltered function_graph overhead)" % ("PASS" if ok else "FAIL", 100 * WELL_BELOW))
    if args.markdown:
        with open(args.markdown, "w") as f:
            print_md(ts, f)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
