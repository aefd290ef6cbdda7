#!/usr/bin/env python3
"""check.py: the e2e suite's assertions (tests/e2e/e2e.sh runs it).

    check.py [--results FILE] [--merge-test FILE] RUNDIR...
    check.py --variation <LOGS    (tests/e2e/variation.txt from graph~retprobe lines)

RUNDIR = build/e2e/runs/e2e-<kernel>-<scenario>/e2e-<kernel>-<scenario>, as the guest (suite-init.sh) wrote it
and e2e.sh analyzed it: <n>-<rec>-<mode>.{dat,txt} + .json (allocscope analyze --json), checks.txt (the guest's
own checks: tracefs restored after each recorder); --merge-test: the output of tests/e2e/merge-test.sh (the shell
recorder's per-CPU merge on the host). Prints one PASS/FAIL line per check, naming the run and the numbers, then a
summary line; exit status 1 if any check failed.

How each check judges (docs in tests/e2e/README.md):
  lossless       capture.lost_events == 0, no loss markers, ring overrun/dropped 0 where known
  markers        window and ground truth come from the recorder's own markers (allocscope: begin/end, vmstat)
  mode           the mode detected is the one asked for (sh-auto: graph or retprobe)
  allocstall     trace == kernel delta; otherwise the documented inequality: entries <= trace <= kernel
                 (the kernel counts every restart of do_try_to_free_pages(); throttled tasks count nowhere);
                 where the snapshots were read inside the window (`inside` passes between a marker and its
                 read): trace + edge_min - inside <= kernel <= trace_max + edge_max
  compact_stall  trace == kernel when the analyzer marks it exact (mm_compaction_deferred recorded); otherwise
                 lower bound (trace) <= kernel <= upper bound (entries = tries)
  oom_kill       trace (mark_victim) == kernel delta
  pgalloc        kernel delta >= trace + edge_min - inside: the trace counts no more pages than the kernel
                 besides those at the window's edges (a capture without allocscope: snapshot-after has inside 0
                 and fails when the recorder allocated between its after-read and end); for our recorders (as-*, sh-*),
                 which probe the bulk allocator, also kernel <= trace + edge + unseen (the bulk allocator's
                 pages: pgalloc without mm_page_alloc); the other recorders leave kernel above trace + edge
                 unbounded; not checked in events mode with direct compaction (captured pages: mm_page_alloc
                 without pgalloc, unseen there); 5.13-6.0 count 1 for a page of order 1-3 from a per-CPU list
                 (rmqueue_pcplist()): the analyzer's trace already leaves those pages out (JSON uncounted), and
                 its trace_min those of the orders pageblock_order may be (9 or 10 with 4 KB pages: hugetlb)
  kswapd_cpu     sched_switch run time vs the /proc/PID/stat delta: |a - b| <= max(10 % of b, 2 ticks): utime and
                 stime are each truncated to whole ticks in /proc/PID/stat, so a delta is exact to < 2 ticks only
  signature      proactive: no stall (reclaim entries 0, allocstall 0, <= 5 slow paths per 1,000 allocations)
                 while memory.reclaim reclaims a cgroup;
                 anon: direct reclaim (kernel allocstall > 0 and reclaim entries > 0); pagecache: kswapd ran or
                 direct reclaim; thp: direct compaction tries > 0 and kernel compact_stall > 0; oom: oom_kill > 0
                 and mark_victim > 0; calm: no direct reclaim, no compaction, <= 5 slow paths per 1,000 allocations;
                 jank: direct reclaim, and frames (atrace slices of tests/e2e/jankapp.c) late ones among them
  frames         jank: analyze's frames = the app's own record of its frames (CAP.truth: one line per frame),
                 the same number, and late frames with allocation stalls of their threads in an exact mode
  graph~retprobe slow paths per 1,000 allocations, mean of the two graph runs vs mean of the two retprobe runs,
                 on a log scale (x -> ln(1 + x): the rate varies from run to run by a factor, not by an amount):
                 |ln(1+g) - ln(1+r)| <= 4 s, s = the standard deviation of ln(1 + rate) over this kernel and
                 scenario's graph and retprobe runs in tests/e2e/variation.txt and this run's four (the
                 difference of two means of two has standard deviation s); also passes when the raw difference is
                 within 3 sigma of counting noise (binomial: sigma^2 = p(1-p)/n per run). Without 6 recorded runs
                 for the kernel/scenario, s is the largest of the file's. Coarse by nature (two runs per mode);
                 the exact comparison is cross-mode. INFO (and no events<=exact) where the boot captured each
                 mode once and its cross capture compared them exactly (arm64 pressure boots: minutes a capture)
  cross-mode     a capture recorded with -m cross (function_graph and the retprobe probes at once), analyzed with
                 -m graph and with -m retprobe: the same allocations, slow paths, direct reclaim entries and
                 compaction tries, exactly; in the window, but for allocations whose function_graph entry and
                 kprobe (a few us apart) lie on the two sides of a window marker, found in the rows, where the
                 whole trace is equal
  cross-freelist the same capture analyzed with -m freelist (the freelist probe recorded beside them): the same
                 allocations, slow paths, direct reclaim entries and compaction tries as graph's, exactly
  freelist       a freelist capture's own check: LOW + TRYLOCK attempts - open after = mm_page_alloc - open
                 before - orphans, no orphan, no alloc_flags no kernel passes, no probe miss
  graph~freelist as graph~retprobe, with the two as-freelist runs
  cross-events   the same capture analyzed with -m events: its slow paths (a lower bound) <= graph's
  events<=exact  the events-mode rate (a lower bound) <= the largest graph/retprobe rate + tol
  tcmd~MODE      the trace-cmd trace.dat (MODE graph, or retprobe on 6.1 where trace-cmd switching function_graph
                 on crashed the guests under TCG): same mode detected as the static recorder's first run in MODE,
                 same outcome of every check above
"""
import json
import math
import os
import re
import sys

