stalls --from +0.18s --to +820ms --task hog --min 0 --top 4 --sort time tests/data/6.12-thp-tcev.dat
