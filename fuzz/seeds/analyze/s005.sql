SELECT * FROM accelerometer_landing a JOIN customer_trusted c ON a."user" = c.email
