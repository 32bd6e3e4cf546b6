/* sql/ddl.c — script splitting and the Athena DDL / CTAS parser.
 *
 * The script is lexed statement by statement (sql/lexer.c); each
 * statement's tokens, plus its terminator (';' or end of input) at t[n],
 * go to a small recursive-descent parser.  Hive DDL statements (CREATE
 * EXTERNAL TABLE, CREATE DATABASE, DROP, SHOW, DESCRIBE) are lexed with
 * Hive's backslash escapes in string literals; queries and CTAS are not,
 * because SQLite and Trino treat a backslash as an ordinary character.
 */
#include "sql/ddl.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "sql/lexer.h"
#include "util/mem.h"
#include "util/names.h"
#include "util/types.h"

#define SERDE_OPENX "org.openx.data.jsonserde.JsonSerDe"
#define SERDE_HCAT "org.apache.hive.hcatalog.data.JsonSerDe"
#define SERDE_HIVE_JSON "org.apache.hadoop.hive.serde2.JsonSerDe"
#define SERDE_PARQUET "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
#define IN_TEXT "org.apache.hadoop.mapred.TextInputFormat"
#define OUT_TEXT "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"
#define IN_PARQUET "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
#define OUT_PARQUET "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"

#define SUPPORTED_LIST                                                                                         \
    "SELECT/WITH queries, CREATE DATABASE, CREATE EXTERNAL TABLE, CREATE TABLE AS, DROP TABLE, DROP DATABASE, " \
    "SHOW DATABASES, SHOW TABLES, SHOW CREATE TABLE, SHOW COLUMNS, DESCRIBE, USE"

struct lh_script {
    char *src; /* NUL-terminated copy of the script */
    size_t len;
    char *file;
    lh_stmt *stmts;
    size_t n, cap;
};

typedef struct parser {
    const char *src;
    const char *file;
    const lh_token *t; /* statement tokens; t[n] is the terminator */
    size_t n, i;
    lh_stmt *st;
    lh_err *err;
    char what[192]; /* statement named in messages */
} parser;

/* ------------------------------------------------------------------ */
/* helpers                                                             */

void lh_text_linecol(const char *text, size_t off, int *line, int *col)
{
    size_t i, ls = 0;
    int l = 1;
    for (i = 0; text && i < off; i++)
        if (text[i] == '\n') {
            l++;
            ls = i + 1;
        }
    if (line)
        *line = l;
    if (col)
        *col = (int)(off - ls) + 1;
}

