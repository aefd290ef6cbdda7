#!/bin/bash
# fixtures.sh: regenerate allocscope's real-kernel trace fixtures from scratch.
#
#   tests/e2e/fixtures.sh [-k "6.1 6.12"] [-r "RUN..."] [-o OUTDIR] [-L] [-n]
#
#   -k KERNELS  short kernel names to run (default "6.1 6.12"); see kernel_pkg for the package each maps to;
#               build:IMAGE boots a kernel built from source (an x86 bzImage or an arm64 Image with everything the
#               guest needs built in, e.g. by tests/e2e/kernel-build.sh; see README.md "Kernels built from
#               source"), named after the release its image says (build:/k/out/bzImage -> 7.1.5; an arm64 Image
#               adds -arm64: build:/k/out-arm64/Image -> 5.15.167-arm64, booted under qemu-system-aarch64)
#   -r RUNS     run names (default: all in RUNS below)
#   -o OUTDIR   where fixtures go (default tests/data)
#   -L          also (re)make the local-kernel fixtures with local-capture.sh (needs root on the host; the host's
#               tracefs is restored afterwards)
#   -n          do not boot anything, only rebuild fixtures from the raw results already in build/e2e/runs
#
# Fixture names: <upstream kernel version>-<run>, e.g. 6.12.117-anon-graph.txt.zst; the runs *-dat become
# <k>-<scenario>-<mode>-tcmd.dat (trace-cmd record, v7 zstd), so that they never share a README or ground-truth
# file with the text capture of the same scenario and mode.
#
# Everything downloaded or built goes under build/e2e/ (never committed): debs/, k/<kver>/ (unpacked packages),
# initramfs/<kver>.cpio.gz, runs/<kernel>-<run>/ (raw results read back from the guest's data disk).
# Host needs: qemu-system-x86_64, busybox-static, trace-cmd, e2fsprogs (mkfs.ext4, debugfs), zstd, xz-utils,
# gcc; the script installs the missing Debian packages with apt-get when run as root.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
BUILD=$TOP/build/e2e
OUT=$TOP/tests/data
KERNELS="6.1 6.12"
LOCAL=0
NOBOOT=0
MEM=${MEM:-256M}
# run = scenario mode recorder [extra guest params] ; the fixture's name is <kernel>-<run>
RUNS_ALL="anon-graph anon-kprobe anon-graph-dat anon-kprobe-dat calm-kprobe-v6 anon-kprobe-inst oom-kprobe thp-graph anon-kprobe-lossy"
RUNS=$RUNS_ALL
while getopts "k:r:o:Ln" o; do
	case $o in
	k) KERNELS=$OPTARG ;;
	r) RUNS=$OPTARG ;;
	o) OUT=$OPTARG ;;
	L) LOCAL=1 ;;
	n) NOBOOT=1 ;;
	*) sed -n '2,20p' "$0"; exit 1 ;;
	esac
done
mkdir -p "$BUILD"/{debs,k,initramfs,runs} "$OUT"

log() { echo "fixtures: $*" >&2; }

# ---- host tools -----------------------------------------------------------------------------------------
need() { # need CMD DEBIAN-PACKAGE
	command -v "$1" >/dev/null 2>&1 && return 0
	if [ "$(id -u)" = 0 ]; then
		log "installing $2 for $1"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >/dev/null
	fi
	command -v "$1" >/dev/null 2>&1 || { log "missing $1 (Debian package $2)"; exit 3; }
}
need qemu-system-x86_64 qemu-system-x86
need trace-cmd trace-cmd
need mkfs.ext4 e2fsprogs
need debugfs e2fsprogs
need zstd zstd
need xz xz-utils
need gcc gcc
[ -x /bin/busybox ] && file -L /bin/busybox 2>/dev/null | grep -q static || need busybox busybox-static
BUSYBOX=$(command -v busybox)

