/* plan/planner.c — queries and relations → operators.  See planner.h;
 * expressions and subqueries run while planning are in plan_expr.c. */
#include <string.h>

#include "plan/planner_int.h"

/* An operator and what its columns stand for. */

void pl_prel_free(pl_prel *r)
{
    lh_op_free(r->op);
    pl_scope_free(&r->sc);
    memset(r, 0, sizeof *r);
}

void pl_prel_types(pl_prel *r) { r->sc.types = r->op->types; }

/* ------------------------------------------------------- used columns */

static void mark_query(pl *p, const lh_bquery *q);

static void mark_expr(pl *p, const lh_bexpr *e)
{
    size_t i;
    if (!e)
        return;
    if (e->kind == BX_COL && e->rel >= 0 && e->rel < p->nrels && p->used[e->rel] && e->col >= 0 &&
        (uint32_t)e->col < p->nused_cols[e->rel])
        p->used[e->rel][e->col] = 1;
    for (i = 0; i < e->nargs; i++)
        mark_expr(p, e->args[i]);
    mark_expr(p, e->filter);
    for (i = 0; i < e->norder; i++)
        mark_expr(p, e->order[i].e);
    if (e->window) {
        for (i = 0; i < e->window->npart; i++)
            mark_expr(p, e->window->part[i]);
        for (i = 0; i < e->window->norder; i++)
            mark_expr(p, e->window->order[i].e);
        mark_expr(p, e->window->start_off);
        mark_expr(p, e->window->end_off);
    }
    if (e->sub)
        mark_query(p, e->sub);
}

static void mark_rel(pl *p, const lh_brel *r)
{
    if (!r)
        return;
    if (r->kind == BR_JOIN) {
        mark_rel(p, r->left);
        mark_rel(p, r->right);
        mark_expr(p, r->on);
    } else if (r->kind == BR_QUERY)
        mark_query(p, r->sub);
}

static void mark_query(pl *p, const lh_bquery *q)
{
    size_t i, j;
    if (!q)
        return;
    mark_rel(p, q->from);
    mark_expr(p, q->where);
    mark_expr(p, q->having);
    for (i = 0; q->items && i < q->ncols; i++)
        mark_expr(p, q->items[i]);
    for (i = 0; i < q->ngroups; i++)
        mark_expr(p, q->groups[i]);
    for (i = 0; i < q->norder; i++)
        mark_expr(p, q->order[i].e);
    for (i = 0; i < q->nrows; i++)
        for (j = 0; j < q->ncols; j++)
            mark_expr(p, q->rows[i][j]);
    mark_query(p, q->left);
    mark_query(p, q->right);
    for (i = 0; q->lcast && i < q->ncols; i++)
        mark_expr(p, q->lcast[i]);
    for (i = 0; q->rcast && i < q->ncols; i++)
        mark_expr(p, q->rcast[i]);
}

/* Leaves: count them (max id + 1), then allocate the bitmaps. */
static void leaves_query(pl *p, const lh_bquery *q, int alloc);
static void leaves_expr(pl *p, const lh_bexpr *e, int alloc)
{
    size_t i;
    if (!e)
        return;
    for (i = 0; i < e->nargs; i++)
        leaves_expr(p, e->args[i], alloc);
    if (e->sub)
        leaves_query(p, e->sub, alloc);
}
static void leaves_rel(pl *p, const lh_brel *r, int alloc)
{
    if (!r)
        return;
    if (r->kind == BR_JOIN) {
        leaves_rel(p, r->left, alloc);
        leaves_rel(p, r->right, alloc);
        leaves_expr(p, r->on, alloc);
        return;
    }
    if (!alloc) {
        if (r->id + 1 > p->nrels)
            p->nrels = r->id + 1;
    } else if (r->id >= 0 && r->id < p->nrels && !p->used[r->id]) {
        p->used[r->id] = lh_calloc(r->ncols + 1, 1);
        p->nused_cols[r->id] = p->used[r->id] ? (uint32_t)r->ncols : 0;
    }
    if (r->kind == BR_QUERY)
        leaves_query(p, r->sub, alloc);
}
static void leaves_query(pl *p, const lh_bquery *q, int alloc)
{
    size_t i, j;
    if (!q)
        return;
    leaves_rel(p, q->from, alloc);
    leaves_expr(p, q->where, alloc);
    leaves_expr(p, q->having, alloc);
    for (i = 0; q->items && i < q->ncols; i++)
        leaves_expr(p, q->items[i], alloc);
    for (i = 0; i < q->norder; i++)
        leaves_expr(p, q->order[i].e, alloc);
    for (i = 0; i < q->ngroups; i++)
        leaves_expr(p, q->groups[i], alloc);
    for (i = 0; i < q->nrows; i++)
        for (j = 0; j < q->ncols; j++)
            leaves_expr(p, q->rows[i][j], alloc);
    leaves_query(p, q->left, alloc);
    leaves_query(p, q->right, alloc);
}

