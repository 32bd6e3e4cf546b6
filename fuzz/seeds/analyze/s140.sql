SELECT $path FROM t
