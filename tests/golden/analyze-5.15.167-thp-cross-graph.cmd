analyze -m graph tests/data/5.15.167-thp-cross.dat
