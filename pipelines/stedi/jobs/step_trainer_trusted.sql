-- Trusted zone: step-trainer readings of curated customers' devices.
CREATE TABLE stedi.step_trainer_trusted
WITH (
  format = 'PARQUET',
  write_compression = 'SNAPPY',
  external_location = 's3://stedi-lakehouse/step_trainer/trusted/'
) AS
SELECT s.sensorreadingtime, s.serialnumber, s.distancefromobject
FROM stedi.step_trainer_landing s
WHERE s.serialnumber IN (SELECT serialnumber FROM stedi.customer_curated);
