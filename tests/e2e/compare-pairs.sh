#!/bin/bash
# compare-pairs.sh: real baseline/candidate capture pairs for `allocscope compare` golden tests.
#
#   tests/e2e/compare-pairs.sh [-n RUNS_PER_SIDE] [-b WSF] [-c WSF] [-o OUTDIR] [-R]
#
#   -R   do not boot: rebuild OUTDIR's files from the raw runs kept in build-cmp/e2e/runs/
#
# Boots Debian's 6.12 cloud kernel under qemu (TCG) with the same initramfs and /init as fixtures.sh
# (tests/e2e/guest-init.sh, unchanged), the anon-kprobe run (kprobe/kretprobe + tracepoints, `cat trace` after
# the window), and only one difference between the sides: vm.watermark_scale_factor, set on the kernel command
# line (`sysctl.vm.watermark_scale_factor=N`, honoured since 5.8 before /init runs).  Boots alternate between
# the sides (base 1, cand 1, base 2, ...) so that slow drift of the host load spreads over both.
#
# Needs fixtures.sh to have run once (it caches the kernel and initramfs in build/e2e/); this script copies what
# it needs into build-cmp/e2e/ and never writes into build/e2e/.  Output: OUTDIR/6.12-wsfN-R.txt.zst plus a
# .README with the watermarks read from /proc/zoneinfo in the guest (the proof that the sysctl took effect).
#
# Markers.  guest-init.sh writes its snapshots as "allocscope: vmstat-begin before" ... "allocscope: kswapd-stat
# before <whole /proc/PID/stat>" and "allocscope: window-begin/-end"; `allocscope analyze` reads the form of
# docs/capture-format.md ("allocscope: begin", "vmstat NAME V", "kswapd PID COMM UTIME STIME", "end").  The host
# rewrites only those marker lines (same timestamps, same task/CPU columns; every event line is left as it was):
#   snapshot-before     -> begin, kernel <uname -r>, clk_tck 100       vmstat-begin before -> dropped
#   snapshot-after      -> kept (the after-snapshot is read after it)  vmstat-begin after  -> end
#   kswapd-stat PHASE <stat> -> kswapd PID COMM utime stime            vmstat-end PHASE    -> dropped
# The guest reads /proc/vmstat between "snapshot-PHASE" and "vmstat-begin PHASE", so begin is written before the
# before-snapshot is read and end after the after-snapshot was read, as docs/capture-format.md requires; analyze
# bounds the events between begin and the before-snapshot's lines, and between snapshot-after and end.
# Raw runs made before guest-init.sh wrote "snapshot-PHASE" (-R on old runs) fall back to the old mapping
# "vmstat-begin before" -> begin, which writes begin after the read (the kernel's window starts a little before
# the trace's; analyze cannot bound that) and has no snapshot-after (end side unbounded).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
SRC=$TOP/build/e2e
WORK=$TOP/build-cmp/e2e
OUT=$TOP/tests/data/compare
NRUNS=3
BASE_WSF=10
CAND_WSF=200
MEM=${MEM:-256M}
PARAMS="as_scen=anon as_mode=kprobe as_rec=text as_buf=16384 as_win=0.5 as_zram=128"
NOBOOT=0
while getopts "n:b:c:o:R" o; do
	case $o in
	n) NRUNS=$OPTARG ;;
	b) BASE_WSF=$OPTARG ;;
	c) CAND_WSF=$OPTARG ;;
	o) OUT=$OPTARG ;;
	R) NOBOOT=1 ;;
	*) sed -n '2,30p' "$0"; exit 1 ;;
	esac
done
log() { echo "compare-pairs: $*" >&2; }
mkdir -p "$WORK/runs" "$OUT"

