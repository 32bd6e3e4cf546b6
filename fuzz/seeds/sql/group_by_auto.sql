SELECT a, count(*) FROM t GROUP BY AUTO HAVING count(*) > 1
