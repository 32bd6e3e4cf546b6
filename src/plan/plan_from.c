/* plan/plan_from.c — FROM: table scans (with the constraints they can use),
 * joins, and the subquery conjuncts of WHERE as semi/anti joins.  See
 * planner.h. */
#include <string.h>

#include "plan/planner_int.h"

/* --------------------------------------------------------------- FROM */


/* Scan hints (lh_planner_io.scan_where) from the conjuncts about one table. */
typedef struct hints {
    lh_scan_constraint *cons;
    lh_value *vals;
    lh_str *strs; /* the text of varchar values (lh_str may hold it inline) */
    lh_xexpr **consts;
    size_t n;
} hints;

static void hints_free(hints *h)
{
    size_t i;
    for (i = 0; i < h->n; i++)
        lh_xexpr_free(h->consts[i]);
    lh_free(h->cons);
    lh_free(h->vals);
    lh_free(h->strs);
    lh_free(h->consts);
    memset(h, 0, sizeof *h);
}

static int hint_type_ok(lh_sqltype col, lh_sqltype k)
{
    switch (col.id) {
    case LH_SQL_TINYINT:
    case LH_SQL_SMALLINT:
    case LH_SQL_INTEGER:
    case LH_SQL_BIGINT: return k.id == col.id;
    /* varchar(n) is cut to n code points after reading: the file's
     * statistics are of the uncut values, so only unbounded varchar */
    case LH_SQL_VARCHAR: return col.len == LH_SQL_UNBOUNDED && k.id == LH_SQL_VARCHAR;
    default: return 0;
    }
}

/* `col op k` about rel → a hint when col is one of its columns and k a
 * constant of the column's type that evaluates; else none. */
static lh_rc hint_one(pl *p, const lh_brel *rel, const lh_bexpr *col, lh_pq_op op, const lh_bexpr *k,
                      const uint32_t *cols, uint32_t n, hints *h)
{
    uint32_t at;
    pl_scope none;
    lh_xexpr *x = NULL;
    lh_batch *one = NULL;
    lh_vector *v = NULL;
    lh_err e2;
    lh_value *val = &h->vals[h->n];
    lh_sqltype ctype = col->type; /* the compared type (the constant's) */
    /* a column widened to a larger integer type (tinyint_col = 5 compares
     * as integer): exact and order-preserving, so its statistics bound it */
    if (col->kind == BX_CAST && col->nargs == 1 && col->args[0]->kind == BX_COL && lh_sqltype_is_integer(col->type) &&
        lh_sqltype_is_integer(col->args[0]->type) && col->args[0]->type.id < col->type.id)
        col = col->args[0];
    if (col->kind != BX_COL || col->depth != 0 || col->rel != rel->id || col->col < 0 ||
        (size_t)col->col >= rel->ncols || rel->cols[col->col].hidden || !hint_type_ok(ctype, k->type))
        return LH_OK;
    {
        unsigned char nothing = 0;
        if (!pl_refs_within(k, &nothing, 0))
            return LH_OK; /* not a constant */
    }
    for (at = 0; at < n && cols[at] != (uint32_t)col->col; at++)
        ;
    if (at == n)
        return LH_OK;
    memset(&none, 0, sizeof none);
    {
        int vs = p->volatile_seen;
        lh_rc rc;
        p->volatile_seen = 0;
        rc = pl_xlate(p, &none, k, &x);
        if (rc == LH_ENOMEM) {
            p->volatile_seen = vs;
            return rc;
        }
        if (rc || p->volatile_seen || lh_xexpr_kind(x) != LH_X_CONST) {
            p->volatile_seen = vs;
            lh_xexpr_free(x);
            lh_err_clear(p->err);
            return LH_OK; /* not foldable: the filter above deals with it */
        }
        p->volatile_seen = vs;
    }
    lh_err_clear(&e2);
    if (lh_batch_create(NULL, 0, 0, &one, &e2) || (one->n = 1, lh_xexpr_prepare(x, NULL, 0, &p->env, &e2)) ||
        lh_xexpr_eval(x, one, &v, &e2) || !lh_vector_get_valid(v, 0)) {
        lh_batch_free(one);
        lh_xexpr_free(x);
        return e2.code == LH_ENOMEM ? lh_errf(p->err, LH_ENOMEM, "out of memory") : LH_OK;
    }
    memset(val, 0, sizeof *val);
    if (col->type.id == LH_SQL_VARCHAR) {
        h->strs[h->n] = lh_vector_get_str(v, 0);
        val->t = LH_V_TEXT;
        val->s = lh_str_ptr(&h->strs[h->n]);
        val->n = lh_str_len(&h->strs[h->n]);
    } else {
        val->t = LH_V_INT;
        val->i = lh_vector_get_i64(v, 0);
    }
    lh_batch_free(one);
    h->consts[h->n] = x; /* v (and the text) belong to x */
    h->cons[h->n].col = at;
    h->cons[h->n].op = op;
    h->cons[h->n].vals = val;
    h->cons[h->n].nvals = 1;
    h->n++;
    return LH_OK;
}

