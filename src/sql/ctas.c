/* sql/ctas.c — CREATE TABLE ... AS SELECT: the engine's jobs.
 *
 * A run streams the query's rows into part objects under a prefix no
 * other run uses, <location>/run-<run id>-<UTC stamp>/, then commits a
 * snapshot pointing at exactly those objects in one catalog transaction.
 * Until that commit nothing a reader can see has changed; if anything
 * fails, the objects written so far are deleted (best effort: a crash
 * leaves them for vacuum) and the run is recorded as failed.
 *
 * Partitioned runs (see par_plan): when the query is a plain
 * select-project-join and its biggest table has several objects, that
 * table's objects are split in two by size and a second engine (its own
 * store handle, catalog connection and SQLite connection) runs the same
 * query over the other half on a second thread.  Each half writes its own
 * part objects under the run's prefix; the snapshot commits both, once.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "catalog/lock.h"
#include "formats/jsonl.h"
#include "formats/parquet.h"
#include "sql/ctas_int.h"
#include "sql/rewrite.h"
#include "sql/lexer.h"
#include "util/fault.h"
#include "util/mem.h"
#include "util/names.h"
#include "util/threads.h"


#define JSON_SERDE "org.openx.data.jsonserde.JsonSerDe"
#define TEXT_INPUT "org.apache.hadoop.mapred.TextInputFormat"
#define TEXT_OUTPUT "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"
#define PQ_SERDE "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
#define PQ_INPUT "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
#define PQ_OUTPUT "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"

/* Output columns of the SQLite path: names from SQLite, types declared
 * where the query passes a column through, else inferred later. */
static lh_rc ctas_cols_init_sqlite(lh_ctas_cols *c, sqlite3_stmt *q, const char *filename, const lh_stmt *st, lh_err *err)
{
    size_t i;
    lh_rc rc = lh_ctas_cols_init(c, (size_t)sqlite3_column_count(q), filename, st, err);
    for (i = 0; !rc && i < c->n; i++) {
        const char *nm = sqlite3_column_name(q, (int)i);
        const char *d = sqlite3_column_decltype(q, (int)i);
        if (!nm)
            return lh_errf(err, LH_ENOMEM, "out of memory");
        rc = lh_ctas_cols_name(c, i, nm, filename, st, err);
        if (!rc && d && lh_type_parse(d, strcspn(d, " "), &c->types[i], NULL) == LH_OK)
            c->known[i] = 1;
    }
    return rc;
}

static lh_rc check_with(const lh_stmt *st, const char *filename, const char **format, const char **location,
                        lh_pq_codec *codec, lh_err *err)
{
    size_t i;
    const char *compression = NULL;
    *format = NULL;
    *location = NULL;
    *codec = LH_PQ_SNAPPY; /* as Athena, Glue and Spark write */
    for (i = 0; i < st->n_with; i++) {
        const char *k = st->with_props[i].key, *v = st->with_props[i].value;
        if (!strcmp(k, "format"))
            *format = v;
        else if (!strcmp(k, "external_location"))
            *location = v;
        else if (!strcmp(k, "write_compression") || !strcmp(k, "compression"))
            compression = v;
        else
            return lh_errf(err, LH_EUNSUPPORTED,
                           "%s:%d:%d: CREATE TABLE AS property '%s' is not supported; supported: format, "
                           "external_location, write_compression",
                           filename, st->line, st->col, k);
    }
    if (!*format)
        *format = "PARQUET"; /* Athena's default */
    if (strcasecmp(*format, "PARQUET") && strcasecmp(*format, "JSON"))
        return lh_errf(err, LH_EUNSUPPORTED, "%s:%d:%d: format = '%s' is not supported; use 'PARQUET' or 'JSON'",
                       filename, st->line, st->col, *format);
    if (compression && !strcasecmp(*format, "JSON") && strcasecmp(compression, "NONE") &&
        strcasecmp(compression, "UNCOMPRESSED"))
        return lh_errf(err, LH_EUNSUPPORTED,
                       "%s:%d:%d: write_compression = '%s' is not supported for JSON output; use 'NONE' or format = "
                       "'PARQUET'",
                       filename, st->line, st->col, compression);
    if (compression && !strcasecmp(*format, "PARQUET") && lh_pq_codec_parse(compression, codec, NULL) != LH_OK)
        return lh_errf(err, LH_EUNSUPPORTED,
                       "%s:%d:%d: write_compression = '%s' is not supported for Parquet; use 'SNAPPY', 'ZSTD', "
                       "'GZIP' or 'NONE'",
                       filename, st->line, st->col, compression);
    if (*location) {
        lh_rc rc = lh_uri_parse(*location, NULL, NULL, err);
        if (rc)
            return lh_err_prefix(err, "%s:%d:%d: external_location", filename, st->line, st->col);
    }
    return LH_OK;
}

