SELECT CAST(dt AS integer) FROM t
