SELECT overlay(a PLACING b FROM 2 FOR 3), overlay(a PLACING b FROM 1) FROM t
