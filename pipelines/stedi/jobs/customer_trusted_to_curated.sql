-- Curated zone: consenting customers who have accelerometer data.
CREATE TABLE stedi.customer_curated
WITH (
  format = 'PARQUET',
  write_compression = 'SNAPPY',
  external_location = 's3://stedi-lakehouse/customer/curated/'
) AS
SELECT c.*
FROM stedi.customer_trusted c
WHERE c.email IN (SELECT DISTINCT a."user" FROM stedi.accelerometer_trusted a);
