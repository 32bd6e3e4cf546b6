/* plan/plan_expr.c — bound expressions → executable expressions
 * (exec/expr.h), and subqueries run while planning.  See planner.h. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "exec/datetime.h"
#include "exec/kernels.h"
#include "exec/tz.h"
#include "functions/scalar.h"
#include "plan/planner_int.h"

#define PL_INLIST_MAX 100000 /* rows an IN (subquery) outside WHERE may hold as a constant list */

lh_rc pl_err(pl *p, lh_pos pos, lh_rc code, const char *fmt, ...)
{
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (pos.line > 0)
        return lh_errf(p->err, code, "%s:%d:%d: %s", p->file, pos.line, pos.col, msg);
    return lh_errf(p->err, code, "%s: %s", p->file, msg);
}

lh_rc pl_nomem(pl *p) { return lh_errf(p->err, LH_ENOMEM, "out of memory"); }

/* ---------------------------------------------------------------- scopes */

void pl_scope_free(pl_scope *s)
{
    lh_free(s->cols);
    lh_free(s->exprs);
    lh_free(s->epos);
    memset(s, 0, sizeof *s);
}

lh_rc pl_scope_add_col(pl *p, pl_scope *s, int rel, int col)
{
    if (s->ncols == s->acols) {
        uint32_t na = s->acols ? s->acols * 2 : 16;
        pl_col *n = lh_realloc(s->cols, na * sizeof *n);
        if (!n)
            return pl_nomem(p);
        s->cols = n;
        s->acols = na;
    }
    s->cols[s->ncols].rel = rel;
    s->cols[s->ncols].col = col;
    s->ncols++;
    return LH_OK;
}

lh_rc pl_scope_add_expr(pl *p, pl_scope *s, const lh_bexpr *e, uint32_t pos)
{
    if (s->nexprs == s->aexprs) {
        uint32_t na = s->aexprs ? s->aexprs * 2 : 8;
        const lh_bexpr **ne = lh_realloc(s->exprs, na * sizeof *ne);
        uint32_t *np;
        if (!ne)
            return pl_nomem(p);
        s->exprs = ne;
        np = lh_realloc(s->epos, na * sizeof *np);
        if (!np)
            return pl_nomem(p);
        s->epos = np;
        s->aexprs = na;
    }
    s->exprs[s->nexprs] = e;
    s->epos[s->nexprs] = pos;
    s->nexprs++;
    return LH_OK;
}

/* ------------------------------------------------------------ structure */

static int streq0(const char *a, const char *b) { return a == b || (a && b && !strcmp(a, b)); }

int pl_bexpr_eq(const lh_bexpr *a, const lh_bexpr *b)
{
    size_t i;
    if (a == b)
        return 1;
    if (!a || !b || a->kind != b->kind || !lh_sqltype_equal(a->type, b->type) || a->op != b->op ||
        a->quant != b->quant || (a->flags & ~BX_F_IMPLICIT) != (b->flags & ~BX_F_IMPLICIT) ||
        !streq0(a->name, b->name) || !streq0(a->text, b->text) || a->rel != b->rel || a->col != b->col ||
        a->depth != b->depth || a->nargs != b->nargs || a->fn != b->fn || a->sub != b->sub ||
        a->window != b->window || a->norder != b->norder)
        return 0;
    if (a->kind == BX_LIT && !a->text != !b->text)
        return 0;
    for (i = 0; i < a->nargs; i++)
        if (!pl_bexpr_eq(a->args[i], b->args[i]))
            return 0;
    if (!a->filter != !b->filter || (a->filter && !pl_bexpr_eq(a->filter, b->filter)))
        return 0;
    for (i = 0; i < a->norder; i++)
        if (a->order[i].desc != b->order[i].desc || a->order[i].nulls_first != b->order[i].nulls_first ||
            !pl_bexpr_eq(a->order[i].e, b->order[i].e))
            return 0;
    return 1;
}

int pl_refs_within(const lh_bexpr *e, const unsigned char *set, int nrels)
{
    size_t i;
    if (!e)
        return 1;
    if (e->kind == BX_COL)
        return e->depth == 0 && e->rel >= 0 && e->rel < nrels && set[e->rel];
    if (e->kind == BX_OUTREF || e->sub)
        return e->kind != BX_OUTREF && !e->sub->correlated && (e->kind != BX_INQ || pl_refs_within(e->args[0], set, nrels));
    for (i = 0; i < e->nargs; i++)
        if (!pl_refs_within(e->args[i], set, nrels))
            return 0;
    return pl_refs_within(e->filter, set, nrels);
}

int pl_is_aggregate(const lh_bexpr *e)
{
    return e->kind == BX_CALL && e->fn && lh_fn_kind_of(e->fn) != LH_FN_SCALAR && !e->window;
}

int pl_is_window(const lh_bexpr *e) { return e->kind == BX_CALL && e->window; }

/* ------------------------------------------------------------ constants */

