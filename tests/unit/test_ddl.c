/* Unit tests for sql/ddl.c and sql/lexer.c. */
#include "testutil.h"

#include "sql/ddl.h"
#include "sql/lexer.h"
#include "util/mem.h"

static const char CONSOLE[] =
    "CREATE EXTERNAL TABLE `customer_landing`(\n"
    "  `customername` string COMMENT 'from deserializer',\n"
    "  `email` string COMMENT 'from deserializer',\n"
    "  `registrationdate` bigint COMMENT 'from deserializer',\n"
    "  `price` decimal(10, 2),\n"
    "  `name` varchar(64))\n"
    "ROW FORMAT SERDE\n"
    "  'org.openx.data.jsonserde.JsonSerDe'\n"
    "WITH SERDEPROPERTIES (\n"
    "  'case.insensitive'='TRUE',\n"
    "  'dots.in.keys'='FALSE',\n"
    "  'ignore.malformed.json'='FALSE',\n"
    "  'mapping'='TRUE',\n"
    "  'paths'='customerName,email,registrationDate')\n"
    "STORED AS INPUTFORMAT\n"
    "  'org.apache.hadoop.mapred.TextInputFormat'\n"
    "OUTPUTFORMAT\n"
    "  'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'\n"
    "LOCATION\n"
    "  's3://stedi-lakehouse/customer/landing'\n"
    "TBLPROPERTIES (\n"
    "  'classification'='json',\n"
    "  'has_encrypted_data'='false',\n"
    "  'transient_lastDdlTime'='1691348231')\n";

#define JSON_SERDE "org.openx.data.jsonserde.JsonSerDe"
#define TEXT_IN "org.apache.hadoop.mapred.TextInputFormat"
#define TEXT_OUT "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"
#define PQ_SERDE "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
#define PQ_IN "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
#define PQ_OUT "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"

static lh_script *parse_ok(const char *sql)
{
    lh_script *s = NULL;
    lh_err err;
    lh_err_clear(&err);
    lh_rc rc = lh_script_parse(sql, strlen(sql), "t.sql", &s, &err);
    if (rc)
        fail_msg("parse failed (%d): %s\n--- sql:\n%s", rc, err.msg, sql);
    assert_non_null(s);
    return s;
}

/* Parse a single statement and return it (script in *sp). */
static const lh_stmt *one(const char *sql, lh_script **sp)
{
    *sp = parse_ok(sql);
    assert_int_equal(lh_script_count(*sp), 1);
    return lh_script_stmt(*sp, 0);
}

/* Expect failure with code and an exact message prefix ("t.sql:L:C: ...") and substring. */
static void parse_err(const char *sql, lh_rc code, const char *prefix, const char *substr)
{
    lh_script *s = (lh_script *)1;
    lh_err err;
    lh_err_clear(&err);
    lh_rc rc = lh_script_parse(sql, strlen(sql), "t.sql", &s, &err);
    if (rc != code || strncmp(err.msg, prefix, strlen(prefix)) != 0 || (substr && !strstr(err.msg, substr)))
        fail_msg("want rc %d prefix '%s' substr '%s'; got rc %d msg '%s'", code, prefix, substr ? substr : "", rc,
                 err.msg);
    assert_null(s);
}

static void assert_prop(const lh_prop *p, size_t n, size_t i, const char *k, const char *v)
{
    assert_true(i < n);
    assert_string_equal(p[i].key, k);
    assert_string_equal(p[i].value, v);
}

static void assert_col(const lh_table_def *d, size_t i, const char *name, const char *type, const char *comment)
{
    assert_true(i < d->n_cols);
    assert_string_equal(d->cols[i].name, name);
    assert_string_equal(d->cols[i].type, type);
    if (comment)
        assert_string_equal(d->cols[i].comment, comment);
    else
        assert_null(d->cols[i].comment);
}

static void check_console_def(const lh_table_def *d)
{
    assert_null(d->db);
    assert_string_equal(d->name, "customer_landing");
    assert_int_equal(d->managed, 0);
    assert_int_equal(d->n_cols, 5);
    assert_col(d, 0, "customername", "string", "from deserializer");
    assert_col(d, 1, "email", "string", "from deserializer");
    assert_col(d, 2, "registrationdate", "bigint", "from deserializer");
    assert_col(d, 3, "price", "decimal(10,2)", NULL);
    assert_col(d, 4, "name", "varchar(64)", NULL);
    assert_string_equal(d->serde, JSON_SERDE);
    assert_int_equal(d->n_serde_props, 5);
    assert_prop(d->serde_props, d->n_serde_props, 0, "case.insensitive", "TRUE");
    assert_prop(d->serde_props, d->n_serde_props, 1, "dots.in.keys", "FALSE");
    assert_prop(d->serde_props, d->n_serde_props, 2, "ignore.malformed.json", "FALSE");
    assert_prop(d->serde_props, d->n_serde_props, 3, "mapping", "TRUE");
    assert_prop(d->serde_props, d->n_serde_props, 4, "paths", "customerName,email,registrationDate");
    assert_string_equal(d->input_format, TEXT_IN);
    assert_string_equal(d->output_format, TEXT_OUT);
    assert_string_equal(d->location, "s3://stedi-lakehouse/customer/landing");
    assert_string_equal(d->format, "json");
    assert_int_equal(d->n_tbl_props, 3);
    assert_prop(d->tbl_props, d->n_tbl_props, 0, "classification", "json");
    assert_prop(d->tbl_props, d->n_tbl_props, 1, "has_encrypted_data", "false");
    assert_prop(d->tbl_props, d->n_tbl_props, 2, "transient_lastDdlTime", "1691348231");
    assert_null(d->comment);
}

static void test_console_create_external(void **state)
{
    lh_script *s;
    const lh_stmt *st = one(CONSOLE, &s);
    (void)state;
    assert_int_equal(st->kind, LH_STMT_CREATE_EXTERNAL_TABLE);
    assert_int_equal(st->line, 1);
    assert_int_equal(st->col, 1);
    assert_int_equal(st->if_not_exists, 0);
    assert_ptr_equal(st->text, lh_script_stmt(s, 0)->text);
    /* text ends at the last ')' (the trailing newline is not part of it) */
    assert_int_equal(st->len, strlen(CONSOLE) - 1);
    assert_memory_equal(st->text, CONSOLE, st->len);
    check_console_def(&st->def);
    assert_string_equal(lh_script_filename(s), "t.sql");
    lh_script_free(s);
}