/* ------------------------------------------------------------ helpers */


lh_rc pl_conjs_add(pl *p, pl_conjs *c, const lh_bexpr *e)
{
    if (e->kind == BX_AND) {
        size_t i;
        lh_rc rc;
        for (i = 0; i < e->nargs; i++)
            if ((rc = pl_conjs_add(p, c, e->args[i])))
                return rc;
        return LH_OK;
    }
    if (c->n == c->cap) {
        size_t nc = c->cap ? c->cap * 2 : 8;
        const lh_bexpr **ne = lh_realloc(c->e, nc * sizeof *ne);
        unsigned char *nd;
        if (!ne)
            return pl_nomem(p);
        c->e = ne;
        nd = lh_realloc(c->done, nc);
        if (!nd)
            return pl_nomem(p);
        c->done = nd;
        c->cap = nc;
    }
    c->e[c->n] = e;
    c->done[c->n] = 0;
    c->n++;
    return LH_OK;
}

void pl_conjs_free(pl_conjs *c)
{
    lh_free(c->e);
    lh_free(c->done);
    memset(c, 0, sizeof *c);
}

int pl_has_subquery(const lh_bexpr *e)
{
    size_t i;
    if (!e)
        return 0;
    if (e->sub)
        return 1;
    for (i = 0; i < e->nargs; i++)
        if (pl_has_subquery(e->args[i]))
            return 1;
    return pl_has_subquery(e->filter);
}

void pl_rel_set(const lh_brel *r, unsigned char *set, int nrels)
{
    if (!r)
        return;
    if (r->kind == BR_JOIN) {
        pl_rel_set(r->left, set, nrels);
        pl_rel_set(r->right, set, nrels);
    } else if (r->id >= 0 && r->id < nrels)
        set[r->id] = 1;
}

/* AND of the expressions → a filter on r (nothing when n = 0). */
lh_rc pl_add_filter(pl *p, pl_prel *r, const lh_bexpr **es, size_t n)
{
    lh_xexpr **x, *pred;
    size_t i;
    lh_rc rc;
    lh_op *f;
    if (!n)
        return LH_OK;
    x = lh_calloc(n, sizeof *x);
    if (!x)
        return pl_nomem(p);
    for (i = 0; i < n; i++)
        if ((rc = pl_xlate(p, &r->sc, es[i], &x[i]))) {
            while (i--)
                lh_xexpr_free(x[i]);
            lh_free(x);
            return rc;
        }
    if (n == 1)
        pred = x[0];
    else if (!(pred = lh_x_nary(LH_X_AND, x, n, 0, lh_sqltype_of(LH_SQL_BOOLEAN), p->err))) {
        lh_free(x);
        return p->err->code;
    }
    lh_free(x);
    if ((rc = lh_op_filter(p->ectx, r->op, pred, &f, p->err))) {
        r->op = NULL; /* the operator constructors own their child, also on failure */
        return rc;
    }
    r->op = f;
    pl_prel_types(r);
    return LH_OK;
}

/* Apply the not-yet-applied conjuncts that only reference rels in set
 * (and hold no correlated subquery) as a filter on r. */
lh_rc pl_apply_local(pl *p, pl_prel *r, pl_conjs *c, const unsigned char *set)
{
    const lh_bexpr **pick;
    size_t i, n = 0;
    lh_rc rc;
    if (!c || !c->n)
        return LH_OK;
    pick = lh_calloc(c->n, sizeof *pick);
    if (!pick)
        return pl_nomem(p);
    for (i = 0; i < c->n; i++)
        if (!c->done[i] && pl_refs_within(c->e[i], set, p->nrels)) {
            pick[n++] = c->e[i];
            c->done[i] = 1;
        }
    rc = pl_add_filter(p, r, pick, n);
    lh_free(pick);
    return rc;
}

