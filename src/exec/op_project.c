/* exec/op_project.c — Project: output column i = exprs[i] over the
 * child's columns (operator.h).
 *
 * The output batch is the operator's own; its vectors receive the results
 * at the same row indices as the child's batch, whose selection the
 * output keeps (so nothing is compacted).  Values are copied, strings as
 * views: their bytes stay in the child's batch, in an expression's arena
 * or in a constant, all of which live until the next pull.  A constant
 * result is kept CONST. */
#include "exec/operator.h"

#include <string.h>

typedef struct project_op {
    lh_op base;
    lh_xexpr **exprs;
    uint32_t n;
    lh_xenv env;
    lh_batch *ob;
} project_op;

#define COPY_LOOP(T)                                                                                                   \
    do {                                                                                                               \
        const T *S = src->data;                                                                                        \
        T *D = dst->data;                                                                                              \
        if (rows.sel)                                                                                                  \
            for (k = 0; k < rows.n; k++)                                                                               \
                D[rows.sel[k]] = S[rows.sel[k]];                                                                       \
        else                                                                                                           \
            memcpy(D, S, (size_t)rows.n * sizeof(T));                                                                  \
    } while (0)

/* dst = src at the rows (dst was reset: FLAT, all valid). */
static void put_col(lh_vector *src, lh_vector *dst, lh_rows rows)
{
    uint32_t k;
    if (src->kind == LH_VEC_CONST) {
        memcpy(dst->data, src->data, dst->width);
        lh_vector_set_const(dst, !lh_vector_is_valid(src, 0));
        return;
    }
    lh_k_prepare(src, rows);
    switch (dst->width) {
    case 1:
        COPY_LOOP(uint8_t);
        break;
    case 2:
        COPY_LOOP(uint16_t);
        break;
    case 4:
        COPY_LOOP(uint32_t);
        break;
    case 8:
        COPY_LOOP(uint64_t);
        break;
    default:
        COPY_LOOP(lh_str);
        break;
    }
    if (src->may_null) {
        uint32_t last = rows.n ? (rows.sel ? rows.sel[rows.n - 1] : rows.n - 1) : 0;
        memcpy(dst->validity, src->validity, ((size_t)last / 64 + 1) * sizeof(uint64_t));
        dst->may_null = 1;
    }
}

static lh_rc project_next(lh_op *op, lh_batch **out, lh_err *err)
{
    project_op *p = (project_op *)op;
    lh_batch *b, *ob = p->ob;
    lh_rows rows;
    uint32_t i;
    lh_rc rc;
    if ((rc = lh_op_next(op->child[0], &b, err)))
        return rc;
    if (!b) {
        *out = NULL;
        return LH_OK;
    }
    lh_batch_reset(ob);
    rows = lh_batch_rows(b);
    for (i = 0; i < p->n; i++) {
        lh_vector *v;
        if ((rc = lh_xexpr_eval(p->exprs[i], b, &v, err)))
            return rc;
        put_col(v, ob->cols[i], rows);
    }
    ob->n = b->n;
    if (b->sel)
        lh_batch_select(ob, b->sel, b->sel_n);
    *out = ob;
    return LH_OK;
}

static void project_free(lh_op *op)
{
    project_op *p = (project_op *)op;
    uint32_t i;
    for (i = 0; p->exprs && i < p->n; i++)
        lh_xexpr_free(p->exprs[i]);
    lh_free(p->exprs);
    lh_batch_free(p->ob);
}

static lh_rc project_explain(const lh_op *op, lh_buf *out, lh_err *err)
{
    const project_op *p = (const project_op *)op;
    uint32_t i;
    lh_rc rc;
    for (i = 0; i < p->n; i++) {
        if (i && (rc = lh_buf_puts(out, ", ", err)))
            return rc;
        if ((rc = lh_xexpr_format(p->exprs[i], out, err)))
            return rc;
    }
    return LH_OK;
}

static int project_stream(const lh_op *op)
{
    (void)op;
    return 0;
}

static const lh_op_vt PROJECT_VT = {"Project", project_next, project_free, project_explain, project_stream};

lh_rc lh_op_project(lh_exec_ctx *ctx, lh_op *child, lh_xexpr **exprs, uint32_t n, lh_op **out, lh_err *err)
{
    lh_op *op = NULL;
    project_op *p;
    lh_sqltype *types = NULL;
    uint32_t i;
    lh_rc rc = LH_OK;
    *out = NULL;
    if (!child || (n && !exprs)) {
        rc = lh_errf(err, LH_EINTERNAL, "Project without a child or expressions");
        goto fail;
    }
    for (i = 0; i < n; i++)
        if (!exprs[i]) {
            /* a failed constructor already said why */
            rc = err && (int)err->code > LH_OK && (int)err->code <= LH_ENOSPC
                     ? err->code
                     : lh_errf(err, LH_EINTERNAL, "Project expression %u is missing", i);
            goto fail;
        }
    if (n > LH_BATCH_MAX_COLS) {
        rc = lh_errf(err, LH_ELIMIT, "Project of %u columns exceeds the limit of %u", n, LH_BATCH_MAX_COLS);
        goto fail;
    }
    types = lh_malloc((n ? n : 1) * sizeof *types);
    if (!types) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory allocating a Project");
        goto fail;
    }
    for (i = 0; i < n; i++)
        types[i] = lh_xexpr_type(exprs[i]);
    if ((rc = lh_op_alloc(sizeof(project_op), &PROJECT_VT, ctx, types, n, &op, err)))
        goto fail;
    p = (project_op *)op;
    op->child[0] = child;
    op->nchild = 1;
    child = NULL;
    p->env.session_zone = ctx ? ctx->session_zone : 0;
    p->env.now_us = ctx ? ctx->now_us : 0;
    p->exprs = lh_malloc((n ? n : 1) * sizeof *p->exprs);
    if (!p->exprs) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory allocating a Project");
        goto fail;
    }
    if (n)
        memcpy(p->exprs, exprs, n * sizeof *exprs);
    p->n = n;
    exprs = NULL;
    if ((rc = lh_batch_create(types, n, 0, &p->ob, err)))
        goto fail;
    for (i = 0; i < n; i++)
        if ((rc = lh_xexpr_prepare(p->exprs[i], op->child[0]->types, op->child[0]->ncols, &p->env, err)))
            goto fail;
    lh_free(types);
    *out = op;
    return LH_OK;
fail:
    lh_free(types);
    if (exprs)
        for (i = 0; i < n; i++)
            lh_xexpr_free(exprs[i]);
    lh_op_free(child);
    lh_op_free(op);
    return rc;
}
