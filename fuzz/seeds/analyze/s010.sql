SELECT * FROM accelerometer_landing a LEFT JOIN step_trainer_landing s ON a."timestamp" = s.sensorreadingtime