static void test_external_variants(void **state)
{
    lh_script *s;
    const lh_stmt *st;
    (void)state;
    /* backticks, IF NOT EXISTS, STORED AS PARQUET with no ROW FORMAT */
    st = one("create external table if not exists `Stedi`.`Step_Trainer` (`SensorReadingTime` BIGINT, x INT)\n"
             "stored as parquet location 's3a://b/step/'",
             &s);
    assert_int_equal(st->kind, LH_STMT_CREATE_EXTERNAL_TABLE);
    assert_int_equal(st->if_not_exists, 1);
    assert_string_equal(st->def.db, "stedi");
    assert_string_equal(st->def.name, "step_trainer");
    assert_col(&st->def, 0, "sensorreadingtime", "bigint", NULL);
    assert_col(&st->def, 1, "x", "int", NULL);
    assert_string_equal(st->def.format, "parquet");
    assert_string_equal(st->def.serde, PQ_SERDE);
    assert_string_equal(st->def.input_format, PQ_IN);
    assert_string_equal(st->def.output_format, PQ_OUT);
    assert_string_equal(st->def.location, "s3://b/step/"); /* s3a normalized */
    lh_script_free(s);

    /* bare qualified name, table COMMENT, hcatalog JSON SerDe without STORED AS */
    st = one("CREATE EXTERNAL TABLE Db.T (a double, b boolean, c timestamp, d date, e char(3), f decimal)\n"
             "COMMENT 'it''s a table' ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'\n"
             "LOCATION 'S3://bkt/p'",
             &s);
    assert_string_equal(st->def.db, "db");
    assert_string_equal(st->def.name, "t");
    assert_string_equal(st->def.comment, "it's a table");
    assert_col(&st->def, 0, "a", "double", NULL);
    assert_col(&st->def, 1, "b", "boolean", NULL);
    assert_col(&st->def, 2, "c", "timestamp", NULL);
    assert_col(&st->def, 3, "d", "date", NULL);
    assert_col(&st->def, 4, "e", "char(3)", NULL);
    assert_col(&st->def, 5, "f", "decimal(10,0)", NULL);
    assert_string_equal(st->def.format, "json");
    assert_string_equal(st->def.serde, "org.apache.hive.hcatalog.data.JsonSerDe");
    assert_string_equal(st->def.input_format, TEXT_IN);
    assert_string_equal(st->def.output_format, TEXT_OUT);
    assert_string_equal(st->def.location, "s3://bkt/p");
    lh_script_free(s);

    /* double-quoted identifiers, ParquetHiveSerDe with Parquet input/output formats */
    st = one("CREATE EXTERNAL TABLE \"My\"\"Db\".\"T1\" (\"Col\" string)\n"
             "ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'\n"
             "STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'\n"
             "OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'\n"
             "LOCATION 's3://b/x/'",
             &s);
    assert_string_equal(st->def.db, "my\"db");
    assert_string_equal(st->def.name, "t1");
    assert_col(&st->def, 0, "col", "string", NULL);
    assert_string_equal(st->def.format, "parquet");
    lh_script_free(s);

    /* ParquetHiveSerDe alone fills in the Parquet formats */
    st = one("CREATE EXTERNAL TABLE t (a string) ROW FORMAT SERDE '" PQ_SERDE "' LOCATION 's3://b/'", &s);
    assert_string_equal(st->def.format, "parquet");
    assert_string_equal(st->def.input_format, PQ_IN);
    assert_string_equal(st->def.output_format, PQ_OUT);
    lh_script_free(s);

    /* STORED AS TEXTFILE / JSON with a JSON SerDe */
    st = one("CREATE EXTERNAL TABLE t (a string) ROW FORMAT SERDE '" JSON_SERDE "' STORED AS TEXTFILE LOCATION 's3://b/'",
             &s);
    assert_string_equal(st->def.format, "json");
    assert_string_equal(st->def.input_format, TEXT_IN);
    lh_script_free(s);
    st = one("CREATE EXTERNAL TABLE t (a string) STORED AS JSON LOCATION 's3://b/'", &s);
    assert_string_equal(st->def.format, "json");
    assert_string_equal(st->def.serde, JSON_SERDE);
    assert_string_equal(st->def.output_format, TEXT_OUT);
    lh_script_free(s);

    /* Hive backslash escapes in DDL string literals */
    st = one("CREATE EXTERNAL TABLE t (a string COMMENT 'it\\'s a \\\\ and \\n') STORED AS JSON LOCATION 's3://b/'",
             &s);
    assert_string_equal(st->def.cols[0].comment, "it's a \\ and \n");
    lh_script_free(s);

    /* complex type spelled with nested <> reaches lh_type_parse as one type */
    parse_err("CREATE EXTERNAL TABLE t (a array<struct<x:int>>) STORED AS JSON LOCATION 's3://b/'", LH_EUNSUPPORTED,
              "t.sql:1:28: CREATE EXTERNAL TABLE t: column 'a': complex type", NULL);
}

