/* plan/planner.c — queries and relations → operators.  See planner.h;
 * expressions and subqueries run while planning are in plan_expr.c. */
#include <string.h>

#include "plan/planner_int.h"

/* An operator and what its columns stand for. */
typedef struct prel {
    lh_op *op;
    pl_scope sc;
} prel;

static void prel_free(prel *r)
{
    lh_op_free(r->op);
    pl_scope_free(&r->sc);
    memset(r, 0, sizeof *r);
}

static void prel_types(prel *r) { r->sc.types = r->op->types; }

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

typedef struct conjs {
    const lh_bexpr **e;
    unsigned char *done;
    size_t n, cap;
} conjs;

static lh_rc conjs_add(pl *p, conjs *c, const lh_bexpr *e)
{
    if (e->kind == BX_AND) {
        size_t i;
        lh_rc rc;
        for (i = 0; i < e->nargs; i++)
            if ((rc = conjs_add(p, c, e->args[i])))
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

static void conjs_free(conjs *c)
{
    lh_free(c->e);
    lh_free(c->done);
    memset(c, 0, sizeof *c);
}

static int has_subquery(const lh_bexpr *e)
{
    size_t i;
    if (!e)
        return 0;
    if (e->sub)
        return 1;
    for (i = 0; i < e->nargs; i++)
        if (has_subquery(e->args[i]))
            return 1;
    return has_subquery(e->filter);
}

static void rel_set(const lh_brel *r, unsigned char *set, int nrels)
{
    if (!r)
        return;
    if (r->kind == BR_JOIN) {
        rel_set(r->left, set, nrels);
        rel_set(r->right, set, nrels);
    } else if (r->id >= 0 && r->id < nrels)
        set[r->id] = 1;
}

/* AND of the expressions → a filter on r (nothing when n = 0). */
static lh_rc add_filter(pl *p, prel *r, const lh_bexpr **es, size_t n)
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
    prel_types(r);
    return LH_OK;
}

/* Apply the not-yet-applied conjuncts that only reference rels in set
 * (and hold no correlated subquery) as a filter on r. */
static lh_rc apply_local(pl *p, prel *r, conjs *c, const unsigned char *set)
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
    rc = add_filter(p, r, pick, n);
    lh_free(pick);
    return rc;
}

/* Column position of expression e over r: a column already there, else
 * appended by a projection (passthrough + new columns).  Collects pending
 * projections in *extra, applied by flush_extra. */
typedef struct extra {
    const lh_bexpr **e;
    size_t n, cap;
} extra;

static lh_rc position_of(pl *p, prel *r, extra *x, const lh_bexpr *e, uint32_t *pos)
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
static lh_rc flush_extra(pl *p, prel *r, extra *x)
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
    prel_types(r);
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
static lh_rc project_to(pl *p, prel *r, const lh_bexpr *const *es, size_t n)
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
    prel_types(r);
    for (k = 0; k < n && !rc; k++)
        rc = pl_scope_add_col(p, &r->sc, -1, -1);
    return rc;
}

/* --------------------------------------------------------------- FROM */

static lh_rc plan_rel(pl *p, const lh_brel *rel, conjs *c, prel *out);

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
    if (has_subquery(e))
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

static lh_rc scan_hints(pl *p, const lh_brel *rel, const conjs *c, const uint32_t *cols, uint32_t n, hints *h)
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

static lh_rc plan_leaf_table(pl *p, const lh_brel *rel, const conjs *c, prel *out)
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
        prel_types(out);
    return rc;
}

