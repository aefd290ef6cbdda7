#!/bin/bash
# e2e.sh: allocscope's real-kernel end-to-end suite (issue 5); `make e2e` runs it.
#
#   tests/e2e/e2e.sh [-k "6.1 6.12"] [-s "anon pagecache thp calm oom"] [-n] [-R FILE]
#
#   -k KERNELS    short kernel names (fixtures.sh's kernel_pkg: 6.1, 6.12), or build:IMAGE for a kernel built from
#                 source (its runs are named after the image's release: e2e-7.1.5-anon; an arm64 Image's name
#                 ends in -arm64 and boots as the arm64 kernels do: e2e-5.15.167-arm64-anon)
#   -s SCENARIOS  scenarios (default all: anon pagecache thp calm oom proactive anon-tcmd; anon-tcmd = the anon
#                 scenario captured by trace-cmd record; proactive = memory.reclaim of a cgroup, no allocation stall)
#                 arm64: 6.1-arm64, 6.12-arm64, 6.12-arm64-16k, booted under qemu-system-aarch64 (make e2e-arm64)
#   -n            no boot: analyze and check what build/e2e/runs/e2e-* already holds
#   -R FILE       also write the result table (tests/e2e/RESULTS.md format) to FILE
#
# One qemu boot (TCG, 2 vCPUs, $MEM RAM) per kernel x scenario; in it, tests/e2e/suite-init.sh captures the
# scenario's window once per entry of caps_for(): the static recorder (allocscope-record-static, trace.dat) in
# graph / retprobe / freelist / events mode, graph, retprobe and freelist twice (the repeat measures run-to-run
# variation), the shell recorder (capture/allocscope-record.sh, text, auto mode and freelist mode), and once in
# cross mode (graph, retprobe and freelist at once, analyzed each way: the exact mode comparison); `anon-tcmd`
# is one more boot that captures the anon
# scenario with `trace-cmd record` (function_graph; kprobes on 6.1, see caps_for; markers written by
# suite-init.sh). The guest checks that tracefs is restored after each recorder. The host runs
# tests/e2e/merge-test.sh first (the shell recorder's per-CPU merge, no boot), then `allocscope analyze --json` on
# every trace, and tests/e2e/check.py prints one PASS/FAIL line per check and a summary; exit status 1 if any
# check failed, 3 if the environment lacks something (said on stderr).
# E2E_CAPS=LIST replaces every boot's captures (suite-init.sh's as_caps, e.g. "sh-auto,as-graph").
#
# Reuses fixtures.sh (kernels, initramfs, the boot with its soft-lockup watchdog and retries). Caches in
# build/e2e/ (never committed). Host binaries come from $BUILD (default build): make BUILD=... all.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
EB=${BUILD:-build}
case $EB in /*) ;; *) EB=$TOP/$EB ;; esac
KERNELS="6.1 6.12"
SCENS="anon pagecache thp calm oom jank proactive anon-tcmd"
NOBOOT=0
RESULTS=
while getopts "k:s:nR:" o; do
	case $o in
	k) KERNELS=$OPTARG ;;
	s) SCENS=$OPTARG ;;
	n) NOBOOT=1 ;;
	R) RESULTS=$OPTARG ;;
	*) sed -n '2,22p' "$0"; exit 2 ;;
	esac
done
export MEM=${MEM:-256M}
ARM64_MEM=${ARM64_MEM:-192M}
WIN=${WIN:-1}
BUF=${BUF:-8192}

# fixtures.sh's functions and host-tool checks (it installs qemu-system-x86, busybox-static, e2fsprogs, ...
# with apt-get when run as root, and exits 3 naming what is missing otherwise)
set --
FIXTURES_LIB=1
MY_KERNELS=$KERNELS MY_NOBOOT=$NOBOOT
# shellcheck source=tests/e2e/fixtures.sh
. "$HERE/fixtures.sh"
KERNELS=$MY_KERNELS NOBOOT=$MY_NOBOOT	# fixtures.sh sets its own defaults
need python3 python3
log() { echo "e2e: $*" >&2; }

for b in allocscope allocscope-record-static; do
	[ -x "$EB/$b" ] || { log "missing $EB/$b: run make BUILD=${EB#$TOP/} all first"; exit 3; }
done
# arm64 kernels (make e2e-arm64): qemu-system-aarch64, the cross compiler for memhog, the arm64 recorder
for k in $KERNELS; do
	[ "$(kernel_arch "$k")" = arm64 ] || continue
	need qemu-system-aarch64 qemu-system-arm
	need aarch64-linux-gnu-gcc gcc-aarch64-linux-gnu
	[ -x "$TOP/build/aarch64/allocscope-record-static" ] ||
		{ log "missing build/aarch64/allocscope-record-static: run make record-arm64 first"; exit 3; }
	break
done

caps_for() { # KERNEL SCENARIO
	[ -z "${E2E_CAPS:-}" ] || { echo "$E2E_CAPS"; return; }
	case $1-$2 in
	# trace-cmd switching function_graph on crashed every 6.1 guest of the full run of 9e965a2 under TCG (soft
	# lockups, kernel BUG in irqentry_nmi_enter from an int3 at kprobe_int3_handler+0x1): on 6.1 trace-cmd
	# records the retprobe mode (kprobes, as fixtures.sh's anon-kprobe-dat), compared with as-retprobe. A boot of
	# its own: fixtures.sh retries a crashed boot, and a retry must not throw the other captures away
	6.1-*-tcmd) echo "tcmd-retprobe" ;;
	*-tcmd) echo "tcmd-graph" ;;
	# arm64: the shell recorder under Android's mksh + toybox (mk) and under busybox sh (sh: retprobe, its
	# kprobe arguments); calm also stops each recorder by SIGINT, SIGTERM and a failing COMMAND
	*-arm64*-calm) echo "as-graph,as-retprobe,as-freelist,as-events,mk-auto,sh-retprobe,mk-freelist,as-graph,as-retprobe,as-cross,stop-as-int-graph,stop-mk-int-retprobe,stop-as-term-retprobe,stop-sh-term-graph,stop-as-fail-events,stop-mk-fail-graph" ;;
	# under pressure a capture costs 1-2 min of TCG (6.1 anon: 85-133 s each for the static recorder, the
	# shell recorder more): each mode once, one shell capture (mksh in graph mode for anon and thp, in
	# freelist mode for pagecache; busybox sh in freelist mode for oom), and the cross capture, which compares
	# graph, retprobe and freelist exactly on one run (graph~retprobe's repeats only in anon)
	*-arm64*-anon) echo "as-graph,as-retprobe,as-freelist,as-events,mk-auto,as-graph,as-retprobe,as-cross" ;;
	*-arm64*-pagecache) echo "as-graph,as-retprobe,as-freelist,as-events,mk-freelist,as-cross" ;;
	*-arm64*-oom) echo "as-graph,as-retprobe,as-freelist,as-events,sh-freelist,as-cross" ;;
	*-arm64*) echo "as-graph,as-retprobe,as-freelist,as-events,mk-auto,as-cross" ;;
	# an app's frames under memory pressure (record --frames): tracepoints as on a phone, and exact
	*-jank) echo "as-events,as-retprobe,as-graph" ;;
	*) echo "as-graph,as-retprobe,as-freelist,as-events,sh-auto,as-graph,as-retprobe,as-freelist,sh-freelist,as-cross" ;;
	esac
}

suite_initrd() { # suite_initrd KDIR -> prints the initrd: fixtures' initramfs + our recorders + suite-init.sh
	recorder_initrd suite "$HERE/suite-init.sh" "$1"
}

# a file larger than the guest's RAM on the data disk, for the page-cache scenario (incompressible bytes: the
# guest reads them from the virtio disk, nothing is sparse)
bigdir() {
	local d=$BUILD/bigdisk
	if [ ! -s "$d/big.bin" ]; then
		mkdir -p "$d"
		head -c 320M /dev/urandom >"$d/big.bin"
	fi
	echo "$d"
}

analyze_run() { # analyze_run RUNDIR: analyze --json (and the text report) of every trace in it
	local d=$1 t
	for t in "$d"/*.dat "$d"/*.txt; do
		[ -f "$t" ] || continue
		case $t in */guest.log | */checks.txt | */uname.txt | */dmesg.txt | *.analyze.txt | *.kargs.txt | *.datcount.txt) continue ;; esac
		"$EB/allocscope" analyze --json "$t" >"$t.json" 2>"$t.json.err" || log "analyze --json $t failed: $(head -3 "$t.json.err")"
		"$EB/allocscope" analyze "$t" >"$t.analyze.txt" 2>&1 || true
		# our trace.dat read by us, by trace-cmd report and through that report's text: the same events
		case $t in *.dat) python3 "$HERE/dat-counts.py" "$EB/allocscope" "$t" >"$t.datcount.txt" 2>&1 || true ;; esac
		# the alloc entry's kprobe arguments against mm_page_alloc's gfp_flags and order
		case $t in *-retprobe.* | *-cross.dat) python3 "$HERE/kprobe-args.py" "$t" >"$t.kargs.txt" 2>&1 || true ;; esac
		case $t in *-cross.dat)	# graph, retprobe and freelist recorded at once: read each way (and as events)
			for m in graph retprobe freelist events; do
				"$EB/allocscope" analyze -m $m --json "$t" >"$t.$m.json" 2>"$t.$m.json.err" ||
					log "analyze -m $m --json $t failed: $(head -3 "$t.$m.json.err")"
			done
			# freelist's allocation begins at its first attempt, graph's at the alloc entry, retprobe's at
			# its kprobe's (a few us after graph's entry): the whole trace, and the rows to match the
			# window's edges (check.py cross-freelist and cross-mode)
			for m in graph retprobe freelist; do
				"$EB/allocscope" analyze -m $m --no-window --json "$t" >"$t.$m.nowin.json" \
					2>"$t.$m.nowin.json.err" || log "analyze -m $m --no-window $t failed"
				"$EB/allocscope" analyze -m $m --records "$t.$m.rows.jsonl" -f "$t" >/dev/null \
					2>"$t.$m.rows.err" || log "analyze -m $m --records $t failed"
			done ;;
		esac
	done
}

