#!/bin/sh
# kernel-build.sh SRC OUT [x86_64|arm64]: a small kernel for the e2e suite's qemu guests (issue 17), built out of
# tree (SRC is only read; tests/e2e/kernel-tree.sh writes the trees we used), everything built in:
# `make allnoconfig` with the fragment tests/e2e/kernel-ARCH.config (FRAG=FILE for another), then `make all`.
# OUT/bzImage (x86_64) or OUT/Image (arm64) at the end; boot it with tests/e2e/e2e.sh -k build:OUT/bzImage
# (build:OUT/Image: an arm64 guest under qemu-system-aarch64, its runs named RELEASE-arm64).
#   JOBS=N (default 2), NICE=N (default 10), CONFIG_ONLY=1 stops after the configuration (OUT/.config),
#   CROSS_COMPILE=PREFIX (arm64: aarch64-linux-gnu-, Debian's gcc-aarch64-linux-gnu).
# Options of the fragment that a version does not know are ignored; one it knows that Kconfig dropped (a
# dependency) is named on stderr (7.1: CONFIG_PREEMPT_VOLUNTARY, x86 has PREEMPT_LAZY there).
# gcc 12 warns where older trees (5.10's tools/objtool) build with -Werror: warnings are not errors here.
set -eu
[ $# -ge 2 ] || { sed -n '2,11p' "$0" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$1" && pwd) out=$2 arch=${3:-x86_64}
frag=${FRAG:-$here/kernel-$arch.config}
case $arch in
x86_64) img=arch/x86/boot/bzImage karch=x86 cross=${CROSS_COMPILE:-} ;;
arm64) img=arch/arm64/boot/Image karch=arm64 cross=${CROSS_COMPILE-aarch64-linux-gnu-} ;;
*) echo "kernel-build.sh: unknown arch $arch" >&2; exit 2 ;;
esac
[ -f "$frag" ] || { echo "kernel-build.sh: no configuration fragment $frag" >&2; exit 2; }
case $frag in /*) ;; *) frag=$(pwd)/$frag ;; esac
mkdir -p "$out"
out=$(cd "$out" && pwd)
m() { nice -n "${NICE:-10}" make -C "$src" O="$out" ARCH="$karch" CROSS_COMPILE="$cross" KCFLAGS=-Wno-error HOSTCFLAGS=-Wno-error "$@"; }
KCONFIG_ALLCONFIG=$frag m allnoconfig >"$out/config.log" 2>&1 || { tail -20 "$out/config.log" >&2; exit 1; }
grep '^CONFIG_.*=y$' "$frag" | while IFS='=' read -r k _; do
	if grep -q "^config ${k#CONFIG_}\$" -r "$src" --include='Kconfig*' 2>/dev/null && ! grep -q "^$k=y" "$out/.config"; then
		echo "kernel-build.sh: $k=y did not survive (dependencies?)" >&2
	fi
done
[ -z "${CONFIG_ONLY:-}" ] || exit 0
start=$(date +%s)
m -j"${JOBS:-2}" all >"$out/build.log" 2>&1 || { tail -30 "$out/build.log" >&2; exit 1; }
cp "$out/$img" "$out/$(basename "$img")"
echo "kernel-build.sh: $(make -s -C "$src" kernelversion) $arch in $(($(date +%s) - start)) s: $out/$(basename "$img")"
