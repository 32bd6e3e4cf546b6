SELECT count(*) FILTER (WHERE x > 0) FROM accelerometer_trusted
