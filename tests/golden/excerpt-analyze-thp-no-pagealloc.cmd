analyze tests/data/excerpts/6.1.192-thp-graph-no-pagealloc.txt