static lh_rc build_def(lh_table_def *def, const char *db, const char *name, const char *location,
                       const lh_ctas_cols *c, const lh_ctas_out *o, lh_err *err)
{
    size_t i;
    char tb[64];
    static const char *const codecs[] = {"UNCOMPRESSED", "SNAPPY", "GZIP", "ZSTD"};
    memset(def, 0, sizeof *def);
    def->db = lh_strdup(db);
    def->name = lh_strdup(name);
    def->managed = 1;
    def->location = lh_strdup(location);
    def->format = lh_strdup(o->parquet ? "parquet" : "json");
    def->serde = lh_strdup(o->parquet ? PQ_SERDE : JSON_SERDE);
    def->input_format = lh_strdup(o->parquet ? PQ_INPUT : TEXT_INPUT);
    def->output_format = lh_strdup(o->parquet ? PQ_OUTPUT : TEXT_OUTPUT);
    def->tbl_props = lh_calloc(2, sizeof *def->tbl_props);
    def->cols = lh_calloc(c->n + 1, sizeof *def->cols);
    if (!def->db || !def->name || !def->location || !def->format || !def->serde || !def->input_format ||
        !def->output_format || !def->tbl_props || !def->cols)
        return lh_errf(err, LH_ENOMEM, "out of memory");
    def->tbl_props[0].key = lh_strdup("classification");
    def->tbl_props[0].value = lh_strdup(o->parquet ? "parquet" : "json");
    def->n_tbl_props = 1;
    if (!def->tbl_props[0].key || !def->tbl_props[0].value)
        return lh_errf(err, LH_ENOMEM, "out of memory");
    if (o->parquet) {
        def->tbl_props[1].key = lh_strdup("parquet.compression");
        def->tbl_props[1].value = lh_strdup(codecs[o->codec]);
        def->n_tbl_props = 2;
        if (!def->tbl_props[1].key || !def->tbl_props[1].value)
            return lh_errf(err, LH_ENOMEM, "out of memory");
    }
    for (i = 0; i < c->n; i++) {
        def->cols[i].name = lh_strdup(c->names[i]);
        def->cols[i].type = lh_strdup(lh_type_name(o->pq_types ? &o->pq_types[i] : &c->types[i], tb, sizeof tb));
        def->n_cols++;
        if (!def->cols[i].name || !def->cols[i].type)
            return lh_errf(err, LH_ENOMEM, "out of memory");
    }
    return LH_OK;
}

/* The job's dead-letter table, db.<name>_quarantine: one row per line a
 * source table with 'ignore.malformed.json' skipped during this run (file,
 * line, reason, raw text).  Replaced on every run of the job once it
 * exists, so it always describes the latest run. */