results = []          # (ok, run, check, text)
rows = []             # for the results table
walls = {}            # run-capture -> wall seconds of the capture in the guest (guest.log "took")
outcome = {}          # (run-capture, check) -> ok
cross_done = set()     # kernel/scenario with a cross capture checked


def emit(ok, run, check, text):
    results.append((ok, run, check, text))
    if ok is not None:
        outcome[(run, check)] = ok
    print(f"{'PASS' if ok else 'INFO' if ok is None else 'FAIL'} {run} {check}: {text}")


def gt(d, name):
    for g in d.get("groundtruth") or []:
        if g["name"] == name:
            return g
    return None


def rate(d):
    k = d["kpi"]
    return k["slow_path_per_1000_allocations"] if k["allocations"] else None


def check_capture(run, scen, cap, d):
    c = d["capture"]
    k = d["kpi"]
    win_s = c["window_ns"] / 1e9 if c["window_ns"] else 0
    rec, mode = cap.split("-")[1], cap.split("-", 2)[2]

    lost = c["lost_events"] or 0
    lm = c["lost_markers"] or 0
    ov, dr = c.get("ring_overrun"), c.get("ring_dropped")
    ok = lost == 0 and lm == 0 and not ov and not dr
    emit(ok, run, "lossless", f"lost_events={lost} lost_markers={lm} ring_overrun={ov} ring_dropped={dr}"
         + ("" if ok else f" -> {lost} events lost, enlarge the ring buffer (as_buf)"))

    ok = c["window_source"] == "allocscope markers" and d["groundtruth_source"] == "trace markers"
    emit(ok, run, "markers", f"window_source={c['window_source']!r} groundtruth_source={d['groundtruth_source']!r} "
         f"window={win_s:.2f} s")

    want = {"graph": ("graph", "graph+retval"), "retprobe": ("retprobe",), "events": ("events",),
            "freelist": ("freelist",), "auto": ("graph", "graph+retval", "freelist", "retprobe"),
            "cross": ("graph", "graph+retval", "retprobe", "freelist")}[mode]
    emit(c["mode"] in want, run, "mode", f"detected {c['mode']}, asked {rec} -m {mode}")

    if c["mode"] == "freelist":
        check_freelist(run, d)

    g = gt(d, "allocstall")
    if not g or g["kernel"] is None:
        emit(False, run, "allocstall", "no kernel delta in the trace's snapshots")
    elif g["match"]:
        emit(True, run, "allocstall", f"trace={g['trace']} == kernel={g['kernel']} (entries {g['entries']})")
    elif g.get("inside"):
        # the snapshots were read inside the window (between begin and the before-snapshot's vmstat lines,
        # between snapshot-after and end: slow under pressure, 6.1 arm64 under TCG): the kernel's delta may
        # leave out up to `inside` of the trace's passes, and holds at most trace_max (+ the edges)
        lo = g["trace"] + g["edge_min"] - g["inside"]
        hi = g["trace_max"] + g["edge_max"]
        ok = g["entries"] <= g["trace"] and lo <= g["kernel"] <= hi
        emit(ok, run, "allocstall", f"trace={g['trace']} entries={g['entries']} kernel={g['kernel']} "
             f"inside={g['inside']}: " + ("" if ok else "VIOLATES ") + f"trace + edge_min - inside = {lo} <= "
             f"kernel <= trace_max + edge_max = {hi} ({g['note']})")
    else:
        ok = g["entries"] <= g["trace"] <= g["kernel"]
        emit(ok, run, "allocstall", f"trace={g['trace']} entries={g['entries']} kernel={g['kernel']}: "
             + ("documented inequality entries <= trace <= kernel holds" if ok else
                "VIOLATES entries <= trace <= kernel") + f" ({g['note']})")

    g = gt(d, "compact_stall")
    if not g or g["kernel"] is None:
        emit(False, run, "compact_stall", "no kernel delta in the trace's snapshots")
    elif g["exact"]:
        emit(g["match"], run, "compact_stall", f"exact: trace={g['trace']} kernel={g['kernel']} (tries {g['entries']})"
             + ("" if g["match"] else f" ({g['note']})"))
    else:
        ok = g["trace"] <= g["kernel"] <= g["entries"]
        emit(ok, run, "compact_stall", f"bounds: lower={g['trace']} <= kernel={g['kernel']} <= upper={g['entries']}"
             + ("" if ok else " VIOLATED"))

    g = gt(d, "oom_kill")
    if not g or g["kernel"] is None:
        emit(False, run, "oom_kill", "no kernel delta in the trace's snapshots")
    else:
        emit(g["match"], run, "oom_kill", f"trace(mark_victim)={g['trace']} kernel={g['kernel']}"
             + ("" if g["match"] else f" ({g['note']})"))

    g = gt(d, "pgalloc")
    if not g or g["kernel"] is None:
        emit(False, run, "pgalloc", "no kernel delta in the trace's snapshots")
    elif c["mode"] == "events" and d["compaction"]["tries"] > 0:
        pass    # pages captured by direct compaction (mm_page_alloc, no pgalloc) show only with function events
    else:
        # 5.13-6.0 count 1 for a high-order page from a per-CPU list: the analyzer's trace is already
        # lowered by those pages (uncounted), trace_min by those of the orders pageblock_order may be
        lo = g.get("trace_min", g["trace"]) + g["edge_min"] - g.get("inside", 0)
        ok = g["kernel"] >= lo
        txt = (f"kernel={g['kernel']} >= trace={g['trace']}"
               + (f" (trace_min={g['trace_min']})" if g.get("trace_min", g["trace"]) != g["trace"] else "")
               + f" + edge_min={g['edge_min']} - inside={g.get('inside', 0)}")
        if g.get("uncounted"):
            txt += (f" [trace = mm_page_alloc's pages - {g['uncounted']} the kernel does not count: "
                    f"{g['uncounted_allocations']} allocations of order 1-3 from the per-CPU lists count 1]")
        if rec in ("as", "sh", "mk"):     # our recorders probe the bulk allocator: the excess is bounded too
            hi = g["trace"] + g["edge"] + g.get("unseen", 0)
            ok = ok and g["kernel"] <= hi
            txt += f", <= trace + edge={g['edge']} + unseen={g.get('unseen', 0)} (bulk allocator)"
        emit(ok, run, "pgalloc", txt + ("" if ok else " VIOLATED")
             + ("" if g["match"] else " (edge)" if g["edge_explained"] else ""))

    ks = d["kswapd"]
    a, b = ks.get("cpu_percent"), ks.get("stat_cpu_percent")
    span, span_run = ks.get("snapshot_span_ns"), ks.get("snapshot_span_run_ns")
    if span and c["window_ns"] and abs(span - c["window_ns"]) > c["window_ns"] / 20:
        # the snapshots count the span between their reads, the % figures divide by the window: the
        # recorder's after-read came seconds before "end" under pressure (6.12 arm64: 9.98 s of 11.75 s)
        emit(None, run, "kswapd_cpu", f"sched_switch {a} % of the window vs /proc stat {b} %: not comparable, "
             f"the snapshots count {span / 1e9:.3f} s between their reads, the window is {win_s:.3f} s "
             f"(kswapd_like checks them like with like)")
    elif b is None:
        emit(False, run, "kswapd_cpu", f"no /proc/PID/stat figure (stat_cpu_percent null; sched_switch {a})")
    elif a is None:
        emit(b == 0, run, "kswapd_cpu", f"no sched_switch figure; stat {b:.2f} %")
    else:
        tick_pct = 2 * 0.01 / win_s * 100 if win_s else 0   # 2 ticks of 10 ms (clk_tck 100) in % of the window
        tol = max(0.10 * b, tick_pct)
        emit(abs(a - b) <= tol, run, "kswapd_cpu",
             f"sched_switch {a:.2f} % vs /proc stat {b:.2f} % (|diff| {abs(a - b):.2f}, tol {tol:.2f} = max(10 %, 2 ticks))"
             + f" source={ks['source']!r}")

    # like with like (issue 18): /proc/PID/stat is schedstat's se.sum_exec_runtime rounded down to
    # ticks (cputime_adjust() scales utime + stime to it; each is truncated to a tick), so the two deltas
    # differ by less than 2 ticks per kswapd thread; sched_switch's run time between the two reads is
    # shown beside them (INFO: the reads are located only to within their markers)
    st_ns, sc_ns = ks.get("stat_ns"), ks.get("sched_ns")
    if st_ns is not None and sc_ns is not None:
        # two reads, one after the other: kswapd may run between them when the recorder is kept off the
        # CPU (61 ms in a 16 KB anon capture); INFO then, the like-with-like check brackets both
        ok = abs(sc_ns - st_ns) < 2 * 10_000_000
        emit(True if ok else None, run, "kswapd_stat=schedstat",
             f"/proc/PID/stat {st_ns / 1e6:.0f} ms (ticks) vs schedstat {sc_ns / 1e6:.1f} ms: "
             f"|diff| {abs(sc_ns - st_ns) / 1e6:.1f} ms" + (" < 2 ticks (20 ms)" if ok else
             " >= 2 ticks: kswapd ran between the two reads"))
    # sched_switch's run time between the reads against the snapshots' delta, where the recorder marked
    # each read (allocscope: kswapd-read): stat rounds utime and stime down to 10 ms ticks (< 2 ticks
    # per delta), and sum_exec_runtime of a kswapd running at a read lacks its slice since the last tick
    # (< 1 tick of CONFIG_HZ >= 100, at each of the two reads): 40 ms in all
    if span_run is not None and (sc_ns is not None or st_ns is not None):
        ref = st_ns if st_ns is not None else sc_ns
        txt = (f"between the snapshot reads ({span / 1e9:.3f} s): sched_switch {span_run / 1e6:.1f} ms, "
               f"stat {st_ns / 1e6 if st_ns is not None else float('nan'):.0f} ms, schedstat "
               f"{sc_ns / 1e6 if sc_ns is not None else float('nan'):.1f} ms")
        lo, hi = ks.get("snapshot_span_run_min_ns"), ks.get("snapshot_span_run_max_ns")
        if lo is not None and hi is not None:
            # each delta within sched_switch's bracket: stat rounds down by < 2 ticks either way (20 ms),
            # a kswapd running at a read lacks its slice since the last tick (< 10 ms at HZ >= 100, each read)
            bad = [f"{n} {v / 1e6:.1f}" for n, v, r in (("stat", st_ns, 20_000_000), ("schedstat", sc_ns, 0))
                   if v is not None and not (lo - r - 20_000_000 <= v <= hi + r)]
            # INFO, not a verdict: when a wakeup preempts the running task, wakeup_preempt() skips the next
            # __schedule()'s rq clock update (rq_clock_skip_update(), kernel/sched/core.c), so the switch is
            # accounted at the wakeup's clock: sum_exec_runtime moves the wakeup-to-switch latency from the
            # preempted task to the woken one, which sched_switch's timestamps do not; under TCG that latency
            # (a resched IPI to another vCPU) made schedstat exceed sched_switch by up to 0.75 %
            emit(None, run, "kswapd_like", txt + f"; sched_switch {lo / 1e6:.1f} .. {hi / 1e6:.1f} ms wherever "
                 f"the reads lay in their markers' brackets (stat +-20 ms rounding, -20 ms staleness)"
                 + (f": outside {', '.join(bad)} (wakeup-preemption clock skip)" if bad else ": inside"))
        elif ks.get("read_marked"):
            emit(None, run, "kswapd_span", txt + " (the before-read not bracketed)")
        else:
            emit(None, run, "kswapd_span", txt + " (reads located by their markers only)")

    kall = lambda n: (gt(d, n) or {}).get("kernel")
    r = d["reclaim"]
    cp = d["compaction"]
    if scen == "anon":
        ok = (kall("allocstall") or 0) > 0 and r["entries"] > 0
        txt = f"direct reclaim: kernel allocstall={kall('allocstall')} reclaim entries={r['entries']}"
    elif scen == "pagecache":
        ok = (ks.get("run_ns") or 0) > 0 or r["entries"] > 0
        txt = f"reclaim: kswapd run {(ks.get('run_ns') or 0) / 1e6:.0f} ms, direct reclaim entries={r['entries']}, " \
              f"kernel allocstall={kall('allocstall')}"
    elif scen == "thp":
        ok = cp["tries"] > 0 and (kall("compact_stall") or 0) > 0
        txt = f"direct compaction: tries={cp['tries']} kernel compact_stall={kall('compact_stall')}"
    elif scen == "jank":
        fr = d.get("frames") or {}
        ok = (kall("allocstall") or 0) > 0 and r["entries"] > 0 and fr.get("frames", 0) > 0 and fr.get("late", 0) > 0
        txt = f"jank: kernel allocstall={kall('allocstall')} reclaim entries={r['entries']}, " \
              f"frames={fr.get('frames')} late={fr.get('late')}"
    elif scen == "oom":
        ok = (kall("oom_kill") or 0) > 0 and d["events"]["mark_victim"] > 0
        txt = f"OOM: kernel oom_kill={kall('oom_kill')} mark_victim={d['events']['mark_victim']}"
    elif scen == "proactive":
        # memory.reclaim reclaims in the writer's context, outside any allocation: no stall, and the pages it
        # reclaimed count in pgsteal_proactive (6.18+) or only in memory.stat, never as allocation stalls
        rt = rate(d) or 0
        ok = r["entries"] == 0 and (kall("allocstall") or 0) == 0 and rt <= 5
        txt = f"proactive reclaim, no allocation stall: reclaim entries={r['entries']} kernel " \
              f"allocstall={kall('allocstall')} slow/1000={rt:.2f}"
    else:
        rt = rate(d) or 0
        ok = r["entries"] == 0 and (kall("allocstall") or 0) == 0 and cp["tries"] == 0 and rt <= 5
        txt = f"calm: reclaim entries={r['entries']} kernel allocstall={kall('allocstall')} " \
              f"compaction tries={cp['tries']} slow/1000={rt:.2f}"
    emit(ok, run, "signature", txt)

    def gtv(n):
        g = gt(d, n) or {}
        return f"{g.get('trace')}/{g.get('kernel')}"
    rows.append({
        "run": run, "mode": c["mode"], "win": win_s, "alloc": k["allocations"], "slow": k["slow_path_entries"],
        "rate": rate(d), "est": k["estimated"], "allocstall": gtv("allocstall"),
        "compact": f"{(gt(d, 'compact_stall') or {}).get('trace')}/{(gt(d, 'compact_stall') or {}).get('entries')}/"
                   f"{(gt(d, 'compact_stall') or {}).get('kernel')}",
        "oom": gtv("oom_kill"), "ksw": a, "kstat": b, "lost": lost,
        "ksched": ks.get("sched_cpu_percent"), "psize": c.get("page_size"), "pgalloc": gtv("pgalloc"),
    })


