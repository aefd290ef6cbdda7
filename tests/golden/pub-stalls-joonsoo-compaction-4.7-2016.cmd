stalls --min 0 tests/data/published/joonsoo-compaction-4.7-2016/trace.txt
