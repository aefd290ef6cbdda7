analyze tests/data/published/hocko-fgraph-alloc-2016/trace.txt
