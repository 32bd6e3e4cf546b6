SELECT * FROM accelerometer_landing CROSS JOIN step_trainer_landing
