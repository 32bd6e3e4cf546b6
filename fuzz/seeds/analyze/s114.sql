SELECT abs(i) OVER () FROM t
