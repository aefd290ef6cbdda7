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

# lost FILE COUNT: both readers emit one lost-events marker where trace-cmd
# report prints "CPU:N [COUNT EVENTS DROPPED]", with its count (empty: unknown)
lost() {
	local f=$1 want=$2 rep ours
	same "$f"
	n=$((n + 1))
	# an instance's lines start with its name
	rep=$(trace-cmd report "$f" 2>/dev/null | grep -oE '^([^ ]+: )?CPU:[0-9]+ \[([0-9]+ )?EVENTS DROPPED\]' |
		sed 's/^[^ ]*: CPU:/CPU:/')
	ours=$("$BIN" events "$f" | awk '$5 == "lost_events" { sub(/count=/, "", $NF); print $2, $NF }')
	if [ "$rep" != "CPU:${ours%% *} [${want:+$want }EVENTS DROPPED]" ] || [ "${ours#* }" != "${want:-0}" ]; then
		echo "readers: $f: lost events '$ours' vs trace-cmd report '$rep' (want $want)" >&2; fail=1
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
			# v6 data ends on a page boundary: the second-to-last page of the last CPU; the page is the
			# header's (after "\027\010Dtracing", "6\0", the endianness and long size bytes): 4096,
			# 16384 in a capture of an arm64 kernel with 16 KB pages
			sz=$(stat -c %s "$b-v6.dat")
			pg=$(od -An -tu4 -j14 -N4 "$b-v6.dat" | tr -d ' ')
			cp "$b-v6.dat" "$b-commit.dat"; poke "$b-commit.dat" $((sz - 2 * pg + 8)) '\xff\xff\xff\x07'
			damaged "$b-commit.dat" "$b-commit.dat: offset [0-9]+: CPU [0-9]+ data .*page header claims"
			cp "$b-v6.dat" "$b-event.dat"; poke "$b-event.dat" $((sz - 2 * pg + 16)) '\x00\x00\x00\x00\x00\xf0\x00\x00'
			damaged "$b-event.dat" "$b-event.dat: offset [0-9]+: CPU [0-9]+ data .*runs past the page"
			# the ring buffer's missed-events flags on that page: with a stored count
			# (RB_MISSED_EVENTS | RB_MISSED_STORED, 42 after the data) and without one
			# (the kernel stores the count only when it fits in the page after the data)
			commit=$(od -An -tu4 -j$((sz - 2 * pg + 8)) -N4 "$b-v6.dat" | tr -d ' ')
			if [ $((16 + (commit & 0xfffff) + 8)) -le "$pg" ]; then
				cp "$b-v6.dat" "$b-lost.dat"; poke "$b-lost.dat" $((sz - 2 * pg + 11)) '\xc0'
				poke "$b-lost.dat" $((sz - 2 * pg + 16 + (commit & 0xfffff))) '\x2a\x00\x00\x00\x00\x00\x00\x00'
				lost "$b-lost.dat" 42
			fi
			cp "$b-v6.dat" "$b-lostn.dat"; poke "$b-lostn.dat" $((sz - 2 * pg + 11)) '\x80'
			lost "$b-lostn.dat" ""
		fi
		if trace-cmd convert -i "$dat" -o "$b-v7none.dat" --file-version 7 --compression none >/dev/null 2>&1; then
			same "$b-v7none.dat"
		fi
	fi
	# compressed: overwrite bytes inside the CPU chunks: the middle of the largest CPU's data (trace-cmd
	# dump's extents; a small capture by allocscope record has its kallsyms 60 KB before the end), else
	# near the end
	if head -c 40 "$dat" | tr -d '\0' | grep -q zstd; then
		b=$tmp/$(basename "$dat" .dat)
		sz=$(stat -c %s "$dat")
		at=$((sz - 60000)) len=3000
		if command -v trace-cmd >/dev/null; then
			read -r o l < <(trace-cmd dump --flyrecord -i "$dat" 2>/dev/null |
				awk '/\[id, data offset and size\]/ && $3 > max { max = $3; o = $2 } END { print o + 0, max + 0 }')
			if [ "${l:-0}" -gt 200 ]; then
				len=$((l / 2 < 3000 ? l / 2 : 3000)) at=$((o + l / 4))
			fi
		fi
		cp "$dat" "$b-chunk.dat"; head -c $len /dev/zero | tr '\0' x |
			dd of="$b-chunk.dat" bs=1 seek=$at conv=notrunc status=none
		damaged "$b-chunk.dat" "$b-chunk.dat: offset [0-9]+: CPU [0-9]+ data .*chunk"
	fi
done
[ $fail -eq 0 ] && echo "readers: $n checks agree"
exit $fail
