#!/usr/bin/env bash
# The CLI's manners: no doubled parentheses "((" in any text report; one unit
# per column of the Stages table (the unit in the header, none in the cells);
# events -n 0 and --reader libtracecmd on a text trace refused in one line;
# info says whether window markers and snapshots are there.
set -u
cd "$(dirname "$0")/../.."
BIN=${BIN:-build/allocscope}
status=0
bad() { echo "manners: $*" >&2; status=1; }

for f in tests/data/sample-6.12-anon-graph.dat tests/data/6.12-anon-kprobe.txt.zst tests/data/6.12-thp-tcev.dat \
	 tests/data/6.1.192-oom-kprobe.txt.zst; do
	base=${f%.txt.zst}; base=${base%.dat}
	vm=()
	[ -f "$base.vmstat.before" ] && vm=(--vmstat-before "$base.vmstat.before" --vmstat-after "$base.vmstat.after")
	out=$("$BIN" analyze "${vm[@]}" "$f"; "$BIN" stalls "$f"; "$BIN" info "$f")
	if grep -q '((' <<<"$out"; then bad "$f: doubled parentheses: $(grep '((' <<<"$out" | head -3)"; fi
	# Stages rows: every cell after COUNT a plain number (units in the header)
	sed -n '/^Stages/,/^$/p' <<<"$out" | awk 'NR > 2 && $2 ~ /^[0-9,]+$/ && NF > 3 && $3 != "(count" {
		for (i = 3; i <= NF; i++) if ($i !~ /^[0-9,]+\.[0-9]$/ && $i != "-") { print; exit 1 } }' >/dev/null ||
		bad "$f: a Stages cell carries its own unit"
	sed -n '/^Stages/,/^$/p' <<<"$out" | grep -q 'TOTAL ms .*MEAN us .*MAX us' || bad "$f: no units in the Stages header"
	# the STALL column of the task, order and gfp tables, and stalls' TOTAL: ms, in the header
	for t in '^Top tasks' '^By order' '^By gfp class'; do
		sed -n "/$t/,/^\$/p" <<<"$out" | awk 'NR == 2 && $NF != "ms" { exit 1 }
			NR > 2 && NF > 3 && $NF !~ /^[0-9,]+\.[0-9][0-9][0-9]$/ { exit 1 }' ||
			bad "$f: '$t' STALL column not in one unit"
	done
	grep -q '^    #   TOTAL ms ' <<<"$out" || bad "$f: stalls' TOTAL column has no unit in its header"
done

# the HTML report's tables likewise: the unit in the header, plain numbers in the cells
page=$("$BIN" analyze --html - tests/data/6.12-anon-kprobe.txt.zst)
grep -q '<th>total ms</th><th>mean us</th><th>p50 us</th>' <<<"$page" || bad "html: Stages header without units"
grep -q 'direct_reclaim</td><td class=num>18</td><td class=num>134.8</td><td class=num>7,489.1</td>' <<<"$page" ||
	bad "html: Stages cells not in the header's units"
[ "$(grep -o '<th>stall ms</th>' <<<"$page" | wc -l)" = 3 ] || bad "html: STALL columns without units"

err=$("$BIN" events -n 0 tests/data/6.12-thp-tcev.dat 2>&1 >/dev/null); rc=$?
[ $rc = 1 ] && [ "$(wc -l <<<"$err")" = 1 ] && grep -q -- '--limit: at least 1' <<<"$err" || bad "events -n 0: exit $rc: $err"
err=$("$BIN" events --reader libtracecmd tests/data/6.12-anon-kprobe.txt.zst 2>&1 >/dev/null); rc=$?
[ $rc = 1 ] && [ "$(wc -l <<<"$err")" = 1 ] && grep -q 'is ftrace-text, not a trace.dat' <<<"$err" ||
	bad "events --reader libtracecmd on text: exit $rc: $err"
"$BIN" info tests/data/sample-6.12-anon-graph.dat | grep -q "^  markers:      window 'allocscope: begin' .. 'allocscope: end'" ||
	bad "info: no window markers line"
"$BIN" info tests/data/sample-6.12-anon-graph.dat | grep -q '^  snapshots:    in the trace: 364 vmstat lines, 2 kswapd stat lines' ||
	bad "info: no snapshots line"
"$BIN" info tests/data/6.18.44-anon-perf.txt.zst | grep -q '^  markers:      no window markers' || bad "info: markers absent not said"
err=$("$BIN" 2>&1); rc=$?
[ $rc = 1 ] && [ "$(wc -l <<<"$err")" = 1 ] || bad "allocscope without a command: exit $rc, $(wc -l <<<"$err") lines"

[ $status = 0 ] && echo "manners: ok (no '((', one unit per Stages column, events -n 0 / --reader on text refused, info markers and snapshots)"
exit $status
