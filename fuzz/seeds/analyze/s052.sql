SELECT lag(s) OVER (ORDER BY ts), lead(i, 2, 0) OVER (ORDER BY ts) FROM t
