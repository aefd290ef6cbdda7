compare --force window --kernel 6.1.192 tests/data/6.1.192-anon-kprobe.txt.zst -- tests/data/6.1.192-anon-kprobe-tcmd.dat
