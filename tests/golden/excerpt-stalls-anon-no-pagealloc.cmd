stalls --top 5 tests/data/excerpts/6.1.192-anon-kprobe-no-pagealloc.txt