/* A one-value vector of type t holding the literal text. */
static lh_rc lit_vector(pl *p, const lh_bexpr *e, lh_vector **out)
{
    lh_sqltype t = e->type, vt = lh_sqltype_varchar(LH_SQL_UNBOUNDED);
    lh_vector *txt = NULL, *v = NULL;
    lh_arena ar;
    lh_rc rc;
    uint16_t zero = 0;
    lh_rows r = {&zero, 1};
    const char *s = e->text;
    size_t n = strlen(s);
    *out = NULL;
    lh_arena_init(&ar, 0);
    if ((rc = lh_vector_create(t, 1, &v, p->err)))
        goto out;
    if (t.id == LH_SQL_INTERVAL_DS || t.id == LH_SQL_INTERVAL_YM) {
        int neg = s[0] == '-';
        int64_t us = 0;
        int32_t months = 0;
        if (t.id == LH_SQL_INTERVAL_DS)
            rc = lh_interval_literal(s + neg, n - (size_t)neg, neg, LH_F_DAY, LH_F_SECOND, &us, &months, p->err);
        else
            rc = lh_interval_literal(s + neg, n - (size_t)neg, neg, LH_F_YEAR, LH_F_MONTH, &us, &months, p->err);
        if (rc)
            goto out;
        lh_vector_set_i64(v, 0, t.id == LH_SQL_INTERVAL_DS ? us : months);
        goto out;
    }
    if ((rc = lh_vector_create(vt, 1, &txt, p->err)) || (rc = lh_vector_set_str(txt, 0, s, n, &ar, p->err)))
        goto out;
    rc = lh_k_cast(txt, v, r, &ar, p->err);
out:
    if (rc == LH_OK && v) {
        *out = v;
        v = NULL;
    }
    lh_vector_free(v);
    lh_vector_free(txt);
    lh_arena_reset(&ar); /* v holds no string: strings are built by xlit */
    return rc ? pl_err(p, e->pos, rc, "%s", p->err ? p->err->msg : "bad literal") : LH_OK;
}

static lh_rc xlit(pl *p, const lh_bexpr *e, lh_xexpr **out)
{
    lh_vector *v = NULL;
    lh_rc rc;
    if (!e->text || e->type.id == LH_SQL_UNKNOWN) {
        *out = lh_x_null(e->type, p->err);
        return *out ? LH_OK : p->err->code;
    }
    if (lh_sqltype_is_string(e->type) || e->type.id == LH_SQL_VARBINARY) {
        lh_arena ar;
        const char *bytes = e->text;
        size_t nb = strlen(e->text);
        char *hex = NULL;
        lh_arena_init(&ar, 0);
        if (e->type.id == LH_SQL_VARBINARY) { /* X'65683F': the text is the hex digits */
            size_t i, k = 0;
            int hi = -1;
            if (!(hex = lh_malloc(nb / 2 + 1)))
                return pl_nomem(p);
            for (i = 0; i < nb; i++) {
                int c = (unsigned char)e->text[i], d;
                if (c == ' ')
                    continue;
                d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
                if (d < 0) {
                    lh_free(hex);
                    return pl_err(p, e->pos, LH_EPARSE, "Binary literal can only contain hexadecimal digits");
                }
                if (hi < 0)
                    hi = d;
                else {
                    hex[k++] = (char)(hi * 16 + d);
                    hi = -1;
                }
            }
            if (hi >= 0) {
                lh_free(hex);
                return pl_err(p, e->pos, LH_EPARSE, "Binary literal must contain an even number of digits");
            }
            bytes = hex;
            nb = k;
        }
        rc = lh_vector_create(e->type, 1, &v, p->err);
        if (!rc)
            rc = lh_vector_set_str(v, 0, bytes, nb, &ar, p->err);
        lh_free(hex); /* set_str copied the bytes (inline, or into ar) */
        *out = rc ? NULL : lh_x_const(v, p->err);
        lh_vector_free(v);
        lh_arena_reset(&ar);
        return rc ? rc : *out ? LH_OK : p->err->code;
    }
    if ((rc = lit_vector(p, e, &v)))
        return rc;
    *out = lh_x_const(v, p->err);
    lh_vector_free(v);
    return *out ? LH_OK : p->err->code;
}

/* current_date, current_timestamp, localtimestamp, now() */
static lh_rc xcurrent(pl *p, const lh_bexpr *e, lh_xexpr **out)
{
    lh_vector *v = NULL;
    lh_rc rc;
    lh_tstz t;
    t.utc_us = p->env.now_us;
    t.zone = p->env.session_zone;
    if ((rc = lh_vector_create(e->type, 1, &v, p->err)))
        return rc;
    switch (e->type.id) {
    case LH_SQL_TIMESTAMP_TZ: t.utc_us = lh_ts_round(t.utc_us, e->type.p); lh_vector_set_tstz(v, 0, t); break;
    case LH_SQL_TIMESTAMP: lh_vector_set_i64(v, 0, lh_ts_round(lh_tstz_local_us(t), e->type.p)); break;
    case LH_SQL_DATE: lh_vector_set_i64(v, 0, lh_ts_to_date(lh_tstz_local_us(t))); break;
    case LH_SQL_TIME:
        lh_vector_set_i64(v, 0, lh_dt_floormod(lh_ts_round(lh_tstz_local_us(t), e->type.p), 86400000000LL));
        break;
    default:
        lh_vector_free(v);
        return pl_err(p, e->pos, LH_EUNSUPPORTED, "%s is not supported yet", e->name ? e->name : "this value");
    }
    *out = lh_x_const(v, p->err);
    lh_vector_free(v);
    return *out ? LH_OK : p->err->code;
}

