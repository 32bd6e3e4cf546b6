SELECT i, s AS name, i + 1, i + 1 AS j, t.b FROM t