/* One conjunct about rel: `column op constant` (either order) or
 * `column BETWEEN constant AND constant` → hints; anything else none. */
static lh_rc hint_of(pl *p, const lh_brel *rel, const lh_bexpr *e, const uint32_t *cols, uint32_t n, hints *h)
{
    lh_pq_op op;
    int flip;
    lh_rc rc;
    if (pl_has_subquery(e))
        return LH_OK;
    if (e->kind == BX_BETWEEN && e->nargs == 3 && !(e->flags & BX_F_NOT)) {
        if ((rc = hint_one(p, rel, e->args[0], LH_PQ_GE, e->args[1], cols, n, h)))
            return rc;
        return hint_one(p, rel, e->args[0], LH_PQ_LE, e->args[2], cols, n, h);
    }
    if (e->kind != BX_OP || e->nargs != 2)
        return LH_OK;
    switch (e->op) {
    case LH_BOP_EQ: op = LH_PQ_EQ; break;
    case LH_BOP_LT: op = LH_PQ_LT; break;
    case LH_BOP_LE: op = LH_PQ_LE; break;
    case LH_BOP_GT: op = LH_PQ_GT; break;
    case LH_BOP_GE: op = LH_PQ_GE; break;
    default: return LH_OK;
    }
    flip = !(e->args[0]->kind == BX_COL || (e->args[0]->kind == BX_CAST && e->args[0]->nargs == 1 &&
                                            e->args[0]->args[0]->kind == BX_COL));
    if (flip) /* constant op column */
        op = op == LH_PQ_LT ? LH_PQ_GT : op == LH_PQ_LE ? LH_PQ_GE : op == LH_PQ_GT ? LH_PQ_LT : op == LH_PQ_GE ? LH_PQ_LE : op;
    return hint_one(p, rel, e->args[flip], op, e->args[!flip], cols, n, h);
}

static lh_rc scan_hints(pl *p, const lh_brel *rel, const pl_conjs *c, const uint32_t *cols, uint32_t n, hints *h)
{
    size_t i;
    lh_rc rc;
    memset(h, 0, sizeof *h);
    if (!c || !c->n || !p->io->scan_where)
        return LH_OK;
    /* at most two per conjunct (BETWEEN) */
    h->cons = lh_calloc(2 * c->n, sizeof *h->cons);
    h->vals = lh_calloc(2 * c->n, sizeof *h->vals);
    h->strs = lh_calloc(2 * c->n, sizeof *h->strs);
    h->consts = lh_calloc(2 * c->n, sizeof *h->consts);
    if (!h->cons || !h->vals || !h->strs || !h->consts) {
        hints_free(h);
        return pl_nomem(p);
    }
    for (i = 0; i < c->n; i++)
        if (!c->done[i] && (rc = hint_of(p, rel, c->e[i], cols, n, h))) {
            hints_free(h);
            return rc;
        }
    return LH_OK;
}

