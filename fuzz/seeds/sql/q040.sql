SELECT a FROM t GROUP BY (a + b) * 2