static lh_rc join_keys(pl *p, const lh_bexpr *on_eq, const unsigned char *lset, const unsigned char *rset,
                       const lh_bexpr **l, const lh_bexpr **r)
{
    const lh_bexpr *a, *b;
    (void)p;
    if (on_eq->kind != BX_OP || on_eq->op != LH_BOP_EQ || has_subquery(on_eq))
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

static lh_rc plan_join(pl *p, const lh_brel *rel, conjs *c, prel *out)
{
    prel L, R;
    conjs local, none;
    unsigned char *lset = NULL, *rset = NULL, *both = NULL;
    const lh_bexpr **resid = NULL;
    uint32_t *lk = NULL, *rk = NULL;
    size_t nk = 0, nres = 0, i;
    extra lx, rx;
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
    rel_set(rel->left, lset, p->nrels);
    rel_set(rel->right, rset, p->nrels);
    for (i = 0; i < (size_t)p->nrels; i++)
        both[i] = lset[i] | rset[i];
    /* inner joins: the enclosing conjuncts may go down into either side */
    if ((rc = plan_rel(p, rel->left, inner ? c : &none, &L)) || (rc = plan_rel(p, rel->right, inner ? c : &none, &R)))
        goto out;
    if (rel->on && (rc = conjs_add(p, &local, rel->on)))
        goto out;
    if (inner && c)
        for (i = 0; i < c->n && !rc; i++)
            if (!c->done[i] && pl_refs_within(c->e[i], both, p->nrels)) {
                c->done[i] = 1;
                rc = conjs_add(p, &local, c->e[i]);
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
            if (!(rc = position_of(p, &L, &lx, le, &lk[nk])))
                rc = position_of(p, &R, &rx, re, &rk[nk]);
            nk++;
        } else
            resid[nres++] = local.e[i];
    }
    if (rc || (rc = flush_extra(p, &L, &lx)) || (rc = flush_extra(p, &R, &rx)))
        goto out;
    /* the hash table on the smaller side: the join's right child is the build side */
    if (est_bytes(p, rel->right) > est_bytes(p, rel->left)) {
        prel t = L;
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
        memcpy(jt, L.sc.types, L.sc.ncols * sizeof *jt);
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
        prel_types(out);
out:
    lh_xexpr_free(residual);
    prel_free(&L);
    prel_free(&R);
    conjs_free(&local);
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

static lh_rc plan_rel(pl *p, const lh_brel *rel, conjs *c, prel *out)
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
            rc = pl_plan_query(p, rel->sub, &out->op);
            for (i = 0; !rc && i < rel->ncols; i++)
                rc = pl_scope_add_col(p, &out->sc, rel->id, (int)i);
            if (!rc)
                prel_types(out);
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
        rc = apply_local(p, out, c, set);
        lh_free(set);
    }
    if (!rc)
        return LH_OK;
fail:
    prel_free(out);
    return rc;
}

/* ------------------------------------------------ WHERE subqueries */

/* `x [NOT] IN (subquery)` as a semi / null-aware anti join. */
static lh_rc semi_in(pl *p, prel *r, const lh_bexpr *e)
{
    extra x;
    uint32_t lk, rk = 0;
    lh_op *sub = NULL, *j = NULL;
    lh_rc rc;
    memset(&x, 0, sizeof x);
    if ((rc = position_of(p, r, &x, e->args[0], &lk)) || (rc = flush_extra(p, r, &x)))
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
        prel_types(r);
    }
out:
    lh_op_free(sub);
    lh_free(x.e);
    return rc;
}

/* Correlated [NOT] EXISTS (SELECT ... FROM f WHERE inner = outer AND ...)
 * → semi / anti join of r with f on the correlated equalities.  *ok = 0
 * when the subquery has another shape. */
