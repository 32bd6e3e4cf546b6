SELECT s FROM t INTERSECT SELECT email FROM customer_landing
