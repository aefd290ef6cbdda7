stalls --top 3 tests/data/sample-6.12-anon-graph.dat