static lh_rc plan_leaf_table(pl *p, const lh_brel *rel, const pl_conjs *c, pl_prel *out)
{
    uint32_t *cols, n = 0, i;
    lh_sqltype *types;
    lh_rc rc;
    hints h;
    const unsigned char *used = rel->id >= 0 && rel->id < p->nrels ? p->used[rel->id] : NULL;
    cols = lh_calloc(rel->ncols + 1, sizeof *cols);
    types = lh_calloc(rel->ncols + 1, sizeof *types);
    if (!cols || !types) {
        lh_free(cols);
        lh_free(types);
        return pl_nomem(p);
    }
    for (i = 0; i < rel->ncols; i++)
        if (used && used[i]) {
            cols[n] = i;
            types[n] = rel->cols[i].type;
            n++;
        }
    rc = scan_hints(p, rel, c, cols, n, &h);
    if (!rc && h.n)
        rc = p->io->scan_where(p->io->ctx, p->ectx, rel->db, rel->name, cols, types, n, h.cons, h.n, &out->op,
                               p->err);
    else if (!rc)
        rc = p->io->scan(p->io->ctx, p->ectx, rel->db, rel->name, cols, types, n, &out->op, p->err);
    hints_free(&h);
    for (i = 0; !rc && i < n; i++)
        rc = pl_scope_add_col(p, &out->sc, rel->id, (int)cols[i]);
    lh_free(cols);
    lh_free(types);
    if (!rc)
        pl_prel_types(out);
    return rc;
}

static lh_rc join_keys(pl *p, const lh_bexpr *on_eq, const unsigned char *lset, const unsigned char *rset,
                       const lh_bexpr **l, const lh_bexpr **r)
{
    const lh_bexpr *a, *b;
    (void)p;
    if (on_eq->kind != BX_OP || on_eq->op != LH_BOP_EQ || pl_has_subquery(on_eq))
        return 0;
    a = on_eq->args[0];
    b = on_eq->args[1];
    if (pl_refs_within(a, lset, p->nrels) && pl_refs_within(b, rset, p->nrels)) {
        *l = a;
        *r = b;
        return 1;
    }
    if (pl_refs_within(b, lset, p->nrels) && pl_refs_within(a, rset, p->nrels)) {
        *l = b;
        *r = a;
        return 1;
    }
    return 0;
}

/* Bytes the relation reads (0 when unknown): the build side is the smaller. */
static uint64_t est_bytes(pl *p, const lh_brel *r)
{
    uint64_t b = 0;
    if (!r || !p->io->size)
        return 0;
    if (r->kind == BR_JOIN)
        return est_bytes(p, r->left) + est_bytes(p, r->right);
    if (r->kind == BR_TABLE) {
        if (p->io->size(p->io->ctx, r->db, r->name, &b) != LH_OK)
            return 0;
        return b;
    }
    if (r->sub && r->sub->kind == BQ_SELECT && r->sub->from)
        return est_bytes(p, r->sub->from);
    return 0;
}

