SELECT 1 FROM t WHERE count(*) > 1
