WITH customer_landing AS (SELECT 1 AS z) SELECT * FROM customer_landing