static lh_rc semi_exists(pl *p, prel *r, const lh_bexpr *e, int negate, int *ok)
{
    const lh_bquery *q = e->sub;
    conjs wc, inner_c;
    const lh_bexpr **ik = NULL, **ok_e = NULL;
    size_t nk = 0, i;
    unsigned char *iset = NULL;
    prel S;
    extra lx, rx;
    uint32_t *lk = NULL, *rk = NULL;
    lh_rc rc = LH_OK;
    *ok = 0;
    memset(&wc, 0, sizeof wc);
    memset(&inner_c, 0, sizeof inner_c);
    memset(&S, 0, sizeof S);
    memset(&lx, 0, sizeof lx);
    memset(&rx, 0, sizeof rx);
    if (q->kind != BQ_SELECT || !q->from || q->grouped || q->having || q->limit >= 0 || q->offset > 0 || !q->where)
        return LH_OK;
    iset = lh_calloc((size_t)p->nrels + 1, 1);
    if (!iset)
        return pl_nomem(p);
    rel_set(q->from, iset, p->nrels);
    if ((rc = conjs_add(p, &wc, q->where)))
        goto out;
    ik = lh_calloc(wc.n + 1, sizeof *ik);
    ok_e = lh_calloc(wc.n + 1, sizeof *ok_e);
    if (!ik || !ok_e) {
        rc = pl_nomem(p);
        goto out;
    }
    for (i = 0; i < wc.n && !rc; i++) {
        const lh_bexpr *c = wc.e[i];
        if (pl_refs_within(c, iset, p->nrels) && !has_subquery(c)) {
            rc = conjs_add(p, &inner_c, c);
            continue;
        }
        if (c->kind == BX_OP && c->op == LH_BOP_EQ && !has_subquery(c)) {
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
    if ((rc = plan_rel(p, q->from, &inner_c, &S)))
        goto out;
    for (i = 0; i < inner_c.n; i++)
        if (!inner_c.done[i]) { /* conjuncts over several inner rels after a join */
            const lh_bexpr *one = inner_c.e[i];
            if ((rc = add_filter(p, &S, &one, 1)))
                goto out;
        }
    lk = lh_calloc(nk, sizeof *lk);
    rk = lh_calloc(nk, sizeof *rk);
    if (!lk || !rk) {
        rc = pl_nomem(p);
        goto out;
    }
    for (i = 0; i < nk && !rc; i++) {
        /* the outer side: a depth-1 column of this query, i.e. a column of r */
        lh_bexpr tmp = *ok_e[i];
        uint32_t k, found = UINT32_MAX;
        tmp.depth = 0;
        for (k = 0; k < r->sc.ncols; k++)
            if (r->sc.cols[k].rel == tmp.rel && r->sc.cols[k].col == tmp.col)
                found = k;
        if (found == UINT32_MAX)
            goto out; /* refers further out */
        lk[i] = found;
        rc = position_of(p, &S, &rx, ik[i], &rk[i]);
    }
    if (rc || (rc = flush_extra(p, &S, &rx)))
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
            prel_types(r);
            *ok = 1;
        }
    }
out:
    conjs_free(&wc);
    conjs_free(&inner_c);
    lh_free(ik);
    lh_free(ok_e);
    lh_free(iset);
    lh_free(lk);
    lh_free(rk);
    lh_free(lx.e);
    lh_free(rx.e);
    prel_free(&S);
    return rc;
}

/* ------------------------------------------------------- aggregates */

typedef struct elist {
    const lh_bexpr **e;
    size_t n, cap;
} elist;

static lh_rc elist_add_unique(pl *p, elist *l, const lh_bexpr *e)
{
    size_t i;
    for (i = 0; i < l->n; i++)
        if (pl_bexpr_eq(l->e[i], e))
            return LH_OK;
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 8;
        const lh_bexpr **ne = lh_realloc(l->e, nc * sizeof *ne);
        if (!ne)
            return pl_nomem(p);
        l->e = ne;
        l->cap = nc;
    }
    l->e[l->n++] = e;
    return LH_OK;
}

/* Aggregate calls (not under a window call's own level) and window calls. */
static lh_rc collect(pl *p, const lh_bexpr *e, elist *aggs, elist *wins)
{
    size_t i;
    lh_rc rc;
    if (!e)
        return LH_OK;
    if (pl_is_window(e)) {
        if (wins && (rc = elist_add_unique(p, wins, e)))
            return rc;
    } else if (pl_is_aggregate(e))
        return elist_add_unique(p, aggs, e); /* nested aggregates are refused by the analyzer */
    for (i = 0; i < e->nargs; i++)
        if ((rc = collect(p, e->args[i], aggs, wins)))
            return rc;
    if (e->window) {
        for (i = 0; i < e->window->npart; i++)
            if ((rc = collect(p, e->window->part[i], aggs, NULL)))
                return rc;
        for (i = 0; i < e->window->norder; i++)
            if ((rc = collect(p, e->window->order[i].e, aggs, NULL)))
                return rc;
    }
    return LH_OK;
}

