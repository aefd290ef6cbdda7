analyze tests/data/published/jaewon-highatomic-4.14-android-2020/trace.txt
