info tests/malformed/perf-callchain-damaged.txt
