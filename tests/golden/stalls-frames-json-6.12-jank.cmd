stalls --frames --json tests/data/6.12.117-jank-retprobe.dat