def check_freelist(run, d):
    """the freelist probe's own check: every LOW/TRYLOCK attempt opened an allocation its mm_page_alloc
    closed (but at the window's edges), no attempt with alloc_flags no kernel passes, no orphan"""
    fl = d.get("freelist")
    if not fl:
        emit(False, run, "freelist", "no freelist block in the JSON")
        return
    lhs = fl["low"] + fl["trylock"] - fl["open_after"]
    rhs = fl["page_alloc"] - fl["open_before"] - fl["orphans"]
    ok = fl["exact"] and lhs == rhs and fl["orphans"] == 0 and fl["bad_flags"] == 0 and \
        fl["orphan_attempts"] == 0 and fl["missed"] == 0
    emit(ok, run, "freelist", f"probe {fl['probe']!r}: LOW {fl['low']} + TRYLOCK {fl['trylock']} - open after "
         f"{fl['open_after']} = {lhs}, mm_page_alloc {fl['page_alloc']} - open before {fl['open_before']} - orphans "
         f"{fl['orphans']} = {rhs}; bad flags {fl['bad_flags']}, orphan attempts {fl['orphan_attempts']}, "
         f"missed {fl['missed']}, slow attempts {fl['slow_attempts']}")


def binom_var(d):
    k = d["kpi"]
    n = k["allocations"]
    if not n:
        return 0.0
    p = k["slow_path_entries"] / n
    return p * (1 - p) / n * 1e6     # variance of the per-1000 rate


