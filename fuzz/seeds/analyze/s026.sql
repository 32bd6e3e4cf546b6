SELECT * FROM (VALUES (1, 2.5), (3, 4)) v(a, b)
