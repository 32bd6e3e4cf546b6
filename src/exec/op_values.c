/* exec/op_values.c — Values: nrows rows of constant cells (operator.h).
 *
 * Every cell is evaluated once, at the first pull, over a one-row batch
 * with no columns; a failing cell fails the query then (none is evaluated
 * before).  The rows are kept in batches of at most LH_BATCH rows (string
 * bytes copied into each batch's arena, memory charged to the context)
 * and handed out one batch per pull.  nrows = 1, ncols = 0 is the one-row
 * relation of a SELECT without FROM. */
#include "exec/operator.h"

#include <string.h>

typedef struct values_op {
    lh_op base;
    lh_xexpr **cells;
    size_t nrows;
    lh_xenv env;
    lh_batch **batches;
    size_t nbatches, next;
    size_t charged;
    int evaluated;
} values_op;

static lh_rc values_fill(values_op *v, lh_err *err)
{
    lh_op *op = &v->base;
    lh_batch *one = NULL;
    size_t nb = (v->nrows + LH_BATCH - 1) / LH_BATCH, b, r;
    uint32_t c;
    lh_rc rc;
    v->evaluated = 1;
    if (!nb)
        return LH_OK;
    v->batches = lh_calloc(nb, sizeof *v->batches);
    if (!v->batches)
        return lh_errf(err, LH_ENOMEM, "out of memory allocating Values");
    v->nbatches = nb;
    if ((rc = lh_batch_create(NULL, 0, 0, &one, err)))
        return rc;
    one->n = 1;
    for (b = 0; b < nb && !rc; b++) {
        size_t first = b * LH_BATCH, n = v->nrows - first < LH_BATCH ? v->nrows - first : LH_BATCH;
        lh_batch *ob;
        if ((rc = lh_exec_check(op->ctx, err)) || (rc = lh_batch_create(op->types, op->ncols, 0, &ob, err)))
            break;
        v->batches[b] = ob;
        ob->n = (uint32_t)n;
        for (r = 0; r < n && !rc; r++)
            for (c = 0; c < op->ncols && !rc; c++) {
                lh_vector *x;
                if (!(rc = lh_xexpr_eval(v->cells[(first + r) * op->ncols + c], one, &x, err)))
                    rc = lh_vector_copy_value(x, 0, ob->cols[c], (uint32_t)r, &ob->arena, err);
            }
        if (!rc) {
            size_t bytes = ob->arena.used_total + (size_t)op->ncols * LH_BATCH * 16;
            if (!(rc = lh_exec_charge(op->ctx, "Values", (ptrdiff_t)bytes, err)))
                v->charged += bytes;
        }
    }
    lh_batch_free(one);
    return rc;
}

static lh_rc values_next(lh_op *op, lh_batch **out, lh_err *err)
{
    values_op *v = (values_op *)op;
    lh_rc rc;
    if (!v->evaluated && (rc = values_fill(v, err)))
        return rc;
    if (v->next >= v->nbatches) {
        *out = NULL;
        return LH_OK;
    }
    *out = v->batches[v->next++];
    (*out)->sel = NULL; /* a consumer may have narrowed it */
    (*out)->sel_n = 0;
    return LH_OK;
}

static void values_free(lh_op *op)
{
    values_op *v = (values_op *)op;
    size_t i;
    for (i = 0; v->cells && i < v->nrows * op->ncols; i++)
        lh_xexpr_free(v->cells[i]);
    lh_free(v->cells);
    for (i = 0; v->batches && i < v->nbatches; i++)
        lh_batch_free(v->batches[i]);
    lh_free(v->batches);
    if (v->charged) {
        lh_rc rc = lh_exec_charge(op->ctx, "Values", -(ptrdiff_t)v->charged, NULL); /* a release never fails */
        (void)rc;
    }
}

static lh_rc values_explain(const lh_op *op, lh_buf *out, lh_err *err)
{
    const values_op *v = (const values_op *)op;
    return lh_buf_printf(out, err, "rows: %zu, columns: %u", v->nrows, op->ncols);
}

static const lh_op_vt VALUES_VT = {"Values", values_next, values_free, values_explain, NULL};

lh_rc lh_op_values(lh_exec_ctx *ctx, const lh_sqltype *types, uint32_t ncols, lh_xexpr **cells, size_t nrows,
                   lh_op **out, lh_err *err)
{
    lh_op *op = NULL;
    values_op *v;
    size_t ncells = 0, i;
    lh_rc rc;
    *out = NULL;
    if (ncols && nrows > SIZE_MAX / ncols / sizeof *cells) {
        rc = lh_errf(err, LH_ELIMIT, "Values of %zu rows is too large", nrows);
        goto fail;
    }
    ncells = nrows * ncols;
    if (ncells && !cells) {
        rc = lh_errf(err, LH_EINTERNAL, "Values without cells");
        goto fail;
    }
    for (i = 0; i < ncells; i++) {
        char a[LH_SQLTYPE_NAME_MAX], b[LH_SQLTYPE_NAME_MAX];
        lh_sqltype t;
        if (!cells[i]) {
            /* a failed constructor already said why */
            rc = err && (int)err->code > LH_OK && (int)err->code <= LH_ENOSPC
                     ? err->code
                     : lh_errf(err, LH_EINTERNAL, "Values cell %zu is missing", i);
            goto fail;
        }
        t = lh_xexpr_type(cells[i]);
        if (lh_phys_of(t) != lh_phys_of(types[i % ncols])) {
            rc = lh_errf(err, LH_EINTERNAL, "Values cell %zu is %s, its column %s", i, lh_sqltype_name(t, a, sizeof a),
                         lh_sqltype_name(types[i % ncols], b, sizeof b));
            goto fail;
        }
    }
    if ((rc = lh_op_alloc(sizeof(values_op), &VALUES_VT, ctx, types, ncols, &op, err)))
        goto fail;
    v = (values_op *)op;
    v->env.session_zone = ctx ? ctx->session_zone : 0;
    v->env.now_us = ctx ? ctx->now_us : 0;
    v->cells = lh_malloc((ncells ? ncells : 1) * sizeof *cells);
    if (!v->cells) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory allocating Values");
        goto fail;
    }
    if (ncells)
        memcpy(v->cells, cells, ncells * sizeof *cells);
    v->nrows = nrows;
    cells = NULL;
    for (i = 0; i < ncells; i++)
        if ((rc = lh_xexpr_prepare(v->cells[i], NULL, 0, &v->env, err)))
            goto fail;
    *out = op;
    return LH_OK;
fail:
    for (i = 0; cells && i < ncells; i++)
        lh_xexpr_free(cells[i]);
    lh_op_free(op);
    return rc;
}
