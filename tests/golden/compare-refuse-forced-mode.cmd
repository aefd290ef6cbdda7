compare -m graph tests/data/compare/6.12-wsf10-1.txt.zst tests/data/compare/6.12-wsf10-2.txt.zst -- tests/data/compare/6.12-wsf200-2.txt.zst tests/data/compare/6.12-wsf200-3.txt.zst
