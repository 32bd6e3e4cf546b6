SELECT sum(b) OVER (PARTITION BY s), avg(d) OVER () FROM t
