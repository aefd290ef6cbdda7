#!/usr/bin/env bash
# allocscope benchmark: reader/analyzer throughput against the tools users
# already have, on the same files, median of N runs.  Inputs are generated
# reproducibly under $BUILD/bench (never committed):
#
#   big-ftrace.txt   >= TEXT_MB MB of ftrace text: the real kprobe capture
#                    (tests/data/6.12-anon-kprobe.txt.zst) repeated, each copy
#                    shifted in time after the previous one; and its .zst
#   big-fgraph.txt   the same for function_graph text (the real 6.12 graph
#                    capture tests/data/6.12-anon-fgraph.txt.zst); and its .zst
#   big-v6.dat       the real trace.dat (tests/data/6.12-thp-tcev.dat) made v6
#                    by `trace-cmd convert`, its CPU pages repeated COPIES times
#                    with shifted page timestamps (bench/gen-tracedat.py)
#   big.dat          big-v6.dat converted by `trace-cmd convert` to v7 + zstd
#   big.pftrace      the same capture as Perfetto writes it (tests/perfetto/encode.py: compact
#                    sched, typed and self-describing events, zlib compressed_packets), its
#                    events COPIES times over, shifted in time; big-plain.pftrace without
#                    compression (traced's default: ~330 MB at 400 copies)
#
#   bench/bench.sh [--runs N] [--text-mb MB] [--copies N] [--prepare]
#   (--prepare: generate the inputs and stop, so that the timing runs alone on a shared machine)
set -u
cd "$(dirname "$0")/.."
export LC_ALL=C
BUILD=${BUILD:-build}
BIN=$BUILD/allocscope
RUNS=3
PREPARE=
TEXT_MB=1024
COPIES=400		# x 30687 events = 12.3 M events
while [ $# -gt 0 ]; do
	case $1 in
	--runs) RUNS=$2; shift 2 ;;
	--text-mb) TEXT_MB=$2; shift 2 ;;
	--copies) COPIES=$2; shift 2 ;;
	--prepare) PREPARE=1; shift ;;
	*) echo "usage: $0 [--runs N] [--text-mb MB] [--copies N] [--prepare]" >&2; exit 1 ;;
	esac
done
B=$BUILD/bench
mkdir -p "$B"

# "analyze --threads 2": decoding on a second thread ahead of the analysis (opt-in: see RESULTS.md)
JOBS=(info)
"$BIN" analyze --help >/dev/null 2>&1 && JOBS=(analyze info)
"$BIN" analyze --help 2>&1 | grep -q -- --threads && JOBS=(analyze "analyze --threads 2" info)

# ---- inputs ---------------------------------------------------------------
# repeat SRC (a real text capture) into OUT until TEXT_MB, each copy shifted 10 s after the previous
# one, and OUT.zst.  SHAPE ftrace: "TS: " after the CPU column; fgraph: the ABSTIME column first, and
# the marker lines dropped (each copy would open a new window)
make_repeated() {
	local src=$1 out=$2 shape=$3
	[ -f "$src" ] || { echo "bench: $src missing" >&2; return 1; }
	if [ -f "$out" ] && [ "$(stat -c %s "$out")" -ge $((TEXT_MB * 1000000)) ] && [ -f "$out.zst" ]; then return 0; fi
	if [ "$shape" = fgraph ]; then markers() { grep -Ev 'allocscope|VMCAP'; }; else markers() { cat; }; fi
	zstd -dc "$src" | markers | awk -v target=$((TEXT_MB * 1000000)) -v shape="$shape" '
		/^#/ { if (!started) print; next }
		{ started = 1; body[n++] = $0 }
		END {
			span = 10; copy = 0; written = 0
			while (written < target) {
				for (i = 0; i < n; i++) {
					line = body[i]
					if (shape == "ftrace" && match(line, / [0-9]+\.[0-9]+: /)) {
						ts = substr(line, RSTART + 1, RLENGTH - 3) + copy * span
						line = substr(line, 1, RSTART) sprintf("%.6f", ts) substr(line, RSTART + RLENGTH - 2)
					} else if (shape == "fgraph" && copy > 0 && match(line, /^ *[0-9]+\.[0-9]+ /)) {
						ts = substr(line, RSTART, RLENGTH - 1) + copy * span
						line = sprintf("%12.6f", ts) substr(line, RSTART + RLENGTH - 1)
					}
					print line; written += length(line) + 1
				}
				copy++
			}
		}' > "$out.tmp" && mv "$out.tmp" "$out"
	zstd -q -3 -f -T0 "$out" -o "$out.zst"
}

