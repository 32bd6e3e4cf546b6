/* sql/engine.c — statement dispatch, snapshot pinning, the statement's
 * quarantine.  Queries run in sql/query.c, CTAS jobs in sql/ctas.c,
 * SHOW/DESCRIBE and DDL in sql/show.c. */
#include "sql/engine.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "exec/spill.h"
#include "formats/json.h"
#include "formats/jsonl.h"
#include "sql/ddl.h"
#include "sql/engine_int.h"
#include "sql/parallel_int.h"
#include "formats/parquet.h"
#include "sql/lexer.h"
#include "util/mem.h"
#include "util/names.h"
#include "util/threads.h"

/* ---- pinned snapshots (one per table per statement) ---- */

static void pin_clear(lh_engine *e)
{
    size_t i;
    for (i = 0; i < e->npins; i++) {
        lh_table_def_free(&e->pins[i].def);
        if (e->pins[i].listed)
            lh_obj_list_free(e->pins[i].objs, e->pins[i].nobjs);
        lh_free(e->pins[i].uris);
        lh_free(e->pins[i].sizes);
    }
    e->npins = 0;
}

lh_rc lh_engine_pin_def(lh_engine *e, const char *db, const char *name, lh_pin **out, lh_err *err)
{
    size_t i;
    lh_pin *p;
    lh_rc rc;
    for (i = 0; i < e->npins; i++)
        if (!strcmp(e->pins[i].def.db, db) && !strcmp(e->pins[i].def.name, name)) {
            *out = &e->pins[i];
            return LH_OK;
        }
    if (e->npins == e->apins) {
        size_t na = e->apins ? e->apins * 2 : 16;
        lh_pin *np = lh_realloc(e->pins, na * sizeof *np);
        if (!np)
            return lh_errf(err, LH_ENOMEM, "out of memory");
        e->pins = np;
        e->apins = na;
    }
    p = &e->pins[e->npins];
    memset(p, 0, sizeof *p);
    rc = lh_catalog_get_table(e->cat, db, name, &p->def, err);
    if (rc)
        return rc;
    e->npins++;
    *out = p;
    return LH_OK;
}

/* Hive and Athena skip files whose names start with '_' or '.'. */
static int hidden_object(const char *uri)
{
    const char *b = strrchr(uri, '/');
    b = b ? b + 1 : uri;
    return *b == '_' || *b == '.';
}

static lh_rc pin_files(lh_engine *e, lh_pin *p, lh_err *err)
{
    size_t i, n = 0;
    lh_rc rc;
    if (p->uris)
        return LH_OK;
    if (p->def.managed) {
        p->uris = lh_calloc(p->def.n_files + 1, sizeof *p->uris);
        if (!p->uris)
            return lh_errf(err, LH_ENOMEM, "out of memory");
        for (i = 0; i < p->def.n_files; i++)
            p->uris[n++] = p->def.files[i].uri;
    } else {
        char *prefix = NULL;
        size_t ln = strlen(p->def.location);
        /* LOCATION names a folder: read what is under "loc/" */
        prefix = ln && p->def.location[ln - 1] == '/' ? lh_strdup(p->def.location) : lh_aprintf("%s/", p->def.location);
        if (!prefix)
            return lh_errf(err, LH_ENOMEM, "out of memory");
        rc = lh_store_list_all(e->store, prefix, &p->objs, &p->nobjs, err);
        lh_free(prefix);
        if (rc)
            return lh_err_prefix(err, "table %s.%s", p->def.db, p->def.name);
        p->listed = 1;
        p->uris = lh_calloc(p->nobjs + 1, sizeof *p->uris);
        if (!p->uris)
            return lh_errf(err, LH_ENOMEM, "out of memory");
        for (i = 0; i < p->nobjs; i++)
            if (!hidden_object(p->objs[i].uri))
                p->uris[n++] = p->objs[i].uri;
    }
    p->nuris = n;
    return LH_OK;
}