# ---- kernels ---------------------------------------------------------------------------------------------
# Pinned versions the committed fixtures were made with; if the archive no longer has them, the newest
# matching package apt offers is used instead (and the README of each fixture says which).
# Short names ending in -arm64 (-arm64-16k: 16 KB pages) are Debian's arm64 kernels (make e2e-arm64): they
# come with a private APT state for arm64 (cli/static/apt-foreign.sh; the host's apt configuration is
# not changed) and boot under qemu-system-aarch64.
kernel_pkg() {
	case $1 in
	6.1) echo "linux-image-6.1.0-56-cloud-amd64-unsigned" ;;
	6.12) echo "linux-image-6.12.117+deb12-cloud-amd64-unsigned" ;;
	6.1-arm64) echo "linux-image-6.1.0-56-cloud-arm64-unsigned" ;;
	6.12-arm64) echo "linux-image-6.12.117+deb12-arm64-unsigned" ;;
	6.12-arm64-16k) echo "linux-image-6.12.117+deb12-arm64-16k-unsigned" ;;
	*) log "unknown kernel $1"; exit 1 ;;
	esac
}
kernel_pattern() {
	case $1 in
	6.1) echo '^linux-image-6\.1\.0-[0-9]+-cloud-amd64-unsigned ' ;;
	6.12) echo '^linux-image-6\.12\.[0-9]+\+deb12-cloud-amd64-unsigned ' ;;
	6.1-arm64) echo '^linux-image-6\.1\.0-[0-9]+-cloud-arm64-unsigned$' ;;
	6.12-arm64) echo '^linux-image-6\.12\.[0-9]+\+deb12-arm64-unsigned$' ;;
	6.12-arm64-16k) echo '^linux-image-6\.12\.[0-9]+\+deb12-arm64-16k-unsigned$' ;;
	esac
}
# image_release IMAGE: the release the image says. An x86 bzImage: the setup header's kernel_version string (its
# offset - 0x200 is the 16-bit word at 0x20e), e.g. "7.1.5" of "7.1.5 (root@host) #1 SMP ...". An arm64 Image
# (magic "ARM\x64" at 56) has no such string: the release of its linux_banner ("Linux version 5.15.167 ..."), with
# -arm64 appended as Debian's arm64 short names have it (-arm64-16k, -arm64-64k by the page size in the header's
# flags, bits 1-2): the runs of one tree built for both architectures stay apart, and kernel_arch and e2e.sh's
# captures per boot see the architecture
image_release() {
	local off pg
	if [ "$(od -An -tx4 -j 56 -N 4 "$1" | tr -d ' ')" = 644d5241 ]; then
		off=$(grep -a -o -m1 'Linux version [0-9][^ ]*' "$1" | head -1 | cut -d' ' -f3)
		[ -n "$off" ] || { log "$1: no linux_banner in the arm64 image (a compressed Image.gz?)"; exit 1; }
		pg=$((($(od -An -tu1 -j 24 -N 1 "$1") >> 1) & 3))
		case $pg in 2) echo "$off-arm64-16k" ;; 3) echo "$off-arm64-64k" ;; *) echo "$off-arm64" ;; esac
		return
	fi
	off=$(od -An -tu2 -j 526 -N 2 "$1" | tr -d ' ')
	[ -n "$off" ] && [ "$off" -gt 0 ] || { log "$1: no kernel version in the image"; exit 1; }
	dd if="$1" bs=1 skip=$((off + 512)) count=64 2>/dev/null | tr '\0' '\n' | head -1 | cut -d' ' -f1
}
# kernel_name K: the name runs and fixtures carry (6.1, 6.12; build:IMAGE -> the image's release)
kernel_name() {
	case $1 in
	build:*) image_release "${1#build:}" ;;
	*) echo "$1" ;;
	esac
}
# built_kernel IMAGE: a kernel dir as fetch_kernel makes one (boot/vmlinuz-REL, lib/modules/REL/ empty: everything
# the guest needs is built in, so the initramfs carries no module and /modules/order is empty)
built_kernel() {
	local img=$1 rel dir
	[ -f "$img" ] || { log "build:$img: no such kernel image"; exit 1; }
	rel=$(image_release "$img")
	dir=$BUILD/k/build-$rel
	mkdir -p "$dir/boot" "$dir/lib/modules/$rel"
	cmp -s "$img" "$dir/boot/vmlinuz-$rel" || cp "$img" "$dir/boot/vmlinuz-$rel"
	echo "$dir"
}
kernel_arch() { # K (short name or build:IMAGE) -> x86_64 or arm64
	case $1 in build:*) set -- "$(image_release "${1#build:}")" ;; esac
	case $1 in *-arm64 | *-arm64-*) echo arm64 ;; *) echo x86_64 ;; esac
}
# arm64 packages: debs in $BUILD/arm64/debs, unpacked userland in $BUILD/arm64/u
APTF=$TOP/cli/static/apt-foreign.sh
A64=$BUILD/arm64
fetch_kernel() { # prints the unpacked kernel dir
	local k=$1 pkg deb dir ddir=$BUILD/debs
	case $k in build:*) built_kernel "${k#build:}"; return ;; esac
	pkg=$(kernel_pkg "$k")
	[ "$(kernel_arch "$k")" = x86_64 ] || ddir=$A64/debs
	deb=$(ls "$ddir"/"${pkg}"_*.deb 2>/dev/null | head -1 || true)
	if [ -z "$deb" ] && [ "$ddir" != "$BUILD/debs" ]; then
		"$APTF" arm64 "$A64" download "$pkg" || {
			pkg=$("$APTF" arm64 "$A64" search "$(kernel_pattern "$k")" | tail -1)
			log "pinned package not downloadable, using $pkg"
			"$APTF" arm64 "$A64" download "$pkg"
		}
		deb=$(ls "$ddir"/"${pkg}"_*.deb | head -1)
	elif [ -z "$deb" ]; then
		(cd "$BUILD/debs" && apt-get download "$pkg" >/dev/null 2>&1) || {
			pkg=$(apt-cache search linux-image | grep -E "$(kernel_pattern "$k")" | awk '{print $1}' | sort -V | tail -1)
			log "pinned package not downloadable, using $pkg"
			(cd "$BUILD/debs" && apt-get download "$pkg" >/dev/null 2>&1)
		}
		deb=$(ls "$BUILD"/debs/"${pkg}"_*.deb | head -1)
	fi
	dir=$BUILD/k/$(basename "$deb" .deb)
	if [ ! -d "$dir/boot" ]; then
		mkdir -p "$dir"
		dpkg-deb -x "$deb" "$dir"
	fi
	echo "$dir"
}
karch() { # KDIR -> x86_64 or arm64 (from the kernel image)
	case $(file -L "$(ls "$1"/boot/vmlinuz-*)") in *ARM64*) echo arm64 ;; *) echo x86_64 ;; esac
}

