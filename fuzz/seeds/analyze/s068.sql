SELECT 1 AS "Mixed", 2 x