static void test_ctas(void **state)
{
    lh_script *s;
    const lh_stmt *st;
    const char *sql;
    (void)state;
    sql = "CREATE TABLE IF NOT EXISTS stedi.customer_trusted\n"
          "WITH (format = 'JSON', external_location = 's3://stedi/customer/trusted/',\n"
          "      write_compression = 'SNAPPY', partitioned_by = ARRAY['a', 'b'], bucket_count = 10,\n"
          "      \"Is_External\" = true)\n"
          "AS SELECT * FROM customer_landing WHERE sharewithresearchasofdate IS NOT NULL";
    st = one(sql, &s);
    assert_int_equal(st->kind, LH_STMT_CTAS);
    assert_int_equal(st->if_not_exists, 1);
    assert_string_equal(st->db, "stedi");
    assert_string_equal(st->name, "customer_trusted");
    assert_int_equal(st->n_with, 6);
    assert_prop(st->with_props, st->n_with, 0, "format", "JSON");
    assert_prop(st->with_props, st->n_with, 1, "external_location", "s3://stedi/customer/trusted/");
    assert_prop(st->with_props, st->n_with, 2, "write_compression", "SNAPPY");
    assert_prop(st->with_props, st->n_with, 3, "partitioned_by", "ARRAY['a', 'b']");
    assert_prop(st->with_props, st->n_with, 4, "bucket_count", "10");
    assert_prop(st->with_props, st->n_with, 5, "is_external", "true");
    assert_int_equal(st->query_line, 5);
    assert_int_equal(st->query_col, 4);
    assert_int_equal(st->query_len, strlen("SELECT * FROM customer_landing WHERE sharewithresearchasofdate IS NOT NULL"));
    assert_memory_equal(st->query, "SELECT * FROM customer_landing WHERE sharewithresearchasofdate IS NOT NULL",
                        st->query_len);
    assert_int_equal(st->with_no_data, 0);
    lh_script_free(s);

    /* no WITH clause, unqualified, WITH query, WITH DATA stripped */
    st = one("create table t as\n  with x as (select 1 as a) select a from x\nwith data", &s);
    assert_int_equal(st->kind, LH_STMT_CTAS);
    assert_null(st->db);
    assert_string_equal(st->name, "t");
    assert_int_equal(st->n_with, 0);
    assert_null(st->with_props);
    assert_int_equal(st->query_line, 2);
    assert_int_equal(st->query_col, 3);
    assert_int_equal(st->query_len, strlen("with x as (select 1 as a) select a from x"));
    assert_memory_equal(st->query, "with x as (select 1 as a) select a from x", st->query_len);
    assert_int_equal(st->with_no_data, 0);
    lh_script_free(s);

    /* WITH NO DATA */
    st = one("CREATE TABLE `db`.`e` WITH (format='PARQUET') AS SELECT 1 AS x WITH NO DATA", &s);
    assert_string_equal(st->db, "db");
    assert_string_equal(st->name, "e");
    assert_int_equal(st->with_no_data, 1);
    assert_int_equal(st->query_len, strlen("SELECT 1 AS x"));
    assert_memory_equal(st->query, "SELECT 1 AS x", st->query_len);
    lh_script_free(s);

    /* CTAS queries are not lexed with Hive backslash escapes */
    st = one("CREATE TABLE t AS SELECT 'a\\' AS x", &s);
    assert_memory_equal(st->query, "SELECT 'a\\' AS x", st->query_len);
    lh_script_free(s);

    parse_err("CREATE TABLE t AS WITH NO DATA", LH_EPARSE, "t.sql:1:19: CREATE TABLE t: expected a query", NULL);
    parse_err("CREATE TABLE t WITH (format = ) AS SELECT 1", LH_EPARSE,
              "t.sql:1:31: CREATE TABLE t: expected a value ('text', number or ARRAY['...']) for property 'format', got "
              "')'",
              NULL);
    parse_err("CREATE TABLE t WITH (format = 'a', FORMAT = 'b') AS SELECT 1", LH_EPARSE,
              "t.sql:1:36: CREATE TABLE t: duplicate property 'format'", NULL);
    parse_err("CREATE TABLE t WITH (format = 'a') SELECT 1", LH_EPARSE,
              "t.sql:1:36: CREATE TABLE t: expected AS <query>, got 'SELECT'", NULL);
}

static void test_database_statements(void **state)
{
    lh_script *s;
    const lh_stmt *st;
    (void)state;
    s = parse_ok("CREATE DATABASE IF NOT EXISTS `Stedi` COMMENT 'STEDI lake' LOCATION 's3://b/stedi/'\n"
                 "  WITH DBPROPERTIES ('creator'='me');\n"
                 "create schema Other;\n"
                 "DROP DATABASE IF EXISTS stedi CASCADE;\n"
                 "drop schema \"Other\" restrict;\n"
                 "DROP DATABASE x");
    assert_int_equal(lh_script_count(s), 5);
    st = lh_script_stmt(s, 0);
    assert_int_equal(st->kind, LH_STMT_CREATE_DATABASE);
    assert_int_equal(st->if_not_exists, 1);
    assert_string_equal(st->name, "stedi");
    assert_null(st->db);
    assert_string_equal(st->comment, "STEDI lake");
    assert_string_equal(st->def.location, "s3://b/stedi/");
    assert_prop(st->def.tbl_props, st->def.n_tbl_props, 0, "creator", "me");
    st = lh_script_stmt(s, 1);
    assert_int_equal(st->kind, LH_STMT_CREATE_DATABASE);
    assert_int_equal(st->if_not_exists, 0);
    assert_string_equal(st->name, "other");
    assert_null(st->comment);
    assert_int_equal(st->line, 3);
    st = lh_script_stmt(s, 2);
    assert_int_equal(st->kind, LH_STMT_DROP_DATABASE);
    assert_int_equal(st->if_exists, 1);
    assert_int_equal(st->cascade, 1);
    assert_string_equal(st->name, "stedi");
    st = lh_script_stmt(s, 3);
    assert_int_equal(st->kind, LH_STMT_DROP_DATABASE);
    assert_int_equal(st->if_exists, 0);
    assert_int_equal(st->cascade, 0);
    assert_string_equal(st->name, "other");
    st = lh_script_stmt(s, 4);
    assert_int_equal(st->kind, LH_STMT_DROP_DATABASE);
    assert_string_equal(st->name, "x");
    lh_script_free(s);

    parse_err("CREATE DATABASE a.b", LH_EPARSE,
              "t.sql:1:18: CREATE DATABASE: expected COMMENT, LOCATION, WITH DBPROPERTIES or end of statement, got '.'",
              NULL);
    parse_err("CREATE DATABASE IF EXISTS a", LH_EPARSE, "t.sql:1:20: CREATE DATABASE: expected NOT after IF, got 'EXISTS'",
              NULL);
    parse_err("DROP DATABASE IF NOT EXISTS a", LH_EPARSE,
              "t.sql:1:18: DROP DATABASE: expected EXISTS after IF, got 'NOT'", NULL);
}

