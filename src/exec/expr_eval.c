/* exec/expr_eval.c — evaluating an lh_xexpr over a batch (see expr.h).
 *
 * Every node writes into its own result vector (allocated at prepare) at
 * the row indices it is asked for; a column reference hands back the
 * input's vector and a constant its CONST vector, so nothing is copied
 * that need not be.  The lazy forms (CASE, COALESCE, AND, OR, IN) narrow
 * the row set with selection vectors of their own before evaluating a
 * later argument, so an argument never sees a row that SQL says it must
 * not (CASE WHEN x = 0 THEN 0 ELSE 1 / x END divides only where x <> 0).
 * TRY and TRY_CAST evaluate vectorized first; only after a data error
 * (LH_EDATA, LH_EINVAL: division by zero, a bad cast or argument, a value
 * out of range) do they evaluate row by row and make the failing rows
 * NULL.  Out of memory, cancellation and internal errors still fail.
 */
#include "exec/expr_int.h"

#include <string.h>

#include "exec/hash.h"

static inline uint32_t imask(const lh_vector *v) { return v->kind == LH_VEC_CONST ? 0 : 0xffffffffu; }

static inline int vvalid(const lh_vector *v, uint32_t i)
{
    uint32_t r;
    if (!v->may_null)
        return 1;
    r = v->kind == LH_VEC_CONST ? 0 : i;
    return (v->validity[r >> 6] >> (r & 63)) & 1;
}

static inline void o_null(lh_vector *o, uint32_t i)
{
    o->validity[i >> 6] &= ~((uint64_t)1 << (i & 63));
    o->may_null = 1;
}

static inline void o_valid(lh_vector *o, uint32_t i) { o->validity[i >> 6] |= (uint64_t)1 << (i & 63); }

static void out_reset(lh_vector *o)
{
    o->kind = LH_VEC_FLAT;
    lh_vector_set_all_valid(o);
}

static inline uint32_t row_at(lh_rows r, uint32_t k) { return r.sel ? r.sel[k] : k; }

static inline int catchable(lh_rc rc) { return rc == LH_EDATA || rc == LH_EINVAL; }

#define COPY_LOOP(T)                                                                                                   \
    do {                                                                                                               \
        const T *S = src->data;                                                                                        \
        T *D = dst->data;                                                                                              \
        for (k = 0; k < rows.n; k++) {                                                                                 \
            uint32_t i = row_at(rows, k);                                                                              \
            D[i] = S[i & m];                                                                                           \
        }                                                                                                              \
    } while (0)

/* dst[i] = src[i] (values and validity) for the rows; src FLAT, CONST or DICT. */
static void copy_rows(lh_vector *src, lh_vector *dst, lh_rows rows)
{
    uint32_t k, m;
    lh_k_prepare(src, rows);
    m = imask(src);
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
        COPY_LOOP(lh_str); /* 16 bytes: strings, decimals, tstz */
        break;
    }
    if (!src->may_null) {
        if (dst->may_null)
            for (k = 0; k < rows.n; k++)
                o_valid(dst, row_at(rows, k));
    } else {
        for (k = 0; k < rows.n; k++) {
            uint32_t i = row_at(rows, k);
            if (vvalid(src, i))
                o_valid(dst, i);
            else
                o_null(dst, i);
        }
    }
}

/* ---- the lazy forms ---- */

/* AND (dom = 0) / OR (dom = 1), n-ary: argument k only on the rows whose
 * result is not yet decided (not FALSE for AND, not TRUE for OR). */
