analyze tests/data/6.18.2-pagecache-events.dat