static lh_rc commit_quarantine(lh_engine *e, const char *db, const char *name, const char *loc, const char *stamp,
                               int64_t *qrows, lh_err *err)
{
    static const char *const cols[] = {"source_table", "file", "line", "reason", "raw"};
    static const char *const types[] = {"string", "string", "bigint", "string", "string"};
    lh_table_def def, old;
    lh_data_file file;
    char *qname = lh_aprintf("%s_quarantine", name), *qloc = NULL, *prefix = NULL, *job = NULL;
    size_t ll = strlen(loc), i;
    int64_t run_id = 0, snap = 0;
    int exists = 0, run_open = 0;
    lh_rc rc;
    memset(&def, 0, sizeof def);
    memset(&old, 0, sizeof old);
    memset(&file, 0, sizeof file);
    *qrows = (int64_t)e->nquarantined;
    if (!qname) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory");
        goto out;
    }
    rc = lh_catalog_get_table(e->cat, db, qname, &old, err);
    if (rc == LH_OK)
        exists = 1;
    else if (rc != LH_ENOTFOUND)
        goto out;
    rc = LH_OK;
    if (!exists && e->nquarantined == 0)
        goto out;
    qloc = lh_aprintf("%.*s_quarantine/", (int)(ll && loc[ll - 1] == '/' ? ll - 1 : ll), loc);
    job = lh_aprintf("%s:quarantine", e->job ? e->job : name);
    if (!qloc || !job) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory");
        goto out;
    }
    rc = lh_catalog_run_begin(e->cat, job, &run_id, err);
    if (rc)
        goto out;
    run_open = 1;
    prefix = lh_aprintf("%srun-%06lld-%s/", qloc, (long long)run_id, stamp);
    if (!prefix) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory");
        goto out;
    }
    if (e->nquarantined) {
        file.uri = lh_aprintf("%spart-00000.json", prefix);
        if (!file.uri) {
            rc = lh_errf(err, LH_ENOMEM, "out of memory");
            goto out;
        }
        file.size = e->quarantine.len;
        file.rows = (int64_t)e->nquarantined;
        rc = lh_store_put(e->store, file.uri, e->quarantine.data, e->quarantine.len, err);
        if (rc)
            goto out;
    }
    def.db = (char *)db;
    def.name = qname;
    def.managed = 1;
    def.location = qloc;
    def.format = (char *)"json";
    def.serde = (char *)JSON_SERDE;
    def.input_format = (char *)TEXT_INPUT;
    def.output_format = (char *)TEXT_OUTPUT;
    def.comment = (char *)"lines the job's sources skipped under ignore.malformed.json";
    def.cols = lh_calloc(5, sizeof *def.cols);
    if (!def.cols) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory");
        goto out;
    }
    for (i = 0; i < 5; i++) {
        def.cols[i].name = (char *)cols[i];
        def.cols[i].type = (char *)types[i];
    }
    def.n_cols = 5;
    rc = lh_catalog_commit_snapshot(e->cat, &def, run_id, prefix, file.uri ? &file : NULL, file.uri ? 1 : 0,
                                    (int64_t)e->nquarantined, (int64_t)e->nquarantined, &snap, err);
    if (!rc)
        run_open = 0;
out:
    if (rc && file.uri) {
        lh_err ignored;
        (void)!lh_store_delete(e->store, file.uri, &ignored);
    }
    if (run_open) {
        lh_err ignored;
        (void)!lh_catalog_run_fail(e->cat, run_id, -1, err ? err->msg : "failed", &ignored);
    }
    lh_free(def.cols);
    lh_table_def_free(&old);
    lh_free(file.uri);
    lh_free(prefix);
    lh_free(qloc);
    lh_free(job);
    lh_free(qname);
    return rc;
}

/* ---- partitioned runs ---- */

#define PAR_PART_BASE LH_CTAS_PART_BASE

/* Words that make a query's result depend on more than one row of a table
 * at a time (or on row order): with any of them the union of the halves'
 * results would not be the result. */
static const char *const par_block_words[] = {
    "DISTINCT", "GROUP", "HAVING", "LIMIT", "OFFSET", "OVER", "UNION", "INTERSECT", "EXCEPT", "WINDOW",
    "ORDER", "LEFT", "RIGHT", "FULL", "OUTER", "NATURAL", "WITH", "VALUES", "RECURSIVE", "FETCH", NULL};

typedef struct par_ref {
    char *db, *name;
    int depth;
} par_ref;

/* What SQLite's compiler says about the query: whether its program
 * aggregates (any Agg* opcode; aggregate functions have no reserved word
 * to spot) and whether any table it reads, however named (an unqualified
 * name too), quarantines malformed lines (both halves would quarantine a
 * table they share). */
typedef struct par_seen {
    lh_engine *e;
    int quarantines;
} par_seen;

static void par_authorize(void *ctx, int op, const char *table, const char *col, const char *db, const char *inner)
{
    par_seen *ps = ctx;
    const lh_table_def *def;
    const char *const *uris;
    const uint64_t *sizes;
    size_t n;
    lh_err ignored;
    (void)col;
    (void)inner;
    if (op == SQLITE_READ && table && db &&
        lh_engine_pin_table(ps->e, db, table, &def, &uris, &sizes, &n, &ignored) == LH_OK) {
        const char *v = lh_props_get(def->serde_props, def->n_serde_props, "ignore.malformed.json");
        if (v && !strcasecmp(v, "true"))
            ps->quarantines = 1;
    }
}

