stalls --min 10ms --sort time tests/data/6.12-anon-fgraph.txt.zst
