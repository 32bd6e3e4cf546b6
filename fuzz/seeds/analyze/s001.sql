SELECT count(*), count(i), sum(i) FROM t