static lh_rc plan_join(pl *p, const lh_brel *rel, pl_conjs *c, pl_prel *out)
{
    pl_prel L, R;
    pl_conjs local, none;
    unsigned char *lset = NULL, *rset = NULL, *both = NULL;
    const lh_bexpr **resid = NULL;
    uint32_t *lk = NULL, *rk = NULL;
    size_t nk = 0, nres = 0, i;
    pl_extra lx, rx;
    lh_rc rc = LH_OK;
    int kind = rel->join, inner = kind == LH_JOIN_INNER || kind == LH_JOIN_CROSS;
    lh_xexpr *residual = NULL;
    lh_join_kind jk;
    memset(&L, 0, sizeof L);
    memset(&R, 0, sizeof R);
    memset(&local, 0, sizeof local);
    memset(&none, 0, sizeof none);
    memset(&lx, 0, sizeof lx);
    memset(&rx, 0, sizeof rx);
    lset = lh_calloc((size_t)p->nrels + 1, 1);
    rset = lh_calloc((size_t)p->nrels + 1, 1);
    both = lh_calloc((size_t)p->nrels + 1, 1);
    if (!lset || !rset || !both) {
        rc = pl_nomem(p);
        goto out;
    }
    pl_rel_set(rel->left, lset, p->nrels);
    pl_rel_set(rel->right, rset, p->nrels);
    for (i = 0; i < (size_t)p->nrels; i++)
        both[i] = lset[i] | rset[i];
    /* inner joins: the enclosing conjuncts may go down into either side */
    if ((rc = pl_plan_rel(p, rel->left, inner ? c : &none, &L)) || (rc = pl_plan_rel(p, rel->right, inner ? c : &none, &R)))
        goto out;
    if (rel->on && (rc = pl_conjs_add(p, &local, rel->on)))
        goto out;
    if (inner && c)
        for (i = 0; i < c->n && !rc; i++)
            if (!c->done[i] && pl_refs_within(c->e[i], both, p->nrels)) {
                c->done[i] = 1;
                rc = pl_conjs_add(p, &local, c->e[i]);
            }
    if (rc)
        goto out;
    lk = lh_calloc(local.n + 1, sizeof *lk);
    rk = lh_calloc(local.n + 1, sizeof *rk);
    resid = lh_calloc(local.n + 1, sizeof *resid);
    if (!lk || !rk || !resid) {
        rc = pl_nomem(p);
        goto out;
    }
    for (i = 0; i < local.n && !rc; i++) {
        const lh_bexpr *le, *re;
        if (join_keys(p, local.e[i], lset, rset, &le, &re) && lh_phys_of(le->type) == lh_phys_of(re->type) &&
            (le->type.id == re->type.id || (lh_sqltype_is_string(le->type) && lh_sqltype_is_string(re->type)))) {
            if (!(rc = pl_position_of(p, &L, &lx, le, &lk[nk])))
                rc = pl_position_of(p, &R, &rx, re, &rk[nk]);
            nk++;
        } else
            resid[nres++] = local.e[i];
    }
    if (rc || (rc = pl_flush_extra(p, &L, &lx)) || (rc = pl_flush_extra(p, &R, &rx)))
        goto out;
    /* the hash table on the smaller side: the join's right child is the build side */
    if (est_bytes(p, rel->right) > est_bytes(p, rel->left)) {
        pl_prel t = L;
        uint32_t *tk = lk;
        L = R;
        R = t;
        lk = rk;
        rk = tk;
        kind = kind == LH_JOIN_LEFT ? LH_JOIN_RIGHT : kind == LH_JOIN_RIGHT ? LH_JOIN_LEFT : kind;
    }
    /* the joined scope: left columns, then right columns */
    for (i = 0; i < L.sc.ncols && !rc; i++)
        rc = pl_scope_add_col(p, &out->sc, L.sc.cols[i].rel, L.sc.cols[i].col);
    for (i = 0; i < R.sc.ncols && !rc; i++)
        rc = pl_scope_add_col(p, &out->sc, R.sc.cols[i].rel, R.sc.cols[i].col);
    if (rc)
        goto out;
    {
        lh_sqltype *jt = lh_calloc((size_t)L.sc.ncols + R.sc.ncols + 1, sizeof *jt);
        if (!jt) {
            rc = pl_nomem(p);
            goto out;
        }
        if (L.sc.ncols)
            memcpy(jt, L.sc.types, L.sc.ncols * sizeof *jt);
        if (R.sc.ncols)
            memcpy(jt + L.sc.ncols, R.sc.types, R.sc.ncols * sizeof *jt);
        out->sc.types = jt;
        if (nres) {
            lh_xexpr **x = lh_calloc(nres, sizeof *x);
            if (!x)
                rc = pl_nomem(p);
            for (i = 0; !rc && i < nres; i++)
                rc = pl_xlate(p, &out->sc, resid[i], &x[i]);
            if (rc) {
                for (i = 0; x && i < nres; i++)
                    lh_xexpr_free(x[i]);
            } else if (nres == 1)
                residual = x[0];
            else if (!(residual = lh_x_nary(LH_X_AND, x, nres, 0, lh_sqltype_of(LH_SQL_BOOLEAN), p->err)))
                rc = p->err->code;
            lh_free(x);
        }
        lh_free(jt);
        out->sc.types = NULL;
        if (rc)
            goto out;
    }
    jk = kind == LH_JOIN_LEFT ? LH_J_LEFT : kind == LH_JOIN_RIGHT ? LH_J_RIGHT : kind == LH_JOIN_FULL ? LH_J_FULL : LH_J_INNER;
    rc = lh_op_hash_join(p->ectx, L.op, R.op, jk, lk, rk, nk, residual, &out->op, p->err);
    L.op = R.op = NULL;
    residual = NULL;
    if (!rc)
        pl_prel_types(out);
out:
    lh_xexpr_free(residual);
    pl_prel_free(&L);
    pl_prel_free(&R);
    pl_conjs_free(&local);
    lh_free(lset);
    lh_free(rset);
    lh_free(both);
    lh_free(lk);
    lh_free(rk);
    lh_free(resid);
    lh_free(lx.e);
    lh_free(rx.e);
    return rc;
}

