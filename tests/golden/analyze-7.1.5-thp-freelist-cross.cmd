analyze -m freelist tests/data/7.1.5-thp-freelist-cross.dat
