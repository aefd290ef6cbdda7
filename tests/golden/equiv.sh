#!/usr/bin/env bash
# The same capture read as trace.dat and as its `trace-cmd report` text must
# yield the same normalized event stream (allocscope events), for every
# trace.dat fixture: with ns timestamps (report -t) exactly, and with the
# default µs timestamps after rounding ours down to µs.
set -u
cd "$(dirname "$0")/../.."
BIN=${BIN:-build/allocscope}
BUILD=${BUILD:-build}
command -v trace-cmd >/dev/null || { echo "equiv: skip (no trace-cmd)"; exit 0; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
status=0
for f in tests/data/*.dat; do
	[ -f "$f" ] || continue
	for variant in ns us; do
		if [ $variant = ns ]; then
			trace-cmd report -N -t "$f" > "$tmp/report.txt" 2>/dev/null; opt=""
		else
			trace-cmd report -N "$f" > "$tmp/report.txt" 2>/dev/null; opt="-u"
		fi
		"$BIN" events $opt "$f" > "$tmp/dat.ev" 2>"$tmp/dat.err" || { cat "$tmp/dat.err" >&2; status=1; continue; }
		"$BIN" events $opt "$tmp/report.txt" > "$tmp/txt.ev" 2>"$tmp/txt.err" || { cat "$tmp/txt.err" >&2; status=1; continue; }
		# report prints kprobes as "(%lx)" addresses: their functions are only
		# known from the trace.dat's kallsyms, so compare the rest of those lines
		sed -i -E '/ k(ret)?probe /{s/ func=[^ ]*//; s/ caller=[^ ]*//}' "$tmp/dat.ev" "$tmp/txt.ev"
		# print formats libtraceevent cannot parse (7.1's reclaim_begin: REC->ent.pid; mm_page_alloc's
		# pfn_to_page() without vmemmap, 5.10): report prints "[FAILED TO PARSE]" and the raw fields, so
		# its text has no gfp flags to render (trace.dat borrows another event's table)
		for e in $(grep -oE ' [a-z_0-9]+: +\[FAILED TO PARSE\]' "$tmp/report.txt" | awk '{print $1}' | tr -d : | sort -u); do
			sed -i -E "/ $e $e /s/ gfp=[^ ]*//" "$tmp/dat.ev" "$tmp/txt.ev"
		done
		if cmp -s "$tmp/dat.ev" "$tmp/txt.ev"; then
			echo "equiv: ok   $f ($variant, $(wc -l < "$tmp/dat.ev") events)"
		else
			echo "equiv: DIFF $f ($variant): trace.dat vs trace-cmd report text" >&2
			diff "$tmp/dat.ev" "$tmp/txt.ev" | head -20 | sed 's/^/    /' >&2
			status=1
		fi
	done
done
exit $status
