/* plan/plan_agg.c — GROUP BY and aggregates, grouping sets, window
 * functions.  See planner.h. */
#include <string.h>

#include "plan/planner_int.h"

/* ------------------------------------------------------- aggregates */


lh_rc pl_elist_add(pl *p, pl_elist *l, const lh_bexpr *e)
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
lh_rc pl_collect(pl *p, const lh_bexpr *e, pl_elist *aggs, pl_elist *wins)
{
    size_t i;
    lh_rc rc;
    if (!e)
        return LH_OK;
    if (pl_is_window(e)) {
        if (wins && (rc = pl_elist_add(p, wins, e)))
            return rc;
    } else if (pl_is_aggregate(e))
        return pl_elist_add(p, aggs, e); /* nested aggregates are refused by the analyzer */
    for (i = 0; i < e->nargs; i++)
        if ((rc = pl_collect(p, e->args[i], aggs, wins)))
            return rc;
    if (e->window) {
        for (i = 0; i < e->window->npart; i++)
            if ((rc = pl_collect(p, e->window->part[i], aggs, NULL)))
                return rc;
        for (i = 0; i < e->window->norder; i++)
            if ((rc = pl_collect(p, e->window->order[i].e, aggs, NULL)))
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
             {"approx_percentile", LH_AGG_APPROX_PERCENTILE},
             {"listagg", LH_AGG_LISTAGG},
             {"bitwise_and_agg", LH_AGG_BIT_AND},
             {"bitwise_or_agg", LH_AGG_BIT_OR},
             {"bitwise_xor_agg", LH_AGG_BIT_XOR}};
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
lh_rc pl_agg_spec(pl *p, pl_prel *r, pl_extra *x, const lh_bexpr *e, lh_agg_spec *s)
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
                                                pl_has_subquery(e->args[1])))
        return pl_err(p, e->pos, LH_EUNSUPPORTED, "this form of approx_percentile is not supported yet");
    s->distinct = (e->flags & BX_F_DISTINCT) != 0;
    s->ret = e->type;
    for (i = 0; i < e->nargs && i < 2 && s->kind != LH_AGG_COUNT_STAR; i++)
        if ((rc = pl_position_of(p, r, x, e->args[i], &s->arg[i])))
            return rc;
    if (e->filter && (rc = pl_position_of(p, r, x, e->filter, &s->filter)))
        return rc;
    return LH_OK;
}

/* Trino's ordered aggregate here: listagg.  Every ordered aggregate of one
 * query level must share one ORDER BY (the input is sorted once); the
 * first sets *ord. */
static int same_order(const lh_bexpr *a, const lh_bexpr *b)
{
    size_t i;
    if (a->norder != b->norder)
        return 0;
    for (i = 0; i < a->norder; i++)
        if (!pl_bexpr_eq(a->order[i].e, b->order[i].e) || a->order[i].desc != b->order[i].desc ||
            pl_nulls_first(&a->order[i]) != pl_nulls_first(&b->order[i]))
            return 0;
    return 1;
}

static lh_rc ordered_agg(pl *p, const lh_bexpr *e, const lh_bexpr **ord)
{
    if (strcmp(e->name, "listagg"))
        return pl_err(p, e->pos, LH_EUNSUPPORTED, "ORDER BY inside %s() is not supported yet", e->name);
    if (e->flags & BX_F_DISTINCT)
        return pl_err(p, e->pos, LH_EUNSUPPORTED, "listagg(DISTINCT ...) is not supported yet");
    if (*ord && !same_order(*ord, e))
        return pl_err(p, e->pos, LH_EUNSUPPORTED,
                      "two listagg calls with different WITHIN GROUP orders in one query are not supported yet");
    if (!*ord)
        *ord = e;
    return LH_OK;
}

/* GROUP BY + aggregates: r becomes the aggregate's output; its scope maps
 * each group expression and each aggregate call to its column. */
