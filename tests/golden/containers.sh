#!/usr/bin/env bash
# Text traces inside the files Android and Chrome tools write: real traces
# put into a systrace HTML page the way systrace and trace2html write one
# (the viewer's script first, a JSON trace-data block, then the ftrace text
# in <script class="trace-data" type="application/text">), and into a JSON
# trace's "systemTraceEvents" string; plain and zstd.  analyze --json must
# give the same numbers as the bare text, errors name the page's own lines,
# and a page or JSON without kernel text, or cut inside it, is said so.
set -u
cd "$(dirname "$0")/../.."
BIN=${BIN:-build/allocscope}
BUILD=${BUILD:-build}
export LC_ALL=C TZ=UTC
T=$BUILD/containers
rm -rf "$T"; mkdir -p "$T"
fail=0 n=0
command -v python3 >/dev/null || { echo "skip: containers.sh needs python3" >&2; exit 77; }
command -v zstd >/dev/null || { echo "skip: containers.sh needs zstd" >&2; exit 77; }

# err CMD...: what it says on stderr, then its exit status
err() { "$BIN" "$@" 2>&1 >/dev/null; echo "exit $?"; }
check() {	# what got want
	n=$((n + 1))
	if [ "$2" != "$3" ]; then echo "containers: $1: got '$2', want '$3'" >&2; fail=1; fi
}
# the summary without the trace's own name, format and identity
numbers() {
	python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); d.pop("trace"); print(json.dumps(d, sort_keys=True))' "$1"
}
wrap() {	# wrap KIND TEXT OUT
	python3 - "$@" <<'EOF'
import json, sys
kind, src, out = sys.argv[1:4]
text = open(src, encoding="utf-8", errors="surrogateescape").read()
with open(out, "w", encoding="utf-8", errors="surrogateescape") as f:
    if kind == "html":
        f.write("<!DOCTYPE html>\n<html>\n<head>\n<script>" + "var tr = {};" * 200000 + "</script>\n</head>\n<body>\n")
        f.write('<script class="trace-data" type="application/json">\n')
        f.write(json.dumps({"traceEvents": [{"name": "</scr", "ph": "X"}]}) + "\n</script>\n")
        f.write('<!-- BEGIN TRACE -->\n  <script class="trace-data" type="application/text">\n')
        f.write(text)
        f.write("  </script>\n<!-- END TRACE -->\n</body>\n</html>\n")
    else:
        json.dump({"traceEvents": [{"name": "systemTraceEvents", "args": {"systemTraceEvents": "x"}}] * 1000,
                   "systemTraceEvents": text, "metadata": {"clock-domain": "LINUX_CLOCK_MONOTONIC"}}, f)
EOF
}

for src in tests/data/6.12-anon-kprobe.txt.zst tests/data/published/hocko-chrome-stall-4.13-2017/trace.txt \
	   tests/data/published/jaewon-dmabuf-order4-2023/trace.txt; do
	b=$T/$(basename "$src" .zst)
	case $src in */published/*) b=$T/$(basename "$(dirname "$src")") ;; esac
	case $src in *.zst) zstd -qdc "$src" >"$b.txt" ;; *) cp "$src" "$b.txt" ;; esac
	"$BIN" analyze --json "$b.txt" >"$b.json" || { echo "containers: analyze $src failed" >&2; exit 1; }
	numbers "$b.json" >"$b.want"
	for kind in html json; do
		wrap "$kind" "$b.txt" "$b.$kind"
		zstd -qf "$b.$kind" -o "$b.$kind.zst"
		for f in "$b.$kind" "$b.$kind.zst"; do
			"$BIN" analyze --json "$f" >"$f.out"
			check "$f: exit" "$?" 0
			numbers "$f.out" >"$f.got"
			check "$f: same numbers as the bare text" "$(cmp -s "$b.want" "$f.got" && echo same)" same
		done
	done
	check "$b.html: container" "$(grep -o '"container": "[^"]*"' "$b.html.out")" '"container": "systrace HTML"'
done

# the page's own line numbers in errors; a page or a JSON trace cut inside the text
b=$T/6.12-anon-kprobe.txt
check "html: text block starts at" "$(grep -n 'type="application/text"' "$b.html" | cut -d: -f1)" 11
sed '5000s/$/\x00/' "$b.html" >"$T/nul.html"
check "NUL: line of the page" "$(err analyze "$T/nul.html")" \
	"allocscope: $T/nul.html: line 5000: NUL byte in a text trace: the file is corrupt
exit 2"
head -c 4000000 "$b.html" >"$T/cut.html"
lines=$(wc -l <"$T/cut.html")
check "cut page" "$(err analyze "$T/cut.html" | sed 's/: the events before.*//')" \
	"allocscope: $T/cut.html: line $((lines + 1)): the file ends inside the trace text of its systrace HTML: cut short
exit 4"
head -c 4000000 "$b.json" >"$T/cut.json"
check "cut JSON: exit" "$("$BIN" analyze "$T/cut.json" >/dev/null 2>&1; echo $?)" 4
"$BIN" analyze "$T/cut.json" 2>&1 >/dev/null | grep -qE 'truncated trace|cut short'
check "cut JSON: said" "$?" 0

# no kernel text in it: said, exit 2, never "an empty trace"
printf '<!DOCTYPE html>\n<html><body><script class="trace-data" type="application/json">\n{"traceEvents":[]}\n</script></body></html>\n' >"$T/json-only.html"
check "page without text" "$(err analyze "$T/json-only.html")" \
	"allocscope: $T/json-only.html: an HTML page without systrace's ftrace text (<script class=\"trace-data\"> holding text): no kernel trace in it (only JSON trace data)
exit 2"
printf '{"traceEvents": [{"name": "a", "ph": "X", "ts": 1, "dur": 2}]}\n' >"$T/chrome.json"
check "JSON without systemTraceEvents" "$(err info "$T/chrome.json")" \
	"allocscope: $T/chrome.json: a JSON trace without a \"systemTraceEvents\" string: no kernel trace in it (user-space trace events only)
exit 2"

[ $fail = 0 ] && echo "containers: $n checks agree"
exit $fail
