--name co"l'); ATTACH '/tmp/x.db' AS z; --
CREATE EXTERNAL TABLE default.c (`a b` string, `c.d` int) STORED AS JSON LOCATION 's3://fuzz-bucket/c/';
SELECT "a b", "c.d" FROM default.c;
