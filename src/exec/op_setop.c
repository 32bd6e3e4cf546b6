/* exec/op_setop.c — INTERSECT [ALL] / EXCEPT [ALL] (operator.h lh_op_setop).
 *
 * The left child is read whole into a group table on all its columns
 * (exec/grouptab.h: rows compare as IS NOT DISTINCT FROM, so NULLs are
 * equal) counting each distinct row's copies m; the right child is then
 * probed without inserting, counting n for rows the left has.  Output,
 * group by group (order unspecified), copies of each row:
 *   INTERSECT  min(m, n) > 0 ? 1 : 0      INTERSECT ALL  min(m, n)
 *   EXCEPT     n == 0 ? 1 : 0              EXCEPT ALL     max(m - n, 0)
 * Ownership: both children (also when the constructor fails), the table
 * and the output batch, whose string views point into the table.  Memory
 * kept is charged to the context ("HashSetOp: memory limit ...").
 */
#include <string.h>

#include "exec/grouptab.h"
#include "exec/operator.h"

#define WHO "HashSetOp"

typedef struct setop_op {
    lh_op base;
    lh_setop_kind kind;
    int all;
    lh_gtab *gt;
    int64_t *cl, *cr; /* copies per group on the left / right */
    uint32_t ccap;
    lh_batch *out;
    int built;
    uint32_t g;        /* next group to emit */
    int64_t left;      /* copies of group g still to emit */
    size_t charged;
    uint32_t gids[LH_BATCH];
} setop_op;

static lh_rc charge(setop_op *o, lh_err *err)
{
    size_t now = sizeof *o + o->gt->bytes + (size_t)o->ccap * 2 * sizeof(int64_t);
    lh_rc rc;
    if (now <= o->charged)
        return LH_OK;
    if ((rc = lh_exec_charge(o->base.ctx, WHO, (ptrdiff_t)(now - o->charged), err)))
        return rc;
    o->charged = now;
    return LH_OK;
}

static lh_rc grow_counts(setop_op *o, uint32_t need, lh_err *err)
{
    uint32_t nc;
    int64_t *a, *b;
    if (need <= o->ccap)
        return LH_OK;
    nc = o->ccap ? o->ccap : 1024;
    while (nc < need)
        nc *= 2;
    a = lh_realloc(o->cl, (size_t)nc * sizeof *a);
    if (!a)
        return lh_errf(err, LH_ENOMEM, "out of memory in %s", WHO);
    o->cl = a;
    b = lh_realloc(o->cr, (size_t)nc * sizeof *b);
    if (!b)
        return lh_errf(err, LH_ENOMEM, "out of memory in %s", WHO);
    o->cr = b;
    memset(a + o->ccap, 0, (size_t)(nc - o->ccap) * sizeof *a);
    memset(b + o->ccap, 0, (size_t)(nc - o->ccap) * sizeof *b);
    o->ccap = nc;
    return LH_OK;
}

static lh_rc read_side(setop_op *o, int right, lh_err *err)
{
    lh_op *c = o->base.child[right];
    lh_rc rc;
    for (;;) {
        lh_batch *b = NULL;
        lh_rows rows;
        uint32_t i;
        if ((rc = lh_exec_check(o->base.ctx, err)) || (rc = lh_op_next(c, &b, err)))
            return rc;
        if (!b)
            return LH_OK;
        rows = lh_batch_rows(b);
        if ((rc = lh_gtab_lookup(o->gt, b->cols, rows, !right, o->gids, NULL, err)))
            return rc;
        if (!right) {
            if ((rc = grow_counts(o, o->gt->ngroups, err)))
                return rc;
            for (i = 0; i < rows.n; i++)
                o->cl[o->gids[rows.sel ? rows.sel[i] : i]]++;
            if ((rc = charge(o, err)))
                return rc;
        } else {
            for (i = 0; i < rows.n; i++) {
                uint32_t g = o->gids[rows.sel ? rows.sel[i] : i];
                if (g != LH_GTAB_NONE)
                    o->cr[g]++;
            }
        }
    }
}

