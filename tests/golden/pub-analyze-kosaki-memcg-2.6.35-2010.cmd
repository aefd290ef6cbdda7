analyze tests/data/published/kosaki-memcg-2.6.35-2010/trace.txt
