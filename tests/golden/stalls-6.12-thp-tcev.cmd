stalls --top 5 tests/data/6.12-thp-tcev.dat
