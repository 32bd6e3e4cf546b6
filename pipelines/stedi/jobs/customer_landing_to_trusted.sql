-- Trusted zone: only customers who agreed to share their data for research.
CREATE TABLE stedi.customer_trusted
WITH (
  format = 'PARQUET',
  write_compression = 'SNAPPY',
  external_location = 's3://stedi-lakehouse/customer/trusted/'
) AS
SELECT *
FROM stedi.customer_landing
WHERE sharewithresearchasofdate IS NOT NULL;