# module file for a module name (names use - or _ interchangeably)
modfile() {
	local mdir=$1 m=$2 a b
	a=$(echo "$m" | tr - _)
	b=$(echo "$m" | tr _ -)
	find "$mdir" \( -name "$a.ko" -o -name "$a.ko.xz" -o -name "$b.ko" -o -name "$b.ko.xz" \) | head -1
}
moddeps() {
	local f=$1
	case $f in *.xz) xz -dc "$f" ;; *) cat "$f" ;; esac | strings | sed -n 's/^depends=//p' | tr , ' '
}
# resolve MODULE...: prints module names in load order (dependencies first), skipping built-ins
resolve() {
	local mdir=$1; shift
	local m f d
	for m in "$@"; do
		case " $RESOLVED " in *" $m "*) continue ;; esac
		f=$(modfile "$mdir" "$m")
		[ -n "$f" ] || continue
		for d in $(moddeps "$f"); do resolve "$mdir" "$d"; done
		RESOLVED="$RESOLVED $m"
		echo "$m $f"
	done
}

# arm64 userland from Debian's arm64 packages: busybox-static; Android's shell and utilities: mksh and toybox,
# with the arm64 libc they link against (toybox also libcrypt) and original-awk, Android's awk (one-true-awk:
# /system/bin/awk on phones; toybox has none)
A64_USER="busybox-static mksh toybox libc6 libcrypt1 original-awk"
a64_userland() { # unpacks into $A64/u once; prints the dir
	local p
	if [ ! -f "$A64/u/.done" ]; then
		"$APTF" arm64 "$A64" download $A64_USER >&2
		rm -rf "$A64/u" && mkdir -p "$A64/u"
		for p in $A64_USER; do dpkg-deb -x "$(ls "$A64"/debs/"${p}"_*_arm64.deb | head -1)" "$A64/u"; done
		touch "$A64/u/.done"
	fi
	echo "$A64/u"
}

