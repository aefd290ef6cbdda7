info --json tests/data/6.12-thp-tcev.dat
