SELECT sum(count(*)) FROM t
