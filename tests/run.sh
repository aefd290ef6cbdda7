#!/usr/bin/env bash
# allocscope test driver: cmocka unit tests, golden CLI tests, malformed inputs.
# Usage: tests/run.sh [unit|golden|malformed|golden-update]   (default: all)
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
	local t rc
	for t in "$BUILD"/tests/test_*; do
		[ -x "$t" ] || continue
		echo "== unit: ${t##*/}"
		# cmocka prints its own per-test lines; they go to CI's log as they are
		(cd tests && CMOCKA_MESSAGE_OUTPUT=stdout "../$t"); rc=$?
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
			[ $rc -ne 0 ] && echo $rc > "tests/golden/$name.rc"
			[ -s "$err" ] && cp "$err" "tests/golden/$name.err"
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
	for z in tests/data/*.txt.zst; do
		[ -f "$z" ] || continue
		size=$(stat -c %s "$z")
		head -c $((size / 2)) "$z" > "$g/trunc.txt.zst"
		{ head -c 100 "$z"; head -c 5000 /dev/zero | tr '\0' 'x'; tail -c +5101 "$z"; } > "$g/corrupt.txt.zst"
		break
	done
}

run_malformed() {
	local line file want re err rc
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
	# Every generated truncation of a real trace.dat must be an error, never a success.
	for file in "$BUILD"/malformed/trunc-*.dat; do
		[ -e "$file" ] || continue
		err=$("$BIN" info "$file" 2>&1 >/dev/null); rc=$?
		if [ $rc -eq 2 ] && grep -q "$file" <<<"$err" && [ "$(wc -l <<<"$err")" -eq 1 ]; then ok
		else bad "truncated $file: exit $rc: $err"; fi
	done
}

case $what in
all)		run_unit; run_golden; run_malformed ;;
unit)		run_unit ;;
golden|golden-update) run_golden ;;
malformed)	run_malformed ;;
*)		echo "usage: $0 [unit|golden|malformed|golden-update]" >&2; exit 1 ;;
esac

if [ $fail -eq 0 ]; then
	echo "TESTS: PASS ($pass passed, $skip skipped)"
	exit 0
fi
echo "TESTS: FAIL ($fail failed, $pass passed, $skip skipped): ${failed[*]}"
exit 1
