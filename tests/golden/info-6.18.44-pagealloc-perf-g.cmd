info tests/data/6.18.44-pagealloc-perf-g.txt.zst
