analyze tests/data/7.1.5-proactive-events.dat
