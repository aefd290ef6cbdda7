analyze -m retprobe tests/data/6.18.2-thp-cross.dat
