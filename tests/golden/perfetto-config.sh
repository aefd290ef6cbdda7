#!/usr/bin/env bash
# record --perfetto-config: Perfetto's TraceConfig schema (tests/perfetto/config-subset.proto: our subset
# with upstream's names and numbers, checked by tests/perfetto/check-schema.sh) accepts the config of every mode (protoc --encode=perfetto.protos.TraceConfig), the encoded fields carry
# Perfetto's numbers, the graph roots follow the kernel release, and the modes Perfetto cannot record
# are refused with a reason.
set -u
cd "$(dirname "$0")/../.."
BIN=${BIN:-build/allocscope}
command -v protoc >/dev/null || { echo "skip: perfetto-config.sh needs protoc ('make deps': protobuf-compiler)" >&2; exit 77; }
P=tests/perfetto
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0 n=0
bad() { echo "perfetto-config: $*" >&2; fail=1; }
encode() { # CONFIG -> T/bin; protoc's complaint on failure
	protoc --encode=perfetto.protos.TraceConfig -I "$P" config-subset.proto \
		<"$1" >"$T/bin" 2>"$T/protoc.err" || { bad "$1: protoc refuses it: $(head -3 "$T/protoc.err")"; return 1; }
}
has() { # FILE TEXT
	grep -qxF -- "$2" "$1" || bad "$1 lacks the line '$2'"
}

# mode, options, the roots the release must give (events: none)
while IFS='|' read -r name opts roots; do
	n=$((n + 1))
	c=$T/$name.pbtxt
	# shellcheck disable=SC2086  # opts: several words
	"$BIN" record --perfetto-config $opts -o "$c" 2>"$T/err" || { bad "$name: exit $?: $(cat "$T/err")"; continue; }
	encode "$c" || continue
	# decoded back by name: every field we wrote is one of Perfetto's, with its value
	protoc --decode=perfetto.protos.TraceConfig -I "$P" config-subset.proto \
		<"$T/bin" >"$T/dec" || { bad "$name: protoc cannot decode its own encoding"; continue; }
	for l in 'name: "linux.ftrace"' 'name: "linux.process_stats"' 'name: "linux.sys_stats"' \
		'ftrace_events: "kmem/mm_page_alloc"' 'ftrace_events: "vmscan/mm_vmscan_direct_reclaim_begin"' \
		'ftrace_events: "sched/sched_switch"' 'ftrace_events: "ftrace/print"' 'atrace_categories: "gfx"' \
		'atrace_categories: "view"' 'vmstat_period_ms: 250' 'psi_period_ms: 250' 'write_into_file: true' \
		'scan_all_processes_on_start: true' 'record_thread_names: true' \
		'name: "android.surfaceflinger.frametimeline"'; do
		grep -qF -- "$l" "$T/dec" || bad "$name: decoded config lacks $l"
	done
	# Perfetto's field numbers (trace_config.proto): duration_ms = 3, write_into_file = 8,
	# data_sources = 2 > config = 1 > ftrace_config = 100 > ftrace_events = 1, buffer_size_kb = 10
	protoc --decode_raw <"$T/bin" >"$T/raw"
	dur=$(sed -n 's/^duration_ms: //p' "$c")
	has "$T/raw" "3: $dur"
	has "$T/raw" "8: 1"
	grep -q '^  1 {$' "$T/raw" || bad "$name: no DataSource.config (2 > 1) in the raw encoding"
	grep -qF '      1: "kmem/mm_page_alloc"' "$T/raw" || bad "$name: ftrace_events is not field 1 of field 100"
	got=$(sed -n 's/^ *function_graph_roots: "\(.*\)"$/\1/p' "$c" | tr '\n' ' ')
	[ "$got" = "$roots" ] || bad "$name: function_graph_roots '$got', expected '$roots'"
done <<'CASES'
events|-m events -d 10|
auto|--app com.example.app --alloc-rate 500000 -d 2.5s|
graph-5.10|-m graph --kernel 5.10.198-android13-4 -d 30s|__alloc_pages_nodemask 
graph-6.1|-m graph --kernel 6.1.75-android14-11|__alloc_pages 
graph-6.12|-m graph --kernel 6.12.30-android16-5 -b 16384|__alloc_pages_noprof 
graph-6.14|-m graph --kernel 6.14.0|__alloc_frozen_pages_noprof __alloc_pages_noprof 
CASES

# buffer sizes from the rate: kernel = rate x events/alloc x 48 B x 0.1 s x 4 (at least 2048 KB),
# central = (rate x events x 24 B + 320,000 B/s) x 0.5 s x 4 (8192 .. 32768 KB)
"$BIN" record --perfetto-config --alloc-rate 1000000 >"$T/r.pbtxt"
has "$T/r.pbtxt" "      buffer_size_kb: 18748"	# 1000000 x 48 / 1024 = 46875; x 100 / 1000 = 4687; x 4
has "$T/r.pbtxt" "  size_kb: 32768"		# (24,320,000 B/s / 1024 = 23750) x 500 / 1000 x 4 = 47500: the cap
"$BIN" record --perfetto-config -b 4096 >"$T/b.pbtxt"
has "$T/b.pbtxt" "      buffer_size_kb: 4096"
has "$T/b.pbtxt" "  size_kb: 8192"	# (2,720,000 / 1024 = 2656) x 500 / 1000 x 4 = 5312: at least 8192

# what Perfetto cannot record, and what --perfetto-config does not take
while IFS='|' read -r opts rc msg; do
	n=$((n + 1))
	# shellcheck disable=SC2086
	"$BIN" record --perfetto-config $opts >"$T/out" 2>"$T/err"; got=$?
	[ $got -eq "$rc" ] || bad "--perfetto-config $opts: exit $got, expected $rc"
	grep -q -- "$msg" "$T/err" || bad "--perfetto-config $opts: stderr lacks '$msg': $(cat "$T/err")"
	[ -s "$T/out" ] && bad "--perfetto-config $opts: wrote a config anyway"
done <<'CASES'
-m retprobe|1|no arguments and no return value
-m cross|1|Perfetto cannot record the cross mode
-m graph|1|give --kernel RELEASE
-m graph --kernel banana|1|give --kernel RELEASE
-- sleep 1|1|no COMMAND
--frames|1|the config records the frames anyway
--app a"b|1|without quotes
CASES
"$BIN" record --kernel 6.1 -d 1 >/dev/null 2>"$T/err" && bad "--kernel without --perfetto-config accepted"
[ $fail -eq 0 ] && echo "perfetto-config: $n configs and refusals checked against Perfetto's schema (protoc)"
exit $fail