lh_rc pl_plan_aggregate(pl *p, const lh_bquery *q, pl_prel *r, pl_elist *aggs)
{
    pl_extra x;
    uint32_t *keys = NULL;
    lh_agg_spec *specs = NULL;
    size_t i, ng = q->ngroups;
    lh_rc rc = LH_OK;
    lh_op *agg = NULL;
    pl_scope ns;
    const lh_bexpr *ord = NULL; /* the first ordered aggregate: its ORDER BY sorts the input */
    lh_sort_key *sk = NULL;
    memset(&x, 0, sizeof x);
    memset(&ns, 0, sizeof ns);
    keys = lh_calloc(ng + 1, sizeof *keys);
    specs = lh_calloc(aggs->n + 1, sizeof *specs);
    if (!keys || !specs) {
        rc = pl_nomem(p);
        goto out;
    }
    for (i = 0; i < ng && !rc; i++)
        rc = pl_position_of(p, r, &x, q->groups[i], &keys[i]);
    for (i = 0; i < aggs->n && !rc; i++) {
        const lh_bexpr *e = aggs->e[i];
        lh_bexpr plain;
        if (e->norder) { /* an ordered aggregate: the input is sorted for it, below */
            if ((rc = ordered_agg(p, e, &ord)))
                break;
            plain = *e;
            plain.norder = 0;
            plain.order = NULL;
            e = &plain;
        }
        rc = pl_agg_spec(p, r, &x, e, &specs[i]);
    }
    if (!rc && ord) { /* listagg(...) WITHIN GROUP (ORDER BY ...): the hash aggregate keeps arrival order */
        sk = lh_calloc(ord->norder + 1, sizeof *sk);
        if (!sk)
            rc = pl_nomem(p);
        for (i = 0; !rc && i < ord->norder; i++) {
            rc = pl_position_of(p, r, &x, ord->order[i].e, &sk[i].col);
            sk[i].desc = ord->order[i].desc;
            sk[i].nulls_first = pl_nulls_first(&ord->order[i]);
        }
    }
    if (rc || (rc = pl_flush_extra(p, r, &x)))
        goto out;
    if (ord) {
        lh_op *sorted = NULL;
        rc = lh_op_sort(p->ectx, r->op, sk, ord->norder, 0, -1, &sorted, p->err);
        r->op = sorted;
        if (rc)
            goto out;
    }
    rc = lh_op_hash_agg(p->ectx, r->op, keys, ng, specs, aggs->n, &agg, p->err);
    r->op = NULL;
    if (rc)
        goto out;
    pl_scope_free(&r->sc);
    r->op = agg;
    pl_prel_types(r);
    for (i = 0; i < ng + aggs->n && !rc; i++)
        rc = pl_scope_add_col(p, &r->sc, -1, -1);
    for (i = 0; i < ng && !rc; i++)
        rc = pl_scope_add_expr(p, &r->sc, q->groups[i], (uint32_t)i);
    for (i = 0; i < aggs->n && !rc; i++)
        rc = pl_scope_add_expr(p, &r->sc, aggs->e[i], (uint32_t)(ng + i));
out:
    lh_free(keys);
    lh_free(specs);
    lh_free(sk);
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

int pl_nulls_first(const lh_bsort *s) { return s->nulls_first >= 0 ? s->nulls_first : 0; /* Trino: NULLS LAST */ }

lh_rc pl_plan_window(pl *p, pl_prel *r, const lh_bexpr *w)
{
    const lh_bwindow *win = w->window;
    pl_extra x;
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
            rc = pl_position_of(p, r, &x, w->args[i], &spec.arg[i]);
    } else {
        lh_bexpr plain = *w;
        plain.window = NULL;
        spec.kind = LH_WIN_AGG;
        rc = pl_agg_spec(p, r, &x, &plain, &spec.agg);
    }
    if (rc)
        goto out;
    spec.rows = win->frame == LH_FRAME_ROWS;
    spec.groups = win->frame == LH_FRAME_GROUPS;
    if (win->frame) {
        spec.start = (lh_frame_bound)win->start;
        spec.end = win->end ? (lh_frame_bound)win->end : LH_FB_CURRENT_ROW;
        if (win->start_off && (rc = pl_position_of(p, r, &x, win->start_off, &spec.start_off)))
            goto out;
        if (win->end_off && (rc = pl_position_of(p, r, &x, win->end_off, &spec.end_off)))
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
        rc = pl_position_of(p, r, &x, win->part[i], &part[i]);
    for (i = 0; i < win->norder && !rc; i++) {
        rc = pl_position_of(p, r, &x, win->order[i].e, &order[i].col);
        order[i].desc = win->order[i].desc;
        order[i].nulls_first = pl_nulls_first(&win->order[i]);
    }
    if (rc || (rc = pl_flush_extra(p, r, &x)))
        goto out;
    n0 = r->sc.ncols;
    rc = lh_op_window(p->ectx, r->op, part, win->npart, order, win->norder, &spec, 1, &op, p->err);
    r->op = NULL;
    if (rc)
        goto out;
    r->op = op;
    pl_prel_types(r);
    if (!(rc = pl_scope_add_col(p, &r->sc, -1, -1)))
        rc = pl_scope_add_expr(p, &r->sc, w, n0);
out:
    lh_free(part);
    lh_free(order);
    lh_free(x.e);
    return rc;
}


lh_rc pl_collect_grouping(pl *p, const lh_bexpr *e, pl_elist *gops)
{
    size_t i;
    lh_rc rc;
    if (!e)
        return LH_OK;
    if (e->kind == BX_GROUPING)
        return pl_elist_add(p, gops, e);
    for (i = 0; i < e->nargs; i++)
        if ((rc = pl_collect_grouping(p, e->args[i], gops)))
            return rc;
    return LH_OK;
}

/* The members of one grouping set, as a bitmap over q->groups. */
static void set_members(const lh_bquery *q, size_t s, unsigned char *in)
{
    size_t k;
    memset(in, 0, q->ngroups + 1);
    if (!q->sets) { /* one set of every key (grouping() over plain GROUP BY) */
        memset(in, 1, q->ngroups);
        return;
    }
    for (k = 0; k < q->set_len[s]; k++)
        if (q->sets[s][k] < q->ngroups)
            in[q->sets[s][k]] = 1;
}

static lh_rc const_bigint(pl *p, int64_t v, lh_xexpr **out)
{
    lh_vector *vec = NULL;
    lh_rc rc = lh_vector_create(lh_sqltype_of(LH_SQL_BIGINT), 1, &vec, p->err);
    if (rc)
        return rc;
    lh_vector_set_i64(vec, 0, v);
    *out = lh_x_const(vec, p->err);
    lh_vector_free(vec);
    return *out ? LH_OK : p->err->code;
}

/* One grouping set: aggregate src on its keys, then project to the full
 * layout (every key, NULL where absent; the aggregates; grouping() values). */
static lh_rc one_set(pl *p, const lh_bquery *q, pl_prel *src, const unsigned char *in, pl_elist *aggs, pl_elist *gops,
                     lh_op **out)
{
    size_t ng = q->ngroups, na = aggs->n, i, k, nk = 0;
    uint32_t *keys = lh_calloc(ng + 1, sizeof *keys), *kpos = lh_calloc(ng + 1, sizeof *kpos);
    lh_agg_spec *specs = lh_calloc(na + 1, sizeof *specs);
    lh_xexpr **ex = lh_calloc(ng + na + gops->n + 1, sizeof *ex);
    pl_extra x;
    lh_op *agg = NULL;
    lh_rc rc = LH_OK;
    memset(&x, 0, sizeof x);
    *out = NULL;
    if (!keys || !kpos || !specs || !ex) {
        rc = pl_nomem(p);
        goto out;
    }
    for (i = 0; i < ng && !rc; i++)
        if (in[i]) {
            kpos[i] = (uint32_t)nk;
            rc = pl_position_of(p, src, &x, q->groups[i], &keys[nk++]);
        }
    for (i = 0; i < na && !rc; i++)
        rc = pl_agg_spec(p, src, &x, aggs->e[i], &specs[i]);
    if (rc || (rc = pl_flush_extra(p, src, &x)))
        goto out;
    rc = lh_op_hash_agg(p->ectx, src->op, keys, nk, specs, na, &agg, p->err);
    src->op = NULL;
    if (rc)
        goto out;
    for (i = 0; i < ng && !rc; i++)
        if (!(ex[i] = in[i] ? lh_x_col(kpos[i], agg->types[kpos[i]], p->err) : lh_x_null(q->groups[i]->type, p->err)))
            rc = p->err->code ? p->err->code : pl_nomem(p);
    for (i = 0; i < na && !rc; i++)
        if (!(ex[ng + i] = lh_x_col((uint32_t)(nk + i), agg->types[nk + i], p->err)))
            rc = p->err->code ? p->err->code : pl_nomem(p);
    for (i = 0; i < gops->n && !rc; i++) {
        const lh_bexpr *g = gops->e[i];
        int64_t bits = 0;
        for (k = 0; k < g->nargs; k++) {
            size_t j;
            for (j = 0; j < ng && !pl_bexpr_eq(q->groups[j], g->args[k]); j++)
                ;
            if (j == ng) {
                rc = pl_err(p, g->args[k]->pos, LH_EINVAL, "The arguments to GROUPING() must be expressions referenced by the GROUP BY");
                break;
            }
            bits = (bits << 1) | (in[j] ? 0 : 1);
        }
        if (!rc)
            rc = const_bigint(p, bits, &ex[ng + na + i]);
    }
    if (rc) {
        for (i = 0; i < ng + na + gops->n; i++)
            lh_xexpr_free(ex[i]);
        lh_op_free(agg);
        goto out;
    }
    rc = lh_op_project(p->ectx, agg, ex, (uint32_t)(ng + na + gops->n), out, p->err);
out:
    lh_free(keys);
    lh_free(kpos);
    lh_free(specs);
    lh_free(ex);
    lh_free(x.e);
    return rc;
}

lh_rc pl_plan_grouping_sets(pl *p, const lh_bquery *q, pl_prel *r, pl_elist *aggs, pl_elist *gops)
{
    size_t nsets = q->sets ? q->nsets : 1, s, i, ng = q->ngroups;
    lh_op **kids = lh_calloc(nsets + 1, sizeof *kids), *all = NULL;
    unsigned char *in = lh_malloc(ng + 1);
    lh_rc rc = LH_OK;
    if (!kids || !in) {
        lh_free(kids);
        lh_free(in);
        return pl_nomem(p);
    }
    for (s = 0; s < nsets && !rc; s++) {
        pl_prel src;
        memset(&src, 0, sizeof src);
        if (s == 0) { /* the caller's plan of FROM/WHERE serves the first set */
            src = *r;
            memset(r, 0, sizeof *r);
        } else if ((rc = pl_plan_source(p, q, &src)))
            break;
        set_members(q, s, in);
        rc = one_set(p, q, &src, in, aggs, gops, &kids[s]);
        pl_prel_free(&src);
    }
    if (!rc)
        rc = nsets == 1 ? (all = kids[0], LH_OK) : lh_op_concat(p->ectx, kids, nsets, &all, p->err);
    else
        for (i = 0; i < nsets; i++)
            lh_op_free(kids[i]);
    lh_free(kids);
    lh_free(in);
    if (rc)
        return rc;
    pl_scope_free(&r->sc);
    r->op = all;
    pl_prel_types(r);
    for (i = 0; i < ng + aggs->n + gops->n && !rc; i++)
        rc = pl_scope_add_col(p, &r->sc, -1, -1);
    for (i = 0; i < ng && !rc; i++)
        rc = pl_scope_add_expr(p, &r->sc, q->groups[i], (uint32_t)i);
    for (i = 0; i < aggs->n && !rc; i++)
        rc = pl_scope_add_expr(p, &r->sc, aggs->e[i], (uint32_t)(ng + i));
    for (i = 0; i < gops->n && !rc; i++)
        rc = pl_scope_add_expr(p, &r->sc, gops->e[i], (uint32_t)(ng + aggs->n + i));
    return rc;
}