static void lower(char *s)
{
    for (; s && *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

/* Make room for one more element of size el in *arr (count n, capacity *cap). */
static lh_rc grow(void **arr, size_t *cap, size_t n, size_t el, lh_err *err)
{
    size_t nc;
    void *p;
    if (n < *cap)
        return LH_OK;
    nc = *cap ? *cap * 2 : 8;
    p = lh_realloc(*arr, nc * el);
    if (!p)
        return lh_errf(err, LH_ENOMEM, "out of memory parsing SQL");
    memset((char *)p + *cap * el, 0, (nc - *cap) * el);
    *arr = p;
    *cap = nc;
    return LH_OK;
}

static void props_free(lh_prop *p, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        lh_free(p[i].key);
        lh_free(p[i].value);
    }
    lh_free(p);
}

/* Frees exactly the lh_table_def fields this module sets. */
static void def_free(lh_table_def *d)
{
    size_t i;
    lh_free(d->db);
    lh_free(d->name);
    lh_free(d->location);
    lh_free(d->format);
    lh_free(d->serde);
    lh_free(d->input_format);
    lh_free(d->output_format);
    lh_free(d->comment);
    props_free(d->serde_props, d->n_serde_props);
    props_free(d->tbl_props, d->n_tbl_props);
    for (i = 0; i < d->n_cols; i++) {
        lh_free(d->cols[i].name);
        lh_free(d->cols[i].type);
        lh_free(d->cols[i].comment);
    }
    lh_free(d->cols);
    memset(d, 0, sizeof *d);
}

static void stmt_free(lh_stmt *st)
{
    lh_free(st->db);
    lh_free(st->name);
    lh_free(st->like);
    lh_free(st->comment);
    def_free(&st->def);
    props_free(st->with_props, st->n_with);
}

/* ------------------------------------------------------------------ */
/* parser primitives                                                   */

static const lh_token *cur(const parser *p) { return &p->t[p->i]; }
static int at_end(const parser *p) { return p->i >= p->n; }
static void next(parser *p)
{
    if (p->i < p->n)
        p->i++;
}

static void tokdesc(const parser *p, const lh_token *t, char *buf, size_t bufsz)
{
    size_t idx = (size_t)(t - p->t);
    int n = (int)(t->len > 40 ? 40 : t->len);
    const char *dots = t->len > 40 ? "..." : "";
    if (idx >= p->n)
        snprintf(buf, bufsz, "end of statement");
    else if (t->kind == LH_TOK_STRING)
        snprintf(buf, bufsz, "%.*s%s", n, p->src + t->off, dots);
    else
        snprintf(buf, bufsz, "'%.*s%s'", n, p->src + t->off, dots);
}

static lh_rc perr(parser *p, const lh_token *t, lh_rc code, const char *fmt, ...) LH_PRINTF(4, 5);
static lh_rc perr(parser *p, const lh_token *t, lh_rc code, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (p->what[0])
        return lh_errf(p->err, code, "%s:%d:%d: %s: %s", p->file, t->line, t->col, p->what, msg);
    return lh_errf(p->err, code, "%s:%d:%d: %s", p->file, t->line, t->col, msg);
}

/* "expected X, got Y" at the current token. */
static lh_rc expected(parser *p, const char *what)
{
    char got[64];
    tokdesc(p, cur(p), got, sizeof got);
    return perr(p, cur(p), LH_EPARSE, "expected %s, got %s", what, got);
}

static lh_rc oom(parser *p) { return lh_errf(p->err, LH_ENOMEM, "out of memory parsing SQL"); }

static int is_kw(const parser *p, const char *kw) { return !at_end(p) && lh_tok_is(p->src, cur(p), kw); }
static int is_punct(const parser *p, char c) { return !at_end(p) && lh_tok_punct(p->src, cur(p), c); }

static int accept_kw(parser *p, const char *kw)
{
    if (!is_kw(p, kw))
        return 0;
    next(p);
    return 1;
}

static int accept_punct(parser *p, char c)
{
    if (!is_punct(p, c))
        return 0;
    next(p);
    return 1;
}

static lh_rc expect_kw(parser *p, const char *kw, const char *what)
{
    if (accept_kw(p, kw))
        return LH_OK;
    return expected(p, what);
}

static lh_rc expect_punct(parser *p, char c, const char *what)
{
    if (accept_punct(p, c))
        return LH_OK;
    return expected(p, what);
}

static lh_rc expect_end(parser *p)
{
    if (at_end(p))
        return LH_OK;
    return expected(p, "end of statement");
}

/* An identifier (bare, `quoted` or "quoted"), folded to lower case. */
static lh_rc parse_ident(parser *p, char **out, const char *what)
{
    const lh_token *t = cur(p);
    char *v;
    if (at_end(p) || (t->kind != LH_TOK_WORD && t->kind != LH_TOK_QIDENT))
        return expected(p, what);
    if (t->kind == LH_TOK_QIDENT && t->len <= 2)
        return perr(p, t, LH_EPARSE, "expected %s, got an empty quoted identifier", what);
    v = lh_tok_value(p->src, t);
    if (!v)
        return oom(p);
    lower(v);
    *out = v;
    next(p);
    return LH_OK;
}

/* A name that is about to enter the catalog: checked against Athena's
 * rules (util/names.h) at its own position.  kind: "database", "table" or
 * "column". */
static lh_rc check_new_name(parser *p, const lh_token *t, const char *kind, const char *name)
{
    lh_err e;
    lh_rc rc = strcmp(kind, "column") ? lh_name_check_object(kind, name, &e) : lh_name_check_column(name, &e);
    if (rc)
        return perr(p, t, rc, "%s", e.msg);
    return LH_OK;
}

/* parse_ident for a name being created. */
static lh_rc parse_new_ident(parser *p, char **out, const char *what, const char *kind)
{
    const lh_token *t = cur(p);
    lh_rc rc = parse_ident(p, out, what);
    if (!rc)
        rc = check_new_name(p, t, kind, *out);
    return rc;
}

/* [db.]name of a table being created: the table name is checked; the
 * database must exist already, so it is looked up, not checked. */
static lh_rc parse_new_qname(parser *p, char **db, char **name, const char *what)
{
    const lh_token *t = cur(p);
    lh_rc rc = parse_ident(p, name, what);
    if (rc)
        return rc;
    if (accept_punct(p, '.')) {
        *db = *name;
        *name = NULL;
        t = cur(p);
        rc = parse_ident(p, name, "a table name after '.'");
    }
    if (!rc)
        rc = check_new_name(p, t, "table", *name);
    return rc;
}

/* [db.]name */
static lh_rc parse_qname(parser *p, char **db, char **name, const char *what)
{
    lh_rc rc = parse_ident(p, name, what);
    if (rc)
        return rc;
    if (accept_punct(p, '.')) {
        *db = *name;
        *name = NULL;
        rc = parse_ident(p, name, "a table name after '.'");
    }
    return rc;
}

static lh_rc parse_string(parser *p, char **out, const char *what)
{
    char *v;
    if (at_end(p) || cur(p)->kind != LH_TOK_STRING)
        return expected(p, what);
    v = lh_tok_value(p->src, cur(p));
    if (!v)
        return oom(p);
    lh_free(*out); /* a repeated clause is rejected before; this only guards */
    *out = v;
    next(p);
    return LH_OK;
}

/* Append (key, value) unless key is already present; takes ownership. */
static lh_rc prop_add(parser *p, const lh_token *at, lh_prop **props, size_t *n, size_t *cap, char *key, char *value)
{
    size_t i;
    lh_rc rc = LH_OK;
    for (i = 0; i < *n; i++)
        if (strcmp((*props)[i].key, key) == 0) {
            rc = perr(p, at, LH_EPARSE, "duplicate property '%s'", key);
            goto out;
        }
    rc = grow((void **)props, cap, *n, sizeof **props, p->err);
    if (rc)
        goto out;
    (*props)[*n].key = key;
    (*props)[*n].value = value;
    (*n)++;
    return LH_OK;
out:
    lh_free(key);
    lh_free(value);
    return rc;
}

/* ('k'='v', ...) as in SERDEPROPERTIES / TBLPROPERTIES / DBPROPERTIES. */
static lh_rc parse_props(parser *p, const char *clause, lh_prop **props, size_t *n)
{
    size_t cap = *n;
    char ctx[96];
    lh_rc rc;
    snprintf(ctx, sizeof ctx, "'(' after %s", clause);
    rc = expect_punct(p, '(', ctx);
    if (rc)
        return rc;
    for (;;) {
        char *k = NULL, *v = NULL;
        const lh_token *kt = cur(p);
        rc = parse_string(p, &k, "a quoted property key ('key'='value')");
        if (!rc)
            rc = expect_punct(p, '=', "'=' after property key");
        if (!rc)
            rc = parse_string(p, &v, "a quoted property value ('key'='value')");
        if (rc) {
            lh_free(k);
            lh_free(v);
            return rc;
        }
        rc = prop_add(p, kt, props, n, &cap, k, v);
        if (rc)
            return rc;
        if (accept_punct(p, ','))
            continue;
        snprintf(ctx, sizeof ctx, "',' or ')' in %s", clause);
        return expect_punct(p, ')', ctx);
    }
}

/* ------------------------------------------------------------------ */
/* CREATE EXTERNAL TABLE                                               */

static lh_rc parse_type(parser *p, const char *col, char **out)
{
    const lh_token *t0 = cur(p);
    char text[256], name[64];
    size_t tl = 0;
    int depth = 0;
    lh_type ty;
    lh_err terr;
    lh_rc rc;
    if (at_end(p) || t0->kind != LH_TOK_WORD) {
        char what[160];
        snprintf(what, sizeof what, "a type for column '%s'", col);
        return expected(p, what);
    }
    do {
        const lh_token *t = cur(p);
        if (at_end(p))
            return perr(p, t, LH_EPARSE, "expected ')' or '>' to close the type of column '%s', got end of statement",
                        col);
        if (lh_tok_punct(p->src, t, '(') || lh_tok_punct(p->src, t, '<'))
            depth++;
        else if (lh_tok_punct(p->src, t, ')') || lh_tok_punct(p->src, t, '>'))
            depth--;
        if (tl + t->len + 1 >= sizeof text)
            return perr(p, t0, LH_EPARSE, "type of column '%s' is too long", col);
        memcpy(text + tl, p->src + t->off, t->len);
        tl += t->len;
        next(p);
    } while (depth > 0 || (tl == t0->len && (is_punct(p, '(') || is_punct(p, '<'))));
    text[tl] = 0;
    lh_err_clear(&terr);
    rc = lh_type_parse(text, tl, &ty, &terr);
    if (rc)
        return perr(p, t0, rc, "column '%s': %s", col, terr.msg);
    *out = lh_strdup(lh_type_name(&ty, name, sizeof name));
    return *out ? LH_OK : oom(p);
}

static lh_rc parse_columns(parser *p, lh_table_def *d)
{
    size_t cap = 0, i;
    lh_rc rc = expect_punct(p, '(', "'(' and column definitions after the table name");
    if (rc)
        return rc;
    for (;;) {
        const lh_token *nt = cur(p);
        lh_column *c;
        rc = grow((void **)&d->cols, &cap, d->n_cols, sizeof *d->cols, p->err);
        if (rc)
            return rc;
        c = &d->cols[d->n_cols];
        if (d->n_cols == LH_MAX_COLUMNS)
            return perr(p, nt, LH_ELIMIT, "more than %d columns; a table holds at most %d", LH_MAX_COLUMNS,
                        LH_MAX_COLUMNS);
        rc = parse_ident(p, &c->name, "a column name");
        if (rc)
            return rc;
        d->n_cols++; /* owned by d from here on */
        rc = check_new_name(p, nt, "column", c->name);
        if (rc)
            return rc;
        for (i = 0; i + 1 < d->n_cols; i++)
            if (strcmp(d->cols[i].name, c->name) == 0)
                return perr(p, nt, LH_EPARSE, "duplicate column name '%s'", c->name);
        if (is_kw(p, "PRIMARY") || is_kw(p, "CONSTRAINT") || is_kw(p, "FOREIGN"))
            return perr(p, nt, LH_EUNSUPPORTED, "table constraints are not supported");
        rc = parse_type(p, c->name, &c->type);
        if (rc)
            return rc;
        if (accept_kw(p, "COMMENT")) {
            rc = parse_string(p, &c->comment, "a quoted comment after COMMENT");
            if (rc)
                return rc;
        }
        if (accept_punct(p, ','))
            continue;
        return expect_punct(p, ')', "')' or ',' after column definition");
    }
}

static int is_json_serde(const char *s)
{
    return s && (!strcmp(s, SERDE_OPENX) || !strcmp(s, SERDE_HCAT) || !strcmp(s, SERDE_HIVE_JSON));
}

static lh_rc set_str(parser *p, char **dst, const char *v)
{
    if (*dst)
        return LH_OK;
    *dst = lh_strdup(v);
    return *dst ? LH_OK : oom(p);
}

/* Decide def->format from the SerDe and STORED AS clause, filling the
 * classes Athena would print. */
static lh_rc derive_format(parser *p, lh_table_def *d, const lh_token *serde_t, const lh_token *stored_t,
                           const lh_token *in_t)
{
    const char *fmt = NULL;
    char word[32];
    lh_rc rc;
    if (d->serde && !is_json_serde(d->serde) && strcmp(d->serde, SERDE_PARQUET) != 0)
        return perr(p, serde_t, LH_EUNSUPPORTED,
                    "SerDe '%s' is not supported; supported: JSON (" SERDE_OPENX ", " SERDE_HCAT ") and Parquet (" SERDE_PARQUET
                    ")",
                    d->serde);
    if (stored_t && !in_t) { /* STORED AS <word> */
        snprintf(word, sizeof word, "%.*s", (int)(stored_t->len < 31 ? stored_t->len : 31), p->src + stored_t->off);
        if (lh_tok_is(p->src, stored_t, "PARQUET")) {
            if (d->serde && is_json_serde(d->serde))
                return perr(p, serde_t, LH_EUNSUPPORTED, "SerDe '%s' cannot be STORED AS PARQUET", d->serde);
            rc = set_str(p, &d->serde, SERDE_PARQUET);
            if (!rc)
                rc = set_str(p, &d->input_format, IN_PARQUET);
            if (!rc)
                rc = set_str(p, &d->output_format, OUT_PARQUET);
            if (rc)
                return rc;
            fmt = "parquet";
        } else if (lh_tok_is(p->src, stored_t, "TEXTFILE") || lh_tok_is(p->src, stored_t, "JSON") ||
                   lh_tok_is(p->src, stored_t, "JSONFILE")) {
            if (!d->serde && lh_tok_is(p->src, stored_t, "TEXTFILE"))
                return perr(p, stored_t, LH_EUNSUPPORTED,
                            "STORED AS TEXTFILE without a JSON SerDe is delimited text (LazySimpleSerDe), which is "
                            "not supported; add ROW FORMAT SERDE '" SERDE_OPENX "'");
            if (d->serde && !is_json_serde(d->serde))
                return perr(p, serde_t, LH_EUNSUPPORTED, "SerDe '%s' cannot be STORED AS %s", d->serde, word);
            rc = set_str(p, &d->serde, SERDE_OPENX);
            if (!rc)
                rc = set_str(p, &d->input_format, IN_TEXT);
            if (!rc)
                rc = set_str(p, &d->output_format, OUT_TEXT);
            if (rc)
                return rc;
            fmt = "json";
        } else {
            return perr(p, stored_t, LH_EUNSUPPORTED,
                        "STORED AS %s is not supported; supported: STORED AS PARQUET, or JSON text (ROW FORMAT SERDE "
                        "'" SERDE_OPENX "')",
                        word);
        }
    } else if (in_t) { /* STORED AS INPUTFORMAT ... OUTPUTFORMAT ... */
        if (!strcmp(d->input_format, IN_PARQUET)) {
            if (d->serde && is_json_serde(d->serde))
                return perr(p, serde_t, LH_EUNSUPPORTED, "SerDe '%s' cannot read INPUTFORMAT '%s'", d->serde,
                            d->input_format);
            rc = set_str(p, &d->serde, SERDE_PARQUET);
            if (rc)
                return rc;
            fmt = "parquet";
        } else if (!strcmp(d->input_format, IN_TEXT)) {
            if (!d->serde)
                return perr(p, in_t, LH_EUNSUPPORTED,
                            "INPUTFORMAT '%s' without a JSON SerDe is delimited text (LazySimpleSerDe), which is "
                            "not supported; add ROW FORMAT SERDE '" SERDE_OPENX "'",
                            d->input_format);
            if (!is_json_serde(d->serde))
                return perr(p, serde_t, LH_EUNSUPPORTED, "SerDe '%s' cannot read INPUTFORMAT '%s'", d->serde,
                            d->input_format);
            fmt = "json";
        } else {
            return perr(p, in_t, LH_EUNSUPPORTED,
                        "INPUTFORMAT '%s' is not supported; supported: '" IN_TEXT "' (JSON) and '" IN_PARQUET "'",
                        d->input_format);
        }
    } else if (d->serde) {
        int pq = !strcmp(d->serde, SERDE_PARQUET);
        rc = set_str(p, &d->input_format, pq ? IN_PARQUET : IN_TEXT);
        if (!rc)
            rc = set_str(p, &d->output_format, pq ? OUT_PARQUET : OUT_TEXT);
        if (rc)
            return rc;
        fmt = pq ? "parquet" : "json";
    } else {
        return perr(p, &p->t[0], LH_EUNSUPPORTED,
                    "no ROW FORMAT SERDE or STORED AS: the default is delimited text (LazySimpleSerDe), which is not "
                    "supported; use ROW FORMAT SERDE '" SERDE_OPENX "' or STORED AS PARQUET");
    }
    d->format = lh_strdup(fmt);
    return d->format ? LH_OK : oom(p);
}

/* Validate and normalize an s3:// (or s3a://) location in place. */
static lh_rc check_location(parser *p, const lh_token *t, char **loc)
{
    char *v = *loc, *nv;
    if (strncasecmp(v, "s3a://", 6) == 0) {
        nv = lh_aprintf("s3://%s", v + 6);
        if (!nv)
            return oom(p);
        lh_free(v);
        *loc = v = nv;
    } else if (strncasecmp(v, "s3://", 5) == 0) {
        memcpy(v, "s3://", 5);
    } else {
        return perr(p, t, LH_EPARSE, "LOCATION '%s' must be an S3 URI like 's3://bucket/prefix/'", v);
    }
    if (v[5] == 0 || v[5] == '/')
        return perr(p, t, LH_EPARSE, "LOCATION '%s' has no bucket; expected 's3://bucket/prefix/'", v);
    return LH_OK;
}

static lh_rc dup_clause(parser *p, const lh_token *t, const char *clause)
{
    return perr(p, t, LH_EPARSE, "%s given twice", clause);
}

static lh_rc parse_create_external(parser *p)
{
    lh_table_def *d = &p->st->def;
    const lh_token *serde_t = NULL, *stored_t = NULL, *in_t = NULL, *loc_t = NULL, *cm_t = NULL, *tp_t = NULL;
    lh_rc rc;
    p->st->kind = LH_STMT_CREATE_EXTERNAL_TABLE;
    snprintf(p->what, sizeof p->what, "CREATE EXTERNAL TABLE");
    next(p); /* CREATE */
    next(p); /* EXTERNAL */
    rc = expect_kw(p, "TABLE", "TABLE after CREATE EXTERNAL");
    if (rc)
        return rc;
    if (accept_kw(p, "IF")) {
        rc = expect_kw(p, "NOT", "NOT after IF");
        if (!rc)
            rc = expect_kw(p, "EXISTS", "EXISTS after IF NOT");
        if (rc)
            return rc;
        p->st->if_not_exists = 1;
    }
    rc = parse_new_qname(p, &d->db, &d->name, "a table name");
    if (rc)
        return rc;
    snprintf(p->what, sizeof p->what, "CREATE EXTERNAL TABLE %s%s%s", d->db ? d->db : "", d->db ? "." : "", d->name);
    rc = parse_columns(p, d);
    if (rc)
        return rc;
    while (!at_end(p)) {
        const lh_token *t = cur(p);
        if (accept_kw(p, "COMMENT")) {
            if (cm_t)
                return dup_clause(p, t, "COMMENT");
            cm_t = t;
            rc = parse_string(p, &d->comment, "a quoted comment after COMMENT");
        } else if (is_kw(p, "PARTITIONED") || is_kw(p, "CLUSTERED") || is_kw(p, "SKEWED") ||
                   (is_kw(p, "STORED") && p->i + 1 < p->n && lh_tok_is(p->src, t + 1, "BY"))) {
            return perr(p, t, LH_EUNSUPPORTED,
                        "%.*s BY is not supported: tables are unpartitioned, unbucketed folders of JSON or Parquet "
                        "files",
                        (int)t->len, p->src + t->off);
        } else if (accept_kw(p, "ROW")) {
            rc = expect_kw(p, "FORMAT", "FORMAT after ROW");
            if (rc)
                return rc;
            if (is_kw(p, "DELIMITED"))
                return perr(p, cur(p), LH_EUNSUPPORTED,
                            "ROW FORMAT DELIMITED (LazySimpleSerDe delimited text) is not supported; use ROW FORMAT "
                            "SERDE '" SERDE_OPENX "' or STORED AS PARQUET");
            rc = expect_kw(p, "SERDE", "SERDE or DELIMITED after ROW FORMAT");
            if (rc)
                return rc;
            if (serde_t)
                return dup_clause(p, t, "ROW FORMAT");
            serde_t = cur(p);
            rc = parse_string(p, &d->serde, "a quoted SerDe class name after ROW FORMAT SERDE");
            if (!rc && accept_kw(p, "WITH")) {
                rc = expect_kw(p, "SERDEPROPERTIES", "SERDEPROPERTIES after WITH");
                if (!rc)
                    rc = parse_props(p, "WITH SERDEPROPERTIES", &d->serde_props, &d->n_serde_props);
            }
        } else if (accept_kw(p, "STORED")) {
            if (stored_t)
                return dup_clause(p, t, "STORED AS");
            rc = expect_kw(p, "AS", "AS after STORED");
            if (rc)
                return rc;
            stored_t = cur(p);
            if (accept_kw(p, "INPUTFORMAT")) {
                in_t = cur(p);
                rc = parse_string(p, &d->input_format, "a quoted class name after INPUTFORMAT");
                if (!rc)
                    rc = expect_kw(p, "OUTPUTFORMAT", "OUTPUTFORMAT after INPUTFORMAT '...'");
                if (!rc)
                    rc = parse_string(p, &d->output_format, "a quoted class name after OUTPUTFORMAT");
            } else if (at_end(p) || cur(p)->kind != LH_TOK_WORD) {
                return expected(p, "INPUTFORMAT, PARQUET or TEXTFILE after STORED AS");
            } else {
                next(p);
            }
        } else if (accept_kw(p, "LOCATION")) {
            if (loc_t)
                return dup_clause(p, t, "LOCATION");
            loc_t = cur(p);
            rc = parse_string(p, &d->location, "a quoted location after LOCATION ('s3://bucket/prefix/')");
            if (!rc)
                rc = check_location(p, loc_t, &d->location);
        } else if (accept_kw(p, "TBLPROPERTIES")) {
            if (tp_t)
                return dup_clause(p, t, "TBLPROPERTIES");
            tp_t = t;
            rc = parse_props(p, "TBLPROPERTIES", &d->tbl_props, &d->n_tbl_props);
        } else {
            return expected(p, "COMMENT, ROW FORMAT, STORED AS, LOCATION or TBLPROPERTIES");
        }
        if (rc)
            return rc;
    }
    if (!loc_t)
        return expected(p, "LOCATION 's3://...'");
    d->managed = 0;
    return derive_format(p, d, serde_t, stored_t, in_t);
}

/* ------------------------------------------------------------------ */
/* CREATE TABLE ... AS (CTAS)                                          */

static lh_rc parse_with_value(parser *p, const char *key, char **out)
{
    const lh_token *t = cur(p);
    char what[160];
    if (!at_end(p) && t->kind == LH_TOK_STRING) {
        *out = lh_tok_value(p->src, t);
    } else if (!at_end(p) && (t->kind == LH_TOK_NUMBER || (t->kind == LH_TOK_WORD && !lh_tok_is(p->src, t, "ARRAY")))) {
        *out = lh_strndup(p->src + t->off, t->len);
    } else if (lh_tok_is(p->src, t, "ARRAY")) {
        next(p);
        if (!accept_punct(p, '['))
            return expected(p, "'[' after ARRAY");
        while (!at_end(p) && !is_punct(p, ']'))
            next(p);
        if (at_end(p))
            return expected(p, "']' to close ARRAY[");
        *out = lh_strndup(p->src + t->off, cur(p)->off + 1 - t->off);
    } else {
        snprintf(what, sizeof what, "a value ('text', number or ARRAY['...']) for property '%s'", key);
        return expected(p, what);
    }
    if (!*out)
        return oom(p);
    next(p);
    return LH_OK;
}

static lh_rc parse_ctas(parser *p)
{
    lh_stmt *st = p->st;
    size_t cap = 0, qs, qe;
    lh_rc rc;
    st->kind = LH_STMT_CTAS;
    snprintf(p->what, sizeof p->what, "CREATE TABLE");
    next(p); /* CREATE */
    next(p); /* TABLE */
    if (accept_kw(p, "IF")) {
        rc = expect_kw(p, "NOT", "NOT after IF");
        if (!rc)
            rc = expect_kw(p, "EXISTS", "EXISTS after IF NOT");
        if (rc)
            return rc;
        st->if_not_exists = 1;
    }
    rc = parse_new_qname(p, &st->db, &st->name, "a table name");
    if (rc)
        return rc;
    snprintf(p->what, sizeof p->what, "CREATE TABLE %s%s%s", st->db ? st->db : "", st->db ? "." : "", st->name);
    if (!is_kw(p, "WITH") && !is_kw(p, "AS") && !is_kw(p, "COMMENT")) {
        p->what[0] = 0;
        return perr(p, &p->t[0], LH_EUNSUPPORTED,
                    "CREATE TABLE without AS: only EXTERNAL tables and CTAS are supported (CREATE EXTERNAL TABLE "
                    "... LOCATION '...', or CREATE TABLE ... WITH (...) AS SELECT ...)");
    }
    if (accept_kw(p, "COMMENT")) {
        rc = parse_string(p, &st->comment, "a quoted comment after COMMENT");
        if (rc)
            return rc;
    }
    if (accept_kw(p, "WITH")) {
        rc = expect_punct(p, '(', "'(' after WITH");
        if (rc)
            return rc;
        for (;;) {
            const lh_token *kt = cur(p);
            char *k = NULL, *v = NULL;
            rc = parse_ident(p, &k, "a property name (format, external_location, ...)");
            if (!rc)
                rc = expect_punct(p, '=', "'=' after property name");
            if (!rc)
                rc = parse_with_value(p, k, &v);
            if (rc) {
                lh_free(k);
                lh_free(v);
                return rc;
            }
            rc = prop_add(p, kt, &st->with_props, &st->n_with, &cap, k, v);
            if (rc)
                return rc;
            if (accept_punct(p, ','))
                continue;
            rc = expect_punct(p, ')', "',' or ')' in WITH (...)");
            if (rc)
                return rc;
            break;
        }
    }
    rc = expect_kw(p, "AS", "AS <query>");
    if (rc)
        return rc;
    /* Trailing WITH [NO] DATA. */
    qs = p->i;
    qe = p->n;
    if (qe >= qs + 2 && lh_tok_is(p->src, &p->t[qe - 1], "DATA") && lh_tok_is(p->src, &p->t[qe - 2], "WITH")) {
        qe -= 2;
    } else if (qe >= qs + 3 && lh_tok_is(p->src, &p->t[qe - 1], "DATA") && lh_tok_is(p->src, &p->t[qe - 2], "NO") &&
               lh_tok_is(p->src, &p->t[qe - 3], "WITH")) {
        qe -= 3;
        st->with_no_data = 1;
    }
    if (qe == qs || !(is_kw(p, "SELECT") || is_kw(p, "WITH") || is_kw(p, "VALUES") || is_punct(p, '(')))
        return expected(p, "a query (SELECT, WITH or VALUES) after AS");
    st->query = p->src + p->t[qs].off;
    st->query_len = p->t[qe - 1].off + p->t[qe - 1].len - p->t[qs].off;
    st->query_line = p->t[qs].line;
    st->query_col = p->t[qs].col;
    p->i = p->n;
    return LH_OK;
}

/* ------------------------------------------------------------------ */
/* databases, DROP, SHOW, DESCRIBE                                     */

static lh_rc parse_if_exists(parser *p, int *flag, int not)
{
    lh_rc rc = LH_OK;
    if (!accept_kw(p, "IF"))
        return LH_OK;
    if (not)
        rc = expect_kw(p, "NOT", "NOT after IF");
    if (!rc)
        rc = expect_kw(p, "EXISTS", not ? "EXISTS after IF NOT" : "EXISTS after IF");
    if (!rc)
        *flag = 1;
    return rc;
}

static lh_rc parse_create_database(parser *p)
{
    lh_stmt *st = p->st;
    const lh_token *cm_t = NULL, *loc_t = NULL, *pr_t = NULL;
    lh_rc rc;
    st->kind = LH_STMT_CREATE_DATABASE;
    snprintf(p->what, sizeof p->what, "CREATE DATABASE");
    next(p);
    next(p);
    rc = parse_if_exists(p, &st->if_not_exists, 1);
    if (!rc)
        rc = parse_new_ident(p, &st->name, "a database name", "database");
    while (!rc && !at_end(p)) {
        const lh_token *t = cur(p);
        if (accept_kw(p, "COMMENT")) {
            rc = cm_t ? dup_clause(p, t, "COMMENT") : parse_string(p, &st->comment, "a quoted comment after COMMENT");
            cm_t = t;
        } else if (accept_kw(p, "LOCATION")) {
            rc = loc_t ? dup_clause(p, t, "LOCATION")
                       : parse_string(p, &st->def.location, "a quoted location after LOCATION");
            loc_t = t;
        } else if (accept_kw(p, "WITH")) {
            rc = pr_t ? dup_clause(p, t, "WITH DBPROPERTIES") : expect_kw(p, "DBPROPERTIES", "DBPROPERTIES after WITH");
            pr_t = t;
            if (!rc)
                rc = parse_props(p, "WITH DBPROPERTIES", &st->def.tbl_props, &st->def.n_tbl_props);
        } else {
            rc = expected(p, "COMMENT, LOCATION, WITH DBPROPERTIES or end of statement");
        }
    }
    return rc;
}

/* USE db, or USE catalog.db with Athena's one catalog (AwsDataCatalog). */
static lh_rc parse_use(parser *p)
{
    lh_stmt *st = p->st;
    char *a = NULL, *b = NULL;
    lh_rc rc;
    st->kind = LH_STMT_USE;
    snprintf(p->what, sizeof p->what, "USE");
    next(p);
    rc = parse_new_ident(p, &a, "a database name", "database");
    if (!rc && !at_end(p) && lh_tok_punct(p->src, cur(p), '.')) {
        const lh_token *ct = &p->t[p->i - 1];
        next(p);
        rc = parse_new_ident(p, &b, "a database name after the catalog", "database");
        if (!rc && strcmp(a, "awsdatacatalog"))
            rc = perr(p, ct, LH_ENOTFOUND, "catalog '%s' does not exist (the one catalog is AwsDataCatalog)", a);
    }
    if (!rc && !at_end(p))
        rc = expected(p, "end of statement after USE db");
    if (rc) {
        lh_free(a);
        lh_free(b);
        return rc;
    }
    if (b) {
        lh_free(a);
        a = b;
    }
    st->name = a;
    return LH_OK;
}

static lh_rc parse_drop(parser *p, int database)
{
    lh_stmt *st = p->st;
    lh_rc rc;
    st->kind = database ? LH_STMT_DROP_DATABASE : LH_STMT_DROP_TABLE;
    snprintf(p->what, sizeof p->what, database ? "DROP DATABASE" : "DROP TABLE");
    next(p);
    next(p);
    rc = parse_if_exists(p, &st->if_exists, 0);
    if (rc)
        return rc;
    if (database) {
        rc = parse_ident(p, &st->name, "a database name");
        if (!rc && accept_kw(p, "CASCADE"))
            st->cascade = 1;
        else if (!rc)
            (void)accept_kw(p, "RESTRICT");
    } else {
        rc = parse_qname(p, &st->db, &st->name, "a table name");
    }
    return rc ? rc : expect_end(p);
}

static lh_rc parse_like(parser *p)
{
    lh_rc rc = LH_OK;
    if (accept_kw(p, "LIKE") || (!at_end(p) && cur(p)->kind == LH_TOK_STRING))
        rc = parse_string(p, &p->st->like, "a quoted pattern after LIKE");
    return rc ? rc : expect_end(p);
}

static lh_rc parse_show(parser *p)
{
    lh_stmt *st = p->st;
    const lh_token *t1 = &p->t[1];
    lh_rc rc;
    next(p); /* SHOW */
    next(p); /* second word */
    if (lh_tok_is(p->src, t1, "DATABASES") || lh_tok_is(p->src, t1, "SCHEMAS")) {
        st->kind = LH_STMT_SHOW_DATABASES;
        snprintf(p->what, sizeof p->what, "SHOW DATABASES");
        return parse_like(p);
    }
    if (lh_tok_is(p->src, t1, "FUNCTIONS")) {
        st->kind = LH_STMT_SHOW_FUNCTIONS;
        snprintf(p->what, sizeof p->what, "SHOW FUNCTIONS");
        return parse_like(p);
    }
    if (lh_tok_is(p->src, t1, "TABLES")) {
        st->kind = LH_STMT_SHOW_TABLES;
        snprintf(p->what, sizeof p->what, "SHOW TABLES");
        if (accept_kw(p, "IN") || accept_kw(p, "FROM")) {
            rc = parse_ident(p, &st->db, "a database name after IN");
            if (rc)
                return rc;
        }
        return parse_like(p);
    }
    if (lh_tok_is(p->src, t1, "CREATE")) { /* TABLE checked by the classifier */
        st->kind = LH_STMT_SHOW_CREATE_TABLE;
        snprintf(p->what, sizeof p->what, "SHOW CREATE TABLE");
        next(p);
        rc = parse_qname(p, &st->db, &st->name, "a table name");
        return rc ? rc : expect_end(p);
    }
    /* COLUMNS */
    st->kind = LH_STMT_SHOW_COLUMNS;
    snprintf(p->what, sizeof p->what, "SHOW COLUMNS");
    if (!accept_kw(p, "IN") && !accept_kw(p, "FROM"))
        return expected(p, "IN or FROM after SHOW COLUMNS");
    rc = parse_qname(p, &st->db, &st->name, "a table name");
    if (rc)
        return rc;
    if (!at_end(p)) {
        const lh_token *t = cur(p);
        if (!accept_kw(p, "IN") && !accept_kw(p, "FROM"))
            return expected(p, "IN <database> or end of statement");
        if (st->db)
            return perr(p, t, LH_EPARSE, "table '%s.%s' is already qualified; drop the %.*s clause", st->db, st->name,
                        (int)t->len, p->src + t->off);
        rc = parse_ident(p, &st->db, "a database name");
    }
    return rc ? rc : expect_end(p);
}

static lh_rc parse_describe(parser *p)
{
    lh_stmt *st = p->st;
    lh_rc rc;
    st->kind = LH_STMT_DESCRIBE;
    snprintf(p->what, sizeof p->what, "DESCRIBE");
    next(p);
    /* FORMATTED/EXTENDED are modifiers only when a table name follows. */
    if ((is_kw(p, "FORMATTED") || is_kw(p, "EXTENDED")) && p->i + 1 < p->n) {
        st->formatted = 1;
        next(p);
    }
    rc = parse_qname(p, &st->db, &st->name, "a table name");
    return rc ? rc : expect_end(p);
}

/* ------------------------------------------------------------------ */
/* classification                                                      */

static lh_rc unsupported(parser *p, int words)
{
    char name[128];
    size_t k = 0, i, j;
    for (i = 0; i < (size_t)words && i < p->n; i++) {
        const lh_token *t = &p->t[i];
        if (i > 0 && t->kind != LH_TOK_WORD)
            break;
        if (i > 0 && k + 1 < sizeof name)
            name[k++] = ' ';
        for (j = 0; j < t->len && j < 40 && k + 1 < sizeof name; j++)
            name[k++] = (char)toupper((unsigned char)p->src[t->off + j]);
    }
    name[k] = 0;
    p->what[0] = 0;
    return perr(p, &p->t[0], LH_EUNSUPPORTED, "unsupported statement '%s'; supported: " SUPPORTED_LIST, name);
}

static int kw_at(const parser *p, size_t i, const char *kw) { return i < p->n && lh_tok_is(p->src, &p->t[i], kw); }

/* Statements whose name is one word (the next token is an operand). */
static int one_word_statement(const parser *p)
{
    static const char *const w[] = {"USE", "SET", "RESET", "GRANT", "REVOKE", "CALL", "PREPARE", "EXECUTE", "DEALLOCATE"};
    size_t i;
    for (i = 0; i < sizeof w / sizeof w[0]; i++)
        if (kw_at(p, 0, w[i]))
            return 1;
    return 0;
}

static lh_rc parse_stmt(parser *p)
{
    lh_rc rc;
    if (kw_at(p, 0, "SELECT") || kw_at(p, 0, "WITH") || kw_at(p, 0, "VALUES") || kw_at(p, 0, "EXPLAIN") ||
        lh_tok_punct(p->src, &p->t[0], '(')) {
        p->st->kind = LH_STMT_QUERY;
        return LH_OK;
    }
    if (kw_at(p, 0, "USE"))
        return parse_use(p);
    if (kw_at(p, 0, "CREATE")) {
        if (kw_at(p, 1, "EXTERNAL"))
            rc = kw_at(p, 2, "TABLE") ? parse_create_external(p) : unsupported(p, 3);
        else if (kw_at(p, 1, "TABLE"))
            rc = parse_ctas(p);
        else if (kw_at(p, 1, "DATABASE") || kw_at(p, 1, "SCHEMA"))
            rc = parse_create_database(p);
        else
            rc = unsupported(p, 2);
    } else if (kw_at(p, 0, "DROP")) {
        if (kw_at(p, 1, "TABLE"))
            rc = parse_drop(p, 0);
        else if (kw_at(p, 1, "DATABASE") || kw_at(p, 1, "SCHEMA"))
            rc = parse_drop(p, 1);
        else
            rc = unsupported(p, 2);
    } else if (kw_at(p, 0, "SHOW")) {
        if (kw_at(p, 1, "DATABASES") || kw_at(p, 1, "SCHEMAS") || kw_at(p, 1, "TABLES") || kw_at(p, 1, "COLUMNS") ||
            kw_at(p, 1, "FUNCTIONS") ||
            (kw_at(p, 1, "CREATE") && kw_at(p, 2, "TABLE")))
            rc = parse_show(p);
        else
            rc = unsupported(p, kw_at(p, 1, "CREATE") ? 3 : 2);
    } else if (kw_at(p, 0, "DESCRIBE") || kw_at(p, 0, "DESC")) {
        rc = parse_describe(p);
    } else {
        rc = unsupported(p, one_word_statement(p) ? 1 : 2);
    }
    if (!rc && !at_end(p))
        rc = expect_end(p);
    return rc;
}

/* Hive DDL statements take backslash escapes in their string literals. */
static int hive_ddl(const char *src, const lh_token *t, size_t n)
{
    if (n >= 1 && (lh_tok_is(src, &t[0], "DROP") || lh_tok_is(src, &t[0], "SHOW") || lh_tok_is(src, &t[0], "DESCRIBE") ||
                   lh_tok_is(src, &t[0], "DESC")))
        return 1;
    return n >= 2 && lh_tok_is(src, &t[0], "CREATE") &&
           (lh_tok_is(src, &t[1], "EXTERNAL") || lh_tok_is(src, &t[1], "DATABASE") || lh_tok_is(src, &t[1], "SCHEMA"));
}

/* ------------------------------------------------------------------ */
/* script                                                              */

void lh_script_free(lh_script *s)
{
    size_t i;
    if (!s)
        return;
    for (i = 0; i < s->n; i++)
        stmt_free(&s->stmts[i]);
    lh_free(s->stmts);
    lh_free(s->src);
    lh_free(s->file);
    lh_free(s);
}

size_t lh_script_count(const lh_script *s) { return s ? s->n : 0; }
const lh_stmt *lh_script_stmt(const lh_script *s, size_t i) { return s && i < s->n ? &s->stmts[i] : NULL; }
const char *lh_script_filename(const lh_script *s) { return s ? s->file : NULL; }

lh_rc lh_script_parse(const char *src, size_t len, const char *filename, lh_script **out, lh_err *err)
{
    lh_script *s = NULL;
    lh_token *toks = NULL;
    size_t ntok = 0, tcap = 0;
    lh_lexer lx;
    lh_rc rc = LH_OK;
    int done = 0;
    *out = NULL;
    s = lh_calloc(1, sizeof *s);
    if (!s) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory parsing SQL");
        goto out;
    }
    s->file = lh_strdup(filename ? filename : "<sql>");
    s->src = lh_malloc(len + 1);
    if (!s->file || !s->src) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory parsing SQL");
        goto out;
    }
    if (len)
        memcpy(s->src, src, len);
    s->src[len] = 0;
    s->len = len;
    lh_lex_init(&lx, s->src, len, s->file);
    while (!done) {
        parser p;
        lh_token *last = NULL;
        ntok = 0;
        lx.backslash = 0;
        for (;;) {
            rc = grow((void **)&toks, &tcap, ntok, sizeof *toks, err);
            if (rc)
                goto out;
            rc = lh_lex_next(&lx, &toks[ntok], err);
            if (rc)
                goto out;
            last = &toks[ntok++];
            if (last->kind == LH_TOK_EOF || lh_tok_punct(s->src, last, ';'))
                break;
            if (ntok <= 2)
                lx.backslash = hive_ddl(s->src, toks, ntok);
        }
        done = last->kind == LH_TOK_EOF;
        if (ntok == 1)
            continue; /* empty statement */
        rc = grow((void **)&s->stmts, &s->cap, s->n, sizeof *s->stmts, err);
        if (rc)
            goto out;
        memset(&p, 0, sizeof p);
        p.src = s->src;
        p.file = s->file;
        p.t = toks;
        p.n = ntok - 1;
        p.err = err;
        p.st = &s->stmts[s->n++];
        p.st->line = toks[0].line;
        p.st->col = toks[0].col;
        p.st->text = s->src + toks[0].off;
        p.st->len = toks[p.n - 1].off + toks[p.n - 1].len - toks[0].off;
        rc = parse_stmt(&p);
        if (rc)
            goto out;
    }
    *out = s;
    s = NULL;