static void test_drop_show_describe(void **state)
{
    lh_script *s;
    const lh_stmt *st;
    (void)state;
    s = parse_ok("DROP TABLE IF EXISTS `stedi`.`t1`;\n"
                 "drop table T2;\n"
                 "SHOW DATABASES LIKE 'st*';\n"
                 "show schemas;\n"
                 "SHOW TABLES IN Stedi LIKE 'cust*';\n"
                 "SHOW TABLES;\n"
                 "SHOW TABLES FROM x 'a|b';\n"
                 "SHOW CREATE TABLE stedi.customer_landing;\n"
                 "SHOW COLUMNS IN \"Db\".t;\n"
                 "SHOW COLUMNS FROM t IN db;\n"
                 "DESCRIBE FORMATTED stedi.t;\n"
                 "desc t;\n"
                 "DESCRIBE extended");
    assert_int_equal(lh_script_count(s), 13);
    st = lh_script_stmt(s, 0);
    assert_int_equal(st->kind, LH_STMT_DROP_TABLE);
    assert_int_equal(st->if_exists, 1);
    assert_string_equal(st->db, "stedi");
    assert_string_equal(st->name, "t1");
    st = lh_script_stmt(s, 1);
    assert_int_equal(st->kind, LH_STMT_DROP_TABLE);
    assert_int_equal(st->if_exists, 0);
    assert_null(st->db);
    assert_string_equal(st->name, "t2");
    st = lh_script_stmt(s, 2);
    assert_int_equal(st->kind, LH_STMT_SHOW_DATABASES);
    assert_null(st->name);
    assert_string_equal(st->like, "st*");
    st = lh_script_stmt(s, 3);
    assert_int_equal(st->kind, LH_STMT_SHOW_DATABASES);
    assert_null(st->like);
    st = lh_script_stmt(s, 4);
    assert_int_equal(st->kind, LH_STMT_SHOW_TABLES);
    assert_string_equal(st->db, "stedi");
    assert_string_equal(st->like, "cust*");
    st = lh_script_stmt(s, 5);
    assert_int_equal(st->kind, LH_STMT_SHOW_TABLES);
    assert_null(st->db);
    assert_null(st->like);
    st = lh_script_stmt(s, 6);
    assert_string_equal(st->db, "x");
    assert_string_equal(st->like, "a|b");
    st = lh_script_stmt(s, 7);
    assert_int_equal(st->kind, LH_STMT_SHOW_CREATE_TABLE);
    assert_string_equal(st->db, "stedi");
    assert_string_equal(st->name, "customer_landing");
    st = lh_script_stmt(s, 8);
    assert_int_equal(st->kind, LH_STMT_SHOW_COLUMNS);
    assert_string_equal(st->db, "db");
    assert_string_equal(st->name, "t");
    st = lh_script_stmt(s, 9);
    assert_int_equal(st->kind, LH_STMT_SHOW_COLUMNS);
    assert_string_equal(st->db, "db");
    assert_string_equal(st->name, "t");
    st = lh_script_stmt(s, 10);
    assert_int_equal(st->kind, LH_STMT_DESCRIBE);
    assert_int_equal(st->formatted, 1);
    assert_string_equal(st->db, "stedi");
    assert_string_equal(st->name, "t");
    st = lh_script_stmt(s, 11);
    assert_int_equal(st->kind, LH_STMT_DESCRIBE);
    assert_int_equal(st->formatted, 0);
    assert_string_equal(st->name, "t");
    st = lh_script_stmt(s, 12); /* a table called "extended" */
    assert_int_equal(st->formatted, 0);
    assert_string_equal(st->name, "extended");
    assert_null(lh_script_stmt(s, 13));
    lh_script_free(s);

    parse_err("DROP TABLE a.b.c", LH_EPARSE, "t.sql:1:15: DROP TABLE: expected end of statement, got '.'", NULL);
    parse_err("SHOW COLUMNS t", LH_EPARSE, "t.sql:1:14: SHOW COLUMNS: expected IN or FROM after SHOW COLUMNS, got 't'",
              NULL);
    parse_err("SHOW COLUMNS IN a.t IN b", LH_EPARSE, "t.sql:1:21: SHOW COLUMNS: table 'a.t' is already qualified", NULL);
    parse_err("SHOW CREATE TABLE", LH_EPARSE,
              "t.sql:1:18: SHOW CREATE TABLE: expected a table name, got end of statement", NULL);
    parse_err("DESCRIBE;", LH_EPARSE, "t.sql:1:9: DESCRIBE: expected a table name, got end of statement", NULL);
}

static void test_queries(void **state)
{
    lh_script *s;
    const lh_stmt *st;
    size_t i;
    static const char *const q[] = {"SELECT 1", "with a as (select 1) select * from a", "VALUES (1), (2)",
                                    "EXPLAIN SELECT 1", "(SELECT 1) UNION ALL (SELECT 2)"};
    (void)state;
    for (i = 0; i < sizeof q / sizeof q[0]; i++) {
        st = one(q[i], &s);
        assert_int_equal(st->kind, LH_STMT_QUERY);
        assert_int_equal(st->len, strlen(q[i]));
        assert_memory_equal(st->text, q[i], st->len);
        assert_null(st->name);
        lh_script_free(s);
    }
    /* queries are not lexed with backslash escapes: 'a\' ends at the quote */
    s = parse_ok("SELECT 'a\\'; SELECT 2");
    assert_int_equal(lh_script_count(s), 2);
    lh_script_free(s);
}

static void test_script_split(void **state)
{
    static const char sql[] = "-- leading comment; not a statement\n"
                              "/* block ; comment */ SELECT 'a;b' AS \"x;y\", `z;` FROM t -- trailing ; comment\n"
                              "  ;;  ; \n"
                              "\tSELECT 'it''s'  /* inner ; */ ,  2 /* tail */ ;\n"
                              "-- only a comment ;\n"
                              "/* and another */;\n"
                              "DROP TABLE IF EXISTS x\n"
                              "-- end";
    lh_script *s;
    const lh_stmt *st;
    (void)state;
    s = parse_ok(sql);
    assert_int_equal(lh_script_count(s), 3);
    st = lh_script_stmt(s, 0);
    assert_int_equal(st->kind, LH_STMT_QUERY);
    assert_int_equal(st->line, 2);
    assert_int_equal(st->col, 23);
    assert_int_equal(st->len, strlen("SELECT 'a;b' AS \"x;y\", `z;` FROM t"));
    assert_memory_equal(st->text, "SELECT 'a;b' AS \"x;y\", `z;` FROM t", st->len);
    st = lh_script_stmt(s, 1);
    assert_int_equal(st->kind, LH_STMT_QUERY);
    assert_int_equal(st->line, 4);
    assert_int_equal(st->col, 2);
    assert_int_equal(st->len, strlen("SELECT 'it''s'  /* inner ; */ ,  2"));
    assert_memory_equal(st->text, "SELECT 'it''s'  /* inner ; */ ,  2", st->len);
    st = lh_script_stmt(s, 2);
    assert_int_equal(st->kind, LH_STMT_DROP_TABLE);
    assert_int_equal(st->line, 7);
    assert_int_equal(st->col, 1);
    assert_int_equal(st->len, strlen("DROP TABLE IF EXISTS x"));
    assert_string_equal(st->name, "x");
    lh_script_free(s);

    /* empty and comment-only scripts have no statements */
    s = parse_ok("");
    assert_int_equal(lh_script_count(s), 0);
    lh_script_free(s);
    s = parse_ok("  -- nothing\n/* at all */ ; ;");
    assert_int_equal(lh_script_count(s), 0);
    lh_script_free(s);

    /* filename defaults to <sql> */
    {
        lh_err err;
        lh_rc rc = lh_script_parse("ALTER TABLE t", 13, NULL, &s, &err);
        assert_int_equal(rc, LH_EUNSUPPORTED);
        assert_true(strncmp(err.msg, "<sql>:1:1: unsupported statement 'ALTER TABLE'", 46) == 0);
        rc = lh_script_parse("SELECT 1", 8, NULL, &s, NULL); /* err may be NULL */
        assert_int_equal(rc, LH_OK);
        assert_string_equal(lh_script_filename(s), "<sql>");
        lh_script_free(s);
        rc = lh_script_parse("SELECT 'x", 9, NULL, &s, NULL);
        assert_int_equal(rc, LH_EPARSE);
        assert_null(s);
        /* a NUL byte is rejected (values are C strings), but not inside a comment */
        rc = lh_script_parse("SELECT\n 'a\0b'", 14, "n.sql", &s, &err);
        assert_int_equal(rc, LH_EPARSE);
        assert_string_equal(err.msg, "n.sql:2:4: NUL byte in SQL text");
        rc = lh_script_parse("SELECT 1 -- \0\n", 14, "n.sql", &s, &err);
        assert_int_equal(rc, LH_OK);
        assert_int_equal(lh_script_count(s), 1);
        lh_script_free(s);
    }
}

