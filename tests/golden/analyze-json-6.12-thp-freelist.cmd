analyze --json tests/data/6.12.117-thp-freelist.dat
