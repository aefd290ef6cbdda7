analyze --json --vmstat-before tests/data/6.12-thp-tcev.vmstat.before --vmstat-after tests/data/6.12-thp-tcev.vmstat.after tests/data/6.12-thp-tcev.dat
