SELECT * FROM step_trainer_landing s JOIN step_trainer_trusted u USING (serialnumber)
