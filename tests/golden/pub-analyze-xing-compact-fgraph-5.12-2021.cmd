analyze tests/data/published/xing-compact-fgraph-5.12-2021/trace.txt
