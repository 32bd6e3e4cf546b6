SELECT a.* FROM accelerometer_landing a
