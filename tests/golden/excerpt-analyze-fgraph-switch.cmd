analyze tests/data/excerpts/6.1-arm64-anon-fgraph-switch.txt