build_initramfs() { # build_initramfs KDIR -> prints initrd path
	local kdir=$1 kver mdir root initrd lib arch u f
	kver=$(basename "$(ls -d "$kdir"/lib/modules/*)")
	mdir=$kdir/lib/modules/$kver
	arch=$(karch "$kdir")
	initrd=$BUILD/initramfs/$kver.cpio.gz
	root=$BUILD/initramfs/root-$kver
	rm -rf "$root"
	mkdir -p "$root"/{bin,sbin,usr/bin,lib,lib64,modules,proc,sys,dev,tmp,out,etc}
	cp "$HERE/guest-init.sh" "$root/init"
	cp "$HERE/guest-common.sh" "$root/guest-common.sh"
	chmod +x "$root/init"
	if [ "$arch" = arm64 ]; then
		u=$(a64_userland)
		cp "$u/bin/busybox" "$root/bin/busybox"
		aarch64-linux-gnu-gcc -O2 -static -o "$root/bin/memhog" "$HERE/memhog.c"
		# Android's layout: /system/bin holds the shell (mksh), toybox and its applets (linked by
		# guest-common.sh at boot: the applet list comes from running toybox), awk
		mkdir -p "$root/system/bin" "$root/lib/aarch64-linux-gnu"
		cp "$u/bin/mksh" "$root/system/bin/sh"
		cp "$u/bin/toybox" "$root/system/bin/toybox"
		cp "$u/usr/bin/original-awk" "$root/system/bin/awk"
		for f in ld-linux-aarch64.so.1 libc.so.6 libm.so.6 libcrypt.so.1; do
			cp -L "$u/lib/aarch64-linux-gnu/$f" "$root/lib/aarch64-linux-gnu/$f"
		done
		ln -s aarch64-linux-gnu/ld-linux-aarch64.so.1 "$root/lib/ld-linux-aarch64.so.1"
	else
		cp "$BUSYBOX" "$root/bin/busybox"
		gcc -O2 -static -o "$root/bin/memhog" "$HERE/memhog.c"
		gcc -O2 -static -pthread -o "$root/bin/jankapp" "$HERE/jankapp.c"
		# trace-cmd is dynamically linked: bring its libraries and the loader
		cp "$(command -v trace-cmd)" "$root/usr/bin/trace-cmd"
		for lib in $(ldd "$(command -v trace-cmd)" | grep -o '/[^ ]*'); do
			mkdir -p "$root$(dirname "$lib")"
			cp -L "$lib" "$root$lib"
		done
	fi
	ln -sf busybox "$root/bin/sh"
	# modules: virtio disk (+pci on kernels where it is a module), ext4 (a module on Debian's arm64 6.12) with
	# the crc32c its journal needs; zram and its compressors
	RESOLVED=
	: >"$root/modules/order"
	resolve "$mdir" virtio_pci virtio_blk crc32c_generic ext4 zsmalloc lzo-rle lz4_compress lz4 zram | while read -r m f; do
		case $f in
		*.xz) xz -dc "$f" >"$root/modules/$m.ko" ;;
		*) cp "$f" "$root/modules/$m.ko" ;;
		esac
		echo "$m.ko" >>"$root/modules/order"
	done
	(cd "$root" && find . | "$BUSYBOX" cpio -o -H newc 2>/dev/null | gzip -1 >"$initrd")
	echo "$initrd"
}

# recorder_initrd NAME INIT KDIR [HOOK] -> prints the initrd: the fixtures' initramfs with INIT as /init and
# our recorders (the static allocscope record from $EB, the shell recorder), packed as
# $BUILD/initramfs/NAME-KVER.cpio.gz; HOOK ROOT adds what else that guest needs before the packing
recorder_initrd() {
	local name=$1 init=$2 kdir=$3 hook=${4:-} kver root initrd
	kver=$(basename "$(ls -d "$kdir"/lib/modules/*)")
	build_initramfs "$kdir" >/dev/null
	root=$BUILD/initramfs/$name-root-$kver
	initrd=$BUILD/initramfs/$name-$kver.cpio.gz
	rm -rf "$root"
	cp -a "$BUILD/initramfs/root-$kver" "$root"
	cp "$init" "$root/init"
	if [ "$(karch "$kdir")" = arm64 ]; then
		cp "$TOP/build/aarch64/allocscope-record-static" "$root/bin/allocscope-record"
	else
		cp "$EB/allocscope-record-static" "$root/bin/allocscope-record"
	fi
	cp "$TOP/capture/allocscope-record.sh" "$root/bin/allocscope-record.sh"
	chmod +x "$root/init" "$root/bin/allocscope-record.sh"
	[ -z "$hook" ] || "$hook" "$root"
	(cd "$root" && find . | "$BUSYBOX" cpio -o -H newc 2>/dev/null | gzip -1 >"$initrd")
	echo "$initrd"
}

