info tests/malformed/fgraph-excerpt-damaged.txt
