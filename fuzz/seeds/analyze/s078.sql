SELECT abs(s) FROM t
