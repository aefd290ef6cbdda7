analyze --no-hist tests/data/6.12.117-jank-retprobe.dat
