SELECT (SELECT max(y) FROM u) + 1
