#!/usr/bin/env bash
# Output files are never destroyed nor left partial: analyze --csv/--records/
# --html and merge --output are written beside their target and renamed over
# it only on success.  A failed run (a missing trace, SIGTERM while running)
# leaves an earlier output as it was and no temporary file; an existing output
# is replaced only with -f; a path that cannot be created, or a directory, is
# a usage error (exit 1) in one line naming the output.  Also the one-line
# usage errors and the messages that say what to do (a summary given as a
# trace, a directory or swapped snapshots given as vmstat files).
set -u
cd "$(dirname "$0")/../.."
BIN=${BIN:-build/allocscope}
BUILD=${BUILD:-build}
T=$BUILD/outputs-atomic
D=tests/data/6.12-thp-tcev
status=0
rm -rf "$T"; mkdir -p "$T"
bad() { echo "outputs-atomic: $*" >&2; status=1; }

# expect RC NAME REGEX ARGS...: exit status RC, stderr one line matching REGEX
expect() {
	local want=$1 name=$2 re=$3 rc
	shift 3
	"$BIN" "$@" >"$T/$name.out" 2>"$T/$name.err"; rc=$?
	[ "$rc" = "$want" ] || bad "$name: exit $rc, expected $want: $(head -c 300 "$T/$name.err")"
	grep -Eq -- "$re" "$T/$name.err" || bad "$name: stderr '$(cat "$T/$name.err")' does not match /$re/"
	[ "$(wc -l <"$T/$name.err")" -le 1 ] || bad "$name: more than one line on stderr"
}

for f in prev.html prev.csv prev.jsonl prev.json; do echo "earlier $f" >"$T/$f"; done
# a failed run leaves earlier outputs whole (with -f: without it they are refused first)
expect 2 missing-trace 'does-not-exist: cannot open' analyze -f --html "$T/prev.html" --csv "$T/prev.csv" \
	--records "$T/prev.jsonl" "$T/does-not-exist"
for f in prev.html prev.csv prev.jsonl; do
	[ "$(cat "$T/$f")" = "earlier $f" ] || bad "a failed analyze changed $f"
done
# an existing output without -f: refused before anything is read
expect 1 exists '^allocscope: --csv .*prev.csv: the output exists; -f/--force replaces it \(try .allocscope analyze --help.\)$' \
	analyze --csv "$T/prev.csv" "$D.dat"
[ "$(cat "$T/prev.csv")" = "earlier prev.csv" ] || bad "analyze without -f changed prev.csv"
# with -f: replaced, complete (as --csv - prints it)
"$BIN" analyze -f --csv "$T/prev.csv" "$D.dat" >/dev/null || bad "analyze -f --csv failed"
"$BIN" analyze --csv - "$D.dat" | cmp -s - "$T/prev.csv" || bad "analyze -f --csv wrote another CSV than --csv -"
# paths that cannot be outputs
expect 1 nodir '^allocscope: --html .*/no/dir/x.html: cannot create the output: No such file or directory' \
	analyze --html "$T/no/dir/x.html" "$D.dat"
expect 1 isdir '^allocscope: --records .*: is a directory, not an output file' analyze --records "$T" "$D.dat"
# merge --output: the same rules
"$BIN" analyze --json "$D.dat" >"$T/a.json" || bad "analyze --json failed"
expect 1 merge-exists 'prev.json: the output exists; -f/--force replaces it' merge -o "$T/prev.json" "$T/a.json"
expect 2 merge-bad 'does-not-exist' merge -f -o "$T/prev.json" "$T/a.json" "$T/does-not-exist.json"
[ "$(cat "$T/prev.json")" = "earlier prev.json" ] || bad "a failed merge changed prev.json"
"$BIN" merge -f -o "$T/prev.json" "$T/a.json" || bad "merge -f -o failed"
"$BIN" merge "$T/a.json" | cmp -s - "$T/prev.json" || bad "merge -f -o wrote another summary than stdout"
# SIGTERM while the outputs are open (blocked reading a FIFO given as a
# vmstat file): the temporary files go, the earlier outputs stay
mkfifo "$T/fifo"
"$BIN" analyze -f --csv "$T/prev.csv" --html "$T/prev.html" --vmstat-before "$T/fifo" \
	--vmstat-after "$T/fifo" "$D.dat" >/dev/null 2>&1 &
pid=$!
for _ in $(seq 50); do ls -A "$T" | grep -q '\.tmp$' && break; sleep 0.1; done
ls -A "$T" | grep -q '\.tmp$' || bad "no temporary file seen while analyze ran"
kill -TERM $pid; wait $pid; rc=$?
[ $rc = 143 ] || bad "SIGTERM: exit $rc, expected 143"
ls -A "$T" | grep -q '\.tmp$' && bad "SIGTERM left temporary files: $(ls -A "$T" | grep '\.tmp$')"
[ "$(cat "$T/prev.html")" = "earlier prev.html" ] || bad "SIGTERM changed prev.html"
rm -f "$T/fifo"

# usage errors: one line and where the help is, not the whole help
expect 1 unknown-opt "^allocscope: analyze: unknown option '--bogus' \(try 'allocscope analyze --help'\)$" analyze --bogus x
expect 1 short-opt "^allocscope: stalls: unknown option '-x' \(try 'allocscope stalls --help'\)$" stalls -x y
expect 1 no-value "^allocscope: events: --limit needs a value \(try 'allocscope events --help'\)$" events --limit
expect 1 no-trace "^allocscope: info: no trace file given \(try 'allocscope info --help'\)$" info
expect 1 merge-none "^allocscope: merge: at least one SUMMARY.json is needed \(try 'allocscope merge --help'\)$" merge
# a summary where a trace belongs: what to do with it
for c in analyze stalls events info; do
	expect 2 "summary-$c" "a.json: this is an analyze --json summary, not a trace: use compare or merge" "$c" "$T/a.json"
done
# vmstat snapshots: a directory, and the two files swapped
expect 1 vm-dir '^allocscope: --vmstat-before /tmp: is a directory' analyze --vmstat-before /tmp \
	--vmstat-after "$D.vmstat.after" "$D.dat"
expect 1 vm-swapped 'fall from one to the other: snapshots swapped\?' analyze --vmstat-before "$D.vmstat.after" \
	--vmstat-after "$D.vmstat.before" "$D.dat"

ls -A "$T" | grep -q '\.tmp$' && bad "temporary files left: $(ls -A "$T" | grep '\.tmp$')"
[ $status = 0 ] && echo "outputs-atomic: ok (analyze/merge outputs kept on failure and SIGTERM, -f, one-line usage errors)"
exit $status