lh_rc pl_plan_rel(pl *p, const lh_brel *rel, pl_conjs *c, pl_prel *out)
{
    lh_rc rc;
    memset(out, 0, sizeof *out);
    if (rel->kind == BR_JOIN) {
        rc = plan_join(p, rel, c, out);
    } else {
        unsigned char *set;
        if (rel->kind == BR_TABLE)
            rc = plan_leaf_table(p, rel, c, out);
        else {
            size_t i;
            rc = rel->kind == BR_WORKTABLE ? pl_plan_worktable(p, rel, &out->op) : pl_plan_query(p, rel->sub, &out->op);
            for (i = 0; !rc && i < rel->ncols; i++)
                rc = pl_scope_add_col(p, &out->sc, rel->id, (int)i);
            if (!rc)
                pl_prel_types(out);
        }
        if (rc)
            goto fail;
        set = lh_calloc((size_t)p->nrels + 1, 1);
        if (!set) {
            rc = pl_nomem(p);
            goto fail;
        }
        if (rel->id >= 0 && rel->id < p->nrels)
            set[rel->id] = 1;
        rc = pl_apply_local(p, out, c, set);
        lh_free(set);
    }
    if (!rc)
        return LH_OK;
fail:
    pl_prel_free(out);
    return rc;
}

/* ------------------------------------------------ WHERE subqueries */

/* `x [NOT] IN (subquery)` as a semi / null-aware anti join. */
lh_rc pl_semi_in(pl *p, pl_prel *r, const lh_bexpr *e)
{
    pl_extra x;
    uint32_t lk, rk = 0;
    lh_op *sub = NULL, *j = NULL;
    lh_rc rc;
    memset(&x, 0, sizeof x);
    if ((rc = pl_position_of(p, r, &x, e->args[0], &lk)) || (rc = pl_flush_extra(p, r, &x)))
        goto out;
    if ((rc = pl_plan_query(p, e->sub, &sub)))
        goto out;
    if (!lh_sqltype_equal(sub->types[0], r->sc.types[lk]) &&
        !(lh_sqltype_is_string(sub->types[0]) && lh_sqltype_is_string(r->sc.types[lk]))) {
        lh_xexpr *c = lh_x_col(0, sub->types[0], p->err), *ex[1];
        lh_op *pr;
        if (!c || !(ex[0] = lh_x_cast(c, r->sc.types[lk], 0, p->err))) {
            rc = p->err->code;
            goto out;
        }
        rc = lh_op_project(p->ectx, sub, ex, 1, &pr, p->err);
        sub = rc ? NULL : pr;
        if (rc)
            goto out;
    }
    rc = lh_op_hash_join(p->ectx, r->op, sub, e->flags & BX_F_NOT ? LH_J_ANTI_NULL_AWARE : LH_J_SEMI, &lk, &rk, 1,
                         NULL, &j, p->err);
    r->op = NULL;
    sub = NULL;
    if (!rc) {
        r->op = j;
        pl_prel_types(r);
    }
out:
    lh_op_free(sub);
    lh_free(x.e);
    return rc;
}

/* Correlated [NOT] EXISTS (SELECT ... FROM f WHERE inner = outer AND ...)
 * → semi / anti join of r with f on the correlated equalities.  *ok = 0
 * when the subquery has another shape. */
