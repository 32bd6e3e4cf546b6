SELECT row_number() OVER () FROM t
