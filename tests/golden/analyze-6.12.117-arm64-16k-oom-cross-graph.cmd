analyze -m graph tests/data/6.12.117-arm64-16k-oom-cross.dat
