analyze -m freelist tests/data/5.15.167-thp-freelist-cross.dat
