analyze --json --vmstat-before tests/data/6.12-anon-fgraph.vmstat.before --vmstat-after tests/data/6.12-anon-fgraph.vmstat.after tests/data/6.12-anon-fgraph.txt.zst
