#!/usr/bin/env bash
# analyze --json of every real fixture, and a merge of them, validated against
# docs/allocscope.schema.json, and compare --json against docs/compare.schema.json
# (Draft 2020-12) with python3-jsonschema.
# Exit 77 = skipped (validator missing), which tests/run.sh counts as a skip.
set -u
BIN=${BIN:-build/allocscope}
schema=docs/allocscope.schema.json
PY=
for p in /usr/bin/python3 python3; do
	if command -v "$p" >/dev/null && "$p" -c 'import jsonschema' 2>/dev/null; then PY=$p; break; fi
done
if [ -z "$PY" ]; then
	echo "skip: schema.sh: python3-jsonschema not installed ('make deps' installs it)" >&2
	exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
# the fixtures the golden tests use (others may be mid-copy while tests run)
for t in tests/data/6.12-thp-tcev.dat tests/data/6.12-anon-fgraph.txt.zst \
	 tests/data/6.12-anon-kprobe.txt.zst tests/data/6.12.117-thp-freelist.dat; do
	[ -f "$t" ] || { echo "schema.sh: $t missing" >&2; exit 1; }
	base=${t%.dat}; base=${base%.txt.zst}
	args=()
	[ -f "$base.vmstat.before" ] && args=(--vmstat-before "$base.vmstat.before" --vmstat-after "$base.vmstat.after")
	"$BIN" analyze --json "${args[@]}" "$t" > "$tmp/$n.json" || { echo "schema.sh: analyze $t failed" >&2; exit 1; }
	"$BIN" analyze --json --no-window "$t" > "$tmp/$n-nowin.json" || exit 1
	n=$((n + 1))
done
# the frames object: a real atrace capture (no allocator events: its stall fields null)
"$BIN" analyze --json tests/data/published/catapult-systemui-atrace-2016/trace.txt > "$tmp/frames.json" || exit 1
grep -q '"late_frames"' "$tmp/frames.json" || { echo "schema.sh: no frames in the atrace capture's JSON" >&2; exit 1; }
# merges: exact with exact (the estimated one is refused by design)
ls "$tmp"/*.json >/dev/null 2>&1 || { echo "schema.sh: no fixtures" >&2; exit 1; }
"$BIN" merge tests/golden/analyze-json-6.12-anon-fgraph.out tests/golden/analyze-json-6.12-anon-kprobe.out \
	> "$tmp/merged.json" || exit 1
# a merge merged again (with another capture: the same one twice is refused)
"$BIN" analyze --json tests/data/6.1.192-anon-graph.txt.zst > "$tmp/other.json" || exit 1
"$BIN" merge "$tmp/merged.json" "$tmp/other.json" > "$tmp/merged2.json" || exit 1
# compare --json in every shape it takes: 3 vs 3 with confidence, 1 vs 1 without, each --per unit,
# --kswapd-delta points, --min-reduction, guards (forced), a capture without a kernel release
mkdir "$tmp/compare"
D=tests/data/compare
base=("$D"/6.12-wsf10-{1,2,3}.txt.zst)
new=("$D"/6.12-wsf200-{1,2,3}.txt.zst)
c=0
compare() {	# any exit but 1 and 2 (usage, unreadable) gives a document
	"$BIN" compare --json "$@" > "$tmp/compare/$c.json" 2>/dev/null
	case $? in 0|3) c=$((c + 1)) ;; *) echo "schema.sh: compare $* failed" >&2; exit 1 ;; esac
}
compare --force window "${base[@]}" -- "${new[@]}"
compare --per kalloc --min-reduction 60 "${base[@]}" -- "${new[@]}"
compare --force window --per run --kswapd-delta points "${new[@]}" -- "${base[@]}"
compare --force window "${base[0]}" -- "${new[0]}"
compare "$D/6.12-wsf10-2.txt.zst" -- "$D/6.12-wsf200-2.txt.zst"
compare --force window tests/data/6.1.192-anon-kprobe.txt.zst -- tests/data/6.1.192-anon-kprobe-tcmd.dat

# validate SCHEMA FILE...: every file valid, and a broken copy of the first rejected
validate() {
	"$PY" - "$@" <<'PYEOF'
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema)
bad = 0
for path in sys.argv[2:]:
    doc = json.load(open(path))
    errs = sorted(v.iter_errors(doc), key=lambda e: list(e.path))
    for e in errs[:5]:
        print("schema.sh: %s: %s: %s" % (path, "/".join(map(str, e.path)), e.message), file=sys.stderr)
    bad += bool(errs)
    if doc.get("kind") == "compare":
        # the document agrees with itself: n = runs, confidence given = 2+ runs on both sides
        bad += any(doc[s]["n"] != len(doc[s]["runs"]) for s in ("base", "new"))
        bad += doc["confidence"]["given"] != (doc["base"]["n"] >= 2 and doc["new"]["n"] >= 2)
# the validator must also reject what is wrong
doc = json.load(open(sys.argv[2]))
if doc.get("kind") == "compare":
    doc["base"]["n"] = 0
else:
    doc["kpi"]["allocations"] = -1
if v.is_valid(doc):
    print("schema.sh: %s: a broken document passed the schema" % sys.argv[1], file=sys.stderr)
    bad += 1
sys.exit(1 if bad else 0)
PYEOF
}
validate "$schema" "$tmp"/*.json && validate docs/compare.schema.json "$tmp"/compare/*.json
