SELECT * FROM a FULL JOIN b ON a.k = b.k
