#!/usr/bin/env bash
# Every subcommand's long options in `allocscope CMD --help` and in its man
# page docs/man/allocscope-CMD.1 must be the same set.
set -u
cd "$(dirname "$0")/../.."
BIN=${BIN:-build/allocscope}
status=0
cmds=$("$BIN" --help | awk '/^Commands:/ {on = 1; next} on && /^  [a-z]/ {print $1} on && /^$/ {on = 0}')
[ -n "$cmds" ] || { echo "manpages: no commands in --help" >&2; exit 1; }
for c in $cmds; do
	man=docs/man/allocscope-$c.1
	if [ ! -f "$man" ]; then
		echo "manpages: $c has no man page ($man)" >&2; status=1; continue
	fi
	# option lines only: "  -o, --output FILE" / "      --json"
	help=$("$BIN" "$c" --help 2>&1 | grep -E '^ +(-[A-Za-z0-9], )?--[a-z]' |
		grep -oE -- '--[a-z][a-z0-9-]*' | sort -u)
	# the OPTIONS section only (NOTES may name an option that does not exist)
	page=$(sed 's/\\-/-/g' "$man" | awk '/^\.SH/ {on = /OPTIONS/; next} on' |
		grep -oE -- '--[a-z][a-z0-9-]*' | sort -u)
	if [ "$help" = "$page" ]; then
		echo "manpages: ok   $c ($(wc -w <<<"$help") options)"
	else
		echo "manpages: DIFF $c: < only in --help, > only in $man" >&2
		diff <(echo "$help") <(echo "$page") | grep '^[<>]' | sed 's/^/    /' >&2
		status=1
	fi
done
exit $status