/* 1 when the query must stay on one thread for SQLite's reasons above. */
static int par_unsafe(lh_engine *e, const char *sql, size_t len)
{
    sqlite3_stmt *q = NULL;
    char *ex = lh_aprintf("EXPLAIN %.*s", (int)len, sql);
    par_seen ps;
    lh_err ignored;
    int unsafe = 1, src;
    if (!ex)
        return 1;
    ps.e = e;
    ps.quarantines = 0;
    e->auth_hook = par_authorize;
    e->auth_ctx = &ps;
    if (lh_engine_prepare(e, ex, -1, &q, NULL, &ignored) == LH_OK && q) {
        unsafe = ps.quarantines;
        while ((src = sqlite3_step(q)) == SQLITE_ROW) {
            const char *op = (const char *)sqlite3_column_text(q, 1);
            if (op && !strncmp(op, "Agg", 3))
                unsafe = 1;
        }
        if (src != SQLITE_DONE)
            unsafe = 1;
    }
    e->auth_hook = NULL;
    e->auth_ctx = NULL;
    sqlite3_finalize(q);
    lh_free(ex);
    return unsafe;
}

static void par_refs_free(par_ref *r, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        lh_free(r[i].db);
        lh_free(r[i].name);
    }
    lh_free(r);
}

/* How many words or quoted identifiers of the query are name (any case). */
static size_t par_mentions(const lh_rewrite *rw, const char *name)
{
    lh_lexer lx;
    lh_token t;
    size_t n = 0;
    lh_lex_init(&lx, rw->text, rw->len, "<sql>");
    while (lh_lex_next(&lx, &t, NULL) == LH_OK && t.kind != LH_TOK_EOF) {
        char *v;
        if (t.kind != LH_TOK_WORD && t.kind != LH_TOK_QIDENT)
            continue;
        v = lh_tok_value(rw->text, &t);
        if (!v || !strcasecmp(v, name))
            n++; /* out of memory counts as a mention: stay on one thread */
        lh_free(v);
    }
    return n;
}

/* Should this run be split, and over which table?  *pdb and *pname (lh_free)
 * are set when it should.  Conservative: any doubt means one thread. */
static lh_rc par_plan(lh_engine *e, const lh_rewrite *rw, const lh_ctas_cols *cols, char **pdb, char **pname,
                      lh_err *err)
{
    lh_lexer lx;
    lh_token t, prev[2];
    par_ref *refs = NULL;
    size_t nrefs = 0, arefs = 0, i, j, ntok = 0;
    int depth = 0, best = -1;
    uint64_t best_bytes = 0;
    lh_rc rc = LH_OK;
    *pdb = *pname = NULL;
    if (!lh_threads_enabled())
        return LH_OK;
    for (i = 0; i < cols->n; i++)
        if (!cols->known[i]) /* an inferred type could differ between the halves */
            return LH_OK;
    memset(prev, 0, sizeof prev);
    lh_lex_init(&lx, rw->text, rw->len, "<sql>");
    for (;;) {
        if (lh_lex_next(&lx, &t, NULL) != LH_OK)
            goto out;
        if (t.kind == LH_TOK_EOF)
            break;
        if (lh_tok_punct(rw->text, &t, '('))
            depth++;
        else if (lh_tok_punct(rw->text, &t, ')'))
            depth--;
        else if (t.kind == LH_TOK_WORD)
            for (i = 0; par_block_words[i]; i++)
                if (lh_tok_is(rw->text, &t, par_block_words[i]))
                    goto out;
        /* db . name */
        if (ntok >= 2 && (t.kind == LH_TOK_WORD || t.kind == LH_TOK_QIDENT) &&
            lh_tok_punct(rw->text, &prev[1], '.') && (prev[0].kind == LH_TOK_WORD || prev[0].kind == LH_TOK_QIDENT)) {
            par_ref *r;
            if (nrefs == arefs) {
                size_t na = arefs ? arefs * 2 : 8;
                par_ref *nr = lh_realloc(refs, na * sizeof *nr);
                if (!nr) {
                    rc = lh_errf(err, LH_ENOMEM, "out of memory");
                    goto out;
                }
                refs = nr;
                arefs = na;
            }
            r = &refs[nrefs];
            r->db = lh_tok_value(rw->text, &prev[0]);
            r->name = lh_tok_value(rw->text, &t);
            r->depth = depth;
            nrefs++;
            if (!r->db || !r->name) {
                rc = lh_errf(err, LH_ENOMEM, "out of memory");
                goto out;
            }
            for (j = 0; r->db[j]; j++)
                r->db[j] = (char)tolower((unsigned char)r->db[j]);
            for (j = 0; r->name[j]; j++)
                r->name[j] = (char)tolower((unsigned char)r->name[j]);
        }
        prev[0] = prev[1];
        prev[1] = t;
        ntok++;
    }
    for (i = 0; i < nrefs; i++) {
        const char *const *uris;
        const uint64_t *sizes;
        size_t n, k;
        uint64_t bytes = 0;
        lh_err ignored;
        const lh_table_def *def = NULL;
        if (lh_engine_pin_table(e, refs[i].db, refs[i].name, &def, &uris, &sizes, &n, &ignored) != LH_OK)
            continue; /* alias.column, not a table */
        if (refs[i].depth != 0 || n < 2 || par_mentions(rw, refs[i].name) != 1)
            continue; /* inside a subquery, one object, or named twice: not the one to split */
        for (k = 0; k < n; k++)
            bytes += sizes[k];
        if (best < 0 || bytes > best_bytes) {
            best = (int)i;
            best_bytes = bytes;
        }
    }
    if (best < 0 || best_bytes < ((uint64_t)128 << 10) || par_unsafe(e, rw->text, rw->len))
        goto out; /* nothing to split, too small to pay for a second engine, an aggregate or a quarantine */
    *pdb = refs[best].db;
    *pname = refs[best].name;
    refs[best].db = refs[best].name = NULL;
out:
    par_refs_free(refs, nrefs);
    return rc;
}

