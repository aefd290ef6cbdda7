stalls --frames tests/data/6.12.117-jank-retprobe.dat
