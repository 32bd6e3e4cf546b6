SELECT count(*) FROM t HAVING i > 1
