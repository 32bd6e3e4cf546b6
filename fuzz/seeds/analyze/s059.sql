SELECT * FROM customer_landing WHERE email IN (SELECT "user" FROM accelerometer_trusted)
