stalls --color=always --top 2 tests/data/6.12-thp-tcev.dat
