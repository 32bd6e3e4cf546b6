SELECT 1 FROM t WHERE row_number() OVER () > 1
