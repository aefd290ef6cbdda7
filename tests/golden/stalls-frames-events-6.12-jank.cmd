stalls --frames -m events --frame-budget 33.3 tests/data/6.12.117-jank-retprobe.dat