static lh_rc const_str(pl *p, const char *s, lh_xexpr **out)
{
    lh_vector *v = NULL;
    lh_arena ar;
    lh_rc rc;
    lh_arena_init(&ar, 0);
    rc = lh_vector_create(lh_sqltype_varchar(LH_SQL_UNBOUNDED), 1, &v, p->err);
    if (!rc)
        rc = lh_vector_set_str(v, 0, s, strlen(s), &ar, p->err);
    *out = rc ? NULL : lh_x_const(v, p->err);
    lh_vector_free(v);
    lh_arena_reset(&ar);
    return rc ? rc : *out ? LH_OK : p->err->code;
}

/* ------------------------------------------------------------ translate */

static lh_rc xargs(pl *p, const pl_scope *s, const lh_bexpr *e, size_t from, lh_xexpr ***out, size_t *n)
{
    size_t i, k = e->nargs - from;
    lh_xexpr **a = lh_calloc(k + 1, sizeof *a);
    lh_rc rc;
    *out = NULL;
    *n = 0;
    if (!a)
        return pl_nomem(p);
    for (i = 0; i < k; i++)
        if ((rc = pl_xlate(p, s, e->args[from + i], &a[i]))) {
            while (i--)
                lh_xexpr_free(a[i]);
            lh_free(a);
            return rc;
        }
    *out = a;
    *n = k;
    return LH_OK;
}

static void free_args(lh_xexpr **a, size_t n)
{
    size_t i;
    for (i = 0; a && i < n; i++)
        lh_xexpr_free(a[i]);
    lh_free(a);
}

/* A call of a scalar implementation found by name and argument types. */
static lh_rc xcall_named(pl *p, const lh_bexpr *e, const char *name, lh_xexpr **a, size_t n, lh_sqltype ret,
                         lh_xexpr **out)
{
    lh_sqltype types[LH_FN_MAX_ARGS + 1];
    const lh_scalar_impl *impl;
    size_t i;
    memset(types, 0, sizeof types);
    if (n > LH_FN_MAX_ARGS) {
        free_args(a, n);
        return pl_err(p, e->pos, LH_ELIMIT, "too many arguments for %s", name);
    }
    for (i = 0; i < n; i++)
        types[i] = lh_xexpr_type(a[i]);
    impl = lh_scalar_find(name, types, n, ret);
    if (!impl) {
        char rt[LH_SQLTYPE_NAME_MAX], buf[512];
        size_t off = 0;
        buf[0] = 0;
        for (i = 0; i < n && off < sizeof buf - 80; i++) {
            char tn[LH_SQLTYPE_NAME_MAX];
            lh_sqltype_name(types[i], tn, sizeof tn);
            off += (size_t)snprintf(buf + off, sizeof buf - off, "%s%s", i ? ", " : "", tn);
        }
        lh_sqltype_name(ret, rt, sizeof rt);
        free_args(a, n);
        if (name[0] == '$')
            return pl_err(p, e->pos, LH_EUNSUPPORTED, "operator %s(%s) -> %s is not supported yet", name + 1, buf, rt);
        return pl_err(p, e->pos, LH_EUNSUPPORTED, "function %s(%s) is not supported yet", name, buf);
    }
    *out = lh_x_call(impl, a, n, ret, p->err);
    lh_free(a);
    return *out ? LH_OK : p->err->code;
}

static lh_rc xcall(pl *p, const pl_scope *s, const lh_bexpr *e, lh_xexpr **out)
{
    const char *name = e->name;
    lh_xexpr **a = NULL;
    size_t n = 0;
    lh_rc rc;
    if (pl_is_aggregate(e) || pl_is_window(e))
        return pl_err(p, e->pos, LH_EINTERNAL, "aggregate %s outside its aggregation", name);
    if (e->fn && lh_fn_is_session(e->fn))
        p->volatile_seen = 1; /* rand(): never folded into a constant */
    if (e->fn && lh_fn_kind_of(e->fn) != LH_FN_SCALAR)
        return pl_err(p, e->pos, LH_EINTERNAL, "window function %s without a window", name);
    if (!strcmp(name, "typeof")) {
        char tn[LH_SQLTYPE_NAME_MAX];
        lh_sqltype_name(e->args[0]->type, tn, sizeof tn);
        return const_str(p, tn, out);
    }
    if ((rc = xargs(p, s, e, 0, &a, &n)))
        return rc;
    if (!strcmp(name, "coalesce")) {
        *out = lh_x_nary(LH_X_COALESCE, a, n, 0, e->type, p->err);
        lh_free(a);
        return *out ? LH_OK : p->err->code;
    }
    if (!strcmp(name, "if")) {
        *out = lh_x_nary(LH_X_CASE, a, n, n == 3 ? LH_XF_ELSE : 0, e->type, p->err);
        lh_free(a);
        return *out ? LH_OK : p->err->code;
    }
    if (!strcmp(name, "try") && n == 1) {
        *out = lh_x_unary(LH_X_TRY, a[0], 0, p->err);
        lh_free(a);
        return *out ? LH_OK : p->err->code;
    }
    if (!strcmp(name, "nullif") && n == 2) {
        /* CASE WHEN a = b THEN NULL ELSE a END, compared in the common type */
        lh_op_sig sig;
        lh_xexpr *l = NULL, *r = NULL, *c, *nul, *els, *ca[3];
        if ((rc = lh_op_resolve(LH_BOP_EQ, lh_xexpr_type(a[0]), lh_xexpr_type(a[1]), &sig, p->err))) {
            free_args(a, n);
            return pl_err(p, e->pos, rc, "%s", p->err->msg);
        }
        els = lh_xexpr_clone(a[0], p->err);
        l = lh_sqltype_equal(sig.left, lh_xexpr_type(a[0])) ? a[0] : lh_x_cast(a[0], sig.left, 0, p->err);
        r = lh_sqltype_equal(sig.right, lh_xexpr_type(a[1])) ? a[1] : lh_x_cast(a[1], sig.right, 0, p->err);
        lh_free(a);
        if (!l || !r || !els) {
            lh_xexpr_free(l);
            lh_xexpr_free(r);
            lh_xexpr_free(els);
            return p->err->code ? p->err->code : pl_nomem(p);
        }
        c = lh_x_cmp(LH_CMP_EQ, l, r, p->err);
        nul = lh_x_null(e->type, p->err);
        if (!c || !nul) {
            lh_xexpr_free(c);
            lh_xexpr_free(nul);
            lh_xexpr_free(els);
            return p->err->code ? p->err->code : pl_nomem(p);
        }
        ca[0] = c;
        ca[1] = nul;
        ca[2] = els;
        *out = lh_x_nary(LH_X_CASE, ca, 3, LH_XF_ELSE, e->type, p->err);
        return *out ? LH_OK : p->err->code;
    }
    return xcall_named(p, e, name, a, n, e->type, out);
}

