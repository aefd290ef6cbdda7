stalls --min 0 tests/data/published/jaewon-highatomic-4.14-android-2020/trace.txt
