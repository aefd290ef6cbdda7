analyze -m retprobe tests/data/6.6.57-thp-cross.dat
