#!/bin/bash
# capture-overhead.sh: what recording costs the traced workload (issue 4); `make bench-capture` runs it.
#
#   bench/capture-overhead.sh [-k "6.12 6.1"] [-c CONDITIONS] [-r ROUNDS] [-t SECS] [-s fault|pressure] [-W]
#                             [-n] [-R FILE]
#
#   -k KERNELS    short kernel names (tests/e2e/fixtures.sh's kernel_pkg: 6.1, 6.12); default "6.12 6.1"
#   -c LIST       conditions, comma-separated (tests/e2e/bench-init.sh): as-events, as-freelist,
#                 as-freelist-return (its return probe), as-retprobe, as-graph (the static allocscope
#                 record), sh-events, sh-freelist, sh-retprobe, sh-graph (the shell recorder), tcmd-graph
#                 (`trace-cmd record -p function_graph -g <alloc entry>`, no filter), tcmd-graphl (the same with
#                 allocscope's filter), nr-events, nr-freelist, nr-freelist-return, nr-retprobe, nr-graph,
#                 nr-graphl, nr-graphall (the mode's tracefs
#                 set-up, no reader), nr-fretprobe, nr-retprobena, nr-retprobe2, nr-retprobe3, nr-retprobe4
#                 (retprobe's probes as fprobes, without fetch args, without the alloc return probe; the alloc
#                 entry's kprobe alone; the alloc entry's and get_page_from_freelist's kprobes), spin; default:
#                 every as-, tcmd-graph, sh-events, nr- but nr-graphl, nr-fretprobe, nr-retprobena, nr-retprobe2-4
#   -r ROUNDS     rounds (default 2): each condition runs once per round, between two runs without capture
#   -t SECS       length of one workload run in guest seconds (default 2)
#   -s SCENARIO   fault (default): nothing else runs; pressure: a 75 % memhog re-touches in the background
#   -W            wall clock: multi-threaded TCG without -icount (noisy when the host is busy: see below)
#   -n            no boot: print the table of what build/e2e/runs/bench-* already holds
#   -R FILE       also write the table as Markdown to FILE
#
# One qemu boot per kernel (TCG, -smp 2, $MEM RAM, default 256M) runs tests/e2e/bench-init.sh: the workload
# tests/e2e/faultloop (write-fault every page of a 32 MiB anonymous region, MADV_DONTNEED, repeat; pages/s)
# alternately without capture and under one recorder, each captured run between two baseline runs of the same
# boot. The guest runs under `-icount shift=1,sleep=off`: its clock advances by 2 ns per guest instruction, so
# throughput is pages per 10^9 guest instructions / 2 and host load (other processes on the host) cannot move
# it. The vCPUs then run in turn on one host thread and share that one clock: the recorder's own reading and
# writing on the other vCPU counts against the workload as if both ran on one CPU (a busy machine). The nr-*
# conditions (no reader) give the part that is paid in the workload's own context. The host reads the event
# and loss counts of every trace with `allocscope info`; bench/capture-table.py prints the table: per
# condition the median baseline and captured throughput, the overhead (1 - median of captured / mean of its
# two neighbouring baselines) with its range, the target, pass or fail, the overhead without a reader, events
# recorded and events lost per run. Exit status 0 when every target is met, 1 otherwise, 3 when the
# environment lacks something.
#
# BENCH_RECORDERS="X=PATH ..." puts other builds of allocscope-record-static into the guest as condition X-MODE
# (e.g. a changed reader, compared with as-MODE in the same boot).
#
# Reuses tests/e2e/fixtures.sh (kernels, initramfs, the boot with its watchdog and retries); caches in build/e2e/.
set -euo pipefail

