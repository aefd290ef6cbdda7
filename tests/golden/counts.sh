#!/usr/bin/env bash
# Independent check of the readers: per-event-name counts that `allocscope
# info --json` reports on every real fixture in tests/data/ must equal the
# counts obtained without allocscope (grep on the text, trace-cmd report on
# trace.dat).  Prints one line per fixture; fails on any difference.
set -u
cd "$(dirname "$0")/../.."
BIN=${BIN:-build/allocscope}
status=0

# "name count" lines from allocscope
ours() {
	"$BIN" info --json "$1" | grep -o '{"name":"[^"]*","kind":"[^"]*","count":[0-9]*}' |
		sed 's/{"name":"\([^"]*\)","kind":"[^"]*","count":\([0-9]*\)}/\1 \2/' | sort
}

# "name count" lines, independently: event name is the word before ': ' after the timestamp
theirs_text() {
	local cat=cat
	case $1 in *.zst) cat="zstd -dc" ;; esac
	$cat "$1" | awk '
		/^#/ || /^ *$/ { next }
		/^CPU:[0-9]+ \[LOST( [0-9]+)? EVENTS\]/ { n["lost_events"]++; next }
		# function_graph: trace_marker text as a comment ("/* allocscope: begin */" is a marker, not an
		# event "allocscope"), tracepoints as comments, functions as entries/leaves
		/\|  *\/\* allocscope: / { n["print"]++; next }
		/\|  *\/\* [a-z_0-9]+: / { match($0, /\/\* [a-z_0-9]+: /); n[substr($0, RSTART + 3, RLENGTH - 5)]++; next }
		/\|  *\/\* .*\*\/ *$/ { n["print"]++; next }	# trace_marker text as a comment
		/\| .*[a-zA-Z_0-9.]+\(\) \{ *$/ || /\| .*[a-zA-Z_0-9.]+\(\);/ { fg++; next }
		match($0, / [0-9]+\.[0-9]+: +[^ ]+: /) {	# perf script pads before the event
			s = substr($0, RSTART, RLENGTH); sub(/^ [0-9.]+: +/, "", s); sub(/: $/, "", s)
			sub(/^[a-z_0-9]+:/, "", s)	# perf script: system:event
			n[s]++
		}
		END { for (k in n) print k, n[k]; if (fg) print "#funcgraph", fg }' | sort
}

theirs_dat() {
	# a clock that counts ns without seconds (boot, mono) prints "[000]124065620655: print: ..."
	trace-cmd report -N "$1" 2>/dev/null | awk '
		match($0, /(\]| )[0-9]+(\.[0-9]+)?: +[^ ]+: /) {	# perf script pads before the event
			s = substr($0, RSTART, RLENGTH); sub(/^(\]| )[0-9.]+: +/, "", s); sub(/: $/, "", s); n[s]++
		}
		END { for (k in n) print k, n[k] }' | sort
}

for f in tests/data/*; do
	case $f in
	*.dat) command -v trace-cmd >/dev/null || { echo "counts: skip $f (no trace-cmd)"; continue; }
	       want=$(theirs_dat "$f") ;;
	*.txt|*.txt.zst) want=$(theirs_text "$f" | grep -v '^#funcgraph') ;;
	*) continue ;;
	esac
	got=$(ours "$f")
	# function_graph events (funcgraph_entry/exit) are counted separately
	got=$(grep -v '^funcgraph_' <<<"$got")
	want=$(grep -v '^funcgraph_' <<<"$want")
	if [ "$got" = "$want" ]; then
		echo "counts: ok   $f ($(wc -l <<<"$got") event types, $(awk '{s+=$2} END {print s}' <<<"$got") events)"
	else
		echo "counts: DIFF $f" >&2
		diff <(echo "$want") <(echo "$got") | sed 's/^/    /' >&2
		status=1
	fi
done
exit $status