static lh_rc eval_logic(lh_xexpr *e, lh_batch *in, lh_rows rows, lh_err *err)
{
    lh_vector *o = e->out, *v;
    uint8_t *O = o->data;
    uint8_t dom = e->kind == LH_X_OR;
    lh_rows act;
    uint32_t k, n, a;
    int buf = 0;
    lh_rc rc;
    out_reset(o);
    if ((rc = lh_x_eval_node(e->args[0], in, rows, &v, err)))
        return rc;
    copy_rows(v, o, rows);
    n = 0;
    for (k = 0; k < rows.n; k++) {
        uint32_t i = row_at(rows, k);
        e->sel[buf][n] = (uint16_t)i;
        n += !(vvalid(o, i) && O[i] == dom);
    }
    act.sel = e->sel[buf];
    act.n = n;
    for (a = 1; a < e->nargs && act.n; a++) {
        const uint8_t *V;
        uint32_t m;
        if ((rc = lh_x_eval_node(e->args[a], in, act, &v, err)))
            return rc;
        lh_k_prepare(v, act);
        V = v->data;
        m = imask(v);
        buf ^= 1;
        n = 0;
        for (k = 0; k < act.n; k++) {
            uint32_t i = act.sel[k];
            int vy = vvalid(v, i), vx = vvalid(o, i);
            uint8_t y = V[i & m];
            if (vy && y == dom) {
                O[i] = dom;
                o_valid(o, i);
                continue; /* decided */
            }
            if (vx && !vy) /* TRUE AND NULL, FALSE OR NULL */
                o_null(o, i);
            /* else: NULL stays NULL; x op (not dom) = x */
            e->sel[buf][n++] = (uint16_t)i;
        }
        act.sel = e->sel[buf];
        act.n = n;
    }
    return LH_OK;
}

/* Searched CASE: WHEN i on the rows not yet matched, THEN i on the rows
 * where WHEN i is TRUE, ELSE (or NULL) on the rest. */
static lh_rc eval_case(lh_xexpr *e, lh_batch *in, lh_rows rows, lh_err *err)
{
    lh_vector *o = e->out, *v;
    size_t npairs = e->nargs / 2, p;
    lh_rows rem = rows, hit;
    uint16_t *missbuf[2] = {e->sel[1], e->sel[2]};
    int mb = 0;
    lh_rc rc;
    out_reset(o);
    for (p = 0; p < npairs && rem.n; p++) {
        const uint8_t *W;
        uint32_t k, m, nh = 0, nm = 0;
        uint16_t *miss = missbuf[mb];
        if ((rc = lh_x_eval_node(e->args[2 * p], in, rem, &v, err)))
            return rc;
        lh_k_prepare(v, rem);
        W = v->data;
        m = imask(v);
        for (k = 0; k < rem.n; k++) {
            uint32_t i = row_at(rem, k);
            if (vvalid(v, i) && W[i & m])
                e->sel[0][nh++] = (uint16_t)i;
            else
                miss[nm++] = (uint16_t)i;
        }
        if (nh) {
            hit.sel = e->sel[0];
            hit.n = nh;
            if ((rc = lh_x_eval_node(e->args[2 * p + 1], in, hit, &v, err)))
                return rc;
            copy_rows(v, o, hit);
        }
        rem.sel = miss;
        rem.n = nm;
        mb ^= 1;
    }
    if (rem.n) {
        if (e->flags & LH_XF_ELSE) {
            if ((rc = lh_x_eval_node(e->args[e->nargs - 1], in, rem, &v, err)))
                return rc;
            copy_rows(v, o, rem);
        } else {
            uint32_t k;
            for (k = 0; k < rem.n; k++)
                o_null(o, row_at(rem, k));
        }
    }
    return LH_OK;
}

/* COALESCE: argument k only on the rows still NULL. */
static lh_rc eval_coalesce(lh_xexpr *e, lh_batch *in, lh_rows rows, lh_err *err)
{
    lh_vector *o = e->out, *v;
    lh_rows rem = rows;
    size_t a;
    int buf = 0;
    lh_rc rc;
    out_reset(o);
    for (a = 0; a < e->nargs && rem.n; a++) {
        uint32_t k, n = 0;
        if ((rc = lh_x_eval_node(e->args[a], in, rem, &v, err)))
            return rc;
        copy_rows(v, o, rem);
        if (!v->may_null)
            break;
        for (k = 0; k < rem.n; k++) {
            uint32_t i = row_at(rem, k);
            e->sel[buf][n] = (uint16_t)i;
            n += !vvalid(o, i);
        }
        rem.sel = e->sel[buf];
        rem.n = n;
        buf ^= 1;
    }
    return LH_OK;
}

static int inset_has(const lh_xinset *s, const lh_vector *v, uint32_t i, uint64_t h)
{
    uint32_t k = (uint32_t)h & s->mask;
    while (s->slots[k]) {
        if (lh_x_value_eq(v, i, s->vals, s->slots[k] - 1))
            return 1;
        k = (k + 1) & s->mask;
    }
    return 0;
}