static int agg_kind(const lh_bexpr *e, lh_agg_kind *k)
{
    static const struct {
        const char *name;
        lh_agg_kind k;
    } M[] = {{"count", LH_AGG_COUNT},
             {"count_if", LH_AGG_COUNT_IF},
             {"sum", LH_AGG_SUM},
             {"avg", LH_AGG_AVG},
             {"min", LH_AGG_MIN},
             {"max", LH_AGG_MAX},
             {"min_by", LH_AGG_MIN_BY},
             {"max_by", LH_AGG_MAX_BY},
             {"bool_and", LH_AGG_BOOL_AND},
             {"every", LH_AGG_BOOL_AND},
             {"bool_or", LH_AGG_BOOL_OR},
             {"arbitrary", LH_AGG_ARBITRARY},
             {"any_value", LH_AGG_ARBITRARY},
             {"stddev", LH_AGG_STDDEV_SAMP},
             {"stddev_samp", LH_AGG_STDDEV_SAMP},
             {"stddev_pop", LH_AGG_STDDEV_POP},
             {"variance", LH_AGG_VAR_SAMP},
             {"var_samp", LH_AGG_VAR_SAMP},
             {"var_pop", LH_AGG_VAR_POP},
             {"corr", LH_AGG_CORR},
             {"covar_samp", LH_AGG_COVAR_SAMP},
             {"covar_pop", LH_AGG_COVAR_POP},
             {"geometric_mean", LH_AGG_GEOMEAN},
             {"approx_distinct", LH_AGG_APPROX_DISTINCT},
             {"approx_percentile", LH_AGG_APPROX_PERCENTILE}};
    size_t i;
    if (!strcmp(e->name, "count") && ((e->flags & BX_F_STAR) || e->nargs == 0)) {
        *k = LH_AGG_COUNT_STAR;
        return 1;
    }
    for (i = 0; i < sizeof M / sizeof M[0]; i++)
        if (!strcmp(M[i].name, e->name)) {
            *k = M[i].k;
            return 1;
        }
    return 0;
}

/* An aggregate call → a spec whose arguments are positions in r (pending
 * projections in x). */
static lh_rc agg_spec(pl *p, prel *r, extra *x, const lh_bexpr *e, lh_agg_spec *s)
{
    lh_rc rc;
    size_t i;
    memset(s, 0, sizeof *s);
    s->arg[0] = s->arg[1] = s->filter = LH_AGG_NO_ARG;
    if (!agg_kind(e, &s->kind))
        return pl_err(p, e->pos, LH_EUNSUPPORTED, "aggregate function %s is not supported yet", e->name);
    if (e->norder)
        return pl_err(p, e->pos, LH_EUNSUPPORTED, "ORDER BY inside %s() is not supported yet", e->name);
    if (s->kind == LH_AGG_APPROX_DISTINCT && e->nargs > 1)
        return pl_err(p, e->pos, LH_EUNSUPPORTED, "approx_distinct with a maximum standard error is not supported yet");
    if (s->kind == LH_AGG_APPROX_PERCENTILE && (e->nargs != 2 || !lh_sqltype_is_numeric(e->args[1]->type) ||
                                                has_subquery(e->args[1])))
        return pl_err(p, e->pos, LH_EUNSUPPORTED, "this form of approx_percentile is not supported yet");
    s->distinct = (e->flags & BX_F_DISTINCT) != 0;
    s->ret = e->type;
    for (i = 0; i < e->nargs && i < 2 && s->kind != LH_AGG_COUNT_STAR; i++)
        if ((rc = position_of(p, r, x, e->args[i], &s->arg[i])))
            return rc;
    if (e->filter && (rc = position_of(p, r, x, e->filter, &s->filter)))
        return rc;
    return LH_OK;
}

/* GROUP BY + aggregates: r becomes the aggregate's output; its scope maps
 * each group expression and each aggregate call to its column. */
