stalls -m retprobe tests/data/6.12-anon-fgraph.txt.zst