# ---- one boot --------------------------------------------------------------------------------------------
run_params() { # run name -> guest params (see guest-init.sh for their meaning)
	local c="as_win=0.5 as_zram=128"
	case $1 in
	anon-graph) echo "as_scen=anon as_mode=graph as_rec=text as_buf=16384 $c" ;;
	anon-kprobe) echo "as_scen=anon as_mode=kprobe as_rec=text as_buf=16384 $c" ;;
	anon-events) echo "as_scen=anon as_mode=events as_rec=text as_buf=16384 $c" ;;
	anon-graph-dat) echo "as_scen=anon as_mode=graph as_rec=tcmd as_buf=8192 as_tcopt=--compression,zstd $c" ;;
	anon-kprobe-dat) echo "as_scen=anon as_mode=kprobe as_rec=tcmd as_buf=8192 as_tcopt=--compression,zstd $c" ;;
	calm-kprobe-v6) echo "as_scen=calm as_mode=kprobe as_rec=tcmd as_buf=8192 as_tcopt=--file-version,6 $c" ;;
	anon-kprobe-inst) echo "as_scen=anon as_mode=kprobe as_rec=tcmd as_buf=8192 as_inst=allocscope as_tcopt=--compression,zstd $c" ;;
	anon-kprobe-lossy) echo "as_scen=anon as_mode=kprobe as_rec=pipe as_buf=16 $c" ;;
	oom-kprobe) echo "as_scen=oom as_mode=kprobe as_rec=text as_buf=16384 $c" ;;
	thp-graph) echo "as_scen=thp as_mode=graph as_rec=text as_buf=16384 $c" ;;
	calm-kprobe) echo "as_scen=calm as_mode=kprobe as_rec=text as_buf=16384 $c" ;;
	*) log "unknown run $1"; exit 1 ;;
	esac
}

