analyze --records - tests/data/6.12-anon-fgraph.txt.zst | grep -m 3 '"outcome":"slow"'
