stalls --frames --json tests/data/published/catapult-systemui-atrace-2016/trace.txt