static int64_t copies(const setop_op *o, uint32_t g)
{
    int64_t m = o->cl[g], n = o->cr[g];
    if (o->kind == LH_SETOP_INTERSECT)
        return o->all ? (m < n ? m : n) : (m > 0 && n > 0);
    return o->all ? (m > n ? m - n : 0) : (m > 0 && n == 0);
}

static lh_rc setop_next(lh_op *op, lh_batch **out, lh_err *err)
{
    setop_op *o = (setop_op *)op;
    uint32_t n = 0;
    lh_rc rc;
    *out = NULL;
    if (!o->built) {
        if ((rc = read_side(o, 0, err)) || (rc = read_side(o, 1, err)))
            return rc;
        o->built = 1;
        o->g = 0;
        o->left = o->gt->ngroups ? copies(o, 0) : 0;
    }
    lh_batch_reset(o->out);
    while (n < LH_BATCH && o->g < o->gt->ngroups) {
        if (o->left == 0) {
            if (++o->g < o->gt->ngroups)
                o->left = copies(o, o->g);
            continue;
        }
        lh_gtab_emit_row(o->gt, o->g, o->out->cols, n++);
        o->left--;
    }
    if (!n)
        return LH_OK;
    o->out->n = n;
    *out = o->out;
    return LH_OK;
}

static void setop_free(lh_op *op)
{
    setop_op *o = (setop_op *)op;
    lh_gtab_free(o->gt);
    lh_free(o->cl);
    lh_free(o->cr);
    lh_batch_free(o->out);
    if (o->charged && lh_exec_charge(o->base.ctx, WHO, -(ptrdiff_t)o->charged, NULL))
        o->charged = 0; /* a release never fails */
}

static lh_rc setop_explain(const lh_op *op, lh_buf *out, lh_err *err)
{
    const setop_op *o = (const setop_op *)op;
    return lh_buf_printf(out, err, "%s %s", o->kind == LH_SETOP_INTERSECT ? "INTERSECT" : "EXCEPT",
                         o->all ? "ALL" : "DISTINCT");
}

static const lh_op_vt setop_vt = {WHO, setop_next, setop_free, setop_explain, NULL};

lh_rc lh_op_setop(lh_exec_ctx *ctx, lh_op *left, lh_op *right, lh_setop_kind kind, int all, lh_op **out,
                  lh_err *err)
{
    lh_op *op = NULL;
    setop_op *o;
    lh_rc rc;
    uint32_t i;
    *out = NULL;
    if (!left || !right) {
        rc = lh_errf(err, LH_EINTERNAL, "%s: two inputs needed", WHO);
        goto fail;
    }
    if (kind != LH_SETOP_INTERSECT && kind != LH_SETOP_EXCEPT) {
        rc = lh_errf(err, LH_EINTERNAL, "%s: unknown kind %d", WHO, (int)kind);
        goto fail;
    }
    if (left->ncols != right->ncols) {
        rc = lh_errf(err, LH_EINTERNAL, "%s: inputs of %u and %u columns", WHO, left->ncols, right->ncols);
        goto fail;
    }
    for (i = 0; i < left->ncols; i++)
        if (lh_phys_of(left->types[i]) != lh_phys_of(right->types[i]) ||
            (left->types[i].id == LH_SQL_DECIMAL && left->types[i].s != right->types[i].s)) {
            rc = lh_errf(err, LH_EINTERNAL, "%s: column %u has different types on the two sides", WHO, i);
            goto fail;
        }
    if ((rc = lh_op_alloc(sizeof(setop_op), &setop_vt, ctx, left->types, left->ncols, &op, err)))
        goto fail;
    o = (setop_op *)op;
    op->child[0] = left;
    op->child[1] = right;
    op->nchild = 2;
    left = right = NULL;
    o->kind = kind;
    o->all = all != 0;
    if ((rc = lh_gtab_create(op->types, op->ncols, &o->gt, err)) ||
        (rc = lh_batch_create(op->types, op->ncols, 0, &o->out, err)))
        goto fail;
    *out = op;
    return LH_OK;
fail:
    lh_op_free(left);
    lh_op_free(right);
    lh_op_free(op);
    return rc;
}
