#!/bin/bash
# keep-fixture.sh: keep one capture of an e2e run (tests/e2e/e2e.sh) as a golden-test fixture in tests/data.
#
#   tests/e2e/keep-fixture.sh CAPTURE OUTBASE
#
#   CAPTURE  a trace the suite's guest wrote: build/e2e/runs/e2e-<k>-<scen>/e2e-<k>-<scen>/<n>-<rec>-<mode>.{dat,txt}
#   OUTBASE  the fixture's path without extension, e.g. tests/data/7.1.5-thp-cross
#
# Writes OUTBASE.dat (trace.dat, as recorded) or OUTBASE.txt.zst (text, zstd -19), and its ground truth as the
# other fixtures have it: OUTBASE.vmstat.before/.after (/proc/vmstat as the recorder's snapshot markers carry it:
# the lines after "allocscope: begin", and after "allocscope: end"), OUTBASE.kswapd.before/.after (the
# "allocscope: kswapd PID COMM UTIME STIME" markers), OUTBASE.README (kernel, recorder, mode, kernel deltas,
# event counts, the guest's log line of the capture). The captures carry their own ground truth: these files
# only make it readable without allocscope.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
[ $# = 2 ] || { sed -n '2,12p' "$0"; exit 2; }
cap=$1 out=$2
[ -f "$cap" ] || { echo "keep-fixture: no $cap" >&2; exit 1; }
rundir=$(dirname "$cap")
capname=$(basename "$cap"); capname=${capname%.*}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

case $cap in
*.dat)
	trace-cmd report -N "$cap" >"$tmp/report.txt" 2>/dev/null
	cp "$cap" "$out.dat"
	f=$out.dat fmt="trace.dat (as recorded)" ;;
*.txt)
	cp "$cap" "$tmp/report.txt"
	zstd -q -19 -f "$cap" -o "$out.txt.zst"
	f=$out.txt.zst fmt="ftrace text (zstd -19)" ;;
*) echo "keep-fixture: $cap: not a .dat or .txt capture" >&2; exit 1 ;;
esac
# the markers, in order: before-snapshot after "begin", after-snapshot after "end"
sed -n 's/.*allocscope: //p' "$tmp/report.txt" | sed 's/ *\*\/ *$//' >"$tmp/markers"
awk '$1 == "begin" { s = 1; next } $1 == "snapshot-after" { s = 0 } $1 == "end" { s = 2; next }
     s && $1 == "vmstat" && NF == 3 { print $2, $3 > (s == 1 ? "'"$tmp"'/vm.before" : "'"$tmp"'/vm.after") }
     s && $1 == "kswapd" { print > (s == 1 ? "'"$tmp"'/ks.before" : "'"$tmp"'/ks.after") }' "$tmp/markers"
for s in before after; do
	[ -s "$tmp/vm.$s" ] || { echo "keep-fixture: $cap: no vmstat snapshot ($s) in its markers" >&2; exit 1; }
	cp "$tmp/vm.$s" "$out.vmstat.$s"
	if [ -s "$tmp/ks.$s" ]; then cp "$tmp/ks.$s" "$out.kswapd.$s"; else : >"$out.kswapd.$s"; fi
done
# the run's kernel name is RELEASE or RELEASE-arm64[-16k|-64k] (fixtures.sh image_release); the guest's RAM is
# what e2e.sh was given (MEM, default 256M), which the run does not record: pass the same MEM here
scen=$(basename "$rundir" | sed -E 's/^e2e-[0-9.]+(-arm64(-16k|-64k)?)?-//')
case $(basename "$rundir") in
*-arm64-*) img=Image qemu="qemu-system-aarch64 -machine virt" arch=arm64 ;;
*) img=bzImage qemu=qemu-system-x86_64 arch=x86_64 ;;
esac
ram="${MEM:-256M} RAM"
kticks() { awk '{ t += $4 + $5 } END { print t + 0 }' "$1"; }
{
	echo "Fixture $(basename "$f")"
	echo
	echo "Kernel: $(cat "$rundir/uname.txt" 2>/dev/null || sed -n 's/^uname //p' "$tmp/markers" | head -1) ($arch, page size $(sed -n 's/^page_size //p' "$tmp/markers" | head -1))"
	# the run directory is e2e-<kernel>-<scenario>: a Debian kernel's short name (6.12-arm64-16k) or a release
	kscen=$(basename "$rundir"); kscen=${kscen#e2e-}
	kn=${kscen%-"$scen"}
	case $(cat "$rundir/uname.txt" 2>/dev/null) in
	*deb*|*cloud*) echo "Package: Debian's (tests/e2e/fixtures.sh kernel_pkg $kn)"
		echo "Made by: tests/e2e/e2e.sh -k $kn -s $scen, capture $capname of that boot" ;;
	*) echo "Package: none, built from source (tests/e2e/README.md, Kernels built from source)"
		echo "Made by: tests/e2e/e2e.sh -k build:<$img> -s $scen, capture $capname of that boot" ;;
	esac
	# the guest's RAM as its log says (MemTotal; MEM, default 256M, before it was logged)
	mt=$(grep -o 'MemTotal: [0-9]* kB' "$rundir/guest.log" 2>/dev/null | head -1)
	echo "  (suite-init.sh: $qemu TCG, 2 vCPUs, ${mt:-$ram}, zram swap 128 MB, THP madvise), kept with tests/e2e/keep-fixture.sh"
	echo "Recorder: $(case $capname in *-as-*) echo "allocscope record (static, trace.dat)" ;; *-sh-*) echo "capture/allocscope-record.sh (text, busybox sh)" ;; *-mk-*) echo "capture/allocscope-record.sh (text, mksh + toybox)" ;; *-tcmd-*) echo "trace-cmd record (markers written by suite-init.sh)" ;; esac)"
	echo "Mode asked: ${capname##*-}; markers: $(grep -E '^(mode |funcs |option (clock|funcgraph-retval|nolock)=)' "$tmp/markers" | tr '\n' ';' | sed 's/;$/\n/; s/;/; /g')"
	echo "Format: $fmt, $(stat -c %s "$f") bytes"
	echo
	echo "Ground truth: $(basename "$out").vmstat.before/.after and .kswapd.before/.after, read off the capture's own"
	echo "'allocscope:' snapshot markers (vmstat NAME VALUE after 'begin' and after 'end'; kswapd PID COMM UTIME STIME)."
	echo
	echo "Kernel deltas (after - before):"
	vmdelta "$out.vmstat.before" "$out.vmstat.after"
	echo "  kswapd utime+stime   $(( $(kticks "$out.kswapd.after") - $(kticks "$out.kswapd.before") )) ticks (clk_tck $(sed -n 's/^clk_tck //p' "$tmp/markers" | head -1))"
	echo
	echo "Event counts (trace.dat: \`trace-cmd report -N\`; text: the file):"
	case $f in
	*.dat) awk 'match($0, /\] [0-9.]+: +[a-z_0-9]+:/) { s = substr($0, RSTART, RLENGTH); sub(/.*: +/, "", s)
		sub(/:$/, "", s); c[s]++ } END { for (k in c) printf "%10d  %s\n", c[k], k }' "$tmp/report.txt" | sort -k2 ;;
	*) count_events <"$tmp/report.txt" ;;
	esac
	echo
	echo "Guest log:"
	grep -F "capture $capname" "$rundir/guest.log" 2>/dev/null | sed 's/^/  /'
	grep -F " $capname " "$rundir/checks.txt" 2>/dev/null | sed 's/^/  /'
} >"$out.README"
echo "keep-fixture: $(basename "$f"): $(stat -c %s "$f") bytes"
