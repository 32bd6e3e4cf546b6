/* sql/ddl.h — splits a SQL script into statements and parses the Athena
 * DDL and CTAS forms the engine executes itself.
 *
 * The lexer knows '…' strings (with '' escapes), "…" and `…` quoted
 * identifiers, -- and / * * / comments, so ';' inside any of them does not
 * split.  Every statement carries its 1-based line and column in the
 * script.  Statements that are queries (SELECT, WITH, VALUES, EXPLAIN,
 * and parenthesised queries) are classified LH_STMT_QUERY and left for
 * the query engine (sql/query.c); every other statement this module does not support is an
 * LH_EUNSUPPORTED error naming it and its line and column, e.g.
 *   "jobs/x.sql:4:1: unsupported statement 'ALTER TABLE'; supported: ...".
 * Nothing is ever skipped silently.
 *
 * Supported forms (keywords case-insensitive, identifiers may be bare,
 * `backtick` or "double" quoted, and are folded to lower case as Hive does):
 *   CREATE (DATABASE|SCHEMA) [IF NOT EXISTS] name [COMMENT '…']
 *        [LOCATION '…'] [WITH DBPROPERTIES (…)]
 *   DROP (DATABASE|SCHEMA) [IF EXISTS] name [RESTRICT|CASCADE]
 *   CREATE EXTERNAL TABLE [IF NOT EXISTS] [db.]name (col type [COMMENT '…'], …)
 *        [COMMENT '…'] [PARTITIONED BY (…)-> unsupported error]
 *        [ROW FORMAT SERDE '…' [WITH SERDEPROPERTIES ('k'='v', …)]]
 *        [STORED AS (INPUTFORMAT '…' OUTPUTFORMAT '…' | PARQUET | TEXTFILE | JSON)]
 *        LOCATION '…' [TBLPROPERTIES ('k'='v', …)]
 *   CREATE TABLE [IF NOT EXISTS] [db.]name [WITH (k = v, …)] AS <query> [WITH [NO] DATA]
 *   DROP TABLE [IF EXISTS] [db.]name
 *   SHOW DATABASES|SCHEMAS [LIKE '…'];  SHOW TABLES [IN db] [LIKE '…']
 *   DESCRIBE|DESC [FORMATTED|EXTENDED] [db.]name
 *   SHOW CREATE TABLE [db.]name
 *   SHOW COLUMNS (IN|FROM) [db.]name
 *   SHOW FUNCTIONS [LIKE '…']   (a SQL LIKE pattern, as Trino's)
 *
 * Ownership: lh_script owns its statements; every pointer a statement
 * holds (including text spans into the script copy) lives until
 * lh_script_free.  The source text is copied.
 */
#ifndef LH_SQL_DDL_H
#define LH_SQL_DDL_H

#include <stddef.h>

#include "catalog/catalog.h"
#include "util/err.h"

typedef enum lh_stmt_kind {
    LH_STMT_QUERY = 1,        /* a query: text/len is the statement (sql/query.c parses it) */
    LH_STMT_CREATE_DATABASE,
    LH_STMT_DROP_DATABASE,
    LH_STMT_CREATE_EXTERNAL_TABLE,
    LH_STMT_CTAS,
    LH_STMT_DROP_TABLE,
    LH_STMT_SHOW_DATABASES,
    LH_STMT_SHOW_TABLES,
    LH_STMT_DESCRIBE,
    LH_STMT_SHOW_CREATE_TABLE,
    LH_STMT_SHOW_COLUMNS,
    LH_STMT_SHOW_FUNCTIONS,
    LH_STMT_USE               /* USE db (also USE awsdatacatalog.db): name is the database */
} lh_stmt_kind;

typedef struct lh_stmt {
    lh_stmt_kind kind;
    int line, col;     /* where the statement starts in the script */
    const char *text;  /* the statement, without the trailing ';' */
    size_t len;
    int if_not_exists; /* CREATE ... IF NOT EXISTS */
    int if_exists;     /* DROP ... IF EXISTS */
    char *db;          /* qualifier or NULL when not given; lower-case */
    char *name;        /* database or table name; lower-case; NULL for SHOW DATABASES */
    char *like;        /* SHOW ... LIKE pattern or NULL */
    char *comment;     /* database comment, or NULL */
    /* CREATE EXTERNAL TABLE: def.db is NULL when unqualified; def.format is
     * "json" or "parquet", derived from the SerDe / STORED AS / formats. */
    lh_table_def def;
    /* CTAS: the WITH (...) properties, keys lower-case, values unquoted */
    lh_prop *with_props;
    size_t n_with;
    const char *query; /* the AS query text (span into the script) */
    size_t query_len;
    int query_line, query_col;
    int with_no_data;
    int cascade;   /* DROP DATABASE ... CASCADE */
    int formatted; /* DESCRIBE FORMATTED|EXTENDED */
} lh_stmt;

typedef struct lh_script lh_script;

/* Parse src (len bytes).  filename is used in messages (may be NULL:
 * "<sql>").  On failure *out is NULL and err names file:line:col, the
 * statement, and what was expected. */
lh_rc lh_script_parse(const char *src, size_t len, const char *filename, lh_script **out, lh_err *err) LH_MUST_CHECK;
size_t lh_script_count(const lh_script *s);
const lh_stmt *lh_script_stmt(const lh_script *s, size_t i);
const char *lh_script_filename(const lh_script *s);
void lh_script_free(lh_script *s);

/* Render a table definition as Athena's SHOW CREATE TABLE prints it
 * (CREATE EXTERNAL TABLE `db`.`name`( `col` type COMMENT '…', …) ROW FORMAT
 * SERDE … WITH SERDEPROPERTIES (…) STORED AS INPUTFORMAT … OUTPUTFORMAT …
 * LOCATION '…' TBLPROPERTIES (…)).  The output parses back to the same
 * definition.  For a managed table LOCATION is the current snapshot's
 * prefix.  Caller frees with lh_free. */
char *lh_ddl_render_create(const lh_table_def *def);

/* The 1-based line and column of byte offset off within text. */
void lh_text_linecol(const char *text, size_t off, int *line, int *col);

#endif
