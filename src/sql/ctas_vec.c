/* sql/ctas_vec.c — a CREATE TABLE AS job's query on our engine.
 *
 * The query is parsed, analyzed and planned as any query (sql/query.c),
 * and its batches go to the job's writers (sql/ctas_int.h).  The output
 * columns get Hive types from the analyzer's Trino types (hive_type), so
 * a job's table has the types Athena gives the same CTAS.
 *
 * Parallel runs.  When the plan streams the rows of one table from a scan
 * up to the root (lh_op_stream_child: filters, projections and the probe
 * side of joins, as in select-project-join jobs) and that table has
 * several objects, the objects are split into one share per worker
 * (lh_threads_count, LH_THREADS) of about equal bytes.  Each worker plans
 * the query again with that one scan restricted to its share, and with its
 * own store handle (store calls never cross threads), then writes its own
 * part objects under the run's prefix; the run commits them all, once.
 * The other tables (a join's build side) are read whole by every worker
 * and counted once.  A failing worker stops the others within a batch
 * (lh_exec_ctx.cancel); the first real error is the run's.
 *
 * Values reach the row-at-a-time writers as lh_value cells; decimals,
 * dates and timestamps as their exact text, which the writers parse.
 * (Batches straight into the writers' column buffers would save that
 * conversion: issue 13's work.)
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec/scan.h"
#include "plan/planner.h"
#include "sql/ctas_int.h"
#include "sql/parse.h"
#include "sql/parallel_int.h"
#include "util/threads.h"


/* The Hive type a CTAS column of Trino type t gets, as Athena's Hive
 * connector maps them; the types Hive cannot hold are refused with
 * Trino's words and a way out. */
static lh_rc hive_type(lh_sqltype t, const char *col, const char *filename, const lh_stmt *st, lh_type *out,
                       lh_err *err)
{
    char tb[LH_SQLTYPE_NAME_MAX];
    memset(out, 0, sizeof *out);
    switch ((lh_sqltype_id)t.id) {
    case LH_SQL_BOOLEAN: out->kind = LH_T_BOOLEAN; return LH_OK;
    case LH_SQL_TINYINT: out->kind = LH_T_TINYINT; return LH_OK;
    case LH_SQL_SMALLINT: out->kind = LH_T_SMALLINT; return LH_OK;
    case LH_SQL_INTEGER: out->kind = LH_T_INT; return LH_OK;
    case LH_SQL_BIGINT: out->kind = LH_T_BIGINT; return LH_OK;
    case LH_SQL_REAL: out->kind = LH_T_FLOAT; return LH_OK;
    case LH_SQL_DOUBLE: out->kind = LH_T_DOUBLE; return LH_OK;
    case LH_SQL_DECIMAL:
        out->kind = LH_T_DECIMAL;
        out->p = t.p;
        out->s = t.s;
        return LH_OK;
    case LH_SQL_VARCHAR: /* Hive's varchar holds at most 65535 characters */
        if (t.len != LH_SQL_UNBOUNDED && t.len >= 1 && t.len <= 65535) {
            out->kind = LH_T_VARCHAR;
            out->p = (int)t.len;
        } else
            out->kind = LH_T_STRING;
        return LH_OK;
    case LH_SQL_CHAR:
        if (t.len >= 1 && t.len <= 255) {
            out->kind = LH_T_CHAR;
            out->p = (int)t.len;
        } else
            out->kind = LH_T_STRING;
        return LH_OK;
    case LH_SQL_DATE: out->kind = LH_T_DATE; return LH_OK;
    case LH_SQL_TIMESTAMP: out->kind = LH_T_TIMESTAMP; return LH_OK; /* milliseconds, as Athena's Hive tables */
    case LH_SQL_UNKNOWN:
        return lh_errf(err, LH_EINVAL, "%s:%d:%d: Column type is unknown: %s; CAST the value to the column's type",
                       filename, st->query_line, st->query_col, col);
    case LH_SQL_TIMESTAMP_TZ:
        return lh_errf(err, LH_EINVAL,
                       "%s:%d:%d: Unsupported Hive type: %s (column %s); CAST it AS timestamp (UTC with AT TIME ZONE "
                       "'UTC' first) or format it as varchar",
                       filename, st->query_line, st->query_col, lh_sqltype_name(t, tb, sizeof tb), col);
    default:
        return lh_errf(err, LH_EINVAL, "%s:%d:%d: Unsupported Hive type: %s (column %s); CAST it to a type Hive holds",
                       filename, st->query_line, st->query_col, lh_sqltype_name(t, tb, sizeof tb), col);
    }
}