kernel=$(ls "$SRC"/k/*/boot/vmlinuz-6.12.* 2>/dev/null | head -1 || true)
initrd_src=$(ls "$SRC"/initramfs/6.12.*.cpio.gz 2>/dev/null | head -1 || true)
[ -n "$kernel" ] && [ -n "$initrd_src" ] || { log "run tests/e2e/fixtures.sh -k 6.12 -r anon-kprobe first"; exit 3; }
# the initramfs as fixtures.sh built it, with today's guest-init.sh as /init
rm -rf "$WORK/root"
mkdir -p "$WORK/root"
(cd "$WORK/root" && zcat "$initrd_src" | busybox cpio -i -d 2>/dev/null)
cp "$HERE/guest-init.sh" "$WORK/root/init"
chmod +x "$WORK/root/init"
(cd "$WORK/root" && find . | busybox cpio -o -H newc 2>/dev/null | gzip -1 >"$WORK/initrd.cpio.gz")
cp "$kernel" "$WORK/vmlinuz"

# normalize_markers RELEASE < raw trace text > trace text with capture-format.md markers
normalize_markers() {
	awk -v rel="$1" '
	function head(line) { return substr(line, 1, index(line, "allocscope: ") - 1) }
	function begin(h) { print h "allocscope: begin"; print h "allocscope: kernel " rel; print h "allocscope: clk_tck 100" }
	/tracing_mark_write: allocscope: snapshot-before/ { begin(head($0)); began = 1; next }
	/tracing_mark_write: allocscope: vmstat-begin before/ { if (!began) begin(head($0)); next }
	/tracing_mark_write: allocscope: vmstat-begin after/ { print head($0) "allocscope: end"; next }
	/tracing_mark_write: allocscope: vmstat-end / { next }
	/tracing_mark_write: allocscope: kswapd-stat / {
		h = head($0); s = substr($0, index($0, "kswapd-stat ") + 12)
		sub(/^[a-z]+ /, "", s)		# phase
		n = split(s, f, " ")		# pid (comm) state ppid ... utime(14) stime(15); comm has no spaces here
		c = f[2]; gsub(/[()]/, "", c)
		print h "allocscope: kswapd " f[1] " " c " " f[14] " " f[15]; next }
	{ print }'
}

fixture() { # fixture NAME WSF: raw results in $WORK/runs/NAME/NAME -> OUTDIR
	local name=$1 wsf=$2 d=$WORK/runs/$1/$1
	[ -f "$d/trace.txt" ] || { log "$name: no trace (see $WORK/runs/$name/console.log)"; return 1; }
	normalize_markers "$(awk '{print $3}' "$d/uname.txt")" <"$d/trace.txt" | zstd -q -19 -f -o "$OUT/$name.txt.zst"
	{
		echo "Capture $name.txt.zst (tests/e2e/compare-pairs.sh)"
		echo "Kernel: $(cat "$d/uname.txt")"
		echo "Guest: qemu -accel tcg -cpu max -smp 2 -m $MEM; kernel command line adds"
		echo "  sysctl.vm.watermark_scale_factor=$wsf $PARAMS"
		echo "Scenario: the anon-kprobe run of fixtures.sh (see tests/e2e/README.md)."
		echo "Markers: rewritten on the host to docs/capture-format.md form (see compare-pairs.sh); events untouched."
		echo "Watermarks (pages) before the window, /proc/zoneinfo:"
		awk '/^Node/ {z = $4} /^ +(min|low|high) / {printf "  %-8s %-5s %s\n", z, $1, $2}' "$d/zoneinfo.before"
		echo "Ring buffer per CPU after the window:"
		grep -E "^==|overrun|dropped" "$d/ftrace_stats.txt" | sed 's/^/  /'
		echo "Guest log:"
		sed 's/^/  /' "$d/guest.log"
	} >"$OUT/$name.README"
	log "$name: $(stat -c %s "$OUT/$name.txt.zst") bytes"
}

boot() { # boot NAME WSF
	local name=$1 wsf=$2 rd=$WORK/runs/$1 img t0
	rm -rf "$rd"
	mkdir -p "$rd"
	img=$rd/data.img
	truncate -s 768M "$img"
	mkfs.ext4 -q -F -L allocscope "$img"
	log "boot $name (watermark_scale_factor=$wsf)"
	t0=$SECONDS
	timeout 900 qemu-system-x86_64 -accel tcg -cpu max -smp 2 -m "$MEM" -no-reboot \
		-kernel "$WORK/vmlinuz" -initrd "$WORK/initrd.cpio.gz" \
		-append "console=ttyS0 panic=-1 loglevel=4 sysctl.vm.watermark_scale_factor=$wsf as_name=$name $PARAMS" \
		-drive file="$img",format=raw,if=virtio \
		-display none -serial file:"$rd/console.log" -monitor none >"$rd/qemu.log" 2>&1 || log "qemu rc=$?"
	log "boot $name took $((SECONDS - t0)) s"
	debugfs -R "rdump /$name $rd" "$img" >/dev/null 2>&1 || true
	rm -f "$img"
}

for i in $(seq 1 "$NRUNS"); do
	for wsf in "$BASE_WSF" "$CAND_WSF"; do
		[ "$NOBOOT" = 1 ] || boot "6.12-wsf$wsf-$i" "$wsf" || true
		fixture "6.12-wsf$wsf-$i" "$wsf" || true
	done
done
