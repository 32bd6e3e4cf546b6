/* plan/plan_sub.c — correlated scalar subqueries, decorrelated.
 *
 *   (SELECT agg(...) FROM s WHERE s.k = outer.k AND <inner terms>)
 * becomes a LEFT JOIN of the outer rows with
 *   SELECT s.k, agg(...) FROM s WHERE <inner terms> GROUP BY s.k
 * on the correlation keys; an outer row with no partner gets the
 * subquery's value over no rows (count(*) is 0, sum is NULL), computed
 * once while planning.  The subquery node is then a column of the scope,
 * so every expression that holds it reads that column.  Other shapes stay
 * LH_EUNSUPPORTED (the analyzer's correlated flag tells them apart). */
#include <string.h>

#include "plan/planner_int.h"

/* The subquery's value over an empty input: a global aggregate over a
 * relation of no rows of S's column types, then the item. */
static lh_rc empty_value(pl *p, const lh_bexpr *item, const pl_prel *S, const lh_agg_spec *specs, const pl_elist *aggs,
                         lh_xexpr **out)
{
    lh_op *v = NULL, *agg = NULL;
    pl_scope g;
    lh_rc rc;
    lh_batch *b = NULL;
    size_t i;
    lh_xexpr *x = NULL;
    memset(&g, 0, sizeof g);
    *out = NULL;
    if ((rc = lh_op_values(p->ectx, S->op->types, S->op->ncols, NULL, 0, &v, p->err)))
        return rc;
    if ((rc = lh_op_hash_agg(p->ectx, v, NULL, 0, specs, aggs->n, &agg, p->err)))
        return rc;
    g.types = agg->types;
    for (i = 0; i < aggs->n && !rc; i++)
        if (!(rc = pl_scope_add_col(p, &g, -1, -1)))
            rc = pl_scope_add_expr(p, &g, aggs->e[i], (uint32_t)i);
    if (!rc)
        rc = pl_xlate(p, &g, item, &x);
    if (!rc)
        rc = lh_xexpr_prepare(x, agg->types, agg->ncols, &p->env, p->err);
    if (!rc)
        rc = lh_op_next(agg, &b, p->err);
    if (!rc && b) {
        lh_vector *val;
        if (!(rc = lh_xexpr_eval(x, b, &val, p->err))) {
            lh_rows rows = lh_batch_rows(b);
            uint32_t row = rows.sel ? rows.sel[0] : 0;
            if (!lh_vector_get_valid(val, row))
                *out = lh_x_null(item->type, p->err);
            else {
                lh_vector *one = NULL;
                lh_arena ar;
                lh_arena_init(&ar, 0);
                if (!(rc = lh_vector_create(val->type, 1, &one, p->err)) &&
                    !(rc = lh_vector_copy_value(val, row, one, 0, &ar, p->err)))
                    *out = lh_x_const(one, p->err);
                lh_vector_free(one);
                lh_arena_reset(&ar);
            }
            if (!rc && !*out)
                rc = p->err->code ? p->err->code : pl_nomem(p);
        }
    }
    lh_xexpr_free(x);
    lh_op_free(agg);
    pl_scope_free(&g);
    return rc;
}

/* Decorrelate one scalar subquery e onto r; *ok = 0 when its shape is
 * another (nothing changed then). */