static lh_rc plan_aggregate(pl *p, const lh_bquery *q, prel *r, elist *aggs)
{
    extra x;
    uint32_t *keys = NULL;
    lh_agg_spec *specs = NULL;
    size_t i, ng = q->ngroups;
    lh_rc rc = LH_OK;
    lh_op *agg = NULL;
    pl_scope ns;
    memset(&x, 0, sizeof x);
    memset(&ns, 0, sizeof ns);
    if (q->nsets > 1)
        return pl_err(p, q->groups && ng ? q->groups[0]->pos : (lh_pos){0, 0, 0}, LH_EUNSUPPORTED,
                      "GROUPING SETS, ROLLUP and CUBE are not supported yet");
    keys = lh_calloc(ng + 1, sizeof *keys);
    specs = lh_calloc(aggs->n + 1, sizeof *specs);
    if (!keys || !specs) {
        rc = pl_nomem(p);
        goto out;
    }
    for (i = 0; i < ng && !rc; i++)
        rc = position_of(p, r, &x, q->groups[i], &keys[i]);
    for (i = 0; i < aggs->n && !rc; i++)
        rc = agg_spec(p, r, &x, aggs->e[i], &specs[i]);
    if (rc || (rc = flush_extra(p, r, &x)))
        goto out;
    rc = lh_op_hash_agg(p->ectx, r->op, keys, ng, specs, aggs->n, &agg, p->err);
    r->op = NULL;
    if (rc)
        goto out;
    pl_scope_free(&r->sc);
    r->op = agg;
    prel_types(r);
    for (i = 0; i < ng + aggs->n && !rc; i++)
        rc = pl_scope_add_col(p, &r->sc, -1, -1);
    for (i = 0; i < ng && !rc; i++)
        rc = pl_scope_add_expr(p, &r->sc, q->groups[i], (uint32_t)i);
    for (i = 0; i < aggs->n && !rc; i++)
        rc = pl_scope_add_expr(p, &r->sc, aggs->e[i], (uint32_t)(ng + i));
out:
    lh_free(keys);
    lh_free(specs);
    lh_free(x.e);
    return rc;
}

/* ----------------------------------------------------------- windows */

static int win_kind(const char *name, lh_win_kind *k)
{
    static const struct {
        const char *name;
        lh_win_kind k;
    } M[] = {{"row_number", LH_WIN_ROW_NUMBER}, {"rank", LH_WIN_RANK},       {"dense_rank", LH_WIN_DENSE_RANK},
             {"percent_rank", LH_WIN_PERCENT_RANK}, {"cume_dist", LH_WIN_CUME_DIST}, {"ntile", LH_WIN_NTILE},
             {"lag", LH_WIN_LAG},               {"lead", LH_WIN_LEAD},       {"first_value", LH_WIN_FIRST_VALUE},
             {"last_value", LH_WIN_LAST_VALUE}, {"nth_value", LH_WIN_NTH_VALUE}};
    size_t i;
    for (i = 0; i < sizeof M / sizeof M[0]; i++)
        if (!strcmp(M[i].name, name)) {
            *k = M[i].k;
            return 1;
        }
    return 0;
}

static int nulls_first_of(const lh_bsort *s) { return s->nulls_first >= 0 ? s->nulls_first : 0; /* Trino: NULLS LAST */ }

