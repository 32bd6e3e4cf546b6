SELECT percent_rank() OVER (ORDER BY i), cume_dist() OVER (ORDER BY i), ntile(4) OVER (ORDER BY i) FROM t