static lh_rc xop(pl *p, const pl_scope *s, const lh_bexpr *e, lh_xexpr **out)
{
    lh_xexpr *a = NULL, *b = NULL, **v;
    lh_rc rc;
    static const char *const DT[] = {"$add", "$subtract", "$multiply", "$divide", "$modulus"};
    if ((rc = pl_xlate(p, s, e->args[0], &a)))
        return rc;
    if ((rc = pl_xlate(p, s, e->args[1], &b))) {
        lh_xexpr_free(a);
        return rc;
    }
    switch ((lh_binop)e->op) {
    case LH_BOP_ADD:
    case LH_BOP_SUB:
    case LH_BOP_MUL:
    case LH_BOP_DIV:
    case LH_BOP_MOD: {
        lh_sqltype ta = lh_xexpr_type(a), tb = lh_xexpr_type(b);
        if (lh_sqltype_is_numeric(ta) && lh_sqltype_is_numeric(tb) && lh_sqltype_is_numeric(e->type)) {
            *out = lh_x_arith((lh_arith_op)(e->op - LH_BOP_ADD), a, b, e->type, p->err);
            return *out ? LH_OK : p->err->code;
        }
        if (!(v = lh_calloc(2, sizeof *v))) {
            lh_xexpr_free(a);
            lh_xexpr_free(b);
            return pl_nomem(p);
        }
        v[0] = a;
        v[1] = b;
        return xcall_named(p, e, DT[e->op - LH_BOP_ADD], v, 2, e->type, out);
    }
    case LH_BOP_CONCAT:
        if (!(v = lh_calloc(2, sizeof *v))) {
            lh_xexpr_free(a);
            lh_xexpr_free(b);
            return pl_nomem(p);
        }
        v[0] = a;
        v[1] = b;
        return xcall_named(p, e, "concat", v, 2, e->type, out);
    case LH_BOP_EQ: *out = lh_x_cmp(LH_CMP_EQ, a, b, p->err); break;
    case LH_BOP_NE: *out = lh_x_cmp(LH_CMP_NE, a, b, p->err); break;
    case LH_BOP_LT: *out = lh_x_cmp(LH_CMP_LT, a, b, p->err); break;
    case LH_BOP_LE: *out = lh_x_cmp(LH_CMP_LE, a, b, p->err); break;
    case LH_BOP_GT: *out = lh_x_cmp(LH_CMP_GT, a, b, p->err); break;
    case LH_BOP_GE: *out = lh_x_cmp(LH_CMP_GE, a, b, p->err); break;
    case LH_BOP_DISTINCT:
        *out = lh_x_cmp(e->flags & BX_F_NOT ? LH_CMP_NOT_DISTINCT : LH_CMP_DISTINCT, a, b, p->err);
        break;
    default:
        lh_xexpr_free(a);
        lh_xexpr_free(b);
        return pl_err(p, e->pos, LH_EINTERNAL, "unknown operator %d", e->op);
    }
    return *out ? LH_OK : p->err->code;
}

static lh_rc xnamed1(pl *p, const pl_scope *s, const lh_bexpr *e, const char *name, lh_xexpr **out)
{
    lh_xexpr **a;
    size_t n;
    lh_rc rc = xargs(p, s, e, 0, &a, &n);
    if (rc)
        return rc;
    return xcall_named(p, e, name, a, n, e->type, out);
}


static lh_rc done1(pl *p, lh_xexpr *x, lh_xexpr **out)
{
    *out = x;
    return x ? LH_OK : p->err->code ? p->err->code : pl_nomem(p);
}

static lh_rc xnary(pl *p, const pl_scope *s, const lh_bexpr *e, lh_xkind k, unsigned flags, lh_xexpr **out)
{
    lh_xexpr **a;
    size_t n;
    lh_rc rc = xargs(p, s, e, 0, &a, &n);
    if (rc)
        return rc;
    *out = lh_x_nary(k, a, n, flags, e->type, p->err);
    lh_free(a);
    return done1(p, *out, out);
}

