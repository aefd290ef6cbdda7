info --json tests/data/6.12-anon-fgraph.txt.zst