/* Equality of a[i] and b[i] (both valid), decimals of any scales. */
static inline int eq_at(const lh_vector *a, uint32_t am, const lh_vector *b, uint32_t bm, uint32_t i)
{
    if (a->type.id == LH_SQL_DECIMAL && (a->type.s != b->type.s || a->phys != b->phys))
        return lh_dec_cmp(lh_vector_get_i128(a, i), a->type.s, lh_vector_get_i128(b, i), b->type.s) == 0;
    if (a->phys != b->phys)
        return 0;
    return lh_x_value_eq(a, i & am, b, i & bm);
}

/* a0 IN (a1, ...): TRUE on a match; else NULL when a0 or a compared item
 * is NULL; else FALSE.  Items are evaluated only on rows not yet TRUE. */
static lh_rc eval_in(lh_xexpr *e, lh_batch *in, lh_rows rows, lh_err *err)
{
    lh_vector *o = e->out, *v0, *v;
    uint8_t *O = o->data;
    lh_rows act;
    uint32_t k, n = 0, m0;
    size_t a;
    int buf = 0;
    lh_rc rc;
    out_reset(o);
    if ((rc = lh_x_eval_node(e->args[0], in, rows, &v0, err)))
        return rc;
    lh_k_prepare(v0, rows);
    m0 = imask(v0);
    if (e->inset) {
        lh_xinset *s = e->inset;
        if ((rc = lh_hash_columns(&v0, 1, rows, s->hashes, err)))
            return rc;
        for (k = 0; k < rows.n; k++) {
            uint32_t i = row_at(rows, k);
            if (!vvalid(v0, i)) {
                O[i] = 0;
                o_null(o, i);
            } else if (inset_has(s, v0, i & m0, s->hashes[i])) {
                O[i] = 1;
            } else {
                O[i] = 0;
                if (s->has_null)
                    o_null(o, i);
            }
        }
        goto negate;
    }
    for (k = 0; k < rows.n; k++) {
        uint32_t i = row_at(rows, k);
        O[i] = 0;
        if (!vvalid(v0, i)) {
            o_null(o, i);
            continue;
        }
        e->sel[buf][n++] = (uint16_t)i;
    }
    act.sel = e->sel[buf];
    act.n = n;
    for (a = 1; a < e->nargs && act.n; a++) {
        uint32_t m;
        if ((rc = lh_x_eval_node(e->args[a], in, act, &v, err)))
            return rc;
        lh_k_prepare(v, act);
        m = imask(v);
        buf ^= 1;
        n = 0;
        for (k = 0; k < act.n; k++) {
            uint32_t i = act.sel[k];
            if (!vvalid(v, i)) {
                o_null(o, i);
            } else if (eq_at(v0, m0, v, m, i)) {
                O[i] = 1;
                o_valid(o, i);
                continue;
            }
            e->sel[buf][n++] = (uint16_t)i;
        }
        act.sel = e->sel[buf];
        act.n = n;
    }
negate:
    if (e->flags & LH_XF_NOT)
        for (k = 0; k < rows.n; k++) {
            uint32_t i = row_at(rows, k);
            O[i] = !O[i];
        }
    return LH_OK;
}

/* ---- LIKE ---- */

static lh_rc like_cached(lh_xexpr *e, const lh_str *p, const lh_str *x, lh_err *err)
{
    size_t pn = lh_str_len(p), xn = x ? lh_str_len(x) : 0;
    lh_like *m = NULL;
    lh_rc rc;
    if (e->like && e->last_has_esc == (x != NULL) && e->last_pat_n == pn && e->last_esc_n == xn &&
        !memcmp(e->last_pat, lh_str_ptr(p), pn) && (!xn || !memcmp(e->last_pat + pn, lh_str_ptr(x), xn)))
        return LH_OK;
    if ((rc = lh_like_compile(lh_str_ptr(p), pn, x ? lh_str_ptr(x) : NULL, xn, &m, err)))
        return rc;
    if (pn + xn > e->last_cap || !e->last_pat) {
        size_t cap = pn + xn < 64 ? 64 : pn + xn;
        char *nb = lh_malloc(cap);
        if (!nb) {
            lh_like_free(m);
            return lh_errf(err, LH_ENOMEM, "out of memory caching a LIKE pattern");
        }
        lh_free(e->last_pat);
        e->last_pat = nb;
        e->last_cap = cap;
    }
    memcpy(e->last_pat, lh_str_ptr(p), pn);
    if (xn)
        memcpy(e->last_pat + pn, lh_str_ptr(x), xn);
    e->last_pat_n = pn;
    e->last_esc_n = xn;
    e->last_has_esc = x != NULL;
    lh_like_free(e->like);
    e->like = m;
    return LH_OK;
}