/* Column position of expression e over r: a column already there, else
 * appended by a projection (passthrough + new columns).  Collects pending
 * projections in *pl_extra, applied by pl_flush_extra. */

lh_rc pl_position_of(pl *p, pl_prel *r, pl_extra *x, const lh_bexpr *e, uint32_t *pos)
{
    uint32_t i;
    if (e->kind == BX_COL && e->depth == 0)
        for (i = 0; i < r->sc.ncols; i++)
            if (r->sc.cols[i].rel == e->rel && r->sc.cols[i].col == e->col) {
                *pos = i;
                return LH_OK;
            }
    for (i = 0; i < r->sc.nexprs; i++)
        if (pl_bexpr_eq(r->sc.exprs[i], e)) {
            *pos = r->sc.epos[i];
            return LH_OK;
        }
    for (i = 0; i < x->n; i++)
        if (pl_bexpr_eq(x->e[i], e)) {
            *pos = r->sc.ncols + i;
            return LH_OK;
        }
    if (x->n == x->cap) {
        size_t nc = x->cap ? x->cap * 2 : 8;
        const lh_bexpr **ne = lh_realloc(x->e, nc * sizeof *ne);
        if (!ne)
            return pl_nomem(p);
        x->e = ne;
        x->cap = nc;
    }
    x->e[x->n] = e;
    *pos = r->sc.ncols + (uint32_t)x->n;
    x->n++;
    return LH_OK;
}

/* Project r to its columns + x's expressions; the new columns are
 * remembered as expressions of the scope. */
lh_rc pl_flush_extra(pl *p, pl_prel *r, pl_extra *x)
{
    uint32_t n0 = r->sc.ncols, i;
    size_t k;
    lh_xexpr **ex;
    lh_rc rc = LH_OK;
    lh_op *op;
    if (!x->n)
        return LH_OK;
    ex = lh_calloc(n0 + x->n, sizeof *ex);
    if (!ex)
        return pl_nomem(p);
    for (i = 0; i < n0 && !rc; i++)
        if (!(ex[i] = lh_x_col(i, r->sc.types[i], p->err)))
            rc = p->err->code;
    for (k = 0; k < x->n && !rc; k++)
        rc = pl_xlate(p, &r->sc, x->e[k], &ex[n0 + k]);
    if (rc) {
        for (k = 0; k < n0 + x->n; k++)
            lh_xexpr_free(ex[k]);
        lh_free(ex);
        return rc;
    }
    rc = lh_op_project(p->ectx, r->op, ex, n0 + (uint32_t)x->n, &op, p->err);
    lh_free(ex);
    if (rc) {
        r->op = NULL;
        return rc;
    }
    r->op = op;
    pl_prel_types(r);
    for (k = 0; k < x->n && !rc; k++) {
        if ((rc = pl_scope_add_col(p, &r->sc, -1, -1)))
            break;
        rc = pl_scope_add_expr(p, &r->sc, x->e[k], n0 + (uint32_t)k);
    }
    x->n = 0;
    return rc;
}

/* A projection to exactly the expressions es[0..n) over r; the new scope
 * has computed columns only. */
lh_rc pl_project_to(pl *p, pl_prel *r, const lh_bexpr *const *es, size_t n)
{
    lh_xexpr **ex = lh_calloc(n + 1, sizeof *ex);
    size_t k;
    lh_rc rc = LH_OK;
    lh_op *op;
    if (!ex)
        return pl_nomem(p);
    for (k = 0; k < n && !rc; k++)
        rc = pl_xlate(p, &r->sc, es[k], &ex[k]);
    if (rc) {
        for (k = 0; k < n; k++)
            lh_xexpr_free(ex[k]);
        lh_free(ex);
        return rc;
    }
    rc = lh_op_project(p->ectx, r->op, ex, (uint32_t)n, &op, p->err);
    lh_free(ex);
    r->op = NULL;
    pl_scope_free(&r->sc);
    if (rc)
        return rc;
    r->op = op;
    pl_prel_types(r);
    for (k = 0; k < n && !rc; k++)
        rc = pl_scope_add_col(p, &r->sc, -1, -1);
    return rc;
}

