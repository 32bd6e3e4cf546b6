SELECT a || b || c
