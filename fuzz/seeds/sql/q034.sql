SELECT a FROM t WHERE a."user" = 'x'
