--name y" USING fts3(a, tokenize=x); SELECT fts3_tokenizer('simple', x'4141414141414141'); --
CREATE DATABASE d1;
CREATE TABLE d1.t WITH (format='JSON', external_location='s3://fuzz-bucket/d1/') AS SELECT 1 AS a, 'x' AS "b""c";
SELECT fts3_tokenizer('simple', x'4141414141414141');
SELECT * FROM d1.t JOIN default.t2 ON 1=1;
