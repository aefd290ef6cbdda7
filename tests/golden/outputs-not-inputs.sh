#!/usr/bin/env bash
# No output option may overwrite an input, by its own path or by another link
# to it: analyze --csv/--records/--html (the trace, the vmstat files) and
# merge --output (a summary being merged).  Exit 1 with one line naming both;
# the input is unchanged.  Works on copies: a fixture is never at risk.
set -u
cd "$(dirname "$0")/../.."
BIN=${BIN:-build/allocscope}
BUILD=${BUILD:-build}
T=$BUILD/outputs-not-inputs
status=0
rm -rf "$T"; mkdir -p "$T"
bad() { echo "outputs-not-inputs: $*" >&2; status=1; }

cp tests/data/6.1.192-anon-kprobe.txt.zst "$T/trace.zst"
cp tests/data/6.1.192-anon-kprobe.vmstat.before "$T/before"
cp tests/data/6.1.192-anon-kprobe.vmstat.after "$T/after"
ln -s trace.zst "$T/link.zst"
ln "$T/before" "$T/hard"
"$BIN" analyze --json "$T/trace.zst" >"$T/a.json" || bad "analyze --json failed"
cp "$T/a.json" "$T/a.keep"

# expect NAME ARGS...: exit 1, one line on stderr saying "refusing to overwrite an input"
expect() {
	local name=$1 rc
	shift
	"$@" >"$T/$name.out" 2>"$T/$name.err"; rc=$?
	[ "$rc" = 1 ] || bad "$name: exit $rc, expected 1"
	[ "$(wc -l <"$T/$name.err")" = 1 ] && grep -q "refusing to overwrite an input" "$T/$name.err" ||
		bad "$name: stderr: $(head -c 300 "$T/$name.err")"
}
vm=(--vmstat-before "$T/before" --vmstat-after "$T/after")
expect csv-trace     "$BIN" analyze --csv "$T/trace.zst" "$T/trace.zst"
expect records-link  "$BIN" analyze --records "$T/link.zst" "$T/trace.zst"
expect html-vmstat   "$BIN" analyze "${vm[@]}" --html "$T/after" "$T/trace.zst"
expect csv-hardlink  "$BIN" analyze "${vm[@]}" --csv "$T/hard" "$T/trace.zst"
expect merge-output  "$BIN" merge -o "$T/a.json" "$T/a.json" "$T/a.json"

cmp -s "$T/trace.zst" tests/data/6.1.192-anon-kprobe.txt.zst || bad "the trace changed"
cmp -s "$T/before" tests/data/6.1.192-anon-kprobe.vmstat.before || bad "vmstat.before changed"
cmp -s "$T/after" tests/data/6.1.192-anon-kprobe.vmstat.after || bad "vmstat.after changed"
cmp -s "$T/a.json" "$T/a.keep" || bad "the merged summary changed"

# a new file, and stdout, are fine
"$BIN" analyze --csv "$T/rows.csv" "$T/trace.zst" >/dev/null || bad "--csv to a new file failed"
"$BIN" analyze --json tests/data/6.1.192-anon-graph.txt.zst >"$T/b.json" || bad "analyze --json failed"
"$BIN" merge -o "$T/m.json" "$T/a.json" "$T/b.json" || bad "merge -o to a new file failed"
[ $status = 0 ] && echo "outputs-not-inputs: ok (analyze --csv/--records/--html, merge -o; paths, symlink, hard link)"
exit $status
