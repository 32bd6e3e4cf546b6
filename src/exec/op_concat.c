/* exec/op_concat.c — UNION ALL (operator.h).
 *
 * The batches of child 0, then of child 1.  More than two children are
 * chained: concat(k0, concat(k1, concat(k2, ...))), so every node keeps
 * within LH_OP_MAX_CHILDREN.  Batches pass through unchanged.
 */
#include "exec/operator.h"

typedef struct concat_op {
    lh_op base;
    uint32_t cur;
} concat_op;

static lh_rc concat_next(lh_op *op, lh_batch **out, lh_err *err)
{
    concat_op *c = (concat_op *)op;
    lh_rc rc;
    *out = NULL;
    while (c->cur < op->nchild) {
        if ((rc = lh_op_next(op->child[c->cur], out, err)))
            return rc;
        if (*out)
            return LH_OK;
        c->cur++;
    }
    return LH_OK;
}

static const lh_op_vt concat_vt = {"Concat", concat_next, NULL, NULL, NULL};

static void free_kids(lh_op **kids, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        lh_op_free(kids[i]);
}

static int same_types(const lh_op *a, const lh_op *b)
{
    uint32_t i;
    if (a->ncols != b->ncols)
        return 0;
    for (i = 0; i < a->ncols; i++)
        if (lh_phys_of(a->types[i]) != lh_phys_of(b->types[i]) || a->types[i].id != b->types[i].id ||
            a->types[i].s != b->types[i].s)
            return 0;
    return 1;
}

lh_rc lh_op_concat(lh_exec_ctx *ctx, lh_op **kids, size_t n, lh_op **out, lh_err *err)
{
    lh_op *op = NULL, *rest = NULL;
    size_t i;
    lh_rc rc;
    *out = NULL;
    if (!kids || n == 0)
        return lh_errf(err, LH_EINTERNAL, "concat: no children");
    for (i = 0; i < n; i++)
        if (!kids[i] || !same_types(kids[0], kids[i])) {
            free_kids(kids, n);
            return lh_errf(err, LH_EINTERNAL, "concat: child %zu does not have the output types", i);
        }
    if (n > 2) {
        if ((rc = lh_op_concat(ctx, kids + 1, n - 1, &rest, err))) {
            lh_op_free(kids[0]);
            return rc;
        }
    }
    if ((rc = lh_op_alloc(sizeof(concat_op), &concat_vt, ctx, kids[0]->types, kids[0]->ncols, &op, err))) {
        lh_op_free(kids[0]);
        if (n > 2)
            lh_op_free(rest);
        else if (n == 2)
            lh_op_free(kids[1]);
        return rc;
    }
    op->child[0] = kids[0];
    op->nchild = 1;
    if (n >= 2) {
        op->child[1] = n > 2 ? rest : kids[1];
        op->nchild = 2;
    }
    *out = op;
    return LH_OK;
}
