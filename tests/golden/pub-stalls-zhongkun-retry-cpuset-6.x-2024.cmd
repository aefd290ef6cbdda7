stalls --min 0 tests/data/published/zhongkun-retry-cpuset-6.x-2024/trace.txt
