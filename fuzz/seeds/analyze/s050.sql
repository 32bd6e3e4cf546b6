SELECT rank() OVER w, dense_rank() OVER w FROM t WINDOW w AS (ORDER BY i)