typedef struct ctas_worker {
    lh_store *store;
    lh_catalog *cat;
    lh_engine *e;
    const lh_rewrite *rw;
    const lh_stmt *st;
    const char *filename;
    const lh_ctas_cols *cols;
    lh_ctas_out o;
    uint64_t rows;
    lh_rc rc;
    lh_err err;
    pthread_t th;
    int started;
    lh_engine *parent; /* whose interrupt stops this worker too */
} ctas_worker;

/* Stream the query's rows into o: the body of a run, for either half. */
static lh_rc ctas_stream(lh_engine *e, sqlite3_stmt *q, const lh_stmt *st, const char *filename, lh_ctas_cols *cols,
                         int observe, lh_ctas_out *o, uint64_t *rows, lh_err *err)
{
    lh_value *vals = lh_calloc(cols->n + 1, sizeof *vals);
    lh_rc rc = LH_OK;
    int src;
    if (!vals)
        return lh_errf(err, LH_ENOMEM, "out of memory");
    while ((src = sqlite3_step(q)) == SQLITE_ROW) {
        size_t i;
        if (atomic_load(&e->interrupt)) {
            rc = lh_engine_cancelled(e, LH_ECANCELLED, err);
            goto out;
        }
        for (i = 0; i < cols->n; i++)
            lh_value_from_sqlite(q, (int)i, &vals[i]);
        if (observe)
            lh_ctas_cols_observe(cols, vals);
        rc = lh_ctas_row(o, (const char *const *)cols->names, cols->types, vals, cols->n, err);
        if (rc)
            goto out;
        (*rows)++;
    }
    if (src != SQLITE_DONE)
        rc = lh_engine_sql_error(e, st, NULL, NULL, filename, err);
    else
        rc = o->parquet ? lh_ctas_pq_finish(o, cols->n, err) : lh_ctas_close_part(o, err);
out:
    lh_free(vals);
    return rc;
}

static void *ctas_worker_main(void *arg)
{
    ctas_worker *w = arg;
    sqlite3_stmt *q = NULL;
    lh_err_clear(&w->err);
    w->rc = lh_engine_prepare(w->e, w->rw->text, (int)w->rw->len, &q, NULL, &w->err);
    if (w->rc == LH_ESQL)
        w->rc = lh_engine_sql_error(w->e, w->st, w->st->query, w->rw, w->filename, &w->err);
    if (!w->rc && q)
        w->rc = ctas_stream(w->e, q, w->st, w->filename, (lh_ctas_cols *)w->cols, 0, &w->o, &w->rows, &w->err);
    if (!w->rc && !q)
        w->rc = lh_errf(&w->err, LH_EINTERNAL, "empty query");
    sqlite3_finalize(q);
    return NULL;
}

/* Split the pinned objects of db.name in two halves of about equal bytes
 * (largest first, each to the lighter half), give the second half to a
 * new engine on a second thread and keep the first.  *started = 0 (and
 * LH_OK) when the store cannot give a second handle: run on one thread. */
