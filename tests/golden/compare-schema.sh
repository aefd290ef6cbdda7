#!/usr/bin/env bash
# compare --json validated against docs/compare.schema.json (Draft 2020-12,
# python3-jsonschema) on real pairs in every shape the output takes: 3 vs 3
# with confidence, 1 vs 1 without, each --per unit, --kswapd-delta points,
# --min-reduction, a forced comparison with guards, a capture without a
# kernel release.  Exit 77 = skipped (validator missing).
set -u
cd "$(dirname "$0")/../.."
BIN=${BIN:-build/allocscope}
schema=docs/compare.schema.json
PY=
for p in /usr/bin/python3 python3; do
	if command -v "$p" >/dev/null && "$p" -c 'import jsonschema' 2>/dev/null; then PY=$p; break; fi
done
if [ -z "$PY" ]; then
	echo "skip: compare-schema.sh: python3-jsonschema not installed ('make deps' installs it)" >&2
	exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
D=tests/data/compare
base=("$D"/6.12-wsf10-{1,2,3}.txt.zst)
new=("$D"/6.12-wsf200-{1,2,3}.txt.zst)
n=0
run() {	# run ARGS...: compare --json; any exit but 1 and 2 (usage, unreadable) gives a document
	"$BIN" compare --json "$@" > "$tmp/$n.json" 2>/dev/null
	case $? in 0|3) n=$((n + 1)) ;; *) echo "compare-schema: compare $* failed" >&2; exit 1 ;; esac
}
run --force "${base[@]}" -- "${new[@]}"
run --force --per kalloc --min-reduction 60 "${base[@]}" -- "${new[@]}"
run --force --per run --kswapd-delta points "${new[@]}" -- "${base[@]}"
run --force "${base[0]}" -- "${new[0]}"
run "$D/6.12-wsf10-2.txt.zst" -- "$D/6.12-wsf200-2.txt.zst"
run --force tests/data/6.1.192-anon-kprobe.txt.zst -- tests/data/6.1.192-anon-kprobe-tcmd.dat
"$PY" - "$schema" "$tmp"/*.json <<'PYEOF'
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema)
bad = 0
for path in sys.argv[2:]:
    doc = json.load(open(path))
    for e in v.iter_errors(doc):
        bad += 1
        print("compare-schema: %s: %s at %s" % (path, e.message, "/".join(map(str, e.path))), file=sys.stderr)
    # the document agrees with itself: n = runs, given = both sides have 2+ runs
    for side in ("base", "new"):
        assert doc[side]["n"] == len(doc[side]["runs"]), side
    assert doc["confidence"]["given"] == (doc["base"]["n"] >= 2 and doc["new"]["n"] >= 2)
print("compare-schema: %d documents, %d errors" % (len(sys.argv) - 2, bad))
sys.exit(1 if bad else 0)
PYEOF
