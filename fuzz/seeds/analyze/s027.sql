SELECT s, count(*) FROM t GROUP BY s