# the per-CPU merge of the shell recorder, on made-up files (seconds; its result goes to check.py)
MERGE_OUT=$BUILD/runs/merge-test.txt
mkdir -p "$BUILD/runs"
"$HERE/merge-test.sh" >"$MERGE_OUT" 2>&1 || log "merge-test.sh failed: $(tail -1 "$MERGE_OUT")"
t_start=$SECONDS
for k in $KERNELS; do
	kdir=$(fetch_kernel "$k")
	kn=$(kernel_name "$k")
	initrd=
	for s in $SCENS; do
		name=e2e-$kn-$s
		if [ "$NOBOOT" = 0 ]; then
			[ -n "$initrd" ] || initrd=$(suite_initrd "$kdir")
			if [ "$s" = pagecache ]; then
				export IMG_SIZE=1280M MKFS_OPTS="-d $(bigdir)"
			else
				export IMG_SIZE=768M MKFS_OPTS=
			fi
			# a boot with seven captures takes 0.6-3 min under TCG; one capture by trace-cmd gets 8 min
			bt=1200
			[ "${s%-tcmd}" = "$s" ] || bt=480
			# arm64 under TCG: an anon boot of eight captures took 14-19 min (6.12, 6.12-16k)
			[ "$(kernel_arch "$k")" = x86_64 ] || bt=2700
			# arm64 guests get less memory (ARM64_MEM): under TCG a pressure window costs time in
			# proportion to the pages it reclaims (6.1's classic LRU thrashes: 546 s for one anon window at
			# 256M)
			mem=$MEM win=$WIN
			if [ "$(kernel_arch "$k")" != x86_64 ]; then
				mem=$ARM64_MEM
				# 16 KB pages: a pageblock (and a THP) is 32 MB (order 11). thp: the window's hog (90 %
				# of what the fragmenting pre-phase leaves) must span an aligned 32 MB range to fault
				# one in. oom: with at least 4 pageblocks managed (128 MB) boost_watermark() raises the
				# watermarks by a whole pageblock at a fallback steal: at 192M min went from 7,760 to
				# 40,528 kB and the pre-phase hog itself was OOM-killed while 40 MB were free
				case $kn-$s in *-16k-thp | *-16k-oom) mem=${ARM64_16K_MEM:-384M} ;; esac
				# the page-cache window reads for WIN seconds: 6.1 under TCG read less than the
				# free memory in 1 s (3 of 6 captures without reclaim): 3 s
				[ "$s" != pagecache ] || win=${ARM64_PAGECACHE_WIN:-3}
			fi
			log "$name: qemu -m $mem, window $win s"
			MEM=$mem BOOT_TIMEOUT=$bt boot "$kdir" "$initrd" "$name" \
				"as_scen=${s%-tcmd} as_caps=$(caps_for "$kn" "$s") as_buf=$BUF as_win=$win as_zram=128" || true
		fi
		[ -d "$BUILD/runs/$name/$name" ] && analyze_run "$BUILD/runs/$name/$name"
	done
done
log "boots and analysis took $((SECONDS - t_start)) s"
args=(--merge-test "$MERGE_OUT")
[ -n "$RESULTS" ] && args+=(--results "$RESULTS")
for k in $KERNELS; do
	kn=$(kernel_name "$k")
	for s in $SCENS; do args+=("$BUILD/runs/e2e-$kn-$s/e2e-$kn-$s"); done
done
exec python3 "$HERE/check.py" "${args[@]}"