boot() { # boot KDIR INITRD NAME PARAMS
	local kdir=$1 initrd=$2 name=$3 params=$4 img rd
	rd=$BUILD/runs/$name
	rm -rf "$rd"
	mkdir -p "$rd"
	img=$rd/data.img
	truncate -s "${IMG_SIZE:-768M}" "$img"
	log "boot $name: $params"
	local t0=$SECONDS try
	# under TCG a boot occasionally dies early (int3 Oops while the kernel patches its own text): retry
	for try in 1 2 3; do
	# shellcheck disable=SC2086  # MKFS_OPTS: e.g. "-d DIR" (tests/e2e/e2e.sh puts a file on the disk)
	mkfs.ext4 -q -F -L allocscope ${MKFS_OPTS:-} "$img"
	: >"$rd/console.log"
	# shellcheck disable=SC2086  # QEMU_EXTRA: more qemu options (bench/capture-overhead.sh: -icount)
	if [ "$(karch "$kdir")" = arm64 ]; then
		# arm64 under TCG: the virt board, -cpu max (pauth-impdef: QEMU's own pointer-authentication
		# algorithm, much cheaper to emulate than the architected QARMA), the disk on virtio-pci;
		# cma=0: Debian's arm64 kernels reserve 64 MB of CMA, which only movable allocations may use
		# (MemAvailable counts it free): after the pre-phase hogs the ring buffers' unmovable pages
		# found no room (6.1 oom at 256M: free 40,116 kB of which free_cma 29,076 kB, min 11,512 kB)
		nice -n 10 timeout "${BOOT_TIMEOUT:-600}" qemu-system-aarch64 -machine virt -cpu max,pauth-impdef=on \
			-smp 2 -m $MEM -no-reboot ${QEMU_EXTRA:-} \
			-kernel "$(ls "$kdir"/boot/vmlinuz-*)" -initrd "$initrd" \
			-append "console=ttyAMA0 panic=-1 loglevel=4 cma=0 as_name=$name $params" \
			-drive file="$img",format=raw,if=none,id=d0 -device virtio-blk-pci,drive=d0 \
			-display none -serial file:"$rd/console.log" -monitor none >"$rd/qemu.log" 2>&1 &
	else
	nice -n 10 timeout "${BOOT_TIMEOUT:-600}" qemu-system-x86_64 -accel tcg -cpu max -smp 2 -m $MEM -no-reboot ${QEMU_EXTRA:-} \
		-kernel "$(ls "$kdir"/boot/vmlinuz-*)" -initrd "$initrd" \
		-append "console=ttyS0 panic=-1 loglevel=4 as_name=$name $params" \
		-drive file="$img",format=raw,if=virtio \
		-display none -serial file:"$rd/console.log" -monitor none >"$rd/qemu.log" 2>&1 &
	fi
	local qpid=$!
	# soft lockups of 20-50 s happen under TCG while trace-cmd switches function_graph on and pass; one guest stayed
	# stuck for minutes: stop a guest stuck for 100 s or more and retry instead of waiting for the timeout
	# a guest also hung silently (no lockup report) in a 6.1 boot of tests/e2e/e2e.sh: stop one whose console
	# stayed quiet for SILENT_MAX s (the guests print a line per capture; the slowest capture takes ~80 s)
	while kill -0 $qpid 2>/dev/null; do
		if grep -qE "soft lockup - CPU#[0-9]+ stuck for [0-9]{3,}s" "$rd/console.log"; then kill $qpid; break; fi
		if [ $(($(date +%s) - $(stat -c %Y "$rd/console.log"))) -ge "${SILENT_MAX:-300}" ]; then
			log "$name: console silent for ${SILENT_MAX:-300} s: stopping the guest"
			kill $qpid
			break
		fi
		sleep 2
	done
	wait $qpid || log "qemu rc=$?"
	grep -q "allocscope-guest: done" "$rd/console.log" && break
	# stuck after the capture was synced to disk (seen under TCG in teardown): the results are usable
	grep -q "allocscope-guest: captured" "$rd/console.log" && { log "$name: guest stuck after the capture; results kept"; break; }
	log "$name: attempt $try failed: $(grep -m1 -E 'Oops|BUG|panic' "$rd/console.log" || echo 'no done line')"
	cp "$rd/console.log" "$rd/console.failed-$try.log"
	done
	log "boot $name took $((SECONDS - t0)) s"
	debugfs -R "rdump /$name $rd" "$img" >/dev/null 2>&1 || true
	rm -f "$img"
	[ -f "$rd/$name/guest.log" ] || { log "$name: no results (see $rd/console.log)"; return 1; }
}

# ---- fixture post-processing -------------------------------------------------------------------------------
. "$HERE/lib.sh"

