info tests/malformed/explain-events-damaged.txt