/* ------------------------------------------------ ORDER BY and LIMIT */

static lh_rc finish_order_limit(pl *p, const lh_bquery *q, lh_op **op, const uint32_t *keycols, size_t nkeys)
{
    lh_rc rc;
    lh_op *o;
    if (q->with_ties && !nkeys)
        return pl_err(p, (lh_pos){0, 0, 0}, LH_EINVAL, "FETCH FIRST WITH TIES clause requires ORDER BY");
    if (q->with_ties && q->limit >= 0) { /* a full sort, then the n rows and their peers */
        lh_sort_key *k = lh_calloc(nkeys, sizeof *k);
        size_t i;
        if (!k)
            return pl_nomem(p);
        for (i = 0; i < nkeys; i++) {
            k[i].col = keycols[i];
            k[i].desc = q->order[i].desc;
            k[i].nulls_first = pl_nulls_first(&q->order[i]);
        }
        rc = lh_op_sort(p->ectx, *op, k, nkeys, 0, -1, &o, p->err);
        lh_free(k);
        *op = NULL;
        if (rc)
            return rc;
        rc = lh_op_limit_ties(p->ectx, o, q->offset > 0 ? q->offset : 0, q->limit, keycols, nkeys, op, p->err);
        return rc;
    }
    if (nkeys) {
        lh_sort_key *k = lh_calloc(nkeys, sizeof *k);
        size_t i;
        if (!k)
            return pl_nomem(p);
        for (i = 0; i < nkeys; i++) {
            k[i].col = keycols[i];
            k[i].desc = q->order[i].desc;
            k[i].nulls_first = pl_nulls_first(&q->order[i]);
        }
        rc = lh_op_sort(p->ectx, *op, k, nkeys, q->offset > 0 ? q->offset : 0, q->limit, &o, p->err);
        lh_free(k);
        *op = rc ? NULL : o;
        return rc;
    }
    if (q->limit >= 0 || q->offset > 0) {
        rc = lh_op_limit(p->ectx, *op, q->offset > 0 ? q->offset : 0, q->limit, &o, p->err);
        *op = rc ? NULL : o;
        return rc;
    }
    return LH_OK;
}

/* ORDER BY over an operator whose columns are the query's outputs (set
 * operations, VALUES): every key must be an output reference. */
static lh_rc order_by_outputs(pl *p, const lh_bquery *q, lh_op **op)
{
    uint32_t *keys = lh_calloc(q->norder + 1, sizeof *keys);
    size_t i;
    lh_rc rc;
    if (!keys)
        return pl_nomem(p);
    for (i = 0; i < q->norder; i++) {
        if (q->order[i].e->kind != BX_OUTREF) {
            lh_free(keys);
            return pl_err(p, q->order[i].e->pos, LH_EUNSUPPORTED,
                          "ORDER BY an expression over a set operation is not supported yet");
        }
        keys[i] = (uint32_t)q->order[i].e->col;
    }
    rc = finish_order_limit(p, q, op, keys, q->norder);
    lh_free(keys);
    return rc;
}

/* ------------------------------------------------------------ SELECT */

/* FROM and WHERE of a SELECT: the rows the rest of the query works on.
 * Grouping sets plan it once per set. */
