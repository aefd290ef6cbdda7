analyze tests/malformed/explain-events-damaged.txt