static lh_rc scalar_one(pl *p, pl_prel *r, const lh_bexpr *e, int *ok)
{
    const lh_bquery *q = e->sub;
    pl_conjs wc, inner_c;
    pl_elist aggs, wins;
    const lh_bexpr **ik = NULL, **oc = NULL;
    size_t nk = 0, i;
    unsigned char *iset = NULL;
    pl_prel S;
    pl_extra sx;
    uint32_t *lk = NULL, *rk = NULL, *keys = NULL;
    lh_agg_spec *specs = NULL;
    lh_xexpr *empty = NULL;
    lh_op *agg = NULL, *proj = NULL, *join = NULL;
    lh_rc rc = LH_OK;
    uint32_t n0 = r->sc.ncols;
    *ok = 0;
    memset(&wc, 0, sizeof wc);
    memset(&inner_c, 0, sizeof inner_c);
    memset(&aggs, 0, sizeof aggs);
    memset(&wins, 0, sizeof wins);
    memset(&S, 0, sizeof S);
    memset(&sx, 0, sizeof sx);
    if (q->kind != BQ_SELECT || !q->from || !q->where || q->ncols != 1 || q->ngroups || q->having || q->limit >= 0 ||
        q->offset > 0 || q->distinct || q->nsets > 1)
        return LH_OK;
    if ((rc = pl_collect(p, q->items[0], &aggs, &wins)))
        goto out;
    if (!aggs.n || wins.n)
        goto out; /* not an aggregate: it may return many rows */
    iset = lh_calloc((size_t)p->nrels + 1, 1);
    if (!iset) {
        rc = pl_nomem(p);
        goto out;
    }
    pl_rel_set(q->from, iset, p->nrels);
    if ((rc = pl_conjs_add(p, &wc, q->where)))
        goto out;
    ik = lh_calloc(wc.n + 1, sizeof *ik);
    oc = lh_calloc(wc.n + 1, sizeof *oc);
    if (!ik || !oc) {
        rc = pl_nomem(p);
        goto out;
    }
    for (i = 0; i < wc.n && !rc; i++) {
        const lh_bexpr *c = wc.e[i];
        if (pl_refs_within(c, iset, p->nrels) && !pl_has_subquery(c)) {
            rc = pl_conjs_add(p, &inner_c, c);
            continue;
        }
        if (c->kind == BX_OP && c->op == LH_BOP_EQ && !pl_has_subquery(c)) {
            const lh_bexpr *a = c->args[0], *b = c->args[1];
            int a_in = pl_refs_within(a, iset, p->nrels), b_in = pl_refs_within(b, iset, p->nrels);
            const lh_bexpr *in = a_in ? a : b_in ? b : NULL, *outer = a_in ? b : a;
            if (in && !(a_in && b_in) && outer->kind == BX_COL && outer->depth == 1 &&
                lh_phys_of(in->type) == lh_phys_of(outer->type)) {
                ik[nk] = in;
                oc[nk] = outer;
                nk++;
                continue;
            }
        }
        goto out; /* another shape */
    }
    if (rc || !nk)
        goto out;
    lk = lh_calloc(nk, sizeof *lk);
    rk = lh_calloc(nk, sizeof *rk);
    keys = lh_calloc(nk, sizeof *keys);
    specs = lh_calloc(aggs.n + 1, sizeof *specs);
    if (!lk || !rk || !keys || !specs) {
        rc = pl_nomem(p);
        goto out;
    }
    for (i = 0; i < nk; i++) { /* the outer columns must be columns of r */
        uint32_t k, found = UINT32_MAX;
        for (k = 0; k < r->sc.ncols; k++)
            if (r->sc.cols[k].rel == oc[i]->rel && r->sc.cols[k].col == oc[i]->col)
                found = k;
        if (found == UINT32_MAX)
            goto out;
        lk[i] = found;
    }
    /* the inner side, grouped by its correlation keys */
    if ((rc = pl_plan_rel(p, q->from, &inner_c, &S)))
        goto out;
    for (i = 0; i < inner_c.n && !rc; i++)
        if (!inner_c.done[i]) {
            const lh_bexpr *one = inner_c.e[i];
            rc = pl_add_filter(p, &S, &one, 1);
        }
    for (i = 0; i < nk && !rc; i++)
        rc = pl_position_of(p, &S, &sx, ik[i], &keys[i]);
    for (i = 0; i < aggs.n && !rc; i++)
        rc = pl_agg_spec(p, &S, &sx, aggs.e[i], &specs[i]);
    if (rc || (rc = pl_flush_extra(p, &S, &sx)))
        goto out;
    for (i = 0; i < nk; i++)
        if (!lh_sqltype_equal(S.sc.types[keys[i]], r->sc.types[lk[i]]) &&
            !(lh_sqltype_is_string(S.sc.types[keys[i]]) && lh_sqltype_is_string(r->sc.types[lk[i]])))
            goto out;
    if ((rc = empty_value(p, q->items[0], &S, specs, &aggs, &empty)))
        goto out;
    rc = lh_op_hash_agg(p->ectx, S.op, keys, nk, specs, aggs.n, &agg, p->err);
    S.op = NULL;
    if (rc)
        goto out;
    {
        /* [keys..., value, matched] over the aggregate */
        pl_scope g;
        lh_xexpr **ex = lh_calloc(nk + 2, sizeof *ex);
        lh_vector *t = NULL;
        memset(&g, 0, sizeof g);
        g.types = agg->types;
        if (!ex)
            rc = pl_nomem(p);
        for (i = 0; !rc && i < nk + aggs.n; i++)
            if (!(rc = pl_scope_add_col(p, &g, -1, -1)) && i >= nk)
                rc = pl_scope_add_expr(p, &g, aggs.e[i - nk], (uint32_t)i);
        for (i = 0; !rc && i < nk; i++)
            if (!(ex[i] = lh_x_col((uint32_t)i, agg->types[i], p->err)))
                rc = p->err->code;
        if (!rc)
            rc = pl_xlate(p, &g, q->items[0], &ex[nk]);
        if (!rc && !(rc = lh_vector_create(lh_sqltype_of(LH_SQL_BOOLEAN), 1, &t, p->err))) {
            lh_vector_set_bool(t, 0, 1);
            if (!(ex[nk + 1] = lh_x_const(t, p->err)))
                rc = p->err->code;
        }
        lh_vector_free(t);
        pl_scope_free(&g);
        if (rc) {
            for (i = 0; ex && i < nk + 2; i++)
                lh_xexpr_free(ex[i]);
            lh_free(ex);
            goto out;
        }
        rc = lh_op_project(p->ectx, agg, ex, (uint32_t)nk + 2, &proj, p->err);
        agg = NULL;
        lh_free(ex);
        if (rc)
            goto out;
    }
    for (i = 0; i < nk; i++)
        rk[i] = (uint32_t)i;
    rc = lh_op_hash_join(p->ectx, r->op, proj, LH_J_LEFT, lk, rk, nk, NULL, &join, p->err);
    r->op = NULL;
    proj = NULL;
    if (rc)
        goto out;
    {
        /* r's columns, then CASE WHEN matched IS NULL THEN <over no rows> ELSE value END */
        lh_xexpr **ex = lh_calloc((size_t)n0 + 1, sizeof *ex), *m, *val, *ca[3];
        if (!ex) {
            lh_op_free(join);
            rc = pl_nomem(p);
            goto out;
        }
        for (i = 0; !rc && i < n0; i++)
            if (!(ex[i] = lh_x_col((uint32_t)i, join->types[i], p->err)))
                rc = p->err->code;
        if (!rc) {
            m = lh_x_unary(LH_X_IS_NULL, lh_x_col(n0 + (uint32_t)nk + 1, join->types[n0 + nk + 1], p->err), 0, p->err);
            val = lh_x_col(n0 + (uint32_t)nk, join->types[n0 + nk], p->err);
            ca[0] = m;
            ca[1] = empty;
            ca[2] = val;
            empty = NULL;
            if (!m || !val) {
                lh_xexpr_free(m);
                lh_xexpr_free(val);
                lh_xexpr_free(ca[1]);
                rc = p->err->code ? p->err->code : pl_nomem(p);
            } else if (!(ex[n0] = lh_x_nary(LH_X_CASE, ca, 3, LH_XF_ELSE, e->type, p->err)))
                rc = p->err->code;
        }
        if (rc) {
            for (i = 0; i <= n0; i++)
                lh_xexpr_free(ex[i]);
            lh_free(ex);
            lh_op_free(join);
            goto out;
        }
        rc = lh_op_project(p->ectx, join, ex, n0 + 1, &r->op, p->err);
        lh_free(ex);
        if (rc)
            goto out;
        pl_prel_types(r);
        if (!(rc = pl_scope_add_col(p, &r->sc, -1, -1)))
            rc = pl_scope_add_expr(p, &r->sc, e, n0);
        if (!rc)
            *ok = 1;
    }
out:
    lh_xexpr_free(empty);
    lh_op_free(agg);
    lh_op_free(proj);
    pl_prel_free(&S);
    pl_conjs_free(&wc);
    pl_conjs_free(&inner_c);
    lh_free(aggs.e);
    lh_free(wins.e);
    lh_free(ik);
    lh_free(oc);
    lh_free(iset);
    lh_free(lk);
    lh_free(rk);
    lh_free(keys);
    lh_free(specs);
    lh_free(sx.e);
    return rc;
}

lh_rc pl_decorrelate_scalars(pl *p, pl_prel *r, const lh_bexpr *e)
{
    size_t i;
    lh_rc rc;
    int ok = 0;
    if (!e)
        return LH_OK;
    if (e->kind == BX_SUBQ && e->sub->correlated) {
        for (i = 0; i < r->sc.nexprs; i++)
            if (r->sc.exprs[i] == e)
                return LH_OK; /* done already (the same node reached twice) */
        if ((rc = scalar_one(p, r, e, &ok)))
            return rc;
        if (!ok)
            return pl_err(p, e->pos, LH_EUNSUPPORTED, "this correlated scalar subquery is not supported yet");
        return LH_OK;
    }
    if (e->sub)
        return LH_OK;
    for (i = 0; i < e->nargs; i++)
        if ((rc = pl_decorrelate_scalars(p, r, e->args[i])))
            return rc;
    return LH_OK;
}
