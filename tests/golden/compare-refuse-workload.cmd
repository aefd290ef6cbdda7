compare tests/data/6.1.192-anon-kprobe.txt.zst -- tests/data/6.12-anon-kprobe.txt.zst