VARIATION = os.path.join(os.path.dirname(os.path.abspath(__file__)), "variation.txt")


def variation():
    """kernel/scenario -> the recorded graph and retprobe rates (tests/e2e/variation.txt)"""
    v = {}
    try:
        for line in open(VARIATION):
            w = line.split()
            if w and not line.startswith("#"):
                v.setdefault(w[0], []).extend(float(x) for x in w[2:])
    except OSError:
        pass
    return v


def log_sd(xs):
    ls = [math.log1p(x) for x in xs]
    m = sum(ls) / len(ls)
    return math.sqrt(sum((x - m) ** 2 for x in ls) / (len(ls) - 1))


def check_pairs(kscen, caps):
    g = [d for c, d in caps if c.endswith("-as-graph")]
    r = [d for c, d in caps if c.endswith("-as-retprobe")]
    e = [d for c, d in caps if c.endswith("-as-events")]
    fr = [d for c, d in caps if c.endswith("-as-freelist")]
    name = f"{kscen}"
    if len(g) < 2 or len(r) < 2:
        # arm64 pressure boots capture each mode once (a capture costs minutes under TCG): their cross
        # capture compares the modes exactly on one run (cross-mode, cross-freelist, cross-events)
        crossed = kscen in cross_done
        emit(None if crossed and g and r else False, name, "graph~retprobe",
             f"needs two graph and two retprobe runs, have {len(g)} and {len(r)}"
             + ("; the cross capture compared graph, retprobe and freelist exactly on one run" if crossed else ""))
        return
    if len(fr) >= 2:
        check_pair(kscen, "graph~freelist", "freelist", g, fr)
    gr, rr, s = check_pair(kscen, "graph~retprobe", "retprobe", g, r)
    top = max(gr + rr)
    tol = math.expm1(math.log1p(top) + 4 * s) - top
    for x in e:
        er = rate(x) or 0
        emit(er <= top + tol, name, "events<=exact",
             f"events slow/1000 {er:.2f} (lower bound) <= max exact {top:.2f} + 4 s on the log scale ({tol:.2f})")


