analyze -m freelist tests/data/6.1.192-thp-cross.dat
