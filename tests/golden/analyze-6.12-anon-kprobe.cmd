analyze --vmstat-before tests/data/6.12-anon-kprobe.vmstat.before --vmstat-after tests/data/6.12-anon-kprobe.vmstat.after tests/data/6.12-anon-kprobe.txt.zst