/* A cell as the text Athena prints for it, appended to txt. */
static lh_rc fmt_cell(lh_vector *v, uint32_t row, lh_buf *txt, size_t *off, lh_value *x, lh_err *err)
{
    int is_null = 0;
    lh_rc rc;
    *off = txt->len;
    if ((rc = lh_value_format(v, row, txt, &is_null, err)))
        return rc;
    x->t = is_null ? LH_V_NULL : LH_V_TEXT;
    x->n = txt->len - *off;
    return LH_OK;
}

/* Row `row` of b as cells.  Text cells point into txt (offsets in offs
 * while it grows) or into strs (short strings live in the view itself);
 * both stay valid until the next row. */
static lh_rc row_cells(lh_batch *b, uint32_t row, const lh_sqltype *types, size_t n, lh_buf *txt, lh_str *strs,
                       size_t *offs, lh_value *vals, lh_err *err)
{
    size_t c;
    lh_rc rc;
    lh_buf_reset(txt);
    for (c = 0; c < n; c++) {
        lh_vector *v = b->cols[c];
        lh_value *x = &vals[c];
        memset(x, 0, sizeof *x);
        offs[c] = (size_t)-1;
        if (!lh_vector_get_valid(v, row))
            continue; /* LH_V_NULL */
        switch ((lh_sqltype_id)types[c].id) {
        case LH_SQL_BOOLEAN:
            x->t = LH_V_INT;
            x->i = lh_vector_get_i64(v, row) != 0;
            break;
        case LH_SQL_TINYINT:
        case LH_SQL_SMALLINT:
        case LH_SQL_INTEGER:
        case LH_SQL_BIGINT:
            x->t = LH_V_INT;
            x->i = lh_vector_get_i64(v, row);
            break;
        case LH_SQL_DOUBLE:
            x->t = LH_V_REAL;
            x->d = lh_vector_get_f64(v, row);
            break;
        case LH_SQL_VARCHAR:
            strs[c] = lh_vector_get_str(v, row);
            x->t = LH_V_TEXT;
            x->s = lh_str_ptr(&strs[c]);
            x->n = lh_str_len(&strs[c]);
            break;
        case LH_SQL_TIMESTAMP: { /* micros -> milliseconds, half up, as a cast to timestamp(3) rounds */
            int64_t us = lh_vector_get_i64(v, row), ms = us / 1000, rem = us % 1000;
            char tb[40];
            size_t k;
            if (rem < 0) {
                ms--;
                rem += 1000;
            }
            if (rem >= 500)
                ms++;
            k = lh_fmt_timestamp_ms(ms, tb, sizeof tb);
            offs[c] = txt->len;
            if ((rc = lh_buf_append(txt, tb, k, err)))
                return rc;
            x->t = LH_V_TEXT;
            x->n = k;
            break;
        }
        case LH_SQL_REAL: {
            double d = lh_vector_get_f64(v, row);
            if (d != d || d - d != 0) { /* NaN, infinities: the writers' own spelling */
                x->t = LH_V_REAL;
                x->d = d;
                break;
            }
            if ((rc = fmt_cell(v, row, txt, &offs[c], x, err))) /* Float.toString's digits, not the double's */
                return rc;
            break;
        }
        default: /* decimal (exact digits), date, char */
            if ((rc = fmt_cell(v, row, txt, &offs[c], x, err)))
                return rc;
            break;
        }
    }
    for (c = 0; c < n; c++)
        if (offs[c] != (size_t)-1 && vals[c].t == LH_V_TEXT)
            vals[c].s = txt->data + offs[c];
    return LH_OK;
}

