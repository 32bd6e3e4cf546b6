SELECT s LIKE 'a%', s NOT LIKE '%b' ESCAPE '!'
