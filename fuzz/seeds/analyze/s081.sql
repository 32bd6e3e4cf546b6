SELECT email, count(*) FROM customer_landing
