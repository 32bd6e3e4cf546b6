SELECT * FROM accelerometer_landing, step_trainer_landing
