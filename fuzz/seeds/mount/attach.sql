SELECT 1; ATTACH DATABASE '/tmp/lh-fuzz-outside.db' AS p;
WITH x AS (SELECT 1 AS a) SELECT * FROM x, pragma_database_list;
