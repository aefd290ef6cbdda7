#!/usr/bin/env bash
# make test-html: the HTML report of real traces rendered by headless Chromium.
# Checks: the file is self-contained (no script, no URL fetched), Chromium
# parses it (--dump-dom ends with our footer), the charts are in the DOM
# (as many <svg> as the file has, a timeline with dots, one histogram per
# timed stage), and a screenshot PNG is produced (kept in $BUILD/html/ to
# look at).  The same for the compare page of the real watermark_scale_factor
# pair (3 vs 3 runs): its sections, one chart dot per run and KPI, one
# latency histogram per side for each timed stage.
# Ends with "HTML: PASS" or "HTML: FAIL".
set -u
cd "$(dirname "$0")/../.."
export LC_ALL=C TZ=UTC
BUILD=${BUILD:-build}
BIN=$BUILD/allocscope
OUT=$BUILD/html
fail=0

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
	echo "test-html: chromium not found: 'make deps-html' (apt-get install chromium)" >&2
	echo "HTML: FAIL (no chromium)"
	exit 1
fi
mkdir -p "$OUT"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
# flags: root in a container needs --no-sandbox; nothing may reach the network
chrome() {
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--disable-extensions --user-data-dir="$profile" "$@" 2>>"$OUT/chromium.log"
}
bad() { echo "FAIL: $*" >&2; fail=$((fail + 1)); }

for name in 6.12-thp-tcev 6.12-anon-fgraph 6.12-anon-kprobe; do
	trace=$(ls tests/data/$name.dat tests/data/$name.txt.zst 2>/dev/null | head -1)
	[ -n "$trace" ] || { bad "$name: no trace"; continue; }
	html=$OUT/$name.html
	if ! "$BIN" analyze -f --html "$html" --vmstat-before tests/data/$name.vmstat.before \
		--vmstat-after tests/data/$name.vmstat.after "$trace" >/dev/null; then
		bad "$name: analyze --html failed"; continue
	fi
	size=$(stat -c %s "$html")
	[ "$size" -lt 2000000 ] || bad "$name: $size bytes, more than 2 MB"
	grep -qi '<script' "$html" && bad "$name: contains a script"
	grep -Eqi '(src|href)=|url\(|@import' "$html" && bad "$name: refers to another resource"
	want_svg=$(grep -o '<svg' "$html" | wc -l)
	want_hist=$(grep -o 'latency histogram' "$html" | wc -l)

	dom=$OUT/$name.dom.html
	chrome --dump-dom "file://$PWD/$html" >"$dom"
	grep -q 'one self-contained file' "$dom" || bad "$name: Chromium did not render the whole page"
	got_svg=$(grep -o '<svg' "$dom" | wc -l)
	[ "$got_svg" -eq "$want_svg" ] && [ "$got_svg" -ge 3 ] ||
		bad "$name: $got_svg <svg> in the DOM, $want_svg in the file"
	[ "$want_hist" -ge 2 ] || bad "$name: $want_hist stage histograms"
	dots=$(sed -n '/<section id="timeline"/,/<\/section>/p' "$dom" | grep -o '<circle\|<rect[^>]*stroke="#000"' | wc -l)
	[ "$dots" -ge 10 ] || bad "$name: timeline has $dots dots"
	for id in kpi timeline stages tasks groundtruth capture; do
		grep -q "<section id=\"$id\"" "$dom" || bad "$name: no section $id in the DOM"
	done

	png=$OUT/$name.png
	rm -f "$png"
	chrome --window-size=1100,2400 --hide-scrollbars --screenshot="$PWD/$png" "file://$PWD/$html" >/dev/null
	if [ -s "$png" ] && [ "$(head -c 4 "$png" | od -An -tx1 | tr -d ' ')" = 89504e47 ]; then
		echo "  $name: $size bytes, $got_svg svg, $want_hist histograms, $dots dots, $png"
	else
		bad "$name: no screenshot"
	fi
done

# the compare page
D=tests/data/compare
html=$OUT/compare-wsf.html
if "$BIN" compare --overwrite --per kalloc --html "$html" $D/6.12-wsf10-1.txt.zst $D/6.12-wsf10-2.txt.zst \
	$D/6.12-wsf10-3.txt.zst -- $D/6.12-wsf200-1.txt.zst $D/6.12-wsf200-2.txt.zst $D/6.12-wsf200-3.txt.zst \
	>/dev/null 2>"$OUT/compare.err"; then
	size=$(stat -c %s "$html")
	grep -qi '<script' "$html" && bad "compare: contains a script"
	grep -Eqi '(src|href)=|url\(|@import' "$html" && bad "compare: refers to another resource"
	want_svg=$(grep -o '<svg' "$html" | wc -l)
	dom=$OUT/compare-wsf.dom.html
	chrome --dump-dom "file://$PWD/$html" >"$dom"
	grep -q 'one self-contained file' "$dom" || bad "compare: Chromium did not render the whole page"
	grep -q 'ERR_[A-Z_]*' "$dom" && bad "compare: Chromium shows an error page"
	got_svg=$(grep -o '<svg' "$dom" | wc -l)
	[ "$got_svg" -eq "$want_svg" ] && [ "$got_svg" -ge 3 ] ||
		bad "compare: $got_svg <svg> in the DOM, $want_svg in the file"
	# 6 runs, one dot each for slow paths and for kswapd load
	dots=$(sed -n '/<section id="chart"/,/<\/section>/p' "$dom" | grep -o '<circle' | wc -l)
	[ "$dots" -eq 12 ] || bad "compare: the chart has $dots dots, not 12"
	hists=$(grep -o 'latency histogram' "$dom" | wc -l)
	[ "$hists" -ge 2 ] && [ $((hists % 2)) -eq 0 ] || bad "compare: $hists latency histograms"
	grep -q 'class="verdict pass"' "$dom" || bad "compare: no PASS verdict"
	for id in verdict guards confidence chart sides latency runs; do
		grep -q "<section id=\"$id\"" "$dom" || bad "compare: no section $id in the DOM"
	done
	png=$OUT/compare-wsf.png
	rm -f "$png"
	chrome --window-size=1100,2400 --hide-scrollbars --screenshot="$PWD/$png" "file://$PWD/$html" >/dev/null
	if [ -s "$png" ] && [ "$(head -c 4 "$png" | od -An -tx1 | tr -d ' ')" = 89504e47 ]; then
		echo "  compare-wsf: $size bytes, $got_svg svg, $hists histograms, $dots dots, $png"
	else
		bad "compare: no screenshot"
	fi
else
	bad "compare --html failed: $(cat "$OUT/compare.err")"
fi

if [ $fail -eq 0 ]; then echo "HTML: PASS"; exit 0; fi
echo "HTML: FAIL ($fail)"; exit 1
