#!/usr/bin/env bash
# Run libFuzzer targets built by "make fuzz" (build-fuzz/fuzz/fuzz_NAME) for
# FUZZ_SECONDS each, seeded from tests/corpus/NAME/.  New inputs go to
# build-fuzz/corpus/NAME/ (the committed corpus is only read); crashes, leaks
# and timeouts to build-fuzz/artifacts/NAME/.  FUZZ_JOBS parallel workers
# per target (default: the number of CPUs).  Exit 1 if any target failed.
# Usage: tests/fuzz/run.sh NAME...
set -u
cd "$(dirname "$0")/../.."
B=${FUZZ_BUILD:-build-fuzz}
SECS=${FUZZ_SECONDS:-60}
JOBS=${FUZZ_JOBS:-$(nproc)}
status=0

# inputs larger than a trace.dat seed are slow and find nothing new
max_len() { case $1 in tracedat|analyze|merge) echo 65536 ;; *) echo 16384 ;; esac; }

for t in "$@"; do
	bin=$B/fuzz/fuzz_$t
	[ -x "$bin" ] || { echo "fuzz: $bin missing (make fuzz builds it)" >&2; status=1; continue; }
	mkdir -p "$B/corpus/$t" "$B/artifacts/$t" "$B/logs/$t"
	echo "== fuzz $t: ${SECS}s x $JOBS jobs"
	# -fork keeps going after a crash, so one run finds several bugs
	ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
	LSAN_OPTIONS=suppressions=$PWD/tests/fuzz/lsan.supp:print_suppressions=0 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	"$bin" -fork="$JOBS" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
		-max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 -max_len="$(max_len "$t")" \
		-artifact_prefix="$B/artifacts/$t/" -print_final_stats=1 \
		"$B/corpus/$t" "tests/corpus/$t" >"$B/logs/$t/fuzz.log" 2>&1
	grep -E '^#[0-9]+.*(DONE|pulse)|stat::number_of_executed_units|INFO: fuzzed for' \
		"$B/logs/$t/fuzz.log" | tail -3
	n=$(find "$B/artifacts/$t" -type f | wc -l)
	if [ "$n" -gt 0 ]; then
		echo "fuzz $t: $n artifact(s) in $B/artifacts/$t/ (log: $B/logs/$t/fuzz.log)"
		status=1
	else
		echo "fuzz $t: no crash, $(ls "$B/corpus/$t" | wc -l) corpus inputs"
	fi
done
exit $status
