SELECT * FROM t WHERE EXISTS (SELECT 1 FROM customer_landing c WHERE c.email = t.email)
