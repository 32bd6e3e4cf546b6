SELECT abs('x') FROM t
