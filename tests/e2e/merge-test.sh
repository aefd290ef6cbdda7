#!/bin/bash
# merge-test.sh: the shell recorder's per-CPU merge (merge_cpus in capture/allocscope-record.sh) against a
# reference merge in Python, on made-up per-CPU files in both text shapes the recorder reads
# (function_graph with funcgraph-abstime, and TASK-PID [CPU] FLAGS TS: EVENT with TS in seconds or a counter
# clock's integer), seconds growing from 5 to 6 digits, with the lines that carry
# no timestamp ("CPU:N [LOST N EVENTS]", context-switch banners), equal timestamps across CPUs, 3 and 20
# CPUs (more than 16: merged in rounds), under every awk (mawk, busybox awk, original-awk = the
# one-true-awk Android ships) and shell (dash, busybox sh, mksh = Android's) this machine has.
# No root, no tracefs. tests/e2e/e2e.sh runs it before booting anything.
#
#   tests/e2e/merge-test.sh        prints one line per combination and "MERGE: PASS|FAIL (n passed, m failed)"
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
REC=$HERE/../../capture/allocscope-record.sh
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0

# case DIR NCPU SHAPE SEED: DIR/cpuN files + DIR/want (the reference merge)
python3 - "$T" <<'EOF'
import os, random, sys
top = sys.argv[1]
def make(name, ncpu, shape, seed):
    rnd = random.Random(seed)
    d = os.path.join(top, name)
    os.makedirs(d)
    recs = []                       # (ts_usec, cpu, seq, text with its leading untimed lines)
    for cpu in range(ncpu):
        t = 99_990_000_000 if shape == "wrap" else 50_000_000    # "wrap": seconds go from 5 to 6 digits
        lines = []
        for seq in range(rnd.randint(0, 400)):
            t += rnd.choice([0, 0, 1, 2, 7, 50, 1000])
            pre = ""
            if rnd.random() < 0.05:
                pre += f"CPU:{cpu} [LOST {rnd.randint(1, 999)} EVENTS]\n"
            if rnd.random() < 0.05 and shape in ("graph", "wrap"):
                pre += (" ------------------------------------------\n"
                        f" {cpu})   memhog-315   =>   kswapd0-42  \n"
                        " ------------------------------------------\n\n")
            s, us = divmod(t, 1_000_000)
            if shape == "counter":     # trace_clock counter / x86-tsc: " %12llu: "
                line = f"          memhog-{300 + cpu:<5d} [{cpu:03d}] d..1. {t:12d}: mm_page_alloc: order=0 {seq}"
            elif shape == "plain":
                line = (f"          memhog-{300 + cpu:<5d} (    300) [{cpu:03d}] d..1.  {s:5d}.{us:06d}: "
                        f"mm_page_alloc: page=0000 pfn=0x{seq:x} order=0 migratetype=1 gfp_flags=GFP_KERNEL")
                if rnd.random() < 0.1:
                    line = (f"              sh-328     [{cpu:03d}] .....  {s:5d}.{us:06d}: tracing_mark_write: "
                            f"allocscope: vmstat pgalloc 12.5: [x] {seq}")
            else:
                body = rnd.choice(["__alloc_pages() {", "  get_page_from_freelist();", "}",
                                   "/* mm_page_alloc: page=0000 pfn=0x1 order=0 */",
                                   "/* allocscope: vmstat nr_free_pages 12 */"])
                line = f"{s:5d}.{us:06d} |   {cpu})   memhog-315   |               |  {body} {seq}"
            recs.append((t, cpu, seq, pre + line + "\n"))
            lines.append(pre + line + "\n")
        tail = "CPU:%d [LOST 3 EVENTS]\n" % cpu if rnd.random() < 0.5 else ""
        with open(os.path.join(d, f"cpu{cpu}"), "w") as f:
            f.write("".join(lines) + tail)
        recs.append((float("inf"), cpu, 1 << 30, tail))
    # the kernel's order: lowest timestamp first, equal timestamps by CPU (files in the order given)
    recs.sort(key=lambda r: (r[0], r[1], r[2]))
    with open(os.path.join(d, "want"), "w") as f:
        f.write("".join(r[3] for r in recs))
n = 0
for shape in ("graph", "plain", "wrap", "counter"):
    for ncpu in (1, 3, 20):
        n += 1
        make(f"{shape}-{ncpu}", ncpu, shape, n)
EOF

awks= shells=
for a in mawk original-awk busybox; do command -v $a >/dev/null 2>&1 && awks="$awks $a"; done
for s in dash mksh busybox; do command -v $s >/dev/null 2>&1 && shells="$shells $s"; done
for a in $awks; do
	mkdir -p "$T/bin-$a"
	if [ "$a" = busybox ]; then ln -s "$(command -v busybox)" "$T/bin-$a/awk"; else ln -s "$(command -v $a)" "$T/bin-$a/awk"; fi
done
for d in "$T"/*-*/; do
	d=${d%/}
	[ -f "$d/want" ] || continue
	cpus=$(cd "$d" && ls cpu* | sed 's/cpu//' | sort -n | tr '\n' ' ')
	for a in $awks; do
		for s in $shells; do
			sh=$s; [ "$s" = busybox ] && sh="busybox sh"
			# merge_cpus as the recorder defines it, on DIR/cpuN (the recorder's WORK directory)
			PATH=$T/bin-$a:$PATH $sh -c 'WORK=$1; shift; eval "$(sed -n "/^MRG=0/,/^}/p" "$0")"; merge_cpus "$@"' \
				"$REC" "$d" $cpus >"$d/got" 2>"$d/err"
			if cmp -s "$d/want" "$d/got"; then
				pass=$((pass + 1))
			else
				fail=$((fail + 1))
				echo "FAIL ${d##*/} awk=$a sh=$s: $(diff "$d/want" "$d/got" | head -3 | tr '\n' ' ') $(head -c 200 "$d/err")"
			fi
			rm -f "$d"/cpu-m*
		done
	done
done
echo "MERGE: $([ $fail = 0 ] && echo PASS || echo FAIL) ($pass passed, $fail failed; awk:$awks; sh:$shells)"
[ $fail = 0 ]
