SELECT * FROM customer_trustd