describe_run() {
	case $1 in
	anon-graph) echo "function_graph text: current_tracer=function_graph, set_graph_function=<entry>, set_ftrace_filter=<entry + helpers, see tracing_config>, options funcgraph-abstime/proc/cpu, plus tracepoints; read with \`cat trace\` after the window" ;;
	anon-kprobe) echo "kprobe events text: current_tracer=nop, p:kprobes/alloc_entry <entry> gfp_mask=\$arg1 order=\$arg2, r:kprobes/alloc_ret <entry> ret=\$retval, r:kprobes/gpfl_ret get_page_from_freelist ret=\$retval, plus tracepoints; read with \`cat trace\` after the window" ;;
	anon-graph-dat) echo "trace.dat (file version 7, zstd sections) made by trace-cmd record inside the guest, function_graph (-p function_graph -g <entry> -l <entry + helpers> -O funcgraph-abstime -O funcgraph-proc) plus tracepoints" ;;
	anon-kprobe-dat) echo "trace.dat (file version 7, zstd sections) made by trace-cmd record inside the guest, kprobe events (as in the -kprobe text fixture) plus tracepoints" ;;
	calm-kprobe-v6) echo "trace.dat made by trace-cmd record --file-version 6 (uncompressed) inside the guest, kprobe events plus tracepoints" ;;
	anon-kprobe-inst) echo "trace.dat (v7, zstd) made by trace-cmd record -B allocscope inside the guest: all events are in the buffer instance 'allocscope', the top-level buffer carries nothing; kprobe events plus tracepoints" ;;
	oom-kprobe) echo "kprobe events text (as -anon-kprobe) of an OOM run" ;;
	thp-graph) echo "function_graph text (as -anon-graph) of a THP run after fragmentation" ;;
	anon-kprobe-lossy) echo "kprobe events text streamed from trace_pipe during the window with a deliberately tiny per-CPU buffer (16 KB): LOSSY on purpose, shows 'CPU:N [LOST N EVENTS]' lines" ;;
	calm-kprobe) echo "kprobe events text of a calm system" ;;
	anon-events) echo "tracepoints only text" ;;
	esac
}
describe_scen() {
	case $1 in
	anon*) echo "anon pressure: MA0 = MemAvailable after the ring buffers are allocated, before any hog; pre-phase hog#1 faults 75% of MA0 (MADV_NOHUGEPAGE, 25% random fill per page) and keeps re-touching; in the window hog#2 faults 30% of MA0 and re-touches for as_win s -> zram swap, direct reclaim, kswapd" ;;
	oom*) echo "OOM: swap off; pre-phase hog#1 holds 80% of MA0 (MemAvailable before any hog; incompressible); in the window hog#2 tries to fault another 40% of MA0 (incompressible) -> direct reclaim, then the OOM killer" ;;
	thp*) echo "THP after fragmentation: pre-phase hog faults 90% of MemFree in 4K pages (MADV_NOHUGEPAGE) and MADV_DONTNEEDs every other page; in the window a MADV_HUGEPAGE hog faults 90% of MemAvailable -> direct compaction (THP enabled=madvise, defrag=madvise, set by the guest: the kernel disables THP below 512 MB RAM)" ;;
	calm*) echo "calm: no pre-phase; in the window one 2 MiB hog (few or no slow paths; kept small because v6 files are not compressed)" ;;
	esac
}

