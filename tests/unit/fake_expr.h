/* tests/unit/fake_expr.h — a tiny test-only stand-in for exec/expr.c,
 * used by test_op_join.c only while the tree has no expr.c (the real
 * evaluator is written separately).  It knows column references,
 * comparisons (lh_k_compare) and n-ary AND (lh_k_and): enough for join
 * residuals.  Never part of the library.
 */
#ifndef LH_FAKE_EXPR_H
#define LH_FAKE_EXPR_H

#include "exec/expr.h"
#include "exec/kernels.h"

struct lh_xexpr {
    lh_xkind kind;
    uint32_t col;
    lh_sqltype type;
    lh_cmp_op op;
    lh_xexpr *a[8];
    size_t n;
    lh_vector *res;
};

lh_xexpr *lh_x_col(uint32_t col, lh_sqltype type, lh_err *err)
{
    lh_xexpr *e = lh_calloc(1, sizeof *e);
    if (!e) {
        lh_errf(err, LH_ENOMEM, "out of memory");
        return NULL;
    }
    e->kind = LH_X_COL;
    e->col = col;
    e->type = type;
    return e;
}

void lh_xexpr_free(lh_xexpr *e)
{
    size_t i;
    if (!e)
        return;
    for (i = 0; i < e->n; i++)
        lh_xexpr_free(e->a[i]);
    lh_vector_free(e->res);
    lh_free(e);
}

lh_xexpr *lh_x_cmp(lh_cmp_op op, lh_xexpr *a, lh_xexpr *b, lh_err *err)
{
    lh_xexpr *e = (a && b) ? lh_calloc(1, sizeof *e) : NULL;
    if (!e) {
        lh_xexpr_free(a);
        lh_xexpr_free(b);
        lh_errf(err, LH_ENOMEM, "out of memory");
        return NULL;
    }
    e->kind = LH_X_CMP;
    e->op = op;
    e->type = lh_sqltype_of(LH_SQL_BOOLEAN);
    e->a[0] = a;
    e->a[1] = b;
    e->n = 2;
    return e;
}

lh_xexpr *lh_x_nary(lh_xkind kind, lh_xexpr **args, size_t n, unsigned flags, lh_sqltype type, lh_err *err)
{
    lh_xexpr *e = kind == LH_X_AND && n >= 2 && n <= 8 ? lh_calloc(1, sizeof *e) : NULL;
    size_t i;
    (void)flags;
    if (!e) {
        for (i = 0; i < n; i++)
            lh_xexpr_free(args[i]);
        lh_errf(err, LH_ENOMEM, "out of memory");
        return NULL;
    }
    e->kind = kind;
    e->type = type;
    for (i = 0; i < n; i++)
        e->a[i] = args[i];
    e->n = n;
    return e;
}

lh_rc lh_xexpr_prepare(lh_xexpr *e, const lh_sqltype *in_types, uint32_t ncols, const lh_xenv *env, lh_err *err)
{
    size_t i;
    lh_rc rc;
    (void)env;
    if (e->kind == LH_X_COL)
        return e->col < ncols ? LH_OK : lh_errf(err, LH_EINTERNAL, "column #%u out of range", e->col);
    for (i = 0; i < e->n; i++)
        if ((rc = lh_xexpr_prepare(e->a[i], in_types, ncols, env, err)))
            return rc;
    return lh_vector_create(e->type, 0, &e->res, err);
}

lh_rc lh_xexpr_eval_rows(lh_xexpr *e, lh_batch *in, lh_rows rows, lh_vector **out, lh_err *err)
{
    lh_vector *a, *b;
    size_t i;
    lh_rc rc;
    if (e->kind == LH_X_COL) {
        *out = in->cols[e->col];
        return LH_OK;
    }
    if ((rc = lh_xexpr_eval_rows(e->a[0], in, rows, &a, err)) || (rc = lh_xexpr_eval_rows(e->a[1], in, rows, &b, err)))
        return rc;
    e->res->may_null = 0;
    if (e->kind == LH_X_CMP)
        rc = lh_k_compare(e->op, a, b, e->res, rows, err);
    else {
        rc = lh_k_and(a, b, e->res, rows, err);
        for (i = 2; !rc && i < e->n; i++) {
            if ((rc = lh_xexpr_eval_rows(e->a[i], in, rows, &b, err)))
                return rc;
            rc = lh_k_and(e->res, b, e->res, rows, err);
        }
    }
    *out = e->res;
    return rc;
}

lh_rc lh_xexpr_eval(lh_xexpr *e, lh_batch *in, lh_vector **out, lh_err *err)
{
    return lh_xexpr_eval_rows(e, in, lh_batch_rows(in), out, err);
}

lh_rc lh_xexpr_format(const lh_xexpr *e, lh_buf *out, lh_err *err)
{
    static const char *const ops[] = {"=", "<>", "<", "<=", ">", ">=", "IS DISTINCT FROM", "IS NOT DISTINCT FROM"};
    size_t i;
    lh_rc rc;
    if (e->kind == LH_X_COL)
        return lh_buf_printf(out, err, "#%u", e->col);
    if ((rc = lh_buf_putc(out, '(', err)))
        return rc;
    for (i = 0; i < e->n; i++) {
        if (i && (rc = lh_buf_printf(out, err, " %s ", e->kind == LH_X_CMP ? ops[e->op] : "AND")))
            return rc;
        if ((rc = lh_xexpr_format(e->a[i], out, err)))
            return rc;
    }
    return lh_buf_putc(out, ')', err);
}

#endif
