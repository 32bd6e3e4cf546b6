/* sql/query.c — a query statement on our own engine: parse (sql/parse.h),
 * analyze against the catalog (plan/analyze.h), plan (plan/planner.h),
 * execute the operator tree (exec/) and print every value as Athena does
 * (exec/scan.h lh_value_format).
 *
 * What the engine cannot run yet is LH_EUNSUPPORTED naming it, found
 * before any data is read where the parser, analyzer or planner can tell.
 *
 * Tables are read from the snapshot pinned for the statement
 * (lh_engine_pin_table, through sql/query_io.c); malformed JSON lines go
 * to the statement's quarantine; scan counters feed `sql --stats`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "exec/scan.h"
#include "sql/parallel_int.h"
#include "util/threads.h"
#include "sql/parse.h"

/* Parallel queries.  Where the rows of one table stream from its scan
 * into a hash aggregate (filters, projections and probe sides between
 * them), every worker runs that part of the plan over its share of the
 * table's objects and an Exchange feeds their batches to worker 0's
 * aggregate: scanning, decoding, filtering and probing spread over the
 * cores; the aggregate, and everything above it, stays on one (with one
 * producer, the scan and the aggregate still overlap).  agg_point returns
 * the aggregate on the streamed path and its scan, or NULL. */
static lh_op *agg_point(lh_op *root, lh_op **scan)
{
    lh_op *op = root, *u = NULL;
    while (op) {
        int c;
        if (lh_op_is_scan(op)) {
            *scan = op;
            return u;
        }
        c = lh_op_stream_child(op);
        if (c >= 0 && (uint32_t)c < op->nchild) {
            op = op->child[c];
            continue;
        }
        if (lh_op_is_hash_agg(op) && op->nchild == 1) {
            u = op;
            op = op->child[0];
            continue;
        }
        if (op->nchild != 1)
            return NULL;
        u = NULL; /* a sort, window or limit between an aggregate and the scan: order matters below it */
        op = op->child[0];
    }
    return NULL;
}

static const lh_qio_scan *agg_scan(const lh_par_worker *w)
{
    lh_op *scan = NULL, *u = agg_point(w->root, &scan);
    return u && scan ? lh_qio_find(&w->q, scan) : NULL;
}

/* How many producers (0: run serially).  The aggregate runs on the
 * consumer's thread, and each handoff costs a wake-up, so a split pays
 * only where the scan dwarfs the aggregate: JSON tables, whose parsing is
 * most of a query.  Measured with bench/queries.sh at scale 100 on two
 * cores: on the Parquet tables two producers gave a geometric mean of
 * 5.91x DuckDB's time against 6.38x serial, but group-bys into 48,200
 * users got 25-35% slower (the aggregate starved of its core), and one
 * producer was slower everywhere (a producer waits for the consumer to
 * free its batch: no overlap).  So Parquet stays serial until workers
 * aggregate their own share (issue 13); a GROUP BY over the scale-100
 * JSON landing table runs in 0.95 s instead of 2.2 s. */
static size_t producers(lh_par *par)
{
    const lh_qio_scan *s = agg_scan(&par->w[0]);
    const lh_table_def *def;
    const char *const *uris;
    const uint64_t *sizes;
    size_t n, i, cores = (size_t)lh_threads_count();
    uint64_t bytes = 0;
    if (!s || cores < 2 || lh_engine_pin_table(par->e, s->db, s->table, &def, &uris, &sizes, &n, NULL) != LH_OK)
        return 0;
    for (i = 0; sizes && i < n; i++)
        bytes += sizes[i];
    if (bytes < ((uint64_t)128 << 10) || !def->format || strcmp(def->format, "json"))
        return 0;
    return cores;
}