BENCH=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$BENCH/.." && pwd)
E2E=$TOP/tests/e2e
EB=${BUILD:-build}
case $EB in /*) ;; *) EB=$TOP/$EB ;; esac
KERNELS="6.12 6.1"
CAPS=as-events,as-freelist,as-retprobe,as-graph,tcmd-graph,sh-events,nr-events,nr-freelist,nr-retprobe,nr-graph,nr-graphall
ROUNDS=2
SECS=2
SCEN=fault
NOBOOT=0
RESULTS=
CLOCK=icount
while getopts "k:c:r:t:s:WnR:" o; do
	case $o in
	k) KERNELS=$OPTARG ;;
	c) CAPS=$OPTARG ;;
	r) ROUNDS=$OPTARG ;;
	t) SECS=$OPTARG ;;
	s) SCEN=$OPTARG ;;
	W) CLOCK=wall ;;
	n) NOBOOT=1 ;;
	R) RESULTS=$OPTARG ;;
	*) sed -n '2,22p' "$0"; exit 2 ;;
	esac
done
export MEM=${MEM:-256M}
BUF=${BUF:-8192}

# fixtures.sh's functions and host-tool checks (installs what is missing when run as root, else exits 3)
set --
FIXTURES_LIB=1
MY_KERNELS=$KERNELS MY_NOBOOT=$NOBOOT
# shellcheck source=tests/e2e/fixtures.sh
. "$E2E/fixtures.sh"
KERNELS=$MY_KERNELS NOBOOT=$MY_NOBOOT
need python3 python3
log() { echo "bench-capture: $*" >&2; }

for b in allocscope allocscope-record-static; do
	[ -x "$EB/$b" ] || { log "missing $EB/$b: run make BUILD=${EB#$TOP/} all first"; exit 3; }
done

bench_extras() { # ROOT: the workload and other recorder builds to compare (BENCH_RECORDERS)
	local root=$1 x
	gcc -O2 -static -o "$root/bin/faultloop" "$E2E/faultloop.c"
	for x in ${BENCH_RECORDERS:-}; do cp "${x#*=}" "$root/bin/allocscope-record-${x%%=*}"; done
}

bench_initrd() { # KDIR -> prints the initrd: fixtures' initramfs + faultloop + our recorders + bench-init.sh
	recorder_initrd bench "$E2E/bench-init.sh" "$1" bench_extras
}

info_run() { # RUNDIR: allocscope info of every trace (events, lost events, ring-buffer overrun/dropped)
	local d=$1 t
	for t in "$d"/*.dat "$d"/*.txt; do
		[ -f "$t" ] || continue
		case $t in */results.txt | */runs.txt | */checks.txt | */uname.txt | */host.txt | */dmesg.txt | */warmup.txt | *.info.txt) continue ;; esac
		"$EB/allocscope" info "$t" >"$t.info.txt" 2>&1 || log "allocscope info $t failed: $(head -2 "$t.info.txt")"
	done
}

t_start=$SECONDS
dirs=()
for k in $KERNELS; do
	name=bench-$k-$SCEN
	[ "$CLOCK" = icount ] || name=$name-wall
	if [ "$NOBOOT" = 0 ]; then
		kdir=$(fetch_kernel "$k")
		initrd=$(bench_initrd "$kdir")
		t_boot=$SECONDS
		# traces of every run stay on the disk until the host has counted their events (a sparse image)
		export IMG_SIZE=4G MKFS_OPTS=
		export QEMU_EXTRA=
		if [ "$CLOCK" = icount ]; then
			QEMU_EXTRA="-icount shift=1,sleep=off"
			# 6.1 hangs at "x86: Booting SMP configuration" under -icount with two vCPUs (qemu 7.2; 6.12
			# boots): one vCPU. Under -icount two vCPUs share one clock anyway, so the capacity is the same
			# (the spin condition shows it: a busy loop on the other vCPU halves the workload's throughput)
			[ "$k" = 6.1 ] && QEMU_EXTRA="$QEMU_EXTRA -smp 1"
		fi
		BOOT_TIMEOUT=${BOOT_TIMEOUT:-2400} boot "$kdir" "$initrd" "$name" \
			"as_caps=$CAPS as_rounds=$ROUNDS as_secs=$SECS as_buf=$BUF as_scen=$SCEN" || true
		# what the table says about the machine (the guest writes the rest)
		[ -d "$BUILD/runs/$name/$name" ] && {
			echo "qemu: $(qemu-system-x86_64 --version | head -1 | sed 's/ *Copyright.*//'), -accel tcg -cpu max -m $MEM -smp $(case $QEMU_EXTRA in *"-smp 1"*) echo 1 ;; *) echo 2 ;; esac) $(case $QEMU_EXTRA in *icount*) echo "-icount shift=1,sleep=off" ;; *) echo "(multi-threaded TCG, wall clock)" ;; esac)"
			echo "host: $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
			echo "package: $(basename "$kdir")"
			echo "ring buffer: $BUF KB per CPU; boot took $((SECONDS - t_boot)) s"
		} >"$BUILD/runs/$name/$name/host.txt"
	fi
	if [ -d "$BUILD/runs/$name/$name" ]; then
		info_run "$BUILD/runs/$name/$name"
		dirs+=("$BUILD/runs/$name/$name")
	else
		log "$name: no results"
	fi
done
[ "$NOBOOT" = 1 ] || log "boots took $((SECONDS - t_start)) s"
[ ${#dirs[@]} -gt 0 ] || exit 3
args=()
[ -n "$RESULTS" ] && args+=(--markdown "$RESULTS")
exec python3 "$BENCH/capture-table.py" "${args[@]}" "${dirs[@]}"
