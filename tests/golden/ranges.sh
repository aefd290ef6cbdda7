#!/usr/bin/env bash
# Values from a trace are range-checked and their anomalies counted, on real
# fixtures altered in one known way each:
#  - a field offset past the end of the record (trace.dat v6, the order field
#    of mm_page_alloc moved to offset 96): every mm_page_alloc counted in
#    bad_fields, its order absent, the read still succeeds;
#  - one CPU's timestamp moved back (trace_pipe text): ts_backwards 1 on that
#    CPU, the step back as made;
#  - the same text split per CPU and concatenated: CPUs interleave, no CPU
#    goes back; ts_unordered equals an awk count of the same rule.
set -u
cd "$(dirname "$0")/../.."
BIN=${BIN:-build/allocscope}
BUILD=${BUILD:-build}
export LC_ALL=C TZ=UTC
tmp=$BUILD/ranges
rm -rf "$tmp"; mkdir -p "$tmp"
fail=0 n=0

# json KEY: the integer after "KEY": in the info --json on stdin
json() { grep -o "\"$1\": *[-0-9]*" | head -1 | cut -d: -f2 | tr -d " "; }

check() {	# what got want
	n=$((n + 1))
	if [ "$2" != "$3" ]; then echo "ranges: $1: got '$2', want '$3'" >&2; fail=1; fi
}

dat=tests/corpus/tracedat/seed-v6.dat
if [ -f "$dat" ]; then
	off=$(grep -obUaP 'field:unsigned int order;\toffset:16;' "$dat" | cut -d: -f1)
	cp "$dat" "$tmp/field-offset.dat"
	printf '96' | dd of="$tmp/field-offset.dat" bs=1 seek=$((off + 33)) conv=notrunc status=none
	out=$("$BIN" info --json "$tmp/field-offset.dat"); rc=$?
	check "field offset: exit" "$rc" 0
	allocs=$("$BIN" info --json "$dat" | grep -o '"name":"mm_page_alloc","kind":"mm_page_alloc","count":[0-9]*' | cut -d: -f4)
	check "field offset: bad_fields = mm_page_alloc events" "$(json bad_fields <<<"$out")" "$allocs"
	check "field offset: order= left out" \
		"$("$BIN" events "$tmp/field-offset.dat" | grep -c ' mm_page_alloc .* order=')" 0
	check "field offset: untouched file" "$("$BIN" info --json "$dat" | json bad_fields)" 0
fi

txt=tests/data/6.18.44-anon-events.txt.zst
if [ -f "$txt" ] && command -v zstd >/dev/null; then
	zstd -dcq "$txt" > "$tmp/events.txt"
	# the first CPU 1 event after a CPU 1 event, moved 1 us before that one
	awk 'done || !/ \[001\] / { print; next }
	     { match($0, / [0-9]+\.[0-9]+: /); ts = substr($0, RSTART + 1, RLENGTH - 3) }
	     seen { split(prev, p, "."); f = sprintf("%s.%06d", p[1], p[2] - 1)
		    sub(/ [0-9]+\.[0-9]+: /, " " f ": "); print; done = 1
		    print f > "/dev/stderr"; next }
	     { seen = 1; prev = ts; print }' "$tmp/events.txt" > "$tmp/back.txt" 2> "$tmp/back.ts"
	out=$("$BIN" info --json "$tmp/back.txt")
	want_ts=$(awk -F. '{ printf "%d%06d000\n", $1, $2 }' "$tmp/back.ts")
	check "backwards: ts_backwards" "$(json ts_backwards <<<"$out")" 1
	check "backwards: on CPU" "$(grep -o '"ts_backwards_first":{"cpu":[0-9-]*' <<<"$out" | cut -d: -f3)" 1
	check "backwards: at" "$(json ts_ns <<<"$out")" "$want_ts"
	check "backwards: by 1 us" "$(json ts_backwards_max_ns <<<"$out")" 1000
	check "backwards: analyze" "$("$BIN" analyze --json "$tmp/back.txt" | json ts_backwards)" 1

	{ grep -F '[000]' "$tmp/events.txt"; grep -vF '[000]' "$tmp/events.txt"; } > "$tmp/percpu.txt"
	want=$(awk '{ match($0, / \[[0-9]+\] /); c = substr($0, RSTART + 2, RLENGTH - 4)
		      match($0, / [0-9]+\.[0-9]+: /); split(substr($0, RSTART + 1, RLENGTH - 3), t, ".")
		      ts = t[1] * 1000000 + t[2]
		      if (n++ && ts < max) u++
		      if (ts > max) max = ts }
		    END { print u + 0 }' "$tmp/percpu.txt")
	out=$("$BIN" info --json "$tmp/percpu.txt")
	check "per-CPU files: ts_backwards" "$(json ts_backwards <<<"$out")" 0
	check "per-CPU files: ts_unordered" "$(json ts_unordered <<<"$out")" "$want"
	check "per-CPU files: some" "$([ "${want:-0}" -gt 1000 ] && echo yes)" yes
	check "per-CPU files: analyze" "$("$BIN" analyze --json "$tmp/percpu.txt" | json ts_unordered)" "$want"
	check "per-CPU files: same window" "$("$BIN" info --json "$tmp/percpu.txt" | grep -o '"window":{[^}]*}')" \
		"$("$BIN" info --json "$txt" | grep -o '"window":{[^}]*}')"
fi
[ $fail -eq 0 ] && echo "ranges: $n checks agree"
exit $fail