static lh_rc parallelize(lh_par *par, lh_exec_ctx *ectx, lh_err *err)
{
    lh_op *kids[LH_PAR_MAX], *u0 = NULL, *x = NULL, *scan;
    size_t i, want = producers(par);
    lh_rc rc = LH_OK;
    if (want < 2)
        return LH_OK;
    if ((rc = lh_par_split(par, agg_scan, want, err)) || par->nw < 2)
        return rc;
    for (i = 0; i < par->nw; i++) { /* each worker's part below its aggregate, detached */
        lh_op *u = agg_point(par->w[i].root, &scan);
        if (!u) {
            size_t j;
            for (j = 0; j < i; j++)
                lh_op_free(kids[j]);
            return lh_errf(err, LH_EINTERNAL, "parallel query: worker %zu has no aggregate on its stream", i);
        }
        kids[i] = u->child[0];
        u->child[0] = NULL;
        if (i == 0)
            u0 = u;
    }
    rc = lh_op_exchange(ectx, kids, par->nw, &x, err);
    if (!rc)
        u0->child[0] = x;
    return rc;
}

/* Every live row of b to the sink. */
static lh_rc emit(const lh_sink *sink, lh_batch *b, size_t ncols, const lh_sqltype *types, lh_buf *txt,
                  lh_value *vals, size_t *offs, uint64_t *rows, lh_err *err)
{
    lh_rows r = lh_batch_rows(b);
    uint32_t i;
    size_t c;
    lh_rc rc;
    for (i = 0; i < r.n; i++) {
        uint32_t row = r.sel ? r.sel[i] : i;
        lh_buf_reset(txt);
        for (c = 0; c < ncols; c++) {
            int is_null = 0;
            lh_vector *v = b->cols[c];
            memset(&vals[c], 0, sizeof vals[c]);
            offs[c] = txt->len;
            if (types[c].id == LH_SQL_BOOLEAN || lh_sqltype_is_integer(types[c])) {
                if (!lh_vector_get_valid(v, row))
                    vals[c].t = LH_V_NULL;
                else {
                    vals[c].t = LH_V_INT;
                    vals[c].i = types[c].id == LH_SQL_BOOLEAN ? lh_vector_get_i64(v, row) != 0 : lh_vector_get_i64(v, row);
                }
                continue;
            }
            if ((rc = lh_value_format(v, row, txt, &is_null, err)))
                return rc;
            vals[c].t = is_null ? LH_V_NULL : LH_V_TEXT;
            vals[c].n = txt->len - offs[c];
        }
        for (c = 0; c < ncols; c++)
            if (vals[c].t == LH_V_TEXT)
                vals[c].s = txt->data ? txt->data + offs[c] : "";
        (*rows)++;
        if (sink && sink->row && (rc = sink->row(sink->ctx, vals, err)))
            return rc;
    }
    return LH_OK;
}

/* EXPLAIN: the plan, one row per line, in one column "Query Plan". */
static lh_rc explain_out(const lh_sink *sink, const lh_buf *plan, lh_stmt_stats *stats, lh_err *err)
{
    const char *names[1] = {"Query Plan"}, *types[1] = {"varchar"};
    const char *s = plan->data ? plan->data : "", *end = s + plan->len;
    uint64_t rows = 0;
    lh_value v;
    lh_rc rc;
    memset(&v, 0, sizeof v);
    v.t = LH_V_TEXT;
    if (sink && sink->begin && (rc = sink->begin(sink->ctx, 1, names, types, err)))
        return rc;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        if (!nl)
            nl = end;
        v.s = s;
        v.n = (size_t)(nl - s);
        rows++;
        if (sink && sink->row && (rc = sink->row(sink->ctx, &v, err)))
            return rc;
        s = nl + 1;
    }
    if (sink && sink->end && (rc = sink->end(sink->ctx, rows, err)))
        return rc;
    stats->rows_out = rows;
    return LH_OK;
}

