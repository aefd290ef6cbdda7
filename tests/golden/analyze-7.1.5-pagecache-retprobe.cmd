analyze tests/data/7.1.5-pagecache-retprobe.dat
