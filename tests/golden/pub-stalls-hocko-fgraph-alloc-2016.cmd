stalls --min 0 tests/data/published/hocko-fgraph-alloc-2016/trace.txt