lh_rc pl_plan_source(pl *p, const lh_bquery *q, pl_prel *out)
{
    pl_prel r;
    pl_conjs wc;
    const lh_bexpr **fl = NULL;
    size_t nf = 0, i;
    lh_rc rc = LH_OK;
    memset(&r, 0, sizeof r);
    memset(&wc, 0, sizeof wc);
    memset(out, 0, sizeof *out);
    if (q->where && (rc = pl_conjs_add(p, &wc, q->where)))
        goto done;
    if (q->from)
        rc = pl_plan_rel(p, q->from, &wc, &r);
    else {
        lh_xexpr *none = NULL;
        rc = lh_op_values(p->ectx, NULL, 0, &none, 1, &r.op, p->err);
        if (!rc)
            pl_prel_types(&r);
    }
    if (rc)
        goto done;
    /* what is left of WHERE: subquery conjuncts as joins, the rest as a filter */
    fl = lh_calloc(wc.n + 1, sizeof *fl);
    if (!fl) {
        rc = pl_nomem(p);
        goto done;
    }
    for (i = 0; i < wc.n && !rc; i++) {
        const lh_bexpr *c = wc.e[i];
        int negate = 0, ok = 0;
        if (wc.done[i])
            continue;
        if (c->kind == BX_INQ && !c->sub->correlated) {
            rc = pl_semi_in(p, &r, c);
            continue;
        }
        if (c->kind == BX_INQ) { /* correlated IN: a semi join on the value and the correlation */
            if ((rc = pl_semi_exists(p, &r, c, 0, &ok)))
                break;
            if (ok)
                continue;
            rc = pl_err(p, c->pos, LH_EUNSUPPORTED, "this correlated IN subquery is not supported yet");
            break;
        }
        if (c->kind == BX_NOT && c->args[0]->kind == BX_EXISTS) {
            negate = 1;
            c = c->args[0];
        }
        if (c->kind == BX_EXISTS && c->sub->correlated) {
            if ((rc = pl_semi_exists(p, &r, c, negate, &ok)))
                break;
            if (ok)
                continue;
            rc = pl_err(p, c->pos, LH_EUNSUPPORTED, "this correlated EXISTS subquery is not supported yet");
            break;
        }
        if (c->sub || pl_has_subquery(c)) /* correlated scalar subqueries: LEFT JOINs first */
            if ((rc = pl_decorrelate_scalars(p, &r, wc.e[i])))
                break;
        fl[nf++] = wc.e[i];
    }
    if (rc || (rc = pl_add_filter(p, &r, fl, nf)))
        goto done;
done:
    lh_free(fl);
    pl_conjs_free(&wc);
    if (rc) {
        pl_prel_free(&r);
        return rc;
    }
    *out = r;
    return LH_OK;
}

