SELECT s, i, sum(b) FROM t GROUP BY ROLLUP (s, i)
