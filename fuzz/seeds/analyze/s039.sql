SELECT "user", avg(x), stddev(y), variance(z), min_by("timestamp", x) FROM accelerometer_trusted GROUP BY "user"
