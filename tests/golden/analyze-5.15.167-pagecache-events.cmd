analyze tests/data/5.15.167-pagecache-events.dat
