SELECT coalesce(i, s) FROM t