out:
    lh_free(toks);
    lh_script_free(s);
    return rc;
}

/* ------------------------------------------------------------------ */
/* SHOW CREATE TABLE rendering                                         */

static lh_rc put_ident(lh_buf *b, const char *s)
{
    lh_rc rc = lh_buf_putc(b, '`', NULL);
    for (; !rc && *s; s++)
        rc = *s == '`' ? lh_buf_puts(b, "``", NULL) : lh_buf_putc(b, *s, NULL);
    return rc ? rc : lh_buf_putc(b, '`', NULL);
}

/* A Hive string literal: ' doubled, \ escaped (DDL is lexed with backslash escapes). */
static lh_rc put_str(lh_buf *b, const char *s)
{
    lh_rc rc = lh_buf_putc(b, '\'', NULL);
    for (; !rc && s && *s; s++) {
        if (*s == '\'')
            rc = lh_buf_puts(b, "''", NULL);
        else if (*s == '\\')
            rc = lh_buf_puts(b, "\\\\", NULL);
        else
            rc = lh_buf_putc(b, *s, NULL);
    }
    return rc ? rc : lh_buf_putc(b, '\'', NULL);
}

static lh_rc put_props(lh_buf *b, const char *head, const lh_prop *pr, size_t n)
{
    size_t i;
    lh_rc rc = lh_buf_puts(b, head, NULL);
    for (i = 0; !rc && i < n; i++) {
        rc = lh_buf_puts(b, i ? ",\n  " : "\n  ", NULL);
        if (!rc)
            rc = put_str(b, pr[i].key);
        if (!rc)
            rc = lh_buf_putc(b, '=', NULL);
        if (!rc)
            rc = put_str(b, pr[i].value);
    }
    return rc ? rc : lh_buf_puts(b, ")\n", NULL);
}