static lh_rc plan_select(pl *p, const lh_bquery *q, lh_op **out)
{
    pl_prel r;
    pl_elist aggs, wins, gops;
    const lh_bexpr **items = NULL;
    uint32_t *keys = NULL;
    size_t i, nitems, nextra = 0;
    lh_rc rc = LH_OK;
    memset(&r, 0, sizeof r);
    memset(&gops, 0, sizeof gops);
    memset(&aggs, 0, sizeof aggs);
    memset(&wins, 0, sizeof wins);
    *out = NULL;
    if ((rc = pl_plan_source(p, q, &r)))
        goto out;
    /* aggregates */
    for (i = 0; i < q->ncols && !rc; i++)
        rc = pl_collect(p, q->items[i], &aggs, &wins);
    if (!rc)
        rc = pl_collect(p, q->having, &aggs, &wins);
    for (i = 0; i < q->norder && !rc; i++)
        rc = pl_collect(p, q->order[i].e, &aggs, &wins);
    for (i = 0; i < q->ncols && !rc; i++)
        rc = pl_collect_grouping(p, q->items[i], &gops);
    if (!rc)
        rc = pl_collect_grouping(p, q->having, &gops);
    for (i = 0; i < q->norder && !rc; i++)
        rc = pl_collect_grouping(p, q->order[i].e, &gops);
    if (rc)
        goto out;
    if (q->grouped || aggs.n) {
        if ((rc = q->nsets > 1 || gops.n ? pl_plan_grouping_sets(p, q, &r, &aggs, &gops)
                                        : pl_plan_aggregate(p, q, &r, &aggs)))
            goto out;
        const lh_bexpr *having = q->having;
        if (having && (rc = pl_add_filter(p, &r, &having, 1)))
            goto out;
    }
    for (i = 0; i < wins.n && !rc; i++)
        rc = pl_plan_window(p, &r, wins.e[i]);
    for (i = 0; i < q->ncols && !rc; i++)
        if (pl_has_subquery(q->items[i]))
            rc = pl_decorrelate_scalars(p, &r, q->items[i]);
    for (i = 0; i < q->norder && !rc; i++)
        if (pl_has_subquery(q->order[i].e))
            rc = pl_decorrelate_scalars(p, &r, q->order[i].e);
    if (rc)
        goto out;
    /* the select list, plus ORDER BY keys that are not output columns */
    nitems = q->ncols;
    items = lh_calloc(nitems + q->norder + 1, sizeof *items);
    keys = lh_calloc(q->norder + 1, sizeof *keys);
    if (!items || !keys) {
        rc = pl_nomem(p);
        goto out;
    }
    for (i = 0; i < nitems; i++)
        items[i] = q->items[i];
    for (i = 0; i < q->norder; i++) {
        const lh_bexpr *k = q->order[i].e;
        size_t j;
        if (k->kind == BX_OUTREF) {
            keys[i] = (uint32_t)k->col;
            continue;
        }
        for (j = 0; j < nitems + nextra; j++)
            if (pl_bexpr_eq(items[j], k))
                break;
        if (j == nitems + nextra) {
            if (q->distinct) {
                rc = pl_err(p, k->pos, LH_EINVAL, "For SELECT DISTINCT, ORDER BY expressions must appear in select list");
                goto out;
            }
            items[nitems + nextra++] = k;
        }
        keys[i] = (uint32_t)j;
    }
    if ((rc = pl_project_to(p, &r, items, nitems + nextra)))
        goto out;
    if (q->distinct) {
        uint32_t *all = lh_calloc(nitems + 1, sizeof *all);
        lh_op *agg;
        if (!all) {
            rc = pl_nomem(p);
            goto out;
        }
        for (i = 0; i < nitems; i++)
            all[i] = (uint32_t)i;
        rc = lh_op_hash_agg(p->ectx, r.op, all, nitems, NULL, 0, &agg, p->err);
        lh_free(all);
        r.op = rc ? NULL : agg;
        if (rc)
            goto out;
        pl_prel_types(&r);
    }
    if ((rc = finish_order_limit(p, q, &r.op, keys, q->norder)))
        goto out;
    if (nextra) { /* drop the ORDER BY-only columns */
        lh_xexpr **ex = lh_calloc(nitems + 1, sizeof *ex);
        lh_op *pr;
        if (!ex) {
            rc = pl_nomem(p);
            goto out;
        }
        for (i = 0; i < nitems && !rc; i++)
            if (!(ex[i] = lh_x_col((uint32_t)i, r.op->types[i], p->err)))
                rc = p->err->code;
        if (!rc) {
            rc = lh_op_project(p->ectx, r.op, ex, (uint32_t)nitems, &pr, p->err);
            r.op = rc ? NULL : pr;
        } else
            for (i = 0; i < nitems; i++)
                lh_xexpr_free(ex[i]);
        lh_free(ex);
        if (rc)
            goto out;
    }
    *out = r.op;
    r.op = NULL;
out:
    pl_prel_free(&r);
    lh_free(aggs.e);
    lh_free(wins.e);
    lh_free(gops.e);
    lh_free(items);
    lh_free(keys);
    return rc;
}

/* ------------------------------------------------ set operations, VALUES */

/* side's output projected through casts (OUTREFs of the side). */
static lh_rc setop_side(pl *p, const lh_bquery *side, lh_bexpr **casts, size_t n, lh_op **out)
{
    pl_prel r;
    size_t i;
    int plain = 1;
    lh_rc rc;
    memset(&r, 0, sizeof r);
    if ((rc = pl_plan_query(p, side, &r.op)))
        return rc;
    pl_prel_types(&r);
    for (i = 0; i < r.op->ncols && !rc; i++) /* every column of the side (CORRESPONDING picks some) */
        rc = pl_scope_add_col(p, &r.sc, -1, -1);
    r.sc.outrefs = 1;
    if (n != r.op->ncols)
        plain = 0;
    for (i = 0; i < n && plain; i++)
        if (!casts || casts[i]->kind != BX_OUTREF || casts[i]->col != (int)i ||
            !lh_sqltype_equal(casts[i]->type, r.op->types[i]))
            plain = 0;
    if (!rc && !plain)
        rc = pl_project_to(p, &r, (const lh_bexpr *const *)casts, n);
    if (!rc) {
        *out = r.op;
        r.op = NULL;
    }
    pl_prel_free(&r);
    return rc;
}

/* Trino's max_recursion_depth default: the step runs at most this many
 * rounds, and one more must yield nothing. */
#define PL_MAX_RECURSION_DEPTH 10