static void assert_defs_equal(const lh_table_def *a, const lh_table_def *b)
{
    size_t i;
#define SEQ(x, y)                        \
    do {                                 \
        if ((x) && (y))                  \
            assert_string_equal((x), (y)); \
        else                             \
            assert_ptr_equal((x), (y));  \
    } while (0)
    SEQ(a->db, b->db);
    SEQ(a->name, b->name);
    SEQ(a->location, b->location);
    SEQ(a->format, b->format);
    SEQ(a->serde, b->serde);
    SEQ(a->input_format, b->input_format);
    SEQ(a->output_format, b->output_format);
    SEQ(a->comment, b->comment);
    assert_int_equal(a->n_cols, b->n_cols);
    for (i = 0; i < a->n_cols; i++) {
        SEQ(a->cols[i].name, b->cols[i].name);
        SEQ(a->cols[i].type, b->cols[i].type);
        SEQ(a->cols[i].comment, b->cols[i].comment);
    }
    assert_int_equal(a->n_serde_props, b->n_serde_props);
    for (i = 0; i < a->n_serde_props; i++) {
        SEQ(a->serde_props[i].key, b->serde_props[i].key);
        SEQ(a->serde_props[i].value, b->serde_props[i].value);
    }
    assert_int_equal(a->n_tbl_props, b->n_tbl_props);
    for (i = 0; i < a->n_tbl_props; i++) {
        SEQ(a->tbl_props[i].key, b->tbl_props[i].key);
        SEQ(a->tbl_props[i].value, b->tbl_props[i].value);
    }
#undef SEQ
}

/* Render def, parse it back, compare; returns the rendered text (caller frees). */
static char *roundtrip(const lh_table_def *def)
{
    char *txt = lh_ddl_render_create(def);
    lh_script *s;
    assert_non_null(txt);
    s = parse_ok(txt);
    assert_int_equal(lh_script_count(s), 1);
    assert_int_equal(lh_script_stmt(s, 0)->kind, LH_STMT_CREATE_EXTERNAL_TABLE);
    assert_defs_equal(def, &lh_script_stmt(s, 0)->def);
    lh_script_free(s);
    return txt;
}

static void test_render_roundtrip(void **state)
{
    lh_script *s;
    const lh_stmt *st;
    char *txt;
    (void)state;
    st = one(CONSOLE, &s);
    txt = roundtrip(&st->def);
    assert_string_equal(txt, "CREATE EXTERNAL TABLE `customer_landing`(\n"
                             "  `customername` string COMMENT 'from deserializer',\n"
                             "  `email` string COMMENT 'from deserializer',\n"
                             "  `registrationdate` bigint COMMENT 'from deserializer',\n"
                             "  `price` decimal(10,2),\n"
                             "  `name` varchar(64))\n"
                             "ROW FORMAT SERDE\n"
                             "  'org.openx.data.jsonserde.JsonSerDe'\n"
                             "WITH SERDEPROPERTIES (\n"
                             "  'case.insensitive'='TRUE',\n"
                             "  'dots.in.keys'='FALSE',\n"
                             "  'ignore.malformed.json'='FALSE',\n"
                             "  'mapping'='TRUE',\n"
                             "  'paths'='customerName,email,registrationDate')\n"
                             "STORED AS INPUTFORMAT\n"
                             "  'org.apache.hadoop.mapred.TextInputFormat'\n"
                             "OUTPUTFORMAT\n"
                             "  'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'\n"
                             "LOCATION\n"
                             "  's3://stedi-lakehouse/customer/landing'\n"
                             "TBLPROPERTIES (\n"
                             "  'classification'='json',\n"
                             "  'has_encrypted_data'='false',\n"
                             "  'transient_lastDdlTime'='1691348231')");
    lh_free(txt);
    lh_script_free(s);

    /* awkward characters in every string and identifier */
    st = one("CREATE EXTERNAL TABLE `d``b`.`tx` (`a b.c` string COMMENT 'q''uo\\\\te \\'x\\' -- /* ;',\n"
             " c int) COMMENT 'tab;le' STORED AS PARQUET LOCATION 's3://b/it''s/' TBLPROPERTIES ('k\\\\'='v''')",
             &s);
    assert_string_equal(st->def.db, "d`b"); /* an existing database is looked up, not checked */
    assert_string_equal(st->def.name, "tx");
    assert_string_equal(st->def.cols[0].name, "a b.c");
    assert_string_equal(st->def.cols[0].comment, "q'uo\\te 'x' -- /* ;");
    assert_string_equal(st->def.location, "s3://b/it's/");
    assert_prop(st->def.tbl_props, st->def.n_tbl_props, 0, "k\\", "v'");
    txt = roundtrip(&st->def);
    lh_free(txt);
    lh_script_free(s);

    /* a name from a catalog older than the name rules still renders quoted */
    {
        lh_column cols[1] = {{"a`b\"c", "string", NULL}};
        lh_table_def d;
        memset(&d, 0, sizeof d);
        d.db = "default";
        d.name = "x\" USING fts4(a); --";
        d.location = "s3://b/x/";
        d.format = "json";
        d.cols = cols;
        d.n_cols = 1;
        txt = lh_ddl_render_create(&d);
        assert_non_null(txt);
        assert_non_null(strstr(txt, "`default`.`x\" USING fts4(a); --`("));
        assert_non_null(strstr(txt, "`a``b\"c` string"));
        lh_free(txt);
    }

    /* a managed table renders its snapshot prefix as LOCATION; missing classes come from format */
    {
        lh_column cols[1] = {{"x", "bigint", NULL}};
        lh_table_def d;
        memset(&d, 0, sizeof d);
        d.db = "stedi";
        d.name = "m";
        d.managed = 1;
        d.location = "s3://b/m/";
        d.snapshot_prefix = "s3://b/m/snap-1/";
        d.format = "parquet";
        d.cols = cols;
        d.n_cols = 1;
        txt = lh_ddl_render_create(&d);
        assert_non_null(txt);
        s = parse_ok(txt);
        st = lh_script_stmt(s, 0);
        assert_string_equal(st->def.location, "s3://b/m/snap-1/");
        assert_string_equal(st->def.serde, PQ_SERDE);
        assert_string_equal(st->def.input_format, PQ_IN);
        assert_string_equal(st->def.output_format, PQ_OUT);
        assert_string_equal(st->def.format, "parquet");
        assert_string_equal(st->def.db, "stedi");
        assert_col(&st->def, 0, "x", "bigint", NULL);
        lh_script_free(s);
        lh_free(txt);
    }
}

