#!/usr/bin/env bash
# allocscope merge of real analyses, checked against the inputs by an
# independent reading of the JSON (python3): counts are the sums, histogram
# buckets add bucket by bucket, max is the max, and every percentile is
# recomputed from the merged fine buckets (the analyzer's rule, re-implemented
# here: linear inside the bucket, exact below 16 ns, never above max).
# Exit 77 = skipped (python3 missing).
set -u
cd "$(dirname "$0")/../.."
BIN=${BIN:-build/allocscope}
BUILD=${BUILD:-build}
PY=
for p in /usr/bin/python3 python3; do command -v "$p" >/dev/null && { PY=$p; break; }; done
[ -n "$PY" ] || { echo "skip: merge-sum.sh: python3 not installed ('make deps')" >&2; exit 77; }
tmp=$BUILD/merge-sum
rm -rf "$tmp"; mkdir -p "$tmp"
# SET NAME, then analyze options, then traces: each analyzed, the set merged, then checked
merged_set() {
	local name=$1 opt=$2 t out
	shift 2
	inputs=()
	for t in "$@"; do
		[ -f "$t" ] || { echo "merge-sum: $t missing" >&2; exit 1; }
		out=$tmp/$name-$(basename "$t").json
		# shellcheck disable=SC2086
		"$BIN" analyze $opt --json --top 100000 "$t" > "$out" || { echo "merge-sum: analyze $t failed" >&2; exit 1; }
		inputs+=("$out")
	done
	"$BIN" merge --top 100000 "${inputs[@]}" > "$tmp/$name-merged.json" || { echo "merge-sum: merge failed" >&2; exit 1; }
	check "$tmp/$name-merged.json" "${inputs[@]}"
}