/* The second thread's engine stops when the first one is interrupted
 * (lh_engine_interrupt only knows the engine it was given). */
static int par_progress(void *arg)
{
    ctas_worker *w = arg;
    if (!atomic_load(&w->parent->interrupt))
        return 0;
    atomic_store(&w->e->interrupt, 1);
    return 1;
}

static lh_rc par_start(lh_engine *e, const char *db, const char *name, ctas_worker *w, const lh_ctas_out *mo,
                       int *started, lh_err *err)
{
    const char *const *uris;
    const uint64_t *sizes;
    const lh_table_def *def;
    const char **half[2] = {NULL, NULL};
    size_t n, i, nh[2] = {0, 0};
    unsigned char *side = NULL;
    lh_rc rc;
    *started = 0;
    rc = lh_store_clone(e->store, &w->store, err);
    if (rc == LH_EUNSUPPORTED) {
        lh_err_clear(err);
        return LH_OK;
    }
    if (rc)
        return rc;
    if ((rc = lh_catalog_open(lh_catalog_path(e->cat), &w->cat, err)) ||
        (rc = lh_engine_open(w->store, w->cat, &w->e, err)) || (rc = lh_engine_begin_statement(w->e, err)))
        return rc;
    w->parent = e;
    sqlite3_progress_handler(w->e->db, 2000, par_progress, w);
    rc = lh_engine_pin_table(e, db, name, &def, &uris, &sizes, &n, err);
    if (rc)
        return rc;
    half[0] = lh_calloc(n + 1, sizeof *half[0]);
    half[1] = lh_calloc(n + 1, sizeof *half[1]);
    side = lh_calloc(n + 1, 1);
    if (!half[0] || !half[1] || !side) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory");
        goto out;
    }
    lh_split_halves(sizes, n, side);
    for (i = 0; i < n; i++)
        half[side[i]][nh[side[i]]++] = uris[i];
    /* the worker copies its half before the main engine's pin changes */
    if ((rc = lh_engine_restrict(w->e, db, name, half[1], nh[1], err)) ||
        (rc = lh_engine_restrict(e, db, name, half[0], nh[0], err)))
        goto out;
    w->o.e = w->e;
    w->o.store = w->store;
    w->o.parquet = mo->parquet;
    w->o.codec = mo->codec;
    w->o.part_base = PAR_PART_BASE;
    w->o.prefix = lh_strdup(mo->prefix);
    if (!w->o.prefix) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory");
        goto out;
    }
    if (pthread_create(&w->th, NULL, ctas_worker_main, w) != 0) {
        /* no thread: let the worker's half run after ours, on this thread */
        ctas_worker_main(w);
    } else
        w->started = 1;
    *started = 1;
out:
    lh_free(half[0]);
    lh_free(half[1]);
    lh_free(side);
    return rc;
}

/* Wait for the worker (interrupting it when this half failed) and give
 * back its result. */
static lh_rc par_join(ctas_worker *w, int interrupt)
{
    if (w->started) {
        if (interrupt)
            sqlite3_interrupt(w->e->db);
        pthread_join(w->th, NULL);
        w->started = 0;
    }
    return w->rc;
}

static void par_free(ctas_worker *w)
{
    (void)par_join(w, 1);
    lh_ctas_out_free(&w->o);
    lh_engine_close(w->e);
    lh_catalog_close(w->cat);
    lh_store_close(w->store);
    memset(w, 0, sizeof *w);
}

/* Refuse, before anything is written, a location that equals, contains or
 * lies inside another table's (the catalog refuses it again at commit). */
static lh_rc check_own_prefix(lh_engine *e, const lh_stmt *st, const char *filename, const char *db,
                              const char *what, const char *loc, lh_err *err)
{
    char *odb = NULL, *oname = NULL, *oloc = NULL;
    lh_rc rc = lh_catalog_location_owner(e->cat, loc, 0, db, st->name, &odb, &oname, &oloc, err);
    if (!rc && odb)
        rc = lh_errf(err, LH_EEXIST,
                     "%s:%d:%d: %s '%s' overlaps the location of table %s.%s (%s); choose a prefix of its own",
                     filename, st->line, st->col, what, loc, odb, oname, oloc);
    lh_free(odb);
    lh_free(oname);
    lh_free(oloc);
    return rc;
}