static lh_rc plan_window(pl *p, prel *r, const lh_bexpr *w)
{
    const lh_bwindow *win = w->window;
    extra x;
    uint32_t *part = NULL;
    lh_sort_key *order = NULL;
    lh_win_spec spec;
    size_t i;
    lh_rc rc = LH_OK;
    lh_op *op = NULL;
    uint32_t n0;
    memset(&x, 0, sizeof x);
    memset(&spec, 0, sizeof spec);
    spec.arg[0] = spec.arg[1] = spec.arg[2] = LH_AGG_NO_ARG;
    spec.start_off = spec.end_off = LH_AGG_NO_ARG;
    spec.ret = w->type;
    spec.ignore_nulls = (w->flags & BX_F_IGNORE_NULLS) != 0;
    if (lh_fn_kind_of(w->fn) == LH_FN_WINDOW) {
        if (!win_kind(w->name, &spec.kind))
            return pl_err(p, w->pos, LH_EUNSUPPORTED, "window function %s is not supported yet", w->name);
        for (i = 0; i < w->nargs && i < 3 && !rc; i++)
            rc = position_of(p, r, &x, w->args[i], &spec.arg[i]);
    } else {
        lh_bexpr plain = *w;
        plain.window = NULL;
        spec.kind = LH_WIN_AGG;
        rc = agg_spec(p, r, &x, &plain, &spec.agg);
    }
    if (rc)
        goto out;
    if (win->frame == LH_FRAME_GROUPS) {
        rc = pl_err(p, w->pos, LH_EUNSUPPORTED, "GROUPS frames are not supported yet");
        goto out;
    }
    spec.rows = win->frame == LH_FRAME_ROWS;
    if (win->frame) {
        spec.start = (lh_frame_bound)win->start;
        spec.end = win->end ? (lh_frame_bound)win->end : LH_FB_CURRENT_ROW;
        if (win->start_off && (rc = position_of(p, r, &x, win->start_off, &spec.start_off)))
            goto out;
        if (win->end_off && (rc = position_of(p, r, &x, win->end_off, &spec.end_off)))
            goto out;
    } else {
        spec.start = LH_FB_UNBOUNDED_PRECEDING;
        spec.end = LH_FB_CURRENT_ROW;
    }
    part = lh_calloc(win->npart + 1, sizeof *part);
    order = lh_calloc(win->norder + 1, sizeof *order);
    if (!part || !order) {
        rc = pl_nomem(p);
        goto out;
    }
    for (i = 0; i < win->npart && !rc; i++)
        rc = position_of(p, r, &x, win->part[i], &part[i]);
    for (i = 0; i < win->norder && !rc; i++) {
        rc = position_of(p, r, &x, win->order[i].e, &order[i].col);
        order[i].desc = win->order[i].desc;
        order[i].nulls_first = nulls_first_of(&win->order[i]);
    }
    if (rc || (rc = flush_extra(p, r, &x)))
        goto out;
    n0 = r->sc.ncols;
    rc = lh_op_window(p->ectx, r->op, part, win->npart, order, win->norder, &spec, 1, &op, p->err);
    r->op = NULL;
    if (rc)
        goto out;
    r->op = op;
    prel_types(r);
    if (!(rc = pl_scope_add_col(p, &r->sc, -1, -1)))
        rc = pl_scope_add_expr(p, &r->sc, w, n0);
out:
    lh_free(part);
    lh_free(order);
    lh_free(x.e);
    return rc;
}

/* ------------------------------------------------ ORDER BY and LIMIT */