static lh_rc xbetween(pl *p, const pl_scope *s, const lh_bexpr *e, lh_xexpr **out)
{
    lh_xexpr *v1 = NULL, *v2 = NULL, *lo = NULL, *hi = NULL, *c[2], *x;
    lh_rc rc;
    if ((rc = pl_xlate(p, s, e->args[0], &v1)) || (rc = pl_xlate(p, s, e->args[0], &v2)) ||
        (rc = pl_xlate(p, s, e->args[1], &lo)) || (rc = pl_xlate(p, s, e->args[2], &hi))) {
        lh_xexpr_free(v1);
        lh_xexpr_free(v2);
        lh_xexpr_free(lo);
        return rc;
    }
    c[0] = lh_x_cmp(LH_CMP_GE, v1, lo, p->err);
    c[1] = lh_x_cmp(LH_CMP_LE, v2, hi, p->err);
    if (!c[0] || !c[1]) {
        lh_xexpr_free(c[0]);
        lh_xexpr_free(c[1]);
        return p->err->code ? p->err->code : pl_nomem(p);
    }
    x = lh_x_nary(LH_X_AND, c, 2, 0, lh_sqltype_of(LH_SQL_BOOLEAN), p->err);
    if (x && (e->flags & BX_F_NOT))
        x = lh_x_unary(LH_X_NOT, x, 0, p->err);
    return done1(p, x, out);
}

static lh_rc xlate_raw(pl *p, const pl_scope *s, const lh_bexpr *e, lh_xexpr **out)
{
    uint32_t i;
    lh_rc rc;
    lh_xexpr *a = NULL, *b = NULL, *c = NULL;
    *out = NULL;
    for (i = 0; i < s->nexprs; i++)
        if (pl_bexpr_eq(s->exprs[i], e))
            return done1(p, lh_x_col(s->epos[i], s->types[s->epos[i]], p->err), out);
    switch (e->kind) {
    case BX_COL:
        if (e->depth > 0)
            return pl_err(p, e->pos, LH_EUNSUPPORTED, "correlated subquery (reference to '%s') is not supported yet",
                          e->name ? e->name : "?");
        for (i = 0; i < s->ncols; i++)
            if (s->cols[i].rel == e->rel && s->cols[i].col == e->col)
                return done1(p, lh_x_col(i, s->types[i], p->err), out);
        return pl_err(p, e->pos, LH_EINTERNAL, "column '%s' (#%d.%d) is not in scope", e->name ? e->name : "?", e->rel,
                      e->col);
    case BX_OUTREF:
        if (!s->outrefs || e->col < 0 || (uint32_t)e->col >= s->ncols)
            return pl_err(p, e->pos, LH_EINTERNAL, "output reference %d out of scope", e->col);
        return done1(p, lh_x_col((uint32_t)e->col, s->types[e->col], p->err), out);
    case BX_LIT: return xlit(p, e, out);
    case BX_CAST:
        if (e->args[0]->kind == BX_LIT && e->args[0]->type.id == LH_SQL_UNKNOWN)
            return done1(p, lh_x_null(e->type, p->err), out);
        if ((rc = pl_xlate(p, s, e->args[0], &a)))
            return rc;
        if (lh_sqltype_equal(lh_xexpr_type(a), e->type)) {
            *out = a;
            return LH_OK;
        }
        return done1(p, lh_x_cast(a, e->type, (e->flags & BX_F_TRY) != 0, p->err), out);
    case BX_OP: return xop(p, s, e, out);
    case BX_NEG:
        if ((rc = pl_xlate(p, s, e->args[0], &a)))
            return rc;
        if (lh_sqltype_is_numeric(e->type))
            return done1(p, lh_x_neg(a, p->err), out);
        {
            lh_xexpr **v = lh_calloc(1, sizeof *v);
            if (!v) {
                lh_xexpr_free(a);
                return pl_nomem(p);
            }
            v[0] = a;
            return xcall_named(p, e, "$negate", v, 1, e->type, out);
        }
    case BX_AND: return xnary(p, s, e, LH_X_AND, 0, out);
    case BX_OR: return xnary(p, s, e, LH_X_OR, 0, out);
    case BX_NOT:
        if ((rc = pl_xlate(p, s, e->args[0], &a)))
            return rc;
        return done1(p, lh_x_unary(LH_X_NOT, a, 0, p->err), out);
    case BX_ISNULL:
        if ((rc = pl_xlate(p, s, e->args[0], &a)))
            return rc;
        return done1(p, lh_x_unary(LH_X_IS_NULL, a, e->flags & BX_F_NOT ? LH_XF_NOT : 0, p->err), out);
    case BX_BETWEEN: return xbetween(p, s, e, out);
    case BX_LIKE:
        if ((rc = pl_xlate(p, s, e->args[0], &a)))
            return rc;
        if ((rc = pl_xlate(p, s, e->args[1], &b))) {
            lh_xexpr_free(a);
            return rc;
        }
        if (e->nargs > 2 && (rc = pl_xlate(p, s, e->args[2], &c))) {
            lh_xexpr_free(a);
            lh_xexpr_free(b);
            return rc;
        }
        return done1(p, lh_x_like(a, b, c, e->flags & BX_F_NOT ? LH_XF_NOT : 0, p->err), out);
    case BX_INLIST: return xnary(p, s, e, LH_X_IN, e->flags & BX_F_NOT ? LH_XF_NOT : 0, out);
    case BX_CASE: return xnary(p, s, e, LH_X_CASE, e->flags & BX_F_ELSE ? LH_XF_ELSE : 0, out);
    case BX_CALL: return xcall(p, s, e, out);
    case BX_CURRENT: return xcurrent(p, e, out);
    case BX_EXTRACT: {
        char name[64];
        snprintf(name, sizeof name, "$extract_%s", e->name ? e->name : "");
        for (i = 0; name[i]; i++)
            if (name[i] >= 'A' && name[i] <= 'Z')
                name[i] = (char)(name[i] - 'A' + 'a');
        return xnamed1(p, s, e, name, out);
    }
    case BX_ATZONE: return xnamed1(p, s, e, "$at_timezone", out);
    case BX_SUBQ:
        if (e->sub->correlated)
            return pl_err(p, e->pos, LH_EUNSUPPORTED, "correlated scalar subquery is not supported yet");
        return pl_run_scalar(p, e, out);
    case BX_EXISTS:
        if (e->sub->correlated)
            return pl_err(p, e->pos, LH_EUNSUPPORTED, "correlated EXISTS outside a WHERE conjunct is not supported yet");
        return pl_run_exists(p, e, out);
    case BX_INQ:
        if (e->sub->correlated)
            return pl_err(p, e->pos, LH_EUNSUPPORTED, "correlated IN subquery is not supported yet");
        return pl_run_inlist(p, s, e, out);
    case BX_QUANT:
        if (e->sub->correlated)
            return pl_err(p, e->pos, LH_EUNSUPPORTED, "correlated quantified comparison is not supported yet");
        return pl_run_quantified(p, s, e, out);
    case BX_GROUPING:
        return pl_err(p, e->pos, LH_EUNSUPPORTED, "grouping() is not supported yet");
    }
    return pl_err(p, e->pos, LH_EINTERNAL, "unknown expression kind %d", (int)e->kind);
}


