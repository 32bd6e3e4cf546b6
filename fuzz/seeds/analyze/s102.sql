SELECT i IN (1, 'a') FROM t