static lh_rc finish_order_limit(pl *p, const lh_bquery *q, lh_op **op, const uint32_t *keycols, size_t nkeys)
{
    lh_rc rc;
    lh_op *o;
    if (q->with_ties)
        return pl_err(p, (lh_pos){0, 0, 0}, LH_EUNSUPPORTED, "FETCH FIRST ... WITH TIES is not supported yet");
    if (nkeys) {
        lh_sort_key *k = lh_calloc(nkeys, sizeof *k);
        size_t i;
        if (!k)
            return pl_nomem(p);
        for (i = 0; i < nkeys; i++) {
            k[i].col = keycols[i];
            k[i].desc = q->order[i].desc;
            k[i].nulls_first = nulls_first_of(&q->order[i]);
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

static lh_rc plan_select(pl *p, const lh_bquery *q, lh_op **out)
{
    prel r;
    conjs wc;
    elist aggs, wins;
    const lh_bexpr **fl = NULL, **items = NULL;
    uint32_t *keys = NULL;
    size_t nf = 0, i, nitems, nextra = 0;
    lh_rc rc = LH_OK;
    memset(&r, 0, sizeof r);
    memset(&wc, 0, sizeof wc);
    memset(&aggs, 0, sizeof aggs);
    memset(&wins, 0, sizeof wins);
    *out = NULL;
    if (q->where && (rc = conjs_add(p, &wc, q->where)))
        goto out;
    if (q->from)
        rc = plan_rel(p, q->from, &wc, &r);
    else {
        lh_xexpr *none = NULL;
        rc = lh_op_values(p->ectx, NULL, 0, &none, 1, &r.op, p->err);
        if (!rc)
            prel_types(&r);
    }
    if (rc)
        goto out;
    /* what is left of WHERE: subquery conjuncts as joins, the rest as a filter */
    fl = lh_calloc(wc.n + 1, sizeof *fl);
    if (!fl) {
        rc = pl_nomem(p);
        goto out;
    }
    for (i = 0; i < wc.n && !rc; i++) {
        const lh_bexpr *c = wc.e[i];
        int negate = 0, ok = 0;
        if (wc.done[i])
            continue;
        if (c->kind == BX_INQ && !c->sub->correlated) {
            rc = semi_in(p, &r, c);
            continue;
        }
        if (c->kind == BX_NOT && c->args[0]->kind == BX_EXISTS) {
            negate = 1;
            c = c->args[0];
        }
        if (c->kind == BX_EXISTS && c->sub->correlated) {
            if ((rc = semi_exists(p, &r, c, negate, &ok)))
                break;
            if (ok)
                continue;
            rc = pl_err(p, c->pos, LH_EUNSUPPORTED, "this correlated EXISTS subquery is not supported yet");
            break;
        }
        fl[nf++] = wc.e[i];
    }
    if (rc || (rc = add_filter(p, &r, fl, nf)))
        goto out;
    /* aggregates */
    for (i = 0; i < q->ncols && !rc; i++)
        rc = collect(p, q->items[i], &aggs, &wins);
    if (!rc)
        rc = collect(p, q->having, &aggs, &wins);
    for (i = 0; i < q->norder && !rc; i++)
        rc = collect(p, q->order[i].e, &aggs, &wins);
    if (rc)
        goto out;
    if (q->grouped || aggs.n) {
        if ((rc = plan_aggregate(p, q, &r, &aggs)))
            goto out;
        const lh_bexpr *having = q->having;
        if (having && (rc = add_filter(p, &r, &having, 1)))
            goto out;
    }
    for (i = 0; i < wins.n && !rc; i++)
        rc = plan_window(p, &r, wins.e[i]);
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
    if ((rc = project_to(p, &r, items, nitems + nextra)))
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
        prel_types(&r);
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
    prel_free(&r);
    conjs_free(&wc);
    lh_free(aggs.e);
    lh_free(wins.e);
    lh_free(fl);
    lh_free(items);
    lh_free(keys);
    return rc;
}

/* ------------------------------------------------ set operations, VALUES */

/* side's output projected through casts (OUTREFs of the side). */
static lh_rc setop_side(pl *p, const lh_bquery *side, lh_bexpr **casts, size_t n, lh_op **out)
{
    prel r;
    size_t i;
    int plain = 1;
    lh_rc rc;
    memset(&r, 0, sizeof r);
    if ((rc = pl_plan_query(p, side, &r.op)))
        return rc;
    prel_types(&r);
    for (i = 0; i < n && !rc; i++)
        rc = pl_scope_add_col(p, &r.sc, -1, -1);
    r.sc.outrefs = 1;
    for (i = 0; i < n; i++)
        if (!casts || casts[i]->kind != BX_OUTREF || casts[i]->col != (int)i ||
            !lh_sqltype_equal(casts[i]->type, r.op->types[i]))
            plain = 0;
    if (!rc && !plain)
        rc = project_to(p, &r, (const lh_bexpr *const *)casts, n);
    if (!rc) {
        *out = r.op;
        r.op = NULL;
    }
    prel_free(&r);
    return rc;
}

static lh_rc plan_setop(pl *p, const lh_bquery *q, lh_op **out)
{
    lh_op *l = NULL, *r = NULL, *op = NULL;
    lh_rc rc;
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
    for (i = 0; p.used && i < p.nrels; i++)
        lh_free(p.used[i]);
    lh_free(p.used);
    lh_free(p.nused_cols);
    return rc;
}
