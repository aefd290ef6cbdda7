analyze -m graph tests/data/6.6.57-thp-cross.dat