lh_rc lh_engine_ctas(lh_engine *e, const lh_stmt *st, const char *filename, const lh_sink *sink,
                     lh_stmt_stats *stats, lh_err *err)
{
    const char *db = st->db ? st->db : "default";
    const char *format, *location;
    char *loc = NULL, *job = NULL;
    lh_table_def existing, def;
    lh_ctas_cols cols;
    lh_ctas_out o;
    sqlite3_stmt *q = NULL;
    ctas_worker w;
    int64_t run_id = 0, snap = 0;
    uint64_t rows = 0;
    lh_rc rc;
    int exists = 0, db_exists = 0, run_open = 0;
    time_t now = time(NULL);
    struct tm tmv;
    char stamp[32];
    lh_rewrite rw;
    lh_lake_lock *lock = NULL;
    int vec = 0;
    char why[256];

    memset(&rw, 0, sizeof rw);
    memset(&existing, 0, sizeof existing);
    memset(&def, 0, sizeof def);
    memset(&cols, 0, sizeof cols);
    memset(&o, 0, sizeof o);
    memset(&w, 0, sizeof w);
    w.rw = &rw;
    w.st = st;
    w.filename = filename;
    w.cols = &cols;
    lh_buf_init(&w.o.buf, 0);
    o.e = e;
    o.store = e->store;
    lh_buf_init(&o.buf, 0);
    stats->is_ctas = 1;
    snprintf(stats->target, sizeof stats->target, "%s.%s", db, st->name);

    rc = check_with(st, filename, &format, &location, &o.codec, err);
    if (rc)
        goto out;
    rc = lh_lake_lock_acquire(lh_catalog_path(e->cat), stats->target, 0, &lock, err);
    if (rc)
        goto out;
    rc = lh_catalog_database_exists(e->cat, db, &db_exists, err);
    if (rc)
        goto out;
    if (!db_exists) {
        rc = lh_errf(err, LH_ENOTFOUND, "%s:%d:%d: database '%s' does not exist; CREATE DATABASE %s first", filename,
                     st->line, st->col, db, db);
        goto out;
    }
    rc = lh_catalog_get_table(e->cat, db, st->name, &existing, err);
    if (rc == LH_OK)
        exists = 1;
    else if (rc != LH_ENOTFOUND)
        goto out;
    rc = LH_OK;
    if (exists && st->if_not_exists) {
        lh_engine_notice(sink, "Table %s.%s exists; nothing done (IF NOT EXISTS)", db, st->name);
        goto out;
    }
    if (exists && !existing.managed) {
        rc = lh_errf(err, LH_EEXIST,
                     "%s:%d:%d: table %s.%s exists as an EXTERNAL table; a CREATE TABLE AS job only replaces tables it "
                     "created. DROP TABLE it first",
                     filename, st->line, st->col, db, st->name);
        goto out;
    }
    if (location) {
        size_t n = strlen(location);
        loc = n && location[n - 1] == '/' ? lh_strdup(location) : lh_aprintf("%s/", location);
    } else if (exists)
        loc = lh_strdup(existing.location);
    else
        loc = lh_aprintf("s3://lakehouse-warehouse/%s/%s/", db, st->name);
    job = e->job ? lh_strdup(e->job) : lh_aprintf("ctas %s.%s", db, st->name);
    if (!loc || !job) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory");
        goto out;
    }
    rc = check_own_prefix(e, st, filename, db, location ? "external_location" : "location", loc, err);
    if (rc)
        goto out;

    rc = lh_catalog_run_begin(e->cat, job, &run_id, err);
    if (rc)
        goto out;
    run_open = 1;
    stats->run_id = run_id;
    gmtime_r(&now, &tmv);
    strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tmv);
    o.parquet = !strcasecmp(format, "PARQUET");
    o.prefix = lh_aprintf("%srun-%06lld-%s/", loc, (long long)run_id, stamp);
    if (!o.prefix) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory");
        goto out;
    }

    rc = lh_ctas_vec_run(e, st, filename, &o, &cols, &rows, &vec, why, sizeof why, err);
    if (rc)
        goto out;
    if (vec) {
        if (st->with_no_data)
            rc = o.parquet ? lh_ctas_pq_finish(&o, cols.n, err) : lh_ctas_close_part(&o, err);
        if (rc)
            goto out;
        goto written;
    }
    rc = lh_sql_athenaize(st->query, st->query_len, &rw, err);
    if (rc)
        goto out;
    rc = lh_engine_prepare(e, rw.text, (int)rw.len, &q, NULL, err);
    if (rc == LH_ESQL)
        rc = lh_engine_sql_error(e, st, st->query, &rw, filename, err);
    else if (rc)
        rc = lh_err_prefix(err, "%s:%d:%d", filename, st->query_line, st->query_col);
    else if (!q)
        rc = lh_errf(err, LH_EPARSE, "%s:%d:%d: empty query", filename, st->query_line, st->query_col);
    if (rc)
        goto out;
    rc = ctas_cols_init_sqlite(&cols, q, filename, st, err);
    if (rc)
        goto out;
    if (!st->with_no_data) {
        char *pdb = NULL, *pname = NULL;
        int split = 0;
        rc = par_plan(e, &rw, &cols, &pdb, &pname, err);
        if (!rc && pdb)
            rc = par_start(e, pdb, pname, &w, &o, &split, err);
        lh_free(pdb);
        lh_free(pname);
        if (rc)
            goto out;
        rc = ctas_stream(e, q, st, filename, &cols, 1, &o, &rows, err);
        if (split) {
            lh_rc wrc = par_join(&w, rc != LH_OK);
            if (!rc && wrc) {
                rc = wrc;
                *err = w.err;
            }
            if (rc)
                goto out;
            /* the second half's objects join this run's */
            for (size_t i = 0; i < w.o.nfiles; i++) {
                rc = lh_ctas_add_file(&o, w.o.files[i].uri, w.o.files[i].size, w.o.files[i].rows, err);
                if (rc)
                    goto out;
                w.o.files[i].uri = NULL;
            }
            w.o.nfiles = 0;
            rows += w.rows;
            e->rows_read += w.e->rows_read;
            e->pages_read += w.e->pages_read;
            e->bytes_read += w.e->bytes_read;
            e->rg_skipped += w.e->rg_skipped;
        }
    } else
        rc = o.parquet ? lh_ctas_pq_finish(&o, cols.n, err) : lh_ctas_close_part(&o, err);
    if (rc)
        goto out;