static lh_rc eval_like(lh_xexpr *e, lh_batch *in, lh_rows rows, lh_err *err)
{
    lh_vector *o = e->out, *s, *p = NULL, *x = NULL;
    uint8_t *O = o->data;
    uint32_t k;
    lh_rc rc;
    if ((rc = lh_x_eval_node(e->args[0], in, rows, &s, err)))
        return rc;
    if (e->like_const) {
        if (e->like_null) {
            out_reset(o);
            for (k = 0; k < rows.n; k++) {
                O[row_at(rows, k)] = 0;
                o_null(o, row_at(rows, k));
            }
            return LH_OK;
        }
        if ((rc = lh_k_like(e->like, s, o, rows, err)))
            return rc;
    } else {
        uint32_t sm, pm, xm = 0;
        if ((rc = lh_x_eval_node(e->args[1], in, rows, &p, err)))
            return rc;
        if (e->nargs > 2 && (rc = lh_x_eval_node(e->args[2], in, rows, &x, err)))
            return rc;
        lh_k_prepare(s, rows);
        lh_k_prepare(p, rows);
        if (x)
            lh_k_prepare(x, rows);
        if (s->phys != LH_P_STR || p->phys != LH_P_STR || (x && x->phys != LH_P_STR))
            return lh_errf(err, LH_EINTERNAL, "LIKE on a non-string value");
        sm = imask(s);
        pm = imask(p);
        if (x)
            xm = imask(x);
        out_reset(o);
        for (k = 0; k < rows.n; k++) {
            uint32_t i = row_at(rows, k);
            const lh_str *sv = (const lh_str *)s->data + (i & sm);
            if (!vvalid(s, i) || !vvalid(p, i) || (x && !vvalid(x, i))) {
                O[i] = 0;
                o_null(o, i);
                continue;
            }
            if ((rc = like_cached(e, (const lh_str *)p->data + (i & pm), x ? (const lh_str *)x->data + (i & xm) : NULL,
                                  err)))
                return rc;
            O[i] = (uint8_t)lh_like_match(e->like, lh_str_ptr(sv), lh_str_len(sv));
        }
    }
    if (e->flags & LH_XF_NOT)
        for (k = 0; k < rows.n; k++) {
            uint32_t i = row_at(rows, k);
            O[i] = !O[i];
        }
    return LH_OK;
}

/* ---- TRY ---- */

/* try(a0): vectorized; after a data error, row by row with failing rows NULL. */
static lh_rc eval_try(lh_xexpr *e, lh_batch *in, lh_rows rows, lh_vector **out, lh_err *err)
{
    lh_vector *o = e->out, *v;
    uint32_t k;
    lh_rc rc = lh_x_eval_node(e->args[0], in, rows, &v, err);
    if (!rc) {
        *out = v;
        return LH_OK;
    }
    if (!catchable(rc))
        return rc;
    out_reset(o);
    for (k = 0; k < rows.n; k++) {
        uint16_t r = (uint16_t)row_at(rows, k);
        lh_rows one = {&r, 1};
        rc = lh_x_eval_node(e->args[0], in, one, &v, err);
        if (!rc)
            copy_rows(v, o, one);
        else if (catchable(rc))
            o_null(o, r);
        else
            return rc;
    }
    lh_err_clear(err);
    *out = o;
    return LH_OK;
}