def check_pair(kscen, check, other, g, r):
    """two graph runs vs two runs of the OTHER exact mode: see graph~retprobe in the module text"""
    name = f"{kscen}"
    gr = [rate(x) or 0 for x in g[:2]]
    rr = [rate(x) or 0 for x in r[:2]]
    hist = variation()
    known = hist.get(kscen, [])
    if len(known) >= 6:
        s, src = log_sd(known + gr + rr), f"{len(known)} recorded runs and these 4"
    else:
        s = max([log_sd(v) for v in hist.values() if len(v) >= 6] or [1.0])
        src = f"no recorded runs of {kscen}: the largest recorded spread"
    sig = math.sqrt(sum(binom_var(x) for x in g[:2]) / 4 + sum(binom_var(x) for x in r[:2]) / 4)
    gm, rm = sum(gr) / 2, sum(rr) / 2
    dl = abs(math.log1p(gm) - math.log1p(rm))
    ok = dl <= 4 * s or abs(gm - rm) <= 3 * sig
    emit(ok, name, check,
         f"slow/1000 graph {gr[0]:.2f},{gr[1]:.2f} (mean {gm:.2f}) {other} {rr[0]:.2f},{rr[1]:.2f} (mean {rm:.2f}); "
         f"|ln(1+g) - ln(1+r)| {dl:.3f} {'<=' if dl <= 4 * s else '>'} 4 s = {4 * s:.3f} (s {s:.3f}: {src}); "
         f"|diff| {abs(gm - rm):.2f} vs 3 sigma counting noise {3 * sig:.2f}")
    return gr, rr, s


CROSS_FIELDS = (("allocations", lambda d: d["kpi"]["allocations"]),
                ("slow paths", lambda d: d["kpi"]["slow_path_entries"]),
                ("reclaim entries", lambda d: d["reclaim"]["entries"]),
                ("compaction tries", lambda d: d["compaction"]["tries"]))


def check_cross(run, rd, f):
    """the -m cross capture F analyzed as graph, as retprobe and as freelist: the same allocations, exactly"""
    try:
        dg = json.load(open(os.path.join(rd, f + ".graph.json")))
        dr = json.load(open(os.path.join(rd, f + ".retprobe.json")))
    except (OSError, ValueError) as ex:
        emit(False, run, "cross-mode", f"no -m graph / -m retprobe JSON: {ex}")
        return
    modes = (dg["capture"]["mode"], dr["capture"]["mode"])
    if modes[0] not in ("graph", "graph+retval") or modes[1] != "retprobe":
        emit(False, run, "cross-mode", f"modes read {modes[0]} / {modes[1]}: not a cross capture")
        return
    try:
        dfl = json.load(open(os.path.join(rd, f + ".freelist.json")))
        if dfl["capture"]["mode"] != "freelist":
            raise ValueError(f"mode read {dfl['capture']['mode']}")
        check_freelist(run, dfl)
        check_cross_freelist(run, rd, f, dg, dfl)
    except (OSError, ValueError, KeyError) as ex:
        emit(False, run, "cross-freelist", f"no -m freelist analysis of the cross capture: {ex}")
    diffs = [(n, fn(dg), fn(dr)) for n, fn in CROSS_FIELDS if fn(dg) != fn(dr)]
    # the alloc entry's function_graph event and its kprobe's are two events a few us apart: a window
    # marker between them puts the allocation inside in one mode and outside in the other. Allowed only
    # where the whole trace is equal and the rows show exactly those allocations on the two sides.
    straddle = ""
    if diffs:
        try:
            wg = json.load(open(os.path.join(rd, f + ".graph.nowin.json")))
            wr = json.load(open(os.path.join(rd, f + ".retprobe.nowin.json")))
            go, ro, unborn = edge_straddlers(rd, f, "retprobe")
            whole = [n for n, fn in CROSS_FIELDS if fn(wg) != fn(wr)]
            left = [n for n, x, y in diffs if n not in go or x - go[n] != y - ro[n]]
            if not whole and not left and not unborn["allocations"]:
                straddle = (f"; the window's edges: {go['allocations']} allocation(s) ({go['slow paths']} slow) "
                            f"inside by graph's entry and outside by the kprobe's, {ro['allocations']} "
                            f"({ro['slow paths']} slow) the other way; whole trace equal: " +
                            ", ".join(f"{n} {fn(wg)}" for n, fn in CROSS_FIELDS))
        except (OSError, ValueError, KeyError) as ex:
            straddle = ""
            diffs.append(("window edges not checked", str(ex)[:80], ""))
    try:
        de = json.load(open(os.path.join(rd, f + ".events.json")))
        es, gs = de["kpi"]["slow_path_entries"], dg["kpi"]["slow_path_entries"]
        emit(de["capture"]["mode"] == "events" and es <= gs, run, "cross-events",
             f"events mode's slow paths {es} (lower bound) <= graph's {gs} on the same run")
    except (OSError, ValueError) as ex:
        emit(False, run, "cross-events", f"no -m events JSON: {ex}")
    emit(not diffs or bool(straddle), run, "cross-mode",
         "graph = retprobe on one run: " + ", ".join(f"{n} {fn(dg)}" for n, fn in CROSS_FIELDS) if not diffs else
         "graph / retprobe on one run: " + ", ".join(f"{n} {x} / {y}" for n, x, y in diffs) + straddle
         if straddle else
         "graph vs retprobe on one run: " + ", ".join(f"{n} {x} vs {y}" for n, x, y in diffs))


