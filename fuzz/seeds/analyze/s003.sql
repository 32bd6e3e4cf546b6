SELECT "user", "timestamp" FROM accelerometer_landing
