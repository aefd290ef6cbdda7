#!/usr/bin/env bash
# compare --html as the CLI offers it (the page itself: compare-wsf-html*.out):
# with a FILE the text (or JSON) on stdout is unchanged and the page equals
# what --html - prints; an input is never overwritten (same path or another
# link to it); --html - and --json exclude each other; a refused comparison
# writes no page; a page that cannot be created is a usage error (exit 1), one
# that cannot be written exit 2; an existing page is replaced only with
# --overwrite, and no temporary file is ever left behind.
set -u
cd "$(dirname "$0")/../.."
BIN=${BIN:-build/allocscope}
BUILD=${BUILD:-build}
D=tests/data/compare
T=$BUILD/compare-html
status=0
rm -rf "$T"; mkdir -p "$T"
base="$D/6.12-wsf10-1.txt.zst $D/6.12-wsf10-2.txt.zst $D/6.12-wsf10-3.txt.zst"
new="$D/6.12-wsf200-1.txt.zst $D/6.12-wsf200-2.txt.zst $D/6.12-wsf200-3.txt.zst"
bad() { echo "compare-html: $*" >&2; status=1; }

# run WANT_RC NAME ARGS...: stdout to $T/NAME.out, stderr to $T/NAME.err
run() {
	local want=$1 name=$2 rc
	shift 2
	"$BIN" compare "$@" >"$T/$name.out" 2>"$T/$name.err"; rc=$?
	[ "$rc" = "$want" ] || bad "$name: exit $rc, expected $want: $(head -c 300 "$T/$name.err")"
}

# shellcheck disable=SC2086
{
	run 3 text --per kalloc --min-reduction 60 $base -- $new
	run 3 text-html --per kalloc --min-reduction 60 --html "$T/page.html" $base -- $new
	run 3 page --per kalloc --min-reduction 60 --html - $base -- $new
	run 0 json --per kalloc --json $base -- $new
	run 0 json-html --per kalloc --json --html "$T/page2.html" $base -- $new
	run 2 refused --html "$T/refused.html" $base -- $new
	run 1 stdout-twice --json --html - $base -- $new
}
cmp -s "$T/text.out" "$T/text-html.out" || bad "--html FILE changed the text report"
cmp -s "$T/page.out" "$T/page.html" || bad "--html FILE and --html - differ"
grep -q '^VERDICT: FAIL' "$T/text.out" || bad "no text verdict"
grep -q '<span class=v>FAIL</span>' "$T/page.html" || bad "no verdict in the page"
cmp -s "$T/json.out" "$T/json-html.out" || bad "--html FILE changed the JSON"
[ -s "$T/page2.html" ] || bad "--json --html FILE wrote no page"
[ -e "$T/refused.html" ] && bad "a refused comparison left a page behind"
grep -q 'only one of --json, --html -' "$T/stdout-twice.err" || bad "--json --html -: $(cat "$T/stdout-twice.err")"

# never overwrite an input, by its own path or through a symbolic or hard link
# (to a copy: a regression must not destroy the fixture)
cp "$D/6.12-wsf200-2.txt.zst" "$T/in.txt.zst"
sum=$(cksum <"$T/in.txt.zst")
ln -s "$PWD/$T/in.txt.zst" "$T/symlink.zst"
ln "$T/in.txt.zst" "$T/hardlink.zst"
for out in "$T/in.txt.zst" "$T/symlink.zst" "$T/hardlink.zst"; do
	run 1 overwrite --force window --html "$out" "$D/6.12-wsf10-2.txt.zst" -- "$T/in.txt.zst"
	grep -q 'refusing to overwrite an input' "$T/overwrite.err" || bad "--html $out: $(cat "$T/overwrite.err")"
done
[ "$(cksum <"$T/in.txt.zst")" = "$sum" ] || bad "an input was modified"

# a page that cannot be created: exit 1 naming it as the output, in one line
run 1 nodir --html "$T/no/such/dir/page.html" "$D/6.12-wsf10-2.txt.zst" -- "$D/6.12-wsf200-2.txt.zst"
grep -q -- '--html .*/no/such/dir/page.html: cannot create the output: No such file or directory' "$T/nodir.err" &&
	[ "$(wc -l <"$T/nodir.err")" = 1 ] || bad "--html into a missing directory: $(cat "$T/nodir.err")"
# an existing page: refused without --overwrite (left as it was), replaced with it
echo previous >"$T/keep.html"
# shellcheck disable=SC2086
run 1 exists --per kalloc --html "$T/keep.html" $base -- $new
grep -q 'keep.html: the output exists; --overwrite replaces it' "$T/exists.err" || bad "existing page: $(cat "$T/exists.err")"
[ "$(cat "$T/keep.html")" = previous ] || bad "an existing page was changed without --overwrite"
# shellcheck disable=SC2086
run 3 replaced --per kalloc --min-reduction 60 --overwrite --html "$T/keep.html" $base -- $new
cmp -s "$T/page.out" "$T/keep.html" || bad "--overwrite did not replace the page"
# a failed comparison (an unreadable capture) leaves an existing page as it was
echo previous >"$T/keep2.html"
run 2 missing --overwrite --html "$T/keep2.html" "$D/6.12-wsf10-2.txt.zst" -- "$T/no-such-capture.txt.zst"
[ "$(cat "$T/keep2.html")" = previous ] || bad "a failed comparison changed an existing page"
ls -A "$T" | grep -q '\.tmp$' && bad "temporary files left: $(ls -A "$T" | grep '\.tmp$')"
if [ -w /dev/full ]; then
	run 2 full --html /dev/full "$D/6.12-wsf10-2.txt.zst" -- "$D/6.12-wsf200-2.txt.zst"
	grep -q 'writing /dev/full' "$T/full.err" || bad "--html /dev/full: $(cat "$T/full.err")"
fi

[ $status -eq 0 ] && echo "compare-html: ok (text, JSON, stdout, overwrite, refusal, write errors)"
exit $status
