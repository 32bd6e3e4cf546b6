-- Landing zone: STEDI step-trainer sensor readings.
CREATE DATABASE IF NOT EXISTS stedi;

CREATE EXTERNAL TABLE IF NOT EXISTS stedi.step_trainer_landing (
  sensorReadingTime bigint COMMENT 'epoch milliseconds',
  serialNumber string COMMENT 'the step trainer''s serial number',
  distanceFromObject int
)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
WITH SERDEPROPERTIES ('paths' = 'sensorReadingTime,serialNumber,distanceFromObject')
STORED AS INPUTFORMAT 'org.apache.hadoop.mapred.TextInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION 's3://stedi-lakehouse/step_trainer/landing/'
TBLPROPERTIES ('classification' = 'json');
