stalls --json --task 316 --from 12.3 --to 12.8 --min 0 --top 3 tests/data/6.12-thp-tcev.dat