lh_rc lh_engine_pin_table(lh_engine *e, const char *db, const char *name, const lh_table_def **def,
                          const char *const **uris, const uint64_t **sizes, size_t *n, lh_err *err)
{
    lh_pin *p;
    size_t i, j;
    lh_rc rc = lh_engine_pin_def(e, db, name, &p, err);
    if (!rc)
        rc = pin_files(e, p, err);
    if (rc)
        return rc;
    if (!p->sizes) {
        p->sizes = lh_calloc(p->nuris + 1, sizeof *p->sizes);
        if (!p->sizes)
            return lh_errf(err, LH_ENOMEM, "out of memory");
        for (i = j = 0; i < p->nuris; i++) {
            if (p->listed) { /* uris are objs in order, hidden ones skipped */
                while (j < p->nobjs && p->objs[j].uri != p->uris[i])
                    j++;
                if (j < p->nobjs)
                    p->sizes[i] = p->objs[j].size;
            } else if (i < p->def.n_files)
                p->sizes[i] = p->def.files[i].size;
        }
    }
    *def = &p->def;
    *uris = (const char *const *)p->uris;
    *sizes = p->sizes;
    *n = p->nuris;
    return LH_OK;
}

/* Append s as a JSON string, replacing bytes that are not UTF-8 with
 * U+FFFD, so binary garbage still makes a readable quarantine row. */
static lh_rc quote_lossy(lh_buf *b, const char *s, size_t n, lh_err *err)
{
    lh_buf t;
    size_t i = 0;
    lh_rc rc = LH_OK;
    lh_buf_init(&t, 0);
    while (i < n && !rc) {
        unsigned char c = (unsigned char)s[i];
        size_t len = 0, k;
        unsigned char lo = 0x80, hi = 0xBF;
        if (c < 0x80)
            len = 1;
        else if (c >= 0xC2 && c <= 0xDF)
            len = 2;
        else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            if (c == 0xE0)
                lo = 0xA0;
            if (c == 0xED)
                hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            if (c == 0xF0)
                lo = 0x90;
            if (c == 0xF4)
                hi = 0x8F;
        }
        for (k = 1; len > 1 && k < len; k++) {
            unsigned char d = i + k < n ? (unsigned char)s[i + k] : 0;
            if (d < (k == 1 ? lo : 0x80) || d > (k == 1 ? hi : 0xBF)) {
                len = 0;
                break;
            }
        }
        if (len) {
            rc = lh_buf_append(&t, s + i, len, err);
            i += len;
        } else {
            rc = lh_buf_puts(&t, "\xEF\xBF\xBD", err);
            i++;
        }
    }
    if (!rc)
        rc = lh_json_quote(b, t.data ? t.data : "", t.len, err);
    lh_buf_free(&t);
    return rc;
}

