compare tests/data/compare/6.12-wsf10-2.txt.zst -- tests/data/compare/6.12-wsf10-2.txt.zst