written:
    lh_ctas_cols_finish(&cols);
    rc = build_def(&def, db, st->name, loc, &cols, &o, err);
    if (rc)
        goto out;
    if (!st->with_no_data) {
        int64_t qrows = 0;
        rc = commit_quarantine(e, db, st->name, loc, stamp, &qrows, err);
        if (rc)
            goto out;
        if (qrows)
            lh_engine_notice(sink, "Quarantined %lld malformed line%s in %s.%s_quarantine", (long long)qrows,
                             qrows == 1 ? "" : "s", db, st->name);
    }
    lh_crashpoint("before catalog commit");
    rc = lh_catalog_commit_snapshot(e->cat, &def, run_id, o.prefix, o.files, o.nfiles, (int64_t)e->rows_read,
                                    (int64_t)rows, &snap, err);
    if (rc)
        goto out;
    lh_crashpoint("after catalog commit");
    run_open = 0;
    stats->snapshot_id = snap;
    stats->rows_out = rows;
    lh_engine_notice(sink, "Created %s.%s: %llu rows in %zu object%s under %s (snapshot %lld)", db, st->name,
                     (unsigned long long)rows, o.nfiles, o.nfiles == 1 ? "" : "s", o.prefix, (long long)snap);
out:
    sqlite3_finalize(q);
    lh_rewrite_free(&rw);
    if (rc) {
        lh_ctas_discard(&o);
        (void)par_join(&w, 1);
        if (w.e)
            lh_ctas_discard(&w.o);
        rc = lh_engine_cancelled(e, rc, err);
        if (run_open && rc == LH_ECANCELLED) {
            lh_err ignored;
            (void)!lh_catalog_run_cancel(e->cat, run_id, (int64_t)e->rows_read,
                                         "cancelled (interrupted); the previous snapshot was kept", &ignored);
        } else if (run_open) {
            lh_err ignored;
            (void)!lh_catalog_run_fail(e->cat, run_id, (int64_t)e->rows_read, err ? err->msg : "failed", &ignored);
        }
    }
    par_free(&w);
    lh_ctas_cols_free(&cols);
    lh_ctas_out_free(&o);
    lh_table_def_free(&existing);
    lh_table_def_free(&def);
    lh_free(loc);
    lh_free(job);
    lh_lake_lock_release(lock);
    return rc;
}
