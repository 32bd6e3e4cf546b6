SELECT round(100.0 * a / b, 2) FROM t
