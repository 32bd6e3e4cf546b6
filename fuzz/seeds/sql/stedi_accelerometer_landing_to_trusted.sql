SELECT a."user", a."timestamp", a.x, a.y, a.z
FROM stedi.accelerometer_landing a
JOIN stedi.customer_trusted c ON a."user" = c.email;
