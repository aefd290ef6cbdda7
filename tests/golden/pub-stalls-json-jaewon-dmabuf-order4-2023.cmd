stalls --json --min 0 tests/data/published/jaewon-dmabuf-order4-2023/trace.txt