typedef struct cv_run cv_run;

/* A worker's output side; its plan is par.w[index]. */
typedef struct cv_worker {
    cv_run *run;
    lh_par_worker *pw;
    lh_ctas_out *o; /* worker 0: the job's output; others: own */
    lh_ctas_out own;
    int has_own;
    uint64_t rows;
    lh_rc rc;
    lh_err err;
    pthread_t th;
    int started;
} cv_worker;

struct cv_run {
    lh_engine *e;
    const lh_stmt *st;
    const char *filename;
    lh_exec_ctx ectx;
    atomic_int cancel;
    lh_par par;
    const lh_ctas_cols *cols;
    lh_sqltype *types; /* the query's output types */
    size_t ncols;
    cv_worker w[LH_PAR_MAX];
    size_t nw;
};

/* Every batch of w's plan to its output, then finish the output. */
static lh_rc cv_drive(cv_run *r, cv_worker *w, lh_err *err)
{
    lh_buf txt;
    lh_value *vals = lh_calloc(r->ncols + 1, sizeof *vals);
    lh_str *strs = lh_calloc(r->ncols + 1, sizeof *strs);
    size_t *offs = lh_calloc(r->ncols + 1, sizeof *offs);
    lh_rc rc = LH_OK;
    lh_buf_init(&txt, 0);
    if (!vals || !strs || !offs)
        rc = lh_errf(err, LH_ENOMEM, "out of memory");
    while (!rc) {
        lh_batch *b;
        lh_rows rs;
        uint32_t i;
        if ((rc = lh_op_next(w->pw->root, &b, err)) || !b)
            break;
        rs = lh_batch_rows(b);
        for (i = 0; i < rs.n && !rc; i++) {
            uint32_t row = rs.sel ? rs.sel[i] : i;
            rc = row_cells(b, row, r->types, r->ncols, &txt, strs, offs, vals, err);
            if (!rc)
                rc = lh_ctas_row(w->o, (const char *const *)r->cols->names, r->cols->types, vals, r->ncols, err);
            if (!rc)
                w->rows++;
        }
    }
    if (!rc)
        rc = w->o->parquet ? lh_ctas_pq_finish(w->o, r->ncols, err) : lh_ctas_close_part(w->o, err);
    if (rc && rc != LH_ECANCELLED)
        atomic_store(&r->cancel, 1); /* the other workers stop within a batch */
    lh_buf_free(&txt);
    lh_free(vals);
    lh_free(strs);
    lh_free(offs);
    return rc;
}

static void *cv_worker_main(void *arg)
{
    cv_worker *w = arg;
    lh_err_clear(&w->err);
    w->rc = cv_drive(w->run, w, &w->err);
    return NULL;
}

/* The other workers' outputs: their own part objects under the run's prefix. */
static lh_rc cv_outputs(cv_run *r, const lh_ctas_out *o, lh_err *err)
{
    size_t i;
    for (i = 0; i < r->par.nw; i++) {
        cv_worker *w = &r->w[i];
        w->run = r;
        w->pw = &r->par.w[i];
        if (i == 0)
            continue;
        w->own.e = r->e;
        w->own.store = w->pw->store;
        w->own.parquet = o->parquet;
        w->own.codec = o->codec;
        w->own.part_base = i * LH_CTAS_PART_BASE;
        lh_buf_init(&w->own.buf, 0);
        w->has_own = 1;
        w->o = &w->own;
        w->own.prefix = lh_strdup(o->prefix);
        if (!w->own.prefix)
            return lh_errf(err, LH_ENOMEM, "out of memory");
    }
    return LH_OK;
}

