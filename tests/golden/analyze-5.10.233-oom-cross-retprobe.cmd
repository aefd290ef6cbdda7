analyze -m retprobe tests/data/5.10.233-oom-cross.dat
