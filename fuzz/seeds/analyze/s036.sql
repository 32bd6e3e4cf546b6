SELECT count(DISTINCT "user") FROM accelerometer_trusted
