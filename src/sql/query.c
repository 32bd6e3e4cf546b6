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
#include "sql/query_int.h"
#include "sql/parse.h"

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
    lh_ast *ast = NULL;
    lh_bound *b = NULL;
    lh_op *root = NULL;
    lh_exec_ctx ectx;
    lh_schema schema;
    lh_planner_io io;
    lh_qio q;
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

    lh_qio_init(&q, e);
    lh_buf_init(&txt, 0);
    lh_exec_ctx_init(&ectx);
    ectx.interrupt = &e->interrupt;
    ectx.now_us = lh_query_now_us();
    ectx.mem_limit = lh_query_mem_limit();

    rc = lh_parse_query_at(st->text, st->len, filename, st->line, st->col, &ast, err);
    if (!rc) {
        schema = lh_schema_from_catalog(lh_engine_catalog(e), "default");
        rc = lh_analyze(ast, &schema, filename, &b, err);
    }
    if (!rc) {
        explain = lh_bound_explain(b);
        ectx.analyze = explain == 2;
        io = lh_qio_planner(&q);
        rc = lh_plan_query(b, &io, &ectx, filename, &root, err);
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
    lh_op_free(root);
    lh_bound_free(b);
    lh_ast_free(ast);
    lh_qio_free(&q);
    lh_free(names);
    lh_free(tnames);
    lh_free(tbuf);
    lh_free(types);
    lh_free(vals);
    lh_free(offs);
    lh_buf_free(&txt);
    return rc;
}
