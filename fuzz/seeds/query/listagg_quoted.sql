SELECT "listagg"(x ORDER BY y), listagg(x) WITHIN GROUP (ORDER BY y) FROM t
