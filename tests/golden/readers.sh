#!/usr/bin/env bash
# The two trace.dat readers (our streaming one, the default, and
# libtracecmd's, kept as a cross-check) must print the same `allocscope
# events -a` stream and `info` on every trace.dat fixture, and on the same
# capture rewritten by trace-cmd as v6 and as uncompressed v7.  Damage inside
# the CPU data must be a one-line error naming the file and an offset.
set -u
BIN=${BIN:-build/allocscope}
BUILD=${BUILD:-build}
export LC_ALL=C TZ=UTC
tmp=$BUILD/readers
rm -rf "$tmp"; mkdir -p "$tmp"
fail=0 n=0

same() {	# file
	local f=$1
	n=$((n + 1))
	"$BIN" events -a "$f" > "$tmp/stream.out" 2>&1; local rs=$?
	"$BIN" events -a --reader libtracecmd "$f" > "$tmp/tcmd.out" 2>&1; local rl=$?
	if [ $rs -ne 0 ] || [ $rl -ne 0 ]; then
		echo "readers: $f: exit $rs (stream) / $rl (libtracecmd)" >&2; fail=1; return
	fi
	if ! cmp -s "$tmp/stream.out" "$tmp/tcmd.out"; then
		echo "readers: $f: event streams differ:" >&2
		diff "$tmp/stream.out" "$tmp/tcmd.out" | head -5 >&2; fail=1; return
	fi
	[ -s "$tmp/stream.out" ] || { echo "readers: $f: no events" >&2; fail=1; }
}

damaged() {	# file regex
	local err rc
	n=$((n + 1))
	err=$("$BIN" events -a "$1" 2>&1 >/dev/null); rc=$?
	if [ $rc -ne 2 ] || ! grep -Eq -- "$2" <<<"$err" || [ "$(wc -l <<<"$err")" -ne 1 ]; then
		echo "readers: damaged $1: exit $rc, message: $err (want /$2/)" >&2; fail=1
	fi
}

# poke FILE OFFSET HEXBYTES
poke() { printf "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none; }

for dat in tests/data/*.dat; do
	[ -f "$dat" ] || continue
	same "$dat"
	if command -v trace-cmd >/dev/null; then
		b=$tmp/$(basename "$dat" .dat)
		if trace-cmd convert -i "$dat" -o "$b-v6.dat" --file-version 6 --compression none >/dev/null 2>&1; then
			same "$b-v6.dat"
			# v6 data ends on a page boundary: the second-to-last page of the last CPU
			sz=$(stat -c %s "$b-v6.dat")
			cp "$b-v6.dat" "$b-commit.dat"; poke "$b-commit.dat" $((sz - 8192 + 8)) '\xff\xff\xff\x07'
			damaged "$b-commit.dat" "$b-commit.dat: offset [0-9]+: CPU [0-9]+ data .*page header claims"
			cp "$b-v6.dat" "$b-event.dat"; poke "$b-event.dat" $((sz - 8192 + 16)) '\x00\x00\x00\x00\x00\xf0\x00\x00'
			damaged "$b-event.dat" "$b-event.dat: offset [0-9]+: CPU [0-9]+ data .*runs past the page"
		fi
		if trace-cmd convert -i "$dat" -o "$b-v7none.dat" --file-version 7 --compression none >/dev/null 2>&1; then
			same "$b-v7none.dat"
		fi
	fi
	# compressed: overwrite bytes near the end, inside the CPU chunks
	if head -c 40 "$dat" | tr -d '\0' | grep -q zstd; then
		b=$tmp/$(basename "$dat" .dat)
		sz=$(stat -c %s "$dat")
		cp "$dat" "$b-chunk.dat"; head -c 3000 /dev/zero | tr '\0' x |
			dd of="$b-chunk.dat" bs=1 seek=$((sz - 60000)) conv=notrunc status=none
		damaged "$b-chunk.dat" "$b-chunk.dat: offset [0-9]+: CPU [0-9]+ data .*chunk"
	fi
done
[ $fail -eq 0 ] && echo "readers: $n checks agree"
exit $fail
