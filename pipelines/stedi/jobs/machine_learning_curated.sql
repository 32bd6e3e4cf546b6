-- Curated zone: step-trainer readings joined with the accelerometer readings
-- taken at the same time, for machine learning.  No email, name or phone.
-- No DISTINCT: every pairing of a reading with a sample is a row.
CREATE TABLE stedi.machine_learning_curated
WITH (
  format = 'PARQUET',
  write_compression = 'SNAPPY',
  external_location = 's3://stedi-lakehouse/step_trainer/curated/'
) AS
SELECT s.sensorreadingtime,
       s.serialnumber,
       s.distancefromobject,
       a."timestamp",
       a.x,
       a.y,
       a.z
FROM stedi.step_trainer_trusted s
JOIN stedi.accelerometer_trusted a ON s.sensorreadingtime = a."timestamp";
