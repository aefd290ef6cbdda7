analyze --csv - tests/data/6.12-anon-kprobe.txt.zst | head -n 8
