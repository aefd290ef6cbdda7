#!/usr/bin/env bash
# stalls --from/--to relative to the window's start (+T, -T) select exactly
# what the same bounds in the trace's own clock select: the window's start is
# read from the JSON (window_begin_ns), the absolute bounds computed with awk.
set -u
cd "$(dirname "$0")/../.."
BIN=${BIN:-build/allocscope}
fail=0 n=0
for t in tests/data/6.12-thp-tcev.dat tests/data/6.12-anon-fgraph.txt.zst; do
	[ -f "$t" ] || { echo "stalls-rel: $t missing" >&2; exit 1; }
	base=$("$BIN" stalls --json --top 1 "$t" | grep -o '"window_begin_ns": [0-9]*' | grep -o '[0-9]*$')
	for pair in "+0.18s +820ms" "-0.1 +1.5s" "+0.5 +2" "+250ms +3s"; do
		set -- $pair
		abs() {	# +T / -T in s or ms -> seconds.ns
			awk -v b="$base" -v r="$1" 'BEGIN {
				sign = substr(r, 1, 1) == "-" ? -1 : 1; v = substr(r, 2)
				ns = v ~ /ms$/ ? substr(v, 1, length(v) - 2) * 1e6 : (v ~ /s$/ ? substr(v, 1, length(v) - 1) : v) * 1e9
				t = b + sign * ns; printf "%d.%09d\n", int(t / 1e9), t % 1e9 }'
		}
		n=$((n + 1))
		a=$("$BIN" stalls --json --min 0 --top 1000 --sort time --from "$1" --to "$2" "$t")
		b=$("$BIN" stalls --json --min 0 --top 1000 --sort time --from "$(abs "$1")" --to "$(abs "$2")" "$t")
		if [ "$a" != "$b" ] || ! grep -q '"id"' <<<"$a"; then
			echo "stalls-rel: $t --from $1 --to $2 differs from --from $(abs "$1") --to $(abs "$2")" >&2
			fail=1
		fi
	done
done
[ $fail -eq 0 ] && echo "stalls-rel: $n relative ranges select as their absolute bounds"
exit $fail
