SELECT s, count(*) FROM t GROUP BY s HAVING count(*) > 1