/* Evaluate a constant tree once (a one-row batch with no columns).  A
 * failure is not an error here: the tree stays as it is and fails only if
 * a row ever evaluates it (CASE WHEN false THEN 1 / 0 END is fine). */
static lh_xexpr *fold(pl *p, lh_xexpr *x)
{
    lh_batch *one = NULL;
    lh_vector *v = NULL;
    lh_xexpr *c = NULL;
    lh_err e2;
    lh_xexpr *y;
    lh_err_clear(&e2);
    if (!(y = lh_xexpr_clone(x, &e2)))
        return x;
    if (lh_batch_create(NULL, 0, 0, &one, &e2)) {
        lh_xexpr_free(y);
        return x;
    }
    one->n = 1;
    if (!lh_xexpr_prepare(y, NULL, 0, &p->env, &e2) && !lh_xexpr_eval(y, one, &v, &e2)) {
        if (!lh_vector_get_valid(v, 0))
            c = lh_x_null(lh_xexpr_type(x), &e2);
        else {
            lh_vector *flat = NULL;
            lh_arena ar;
            lh_arena_init(&ar, 0);
            if (!lh_vector_create(v->type, 1, &flat, &e2) && !lh_vector_copy_value(v, 0, flat, 0, &ar, &e2))
                c = lh_x_const(flat, &e2);
            lh_vector_free(flat);
            lh_arena_reset(&ar);
        }
    }
    lh_xexpr_free(y);
    lh_batch_free(one);
    if (!c)
        return x;
    lh_xexpr_free(x);
    return c;
}

lh_rc pl_xlate(pl *p, const pl_scope *s, const lh_bexpr *e, lh_xexpr **out)
{
    int outer = p->volatile_seen;
    lh_rc rc;
    p->volatile_seen = 0;
    rc = xlate_raw(p, s, e, out);
    if (!rc && !p->volatile_seen && e->kind != BX_LIT && e->kind != BX_COL && e->kind != BX_OUTREF &&
        lh_xexpr_kind(*out) != LH_X_CONST && lh_xexpr_kind(*out) != LH_X_COL && lh_xexpr_is_constant(*out))
        *out = fold(p, *out);
    p->volatile_seen |= outer;
    return rc;
}

/* ------------------------------------------------- subqueries, run once */

/* Run op to the end; hand each batch to fn. */
static lh_rc drain(pl *p, lh_op *op, lh_rc (*fn)(pl *p, lh_batch *b, void *ctx), void *ctx)
{
    lh_rc rc;
    lh_batch *b;
    for (;;) {
        if ((rc = lh_op_next(op, &b, p->err)))
            return rc;
        if (!b)
            return LH_OK;
        if ((rc = fn(p, b, ctx)))
            return rc;
    }
}

typedef struct scalar_acc {
    const lh_bexpr *e;
    uint64_t rows;
    lh_xexpr *val;
} scalar_acc;

static lh_rc scalar_batch(pl *p, lh_batch *b, void *ctx)
{
    scalar_acc *a = ctx;
    lh_rows r = lh_batch_rows(b);
    if (!r.n)
        return LH_OK;
    a->rows += r.n;
    if (a->rows > 1)
        return pl_err(p, a->e->pos, LH_EDATA, "Scalar sub-query has returned multiple rows");
    {
        uint32_t row = r.sel ? r.sel[0] : 0;
        lh_vector *v = b->cols[0], *one = NULL;
        lh_arena ar;
        lh_rc rc;
        lh_arena_init(&ar, 0);
        if ((rc = lh_vector_create(v->type, 1, &one, p->err)))
            return rc;
        rc = lh_vector_copy_value(v, row, one, 0, &ar, p->err);
        if (!rc && !lh_vector_is_valid(one, 0)) {
            lh_vector_free(one);
            lh_arena_reset(&ar);
            a->val = lh_x_null(a->e->type, p->err);
            return a->val ? LH_OK : p->err->code;
        }
        a->val = rc ? NULL : lh_x_const(one, p->err);
        lh_vector_free(one);
        lh_arena_reset(&ar);
        return rc ? rc : a->val ? LH_OK : p->err->code;
    }
}

