#!/usr/bin/env bash
# allocscope test driver: cmocka unit tests, golden CLI tests, malformed inputs.
# Usage: tests/run.sh [unit|golden|malformed|fuzz|merge|valgrind|tsan|golden-update]   (default: all but valgrind, tsan)
# Ends with one line CI can read: "TESTS: PASS (...)" or "TESTS: FAIL (...)".
set -u
cd "$(dirname "$0")/.."
export LC_ALL=C TZ=UTC
BUILD=${BUILD:-build}
BIN=$BUILD/allocscope
what=${1:-all}
pass=0 fail=0 skip=0
failed=()

ok()   { pass=$((pass + 1)); }
bad()  { fail=$((fail + 1)); failed+=("$1"); echo "FAIL: $1" >&2; }

run_unit() {
	local t rc n
	for t in "$BUILD"/tests/test_*; do
		[ -x "$t" ] || continue
		echo "== unit: ${t##*/}"
		# cmocka prints its own per-test lines; they go to CI's log as they are,
		# and a test that skipped (its data missing) is counted as skipped
		(cd tests && CMOCKA_MESSAGE_OUTPUT=stdout "../$t") >"$BUILD/unit.out" 2>&1; rc=$?
		cat "$BUILD/unit.out"
		n=$(sed -n 's/^\[  SKIPPED \] \([0-9]*\) test(s), listed below:$/\1/p' "$BUILD/unit.out")
		skip=$((skip + ${n:-0}))
		if [ $rc -eq 0 ]; then ok; else bad "unit ${t##*/} (exit $rc)"; fi
	done
}

# tests/golden/NAME.cmd: allocscope arguments (one line, paths from the repo root)
# tests/golden/NAME.out: expected stdout;  NAME.rc: expected exit status (default 0)
# tests/golden/NAME.err: expected stderr (optional)
run_golden() {
	local cmd name args out err rc want
	for cmd in tests/golden/*.cmd; do
		[ -e "$cmd" ] || continue
		name=${cmd%.cmd}; name=${name##*/}
		args=$(cat "$cmd")
		out=$(mktemp) err=$(mktemp)
		eval "\"$BIN\" $args" >"$out" 2>"$err"; rc=$?
		want=0; [ -f "tests/golden/$name.rc" ] && want=$(cat "tests/golden/$name.rc")
		if [ "$what" = golden-update ]; then
			cp "$out" "tests/golden/$name.out"
			if [ $rc -ne 0 ]; then echo $rc > "tests/golden/$name.rc"; else rm -f "tests/golden/$name.rc"; fi
			if [ -s "$err" ]; then cp "$err" "tests/golden/$name.err"; else rm -f "tests/golden/$name.err"; fi
			echo "updated: $name"; rm -f "$out" "$err"; continue
		fi
		if [ "$rc" != "$want" ]; then
			bad "golden $name: exit $rc, expected $want"; cat "$err" >&2
		elif ! diff -u "tests/golden/$name.out" "$out" >&2; then
			bad "golden $name: stdout differs"
		elif [ -f "tests/golden/$name.err" ] && ! diff -u "tests/golden/$name.err" "$err" >&2; then
			bad "golden $name: stderr differs"
		else
			ok
		fi
		rm -f "$out" "$err"
	done
	# Independent checks: per-kind counts against grep / trace-cmd report.
	for t in tests/golden/*.sh; do
		[ -e "$t" ] || continue
		BIN=$BIN BUILD=$BUILD bash "$t"; rc=$?
		# 77: the check's tool is missing (it says which): a skip, not a pass
		if [ $rc -eq 0 ]; then ok; elif [ $rc -eq 77 ]; then skip=$((skip + 1))
		else bad "golden ${t##*/}"; fi
	done
}

