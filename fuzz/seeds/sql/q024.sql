SELECT CAST(x AS array(row(k varchar, v array(map(varchar, double)))))