lh_rc lh_ctas_vec_run(lh_engine *e, const lh_stmt *st, const char *filename, lh_ctas_out *o, lh_ctas_cols *cols,
                      uint64_t *rows, lh_err *err)
{
    cv_run *r = lh_calloc(1, sizeof *r);
    size_t i;
    int ran = 0, par_ok = 0;
    lh_rc rc;

    *rows = 0;
    if (!r)
        return lh_errf(err, LH_ENOMEM, "out of memory");
    r->e = e;
    r->st = st;
    r->filename = filename;
    r->cols = cols;
    atomic_init(&r->cancel, 0);
    lh_exec_ctx_init(&r->ectx);
    r->ectx.interrupt = &e->interrupt;
    r->ectx.cancel = &r->cancel;
    r->ectx.now_us = lh_query_now_us();
    lh_query_ctx_setup(e, &r->ectx);
    rc = lh_par_init(&r->par, e, st->query, st->query_len, filename, st->query_line, st->query_col, &r->ectx, err);
    if (rc)
        goto out;
    par_ok = 1;
    r->w[0].run = r;
    r->w[0].pw = &r->par.w[0];
    r->w[0].o = o;
    rc = lh_par_plan(&r->par, &r->par.w[0], err);
    if (rc)
        goto out;
    ran = 1;
    r->ncols = lh_bound_ncols(r->par.w[0].b);
    r->types = lh_calloc(r->ncols + 1, sizeof *r->types);
    if (!r->types) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory");
        goto out;
    }
    rc = lh_ctas_cols_init(cols, r->ncols, filename, st, err);
    for (i = 0; !rc && i < r->ncols; i++) {
        r->types[i] = lh_bound_col_type(r->par.w[0].b, i);
        rc = lh_ctas_cols_name(cols, i, lh_bound_col_name(r->par.w[0].b, i), filename, st, err);
        if (!rc)
            rc = hive_type(r->types[i], cols->names[i], filename, st, &cols->types[i], err);
    }
    if (rc)
        goto out;
    if (st->with_no_data)
        goto out;
    if ((rc = lh_par_split(&r->par, lh_par_stream_scan, (size_t)lh_threads_count(), err)) ||
        (rc = cv_outputs(r, o, err)))
        goto out;
    r->nw = r->par.nw;
    for (i = 1; i < r->nw; i++)
        r->w[i].started = pthread_create(&r->w[i].th, NULL, cv_worker_main, &r->w[i]) == 0;
    r->w[0].rc = cv_drive(r, &r->w[0], &r->w[0].err);
    for (i = 1; i < r->nw; i++) {
        if (r->w[i].started)
            pthread_join(r->w[i].th, NULL);
        else /* no thread: its share runs here, after ours */
            cv_worker_main(&r->w[i]);
    }
    /* the first real error is the run's; "cancelled" only if nothing else failed */
    rc = LH_OK;
    for (i = 0; i < r->nw; i++)
        if (r->w[i].rc && (!rc || (rc == LH_ECANCELLED && r->w[i].rc != LH_ECANCELLED))) {
            rc = r->w[i].rc;
            *err = r->w[i].err;
        }
    for (i = 0; i < r->nw; i++)
        *rows += r->w[i].rows;
    /* the other workers' objects join the run's */
    for (i = 1; !rc && i < r->nw; i++) {
        lh_ctas_out *wo = &r->w[i].own;
        size_t f;
        for (f = 0; !rc && f < wo->nfiles; f++) {
            rc = lh_ctas_add_file(o, wo->files[f].uri, wo->files[f].size, wo->files[f].rows, err);
            if (!rc)
                wo->files[f].uri = NULL;
        }
        if (!rc)
            wo->nfiles = 0;
    }
out:
    if (rc) {
        for (i = 1; i < LH_PAR_MAX; i++)
            if (r->w[i].has_own)
                lh_ctas_discard(&r->w[i].own);
    }
    if (rc && ran && rc != LH_ECANCELLED && err && strncmp(err->msg, filename, strlen(filename)) != 0)
        lh_err_prefix(err, "%s:%d:%d", filename, st->query_line, st->query_col);
    lh_query_add_counters(e, &r->ectx);
    for (i = 0; i < LH_PAR_MAX; i++)
        if (r->w[i].has_own)
            lh_ctas_out_free(&r->w[i].own);
    if (par_ok)
        lh_par_free(&r->par); /* the plans, then the store clones */
    lh_free(r->types);
    lh_free(r);
    return rc;
}
