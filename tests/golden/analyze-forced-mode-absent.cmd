analyze -m graph tests/data/6.12-anon-kprobe.txt.zst
