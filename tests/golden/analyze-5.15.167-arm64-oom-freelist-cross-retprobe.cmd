analyze -m retprobe tests/data/5.15.167-arm64-oom-freelist-cross.dat
