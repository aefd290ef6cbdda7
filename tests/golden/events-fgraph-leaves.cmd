events tests/corpus/fgraph/two-leaves.txt
