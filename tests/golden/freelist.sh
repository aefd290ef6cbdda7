#!/usr/bin/env bash
# The freelist mode on real captures (docs/freelist.md).
#  - cross captures (allocscope record -m cross: function_graph, the retprobe probes and the freelist
#    probe at once): analyzed -m graph, -m retprobe and -m freelist they find the same allocations,
#    slow paths, direct reclaim entries and compaction tries, in the window and in the whole trace;
#  - every freelist analysis: exact, and its check holds (every LOW or TRYLOCK attempt opened an
#    allocation its mm_page_alloc closed, but at the window's edges), with the probe the capture names;
#  - a freelist capture is detected as one (auto), and info names the mode.
set -u
cd "$(dirname "$0")/../.."
BIN=${BIN:-build/allocscope}
BUILD=${BUILD:-build}
T=$BUILD/freelist
export LC_ALL=C TZ=UTC
status=0
rm -rf "$T"; mkdir -p "$T"
bad() { echo "freelist: $*" >&2; status=1; }
n=0

# the value of "KEY": in a JSON object (first occurrence, after the object's own name when given)
num() { python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."):
    d = d[k]
print(json.dumps(d))' "$1" "$2"; }

counts() { # JSON: allocations slow reclaim compaction
	echo "$(num "$1" kpi.allocations) $(num "$1" kpi.slow_path_entries) $(num "$1" reclaim.entries)" \
	     "$(num "$1" compaction.tries)"
}

freelist_ok() { # JSON PROBE-SUBSTRING
	local j=$1 lhs rhs
	[ "$(num "$j" capture.mode)" = '"freelist"' ] || bad "$j: mode $(num "$j" capture.mode)"
	[ "$(num "$j" freelist.exact)" = true ] || bad "$j: freelist.exact not true"
	[ "$(num "$j" kpi.slow_path_exact)" = true ] || bad "$j: slow_path_exact not true"
	lhs=$(( $(num "$j" freelist.low) + $(num "$j" freelist.trylock) - $(num "$j" freelist.open_after) ))
	rhs=$(( $(num "$j" freelist.page_alloc) - $(num "$j" freelist.open_before) - $(num "$j" freelist.orphans) ))
	[ "$lhs" = "$rhs" ] || bad "$j: LOW + TRYLOCK - open after $lhs != mm_page_alloc - open before - orphans $rhs"
	num "$j" freelist.probe | grep -qF "$2" || bad "$j: probe $(num "$j" freelist.probe), want '$2'"
	n=$((n + 1))
}

for f in tests/data/6.1.192-thp-cross.dat tests/data/6.12.117-oom-cross.dat tests/data/6.12.117-arm64-16k-oom-cross.dat; do
	b=$T/$(basename "$f" .dat)
	for m in graph retprobe freelist; do
		"$BIN" analyze -m $m --json "$f" >"$b.$m.json" 2>"$b.$m.err" || bad "$f -m $m: exit $?"
		"$BIN" analyze -m $m --no-window --json "$f" >"$b.$m.all.json" 2>>"$b.$m.err" ||
			bad "$f -m $m --no-window: exit $?"
	done
	for s in "" .all; do
		g=$(counts "$b.graph$s.json")
		for m in retprobe freelist; do
			[ "$(counts "$b.$m$s.json")" = "$g" ] ||
				bad "$f${s:+ (whole trace)}: graph $g, $m $(counts "$b.$m$s.json") (allocations slow reclaim compaction)"
			n=$((n + 1))
		done
	done
	[ "$(num "$b.graph.json" kpi.slow_path_entries)" -gt 0 ] || bad "$f: no slow path (the test cannot fail)"
done
freelist_ok "$T/6.1.192-thp-cross.freelist.json" 'kprobe, $arg3 (BTF: the third argument is alloc_flags)'
freelist_ok "$T/6.12.117-oom-cross.freelist.json" 'kretprobe, alloc_flags by BTF name'
[ "$(num "$T/6.1.192-thp-cross.freelist.json" compaction.tries)" -gt 0 ] || bad "6.1 thp: no compaction"
[ "$(num "$T/6.12.117-oom-cross.freelist.json" stages.oom.count)" -gt 0 ] || bad "6.12 oom: no oom stage"
# arm64, 16 KB pages (Debian's 6.12 arm64-16k under qemu-system-aarch64): the return probe reads alloc_flags
# by BTF name there; every page count in 16 KB pages (pgalloc 597 = mm_page_alloc 597 = LOW 597)
a=$T/6.12.117-arm64-16k-oom-cross.freelist.json
freelist_ok "$a" 'kretprobe, alloc_flags by BTF name'
[ "$(num "$a" stages.oom.count)" -gt 0 ] || bad "6.12 arm64-16k oom: no oom stage"
[ "$(num "$a" capture.page_size)" = 16384 ] || bad "6.12 arm64-16k oom: page size $(num "$a" capture.page_size)"
[ "$(num "$a" freelist.low)" = "$(num "$a" freelist.page_alloc)" ] || bad "6.12 arm64-16k oom: LOW != mm_page_alloc"

# a freelist capture (the entry probe, record's default): detected, exact, named by info
f=tests/data/6.12.117-thp-freelist.dat
"$BIN" analyze --json "$f" >"$T/free.json" 2>"$T/free.err" || bad "$f: exit $?"
freelist_ok "$T/free.json" 'kprobe, alloc_flags by BTF name'
[ "$(num "$T/free.json" freelist.return_probe)" = false ] || bad "$f: not the entry probe"
"$BIN" info "$f" | grep -q '^  capture mode: freelist$' || bad "$f: info does not name the mode"
n=$((n + 1))
[ $status = 0 ] && echo "freelist: $n checks agree (graph = retprobe = freelist on cross captures, the check holds)"
exit $status
