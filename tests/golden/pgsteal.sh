#!/usr/bin/env bash
# pgsteal_direct from mm_vmscan_lru_shrink_inactive, on every real fixture in
# tests/data/ that carries that event:
#  - over the whole trace (--no-window), the analyzer's trace value equals the
#    nr_reclaimed of those events by tasks other than kswapdN (and other than
#    khugepaged where the kernel has pgsteal_khugepaged), outside the task's
#    mm_vmscan_memcg_(softlimit_)reclaim_begin/end (7.1+: inside them too, as
#    pgscan/pgsteal became node stats that count memcg reclaim), summed here
#    without allocscope (trace-cmd report on trace.dat, the text itself);
#  - in the window of a lossless capture it equals the kernel's vmstat delta,
#    with the trace's own snapshots and with the .vmstat.before/.after files
#    (7.1+ where pgsteal_proactive moved: the events cannot tell proactive
#    reclaim apart, and pgsteal_direct + pgsteal_proactive must equal the trace).
set -u
cd "$(dirname "$0")/../.."
BIN=${BIN:-build/allocscope}
status=0 checked=0
tmp=$(mktemp); trap 'rm -f "$tmp"' EXIT

# the report text of a fixture: trace.dat through trace-cmd, text as it is
text_of() {
	case $1 in
	*.dat) trace-cmd report -N "$1" 2>/dev/null ;;
	*.zst) zstd -dc "$1" ;;
	*) cat "$1" ;;
	esac
}

# "all khugepaged memcg" sums of nr_reclaimed over the non-kswapd tasks (all: memcg reclaim left out)
lru_sums() {
	awk '
		function task_of(   i) {
			for (i = 2; i <= NF; i++)
				if ($i ~ /^\[[0-9]+\]$/) return $(i - 1)
			return ""
		}
		/ mm_vmscan_memcg_(softlimit_)?reclaim_begin: / { memcg[task_of()] = 1; next }
		/ mm_vmscan_memcg_(softlimit_)?reclaim_end: / { memcg[task_of()] = 0; next }
		/ mm_vmscan_lru_shrink_inactive: / {
			task = task_of()
			if (task ~ /^kswapd[0-9]+(:[0-9]+)?-[0-9]+$/ || !match($0, / nr_reclaimed=[0-9]+/))
				next
			n = substr($0, RSTART + 14, RLENGTH - 14)
			if (memcg[task]) {
				mc += n
				next
			}
			all += n
			if (task ~ /^khugepaged-[0-9]+$/)
				kh += n
		}
		END { print all + 0, kh + 0, mc + 0 }'
}

# "trace kernel match" of the pgsteal_direct ground-truth entry
gt_of() {
	"$BIN" analyze --json "$@" | sed -n 's/.*{"name": "pgsteal_direct", "trace": \([0-9]*\), "kernel": \([0-9]*\), "match": \([a-z]*\),.*/\1 \2 \3/p'
}

for f in tests/data/*.dat tests/data/*.txt tests/data/*.txt.zst; do
	[ -f "$f" ] || continue
	case $f in *.dat) command -v trace-cmd >/dev/null || { echo "pgsteal: skip $f (no trace-cmd)"; continue; } ;; esac
	"$BIN" info "$f" 2>/dev/null | grep -q 'mm_vmscan_lru_shrink_inactive' || continue
	text_of "$f" > "$tmp" 2>/dev/null
	read -r all kh mc < <(lru_sums < "$tmp")
	grep -q 'pgsteal_khugepaged' "$tmp" || kh=0
	want=$((all - kh))
	kv=$("$BIN" info --json "$f" | sed -n 's/.*"kernel":"\([0-9]*\)\.\([0-9]*\).*/\1 \2/p')
	nodestat=0
	if [ -n "$kv" ] && { [ "${kv% *}" -gt 7 ] || { [ "${kv% *}" = 7 ] && [ "${kv#* }" -ge 1 ]; }; }; then
		nodestat=1 want=$((want + mc))
	fi
	read -r got _ _ < <(gt_of --no-window "$f")
	checked=$((checked + 1))
	if [ "${got:-}" != "$want" ]; then
		echo "pgsteal: DIFF $f: whole trace: allocscope ${got:-none}, nr_reclaimed of non-kswapd lru_shrink_inactive $want" >&2
		status=1
		continue
	fi
	lost=$("$BIN" info "$f" | sed -n 's/^ *lost events: *\([0-9]*\).*/\1/p')
	base=${f%.dat}; base=${base%.zst}; base=${base%.txt}; base=${base%.report}
	line="whole trace $want, $mc in memcg reclaim $([ $nodestat = 1 ] && echo included || echo 'left out')"
	for src in markers files; do
		args=()
		if [ $src = files ]; then
			[ -f "$base.vmstat.before" ] || continue
			args=(--vmstat-before "$base.vmstat.before" --vmstat-after "$base.vmstat.after")
		fi
		read -r t k m < <(gt_of "${args[@]}" "$f")
		[ -n "${t:-}" ] || continue	# no snapshots
		if [ "${lost:-0}" = 0 ] && [ "$m" != true ] && [ $nodestat = 1 ] &&
			"$BIN" analyze "${args[@]}" "$f" | tr -s ' \n' ' ' |
			grep -q "pgsteal_direct + pgsteal_proactive = [0-9]* + [0-9]* = the trace's $t"; then
			line="$line; $src: $t = kernel $k + pgsteal_proactive"
			continue
		fi
		if [ "${lost:-0}" = 0 ] && [ "$m" != true ]; then
			echo "pgsteal: DIFF $f ($src): window trace $t, kernel $k" >&2
			status=1
		fi
		line="$line; $src: $t = kernel $k"
	done
	echo "pgsteal: ok   $f ($line)"
done
[ $checked -gt 0 ] || { echo "pgsteal: no fixture carries mm_vmscan_lru_shrink_inactive" >&2; status=1; }
exit $status
