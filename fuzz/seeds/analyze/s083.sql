SELECT c.email, count(*) FROM customer_landing c