static void test_errors(void **state)
{
    (void)state;
    /* names entering the catalog follow Athena's rules, checked at their position */
    parse_err("CREATE EXTERNAL TABLE default.`x\" USING fts4(a); ATTACH DATABASE '../o.db' AS p; --` (a string) "
              "STORED AS JSON LOCATION 's3://b/'",
              LH_EINVAL, "t.sql:1:31: CREATE EXTERNAL TABLE: table name \"x\\x22 using fts4(a); attach database",
              "is not allowed: table names hold only lower-case letters, digits and underscore (Athena's rule); "
              "byte 2 is not one");
    parse_err("CREATE DATABASE `a\"; ATTACH 'x' AS y; --`", LH_EINVAL,
              "t.sql:1:17: CREATE DATABASE: database name \"a\\x22; attach 'x' as y; --\" is not allowed", NULL);
    parse_err("CREATE DATABASE main", LH_EINVAL, "t.sql:1:17: CREATE DATABASE: database name \"main\" is reserved",
              NULL);
    parse_err("CREATE TABLE db.`a-b` AS SELECT 1 AS a", LH_EINVAL, "t.sql:1:17: CREATE TABLE: table name \"a-b\"",
              "is not allowed");
    parse_err("CREATE EXTERNAL TABLE t (`co\"l` string) STORED AS JSON LOCATION 's3://b/'", LH_EINVAL,
              "t.sql:1:26: CREATE EXTERNAL TABLE t: column name \"co\\x22l\" is not allowed: column names cannot hold "
              "quotes",
              NULL);
    parse_err("CREATE EXTERNAL TABLE t (`a\nb` string) STORED AS JSON LOCATION 's3://b/'", LH_EINVAL,
              "t.sql:1:26: CREATE EXTERNAL TABLE t: column name \"a\\x0Ab\" is not allowed", NULL);
    /* missing ')' closing the column list: found at ROW (line 3 col 1) */
    parse_err("CREATE EXTERNAL TABLE t (\n  a string,\n  b int\nROW FORMAT SERDE '" JSON_SERDE "' LOCATION 's3://b/'",
              LH_EPARSE, "t.sql:4:1: CREATE EXTERNAL TABLE t: expected ')' or ',' after column definition, got 'ROW'",
              NULL);
    parse_err("CREATE EXTERNAL TABLE t (a string COMMENT2 'x') STORED AS JSON LOCATION 's3://b/'", LH_EPARSE,
              "t.sql:1:35: CREATE EXTERNAL TABLE t: expected ')' or ',' after column definition, got 'COMMENT2'", NULL);
    /* bad type name: position of the type */
    parse_err("CREATE EXTERNAL TABLE db.t (\n  a strin,\n  b int) STORED AS JSON LOCATION 's3://b/'", LH_EPARSE,
              "t.sql:2:5: CREATE EXTERNAL TABLE db.t: column 'a': unknown type 'strin'", NULL);
    parse_err("CREATE EXTERNAL TABLE t (a decimal(50,2)) STORED AS JSON LOCATION 's3://b/'", LH_EPARSE,
              "t.sql:1:28: CREATE EXTERNAL TABLE t: column 'a': decimal(50,2)", NULL);
    parse_err("CREATE EXTERNAL TABLE t (a decimal(10,2", LH_EPARSE,
              "t.sql:1:40: CREATE EXTERNAL TABLE t: expected ')' or '>' to close the type of column 'a'", NULL);
    parse_err("CREATE EXTERNAL TABLE t (a, b int)", LH_EPARSE,
              "t.sql:1:27: CREATE EXTERNAL TABLE t: expected a type for column 'a', got ','", NULL);
    /* unterminated string / identifier / comment: position of the opening quote */
    parse_err("SELECT 1;\nCREATE EXTERNAL TABLE t (a string COMMENT 'oops)\nLOCATION s3://b/", LH_EPARSE,
              "t.sql:2:43: unterminated string literal", NULL);
    parse_err("SELECT 1;\n  SELECT 'abc", LH_EPARSE, "t.sql:2:10: unterminated string literal", NULL);
    parse_err("SELECT `abc", LH_EPARSE, "t.sql:1:8: unterminated quoted identifier", NULL);
    parse_err("SELECT \"abc\"\"", LH_EPARSE, "t.sql:1:8: unterminated quoted identifier", NULL);
    parse_err("SELECT 1 /* never\n closed", LH_EPARSE, "t.sql:1:10: unterminated /* comment", NULL);
    parse_err("DROP TABLE 'it\\'", LH_EPARSE, "t.sql:1:12: unterminated string literal", NULL);
    /* missing LOCATION: reported where the statement ends */
    parse_err("CREATE EXTERNAL TABLE t (a string)\nSTORED AS JSON;\nSELECT 1", LH_EPARSE,
              "t.sql:2:15: CREATE EXTERNAL TABLE t: expected LOCATION 's3://...', got end of statement", NULL);
    parse_err("CREATE EXTERNAL TABLE t (a string) STORED AS JSON LOCATION '/data/x'", LH_EPARSE,
              "t.sql:1:60: CREATE EXTERNAL TABLE t: LOCATION '/data/x' must be an S3 URI", NULL);
    parse_err("CREATE EXTERNAL TABLE t (a string) STORED AS JSON LOCATION 's3:///x'", LH_EPARSE,
              "t.sql:1:60: CREATE EXTERNAL TABLE t: LOCATION 's3:///x' has no bucket", NULL);
    /* unsupported SerDe / formats */
    parse_err("CREATE EXTERNAL TABLE t (a string)\nROW FORMAT SERDE\n  "
              "'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe'\nLOCATION 's3://b/'",
              LH_EUNSUPPORTED,
              "t.sql:3:3: CREATE EXTERNAL TABLE t: SerDe 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe' is not "
              "supported",
              NULL);
    parse_err("CREATE EXTERNAL TABLE t (a string) STORED AS ORC LOCATION 's3://b/'", LH_EUNSUPPORTED,
              "t.sql:1:46: CREATE EXTERNAL TABLE t: STORED AS ORC is not supported", NULL);
    parse_err("CREATE EXTERNAL TABLE t (a string) STORED AS TEXTFILE LOCATION 's3://b/'", LH_EUNSUPPORTED,
              "t.sql:1:46: CREATE EXTERNAL TABLE t: STORED AS TEXTFILE without a JSON SerDe", NULL);
    parse_err("CREATE EXTERNAL TABLE t (a string) LOCATION 's3://b/'", LH_EUNSUPPORTED,
              "t.sql:1:1: CREATE EXTERNAL TABLE t: no ROW FORMAT SERDE or STORED AS", NULL);
    parse_err("CREATE EXTERNAL TABLE t (a string) ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' LOCATION 's3://b/'",
              LH_EUNSUPPORTED, "t.sql:1:47: CREATE EXTERNAL TABLE t: ROW FORMAT DELIMITED", NULL);
    parse_err("CREATE EXTERNAL TABLE t (a string) STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.orc.OrcInputFormat' "
              "OUTPUTFORMAT 'x' LOCATION 's3://b/'",
              LH_EUNSUPPORTED, "t.sql:1:58: CREATE EXTERNAL TABLE t: INPUTFORMAT 'org.apache.hadoop.hive.ql.io.orc", NULL);
    parse_err("CREATE EXTERNAL TABLE t (a string) ROW FORMAT SERDE '" JSON_SERDE "' STORED AS PARQUET LOCATION 's3://b/'",
              LH_EUNSUPPORTED, "t.sql:1:53: CREATE EXTERNAL TABLE t: SerDe '" JSON_SERDE "' cannot be STORED AS PARQUET",
              NULL);
    parse_err("CREATE EXTERNAL TABLE t (a string)\n  PARTITIONED BY (dt string) STORED AS JSON LOCATION 's3://b/'",
              LH_EUNSUPPORTED, "t.sql:2:3: CREATE EXTERNAL TABLE t: PARTITIONED BY is not supported", NULL);
    parse_err("CREATE EXTERNAL TABLE t (a string) CLUSTERED BY (a) INTO 4 BUCKETS STORED AS JSON LOCATION 's3://b/'",
              LH_EUNSUPPORTED, "t.sql:1:36: CREATE EXTERNAL TABLE t: CLUSTERED BY is not supported", NULL);
    /* other structural errors */
    parse_err("CREATE EXTERNAL TABLE t (a string, A int) STORED AS JSON LOCATION 's3://b/'", LH_EPARSE,
              "t.sql:1:36: CREATE EXTERNAL TABLE t: duplicate column name 'a'", NULL);
    parse_err("CREATE EXTERNAL TABLE t (a string) STORED AS JSON LOCATION 's3://b/' LOCATION 's3://c/'", LH_EPARSE,
              "t.sql:1:70: CREATE EXTERNAL TABLE t: LOCATION given twice", NULL);
    parse_err("CREATE EXTERNAL TABLE t (a string) STORED AS JSON LOCATION 's3://b/' TBLPROPERTIES ('a'='1', 'a'='2')",
              LH_EPARSE, "t.sql:1:94: CREATE EXTERNAL TABLE t: duplicate property 'a'", NULL);
    parse_err("CREATE EXTERNAL TABLE t (a string) STORED AS JSON LOCATION 's3://b/' TBLPROPERTIES ('a'='1' 'b'='2')",
              LH_EPARSE, "t.sql:1:93: CREATE EXTERNAL TABLE t: expected ',' or ')' in TBLPROPERTIES, got 'b'", NULL);
    parse_err("CREATE EXTERNAL TABLE t (a string) STORED AS JSON LOCATION 's3://b/' FOO", LH_EPARSE,
              "t.sql:1:70: CREATE EXTERNAL TABLE t: expected COMMENT, ROW FORMAT, STORED AS, LOCATION or TBLPROPERTIES, "
              "got 'FOO'",
              NULL);
    parse_err("CREATE EXTERNAL TABLE t LOCATION 's3://b/'", LH_EPARSE,
              "t.sql:1:25: CREATE EXTERNAL TABLE t: expected '(' and column definitions after the table name, got "
              "'LOCATION'",
              NULL);
    parse_err("CREATE EXTERNAL TABLE `` (a int)", LH_EPARSE,
              "t.sql:1:23: CREATE EXTERNAL TABLE: expected a table name, got an empty quoted identifier", NULL);
    /* unsupported statements: first two keywords, upper-cased, at the statement start */
    parse_err("SELECT 1;\n\n   alter table t add columns (x int)", LH_EUNSUPPORTED,
              "t.sql:3:4: unsupported statement 'ALTER TABLE'; supported: SELECT/WITH queries, CREATE DATABASE, CREATE "
              "EXTERNAL TABLE, CREATE TABLE AS, DROP TABLE, DROP DATABASE, SHOW DATABASES, SHOW TABLES, SHOW CREATE "
              "TABLE, SHOW COLUMNS, DESCRIBE, USE",
              NULL);
    parse_err("-- load\n  INSERT INTO t SELECT 1", LH_EUNSUPPORTED, "t.sql:2:3: unsupported statement 'INSERT INTO'",
              NULL);
    parse_err("MSCK REPAIR TABLE t", LH_EUNSUPPORTED, "t.sql:1:1: unsupported statement 'MSCK REPAIR'", NULL);
    parse_err("CREATE VIEW v AS SELECT 1", LH_EUNSUPPORTED, "t.sql:1:1: unsupported statement 'CREATE VIEW'", NULL);
    parse_err("use stedi extra", LH_EPARSE, "t.sql:1:11: USE: expected end of statement after USE db", NULL);
    parse_err("use hive.stedi", LH_ENOTFOUND, "t.sql:1:5: USE: catalog 'hive' does not exist", NULL);
    parse_err("UPDATE t SET a = 1", LH_EUNSUPPORTED, "t.sql:1:1: unsupported statement 'UPDATE T'", NULL);
    parse_err("DELETE FROM t", LH_EUNSUPPORTED, "t.sql:1:1: unsupported statement 'DELETE FROM'", NULL);
    parse_err("SHOW PARTITIONS t", LH_EUNSUPPORTED, "t.sql:1:1: unsupported statement 'SHOW PARTITIONS'", NULL);
    parse_err("SHOW CREATE VIEW v", LH_EUNSUPPORTED, "t.sql:1:1: unsupported statement 'SHOW CREATE VIEW'", NULL);
    parse_err("DROP VIEW v", LH_EUNSUPPORTED, "t.sql:1:1: unsupported statement 'DROP VIEW'", NULL);
    parse_err("CREATE EXTERNAL VIEW v", LH_EUNSUPPORTED, "t.sql:1:1: unsupported statement 'CREATE EXTERNAL VIEW'",
              NULL);
    parse_err("; 42", LH_EUNSUPPORTED, "t.sql:1:3: unsupported statement '42'", NULL);
    parse_err("SELECT 1;\nCREATE TABLE t (a int)", LH_EUNSUPPORTED,
              "t.sql:2:1: CREATE TABLE without AS: only EXTERNAL tables and CTAS are supported", NULL);
}

