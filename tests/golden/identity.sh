#!/usr/bin/env bash
# One capture is one run (issue 15): compare and merge refuse the same capture
# twice, on one side or across sides, whatever form it comes in: the same path,
# another link to it, a copy, its own analyze --json summary (by the content
# identity the summary carries, and by the trace path in summaries older than
# it), a summary inside a merge.  Each refusal is exit 2 and one line naming
# both files.  And the identity itself: trace.xxh64 is XXH64 of the file's
# bytes, whose low 32 bits zstd --check stores for the same bytes.
set -u
cd "$(dirname "$0")/../.."
BIN=${BIN:-build/allocscope}
BUILD=${BUILD:-build}
D=tests/data/compare
T=$BUILD/identity
status=0
rm -rf "$T"; mkdir -p "$T"
bad() { echo "identity: $*" >&2; status=1; }
X=$D/6.12-wsf10-1.txt.zst
Y=$D/6.12-wsf10-2.txt.zst
N1=$D/6.12-wsf200-1.txt.zst
N2=$D/6.12-wsf200-2.txt.zst

# refused WHAT WANT_IN_MESSAGE CMD...: exit 2, one line on stderr holding the text
refused() {
	local what=$1 want=$2 rc
	shift 2
	"$BIN" "$@" >"$T/out" 2>"$T/err"; rc=$?
	[ "$rc" = 2 ] || bad "$what: exit $rc, expected 2: $(head -c 300 "$T/err")"
	[ "$(wc -l <"$T/err")" = 1 ] || bad "$what: not one line: $(cat "$T/err")"
	grep -qF -- "$want" "$T/err" || bad "$what: no '$want' in: $(cat "$T/err")"
	[ -s "$T/out" ] && bad "$what: wrote a report"
}

cp "$X" "$T/copy.txt.zst"
ln -s "$PWD/$X" "$T/symlink.txt.zst"
"$BIN" analyze --json "$X" >"$T/x.json" || bad "analyze --json $X"
"$BIN" analyze --json "$Y" >"$T/y.json" || bad "analyze --json $Y"
cp "$T/x.json" "$T/x-copy.json"

refused "X -- X" "$X and $X are the same file" compare --per kalloc "$X" -- "$X"
refused "X Y -- N1 X" "$X and $X are the same file" compare --per kalloc "$X" "$Y" -- "$N1" "$X"
refused "within a side" "$X and $X are the same file" compare --per kalloc "$X" "$X" -- "$N1" "$N2"
refused "--force all" "are the same file" compare --per kalloc --force all "$X" -- "$X"
refused "symlink" "are the same file" compare --per kalloc "$X" -- "$T/symlink.txt.zst"
refused "copy" "have the same content (254093 bytes" compare --per kalloc "$X" -- "$T/copy.txt.zst"
refused "trace and its summary" "$X and $T/x.json are the same capture (the same trace content" \
	compare --per kalloc "$X" "$Y" -- "$T/x.json" "$N1"
refused "summary and a copy of the trace" "are the same capture (the same trace content" \
	compare --per kalloc "$T/x.json" -- "$T/copy.txt.zst"
refused "an older summary (no content identity): its trace path" \
	"$X and $D/6.12-wsf10-1.summary.json are the same capture (the same trace file)" \
	compare --per kalloc "$X" -- "$D/6.12-wsf10-1.summary.json"

refused "merge a a" "$T/x.json and $T/x.json are the same file" merge "$T/x.json" "$T/x.json"
refused "merge a copy-of-a" "have the same content" merge "$T/x.json" "$T/x-copy.json"
"$BIN" merge "$T/x.json" "$T/y.json" >"$T/xy.json" || bad "merge x y"
refused "merge (a+b) b" "$T/xy.json and $T/y.json are the same capture" merge "$T/xy.json" "$T/y.json"
refused "merge (a+b) older summary of a" "are the same capture (the same trace file)" \
	merge "$T/xy.json" "$D/6.12-wsf10-1.summary.json"

# different captures still compare and merge
"$BIN" compare --per kalloc "$X" "$T/y.json" -- "$N1" "$N2" >/dev/null 2>"$T/err"
case $? in 0|3) ;; *) bad "distinct captures refused: $(cat "$T/err")" ;; esac
"$BIN" merge "$T/xy.json" "$D/6.12-wsf10-3.summary.json" >/dev/null 2>"$T/err" || bad "merge of distinct captures: $(cat "$T/err")"

# the identity: size and XXH64 of the bytes; zstd's frame checksum is XXH64's low 32 bits
if command -v zstd >/dev/null; then
	for f in "$X" "$D/6.12-wsf200-3.txt.zst" tests/data/6.12-thp-tcev.dat; do
		"$BIN" analyze --json "$f" >"$T/id.json" || { bad "analyze --json $f"; continue; }
		got=$(grep -o '"xxh64": "[0-9a-f]*"' "$T/id.json" | head -1 | cut -d'"' -f4)
		size=$(grep -o '"size": [0-9]*' "$T/id.json" | head -1 | cut -d' ' -f2)
		want=$(zstd -q -c --check <"$f" | tail -c 4 | od -An -tx4 | tr -d ' \n')
		[ "${got:8}" = "$want" ] || bad "$f: xxh64 $got, zstd --check says low 32 bits $want"
		[ "$size" = "$(stat -c %s "$f")" ] || bad "$f: size $size"
	done
fi

[ $status -eq 0 ] && echo "identity: ok (same file, link, copy, trace and summary, older summary, merges; xxh64 = zstd's checksum)"
exit $status
