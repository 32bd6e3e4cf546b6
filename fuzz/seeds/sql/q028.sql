SELECT count(*) FILTER (WHERE x > 0), sum(x) FILTER (WHERE y)
