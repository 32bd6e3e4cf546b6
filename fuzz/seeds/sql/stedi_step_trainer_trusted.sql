SELECT s.sensorreadingtime, s.serialnumber, s.distancefromobject
FROM stedi.step_trainer_landing s
WHERE s.serialnumber IN (SELECT serialnumber FROM stedi.customer_curated);