/* 1 if (uri, line) was already quarantined in this statement; else records it. */
static int qseen(lh_engine *e, const char *uri, uint64_t line, lh_err *err, lh_rc *rc)
{
    uint64_t h = 1469598103934665603ULL;
    size_t i, mask;
    const char *p;
    *rc = LH_OK;
    for (p = uri; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    h = (h ^ line) * 0x9E3779B97F4A7C15ULL;
    if (h == 0)
        h = 1;
    if (e->nquarantined * 2 + 2 > e->qseen_cap) {
        size_t ncap = e->qseen_cap ? e->qseen_cap * 2 : 1024, k;
        uint64_t *nt = lh_calloc(ncap, sizeof *nt);
        if (!nt) {
            *rc = lh_errf(err, LH_ENOMEM, "out of memory");
            return 0;
        }
        for (k = 0; k < e->qseen_cap; k++)
            if (e->qseen[k]) {
                size_t j = e->qseen[k] & (ncap - 1);
                while (nt[j])
                    j = (j + 1) & (ncap - 1);
                nt[j] = e->qseen[k];
            }
        lh_free(e->qseen);
        e->qseen = nt;
        e->qseen_cap = ncap;
    }
    mask = e->qseen_cap - 1;
    for (i = h & mask; e->qseen[i]; i = (i + 1) & mask)
        if (e->qseen[i] == h)
            return 1;
    e->qseen[i] = h;
    return 0;
}

static lh_rc quarantine_line(lh_engine *e, const char *db, const char *table, const char *uri, uint64_t line,
                             const char *reason, const char *raw, size_t n, lh_err *err)
{
    lh_buf *b = &e->quarantine;
    size_t mark = b->len;
    char src[520];
    lh_rc rc;
    if (qseen(e, uri, line, err, &rc) || rc)
        return rc;
    snprintf(src, sizeof src, "%s.%s", db, table);
    rc = lh_buf_puts(b, "{\"source_table\":", err);
    if (!rc)
        rc = lh_json_quote(b, src, strlen(src), err);
    if (!rc)
        rc = lh_buf_puts(b, ",\"file\":", err);
    if (!rc)
        rc = lh_json_quote(b, uri, strlen(uri), err);
    if (!rc)
        rc = lh_buf_printf(b, err, ",\"line\":%llu,\"reason\":", (unsigned long long)line);
    if (!rc)
        rc = quote_lossy(b, reason, strlen(reason), err);
    if (!rc)
        rc = lh_buf_puts(b, ",\"raw\":", err);
    if (!rc)
        rc = quote_lossy(b, raw, n, err);
    if (!rc)
        rc = lh_buf_puts(b, "}\n", err);
    if (rc) {
        b->len = mark;
        if (rc == LH_ELIMIT)
            return lh_errf(err, LH_ELIMIT,
                           "%s:%llu: more malformed lines than the quarantine holds (%zu MiB per statement); "
                           "fix the source data",
                           uri, (unsigned long long)line, LH_QUARANTINE_CAP >> 20);
        return rc;
    }
    e->nquarantined++;
    return LH_OK;
}

lh_rc lh_engine_quarantine(lh_engine *e, const char *db, const char *table, const char *uri, uint64_t line,
                           const char *reason, const char *raw, size_t n, lh_err *err)
{
    return quarantine_line(e, db, table, uri, line, reason, raw, n, err);
}

void lh_engine_reset_figures(lh_engine *e)
{
    e->rows_read = 0;
    e->malformed = 0;
    e->pages_read = e->bytes_read = e->rg_skipped = e->spill_bytes = 0;
    e->first_malformed[0] = 0;
    lh_buf_reset(&e->quarantine);
    e->nquarantined = 0;
    if (e->qseen)
        memset(e->qseen, 0, e->qseen_cap * sizeof *e->qseen);
}

lh_rc lh_engine_begin_statement(lh_engine *e, lh_err *err)
{
    (void)err;
    pin_clear(e);
    lh_engine_reset_figures(e);
    return LH_OK;
}

/* ---- open/close ---- */

lh_rc lh_engine_open(lh_store *store, lh_catalog *cat, lh_engine **out, lh_err *err)
{
    lh_engine *e;
    lh_rc rc;
    *out = NULL;
    e = lh_calloc(1, sizeof *e);
    if (!e)
        return lh_errf(err, LH_ENOMEM, "out of memory");
    e->store = store;
    e->cat = cat;
    lh_buf_init(&e->quarantine, LH_QUARANTINE_CAP);
    rc = LH_OK;
    /* 'default' exists in every lake; creating it is a write, so only when missing */
    if (!rc) {
        int has_default = 0;
        rc = lh_catalog_database_exists(cat, "default", &has_default, err);
        if (!rc && !has_default && !lh_catalog_readonly(cat))
            rc = lh_catalog_create_database(cat, "default", 1, "Default database", err);
    }
    if (rc)
        goto fail;
    *out = e;
    return LH_OK;
fail:
    lh_engine_close(e);
    return rc;
}

void lh_engine_close(lh_engine *e)
{
    if (!e)
        return;
    pin_clear(e);
    lh_free(e->pins);
    lh_free(e->job);
    lh_free(e->tmp_dir);
    lh_free(e->db);
    lh_buf_free(&e->quarantine);
    lh_free(e->qseen);
    lh_free(e);
}

lh_rc lh_engine_set_job(lh_engine *e, const char *job, lh_err *err)
{
    char *j = lh_strdup(job);
    if (!j)
        return lh_errf(err, LH_ENOMEM, "out of memory");
    lh_free(e->job);
    e->job = j;
    return LH_OK;
}

void lh_engine_set_stats(lh_engine *e, int on) { e->stats_notice = on; }

const char *lh_engine_database(const lh_engine *e) { return e->db ? e->db : "default"; }

lh_rc lh_engine_use(lh_engine *e, const char *db, lh_err *err)
{
    int exists = 0;
    char *d;
    lh_rc rc = lh_catalog_database_exists(e->cat, db, &exists, err);
    if (rc)
        return rc;
    if (!exists) {
        char **names = NULL;
        size_t n = 0;
        const char *near = NULL;
        if (lh_catalog_list_databases(e->cat, &names, &n, NULL) == LH_OK)
            near = lh_name_nearest(db, (const char *const *)names, n);
        if (near)
            rc = lh_errf(err, LH_ENOTFOUND, "database '%s' does not exist (did you mean '%s'?)", db, near);
        else
            rc = lh_errf(err, LH_ENOTFOUND, "database '%s' does not exist (SHOW DATABASES lists them)", db);
        lh_strv_free(names, n);
        return rc;
    }
    if (!(d = lh_strdup(db)))
        return lh_errf(err, LH_ENOMEM, "out of memory");
    lh_free(e->db);
    e->db = d;
    return LH_OK;
}

lh_rc lh_engine_set_memory(lh_engine *e, size_t limit, const char *tmp_dir, lh_err *err)
{
    char *d = NULL;
    if (tmp_dir && !(d = lh_strdup(tmp_dir)))
        return lh_errf(err, LH_ENOMEM, "out of memory");
    lh_free(e->tmp_dir);
    lh_free(e->db);
    e->tmp_dir = d;
    e->mem_limit = limit;
    return LH_OK;
}

lh_catalog *lh_engine_catalog(lh_engine *e) { return e->cat; }
lh_store *lh_engine_store(lh_engine *e) { return e->store; }

double lh_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* ---- queries ---- */


void lh_engine_notice(const lh_sink *sink, const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    if (!sink || !sink->notice)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    sink->notice(sink->ctx, msg);
}

/* `SELECT COUNT(*) FROM [db.]t` on a table the engine wrote, or on Parquet
 * files, is answered from the snapshot's row count in the catalog (or the
 * Parquet footers) without scanning: *handled says whether it applied. */
/* ---- fast counts ---- */

typedef struct count_half {
    lh_store *store;
    const char **uris;
    size_t n;
    uint64_t rows;
    lh_rc rc;
} count_half;

/* Count the records of JSON-lines objects, validating every line as the
 * scan does (COUNT(*) reads no column, so nothing is converted). */
static void *count_half_run(void *arg)
{
    count_half *h = arg;
    lh_jsonl_reader *rd = NULL;
    lh_err err;
    int eof = 0;
    h->rc = lh_jsonl_reader_open(h->store, h->uris, h->n, NULL, 0, NULL, &rd, &err);
    while (!h->rc && !(h->rc = lh_jsonl_reader_next(rd, &eof, &err)) && !eof)
        ;
    if (!h->rc)
        h->rows = lh_jsonl_reader_stats(rd)->rows;
    lh_jsonl_reader_close(rd);
    return NULL;
}

/* COUNT(*) of a JSON-lines table on two threads (halves by bytes, a second
 * store handle); -1 when it cannot (one object, quarantining table, no
 * second handle, LH_THREADS=1) or when a half fails: then the SQL scan
 * counts, and reports any bad line with its file:line as always. */
static int64_t json_count(lh_engine *e, lh_pin *p)
{
    count_half h[2];
    const char *v = lh_props_get(p->def.serde_props, p->def.n_serde_props, "ignore.malformed.json");
    const lh_table_def *def;
    const char *const *uris;
    const uint64_t *sizes;
    unsigned char *done = NULL;
    size_t *side = NULL, n, i;
    pthread_t th;
    int started = 0;
    int64_t rows = -1;
    lh_err err;
    memset(h, 0, sizeof h);
    if ((v && !strcasecmp(v, "true")) || !lh_threads_enabled())
        return -1;
    if (lh_engine_pin_table(e, p->def.db, p->def.name, &def, &uris, &sizes, &n, &err) != LH_OK || n < 2)
        return -1;
    done = lh_calloc(n + 1, 1);
    side = lh_calloc(n + 1, sizeof *side);
    h[0].uris = lh_calloc(n + 1, sizeof *h[0].uris);
    h[1].uris = lh_calloc(n + 1, sizeof *h[1].uris);
    if (!done || !side || !h[0].uris || !h[1].uris || lh_store_clone(e->store, &h[1].store, &err) != LH_OK)
        goto out;
    lh_par_split_bins(sizes, n, 2, done, side);
    for (i = 0; i < n; i++)
        h[side[i]].uris[h[side[i]].n++] = uris[i];
    h[0].store = e->store;
    started = pthread_create(&th, NULL, count_half_run, &h[1]) == 0;
    count_half_run(&h[0]);
    if (started)
        pthread_join(th, NULL);
    else
        count_half_run(&h[1]);
    if (!h[0].rc && !h[1].rc)
        rows = (int64_t)(h[0].rows + h[1].rows);
out:
    lh_store_close(h[1].store);
    lh_free(h[0].uris);
    lh_free(h[1].uris);
    lh_free(side);
    lh_free(done);
    return rows;
}

/* 1 when every object of the snapshot is there with its recorded size
 * (one HEAD each): a count from the snapshot must not hide a lost file,
 * which the scan then reports by name. */
static int snapshot_intact(lh_engine *e, const lh_table_def *d)
{
    size_t i;
    for (i = 0; i < d->n_files; i++) {
        lh_obj_info oi;
        int ok;
        memset(&oi, 0, sizeof oi);
        ok = lh_store_head(e->store, d->files[i].uri, &oi, NULL) == LH_OK && oi.size == d->files[i].size;
        lh_obj_info_free(&oi);
        if (!ok)
            return 0;
    }
    return 1;
}

/* COUNT(*) of db.name without a scan where possible: a managed table's
 * snapshot (when use_snapshot), Parquet footers, or JSON lines on two
 * threads.  *rows = -1 when the SQL scan must count.  verify does not use
 * the snapshot's recorded count: it reads what is there. */
static void count_table(lh_engine *e, const char *db, const char *name, int use_snapshot, int64_t *rows)
{
    lh_pin *p;
    lh_err err;
    *rows = -1;
    if (lh_engine_pin_def(e, db, name, &p, NULL) != LH_OK)
        return; /* the query itself reports it */
    if (use_snapshot && p->def.managed && p->def.snapshot_id && snapshot_intact(e, &p->def))
        *rows = p->def.snapshot_rows;
    else if (!strcmp(p->def.format, "parquet")) {
        if (pin_files(e, p, &err) != LH_OK ||
            lh_pq_count_rows(e->store, (const char *const *)p->uris, p->nuris, rows, &err) != LH_OK)
            *rows = -1; /* a damaged footer: let the scan report it */
    } else if (!strcmp(p->def.format, "json"))
        *rows = json_count(e, p);
}

static lh_rc count_fast(lh_engine *e, const lh_stmt *st, const lh_sink *sink, lh_stmt_stats *stats, int *handled,
                        lh_err *err)
{
    static const char *const shape[] = {"SELECT", "COUNT", "(", "*", ")", "FROM"};
    lh_lexer lx;
    lh_token t[10];
    size_t n = 0, i;
    char *a = NULL, *b = NULL;
    const char *db, *name;
    int64_t rows = -1;
    lh_rc rc = LH_OK;
    *handled = 0;
    lh_lex_init(&lx, st->text, st->len, "<sql>");
    for (;;) {
        lh_token tok;
        if (lh_lex_next(&lx, &tok, NULL) != LH_OK || n == 10)
            return LH_OK;
        if (tok.kind == LH_TOK_EOF)
            break;
        t[n++] = tok;
    }
    if (n != 7 && n != 9)
        return LH_OK;
    for (i = 0; i < 6; i++)
        if (!(t[i].kind == LH_TOK_PUNCT ? lh_tok_punct(st->text, &t[i], shape[i][0]) : lh_tok_is(st->text, &t[i], shape[i])))
            return LH_OK;
    if (n == 9 && !lh_tok_punct(st->text, &t[7], '.'))
        return LH_OK;
    a = lh_tok_value(st->text, &t[6]);
    b = n == 9 ? lh_tok_value(st->text, &t[8]) : NULL;
    if (!a || (n == 9 && !b)) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory");
        goto out;
    }
    for (i = 0; a[i]; i++)
        a[i] = (char)tolower((unsigned char)a[i]);
    for (i = 0; b && b[i]; i++)
        b[i] = (char)tolower((unsigned char)b[i]);
    db = b ? a : lh_engine_database(e);
    name = b ? b : a;
    count_table(e, db, name, 1, &rows);
    if (rows >= 0) {
        const char *names[1] = {"_col0"}, *types[1] = {"bigint"};
        lh_value v;
        memset(&v, 0, sizeof v);
        v.t = LH_V_INT;
        v.i = rows;
        *handled = 1;
        if (sink && sink->begin && (rc = sink->begin(sink->ctx, 1, names, types, err)))
            goto out;
        if (sink && sink->row && (rc = sink->row(sink->ctx, &v, err)))
            goto out;
        if (sink && sink->end && (rc = sink->end(sink->ctx, 1, err)))
            goto out;
        stats->rows_out = 1;
    }
out:
    lh_free(a);
    lh_free(b);
    return rc;
}