# tests/malformed/cases: one case per line, "FILE|EXIT|STDERR-REGEX"; FILE may be
# a path in tests/malformed/ or a generated one in $BUILD/malformed/ (made below).
gen_malformed() {
	local g=$BUILD/malformed dat=tests/data/6.12-thp-tcev.dat size off
	rm -rf "$g"; mkdir -p "$g/dir"
	: > "$g/empty"
	if [ -f "$dat" ]; then
		size=$(stat -c %s "$dat")
		for off in 1 9 10 16 20 100 1000 4095 4096 20000 200000 $((size / 2)) $((size - 4096)) $((size - 1)); do
			head -c "$off" "$dat" > "$g/trunc-$off.dat"
		done
		# wrong version byte (offset 10 holds the ASCII version)
		{ head -c 10 "$dat"; printf '9'; tail -c +12 "$dat"; } > "$g/badversion.dat"
		{ printf 'X'; tail -c +2 "$dat"; } > "$g/badmagic.dat"
	fi
	gen_malformed_more "$g"
	for z in tests/data/*.txt.zst; do
		[ -f "$z" ] || continue
		size=$(stat -c %s "$z")
		head -c $((size / 2)) "$z" > "$g/trunc.txt.zst"
		{ head -c 100 "$z"; head -c 5000 /dev/zero | tr '\0' 'x'; tail -c +5101 "$z"; } > "$g/corrupt.txt.zst"
		break
	done
}

# Flip bit @3 of byte @2 of file @1 into file @4.
flip_bit() {
	local b
	cp "$1" "$4"
	b=$(od -An -tu1 -j"$2" -N1 "$1" | tr -d ' ')
	[ -n "$b" ] || return 0
	printf "\\$(printf %o $((b ^ (1 << $3))))" | dd of="$4" bs=1 seek="$2" conv=notrunc status=none
}

# Truncations at every section boundary (v7: trace-cmd's own section list and
# CPU data extents; v6: the block tags), bit flips in the file header and in
# every v7 section header, text too long for the line limit, a zstd bomb.
gen_malformed_more() {
	local g=$1 f name off size sec secs=() cpus=() s b x
	for f in tests/data/*.dat tests/corpus/tracedat/seed-v7*.dat; do
		[ -f "$f" ] && command -v trace-cmd >/dev/null || continue
		name=${f##*/}; name=${name%.dat}; size=$(stat -c %s "$f")
		mapfile -t secs < <(trace-cmd dump --sections -i "$f" 2>/dev/null |
			sed -n 's/.*\[Section *[0-9]* @ \([0-9]*\).*/\1/p')
		mapfile -t cpus < <(trace-cmd dump --flyrecord -i "$f" 2>/dev/null |
			awk '/data offset and size/ { print $2, $3 }')
		for sec in "${secs[@]}"; do
			for off in $((sec - 1)) "$sec" $((sec + 1)) $((sec + 15)) $((sec + 16)) $((sec + 17)); do
				[ "$off" -gt 0 ] && [ "$off" -lt "$size" ] && head -c "$off" "$f" > "$g/trunc-$name-$off.dat"
			done
			[ "$size" -lt 100000 ] || continue	# flips: on the small seeds only
			for b in 0 2 4 8 9 10 11 12 13 14 15; do
				flip_bit "$f" $((sec + b)) 7 "$g/flip-$name-$((sec + b))-7.dat"
			done
		done
		for s in "${cpus[@]}"; do
			set -- $s
			for off in "$1" $(($1 + 1)) $(($1 + $2 / 2)) $(($1 + $2 - 1)); do
				[ "$off" -gt 0 ] && [ "$off" -lt "$size" ] && head -c "$off" "$f" > "$g/trunc-$name-$off.dat"
			done
		done
		[ "$size" -lt 100000 ] || continue
		for b in $(seq 0 40); do
			for x in 0 7; do flip_bit "$f" "$b" $x "$g/flip-$name-$b-$x.dat"; done
		done
	done
	f=tests/corpus/tracedat/seed-v6.dat
	if [ -f "$f" ]; then
		size=$(stat -c %s "$f")
		for off in $(grep -obUaP 'header_page\x00|header_event\x00|options  \x00|flyrecord\x00' "$f" | cut -d: -f1) \
			   $(seq 1024 1024 $((size - 1))); do
			for x in $((off - 1)) "$off" $((off + 1)) $((off + 12)); do
				[ "$x" -gt 0 ] && [ "$x" -lt "$size" ] && head -c "$x" "$f" > "$g/trunc-v6-$x.dat"
			done
		done
		for b in $(seq 0 40); do
			for x in 0 7; do flip_bit "$f" "$b" $x "$g/flip-v6-$b-$x.dat"; done
		done
	fi
	# headers claiming absurd sizes: CPU count, page size, a section's size and
	# its decompressed size (v6 seed: CPU count 4 bytes before "options  \0";
	# v7: the kallsyms section header at 4202 of 6.12-thp-tcev.dat)
	f=tests/corpus/tracedat/seed-v6.dat
	if [ -f "$f" ]; then
		off=$(grep -obUaP 'options  \x00' "$f" | head -1 | cut -d: -f1)
		cp "$f" "$g/hdr-cpus.dat"
		printf '\xff\xff\xff\x7f' | dd of="$g/hdr-cpus.dat" bs=1 seek=$((off - 4)) conv=notrunc status=none
		cp "$f" "$g/hdr-pagesize.dat"
		printf '\x00\x00\x00\x40' | dd of="$g/hdr-pagesize.dat" bs=1 seek=14 conv=notrunc status=none
	fi
	f=tests/data/6.12-thp-tcev.dat
	if [ -f "$f" ]; then
		cp "$f" "$g/hdr-secsize.dat"
		printf '\xff\xff\xff\xff\xff\xff\x00\x00' | dd of="$g/hdr-secsize.dat" bs=1 seek=4210 conv=notrunc status=none
		cp "$f" "$g/hdr-usize.dat"
		printf '\xff\xff\xff\x7f' | dd of="$g/hdr-usize.dat" bs=1 seek=4222 conv=notrunc status=none
		# the BUFFER option's second CPU id (at 1454481) beyond any machine's
		cp "$f" "$g/hdr-cpuid.dat"
		printf '\x28\x23\x00\x00' | dd of="$g/hdr-cpuid.dat" bs=1 seek=1454481 conv=notrunc status=none
	fi
	# Perfetto: hand-made damage (tests/perfetto/malformed.py), a real capture encoded as
	# traced_probes would and cut inside a packet, and gzip-wrapped and cut
	if command -v python3 >/dev/null; then
		python3 tests/perfetto/malformed.py "$g"
		f=tests/corpus/perfetto/seed-memcg-compressed-head.pftrace
		[ -f "$f" ] && head -c 9000 "$f" > "$g/pf-cut-compressed.pftrace" &&
			gzip -c "$f" | head -c 3000 > "$g/pf-cut.pftrace.gz"
	fi
	# a line over the 1 MiB limit after a good one, and as the very first line
	{ head -n 14 tests/corpus/ftrace/seed-kprobe.txt; head -c $((2 << 20)) /dev/zero | tr '\0' 'a'; echo; } > "$g/giant-line.txt"
	{ head -c $((3 << 20)) /dev/zero | tr '\0' 'a'; echo; } > "$g/giant-first-line.txt"
	# 1 GB of zeros in ~40 KB of zstd: streaming keeps memory bounded
	if command -v zstd >/dev/null; then
		head -c 1G /dev/zero | zstd -q -3 -c > "$g/bomb-zeros.zst"
		# 64 MB of blank lines in ~2 KB: past 16 MiB out at over 1000x, refused as a bomb;
		# 8 MB of them (below the 16 MiB floor) read to the end, in bounded memory
		head -c 64M /dev/zero | tr '\0' '\n' | zstd -q -3 -c > "$g/bomb-newlines.zst"
		head -c 8M /dev/zero | tr '\0' '\n' | zstd -q -3 -c > "$g/bomb-small-newlines.zst"
	fi
}

