SELECT * FROM t AS a (x, y)
