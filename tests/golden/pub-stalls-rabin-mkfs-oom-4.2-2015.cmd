stalls --min 0 tests/data/published/rabin-mkfs-oom-4.2-2015/trace.txt
