analyze -m retprobe tests/data/7.1.5-thp-cross.dat
