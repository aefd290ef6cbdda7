analyze --csv - tests/data/6.12-thp-tcev.dat | awk -F, 'NR == 1 || $13 != "fast"' | head -n 6
