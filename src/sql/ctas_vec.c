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
 * Batches reach the writers as they are: each output vector is described
 * in place to lh_pq_writer_batch / lh_jsonl_append_batch
 * (formats/colvals.h: its array, validity, dictionary indices and the
 * batch's selection), with no value converted on the way; decimals stay
 * unscaled integers, dates days and timestamps microseconds.
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

/* Column c of a batch as the writers' view of it (formats/colvals.h): the
 * vector's own arrays, read in place; only strings need a pass (their
 * 16-byte views to pointer and length) and a dictionary whose entries
 * hold NULLs a merged validity bitmap.  strs (LH_BATCH pairs) and valid
 * (LH_BATCH_WORDS words) are this column's scratch, valid until the next
 * batch. */
static lh_rc view_of(const lh_vector *v, lh_sqltype t, lh_rows rs, size_t c, lh_colvals *cv, lh_colstr *strs,
                     uint64_t *valid, lh_err *err)
{
    const lh_vector *dv = v->kind == LH_VEC_DICT ? v->dict : v;
    char tb[LH_SQLTYPE_NAME_MAX];
    lh_phys want = LH_P_NONE;
    memset(cv, 0, sizeof *cv);
    /* the column's type says which writer path (as the cells did); the
     * vector's own type gives a decimal's scale and a char's length */
    switch ((lh_sqltype_id)t.id) {
    case LH_SQL_BOOLEAN: cv->kind = LH_CV_BOOL; want = LH_P_U8; break;
    case LH_SQL_TINYINT: cv->kind = LH_CV_I8; want = LH_P_I8; break;
    case LH_SQL_SMALLINT: cv->kind = LH_CV_I16; want = LH_P_I16; break;
    case LH_SQL_INTEGER: cv->kind = LH_CV_I32; want = LH_P_I32; break;
    case LH_SQL_BIGINT: cv->kind = LH_CV_I64; want = LH_P_I64; break;
    case LH_SQL_REAL: cv->kind = LH_CV_F32; want = LH_P_F32; break;
    case LH_SQL_DOUBLE: cv->kind = LH_CV_F64; want = LH_P_F64; break;
    case LH_SQL_DECIMAL:
        if (v->type.id == LH_SQL_DECIMAL) {
            want = (lh_phys)v->phys == LH_P_I128 ? LH_P_I128 : LH_P_I64;
            cv->kind = want == LH_P_I128 ? LH_CV_DEC128 : LH_CV_DEC64;
            cv->scale = v->type.s;
        }
        break;
    case LH_SQL_DATE: cv->kind = LH_CV_DATE; want = LH_P_I32; break;
    case LH_SQL_TIMESTAMP: cv->kind = LH_CV_TS_US; want = LH_P_I64; break;
    case LH_SQL_VARCHAR:
    case LH_SQL_CHAR:
        cv->kind = LH_CV_STR;
        want = LH_P_STR;
        if (t.id == LH_SQL_CHAR && v->type.id == LH_SQL_CHAR)
            cv->char_len = v->type.len;
        break;
    default: break;
    }
    if (!cv->kind || v->phys != want || (v->kind == LH_VEC_DICT && (!v->dict || !v->dict_idx)))
        return lh_errf(err, LH_EINTERNAL, "CREATE TABLE AS output column %zu: no writer layout for a %s vector", c + 1,
                       lh_sqltype_name(t, tb, sizeof tb));
    cv->data = dv->data;
    cv->is_const = v->kind == LH_VEC_CONST;
    cv->idx = v->kind == LH_VEC_DICT ? v->dict_idx : NULL;
    cv->valid = v->may_null || cv->is_const ? v->validity : NULL;
    if (v->kind == LH_VEC_DICT && v->dict->may_null) { /* a NULL entry: the row is NULL too */
        memset(valid, 0, LH_BATCH_WORDS * sizeof *valid);
        LH_FOR_ROWS(rs, r, if (lh_vector_is_valid(v, r) && lh_vector_is_valid(v->dict, v->dict_idx[r]))
                                valid[r >> 6] |= (uint64_t)1 << (r & 63););
        cv->valid = valid;
    }
    if (cv->kind == LH_CV_STR) { /* views to (pointer, length), the inline bytes read in place */
        const lh_str *s = dv->data;
        if (cv->is_const) {
            strs[0].p = lh_str_ptr(&s[0]);
            strs[0].n = lh_str_len(&s[0]);
        } else {
            const uint16_t *idx = cv->idx;
            LH_FOR_ROWS(rs, r, if (lh_colvals_valid(cv, r)) {
                const lh_str *x = &s[idx ? idx[r] : r];
                strs[r].p = lh_str_ptr(x);
                strs[r].n = lh_str_len(x);
            });
        }
        cv->data = strs;
        cv->idx = NULL;
    }
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
    lh_colvals *cols = lh_calloc(r->ncols + 1, sizeof *cols);
    lh_colstr *strs = lh_calloc((r->ncols + 1) * LH_BATCH, sizeof *strs);
    uint64_t *valid = lh_calloc((r->ncols + 1) * LH_BATCH_WORDS, sizeof *valid);
    lh_rc rc = LH_OK;
    size_t c;
    if (!cols || !strs || !valid)
        rc = lh_errf(err, LH_ENOMEM, "out of memory");
    while (!rc) {
        lh_batch *b;
        lh_rows rs;
        if ((rc = lh_op_next(w->pw->root, &b, err)) || !b)
            break;
        rs = lh_batch_rows(b);
        if (rs.n == 0)
            continue;
        if (b->ncols < r->ncols) {
            rc = lh_errf(err, LH_EINTERNAL, "CREATE TABLE AS: a batch of %u columns for %zu", b->ncols, r->ncols);
            break;
        }
        for (c = 0; !rc && c < r->ncols; c++)
            rc = view_of(b->cols[c], r->types[c], rs, c, &cols[c], strs + c * LH_BATCH, valid + c * LH_BATCH_WORDS,
                         err);
        if (!rc)
            rc = lh_ctas_batch(w->o, (const char *const *)r->cols->names, r->cols->types, cols, rs.sel, rs.n,
                               r->ncols, err);
        if (!rc)
            w->rows += rs.n;
    }
    if (!rc)
        rc = w->o->parquet ? lh_ctas_pq_finish(w->o, r->ncols, err) : lh_ctas_close_part(w->o, err);
    if (rc && rc != LH_ECANCELLED)
        atomic_store(&r->cancel, 1); /* the other workers stop within a batch */
    lh_free(cols);
    lh_free(strs);
    lh_free(valid);
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
