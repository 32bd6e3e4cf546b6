SELECT * FROM t x(a, b)
