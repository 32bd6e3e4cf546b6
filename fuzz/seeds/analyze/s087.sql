SELECT 1 FROM t JOIN step_trainer_landing x ON t.i
