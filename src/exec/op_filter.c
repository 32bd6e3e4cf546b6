/* exec/op_filter.c — Filter: the child's rows where the predicate is TRUE
 * (operator.h).  The child's batch is passed up with a narrowed selection;
 * a batch where no row survives is dropped and the child pulled again, so
 * the filter never hands out an empty batch.  Nothing is copied. */
#include "exec/operator.h"

typedef struct filter_op {
    lh_op base;
    lh_xexpr *pred;
    lh_xenv env;
    uint16_t *sel;
} filter_op;

static lh_rc filter_next(lh_op *op, lh_batch **out, lh_err *err)
{
    filter_op *f = (filter_op *)op;
    lh_rc rc;
    for (;;) {
        lh_batch *b;
        lh_vector *p;
        uint32_t n;
        if ((rc = lh_op_next(op->child[0], &b, err)))
            return rc;
        if (!b) {
            *out = NULL;
            return LH_OK;
        }
        if ((rc = lh_xexpr_eval(f->pred, b, &p, err)) ||
            (rc = lh_k_filter(p, lh_batch_rows(b), f->sel, &n, err)))
            return rc;
        if (n) {
            lh_batch_select(b, f->sel, n);
            *out = b;
            return LH_OK;
        }
    }
}

static void filter_free(lh_op *op)
{
    filter_op *f = (filter_op *)op;
    lh_xexpr_free(f->pred);
    lh_free(f->sel);
}

static lh_rc filter_explain(const lh_op *op, lh_buf *out, lh_err *err)
{
    return lh_xexpr_format(((const filter_op *)op)->pred, out, err);
}

static int filter_stream(const lh_op *op)
{
    (void)op;
    return 0;
}

static const lh_op_vt FILTER_VT = {"Filter", filter_next, filter_free, filter_explain, filter_stream};

lh_rc lh_op_filter(lh_exec_ctx *ctx, lh_op *child, lh_xexpr *pred, lh_op **out, lh_err *err)
{
    lh_op *op = NULL;
    filter_op *f;
    lh_rc rc;
    *out = NULL;
    if (!child || !pred) {
        lh_op_free(child);
        lh_xexpr_free(pred);
        /* a failed constructor of the predicate already said why */
        if (!pred && err && (int)err->code > LH_OK && (int)err->code <= LH_ENOSPC)
            return err->code;
        return lh_errf(err, LH_EINTERNAL, "Filter without a child or a predicate");
    }
    if (lh_xexpr_type(pred).id != LH_SQL_BOOLEAN) {
        lh_op_free(child);
        lh_xexpr_free(pred);
        return lh_errf(err, LH_EINTERNAL, "Filter predicate is not boolean");
    }
    if ((rc = lh_op_alloc(sizeof(filter_op), &FILTER_VT, ctx, child->types, child->ncols, &op, err))) {
        lh_op_free(child);
        lh_xexpr_free(pred);
        return rc;
    }
    f = (filter_op *)op;
    op->child[0] = child;
    op->nchild = 1;
    f->pred = pred;
    f->env.session_zone = ctx ? ctx->session_zone : 0;
    f->env.now_us = ctx ? ctx->now_us : 0;
    f->sel = lh_malloc(LH_BATCH * sizeof *f->sel);
    if (!f->sel) {
        lh_op_free(op);
        return lh_errf(err, LH_ENOMEM, "out of memory allocating a Filter");
    }
    if ((rc = lh_xexpr_prepare(pred, child->types, child->ncols, &f->env, err))) {
        lh_op_free(op);
        return rc;
    }
    *out = op;
    return LH_OK;
}