make_fixture() { # make_fixture KSHORT KDIR RUN
	local k=$1 kdir=$2 run=$3 name=$1-$3 rd d base f fmt kv
	rd=$BUILD/runs/$name
	d=$rd/$name
	[ -f "$d/uname.txt" ] || { log "$name: no results"; return 1; }
	# fixture names carry the upstream version the Debian kernel is built from (6.12.117, 6.1.192); a kernel
	# built from source is named by its release
	kv=$(sed -nE 's/.*Debian ([0-9]+\.[0-9]+\.[0-9]+)-.*/\1/p' "$d/uname.txt")
	[ -n "$kv" ] || kv=$k
	base=$OUT/$kv-$run
	case $run in
	*-dat | *-v6 | *-inst)
		[ -f "$d/trace.dat" ] || { log "$name: no trace.dat"; return 1; }
		base=$OUT/$kv-${run%-dat}
		[ "$base" = "$OUT/$kv-$run" ] || base=$base-tcmd
		cp "$d/trace.dat" "$base.dat"
		f=$base.dat
		fmt="trace.dat"
		trace-cmd report -t -i "$f" 2>/dev/null >"$rd/report.txt" || true
		if [ "$run" = anon-kprobe-dat ]; then
			zstd -q -19 -f "$rd/report.txt" -o "$base.report.txt.zst"
		fi
		;;
	*)
		[ -f "$d/trace.txt" ] || { log "$name: no trace.txt"; return 1; }
		zstd -q -19 -f "$d/trace.txt" -o "$base.txt.zst"
		f=$base.txt.zst
		fmt="ftrace text (zstd -19)"
		cp "$d/trace.txt" "$rd/report.txt"
		;;
	esac
	for s in before after; do
		cp "$d/vmstat.$s" "$base.vmstat.$s"
		cp "$d/kswapd0.stat.$s" "$base.kswapd.$s"
	done
	{
		echo "Fixture $(basename "$f")"
		echo
		echo "Kernel: $(cat "$d/uname.txt")"
		case $kdir in
		*/build-*) echo "Package: none, built from source ($(basename "$kdir"): tests/e2e/README.md, Kernels built from source)" ;;
		*) echo "Package: $(basename "$kdir") (Debian, apt-get download + dpkg-deb -x)" ;;
		esac
		echo "Guest: qemu-system-x86_64 $(qemu-system-x86_64 --version | head -1 | awk '{print $4}') -accel tcg -cpu max -smp 2 -m $MEM, busybox-static initramfs, /init = tests/e2e/guest-init.sh, results on an ext4 virtio data disk"
		echo "Regenerate: tests/e2e/fixtures.sh -k $k -r $run   (guest parameters: $(run_params "$run"))"
		echo "Format: $fmt, $(stat -c %s "$f") bytes"
		echo "Mode: $(describe_run "$run")"
		echo "Scenario: $(describe_scen "$run")"
		echo "THP: $(tr '\n' ' ' <"$d/thp_settings.txt")"
		echo
		echo "Ground truth: $(basename "$base").vmstat.before/.after (/proc/vmstat), $(basename "$base").kswapd.before/.after (/proc/<kswapd0>/stat);"
		echo "both snapshots are also inside the trace as trace_marker lines: 'allocscope: snapshot-before' (/proc/vmstat is"
		echo "read after it), 'allocscope: vmstat-begin before',"
		echo "'allocscope: vmstat <name> <value>' ..., 'allocscope: vmstat-end before', 'allocscope: kswapd-stat before <stat line>',"
		echo "then 'allocscope: window-begin' ... 'allocscope: window-end', then the same for 'after'."
		echo "The snapshots are taken inside the traced period; tracing starts slightly before and stops slightly after."
		echo
		echo "Kernel deltas (after - before):"
		vmdelta "$d/vmstat.before" "$d/vmstat.after"
		echo "  kswapd0 utime+stime  $(kswapd_ticks "$d/kswapd0.stat.before" "$d/kswapd0.stat.after")"
		echo "  window (uptime)      $(awk 'NR==FNR{b=$1;next}{printf "%.2f s", $1-b}' "$d/uptime.before" "$d/uptime.after")"
		echo
		echo "Event counts (text: this file; trace.dat: its \`trace-cmd report -t\` on the host):"
		count_events <"$rd/report.txt"
		echo
		echo "Ring buffer per CPU after the window:"
		if [ -f "$d/ftrace_stats.txt" ]; then
			grep -E "^==|overrun|dropped|entries|read events" "$d/ftrace_stats.txt" | sed 's/^/  /'
		else
			echo "  (trace-cmd record; \`trace-cmd report --stat\` of the file. trace-cmd 3.1 takes these statistics when it"
			echo "  stops tracing, before its recorders have drained the buffers, so 'entries' may be non-zero although the"
			echo "  file holds every event up to the last window marker; overrun and dropped are what count)"
			trace-cmd report --stat -i "$f" 2>/dev/null | grep -E "^CPU|entries|overrun|dropped|read events" | sed 's/^/  /'
			echo "  trace-cmd record output:"
			sed 's/^/    /' "$d/trace-cmd.log" | head -20
		fi
		echo
		[ -f "$d/trace-cmd.cmdline" ] && { echo "trace-cmd command (in the guest):"; sed 's/^/  /' "$d/trace-cmd.cmdline"; echo; }
		[ -f "$d/tracing_config.txt" ] && { echo "Tracing configuration (before the window):"; sed 's/^/  /' "$d/tracing_config.txt"; echo; }
		echo "Guest log:"
		grep -v "^ *$" "$d/guest.log" | sed 's/^/  /' | head -60
	} >"$base.README"
	log "fixture $(basename "$f"): $(stat -c %s "$f") bytes"
}

# ---- main -----------------------------------------------------------------------------------------------
# tests/e2e/e2e.sh sources this file for its functions (FIXTURES_LIB=1): no fixtures then
[ "${FIXTURES_LIB:-0}" = 1 ] && return 0
for k in $KERNELS; do
	kdir=$(fetch_kernel "$k")
	kn=$(kernel_name "$k")
	initrd=
	for run in $RUNS; do
		if [ "$NOBOOT" = 0 ]; then
			[ -n "$initrd" ] || initrd=$(build_initramfs "$kdir")
			boot "$kdir" "$initrd" "$kn-$run" "$(run_params "$run")" || continue
		fi
		make_fixture "$kn" "$kdir" "$run" || true
	done
done
if [ "$LOCAL" = 1 ]; then
	"$HERE/local-capture.sh" "$OUT"
fi
