compare tests/data/6.1.192-anon-graph-tcmd.dat -- tests/data/6.12.117-anon-graph-tcmd.dat