def edge_straddlers(rd, f, other="freelist"):
    """allocations the window counts in one mode and not in the other: graph's begins at the alloc entry,
    freelist's at its first attempt (the fast path's get_page_from_freelist()), and a task preempted between
    the two on a window marker is inside in one and outside in the other. Each task's allocations are the
    same sequence in both modes (nested ones begin after their parent's first attempt in both): matched in
    order, the pairs whose in_window differ. Returns (graph_only, freelist_only, unborn) per field, unborn
    the allocations the trace ended inside before their first attempt (graph's only), or raises."""
    def rows(m):
        by = {}
        for line in open(os.path.join(rd, f"{f}.{m}.rows.jsonl")):
            r = json.loads(line)
            by.setdefault((r["pid"], r["comm"]), []).append(r)
        for v in by.values():
            v.sort(key=lambda r: (r["start_ns"], r["id"]))
        return by
    g, fl = rows("graph"), rows(other)
    # the trace ended after an alloc entry and before its first attempt (a task preempted there): graph
    # has the allocation (open at the end), freelist cannot; each is its task's last row
    unborn = {"allocations": 0, "slow paths": 0}
    for k, v in g.items():
        if v and v[-1]["open_at_end"] and not v[-1]["gpfl_calls"] and len(v) == len(fl.get(k, [])) + 1:
            unborn["allocations"] += 1
            unborn["slow paths"] += v[-1]["outcome"] != "fast"
            v.pop()
    g = {k: v for k, v in g.items() if v}
    if set(g) != set(fl) or any(len(g[k]) != len(fl[k]) for k in g):
        raise ValueError("the two modes' rows are not the same allocations, task by task")
    go = {"allocations": 0, "slow paths": 0}
    fo = {"allocations": 0, "slow paths": 0}
    for k in g:
        for a, b in zip(g[k], fl[k]):
            if a["in_window"] == b["in_window"]:
                continue
            side = go if a["in_window"] else fo
            side["allocations"] += 1
            side["slow paths"] += a["outcome"] != "fast"
    return go, fo, unborn


def check_cross_freelist(run, rd, f, dg, dfl):
    """graph vs freelist on the cross capture: the whole trace exactly; the window exactly, but for the
    allocations whose alloc entry and first attempt fall on different sides of a window marker"""
    wg = json.load(open(os.path.join(rd, f + ".graph.nowin.json")))
    wf = json.load(open(os.path.join(rd, f + ".freelist.nowin.json")))
    go, fo, unborn = edge_straddlers(rd, f)
    wd = [(n, fn(wg), fn(wf)) for n, fn in CROSS_FIELDS if fn(wg) - unborn.get(n, 0) != fn(wf)]
    bad = []
    for n, fn in CROSS_FIELDS:
        x, y = fn(dg), fn(dfl)
        if n in go:
            if x - go[n] != y - fo[n]:
                bad.append(f"{n} {x} - {go[n]} straddling vs {y} - {fo[n]}")
        elif x != y:
            bad.append(f"{n} {x} vs {y}")
    ok = not wd and not bad
    straddle = go["allocations"] + fo["allocations"]
    emit(ok, run, "cross-freelist",
         (("graph = freelist on one run: " + ", ".join(f"{n} {fn(dg)}" for n, fn in CROSS_FIELDS)
           if not straddle else "graph / freelist on one run: " +
           ", ".join(f"{n} {fn(dg)} / {fn(dfl)}" for n, fn in CROSS_FIELDS)) +
          f"; whole trace {', '.join(f'{n} {fn(wg)}' for n, fn in CROSS_FIELDS)}" +
          (f"; the window's edges: {go['allocations']} allocation(s) ({go['slow paths']} slow) begin inside by "
           f"their alloc entry and outside by their first attempt, {fo['allocations']} ({fo['slow paths']} slow) "
           "the other way" if straddle else "") +
          (f"; the trace ends after {unborn['allocations']} alloc entr" +
           ("y and before its first attempt (graph's whole-trace count has it, freelist's cannot)"
            if unborn["allocations"] == 1 else
            "ies and before their first attempt (graph's whole-trace count has them, freelist's cannot)")
           if unborn["allocations"] else "")) if ok else
         "graph vs freelist on one run: " + "; ".join(
             [f"whole trace {n} {x} vs {y}" for n, x, y in wd] + [f"window {b}" for b in bad]))