check() {
"$PY" - "$@" <<'EOF'
import json, sys

merged = json.load(open(sys.argv[1]))
ins = [json.load(open(p)) for p in sys.argv[2:]]
bad = []
checks = 0

def same(what, got, want):
    global checks
    checks += 1
    if got != want:
        bad.append("%s: merged %r, want %r" % (what, got, want))

def sums(path):
    v = 0
    for d in ins:
        x = d
        for k in path:
            x = x[k]
        v += x
    return v

def get(d, path):
    for k in path:
        d = d[k]
    return d

for k in ("allocations", "slow_path_entries", "failed", "nested", "incomplete", "reclaim_loops"):
    same("kpi." + k, merged["kpi"][k], sums(("kpi", k)))
for sect in ("reclaim", "compaction", "events"):
    for k, v in merged[sect].items():
        if isinstance(v, int) and not isinstance(v, bool):
            same(sect + "." + k, v, sums((sect, k)))
for k, v in merged["anomalies"].items():
    same("anomalies." + k, v, sum(d["anomalies"].get(k, 0) for d in ins))
same("capture.window_ns", merged["capture"]["window_ns"], sums(("capture", "window_ns")))

def by_key(rows, key):
    out = {}
    for r in rows:
        out[r[key]] = r
    return out

for table, key in (("by_order", "order"), ("by_gfp", "class")):
    m = by_key(merged[table], key)
    keys = set()
    for d in ins:
        keys |= set(by_key(d[table], key))
    same(table + " rows", sorted(m, key=str), sorted(keys, key=str))
    for kv in keys:
        for f in ("allocations", "slow", "failed", "stall_ns"):
            want = sum(by_key(d[table], key).get(kv, {}).get(f, 0) for d in ins)
            same("%s[%s].%s" % (table, kv, f), m.get(kv, {}).get(f), want)

def percentile(fine, p, mx):
    total = sum(b["count"] for b in fine)
    if not total:
        return 0
    want = p / 100.0 * total
    seen = 0
    for b in fine:
        n = b["count"]
        if not n or seen + n < want:
            seen += n
            continue
        lo, hi = float(b["low_ns"]), float(b["high_ns"])
        if b["high_ns"] - b["low_ns"] <= 1:
            return b["low_ns"]
        v = lo + (hi - lo) * ((want - seen) / n)
        if mx and v > mx:
            return mx
        return int(v)
    return 0

for st, ms in merged["stages"].items():
    if ms is None:
        # absent from one capture's mode: absent in the merge, never a partial sum
        same("stages.%s absent in an input" % st, any(d["stages"][st] is None for d in ins), True)
        same("stages_absent.%s" % st, st in merged["stages_absent"], True)
        continue
    same("stages.%s present in every input" % st, all(d["stages"][st] is not None for d in ins), True)
    for k in ("count", "timed", "total_ns"):
        same("stages.%s.%s" % (st, k), ms[k], sums(("stages", st, k)))
    same("stages.%s.max_ns" % st, ms["max_ns"], max(d["stages"][st]["max_ns"] for d in ins))
    for h in ("histogram", "histogram_fine"):
        want = {}
        for d in ins:
            for b in d["stages"][st][h]:
                e = (b["low_ns"], b["high_ns"])
                want[e] = want.get(e, 0) + b["count"]
        got = {(b["low_ns"], b["high_ns"]): b["count"] for b in ms[h]}
        same("stages.%s.%s (bucket-wise)" % (st, h), got, want)
    for p, k in ((50, "p50_ns"), (90, "p90_ns"), (99, "p99_ns"), (99.9, "p999_ns")):
        same("stages.%s.%s (from merged buckets)" % (st, k), ms[k],
             percentile(ms["histogram_fine"], p, ms["max_ns"]))
    if ms["timed"]:
        same("stages.%s.mean_ns" % st, ms["mean_ns"], ms["total_ns"] // ms["timed"])

# freelist mode: its probe's check adds up, exact only when every capture was
fl = [d["freelist"] for d in ins if "freelist" in d]
if fl or "freelist" in merged:
    same("freelist block present", "freelist" in merged, bool(fl))
    mf = merged.get("freelist", {})
    for k, v in mf.items():
        if isinstance(v, int) and not isinstance(v, bool) and k != "first_bad_flags":
            same("freelist." + k, v, sum(x[k] for x in fl))
    same("freelist.exact", mf.get("exact"), all(x["exact"] for x in fl))
    same("freelist.return_probe", mf.get("return_probe"), all(x["return_probe"] for x in fl))
    probes = set(x["probe"] for x in fl)
    same("freelist.probe", mf.get("probe"), probes.pop() if len(probes) == 1 else "mixed: see each capture")
    firsts = [x["first_bad_flags"] for x in fl if x["first_bad_flags"] is not None]
    same("freelist.first_bad_flags", mf.get("first_bad_flags"), firsts[0] if firsts else None)

# tasks are grouped by name in a merged summary
tasks = {}
for d in ins:
    for t in d["tasks"]:
        a = tasks.setdefault(t["comm"], [0, 0, 0, 0])
        for i, f in enumerate(("allocations", "slow", "failed", "stall_ns")):
            a[i] += t[f]
for t in merged["tasks"]:
    same("tasks[%s]" % t["comm"], [t["allocations"], t["slow"], t["failed"], t["stall_ns"]],
         tasks.get(t["comm"]))
same("tasks listed", len(merged["tasks"]), len(tasks))

for b in bad[:20]:
    print("merge-sum:", b, file=sys.stderr)
print("merge-sum: %d inputs, %d checks, %d differ (allocations %d = %s)" % (
    len(ins), checks, len(bad), merged["kpi"]["allocations"],
    " + ".join(str(d["kpi"]["allocations"]) for d in ins)))
sys.exit(1 if bad else 0)
EOF
}

merged_set sum "" tests/data/6.12-anon-fgraph.txt.zst tests/data/6.12-anon-kprobe.txt.zst \
	tests/data/6.12.117-anon-graph.txt.zst || exit 1
# the freelist probe's check merged: an entry and a return probe, then a merged summary merged again
merged_set fl "-m freelist" tests/data/6.12.117-thp-freelist.dat tests/data/6.12.117-oom-cross.dat || exit 1
"$BIN" analyze -m freelist --json --top 100000 tests/data/6.1.192-thp-cross.dat > "$tmp/fl-6.1.json" || exit 1
"$BIN" merge --top 100000 "$tmp/fl-merged.json" "$tmp/fl-6.1.json" > "$tmp/fl2-merged.json" || exit 1
check "$tmp/fl2-merged.json" "$tmp/fl-merged.json" "$tmp/fl-6.1.json"
