-- Landing zone: accelerometer readings from the mobile app.
-- timestamp is epoch milliseconds; several rows can share one timestamp.
CREATE DATABASE IF NOT EXISTS stedi;

CREATE EXTERNAL TABLE IF NOT EXISTS stedi.accelerometer_landing (
  `user` string COMMENT 'the customer''s email',
  `timestamp` bigint COMMENT 'epoch milliseconds',
  `x` double,
  `y` double,
  `z` double
)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
WITH SERDEPROPERTIES ('paths' = 'user,timestamp,x,y,z')
STORED AS INPUTFORMAT 'org.apache.hadoop.mapred.TextInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION 's3://stedi-lakehouse/accelerometer/landing/'
TBLPROPERTIES ('classification' = 'json');
