SELECT date_trunc('hour', s) FROM t
