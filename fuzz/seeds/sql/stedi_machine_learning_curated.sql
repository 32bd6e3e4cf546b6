SELECT s.sensorreadingtime,
       s.serialnumber,
       s.distancefromobject,
       a."timestamp",
       a.x,
       a.y,
       a.z
FROM stedi.step_trainer_trusted s
JOIN stedi.accelerometer_trusted a ON s.sensorreadingtime = a."timestamp";
