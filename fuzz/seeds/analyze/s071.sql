SELECT email FROM customer_landing c, customer_trusted t
