SELECT t."$path", "$path" FROM t