run_malformed() {
	local line file want re err rc rss
	gen_malformed
	while IFS= read -r line; do
		case "$line" in ''|'#'*) continue ;; esac
		IFS='|' read -r file want re <<<"$line"
		file=${file//\$BUILD/$BUILD}
		if [ ! -e "$file" ] && [ "${file#$BUILD}" != "$file" ]; then
			skip=$((skip + 1)); continue	# generator input missing
		fi
		err=$("$BIN" info "$file" 2>&1 >/dev/null); rc=$?
		if [ "$rc" != "$want" ]; then
			bad "malformed $file: exit $rc, expected $want ($err)"
		elif ! grep -Eq -- "$re" <<<"$err"; then
			bad "malformed $file: message '$err' does not match /$re/"
		elif [ "$(wc -l <<<"$err")" -ne 1 ]; then
			bad "malformed $file: expected one line, got: $err"
		else
			ok
		fi
	done < tests/malformed/cases
	# Bit flips: an error in one line naming the file, or a success; never a crash.
	# (4: a flipped size that runs the CPU data past the end reads as a file cut short.)
	for file in "$BUILD"/malformed/flip-*.dat; do
		[ -e "$file" ] || continue
		err=$(timeout 60 "$BIN" info "$file" 2>&1 >/dev/null); rc=$?
		if [ $rc -eq 0 ] || { { [ $rc -eq 2 ] || [ $rc -eq 4 ]; } && grep -q "$file" <<<"$err" &&
				      [ "$(wc -l <<<"$err")" -eq 1 ]; }; then ok
		else bad "bit flip $file: exit $rc: $err"; fi
	done
	# Bombs: bounded memory (max RSS) and time, and the right verdict.
	for file in "$BUILD"/malformed/bomb-*.zst "$BUILD"/malformed/pf-bomb.pftrace; do
		[ -e "$file" ] && [ -x /usr/bin/time ] || continue
		err=$(timeout 120 /usr/bin/time -f 'maxrss %M' "$BIN" info "$file" 2>&1 >/dev/null); rc=$?
		rss=$(sed -n 's/^maxrss //p' <<<"$err")
		case $file in *small*) want=0 re='^maxrss' ;; *zeros*) want=2 re='binary' ;;
			*pf-bomb*) want=2 re='expand beyond the 16 MiB limit: a decompression bomb' ;;
			*) want=2 re='expands more than 1000x.*decompression bomb' ;; esac
		if [ $rc -eq $want ] && [ -n "$rss" ] && [ "$rss" -lt 65536 ] && grep -Eq "$re" <<<"$err"; then ok
		else bad "bomb $file: exit $rc (want $want), max RSS ${rss:-?} KB: $err"; fi
	done
	# Every generated truncation of a real trace.dat is an error (2: cut inside its
	# headers) or read up to the cut (4: cut inside or after its CPU data), never a
	# success, and says so in one line naming the file.
	for file in "$BUILD"/malformed/trunc-*.dat; do
		[ -e "$file" ] || continue
		err=$("$BIN" info "$file" 2>&1 >/dev/null); rc=$?
		if { [ $rc -eq 2 ] || { [ $rc -eq 4 ] && grep -q 'the events before it were read' <<<"$err"; }; } &&
		   grep -q "$file" <<<"$err" && [ "$(wc -l <<<"$err")" -eq 1 ]; then ok
		else bad "truncated $file: exit $rc: $err"; fi
	done
}

