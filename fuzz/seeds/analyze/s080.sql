SELECT length(i) FROM t
