analyze tests/data/5.10.233-pagecache-events.dat
