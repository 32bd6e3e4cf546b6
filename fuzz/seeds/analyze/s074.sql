SELECT * FROM stedi.customer_trustd