lh_rc pl_semi_exists(pl *p, pl_prel *r, const lh_bexpr *e, int negate, int *ok)
{
    /* e is [NOT] EXISTS (q), or x IN (q) (then x = q's column is one more key) */
    int is_in = e->kind == BX_INQ;
    const lh_bquery *q = e->sub;
    pl_conjs wc, inner_c;
    const lh_bexpr **ik = NULL, **ok_e = NULL;
    size_t nk = 0, i;
    unsigned char *iset = NULL;
    pl_prel S;
    pl_extra lx, rx;
    uint32_t *lk = NULL, *rk = NULL;
    lh_rc rc = LH_OK;
    *ok = 0;
    memset(&wc, 0, sizeof wc);
    memset(&inner_c, 0, sizeof inner_c);
    memset(&S, 0, sizeof S);
    memset(&lx, 0, sizeof lx);
    memset(&rx, 0, sizeof rx);
    if (q->kind != BQ_SELECT || !q->from || q->grouped || q->having || q->limit >= 0 || q->offset > 0 || !q->where ||
        q->distinct > 1 || (is_in && (q->ncols != 1 || (e->flags & BX_F_NOT))))
        return LH_OK;
    iset = lh_calloc((size_t)p->nrels + 1, 1);
    if (!iset)
        return pl_nomem(p);
    pl_rel_set(q->from, iset, p->nrels);
    if ((rc = pl_conjs_add(p, &wc, q->where)))
        goto out;
    ik = lh_calloc(wc.n + 2, sizeof *ik);
    ok_e = lh_calloc(wc.n + 2, sizeof *ok_e);
    if (!ik || !ok_e) {
        rc = pl_nomem(p);
        goto out;
    }
    if (is_in) { /* x IN (SELECT y ...): x of this query = y of the subquery */
        if (lh_phys_of(e->args[0]->type) != lh_phys_of(q->items[0]->type) || pl_has_subquery(e->args[0]))
            goto out;
        ik[nk] = q->items[0];
        ok_e[nk] = e->args[0];
        nk++;
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
            int depth_ok = outer->kind == BX_COL && outer->depth == 1;
            if (in && !(a_in && b_in) && depth_ok && lh_phys_of(in->type) == lh_phys_of(outer->type)) {
                ik[nk] = in;
                ok_e[nk] = outer;
                nk++;
                continue;
            }
        }
        goto out; /* another shape: not decorrelated */
    }
    if (rc || !nk)
        goto out;
    if ((rc = pl_plan_rel(p, q->from, &inner_c, &S)))
        goto out;
    for (i = 0; i < inner_c.n; i++)
        if (!inner_c.done[i]) { /* conjuncts over several inner rels after a join */
            const lh_bexpr *one = inner_c.e[i];
            if ((rc = pl_add_filter(p, &S, &one, 1)))
                goto out;
        }
    lk = lh_calloc(nk, sizeof *lk);
    rk = lh_calloc(nk, sizeof *rk);
    if (!lk || !rk) {
        rc = pl_nomem(p);
        goto out;
    }
    for (i = 0; i < nk && !rc; i++) {
        /* the outer side: a depth-1 column of this query, i.e. a column of r
         * (or the IN's own value, an expression of this query) */
        uint32_t k, found = UINT32_MAX;
        if (is_in && i == 0) {
            if ((rc = pl_position_of(p, r, &lx, ok_e[0], &lk[0])))
                break;
        } else {
            for (k = 0; k < r->sc.ncols; k++)
                if (r->sc.cols[k].rel == ok_e[i]->rel && r->sc.cols[k].col == ok_e[i]->col)
                    found = k;
            if (found == UINT32_MAX)
                goto out; /* refers further out */
            lk[i] = found;
        }
        rc = pl_position_of(p, &S, &rx, ik[i], &rk[i]);
    }
    if (!rc)
        rc = pl_flush_extra(p, r, &lx);
    if (rc || (rc = pl_flush_extra(p, &S, &rx)))
        goto out;
    for (i = 0; i < nk; i++)
        if (!lh_sqltype_equal(r->sc.types[lk[i]], S.sc.types[rk[i]]) &&
            !(lh_sqltype_is_string(r->sc.types[lk[i]]) && lh_sqltype_is_string(S.sc.types[rk[i]])))
            goto out;
    {
        lh_op *j = NULL;
        rc = lh_op_hash_join(p->ectx, r->op, S.op, negate ? LH_J_ANTI : LH_J_SEMI, lk, rk, nk, NULL, &j, p->err);
        r->op = NULL;
        S.op = NULL;
        if (!rc) {
            r->op = j;
            pl_prel_types(r);
            *ok = 1;
        }
    }
out:
    pl_conjs_free(&wc);
    pl_conjs_free(&inner_c);
    lh_free(ik);
    lh_free(ok_e);
    lh_free(iset);
    lh_free(lk);
    lh_free(rk);
    lh_free(lx.e);
    lh_free(rx.e);
    pl_prel_free(&S);
    return rc;
}