/* WITH RECURSIVE: the anchor, the working table, and the step planned once
 * per round (its WorkTableScan leaves read the table), under a
 * RecursiveUnion; DISTINCT on top for UNION without ALL. */
static lh_rc plan_recursive(pl *p, const lh_bquery *q, lh_op **out)
{
    lh_op *anchor = NULL, *op = NULL, *steps[PL_MAX_RECURSION_DEPTH + 1] = {NULL};
    lh_worktable *wt = NULL;
    size_t i, nsteps = PL_MAX_RECURSION_DEPTH + 1;
    lh_rc rc;
    *out = NULL;
    if (q->rec_id >= p->nwt) {
        lh_worktable **nw = lh_realloc(p->wt, (size_t)(q->rec_id + 1) * sizeof *nw);
        if (!nw)
            return pl_nomem(p);
        memset(nw + p->nwt, 0, (size_t)(q->rec_id + 1 - p->nwt) * sizeof *nw);
        p->wt = nw;
        p->nwt = q->rec_id + 1;
    }
    if ((rc = setop_side(p, q->left, q->lcast, q->ncols, &anchor)))
        return rc;
    if ((rc = lh_worktable_new(p->ectx, anchor->types, anchor->ncols, &wt, p->err))) {
        lh_op_free(anchor);
        return rc;
    }
    p->wt[q->rec_id] = wt;
    for (i = 0; i < nsteps && !rc; i++)
        rc = setop_side(p, q->right, q->rcast, q->ncols, &steps[i]);
    p->wt[q->rec_id] = NULL;
    if (rc) {
        lh_op_free(anchor);
        for (i = 0; i < nsteps; i++)
            lh_op_free(steps[i]);
        lh_worktable_free(wt);
        return rc;
    }
    if ((rc = lh_op_recursive(p->ectx, anchor, steps, nsteps, wt, &op, p->err)))
        return rc;
    if (!q->all) {
        uint32_t *all = lh_calloc(q->ncols + 1, sizeof *all);
        lh_op *agg;
        if (!all) {
            lh_op_free(op);
            return pl_nomem(p);
        }
        for (i = 0; i < q->ncols; i++)
            all[i] = (uint32_t)i;
        rc = lh_op_hash_agg(p->ectx, op, all, q->ncols, NULL, 0, &agg, p->err);
        lh_free(all);
        if (rc)
            return rc;
        op = agg;
    }
    *out = op;
    return LH_OK;
}

lh_rc pl_plan_worktable(pl *p, const lh_brel *rel, lh_op **out)
{
    if (rel->rec_id <= 0 || rel->rec_id >= p->nwt || !p->wt[rel->rec_id])
        return pl_err(p, (lh_pos){0, 0, 0}, LH_EINTERNAL, "working table of recursive query %d is not being planned",
                      rel->rec_id);
    return lh_op_worktable_scan(p->ectx, p->wt[rel->rec_id], out, p->err);
}

static lh_rc plan_setop(pl *p, const lh_bquery *q, lh_op **out)
{
    lh_op *l = NULL, *r = NULL, *op = NULL;
    lh_rc rc;
    if (q->recursive) {
        if ((rc = plan_recursive(p, q, &op)))
            return rc;
        if ((rc = order_by_outputs(p, q, &op))) {
            lh_op_free(op);
            return rc;
        }
        *out = op;
        return LH_OK;
    }
    if ((rc = setop_side(p, q->left, q->lcast, q->ncols, &l)))
        return rc;
    if ((rc = setop_side(p, q->right, q->rcast, q->ncols, &r))) {
        lh_op_free(l);
        return rc;
    }
    if (q->setop == LH_SET_UNION) {
        lh_op *kids[2] = {l, r};
        rc = lh_op_concat(p->ectx, kids, 2, &op, p->err);
        if (!rc && !q->all) {
            uint32_t *all = lh_calloc(q->ncols + 1, sizeof *all);
            lh_op *agg;
            size_t i;
            if (!all) {
                lh_op_free(op);
                return pl_nomem(p);
            }
            for (i = 0; i < q->ncols; i++)
                all[i] = (uint32_t)i;
            rc = lh_op_hash_agg(p->ectx, op, all, q->ncols, NULL, 0, &agg, p->err);
            lh_free(all);
            op = rc ? NULL : agg;
        }
    } else
        rc = lh_op_setop(p->ectx, l, r, q->setop == LH_SET_INTERSECT ? LH_SETOP_INTERSECT : LH_SETOP_EXCEPT, q->all,
                         &op, p->err);
    if (rc)
        return rc;
    if ((rc = order_by_outputs(p, q, &op))) {
        lh_op_free(op);
        return rc;
    }
    *out = op;
    return LH_OK;
}

