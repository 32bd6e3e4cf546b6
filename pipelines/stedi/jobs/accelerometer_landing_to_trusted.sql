-- Trusted zone: accelerometer readings of customers who consented.
CREATE TABLE stedi.accelerometer_trusted
WITH (
  format = 'PARQUET',
  write_compression = 'SNAPPY',
  external_location = 's3://stedi-lakehouse/accelerometer/trusted/'
) AS
SELECT a."user", a."timestamp", a.x, a.y, a.z
FROM stedi.accelerometer_landing a
JOIN stedi.customer_trusted c ON a."user" = c.email;
