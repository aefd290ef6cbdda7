analyze tests/data/published/minchan-lowmem-4.7-2016/trace.txt
