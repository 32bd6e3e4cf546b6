SELECT cnt(*) FROM t