static lh_rc plan_values(pl *p, const lh_bquery *q, lh_op **out)
{
    lh_xexpr **cells = lh_calloc(q->nrows * q->ncols + 1, sizeof *cells);
    lh_sqltype *types = lh_calloc(q->ncols + 1, sizeof *types);
    pl_scope empty;
    size_t i, j;
    lh_rc rc = LH_OK;
    lh_op *op = NULL;
    memset(&empty, 0, sizeof empty);
    if (!cells || !types) {
        lh_free(cells);
        lh_free(types);
        return pl_nomem(p);
    }
    for (j = 0; j < q->ncols; j++)
        types[j] = q->cols[j].type;
    for (i = 0; i < q->nrows && !rc; i++)
        for (j = 0; j < q->ncols && !rc; j++) {
            lh_xexpr **c = &cells[i * q->ncols + j];
            rc = pl_xlate(p, &empty, q->rows[i][j], c);
            if (!rc && !lh_sqltype_equal(lh_xexpr_type(*c), types[j]) &&
                !(*c = lh_x_cast(*c, types[j], 0, p->err)))
                rc = p->err->code;
        }
    if (!rc)
        rc = lh_op_values(p->ectx, types, (uint32_t)q->ncols, cells, q->nrows, &op, p->err);
    else
        for (i = 0; i < q->nrows * q->ncols; i++)
            lh_xexpr_free(cells[i]);
    lh_free(cells);
    lh_free(types);
    if (rc)
        return rc;
    if ((rc = order_by_outputs(p, q, &op))) {
        lh_op_free(op);
        return rc;
    }
    *out = op;
    return LH_OK;
}

lh_rc pl_plan_query(pl *p, const lh_bquery *q, lh_op **out)
{
    *out = NULL;
    switch (q->kind) {
    case BQ_SELECT: return plan_select(p, q, out);
    case BQ_SETOP: return plan_setop(p, q, out);
    case BQ_VALUES: return plan_values(p, q, out);
    }
    return pl_err(p, (lh_pos){0, 0, 0}, LH_EINTERNAL, "unknown query kind %d", (int)q->kind);
}

/* ------------------------------------------------------------- entry */

int lh_bound_explain(const lh_bound *b) { return b ? b->explain : 0; }

lh_rc lh_plan_query(const lh_bound *b, const lh_planner_io *io, lh_exec_ctx *ectx, const char *file, lh_op **root,
                    lh_err *err)
{
    pl p;
    lh_rc rc;
    int i;
    memset(&p, 0, sizeof p);
    *root = NULL;
    p.b = b;
    p.io = io;
    p.ectx = ectx;
    p.file = file ? file : "<sql>";
    p.err = err;
    p.env.session_zone = ectx->session_zone;
    p.env.now_us = ectx->now_us;
    leaves_query(&p, b->q, 0);
    if (p.nrels) {
        p.used = lh_calloc((size_t)p.nrels, sizeof *p.used);
        p.nused_cols = lh_calloc((size_t)p.nrels, sizeof *p.nused_cols);
        if (!p.used || !p.nused_cols) {
            rc = pl_nomem(&p);
            goto out;
        }
        leaves_query(&p, b->q, 1);
        for (i = 0; i < p.nrels; i++)
            if (!p.used[i]) {
                /* a leaf id never seen (ids are dense in practice) or no memory */
                p.used[i] = lh_calloc(1, 1);
                if (!p.used[i]) {
                    rc = pl_nomem(&p);
                    goto out;
                }
            }
        mark_query(&p, b->q);
    }
    rc = pl_plan_query(&p, b->q, root);
out:
    lh_free(p.wt);
    for (i = 0; p.used && i < p.nrels; i++)
        lh_free(p.used[i]);
    lh_free(p.used);
    lh_free(p.nused_cols);
    return rc;
}
