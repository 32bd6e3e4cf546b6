SELECT s, i, sum(b) FROM t GROUP BY CUBE (s, i)