lh_rc lh_query_run(lh_engine *e, const lh_stmt *st, const char *filename, const lh_sink *sink, lh_stmt_stats *stats,
                   lh_err *err)
{
    lh_bound *b = NULL;
    lh_op *root = NULL;
    lh_exec_ctx ectx;
    lh_par par;
    int par_ok = 0;
    lh_rc rc;
    lh_batch *first = NULL;
    size_t ncols = 0, i;
    const char **names = NULL, **tnames = NULL;
    char(*tbuf)[LH_SQLTYPE_NAME_MAX] = NULL;
    lh_sqltype *types = NULL;
    lh_value *vals = NULL;
    size_t *offs = NULL;
    lh_buf txt;
    uint64_t rows = 0;
    int began = 0, explain = 0, ran = 0;

    lh_buf_init(&txt, 0);
    lh_exec_ctx_init(&ectx);
    ectx.interrupt = &e->interrupt;
    ectx.now_us = lh_query_now_us();
    lh_query_ctx_setup(e, &ectx);

    rc = lh_par_init(&par, e, st->text, st->len, filename, st->line, st->col, &ectx, err);
    if (!rc) {
        par_ok = 1;
        rc = lh_par_plan(&par, &par.w[0], err);
    }
    if (!rc) {
        b = par.w[0].b;
        explain = lh_bound_explain(b);
        ectx.analyze = explain == 2;
        if (explain != 1) /* EXPLAIN shows the plan as planned; EXPLAIN ANALYZE as it ran */
            rc = parallelize(&par, &ectx, err);
        root = par.w[0].root;
    }
    if (rc)
        goto out;
    ran = 1;
    if (explain == 1) {
        lh_buf plan;
        lh_buf_init(&plan, 0);
        rc = lh_op_explain(root, 0, &plan, err);
        if (!rc)
            rc = explain_out(sink, &plan, stats, err);
        lh_buf_free(&plan);
        goto out;
    }
    if ((rc = lh_op_next(root, &first, err)))
        goto out;
    if (explain == 2) {
        lh_buf plan;
        while (first && !(rc = lh_op_next(root, &first, err)))
            ;
        if (rc)
            goto out;
        lh_buf_init(&plan, 0);
        rc = lh_op_explain(root, 1, &plan, err);
        if (!rc)
            rc = explain_out(sink, &plan, stats, err);
        lh_buf_free(&plan);
        goto out;
    }
    ncols = lh_bound_ncols(b);
    names = lh_calloc(ncols + 1, sizeof *names);
    tnames = lh_calloc(ncols + 1, sizeof *tnames);
    tbuf = lh_calloc(ncols + 1, sizeof *tbuf);
    types = lh_calloc(ncols + 1, sizeof *types);
    vals = lh_calloc(ncols + 1, sizeof *vals);
    offs = lh_calloc(ncols + 1, sizeof *offs);
    if (!names || !tnames || !tbuf || !types || !vals || !offs) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory");
        goto out;
    }
    for (i = 0; i < ncols; i++) {
        names[i] = lh_bound_col_name(b, i);
        types[i] = lh_bound_col_type(b, i);
        tnames[i] = lh_sqltype_name(types[i], tbuf[i], sizeof tbuf[i]);
    }
    if (sink && sink->begin && (rc = sink->begin(sink->ctx, ncols, names, tnames, err)))
        goto out;
    began = 1;
    while (first) {
        if ((rc = emit(sink, first, ncols, types, &txt, vals, offs, &rows, err)))
            goto out;
        if ((rc = lh_op_next(root, &first, err)))
            goto out;
    }
    if (sink && sink->end && (rc = sink->end(sink->ctx, rows, err)))
        goto out;
    stats->rows_out = rows;
out:
    (void)began;
    if (rc && ran && rc != LH_ECANCELLED && err && strncmp(err->msg, filename, strlen(filename)) != 0)
        lh_err_prefix(err, "%s:%d:%d", filename, st->line, st->col);
    lh_query_add_counters(e, &ectx);
    if (par_ok)
        lh_par_free(&par); /* worker 0's tree first: its exchange joins the other workers' threads */
    lh_free(names);
    lh_free(tnames);
    lh_free(tbuf);
    lh_free(types);
    lh_free(vals);
    lh_free(offs);
    lh_buf_free(&txt);
    return rc;
}
