SELECT emial FROM customer_landing
