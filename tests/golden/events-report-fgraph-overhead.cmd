events tests/data/excerpts/sample-6.12-report-fgraph-overhead.txt
