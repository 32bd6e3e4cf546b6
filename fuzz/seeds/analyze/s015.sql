WITH x(a, b) AS (SELECT i, s FROM t) SELECT a FROM x
