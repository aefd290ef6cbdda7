#!/usr/bin/env bash
# allocscope benchmark: reader/analyzer throughput against the tools users
# already have, on the same files, median of N runs.  Inputs are generated
# reproducibly under $BUILD/bench (never committed).
#
#   bench/bench.sh [--runs N] [--text-mb MB]
set -u
cd "$(dirname "$0")/.."
export LC_ALL=C
BUILD=${BUILD:-build}
BIN=$BUILD/allocscope
RUNS=3
TEXT_MB=1024
while [ $# -gt 0 ]; do
	case $1 in
	--runs) RUNS=$2; shift 2 ;;
	--text-mb) TEXT_MB=$2; shift 2 ;;
	*) echo "usage: $0 [--runs N] [--text-mb MB]" >&2; exit 1 ;;
	esac
done
B=$BUILD/bench
mkdir -p "$B"

# Which allocscope command is "the main job": analyze once it exists.
if "$BIN" analyze --help >/dev/null 2>&1; then JOB=analyze; else JOB=info; fi

# ---- inputs ---------------------------------------------------------------
# Big ftrace text: the real kprobe capture repeated, each copy shifted in
# time after the previous one so the stream stays ordered.
make_text() {
	local src=tests/data/6.12-anon-kprobe.txt.zst out=$B/big-ftrace.txt
	[ -f "$src" ] || { echo "bench: $src missing" >&2; return 1; }
	if [ -f "$out" ] && [ "$(stat -c %s "$out")" -ge $((TEXT_MB * 1000000)) ]; then return 0; fi
	zstd -dc "$src" | awk -v target=$((TEXT_MB * 1000000)) '
		/^#/ { if (!started) print; next }
		{ started = 1; body[n++] = $0; bytes += length($0) + 1 }
		END {
			# timestamps are the first field ending in ":" that parses as a number
			span = 10; copy = 0; written = 0
			while (written < target) {
				for (i = 0; i < n; i++) {
					line = body[i]
					if (match(line, / [0-9]+\.[0-9]+: /)) {
						ts = substr(line, RSTART + 1, RLENGTH - 3) + copy * span
						line = substr(line, 1, RSTART) sprintf("%.6f", ts) substr(line, RSTART + RLENGTH - 2)
					}
					print line; written += length(line) + 1
				}
				copy++
			}
		}' > "$out.tmp" && mv "$out.tmp" "$out"
	zstd -q -3 -f -T0 "$out" -o "$out.zst"
}

# ---- timing ---------------------------------------------------------------
# median wall seconds and max RSS (KB) of a command over $RUNS runs
measure() {
	local i t rss times=() rsses=()
	for ((i = 0; i < RUNS; i++)); do
		/usr/bin/time -f '%e %M' -o "$B/time.out" "$@" >/dev/null 2>"$B/stderr.out" || {
			echo "bench: failed: $* ($(head -1 "$B/stderr.out"))" >&2; echo "nan nan"; return; }
		read -r t rss < "$B/time.out"
		times+=("$t"); rsses+=("$rss")
	done
	printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {printf "%s ", a[int((NR+1)/2)]}'
	printf '%s\n' "${rsses[@]}" | sort -g | tail -1
}

events_of() { "$BIN" info --json "$1" | sed -n 's/.*"events_total":\([0-9]*\).*/\1/p'; }

row() {	# name seconds events rss ref-name ref-seconds
	awk -v n="$1" -v t="$2" -v e="$3" -v r="$4" -v rn="$5" -v rt="$6" 'BEGIN {
		printf "| %-34s | %8.3f | %11.0f | %7.1f | %-24s | %8.3f | %6.1fx |\n",
			n, t, (t > 0 ? e / t : 0), r / 1024, rn, rt, (t > 0 ? rt / t : 0) }'
}

echo "bench: generating inputs in $B (text target ${TEXT_MB} MB)" >&2
make_text || exit 1

printf '\nallocscope %s, %s runs each, median wall time; machine: %s, %s CPUs\n\n' \
	"$JOB" "$RUNS" "$(uname -m) $(uname -r)" "$(nproc)"
echo "| input                              |   time s |    events/s | RSS MB  | reference                |  ref s   | speedup |"
echo "|------------------------------------|----------|-------------|---------|--------------------------|----------|---------|"

txt=$B/big-ftrace.txt
ev=$(events_of "$txt")
read -r t rss <<<"$(measure "$BIN" $JOB "$txt")"
read -r wt _ <<<"$(measure wc -l "$txt")"
row "ftrace text $(($(stat -c %s "$txt") / 1000000)) MB" "$t" "$ev" "$rss" "wc -l" "$wt"

read -r t rss <<<"$(measure "$BIN" $JOB "$txt.zst")"
read -r zt _ <<<"$(measure zstd -dc "$txt.zst")"
row "ftrace text .zst $(($(stat -c %s "$txt.zst") / 1000000)) MB" "$t" "$ev" "$rss" "zstd -dc" "$zt"

for dat in tests/data/*.dat; do
	[ -f "$dat" ] || continue
	ev=$(events_of "$dat")
	read -r t rss <<<"$(measure "$BIN" $JOB "$dat")"
	read -r rt _ <<<"$(measure trace-cmd report "$dat")"
	row "${dat##*/}" "$t" "$ev" "$rss" "trace-cmd report" "$rt"
done