make_dat() {
	local src=tests/data/6.12-thp-tcev.dat
	[ -f "$B/big.dat" ] && [ -f "$B/big-v6.dat" ] && [ "$(cat "$B/big.copies" 2>/dev/null)" = "$COPIES" ] && return 0
	trace-cmd convert -i "$src" -o "$B/src-v6.dat" --file-version 6 --compression none >/dev/null &&
	python3 bench/gen-tracedat.py "$B/src-v6.dat" "$B/big-v6.dat" "$COPIES" >&2 &&
	trace-cmd convert -i "$B/big-v6.dat" -o "$B/big.dat" --file-version 7 --compression zstd >/dev/null &&
	echo "$COPIES" > "$B/big.copies"
}

make_pftrace() {
	local src=tests/data/6.12-thp-tcev.dat
	[ -f "$B/big.pftrace" ] && [ -f "$B/big-plain.pftrace" ] &&
		[ "$(cat "$B/pftrace.copies" 2>/dev/null)" = "$COPIES" ] && return 0
	/usr/bin/python3 -c 'import google.protobuf' 2>/dev/null ||
		{ echo "bench: python3-protobuf missing (make deps)" >&2; return 1; }
	/usr/bin/python3 tests/perfetto/encode.py --repeat "$COPIES" "$src" "$B/big.pftrace" &&
	/usr/bin/python3 tests/perfetto/encode.py --repeat "$COPIES" --group 0 "$src" "$B/big-plain.pftrace" &&
	echo "$COPIES" > "$B/pftrace.copies"
}

# ---- timing ---------------------------------------------------------------
# "WALL CPU RSS": median wall s, median user+sys s, max RSS KB over $RUNS runs
measure() {
	local i w c rss ws=() cs=() rs=()
	for ((i = 0; i < RUNS; i++)); do
		/usr/bin/time -f '%e %U %S %M' -o "$B/time.out" "$@" >/dev/null 2>"$B/stderr.out" || {
			echo "bench: failed: $* ($(head -1 "$B/stderr.out"))" >&2; echo "nan nan nan"; return; }
		read -r w u s rss < "$B/time.out"
		ws+=("$w"); cs+=("$(awk -v u="$u" -v s="$s" 'BEGIN { print u + s }')"); rs+=("$rss")
	done
	med() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {printf "%s", a[int((NR+1)/2)]}'; }
	echo "$(med "${ws[@]}") $(med "${cs[@]}") $(printf '%s\n' "${rs[@]}" | sort -g | tail -1)"
}

events_of() { "$BIN" info --json "$1" | sed -n 's/.*"events_total": *\([0-9]*\).*/\1/p'; }

declare -A REF_W REF_C	# "input|tool" -> seconds
ref() {	# input tool-name command...
	local in=$1 name=$2 w c r; shift 2
	read -r w c r <<<"$(measure "$@")"
	REF_W["$in|$name"]=$w REF_C["$in|$name"]=$c
	printf '| %-22s | %-30s | %8s | %8s | %7.1f |\n' "${in##*/}" "$name" "$w" "$c" "$(awk -v r="$r" 'BEGIN{print r/1024}')" >> "$B/refs.md"
}
ratio() {	# input tool our-wall our-cpu -> "W.Wx (C.Cx)" or "-"
	local w=${REF_W["$1|$2"]:-} c=${REF_C["$1|$2"]:-}
	[ -n "$w" ] || { echo "-"; return; }
	awk -v rw="$w" -v rc="$c" -v w="$3" -v c="$4" 'BEGIN {
		if (w <= 0 || c <= 0) { print "?"; exit }
		printf "%.1fx (%.1fx)", rw / w, rc / c }'
}

# The ratios a target is judged by, measured in alternation: allocscope, the reference, allocscope, ...
# ($PAIRED pairs), the ratio taken per pair and its median, so that the VM's drift from one minute to
# the next (up to 30 % here) moves both sides of each ratio alike.
PAIRED=${PAIRED:-7}
paired() {	# input reference-name target-text target-max(allocscope/reference) reference-command...
	local in=$1 name=$2 text=$3 max=$4 i a r rs=(); shift 4
	fail() { echo "| ${in##*/} | $name | - | failed: $(head -1 "$B/stderr.out") | $text | no |" >> "$B/paired.md"; }
	for ((i = 0; i < PAIRED; i++)); do
		/usr/bin/time -f '%e' -o "$B/time.out" "$BIN" analyze "$in" >/dev/null 2>"$B/stderr.out" || { fail; return; }
		a=$(cat "$B/time.out")
		/usr/bin/time -f '%e' -o "$B/time.out" "$@" >/dev/null 2>"$B/stderr.out" || { fail; return; }
		r=$(cat "$B/time.out")
		rs+=("$(awk -v a="$a" -v r="$r" 'BEGIN { printf "%.3f", (r > 0 ? a / r : 0) }')")
	done
	printf '%s\n' "${rs[@]}" | sort -g | awk -v f="${in##*/}" -v name="$name" -v text="$text" -v max="$max" '
		{ v[NR] = $1 } END {
			m = v[int((NR + 1) / 2)]
			printf "| %s | %s | %d | %.2f× (%.2f .. %.2f) | %s | %s |\n", f, name, NR, m, v[1], v[NR],
				text, (m <= max ? "yes" : "no")
		}' >> "$B/paired.md"
}