lh_rc pl_run_scalar(pl *p, const lh_bexpr *e, lh_xexpr **out)
{
    lh_op *op = NULL;
    scalar_acc a;
    lh_rc rc;
    memset(&a, 0, sizeof a);
    a.e = e;
    if ((rc = pl_plan_query(p, e->sub, &op)))
        return rc;
    rc = drain(p, op, scalar_batch, &a);
    lh_op_free(op);
    if (rc) {
        lh_xexpr_free(a.val);
        return rc;
    }
    if (!a.val)
        return done1(p, lh_x_null(e->type, p->err), out);
    if (!lh_sqltype_equal(lh_xexpr_type(a.val), e->type))
        return done1(p, lh_x_cast(a.val, e->type, 0, p->err), out);
    *out = a.val;
    return LH_OK;
}

static lh_rc exists_batch(pl *p, lh_batch *b, void *ctx)
{
    (void)p;
    if (lh_batch_rows(b).n)
        *(int *)ctx = 1;
    return LH_OK;
}

lh_rc pl_run_exists(pl *p, const lh_bexpr *e, lh_xexpr **out)
{
    lh_op *op = NULL, *lim = NULL;
    int any = 0;
    lh_rc rc;
    lh_vector *v = NULL;
    if ((rc = pl_plan_query(p, e->sub, &op)))
        return rc;
    if ((rc = lh_op_limit(p->ectx, op, 0, 1, &lim, p->err))) {
        lh_op_free(op);
        return rc;
    }
    rc = drain(p, lim, exists_batch, &any);
    lh_op_free(lim);
    if (rc)
        return rc;
    if ((rc = lh_vector_create(lh_sqltype_of(LH_SQL_BOOLEAN), 1, &v, p->err)))
        return rc;
    lh_vector_set_bool(v, 0, any);
    *out = lh_x_const(v, p->err);
    lh_vector_free(v);
    return done1(p, *out, out);
}

typedef struct inlist_acc {
    const lh_bexpr *e;
    lh_xexpr **items;
    size_t n, cap;
} inlist_acc;

static lh_rc inlist_batch(pl *p, lh_batch *b, void *ctx)
{
    inlist_acc *a = ctx;
    lh_rows r = lh_batch_rows(b);
    uint32_t i;
    lh_arena ar;
    lh_rc rc = LH_OK;
    lh_vector *one = NULL;
    if (a->n + r.n > PL_INLIST_MAX)
        return pl_err(p, a->e->pos, LH_EUNSUPPORTED,
                      "IN (subquery) outside a WHERE conjunct with more than %d rows is not supported yet", PL_INLIST_MAX);
    if (a->n + r.n + 1 > a->cap) {
        size_t nc = (a->n + r.n + 1) * 2;
        lh_xexpr **ni = lh_realloc(a->items, nc * sizeof *ni);
        if (!ni)
            return pl_nomem(p);
        a->items = ni;
        a->cap = nc;
    }
    lh_arena_init(&ar, 0);
    if ((rc = lh_vector_create(b->cols[0]->type, 1, &one, p->err)))
        return rc;
    for (i = 0; i < r.n && !rc; i++) {
        uint32_t row = r.sel ? r.sel[i] : i;
        lh_xexpr *x;
        lh_vector_reset(one);
        if ((rc = lh_vector_copy_value(b->cols[0], row, one, 0, &ar, p->err)))
            break;
        x = lh_vector_is_valid(one, 0) ? lh_x_const(one, p->err) : lh_x_null(one->type, p->err);
        if (!x)
            rc = p->err->code ? p->err->code : pl_nomem(p);
        else
            a->items[a->n++] = x;
        lh_arena_reset(&ar);
    }
    lh_vector_free(one);
    lh_arena_reset(&ar);
    return rc;
}

