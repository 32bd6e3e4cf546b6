SELECT i + 1, count(*) FROM t GROUP BY i + 1