def write_variation(lines, f):
    got = {}
    for line in lines:
        m = re.search(r"(\S+/\S+) graph~retprobe: slow/1000 graph ([\d.]+),([\d.]+) \(mean [\d.]+\) "
                      r"retprobe ([\d.]+),([\d.]+)", line)
        if m:
            got.setdefault(m.group(1), ([], []))
            got[m.group(1)][0].extend(m.group(2, 3))
            got[m.group(1)][1].extend(m.group(4, 5))
    for k in sorted(got):
        f.write(f"{k} graph {' '.join(got[k][0])}\n{k} retprobe {' '.join(got[k][1])}\n")


def main(argv):
    out = None
    if argv[:1] == ["--variation"]:
        write_variation(sys.stdin, sys.stdout)
        return 0
    while argv[:1] in (["--results"], ["--merge-test"]):
        if argv[0] == "--results":
            out = argv[1]
        else:
            try:
                last = open(argv[1]).read().strip().splitlines()[-1:] or ["(empty)"]
            except OSError as ex:
                last = [f"no output: {ex}"]
            emit(last[0].startswith("MERGE: PASS"), "host", "merge-test", last[0])
        argv = argv[2:]
    groups = {}
    for rd in argv:
        base = os.path.basename(rd.rstrip("/"))
        m = re.match(r"e2e-([0-9.]+(?:-arm64(?:-16k|-64k)?)?)-([a-z]+)(-tcmd)?$", base)
        if not m:
            emit(False, base, "run", f"not a suite run directory: {rd}")
            continue
        groups.setdefault((m.group(1), m.group(2)), []).append(rd)
    for (kern, scen), rds in groups.items():
        kscen = f"{kern}/{scen}"
        caps = []
        for rd in rds:
            read_run(rd, scen, kscen, caps)
        cross_checks(kscen, caps)
    return finish(out)


def read_run(rd, scen, kscen, caps):
    if not os.path.isdir(rd):
        emit(False, kscen, "run", f"no results from {os.path.basename(rd)} (boot failed? see "
             f"{os.path.dirname(rd)}/console.log)")
        return
    chk = os.path.join(rd, "checks.txt")
    if os.path.exists(chk):
        for line in open(chk):
            w = line.rstrip("\n").split(" ", 3)
            if len(w) >= 3:
                emit({"PASS": True, "FAIL": False}.get(w[0]), f"{kscen}/{w[1]}", "guest:" + w[2].rstrip(":"),
                     w[3] if len(w) > 3 else "")
    else:
        emit(False, kscen, "guest-checks", f"no checks.txt from the guest ({rd})")
    glog = os.path.join(rd, "guest.log")
    if os.path.exists(glog):
        for line in open(glog):
            mw = re.match(r"capture (\S+) took ([\d.]+) s", line)
            if mw:
                walls[f"{kscen}/{mw.group(1)}"] = float(mw.group(2))
    got = 0
    for f in sorted(os.listdir(rd), key=lambda s: (int(s.split("-")[0]) if s[0].isdigit() else 0, s)):
        mm = re.match(r"(\d+-(as|sh|mk|tcmd)-\w+)\.(dat|txt)$", f)
        if not mm:
            continue
        cap = mm.group(1)
        run = f"{kscen}/{cap}"
        got += 1
        try:
            d = json.load(open(os.path.join(rd, f + ".json")))
        except (OSError, ValueError) as ex:
            err = ""
            try:
                err = open(os.path.join(rd, f + ".json.err")).read().strip()[:300]
            except OSError:
                pass
            emit(False, run, "analyze", f"no JSON: {ex} {err}")
            continue
        check_capture(run, scen, cap, d)
        if scen == "jank":
            check_frames(run, rd, cap, d)
        dc = os.path.join(rd, f + ".datcount.txt")
        if os.path.exists(dc):
            last = (open(dc).read().strip().splitlines() or ["(empty)"])[-1]
            emit(last.startswith("DATCOUNT: PASS"), run, "dat-counts", last)
        ka = os.path.join(rd, f + ".kargs.txt")
        if os.path.exists(ka):
            last = (open(ka).read().strip().splitlines() or ["(empty)"])[-1]
            emit(last.startswith("KARGS: PASS"), run, "kprobe-args", last)
        if cap.endswith("-cross"):
            check_cross(run, rd, f)
            cross_done.add(kscen)
        else:
            caps.append((cap, d))
    for f in sorted(os.listdir(rd)):
        mm = re.match(r"(\d+-(as|sh|mk|tcmd)-\w+)\.log$", f)
        if mm and not any(os.path.exists(os.path.join(rd, mm.group(1) + e + ".json")) for e in (".dat", ".txt")):
            tail = " | ".join(l.strip() for l in open(os.path.join(rd, f)).readlines()[-3:])
            emit(False, f"{kscen}/{mm.group(1)}", "recorder", f"no analyzable trace; recorder said: {tail}")
    # stop-REC-HOW-MODE: the recorder stopped by SIGINT/SIGTERM or a failing COMMAND: a whole trace (window
    # and ground truth from its markers, nothing lost), exit status 0, and the COMMAND's failure said
    for f in sorted(os.listdir(rd)):
        mm = re.match(r"(\d+-stop-(as|sh|mk)-(int|term|fail)-\w+)\.(dat|txt)$", f)
        if not mm:
            continue
        run = f"{kscen}/{mm.group(1)}"
        try:
            d = json.load(open(os.path.join(rd, f + ".json")))
            c = d["capture"]
            log = open(os.path.join(rd, mm.group(1) + ".log")).read()
            ok = (c["window_source"] == "allocscope markers" and d["groundtruth_source"] == "trace markers"
                  and not c["lost_events"] and "rc=0" in log
                  and (mm.group(3) != "fail" or "exited with status 3" in log))
            emit(ok, run, "stopped", f"{mm.group(3)}: window {c['window_source']!r} ({c['window_ns'] / 1e9:.2f} s), "
                 f"ground truth {d['groundtruth_source']!r}, lost {c['lost_events']}, recorder "
                 + " | ".join(l.strip() for l in log.strip().splitlines()[-2:]))
        except (OSError, ValueError, KeyError) as ex:
            emit(False, run, "stopped", f"no analyzable trace: {ex}")
    glog = os.path.join(rd, "guest.log")
    want = [l for l in open(glog) if l.startswith("capture ") and " took " not in l and "-stop-" not in l] \
        if os.path.exists(glog) else []
    if got < len(want):
        emit(False, kscen, "captures", f"{got} traces for {len(want)} captures started (see {glog})")


