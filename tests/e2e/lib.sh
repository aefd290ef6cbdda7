# helpers shared by fixtures.sh and local-capture.sh (bash)

# event counts of a text trace on stdin: function_graph lines, ftrace text, trace-cmd report
count_events() {
	awk '
	/^#/ { next }
	/LOST [0-9]+ EVENTS/ { n = $0; sub(/.*LOST /, "", n); sub(/ EVENTS.*/, "", n); c["LOST(lines)"]++; lost += n; next }
	/\/\* [a-z_0-9]+: / { s = $0; sub(/.*\/\* /, "", s); sub(/:.*/, "", s); if (s == "allocscope") s = "print (trace_marker)"; c["tp:" s]++; next }
	/\|.*[a-zA-Z_0-9.]+\(\) \{ *$/ { s = $0; sub(/\(\) \{ *$/, "", s); sub(/.* /, "", s); c["fgraph-entry:" s]++; next }
	/\|.*[a-zA-Z_0-9.]+\(\); *$/ { s = $0; sub(/\(\); *$/, "", s); sub(/.* /, "", s); c["fgraph-leaf:" s]++; next }
	/\|.*\} *(\/\*.*\*\/)? *$/ { c["fgraph-exit"]++; next }
	{
		for (i = 2; i <= NF; i++) if ($i ~ /^([a-z_0-9]+:)?[a-z_0-9]+:$/ && $(i-1) ~ /^[0-9]+\.[0-9]+:$/) { s = $i; sub(/:$/, "", s); c[s]++; break }
	}
	END { for (k in c) printf "%10d  %s\n", c[k], k; if (lost) printf "%10d  %s\n", lost, "lost events (sum of LOST lines)" }' | sort -k2
}
vmdelta() { # vmdelta BEFORE AFTER
	awk 'NR == FNR { b[$1] = $2; next }
	{ d = $2 - b[$1]
	  if ($1 ~ /^allocstall_/) as += d; if ($1 ~ /^pgalloc_/) pa += d
	  if ($1 ~ /^(compact_stall|compact_fail|compact_success|oom_kill|pgscan_direct|pgsteal_direct|pgscan_kswapd|pgsteal_kswapd|pswpout|thp_fault_alloc|thp_fault_fallback|pgmajfault)$/) v[$1] = d }
	END { printf "  %-20s %d\n", "allocstall (sum)", as; printf "  %-20s %d\n", "pgalloc (sum)", pa
	      n = split("compact_stall compact_fail compact_success oom_kill pgscan_direct pgsteal_direct pgscan_kswapd pgsteal_kswapd pswpout thp_fault_alloc thp_fault_fallback", k, " ")
	      for (i = 1; i <= n; i++) if (k[i] in v) printf "  %-20s %d\n", k[i], v[k[i]] }' "$1" "$2"
}
kswapd_ticks() { # before after -> "utime+stime ticks"
	local b a
	b=$(awk '{sub(/.*\) /, ""); print $12 + $13}' "$1")
	a=$(awk '{sub(/.*\) /, ""); print $12 + $13}' "$2")
	echo "$((a - b)) ticks (USER_HZ=100)"
}

