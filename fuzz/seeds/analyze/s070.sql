SELECT c.emial FROM customer_landing c
