analyze tests/data/published/hocko-chrome-stall-4.13-2017/trace.txt
