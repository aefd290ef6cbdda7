#!/usr/bin/env bash
# Retprobe captures whose kretprobe instances ran out (issue 17): an alloc
# entry whose return never comes is never a slow path, and it, or a
# kprobe_profile marker with missed > 0, makes kpi.slow_path_exact false with
# the reason in "untold" (text and JSON).  Cut at run time from the real
# 6.12-anon-kprobe.txt.zst (no copies committed): every 50th alloc_ret line
# removed, and, apart, the recorder's kprobe_profile marker added with misses.
set -u
cd "$(dirname "$0")/../.."
BIN=${BIN:-build/allocscope}
BUILD=${BUILD:-build}
T=$BUILD/kretprobe-missed
Z=tests/data/6.12-anon-kprobe.txt.zst
status=0
rm -rf "$T"; mkdir -p "$T"
bad() { echo "kretprobe-missed: $*" >&2; status=1; }
command -v zstd >/dev/null || { echo "kretprobe-missed: zstd not installed (apt-get install zstd)" >&2; exit 77; }

zstd -dcq "$Z" >"$T/full.txt"
awk '/ alloc_ret: /{ if (++n % 50 == 0) next } { print }' "$T/full.txt" >"$T/cut.txt"
# the marker as cap_snapshot_end() writes it (docs/capture-format.md), before the last line
{ head -n -1 "$T/full.txt"
  echo "              sh-298     [001] .....    13.471652: tracing_mark_write: allocscope: kprobe alloc_ret hits=51808 missed=372"
  tail -n 1 "$T/full.txt"; } >"$T/missed.txt"

num() { grep -o "\"$1\": [0-9a-z]*" "$2" | head -1 | sed 's/.*: //'; }
for c in full cut missed; do
	"$BIN" analyze --json "$T/$c.txt" >"$T/$c.json" 2>"$T/$c.err" || bad "$c: exit $?"
	"$BIN" analyze "$T/$c.txt" >"$T/$c.out" 2>>"$T/$c.err" || bad "$c text: exit $?"
done
[ "$(num slow_path_exact "$T/full.json")" = true ] || bad "full: slow_path_exact not true"
[ "$(num unmatched_entry "$T/full.json")" = 0 ] || bad "full: unmatched entries"
full_slow=$(num slow_path_entries "$T/full.json")

# cut: unmatched entries, not exact, and the slow paths are the closed ones only
un=$(num unmatched_entry "$T/cut.json")
[ "${un:-0}" -gt 0 ] || bad "cut: no unmatched_entry"
[ "$(num slow_path_exact "$T/cut.json")" = false ] || bad "cut: slow_path_exact not false beside $un unmatched entries"
grep -q "\"$un alloc entries without a return (" "$T/cut.json" || bad "cut: no untold reason in JSON"
grep -q "untold      $un alloc entries without a return" "$T/cut.out" || bad "cut: no untold reason in text"
so_far=$(grep -o '([0-9]* slow so far' "$T/cut.json" | grep -o '[0-9]*')
cut_slow=$(num slow_path_entries "$T/cut.json")
# the removed returns are of calls the full trace closes: its slow paths are the
# cut's closed slow paths plus the unclosed ones that were slow so far
[ "$((cut_slow + ${so_far:-0}))" = "$full_slow" ] ||
	bad "cut: $cut_slow slow + ${so_far:-?} unclosed slow != full $full_slow"
[ "${so_far:-0}" -gt 0 ] || bad "cut: no unclosed slow call (the test cannot fail)"

# the recorder's kprobe_profile misses
[ "$(num slow_path_exact "$T/missed.json")" = false ] || bad "missed: slow_path_exact not false beside missed=372"
grep -q 'kprobe_profile: 372 returns missed' "$T/missed.json" || bad "missed: no untold reason in JSON"
grep -q 'kprobe_profile: 372 returns missed' "$T/missed.out" || bad "missed: no untold reason in text"
[ "$(num slow_path_entries "$T/missed.json")" = "$full_slow" ] || bad "missed: slow paths changed"
exit $status