# Saved fuzz inputs (tests/corpus/NAME/) replayed through each fuzz target's
# regression driver ($BUILD/fuzz/replay_NAME, built with the normal compiler).
run_fuzz_replay() {
	local t name out rc
	for t in "$BUILD"/fuzz/replay_*; do
		[ -x "$t" ] || continue
		name=${t##*/replay_}
		[ -d "tests/corpus/$name" ] || { skip=$((skip + 1)); continue; }
		out=$(LSAN_OPTIONS=suppressions=$PWD/tests/fuzz/lsan.supp:print_suppressions=0 \
			"$t" "tests/corpus/$name" 2>&1); rc=$?
		if [ $rc -eq 0 ]; then echo "== fuzz replay $name: ${out##*$'\n'}"; ok
		else bad "fuzz replay $name (exit $rc)"; tail -30 <<<"$out" >&2; fi
	done
}

# valgrind memcheck on a representative run: info, events, analyze on every
# fixture and on the committed fuzz seeds of each format.
run_valgrind() {
	local f sub err rc vg
	command -v valgrind >/dev/null || { echo "valgrind: not installed (apt-get install valgrind)" >&2; skip=$((skip + 1)); return; }
	# the trace.dat preflight child exists to crash on damaged formats: not valgrind's business
	vg=(valgrind -q --child-silent-after-fork=yes --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite
	    --suppressions=tests/fuzz/valgrind.supp)
	for f in tests/data/*.dat tests/data/*.zst tests/corpus/{tracedat,ftrace,fgraph,perf}/*; do
		[ -f "$f" ] || continue
		for sub in info events analyze; do
			err=$("${vg[@]}" "$BIN" $sub "$f" 2>&1 >/dev/null); rc=$?
			if [ $rc -eq 99 ] || grep -q '^==[0-9]*==' <<<"$err"; then
				bad "valgrind $sub $f"; grep '^==' <<<"$err" | head -30 >&2
			else ok; fi
		done
	done
}

# ThreadSanitizer (a build with SAN=thread): the unit tests, then every fixture read by the code that runs
# threads: --threads 2 (the reader ahead of the analysis) and zstd text (its decompression thread), for
# events, analyze and stalls.  A data race is a report on stderr and exit 66.
run_tsan() {
	local f sub err rc
	run_unit
	for f in tests/data/*.dat tests/data/*.txt tests/data/*.zst; do
		[ -f "$f" ] || continue
		for sub in "events -a" analyze "stalls --min 0"; do
			# shellcheck disable=SC2086
			err=$(TSAN_OPTIONS=halt_on_error=1:exitcode=66 "$BIN" $sub --threads 2 "$f" 2>&1 >/dev/null); rc=$?
			if [ $rc -eq 66 ] || grep -q 'ThreadSanitizer' <<<"$err"; then
				bad "tsan $sub $f"; head -40 <<<"$err" >&2
			else ok; fi
		done
	done
}

# the shell recorder's per-CPU trace_pipe merge against a reference merge, under every awk and sh here
run_recorder_merge() {
	local out
	echo "== shell recorder: per-CPU merge"
	command -v python3 >/dev/null || { echo "skip: merge-test.sh needs python3 ('make deps')" >&2; skip=$((skip + 1)); return; }
	out=$(tests/e2e/merge-test.sh 2>&1)
	echo "$out" | tail -1
	if grep -q '^MERGE: PASS' <<<"$out"; then ok; else echo "$out" | grep -v '^ok' >&2; bad "shell recorder merge"; fi
}

case $what in
all)		run_unit; run_golden; run_malformed; run_fuzz_replay; run_recorder_merge ;;
unit)		run_unit ;;
golden|golden-update) run_golden ;;
malformed)	run_malformed ;;
fuzz)		run_fuzz_replay ;;
merge)		run_recorder_merge ;;
valgrind)	run_valgrind ;;
tsan)		run_tsan ;;
*)		echo "usage: $0 [unit|golden|malformed|fuzz|merge|valgrind|tsan|golden-update]" >&2; exit 1 ;;
esac

if [ $fail -eq 0 ]; then
	echo "TESTS: PASS ($pass passed, $skip skipped)"
	exit 0
fi
echo "TESTS: FAIL ($fail failed, $pass passed, $skip skipped): ${failed[*]}"
exit 1
