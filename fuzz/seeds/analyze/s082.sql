SELECT email FROM customer_landing GROUP BY phone