static lh_rc run_query(lh_engine *e, const lh_stmt *st, const char *filename, const lh_sink *sink,
                       lh_stmt_stats *stats, lh_err *err)
{
    int handled = 0;
    lh_rc rc = count_fast(e, st, sink, stats, &handled, err);
    if (rc || handled)
        return rc;
    return lh_query_run(e, st, filename, sink, stats, err);
}

lh_rc lh_engine_exec(lh_engine *e, const char *src, size_t len, const char *filename, const lh_sink *sink,
                     lh_stmt_stats *stats, lh_err *err)
{
    lh_script *sc = NULL;
    lh_stmt_stats local;
    lh_rc rc;
    size_t i;
    if (!filename)
        filename = "<sql>";
    if (!stats)
        stats = &local;
    rc = lh_script_parse(src, len, filename, &sc, err);
    if (rc)
        return rc;
    for (i = 0; i < lh_script_count(sc) && !rc; i++) {
        const lh_stmt *st = lh_script_stmt(sc, i);
        double t0 = lh_now_ms();
        memset(stats, 0, sizeof *stats);
        if (atomic_load(&e->interrupt)) {
            rc = lh_engine_cancelled(e, LH_ECANCELLED, err);
            break;
        }
        rc = lh_engine_begin_statement(e, err);
        if (rc)
            break;
        switch (st->kind) {
        case LH_STMT_QUERY: rc = run_query(e, st, filename, sink, stats, err); break;
        case LH_STMT_CTAS: rc = lh_engine_ctas(e, st, filename, sink, stats, err); break;
        default: rc = lh_engine_ddl(e, st, filename, sink, stats, err); break;
        }
        rc = lh_engine_cancelled(e, rc, err);
        stats->rows_read = e->rows_read;
        stats->malformed = e->nquarantined;
        stats->pages_read = e->pages_read;
        stats->bytes_read = e->bytes_read;
        stats->row_groups_skipped = e->rg_skipped;
        stats->spill_bytes = e->spill_bytes;
        stats->ms = lh_now_ms() - t0;
        if (e->nquarantined)
            lh_engine_notice(sink, "warning: skipped %llu malformed JSON line%s ('ignore.malformed.json'='true'); first: %s",
                             (unsigned long long)e->nquarantined, e->nquarantined == 1 ? "" : "s",
                             e->first_malformed);
        if (e->stats_notice && !stats->is_ctas) {
            char spilled[64] = "";
            if (stats->spill_bytes) {
                char b[32];
                lh_spill_fmt_bytes(stats->spill_bytes, b, sizeof b);
                snprintf(spilled, sizeof spilled, "; spilled %s to disk", b);
            }
            lh_engine_notice(sink, "scanned %llu rows; Parquet: %llu pages, %llu bytes read, %llu row groups skipped%s; %.1f ms",
                             (unsigned long long)stats->rows_read, (unsigned long long)stats->pages_read,
                             (unsigned long long)stats->bytes_read, (unsigned long long)stats->row_groups_skipped,
                             spilled, stats->ms);
        }
        pin_clear(e);
    }
    lh_script_free(sc);
    return rc;
}

