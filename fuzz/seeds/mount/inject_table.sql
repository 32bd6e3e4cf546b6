--name x" USING fts4(a); ATTACH DATABASE '../outside.db' AS p; CREATE TABLE p.t AS SELECT 'outside' AS m; --
CREATE EXTERNAL TABLE default.`x" USING fts4(a); ATTACH DATABASE '../outside.db' AS p; --` (a string)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://fuzz-bucket/raw/';
SELECT COUNT(*) FROM default.raw;
