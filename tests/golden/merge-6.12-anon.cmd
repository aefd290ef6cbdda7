merge tests/golden/analyze-json-6.12-anon-fgraph.out tests/golden/analyze-json-6.12-anon-kprobe.out
