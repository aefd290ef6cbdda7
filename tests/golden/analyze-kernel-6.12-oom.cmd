analyze --kernel 6.12.117 tests/data/6.12.117-oom-kprobe.txt.zst
