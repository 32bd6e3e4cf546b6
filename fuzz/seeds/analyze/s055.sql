SELECT s, sum(count(*)) OVER () FROM t GROUP BY s
