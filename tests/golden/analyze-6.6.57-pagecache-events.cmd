analyze tests/data/6.6.57-pagecache-events.dat