static void test_linecol(void **state)
{
    const char *t = "ab\ncd\n\nx";
    int l = 0, c = 0;
    (void)state;
    lh_text_linecol(t, 0, &l, &c);
    assert_int_equal(l, 1);
    assert_int_equal(c, 1);
    lh_text_linecol(t, 2, &l, &c);
    assert_int_equal(l, 1);
    assert_int_equal(c, 3);
    lh_text_linecol(t, 3, &l, &c);
    assert_int_equal(l, 2);
    assert_int_equal(c, 1);
    lh_text_linecol(t, 7, &l, &c);
    assert_int_equal(l, 4);
    assert_int_equal(c, 1);
    lh_text_linecol(t, 4, NULL, &c); /* either output may be NULL */
    assert_int_equal(c, 2);
}

static void test_lexer(void **state)
{
    static const char src[] = "a1_$ `q``x` \"d\"\"y\" 'it''s' 1.5e3 .5 <>";
    lh_lexer lx;
    lh_token t;
    lh_err err;
    char *v;
    (void)state;
    lh_lex_init(&lx, src, strlen(src), NULL);
    assert_int_equal(lh_lex_next(&lx, &t, &err), LH_OK);
    assert_int_equal(t.kind, LH_TOK_WORD);
    assert_int_equal(t.len, 4);
    assert_true(lh_tok_is(src, &t, "A1_$"));
    assert_int_equal(lh_lex_next(&lx, &t, &err), LH_OK);
    assert_int_equal(t.kind, LH_TOK_QIDENT);
    v = lh_tok_value(src, &t);
    assert_string_equal(v, "q`x");
    lh_free(v);
    assert_int_equal(lh_lex_next(&lx, &t, &err), LH_OK);
    v = lh_tok_value(src, &t);
    assert_string_equal(v, "d\"y");
    lh_free(v);
    assert_int_equal(lh_lex_next(&lx, &t, &err), LH_OK);
    assert_int_equal(t.kind, LH_TOK_STRING);
    v = lh_tok_value(src, &t);
    assert_string_equal(v, "it's");
    lh_free(v);
    assert_int_equal(lh_lex_next(&lx, &t, &err), LH_OK);
    assert_int_equal(t.kind, LH_TOK_NUMBER);
    assert_int_equal(t.len, 5);
    assert_int_equal(lh_lex_next(&lx, &t, &err), LH_OK);
    assert_int_equal(t.kind, LH_TOK_NUMBER);
    assert_int_equal(t.len, 2);
    assert_int_equal(lh_lex_next(&lx, &t, &err), LH_OK);
    assert_true(lh_tok_punct(src, &t, '<'));
    assert_int_equal(t.col, 37);
    assert_int_equal(lh_lex_next(&lx, &t, &err), LH_OK);
    assert_true(lh_tok_punct(src, &t, '>'));
    assert_int_equal(lh_lex_next(&lx, &t, &err), LH_OK);
    assert_int_equal(t.kind, LH_TOK_EOF);
    assert_int_equal(t.off, strlen(src));
    /* EOF is sticky */
    assert_int_equal(lh_lex_next(&lx, &t, &err), LH_OK);
    assert_int_equal(t.kind, LH_TOK_EOF);
}