echo "bench: generating inputs in $B (text ${TEXT_MB} MB, trace.dat x${COPIES})" >&2
make_repeated tests/data/6.12-anon-kprobe.txt.zst "$B/big-ftrace.txt" ftrace || exit 1
make_repeated tests/data/6.12-anon-fgraph.txt.zst "$B/big-fgraph.txt" fgraph || exit 1
make_dat || exit 1
make_pftrace || exit 1
cc -O2 -o "$B/tcmd-iter" bench/tcmd-iter.c $(pkg-config --cflags --libs libtracecmd) || exit 1
[ -n "${PREPARE:-}" ] && { echo "bench: inputs ready in $B" >&2; exit 0; }

txt=$B/big-ftrace.txt fg=$B/big-fgraph.txt
INPUTS=("$txt" "$txt.zst" "$fg" "$fg.zst" "$B/big.dat" "$B/big-v6.dat" "$B/big.pftrace" "$B/big-plain.pftrace")
: > "$B/refs.md"
for t in "$txt" "$fg"; do
	ref "$t" "wc -l" wc -l "$t"
	ref "$t.zst" "zstd -dc" zstd -dc "$t.zst"
done
for dat in "$B/big.dat" "$B/big-v6.dat"; do
	ref "$dat" "trace-cmd report" trace-cmd report "$dat"
	ref "$dat" "libtracecmd iteration" "$B/tcmd-iter" "$dat"
done

printf '\nallocscope, %s runs each, medians; machine: %s, %s CPUs, %s; load average %s\n\n' \
	"$RUNS" "$(uname -m) $(uname -r)" "$(nproc)" \
	"$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)" "$(cut -d' ' -f1-3 /proc/loadavg)"
echo "| input | size MB | command | events | wall s | cpu s | M events/s | peak RSS MB | vs trace-cmd report | vs libtracecmd iteration | vs zstd -dc | vs wc -l |"
echo "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for in in "${INPUTS[@]}"; do
	ev=$(events_of "$in")
	for job in "${JOBS[@]}"; do
		# shellcheck disable=SC2086 # "analyze --threads 2": the command and its option
		read -r w c rss <<<"$(measure "$BIN" $job "$in")"
		printf '| %s | %d | %s | %s | %s | %s | %s | %.1f | %s | %s | %s | %s |\n' \
			"${in##*/}" "$(($(stat -c %s "$in") / 1000000))" "$job" "$ev" "$w" "$c" \
			"$(awk -v e="$ev" -v w="$w" 'BEGIN { printf "%.2f", (w > 0 ? e / w / 1e6 : 0) }')" \
			"$(awk -v r="$rss" 'BEGIN{print r/1024}')" \
			"$(ratio "$in" "trace-cmd report" "$w" "$c")" "$(ratio "$in" "libtracecmd iteration" "$w" "$c")" \
			"$(ratio "$in" "zstd -dc" "$w" "$c")" "$(ratio "$in" "wc -l" "$w" "$c")"
	done
done
printf '\nRatios: reference time / allocscope time, on wall time (and on user+sys CPU time).\n'
: > "$B/paired.md"
paired "$txt.zst" "zstd -dc" "≤ 2×" 2 zstd -dc "$txt.zst"
paired "$fg.zst" "zstd -dc" "≤ 2×" 2 zstd -dc "$fg.zst"
paired "$B/big.dat" "libtracecmd iteration" "≤ 0.33× (3× faster)" 0.3334 "$B/tcmd-iter" "$B/big.dat"
paired "$B/big-v6.dat" "libtracecmd iteration" "≤ 0.33× (3× faster)" 0.3334 "$B/tcmd-iter" "$B/big-v6.dat"
# the same events as big.dat: Perfetto's encoding against trace.dat's, both read by allocscope
paired "$B/big-plain.pftrace" "allocscope analyze big.dat" "≤ 2× (trace.dat runs at 8-10 M events/s)" 2 \
	"$BIN" analyze "$B/big.dat"
paired "$B/big.pftrace" "allocscope analyze big.dat" "≤ 2×" 2 "$BIN" analyze "$B/big.dat"
printf '\nThe targets stated as ratios, measured in alternation (%s pairs of allocscope analyze and the reference,\nthe median of the per-pair ratios, and their range):\n\n' "$PAIRED"
echo "| input | reference | pairs | allocscope time / reference time | target | met |"
echo "|---|---|---:|---:|---|---|"
cat "$B/paired.md"
printf '\nReferences:\n\n'
echo "| input | tool | wall s | cpu s | peak RSS MB |"
echo "|---|---|---:|---:|---:|"
cat "$B/refs.md"
