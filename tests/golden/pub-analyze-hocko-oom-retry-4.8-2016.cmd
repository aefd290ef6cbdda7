analyze tests/data/published/hocko-oom-retry-4.8-2016/trace.txt
