SELECT s, i, sum(b) FROM t GROUP BY GROUPING SETS ((s), (i), ())
