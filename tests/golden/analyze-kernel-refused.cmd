analyze --kernel 6.1 tests/data/6.12.117-anon-kprobe-inst.dat
