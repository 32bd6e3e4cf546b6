SELECT s, count(*) FROM t GROUP BY s ORDER BY count(*) DESC
