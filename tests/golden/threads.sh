#!/usr/bin/env bash
# --threads 2 (the reader decodes on its own thread, PRS_OPT_AHEAD) must give
# what --threads 1 gives: the same event stream (`events -a`, every field and
# string) and the same analysis (`analyze --json`, `stalls --json`), on every
# real capture in tests/data/.  zstd text is read ahead only when it is not
# compressed, so those captures are also read decompressed.
set -u
cd "$(dirname "$0")/../.."
BIN=${BIN:-build/allocscope}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
status=0 n=0
for f in tests/data/*.dat tests/data/*.txt tests/data/*.txt.zst; do
	[ -f "$f" ] || continue
	inputs=("$f")
	case $f in
	*.zst)	u=$tmp/$(basename "${f%.zst}")
		zstd -dcq "$f" > "$u" && inputs+=("$u") ;;
	esac
	for i in "${inputs[@]}"; do
		for cmd in "events -a" "analyze --json" "stalls --json --min 0"; do
			# shellcheck disable=SC2086
			"$BIN" $cmd --threads 1 "$i" > "$tmp/1.out" 2>&1; r1=$?
			# shellcheck disable=SC2086
			"$BIN" $cmd --threads 2 "$i" > "$tmp/2.out" 2>&1; r2=$?
			if [ $r1 != $r2 ] || ! cmp -s "$tmp/1.out" "$tmp/2.out"; then
				echo "threads: DIFF $i ($cmd): exit $r1 vs $r2" >&2
				diff "$tmp/1.out" "$tmp/2.out" | head -10 | sed 's/^/    /' >&2
				status=1
			fi
			n=$((n + 1))
		done
	done
done
echo "threads: $n comparisons of --threads 1 and 2, $([ $status = 0 ] && echo "all identical" || echo FAILED)"
exit $status