def check_frames(run, rd, cap, d):
    """jank: the frames analyze found against the app's own record of them (jankapp -o CAP.truth)."""
    try:
        truth = [l.split() for l in open(os.path.join(rd, cap + ".truth")) if not l.startswith("#")]
    except OSError:
        emit(False, run, "frames", f"no {cap}.truth from the app")
        return
    fr = d.get("frames") or {}
    ok = fr.get("frames") == len(truth)
    txt = f"frames {fr.get('frames')} = the app's {len(truth)}; late {fr.get('late')}, with stalls " \
          f"{fr.get('late_stalled')}, explained {fr.get('explained')}"
    if d["capture"]["mode"] != "events":
        ok = ok and (fr.get("late_stalled") or 0) > 0
    emit(ok, run, "frames", txt)


def cross_checks(kscen, caps):
    if kscen.endswith("/jank"):
        return      # one run per mode: the frames are its checks
    check_pairs(kscen, caps)
    for c, d in caps:
        if "-tcmd-" not in c:
            continue
        mode = c.split("-tcmd-", 1)[1]
        check = f"tcmd~{mode}"
        same = [(a, x) for a, x in caps if a.endswith(f"-as-{mode}")]
        if not same:
            emit(False, f"{kscen}/{c}", check, f"no static-recorder {mode} run to compare with")
            continue
        a, x = same[0]
        diffs = [n for n in ("lossless", "markers", "allocstall", "compact_stall", "oom_kill", "pgalloc",
                             "kswapd_cpu", "signature")
                 if outcome.get((f"{kscen}/{c}", n)) != outcome.get((f"{kscen}/{a}", n))]
        ok = d["capture"]["mode"] == x["capture"]["mode"] and not diffs
        emit(ok, f"{kscen}/{c}", check, f"mode {d['capture']['mode']} vs {a} {x['capture']['mode']}; "
             + ("same check outcomes" if not diffs else f"outcomes differ in {', '.join(diffs)}"))


def finish(out):
    npass = sum(1 for r in results if r[0] is True)
    nfail = sum(1 for r in results if r[0] is False)
    if out:
        write_results(out)
    print(f"E2E: {'PASS' if nfail == 0 else 'FAIL'} ({npass} passed, {nfail} failed)")
    if nfail:
        print("failed checks:")
        for ok, run, check, text in results:
            if ok is False:
                print(f"  {run} {check}: {text}")
    return 1 if nfail else 0


def write_results(path):
    fails = {}
    for ok, run, check, text in results:
        if ok is False:
            fails.setdefault(run, []).append(check)
    with open(path, "w") as f:
        f.write("| kernel / scenario / capture | mode | window s | allocations | slow paths | slow/1000 | "
                "allocstall trace/kernel | compact_stall lower/upper/kernel | oom_kill trace/kernel | "
                "pgalloc trace/kernel | kswapd % sched_switch / stat / schedstat | page | lost | wall s | failed checks |\n")
        f.write("|---|---|---:|---:|---:|---:|---|---|---|---|---|---:|---:|---:|---|\n")
        for r in rows:
            fmt = lambda v: "-" if v is None else f"{v:.2f}"
            f.write(f"| {r['run']} | {r['mode']}{' (est.)' if r['est'] else ''} | {r['win']:.2f} | {r['alloc']} | "
                    f"{r['slow']} | {fmt(r['rate'])} | {r['allocstall']} | {r['compact']} | {r['oom']} | "
                    f"{r['pgalloc']} | {fmt(r['ksw'])} / {fmt(r['kstat'])} / {fmt(r['ksched'])} | "
                    f"{r['psize'] // 1024 if r['psize'] else '-'}K | {r['lost']} | "
                    f"{walls.get(r['run'], '-')} | "
                    f"{', '.join(fails.get(r['run'], [])) or '-'} |\n")
        f.write("\nCross-run checks:\n\n")
        for ok, run, check, text in results:
            if check in ("graph~retprobe", "graph~freelist", "events<=exact", "cross-mode", "cross-freelist",
                         "cross-events", "run", "captures", "merge-test") or \
                    check.startswith("tcmd~"):
                f.write(f"- {'PASS' if ok else 'FAIL'} {run} {check}: {text}\n")
        gfail = [(run, check, text) for ok, run, check, text in results if ok is False and check.startswith("guest:")]
        f.write(f"\nGuest checks (tracefs restored after every recorder): "
                f"{sum(1 for r in results if r[0] is True and r[2].startswith('guest:'))} passed, {len(gfail)} failed\n")
        for run, check, text in gfail:
            f.write(f"- FAIL {run} {check}: {text}\n")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
