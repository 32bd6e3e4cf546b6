SELECT approx_distinct("user") FROM accelerometer_trusted
