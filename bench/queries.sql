distinct_users|SELECT count(DISTINCT "user") FROM stedi.accelerometer_trusted
top_users|SELECT "user", count(*) AS n FROM stedi.accelerometer_trusted GROUP BY "user" ORDER BY n DESC, "user" LIMIT 10
avg_distance|SELECT serialnumber, avg(distancefromobject) AS d FROM stedi.step_trainer_trusted GROUP BY serialnumber ORDER BY d DESC, serialnumber LIMIT 10
filter_count|SELECT count(*) FROM stedi.machine_learning_curated WHERE x > 0 AND y < 0
min_max_sum|SELECT min(x), max(x), count(z) FROM stedi.machine_learning_curated
group_small|SELECT distancefromobject, count(*) AS n FROM stedi.machine_learning_curated GROUP BY distancefromobject ORDER BY n DESC, distancefromobject LIMIT 5
join_group|SELECT c.email, count(*) AS n FROM stedi.customer_curated c JOIN stedi.accelerometer_trusted a ON a."user" = c.email GROUP BY c.email ORDER BY n DESC, c.email LIMIT 10
top_n|SELECT sensorreadingtime, serialnumber, x FROM stedi.machine_learning_curated ORDER BY x DESC, sensorreadingtime, serialnumber LIMIT 20
row_number|SELECT serialnumber, sensorreadingtime, row_number() OVER (PARTITION BY serialnumber ORDER BY sensorreadingtime) AS rn FROM stedi.step_trainer_trusted ORDER BY serialnumber, rn LIMIT 20
distinct_subquery|SELECT count(*) FROM (SELECT DISTINCT serialnumber FROM stedi.step_trainer_trusted) t
join_count|SELECT count(*) FROM stedi.accelerometer_trusted a JOIN stedi.step_trainer_trusted s ON a."timestamp" = s.sensorreadingtime
prefix_group|SELECT substr(email, 1, 3) AS p, count(*) AS n FROM stedi.customer_trusted GROUP BY substr(email, 1, 3) ORDER BY n DESC, p LIMIT 10
span|SELECT "user", max("timestamp") - min("timestamp") AS span FROM stedi.accelerometer_trusted GROUP BY "user" ORDER BY span DESC, "user" LIMIT 10
like_count|SELECT count(*) FROM stedi.customer_trusted WHERE email LIKE '%@%.com'
rank_window|SELECT "user", x, rank() OVER (PARTITION BY "user" ORDER BY x DESC) AS r FROM stedi.accelerometer_trusted ORDER BY "user", r, x LIMIT 20
having|SELECT serialnumber, count(*) AS n FROM stedi.machine_learning_curated GROUP BY serialnumber HAVING count(*) > 100 ORDER BY n DESC, serialnumber LIMIT 10
case_sums|SELECT sum(CASE WHEN x > 0 THEN 1 ELSE 0 END) AS pos, sum(CASE WHEN x <= 0 THEN 1 ELSE 0 END) AS neg FROM stedi.accelerometer_trusted
exists_semi|SELECT count(*) FROM stedi.customer_trusted c WHERE EXISTS (SELECT 1 FROM stedi.step_trainer_trusted s WHERE s.serialnumber = c.serialnumber)
in_semi|SELECT count(*) FROM stedi.accelerometer_trusted WHERE "user" IN (SELECT email FROM stedi.customer_curated)
join_distinct|SELECT s.serialnumber, count(DISTINCT m.x) AS n FROM stedi.step_trainer_trusted s JOIN stedi.machine_learning_curated m ON s.sensorreadingtime = m.sensorreadingtime GROUP BY s.serialnumber ORDER BY n DESC, s.serialnumber LIMIT 10
