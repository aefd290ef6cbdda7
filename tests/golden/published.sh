#!/usr/bin/env bash
# Published traces (tests/data/published/*/SOURCE.md): what their publishers
# and an independent count of their lines say, asserted number by number on
# the JSON reports, so that a change of wording in the text goldens
# (pub-analyze-*, pub-stalls-*) cannot hide a change of number.
set -u
cd "$(dirname "$0")/../.."
BIN=${BIN:-build/allocscope}
BUILD=${BUILD:-build}
export LC_ALL=C TZ=UTC
T=$BUILD/published
rm -rf "$T"; mkdir -p "$T"
fail=0 n=0
P=tests/data/published

check() {	# what got want
	n=$((n + 1))
	if [ "$2" != "$3" ]; then echo "published: $1: got '$2', want '$3'" >&2; fail=1; fi
}
# jnum KEY FILE: the first number (or null) after "KEY": in FILE
jnum() { grep -o "\"$1\": *[-0-9a-z]*" "$2" | head -1 | cut -d: -f2 | tr -d " "; }
# stage KEY FILE: "count total_ns" of a stage
stage() { grep -o "\"$1\": {\"count\": [0-9]*, \"timed\": [0-9]*, \"total_ns\": [0-9]*" "$2" |
	sed 's/.*"count": \([0-9]*\).*"total_ns": \([0-9]*\)/\1 \2/'; }
run() {	# NAME: analyze, stalls and info JSON of its trace
	"$BIN" analyze --json "$P/$1/trace.txt" >"$T/$1.json"
	"$BIN" stalls --json --min 0 "$P/$1/trace.txt" >"$T/$1.stalls"
	"$BIN" info --json "$P/$1/trace.txt" >"$T/$1.info"
}

# Minchan Kim, 4.7 (2016): one 274 s direct reclaim, congestion_wait()s and swap writes inside it,
# the publisher's "..." lines
run minchan-lowmem-4.7-2016
J=$T/minchan-lowmem-4.7-2016
check "minchan: stalls" "$(jnum slow_path_entries "$J.json")" 1
check "minchan: reclaim" "$(stage direct_reclaim "$J.json")" "1 274239389000"
check "minchan: nr_reclaimed" "$(jnum nr_reclaimed "$J.json")" 113
check "minchan: throttled" "$(jnum throttles "$J.json") $(jnum throttle_ns "$J.json")" "8 836000000"
check "minchan: writepages" "$(jnum writepages "$J.json") $(jnum writepages_anon "$J.json")" "2 2"
check "minchan: elided" "$(grep -o '"elided_lines":[0-9]*' "$J.info" | cut -d: -f2)" 8
check "minchan: undecodable" "$(grep -o '"bad_lines":[0-9]*' "$J.info" | cut -d: -f2)" 0

# Michal Hocko, 4.8 (2016): 8 should_reclaim_retry() rounds (loops=1 twice), the last with no zone
# at its watermark: the OOM path
run hocko-oom-retry-4.8-2016
J=$T/hocko-oom-retry-4.8-2016
check "hocko-retry: rounds" "$(jnum retry_rounds "$J.json")" 8
check "hocko-retry: no zone" "$(jnum retry_no_zone "$J.json") $(jnum retries_out "$J.json")" "1 0"
check "hocko-retry: end" "$(grep -o '"retry_end": "[a-z_]*", "after_retry": "[a-z_]*"' "$J.stalls")" \
	'"retry_end": "no_zone", "after_retry": "oom_killer_unless_gfp"'
check "hocko-retry: latency" "$(jnum latency_ns "$J.stalls")" 2677000

# Xing Zhengjun, 5.12 (2021): an excerpt that begins inside an order-9 allocation, 184 ms of
# direct compaction, its mm_page_alloc (wrapped by the mailer) says it failed
run xing-compact-fgraph-5.12-2021
J=$T/xing-compact-fgraph-5.12-2021
check "xing: allocations failed" "$(jnum allocations "$J.json") $(jnum failed "$J.json")" "1 1"
check "xing: compaction" "$(stage compaction "$J.json")" "1 184015200"
check "xing: partial" "$(jnum exit_without_entry "$J.json") $(jnum open_at_end "$J.json")" "1 0"
check "xing: order" "$(jnum order "$J.stalls")" 9
check "xing: wrapped" "$(grep -o '"wrapped_lines":[0-9]*' "$J.info" | cut -d: -f2)" 5

# KOSAKI Motohiro, 2.6.35 (2010): memcg reclaim (not the allocator's), dd waking kswapd on 4 nodes
run kosaki-memcg-2.6.35-2010
J=$T/kosaki-memcg-2.6.35-2010
check "kosaki: memcg" "$(jnum memcg_reclaims "$J.json") $(jnum memcg_reclaimed "$J.json") $(jnum memcg_reclaim_ns "$J.json")" \
	"1 32 97000"
check "kosaki: direct reclaim" "$(jnum entries "$J.json")" 0
check "kosaki: stall" "$(jnum slow_path_entries "$J.json") $(jnum latency_ns "$J.stalls")" "1 19000"
check "kosaki: elided" "$(grep -o '"elided_lines":[0-9]*' "$J.info" | cut -d: -f2)" 3
check "kosaki: undecodable" "$(grep -o '"bad_lines":[0-9]*' "$J.info" | cut -d: -f2)" 0

# Rabin Vincent, 4.2 (2015): trace-cmd report's function tracer lines; a direct reclaim of 0 pages,
# then out_of_memory() 18 us later
run rabin-mkfs-oom-4.2-2015
J=$T/rabin-mkfs-oom-4.2-2015
check "rabin: reclaim" "$(stage direct_reclaim "$J.json") $(jnum nr_reclaimed "$J.json")" "1 2607000 0"
check "rabin: OOM call" "$(jnum oom_fn_calls "$J.json") $(grep -o '"oom": {"count": [0-9]*' "$J.stalls" | grep -o '[0-9]*$')" "1 1"
check "rabin: stall" "$(jnum latency_ns "$J.stalls")" 2625000
check "rabin: no wait (usec_delayed 0)" "$(jnum throttles "$J.json")" 0
check "rabin: bad fields" "$(grep -o '"bad_fields":[0-9]*' "$J.info" | cut -d: -f2)" 0

# Joonsoo Kim, 4.7 (2016): every line wrapped by the mailer; 203 us of compaction shown, no reclaim traced
run joonsoo-compaction-4.7-2016
J=$T/joonsoo-compaction-4.7-2016
check "joonsoo: wrapped" "$(grep -o '"wrapped_lines":[0-9]*' "$J.info" | cut -d: -f2)" 11
check "joonsoo: undecodable" "$(grep -o '"bad_lines":[0-9]*' "$J.info" | cut -d: -f2)" 0
check "joonsoo: compaction" "$(stage compaction "$J.json")" "1 203000"
check "joonsoo: compaction-only not known" "$(jnum compaction_only "$J.json")" null

[ $fail -eq 0 ] && echo "published: $n checks of the publishers' numbers"
exit $fail
