compare -m events tests/data/6.12-anon-kprobe.txt.zst -- tests/data/6.12-anon-fgraph.txt.zst
