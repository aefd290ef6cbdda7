analyze -m freelist tests/data/6.12.117-arm64-16k-oom-cross.dat
