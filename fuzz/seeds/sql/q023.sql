SELECT CAST(x AS time), CAST(x AS time(3) with time zone), CAST(x AS date)
