#!/usr/bin/env bash
# One report, one number: the HTML timeline's direct reclaim and compaction
# bands give the stage table's count and total (the window's, from the
# estimator the report uses), and the dots' caption the KPI's slow-path
# entries.  Before: the bands summed the tracepoint intervals of the whole
# trace (sample: 3,833.2 ms against the table's 3,849.4 ms of
# try_to_free_pages(); the lossy 6.1 trace in events mode: 1,295.3 ms
# against 677.9 ms).
set -u
cd "$(dirname "$0")/../.."
BIN=${BIN:-build/allocscope}
export LC_ALL=C TZ=UTC
status=0 checked=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

for run in "tests/data/sample-6.12-anon-graph.dat" "-m events tests/data/sample-6.12-anon-graph.dat" \
	   "tests/data/6.12-anon-fgraph.txt.zst" "-m events tests/data/6.1.192-anon-kprobe-lossy.txt.zst" \
	   "tests/data/6.12-thp-tcev.dat"; do
	# shellcheck disable=SC2086
	"$BIN" analyze -f --no-hist --html "$tmp/r.html" $run > "$tmp/r.txt" || { echo "html-bands: $run: exit $?"; status=1; continue; }
	for st in direct_reclaim:"direct reclaim" compaction:"direct compaction"; do
		name=${st%%:*} band=${st#*:}
		# the table's TOTAL is in ms (unit in its header); the band says its own unit
		want=$(awk -v n="$name" '$1 == n { t = NF > 3 ? $3 : "0"; gsub(",", "", t)
			printf "%s intervals, %.1f ms\n", $2, t }' "$tmp/r.txt")
		got=$(grep -o "$band [0-9,]* intervals, [0-9.]*[a-z]*s in all" "$tmp/r.html" | sed "s/^$band //; s/ in all//" |
			awk '{ v = $3; u = v; sub(/^[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
			       f = u == "s" ? 1000 : u == "ms" ? 1 : u == "us" ? 0.001 : 0.000001
			       printf "%s intervals, %.1f ms\n", $1, v * f }')
		checked=$((checked + 1))
		if [ "$got" != "$want" ]; then
			echo "html-bands: $run: band '$band' says '$got', stage table '$name' '$want'"
			status=1
		fi
	done
	# events mode names its count "stalling slow paths"
	slow=$(awk '($1 == "slow-path" && $2 == "entries") { print $3 }
		    ($1 == "stalling" && $2 == "slow" && $3 == "paths") { print $4 }' "$tmp/r.txt" | tr -d ,)
	drawn=$(grep -o "Drawn: [0-9]* of the [0-9]* slow allocations" "$tmp/r.html" | awk '{print $5}')
	checked=$((checked + 1))
	if [ "$drawn" != "$slow" ]; then
		echo "html-bands: $run: the timeline counts $drawn slow allocations, the KPI $slow"
		status=1
	fi
done
[ $status -eq 0 ] && echo "html-bands: ok ($checked checks: bands = stage table, dots' total = KPI, on 5 runs)"
exit $status
