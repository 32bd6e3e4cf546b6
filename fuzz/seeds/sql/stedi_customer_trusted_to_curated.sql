SELECT c.*
FROM stedi.customer_trusted c
WHERE c.email IN (SELECT DISTINCT a."user" FROM stedi.accelerometer_trusted a);
