#!/usr/bin/env bash
# Color only on a terminal: analyze and stalls under a pseudo-terminal
# (script(1)) print SGR escapes; piped, with --no-color / --color=never, with
# NO_COLOR set, or with TERM=dumb they print none; --color=always forces them.
# Exit 77 = skipped (script(1) missing).
set -u
cd "$(dirname "$0")/../.."
BIN=${BIN:-build/allocscope}
command -v script >/dev/null || { echo "skip: color.sh: script(1) not installed (bsdutils)" >&2; exit 77; }
trace=tests/data/6.12-thp-tcev.dat
fail=0 n=0
esc=$'\033['

# expect yes|no ENV... -- ARGS...: does the output under a pty hold escapes?
on_tty() {
	local want=$1 envs=() out; shift
	while [ "$1" != -- ]; do envs+=("$1"); shift; done; shift
	out=$(env TERM=xterm "${envs[@]}" script -qec "$BIN $*" /dev/null 2>&1 </dev/null)
	check "tty ${envs[*]} $*" "$want" "$out"
}

check() {	# what yes|no output
	local got=no
	n=$((n + 1))
	[[ $3 == *"$esc"* ]] && got=yes
	if [ "$got" != "$2" ]; then echo "color: $1: escapes $got, want $2" >&2; fail=1; fi
}

for cmd in "stalls --top 2" "analyze --top 2"; do
	on_tty yes -- $cmd "$trace"
	on_tty no -- $cmd --no-color "$trace"
	on_tty no -- $cmd --color=never "$trace"
	on_tty no NO_COLOR=1 -- $cmd "$trace"
	on_tty no TERM=dumb -- $cmd "$trace"
	on_tty yes NO_COLOR=1 -- $cmd --color=always "$trace"
	check "piped $cmd" no "$("$BIN" $cmd "$trace")"
	check "piped $cmd --color" yes "$("$BIN" $cmd --color "$trace")"
	# the same text once the escapes are taken out
	a=$("$BIN" $cmd "$trace"); b=$("$BIN" $cmd --color=always "$trace" | sed 's/\x1b\[[0-9;]*m//g')
	n=$((n + 1))
	[ "$a" = "$b" ] || { echo "color: $cmd: colored text differs beyond the escapes" >&2; fail=1; }
done
[ $fail -eq 0 ] && echo "color: $n checks agree"
exit $fail