char *lh_ddl_render_create(const lh_table_def *def)
{
    lh_buf b;
    lh_rc rc;
    size_t i;
    int pq = def->format && !strcasecmp(def->format, "parquet");
    const char *serde = def->serde ? def->serde : pq ? SERDE_PARQUET : SERDE_OPENX;
    const char *inf = def->input_format ? def->input_format : pq ? IN_PARQUET : IN_TEXT;
    const char *outf = def->output_format ? def->output_format : pq ? OUT_PARQUET : OUT_TEXT;
    const char *loc = def->managed && def->snapshot_prefix ? def->snapshot_prefix : def->location;
    lh_buf_init(&b, 0);
    rc = lh_buf_puts(&b, "CREATE EXTERNAL TABLE ", NULL);
    if (!rc && def->db) {
        rc = put_ident(&b, def->db);
        if (!rc)
            rc = lh_buf_putc(&b, '.', NULL);
    }
    if (!rc)
        rc = put_ident(&b, def->name ? def->name : "");
    if (!rc)
        rc = lh_buf_putc(&b, '(', NULL);
    for (i = 0; !rc && i < def->n_cols; i++) {
        rc = lh_buf_puts(&b, i ? ",\n  " : "\n  ", NULL);
        if (!rc)
            rc = put_ident(&b, def->cols[i].name ? def->cols[i].name : "");
        if (!rc)
            rc = lh_buf_printf(&b, NULL, " %s", def->cols[i].type ? def->cols[i].type : "string");
        if (!rc && def->cols[i].comment) {
            rc = lh_buf_puts(&b, " COMMENT ", NULL);
            if (!rc)
                rc = put_str(&b, def->cols[i].comment);
        }
    }
    if (!rc)
        rc = lh_buf_puts(&b, ")\n", NULL);
    if (!rc && def->comment) {
        rc = lh_buf_puts(&b, "COMMENT ", NULL);
        if (!rc)
            rc = put_str(&b, def->comment);
        if (!rc)
            rc = lh_buf_putc(&b, '\n', NULL);
    }
    if (!rc)
        rc = lh_buf_puts(&b, "ROW FORMAT SERDE\n  ", NULL);
    if (!rc)
        rc = put_str(&b, serde);
    if (!rc)
        rc = lh_buf_putc(&b, '\n', NULL);
    if (!rc && def->n_serde_props)
        rc = put_props(&b, "WITH SERDEPROPERTIES (", def->serde_props, def->n_serde_props);
    if (!rc)
        rc = lh_buf_puts(&b, "STORED AS INPUTFORMAT\n  ", NULL);
    if (!rc)
        rc = put_str(&b, inf);
    if (!rc)
        rc = lh_buf_puts(&b, "\nOUTPUTFORMAT\n  ", NULL);
    if (!rc)
        rc = put_str(&b, outf);
    if (!rc)
        rc = lh_buf_puts(&b, "\nLOCATION\n  ", NULL);
    if (!rc)
        rc = put_str(&b, loc);
    if (!rc)
        rc = lh_buf_putc(&b, '\n', NULL);
    if (!rc && def->n_tbl_props)
        rc = put_props(&b, "TBLPROPERTIES (", def->tbl_props, def->n_tbl_props);
    if (rc) {
        lh_buf_free(&b);
        return NULL;
    }
    /* Drop the final newline: Athena prints none. */
    if (b.len && b.data[b.len - 1] == '\n')
        b.data[--b.len] = 0;
    return lh_buf_detach(&b);
}
