SELECT q, r FROM (SELECT i, s FROM t) x(q, r)
