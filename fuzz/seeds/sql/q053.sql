SELECT * FROM a JOIN b JOIN c ON b.k = c.k ON a.k = b.k
