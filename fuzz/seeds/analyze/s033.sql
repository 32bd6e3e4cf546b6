SELECT upper(s), count(*) FROM t GROUP BY upper(s)