/* The one value of a count query, through a sink. */
typedef struct count_sink {
    int64_t rows;
    int got;
} count_sink;

static lh_rc count_row(void *ctx, const lh_value *vals, lh_err *err)
{
    count_sink *c = ctx;
    (void)err;
    if (vals[0].t == LH_V_INT) {
        c->rows = vals[0].i;
        c->got = 1;
    } else if (vals[0].t == LH_V_TEXT) { /* the formatted bigint */
        char buf[32];
        snprintf(buf, sizeof buf, "%.*s", (int)(vals[0].n < 31 ? vals[0].n : 31), vals[0].s);
        c->rows = strtoll(buf, NULL, 10);
        c->got = 1;
    }
    return LH_OK;
}

/* A quoted identifier: "x" with every '"' doubled. */
static lh_rc put_ident(lh_buf *b, const char *s, lh_err *err)
{
    lh_rc rc = lh_buf_putc(b, '"', err);
    for (; !rc && *s; s++)
        rc = *s == '"' ? lh_buf_puts(b, "\"\"", err) : lh_buf_putc(b, *s, err);
    return rc ? rc : lh_buf_putc(b, '"', err);
}

lh_rc lh_engine_count(lh_engine *e, const char *db, const char *table, int64_t *rows, lh_err *err)
{
    lh_buf sql;
    lh_stmt st;
    lh_stmt_stats stats;
    lh_sink sink;
    count_sink c;
    lh_rc rc;
    rc = lh_engine_begin_statement(e, err);
    if (rc)
        return rc;
    count_table(e, db, table, 0, rows);
    if (*rows >= 0) {
        pin_clear(e);
        return LH_OK;
    }
    /* not from metadata: the query itself, on our engine, the names quoted */
    lh_buf_init(&sql, 0);
    rc = lh_buf_puts(&sql, "SELECT count(*) FROM ", err);
    if (!rc)
        rc = put_ident(&sql, db, err);
    if (!rc)
        rc = lh_buf_putc(&sql, '.', err);
    if (!rc)
        rc = put_ident(&sql, table, err);
    if (!rc) {
        memset(&st, 0, sizeof st);
        memset(&stats, 0, sizeof stats);
        memset(&sink, 0, sizeof sink);
        memset(&c, 0, sizeof c);
        st.kind = LH_STMT_QUERY;
        st.text = sql.data;
        st.len = sql.len;
        st.line = st.col = 1;
        sink.ctx = &c;
        sink.row = count_row;
        rc = lh_query_run(e, &st, "<count>", &sink, &stats, err);
        if (!rc && !c.got)
            rc = lh_errf(err, LH_EINTERNAL, "counting %s.%s: no result", db, table);
        if (rc)
            rc = lh_err_prefix(err, "counting %s.%s", db, table);
        else
            *rows = c.rows;
    }
    lh_buf_free(&sql);
    pin_clear(e);
    return rc;
}

/* ---- interrupts ---- */

void lh_engine_interrupt(lh_engine *e)
{
    if (!e)
        return;
    atomic_store(&e->interrupt, 1);
}

int lh_engine_interrupted(lh_engine *e) { return e && atomic_load(&e->interrupt); }

void lh_engine_clear_interrupt(lh_engine *e)
{
    if (e)
        atomic_store(&e->interrupt, 0);
}

lh_rc lh_engine_cancelled(lh_engine *e, lh_rc rc, lh_err *err)
{
    if (rc == LH_OK || (rc == LH_ECANCELLED && err && err->code == LH_ECANCELLED))
        return rc;
    if (rc == LH_ECANCELLED || atomic_load(&e->interrupt))
        return lh_errf(err, LH_ECANCELLED, "cancelled (interrupted)");
    return rc;
}