lh_rc pl_run_inlist(pl *p, const pl_scope *s, const lh_bexpr *e, lh_xexpr **out)
{
    lh_op *op = NULL;
    inlist_acc a;
    lh_rc rc;
    lh_xexpr *v = NULL;
    memset(&a, 0, sizeof a);
    a.e = e;
    if ((rc = pl_xlate(p, s, e->args[0], &v)))
        return rc;
    if ((rc = pl_plan_query(p, e->sub, &op))) {
        lh_xexpr_free(v);
        return rc;
    }
    a.cap = 16;
    a.items = lh_calloc(a.cap, sizeof *a.items);
    if (!a.items)
        rc = pl_nomem(p);
    else {
        a.items[a.n++] = v;
        v = NULL;
        rc = drain(p, op, inlist_batch, &a);
    }
    lh_op_free(op);
    lh_xexpr_free(v);
    if (rc) {
        free_args(a.items, a.n);
        return rc;
    }
    if (a.n == 1) { /* empty subquery: x IN () is FALSE, NOT IN () TRUE (even for NULL x) */
        lh_vector *bv = NULL;
        free_args(a.items, a.n);
        if ((rc = lh_vector_create(lh_sqltype_of(LH_SQL_BOOLEAN), 1, &bv, p->err)))
            return rc;
        lh_vector_set_bool(bv, 0, (e->flags & BX_F_NOT) != 0);
        *out = lh_x_const(bv, p->err);
        lh_vector_free(bv);
        return done1(p, *out, out);
    }
    /* the subquery's column has the value's type after the analyzer's coercion */
    for (size_t i = 1; i < a.n; i++)
        if (!lh_sqltype_equal(lh_xexpr_type(a.items[i]), lh_xexpr_type(a.items[0]))) {
            a.items[i] = lh_x_cast(a.items[i], lh_xexpr_type(a.items[0]), 0, p->err);
            if (!a.items[i]) {
                free_args(a.items, a.n);
                return p->err->code ? p->err->code : pl_nomem(p);
            }
        }
    *out = lh_x_nary(LH_X_IN, a.items, a.n, e->flags & BX_F_NOT ? LH_XF_NOT : 0, lh_sqltype_of(LH_SQL_BOOLEAN), p->err);
    lh_free(a.items);
    return done1(p, *out, out);
}

/* x op ANY|SOME|ALL (subquery), uncorrelated: the subquery's values, then
 * an OR (ANY) or AND (ALL) of comparisons, which is exactly SQL's
 * three-valued rule; no values: ANY is false, ALL is true. */
#define PL_QUANT_MAX 10000
lh_rc pl_run_quantified(pl *p, const pl_scope *s, const lh_bexpr *e, lh_xexpr **out)
{
    lh_op *op = NULL;
    inlist_acc a;
    lh_rc rc;
    lh_xexpr *left = NULL, **terms = NULL;
    size_t i, n;
    lh_cmp_op cop;
    int all = e->quant == LH_QUANT_ALL;
    lh_op_sig sig;
    switch ((lh_binop)e->op) {
    case LH_BOP_EQ: cop = LH_CMP_EQ; break;
    case LH_BOP_NE: cop = LH_CMP_NE; break;
    case LH_BOP_LT: cop = LH_CMP_LT; break;
    case LH_BOP_LE: cop = LH_CMP_LE; break;
    case LH_BOP_GT: cop = LH_CMP_GT; break;
    case LH_BOP_GE: cop = LH_CMP_GE; break;
    default: return pl_err(p, e->pos, LH_EINTERNAL, "quantified comparison with operator %d", e->op);
    }
    memset(&a, 0, sizeof a);
    a.e = e;
    if ((rc = pl_xlate(p, s, e->args[0], &left)))
        return rc;
    if ((rc = pl_plan_query(p, e->sub, &op))) {
        lh_xexpr_free(left);
        return rc;
    }
    rc = drain(p, op, inlist_batch, &a);
    lh_op_free(op);
    if (!rc && a.n > PL_QUANT_MAX)
        rc = pl_err(p, e->pos, LH_EUNSUPPORTED, "quantified comparison over more than %d rows is not supported yet",
                    PL_QUANT_MAX);
    if (!rc && (rc = lh_op_resolve((lh_binop)e->op, lh_xexpr_type(left), e->sub->cols[0].type, &sig, p->err)))
        rc = pl_err(p, e->pos, rc, "%s", p->err->msg);
    if (rc) {
        lh_xexpr_free(left);
        free_args(a.items, a.n);
        return rc;
    }
    n = a.n;
    if (!n) {
        lh_vector *bv = NULL;
        lh_xexpr_free(left);
        free_args(a.items, a.n);
        if ((rc = lh_vector_create(lh_sqltype_of(LH_SQL_BOOLEAN), 1, &bv, p->err)))
            return rc;
        lh_vector_set_bool(bv, 0, all);
        *out = lh_x_const(bv, p->err);
        lh_vector_free(bv);
        return done1(p, *out, out);
    }
    terms = lh_calloc(n, sizeof *terms);
    if (!terms) {
        lh_xexpr_free(left);
        free_args(a.items, a.n);
        return pl_nomem(p);
    }
    for (i = 0; i < n && !rc; i++) {
        lh_xexpr *l = lh_xexpr_clone(left, p->err), *r = a.items[i];
        a.items[i] = NULL;
        if (l && !lh_sqltype_equal(lh_xexpr_type(l), sig.left))
            l = lh_x_cast(l, sig.left, 0, p->err);
        if (r && !lh_sqltype_equal(lh_xexpr_type(r), sig.right))
            r = lh_x_cast(r, sig.right, 0, p->err);
        if (!l || !r) {
            lh_xexpr_free(l);
            lh_xexpr_free(r);
            rc = p->err->code ? p->err->code : pl_nomem(p);
            break;
        }
        if (!(terms[i] = lh_x_cmp(cop, l, r, p->err)))
            rc = p->err->code ? p->err->code : pl_nomem(p);
    }
    lh_xexpr_free(left);
    free_args(a.items, a.n);
    if (rc) {
        free_args(terms, n);
        return rc;
    }
    if (n == 1) {
        *out = terms[0];
        lh_free(terms);
        return LH_OK;
    }
    *out = lh_x_nary(all ? LH_X_AND : LH_X_OR, terms, n, 0, lh_sqltype_of(LH_SQL_BOOLEAN), p->err);
    lh_free(terms);
    return done1(p, *out, out);
}
