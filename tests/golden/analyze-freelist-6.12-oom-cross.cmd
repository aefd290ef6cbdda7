analyze -m freelist tests/data/6.12.117-oom-cross.dat
