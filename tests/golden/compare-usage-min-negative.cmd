compare --min-reduction -5 tests/data/compare/6.12-wsf10-1.txt.zst -- tests/data/compare/6.12-wsf200-1.txt.zst