/* Truncating the console script at every byte never crashes and either
 * parses or fails with a positioned parse/unsupported error. */
static void test_every_prefix(void **state)
{
    size_t n = strlen(CONSOLE), i, ok = 0;
    (void)state;
    for (i = 0; i <= n; i++) {
        char *buf = malloc(i + 1); /* exact-size copy so ASan sees overreads */
        lh_script *s = (lh_script *)1;
        lh_err err;
        lh_rc rc;
        assert_non_null(buf);
        memcpy(buf, CONSOLE, i);
        lh_err_clear(&err);
        rc = lh_script_parse(buf, i, "p.sql", &s, &err);
        if (rc == LH_OK) {
            assert_non_null(s);
            ok++;
            lh_script_free(s);
        } else {
            assert_true(rc == LH_EPARSE || rc == LH_EUNSUPPORTED);
            assert_null(s);
            assert_true(strncmp(err.msg, "p.sql:", 6) == 0);
        }
        free(buf);
    }
    /* empty/whitespace prefixes, a bare "CREATE EXTERNAL TABLE ...LOCATION '...'" prefix and the full script */
    assert_true(ok >= 3);
}

static void test_alloc_failures(void **state)
{
    static const char script[] = "CREATE DATABASE IF NOT EXISTS stedi COMMENT 'c' WITH DBPROPERTIES ('a'='b');\n"
                                 "CREATE TABLE t WITH (format='JSON', x = ARRAY['a']) AS SELECT 1 WITH NO DATA;\n"
                                 "SHOW TABLES IN stedi LIKE 'x'; DESCRIBE stedi.t; SELECT 1;\n"
                                 "CREATE EXTERNAL TABLE t (a string) STORED AS PARQUET LOCATION 's3a://b/x';\n";
    long n;
    int done = 0;
    (void)state;
    for (n = 1; !done; n++) {
        lh_buf all;
        char *txt = NULL;
        lh_script *s = (lh_script *)1;
        lh_err err;
        lh_rc rc;
        lh_buf_init(&all, 0);
        lh_fault_alloc_set(n);
        rc = lh_buf_puts(&all, script, NULL);
        if (!rc)
            rc = lh_buf_puts(&all, CONSOLE, NULL);
        if (!rc)
            rc = lh_script_parse(all.data, all.len, "f.sql", &s, &err);
        else
            s = NULL;
        if (!rc) {
            txt = lh_ddl_render_create(&lh_script_stmt(s, lh_script_count(s) - 1)->def);
            if (!txt) {
                rc = LH_ENOMEM;
                lh_script_free(s);
                s = NULL;
            }
        }
        lh_fault_alloc_set(0);
        if (rc) {
            assert_int_equal(rc, LH_ENOMEM);
            assert_null(s);
        } else {
            assert_int_equal(lh_script_count(s), 7);
            check_console_def(&lh_script_stmt(s, 6)->def);
            done = 1;
        }
        lh_free(txt);
        if (s && s != (lh_script *)1)
            lh_script_free(s);
        lh_buf_free(&all);
        assert_true(n < 100000);
    }
    assert_true(n > 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_console_create_external),
        cmocka_unit_test(test_external_variants),
        cmocka_unit_test(test_ctas),
        cmocka_unit_test(test_database_statements),
        cmocka_unit_test(test_drop_show_describe),
        cmocka_unit_test(test_queries),
        cmocka_unit_test(test_script_split),
        cmocka_unit_test(test_render_roundtrip),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_linecol),
        cmocka_unit_test(test_lexer),
        cmocka_unit_test(test_every_prefix),
        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
