SELECT i, (SELECT count(*) FROM customer_landing c WHERE c.email = t.s) FROM t