static lh_rc eval_cast(lh_xexpr *e, lh_batch *in, lh_rows rows, lh_err *err)
{
    lh_vector *o = e->out, *v;
    uint64_t ok[LH_BATCH_WORDS];
    uint32_t k;
    lh_rc rc;
    if ((rc = lh_x_eval_node(e->args[0], in, rows, &v, err)))
        return rc;
    rc = lh_k_cast(v, o, rows, e->arena, err);
    if (!rc || !(e->flags & LH_XF_TRY) || !catchable(rc))
        return rc;
    /* TRY_CAST: one row at a time; each call resets o's validity, so the
     * outcome of every row is kept aside and applied at the end */
    memset(ok, 0, sizeof ok);
    for (k = 0; k < rows.n; k++) {
        uint16_t r = (uint16_t)row_at(rows, k);
        lh_rows one = {&r, 1};
        rc = lh_k_cast(v, o, one, e->arena, err);
        if (!rc) {
            if (lh_vector_is_valid(o, r))
                ok[r >> 6] |= (uint64_t)1 << (r & 63);
        } else if (!catchable(rc)) {
            return rc;
        }
    }
    o->kind = LH_VEC_FLAT;
    lh_vector_set_all_valid(o);
    for (k = 0; k < rows.n; k++) {
        uint32_t r = row_at(rows, k);
        if (!((ok[r >> 6] >> (r & 63)) & 1))
            o_null(o, r);
    }
    lh_err_clear(err);
    return LH_OK;
}

static lh_rc eval_call(lh_xexpr *e, lh_batch *in, lh_rows rows, lh_err *err)
{
    size_t i;
    lh_rc rc;
    for (i = 0; i < e->nargs; i++) {
        if ((rc = lh_x_eval_node(e->args[i], in, rows, &e->argv[i], err)))
            return rc;
        lh_k_prepare(e->argv[i], rows);
    }
    out_reset(e->out);
    return e->impl->eval(&e->call, e->argv, e->out, rows, err);
}

lh_rc lh_x_eval_node(lh_xexpr *e, lh_batch *in, lh_rows rows, lh_vector **out, lh_err *err)
{
    lh_vector *a, *b;
    lh_rc rc;
    if (e->kind == LH_X_COL) {
        if (!in || e->col >= in->ncols)
            return lh_errf(err, LH_EINTERNAL, "expression reads column #%u of a batch of %u columns", e->col,
                           in ? in->ncols : 0);
        *out = in->cols[e->col];
        return LH_OK;
    }
    if (e->kind == LH_X_CONST) {
        *out = e->cval;
        return LH_OK;
    }
    *out = e->out;
    if (rows.n == 0)
        return LH_OK;
    switch (e->kind) {
    case LH_X_CAST:
        return eval_cast(e, in, rows, err);
    case LH_X_ARITH:
    case LH_X_CMP:
        if ((rc = lh_x_eval_node(e->args[0], in, rows, &a, err)) ||
            (rc = lh_x_eval_node(e->args[1], in, rows, &b, err)))
            return rc;
        if (e->kind == LH_X_ARITH)
            return lh_k_arith((lh_arith_op)e->op, a, b, e->out, rows, err);
        return lh_k_compare((lh_cmp_op)e->op, a, b, e->out, rows, err);
    case LH_X_NEG:
        if ((rc = lh_x_eval_node(e->args[0], in, rows, &a, err)))
            return rc;
        return lh_k_negate(a, e->out, rows, err);
    case LH_X_NOT:
        if ((rc = lh_x_eval_node(e->args[0], in, rows, &a, err)))
            return rc;
        return lh_k_not(a, e->out, rows, err);
    case LH_X_IS_NULL:
        if ((rc = lh_x_eval_node(e->args[0], in, rows, &a, err)))
            return rc;
        return lh_k_is_null(a, (e->flags & LH_XF_NOT) != 0, e->out, rows, err);
    case LH_X_AND:
    case LH_X_OR:
        return eval_logic(e, in, rows, err);
    case LH_X_LIKE:
        return eval_like(e, in, rows, err);
    case LH_X_IN:
        return eval_in(e, in, rows, err);
    case LH_X_CASE:
        return eval_case(e, in, rows, err);
    case LH_X_COALESCE:
        return eval_coalesce(e, in, rows, err);
    case LH_X_TRY:
        return eval_try(e, in, rows, out, err);
    case LH_X_CALL:
        return eval_call(e, in, rows, err);
    default:
        return lh_errf(err, LH_EINTERNAL, "unknown expression kind %d", (int)e->kind);
    }
}
