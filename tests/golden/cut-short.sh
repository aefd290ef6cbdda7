#!/usr/bin/env bash
# A trace cut short is analyzed up to the cut (exit 4), marked in text, JSON
# and HTML, and said in one stderr line naming the file and the line or
# offset.  Cases cut at run time from real traces (no copies committed; the
# trace.dat ones at the end):
# the text of 6.12-anon-kprobe.txt.zst without its last 1,000 bytes (ends
# inside a line), and the .zst itself cut in half (ends inside a frame, and
# its window has a begin marker and no end marker).  The cut text must count
# exactly what the same text up to its last whole line counts.
set -u
cd "$(dirname "$0")/../.."
BIN=${BIN:-build/allocscope}
BUILD=${BUILD:-build}
T=$BUILD/cut-short
Z=tests/data/6.12-anon-kprobe.txt.zst
status=0
rm -rf "$T"; mkdir -p "$T"
bad() { echo "cut-short: $*" >&2; status=1; }
command -v zstd >/dev/null || { echo "cut-short: zstd not installed (apt-get install zstd)" >&2; exit 77; }

zstd -dcq "$Z" >"$T/full.txt"
size=$(stat -c %s "$T/full.txt")
head -c $((size - 1000)) "$T/full.txt" >"$T/cut.txt"
lines=$(wc -l <"$T/cut.txt")			# whole lines; line lines+1 is cut
head -n "$lines" "$T/cut.txt" >"$T/whole.txt"
zsize=$(stat -c %s "$Z")
head -c $((zsize / 2)) "$Z" >"$T/half.txt.zst"

# run WANT_RC NAME ARGS...
run() {
	local want=$1 name=$2 rc
	shift 2
	"$BIN" "$@" >"$T/$name.out" 2>"$T/$name.err"; rc=$?
	[ "$rc" = "$want" ] || bad "$name: exit $rc, expected $want: $(head -c 300 "$T/$name.err")"
	[ "$(wc -l <"$T/$name.err")" = 1 ] || [ "$want" = 0 ] || [ "$name" = compare ] || bad "$name: not one stderr line: $(cat "$T/$name.err")"
}

run 4 text analyze "$T/cut.txt"
grep -q "cut.txt: line $((lines + 1)): file ends in the middle of a line: truncated trace: the events before it were read" \
	"$T/text.err" || bad "text: stderr: $(cat "$T/text.err")"
grep -q "^  input       CUT SHORT at line $(printf "%'d" $((lines + 1)) 2>/dev/null || echo $((lines + 1)))" "$T/text.out" ||
	grep -q "^  input       CUT SHORT at line " "$T/text.out" || bad "text: no CUT SHORT line"
run 0 whole analyze "$T/whole.txt"
# the same counts as the whole lines before the cut (the report's header aside)
diff <(sed '1d; /^  input /d' "$T/text.out") <(sed 1d "$T/whole.out") >/dev/null ||
	bad "text: the cut trace counts differently from its whole lines: $(diff <(sed '1d; /^  input /d' "$T/text.out") <(sed 1d "$T/whole.out") | head -5)"
run 4 json analyze --json "$T/cut.txt"
grep -q "\"cut_at\": {\"line\": $((lines + 1))}" "$T/json.out" || bad "json: no cut_at"
run 4 html analyze --html "$T/page.html" "$T/cut.txt"
grep -q 'cut short</span> at line' "$T/page.html" || bad "html: no cut-short mark"
run 4 csv analyze --csv "$T/rows.csv" "$T/cut.txt"
"$BIN" analyze --csv - "$T/whole.txt" | cmp -s - "$T/rows.csv" || bad "csv: rows differ from the whole lines'"

run 4 zst analyze "$T/half.txt.zst"
grep -q "half.txt.zst: offset $zsize: zstd stream ends inside a frame: the events before it were read" "$T/zst.err" ||
	grep -q "half.txt.zst: offset [0-9]*: zstd stream ends inside a frame: the events before it were read" "$T/zst.err" ||
	bad "zst: stderr: $(cat "$T/zst.err")"
grep -q '^  window      .*(VMCAP_WINDOW_BEGIN marker, no end marker: to end of trace)' "$T/zst.out" ||
	bad "zst: window not marked open-ended: $(grep window "$T/zst.out")"
run 4 zst-threads analyze --threads 2 "$T/half.txt.zst"
cmp -s "$T/zst.out" "$T/zst-threads.out" || bad "--threads 2 analyzes the cut .zst differently"
run 4 events events "$T/half.txt.zst"
run 4 info info "$T/cut.txt"
run 4 stalls stalls "$T/cut.txt"
grep -q '^  input    CUT SHORT at line ' "$T/stalls.out" || bad "stalls: no CUT SHORT line"
# the gate does not judge part of a run
run 2 compare compare "$T/cut.txt" -- "$T/whole.txt"
grep -q 'cut.txt: cut short: not comparable' "$T/compare.err" 2>/dev/null ||
	grep -q 'cut short: not comparable' "$T/compare.err" || bad "compare: $(cat "$T/compare.err")"

# trace.dat without its last 1,000 bytes: v7 (the bundled sample, recorded by
# allocscope record: the options after the CPU data are gone, the CPU data is
# found by its sections) reads every event: the report equals the whole
# file's but for the input line (and the ring-buffer counts, kept in the lost
# options); v6 (CPU data cut): the whole pages before the cut
S=tests/data/sample-6.12-anon-graph.dat
head -c $(($(stat -c %s "$S") - 1000)) "$S" >"$T/sample-cut.dat"
run 4 dat analyze "$T/sample-cut.dat"
grep -q "sample-cut.dat: offset [0-9]*: file is truncated inside .*: the events before it were read" "$T/dat.err" ||
	bad "dat: stderr: $(cat "$T/dat.err")"
"$BIN" analyze "$S" >"$T/sample-whole.out"
diff <(sed '1d; /^  input /d' "$T/dat.out") <(sed '1d; /^  ring buffer /d' "$T/sample-whole.out") >/dev/null ||
	bad "dat: the cut sample's report differs from the whole one's: $(diff <(sed '1d; /^  input /d' "$T/dat.out") <(sed '1d; /^  ring buffer /d' "$T/sample-whole.out") | head -6)"
run 4 dat-threads analyze --threads 2 "$T/sample-cut.dat"
cmp -s "$T/dat.out" "$T/dat-threads.out" || bad "--threads 2 reads the cut trace.dat differently"
run 2 dat-libtracecmd events --reader libtracecmd "$T/sample-cut.dat"
grep -q 'the libtracecmd reader cannot read up to the cut' "$T/dat-libtracecmd.err" || bad "libtracecmd: $(cat "$T/dat-libtracecmd.err")"
V=tests/data/6.1.192-calm-kprobe-v6.dat
head -c $(($(stat -c %s "$V") - 1000)) "$V" >"$T/v6-cut.dat"
run 4 v6 info "$T/v6-cut.dat"
grep -q 'v6-cut.dat: offset [0-9]*: file is truncated inside CPU 1 data of buffer "": the events before it were read' "$T/v6.err" ||
	bad "v6: stderr: $(cat "$T/v6.err")"
grep -q '^  cut short:    at offset ' "$T/v6.out" || bad "v6: info does not say cut short"

[ $status = 0 ] && echo "cut-short: ok (text cut inside a line, .zst inside a frame, trace.dat v7 and v6 without their last 1,000 bytes: exit 4, marked, counts = what is whole)"
exit $status
