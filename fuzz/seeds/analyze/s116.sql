SELECT array_agg(i) FROM t
