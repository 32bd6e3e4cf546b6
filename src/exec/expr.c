/* exec/expr.c — building, copying, preparing and printing executable
 * expressions (see expr.h; evaluation is in expr_eval.c, the node layout
 * in expr_int.h).
 *
 * Constructors take ownership of their arguments also when they fail, so
 * a planner can chain them and test the result once.  prepare allocates
 * every buffer evaluation needs (result vectors, selection scratch, the
 * IN hash set, compiled constant LIKE patterns, function state), so that
 * evaluation itself allocates only strings in the tree's arena.
 */
#include "exec/expr_int.h"

#include <stdio.h>
#include <string.h>

#include "exec/hash.h"

static lh_rc nomem(lh_err *err) { return lh_errf(err, LH_ENOMEM, "out of memory building an expression"); }

static lh_xexpr *node_new(lh_xkind kind, lh_sqltype type, lh_err *err)
{
    lh_xexpr *e = lh_calloc(1, sizeof *e);
    if (!e) {
        nomem(err);
        return NULL;
    }
    e->kind = kind;
    e->type = type;
    e->col = UINT32_MAX;
    lh_arena_init_small(&e->carena, 64); /* a constant's bytes: IN lists hold thousands */
    return e;
}

static void unprepare(lh_xexpr *e);

void lh_xexpr_free(lh_xexpr *e)
{
    size_t i;
    if (!e)
        return;
    unprepare(e);
    for (i = 0; i < e->nargs; i++)
        lh_xexpr_free(e->args[i]);
    lh_free(e->args);
    lh_vector_free(e->cval);
    lh_arena_free(&e->carena);
    lh_free(e->arg_types);
    lh_free(e);
}

static void free_args(lh_xexpr **args, size_t n)
{
    size_t i;
    for (i = 0; args && i < n; i++)
        lh_xexpr_free(args[i]);
}

/* A node with n arguments (copied from args; all freed on failure). */
static lh_xexpr *node_args(lh_xkind kind, lh_sqltype type, lh_xexpr **args, size_t n, lh_err *err)
{
    lh_xexpr *e;
    size_t i;
    for (i = 0; i < n; i++)
        if (!args[i]) {
            /* a failed constructor below already said why (chains check
             * once, at the top); otherwise the request is malformed */
            free_args(args, n);
            if (!err || (int)err->code <= LH_OK || (int)err->code > LH_ENOSPC)
                lh_errf(err, LH_EINVAL, "expression argument %zu is missing", i);
            return NULL;
        }
    e = node_new(kind, type, err);
    if (!e) {
        free_args(args, n);
        return NULL;
    }
    if (n) {
        e->args = lh_malloc(n * sizeof *e->args);
        if (!e->args) {
            free_args(args, n);
            lh_free(e);
            nomem(err);
            return NULL;
        }
        memcpy(e->args, args, n * sizeof *e->args);
    }
    e->nargs = n;
    return e;
}

lh_xexpr *lh_x_col(uint32_t col, lh_sqltype type, lh_err *err)
{
    lh_xexpr *e = node_new(LH_X_COL, type, err);
    if (e)
        e->col = col;
    return e;
}

static lh_xexpr *const_of(const lh_vector *v, uint32_t row, int is_null, lh_sqltype type, lh_err *err)
{
    lh_xexpr *e = node_new(LH_X_CONST, type, err);
    lh_rc rc;
    if (!e)
        return NULL;
    if ((rc = lh_vector_create(type, 1, &e->cval, err))) {
        lh_xexpr_free(e);
        return NULL;
    }
    lh_vector_set_const(e->cval, 1);
    if (!is_null && v) {
        if ((rc = lh_vector_copy_value(v, row, e->cval, 0, &e->carena, err))) {
            lh_xexpr_free(e);
            return NULL;
        }
    }
    return e;
}

lh_xexpr *lh_x_const(const lh_vector *v, lh_err *err)
{
    if (!v) {
        lh_errf(err, LH_EINVAL, "constant expression without a value");
        return NULL;
    }
    return const_of(v, 0, !lh_vector_get_valid(v, 0), v->type, err);
}

lh_xexpr *lh_x_null(lh_sqltype type, lh_err *err) { return const_of(NULL, 0, 1, type, err); }

lh_xexpr *lh_x_cast(lh_xexpr *a, lh_sqltype to, int try_, lh_err *err)
{
    lh_xexpr *e = node_args(LH_X_CAST, to, &a, 1, err);
    if (e && try_)
        e->flags |= LH_XF_TRY;
    return e;
}

lh_xexpr *lh_x_arith(lh_arith_op op, lh_xexpr *a, lh_xexpr *b, lh_sqltype type, lh_err *err)
{
    lh_xexpr *args[2] = {a, b}, *e;
    if ((unsigned)op > LH_OP_MOD) {
        free_args(args, 2);
        lh_errf(err, LH_EINVAL, "unknown arithmetic operator %d", (int)op);
        return NULL;
    }
    e = node_args(LH_X_ARITH, type, args, 2, err);
    if (e)
        e->op = (int)op;
    return e;
}

lh_xexpr *lh_x_neg(lh_xexpr *a, lh_err *err)
{
    return node_args(LH_X_NEG, a ? a->type : lh_sqltype_of(LH_SQL_UNKNOWN), &a, 1, err);
}

lh_xexpr *lh_x_cmp(lh_cmp_op op, lh_xexpr *a, lh_xexpr *b, lh_err *err)
{
    lh_xexpr *args[2] = {a, b}, *e;
    if ((unsigned)op > LH_CMP_NOT_DISTINCT) {
        free_args(args, 2);
        lh_errf(err, LH_EINVAL, "unknown comparison operator %d", (int)op);
        return NULL;
    }
    e = node_args(LH_X_CMP, lh_sqltype_of(LH_SQL_BOOLEAN), args, 2, err);
    if (e)
        e->op = (int)op;
    return e;
}

lh_xexpr *lh_x_nary(lh_xkind kind, lh_xexpr **args, size_t n, unsigned flags, lh_sqltype type, lh_err *err)
{
    lh_xexpr *e;
    const char *bad = NULL;
    switch (kind) {
    case LH_X_AND:
    case LH_X_OR:
        if (n < 2)
            bad = "AND/OR need at least 2 arguments";
        type = lh_sqltype_of(LH_SQL_BOOLEAN);
        break;
    case LH_X_IN:
        if (n < 2)
            bad = "IN needs a value and at least one item";
        type = lh_sqltype_of(LH_SQL_BOOLEAN);
        break;
    case LH_X_CASE:
        if (n < 2 || ((flags & LH_XF_ELSE) ? n % 2 != 1 : n % 2 != 0))
            bad = "CASE needs WHEN/THEN pairs and at most one ELSE";
        break;
    case LH_X_COALESCE:
        if (n < 1)
            bad = "COALESCE needs at least one argument";
        break;
    default:
        bad = "lh_x_nary: not an n-ary expression kind (use lh_x_call for functions)";
        break;
    }
    if (bad || !args) {
        free_args(args, n);
        lh_errf(err, LH_EINVAL, "%s", bad ? bad : "missing arguments");
        return NULL;
    }
    e = node_args(kind, type, args, n, err);
    if (e)
        e->flags = flags & (LH_XF_NOT | LH_XF_ELSE);
    return e;
}

lh_xexpr *lh_x_unary(lh_xkind kind, lh_xexpr *a, unsigned flags, lh_err *err)
{
    lh_xexpr *e;
    lh_sqltype t;
    if (kind == LH_X_NOT || kind == LH_X_IS_NULL) {
        t = lh_sqltype_of(LH_SQL_BOOLEAN);
    } else if (kind == LH_X_TRY) {
        t = a ? a->type : lh_sqltype_of(LH_SQL_UNKNOWN); /* NULL a: node_args reports */
    } else {
        lh_xexpr_free(a);
        lh_errf(err, LH_EINVAL, "lh_x_unary: not a unary expression kind");
        return NULL;
    }
    e = node_args(kind, t, &a, 1, err);
    if (e)
        e->flags = kind == LH_X_IS_NULL ? (flags & LH_XF_NOT) : 0;
    return e;
}

lh_xexpr *lh_x_like(lh_xexpr *s, lh_xexpr *pattern, lh_xexpr *escape, unsigned flags, lh_err *err)
{
    lh_xexpr *args[3] = {s, pattern, escape}, *e;
    e = node_args(LH_X_LIKE, lh_sqltype_of(LH_SQL_BOOLEAN), args, escape ? 3 : 2, err);
    if (e)
        e->flags = flags & LH_XF_NOT;
    return e;
}

lh_xexpr *lh_x_call(const lh_scalar_impl *impl, lh_xexpr **args, size_t n, lh_sqltype ret, lh_err *err)
{
    lh_xexpr *e;
    size_t i;
    if (!impl || !impl->eval || (n && !args)) {
        free_args(args, n);
        lh_errf(err, LH_EINVAL, "function call without an implementation");
        return NULL;
    }
    e = node_args(LH_X_CALL, ret, args, n, err);
    if (!e)
        return NULL;
    e->impl = impl;
    e->arg_types = lh_malloc((n ? n : 1) * sizeof *e->arg_types);
    if (!e->arg_types) {
        lh_xexpr_free(e);
        nomem(err);
        return NULL;
    }
    for (i = 0; i < n; i++)
        e->arg_types[i] = e->args[i]->type;
    return e;
}

lh_xkind lh_xexpr_kind(const lh_xexpr *e) { return e->kind; }
lh_sqltype lh_xexpr_type(const lh_xexpr *e) { return e->type; }
uint32_t lh_xexpr_col(const lh_xexpr *e) { return e->kind == LH_X_COL ? e->col : UINT32_MAX; }

int lh_xexpr_is_constant(const lh_xexpr *e)
{
    size_t i;
    if (e->kind == LH_X_COL)
        return 0;
    for (i = 0; i < e->nargs; i++)
        if (!lh_xexpr_is_constant(e->args[i]))
            return 0;
    return 1;
}

lh_xexpr *lh_xexpr_clone(const lh_xexpr *e, lh_err *err)
{
    lh_xexpr *c, **args = NULL;
    size_t i;
    if (e->kind == LH_X_COL)
        return lh_x_col(e->col, e->type, err);
    if (e->kind == LH_X_CONST)
        return const_of(e->cval, 0, !lh_vector_is_valid(e->cval, 0), e->type, err);
    if (e->nargs) {
        args = lh_calloc(e->nargs, sizeof *args);
        if (!args) {
            nomem(err);
            return NULL;
        }
        for (i = 0; i < e->nargs; i++) {
            args[i] = lh_xexpr_clone(e->args[i], err);
            if (!args[i]) {
                free_args(args, i);
                lh_free(args);
                return NULL;
            }
        }
    }
    if (e->kind == LH_X_CALL) {
        c = lh_x_call(e->impl, args, e->nargs, e->type, err);
    } else {
        c = node_args(e->kind, e->type, args, e->nargs, err);
        if (c) {
            c->flags = e->flags;
            c->op = e->op;
        }
    }
    lh_free(args);
    return c;
}

/* ---- prepare ---- */

static void unprepare(lh_xexpr *e)
{
    int i;
    if (!e->prepared)
        return;
    if (e->call_inited && e->impl->done)
        e->impl->done(&e->call);
    e->call_inited = 0;
    memset(&e->call, 0, sizeof e->call);
    lh_free(e->argv);
    e->argv = NULL;
    lh_vector_free(e->out);
    e->out = NULL;
    for (i = 0; i < 3; i++) {
        lh_free(e->sel[i]);
        e->sel[i] = NULL;
    }
    lh_like_free(e->like);
    e->like = NULL;
    lh_free(e->last_pat);
    e->last_pat = NULL;
    e->last_pat_n = e->last_esc_n = e->last_cap = 0;
    e->like_const = e->like_null = 0;
    if (e->inset) {
        lh_vector_free(e->inset->vals);
        lh_free(e->inset->slots);
        lh_free(e->inset->hashes);
        lh_free(e->inset);
        e->inset = NULL;
    }
    if (e->own_arena)
        lh_arena_free(&e->arena_store);
    e->own_arena = 0;
    e->arena = NULL;
    e->env = NULL;
    e->prepared = 0;
}

static int nsel_of(const lh_xexpr *e)
{
    switch (e->kind) {
    case LH_X_CASE:
        return 3;
    case LH_X_COALESCE:
    case LH_X_AND:
    case LH_X_OR:
    case LH_X_IN:
        return 2;
    default:
        return 0;
    }
}

/* The hash set of a constant IN list (items 1..n-1 all LH_X_CONST). */
static lh_rc build_inset(lh_xexpr *e, lh_err *err)
{
    lh_xinset *s;
    size_t n = e->nargs - 1, i, cap = 16;
    lh_rc rc;
    uint64_t *h = NULL;
    lh_rows rows;
    if (n > (1u << 22))
        return lh_errf(err, LH_ELIMIT, "IN list of %zu items exceeds the limit of %u", n, 1u << 22);
    s = lh_calloc(1, sizeof *s);
    if (!s)
        return nomem(err);
    e->inset = s;
    s->hashes = lh_malloc(LH_BATCH * sizeof *s->hashes);
    if (!s->hashes)
        return nomem(err);
    if ((rc = lh_vector_create(e->args[0]->type, (uint32_t)n, &s->vals, err)))
        return rc;
    for (i = 0; i < n; i++) {
        const lh_vector *c = e->args[i + 1]->cval;
        if (!lh_vector_is_valid(c, 0)) {
            s->has_null = 1;
            continue;
        }
        if (c->phys != s->vals->phys)
            return lh_errf(err, LH_EINTERNAL, "IN item %zu has another layout than the value", i + 1);
        memcpy((char *)s->vals->data + (size_t)s->nvals * s->vals->width, c->data, s->vals->width);
        s->nvals++;
    }
    while (cap < (size_t)s->nvals * 2)
        cap <<= 1;
    s->mask = (uint32_t)cap - 1;
    s->slots = lh_calloc(cap, sizeof *s->slots);
    h = lh_malloc((s->nvals ? s->nvals : 1) * sizeof *h);
    if (!s->slots || !h) {
        lh_free(h);
        return nomem(err);
    }
    rows.sel = NULL;
    rows.n = s->nvals;
    if ((rc = lh_hash_columns(&s->vals, 1, rows, h, err))) {
        lh_free(h);
        return rc;
    }
    for (i = 0; i < s->nvals; i++) {
        uint32_t k = (uint32_t)h[i] & s->mask;
        int dup = 0;
        while (s->slots[k]) {
            if (lh_x_value_eq(s->vals, s->slots[k] - 1, s->vals, (uint32_t)i)) {
                dup = 1;
                break;
            }
            k = (k + 1) & s->mask;
        }
        if (!dup)
            s->slots[k] = (uint32_t)i + 1;
    }
    lh_free(h);
    return LH_OK;
}

static int phys_is(const lh_xexpr *a, lh_phys p) { return lh_phys_of(a->type) == p; }

/* The layouts the evaluator copies between must agree (the planner's
 * coercions make them so; a mismatch is a planner bug, never a guess). */
static lh_rc check_layouts(const lh_xexpr *e, lh_err *err)
{
    lh_phys me = lh_phys_of(e->type), b = LH_P_U8;
    size_t i;
    const char *what = NULL;
    switch (e->kind) {
    case LH_X_AND:
    case LH_X_OR:
    case LH_X_NOT:
        for (i = 0; i < e->nargs && !what; i++)
            if (!phys_is(e->args[i], b) && e->args[i]->type.id != LH_SQL_UNKNOWN)
                what = "a logical operator's argument is not boolean";
        break;
    case LH_X_CASE:
        for (i = 0; i + 1 < e->nargs && !what; i += 2) {
            if (!phys_is(e->args[i], b) && e->args[i]->type.id != LH_SQL_UNKNOWN)
                what = "a WHEN condition is not boolean";
            else if (!phys_is(e->args[i + 1], me))
                what = "a THEN value has another type than the CASE";
        }
        if (!what && (e->flags & LH_XF_ELSE) && !phys_is(e->args[e->nargs - 1], me))
            what = "the ELSE value has another type than the CASE";
        break;
    case LH_X_COALESCE:
        for (i = 0; i < e->nargs && !what; i++)
            if (!phys_is(e->args[i], me))
                what = "a COALESCE argument has another type than the result";
        break;
    case LH_X_TRY:
        if (!phys_is(e->args[0], me))
            what = "try() has another type than its argument";
        break;
    case LH_X_IN:
        for (i = 1; i < e->nargs && !what; i++)
            if (e->args[i]->type.id != LH_SQL_UNKNOWN && e->args[i]->type.id != e->args[0]->type.id)
                what = "an IN item has another type than the value";
        break;
    case LH_X_LIKE:
        for (i = 0; i < e->nargs && !what; i++)
            if (!phys_is(e->args[i], LH_P_STR) && e->args[i]->type.id != LH_SQL_UNKNOWN)
                what = "LIKE on a value that is not a string";
        break;
    default:
        break;
    }
    return what ? lh_errf(err, LH_EINTERNAL, "%s", what) : LH_OK;
}

static lh_rc prepare_rec(lh_xexpr *e, const lh_sqltype *in_types, uint32_t ncols, const lh_xenv *env,
                         lh_arena *arena, lh_err *err)
{
    size_t i;
    int k;
    lh_rc rc;
    e->prepared = 1;
    e->arena = arena;
    e->env = env;
    for (i = 0; i < e->nargs; i++)
        if ((rc = prepare_rec(e->args[i], in_types, ncols, env, arena, err)))
            return rc;
    if (e->kind == LH_X_COL) {
        char a[LH_SQLTYPE_NAME_MAX], b[LH_SQLTYPE_NAME_MAX];
        if (e->col >= ncols)
            return lh_errf(err, LH_EINTERNAL, "expression reads column #%u of an input of %u columns", e->col,
                           ncols);
        if (in_types[e->col].id != e->type.id || lh_phys_of(in_types[e->col]) != lh_phys_of(e->type))
            return lh_errf(err, LH_EINTERNAL, "expression reads column #%u as %s, but the input has %s", e->col,
                           lh_sqltype_name(e->type, a, sizeof a), lh_sqltype_name(in_types[e->col], b, sizeof b));
        return LH_OK;
    }
    if (e->kind == LH_X_CONST)
        return LH_OK;
    if ((rc = check_layouts(e, err)))
        return rc;
    if ((rc = lh_vector_create(e->type, LH_BATCH, &e->out, err)))
        return rc;
    for (k = 0; k < nsel_of(e); k++) {
        e->sel[k] = lh_malloc(LH_BATCH * sizeof(uint16_t));
        if (!e->sel[k])
            return nomem(err);
    }
    switch (e->kind) {
    case LH_X_LIKE: {
        lh_xexpr *p = e->args[1], *x = e->nargs > 2 ? e->args[2] : NULL;
        if (p->kind == LH_X_CONST && (!x || x->kind == LH_X_CONST)) {
            e->like_const = 1;
            if (!lh_vector_is_valid(p->cval, 0) || (x && !lh_vector_is_valid(x->cval, 0))) {
                e->like_null = 1;
            } else {
                lh_str ps = lh_vector_get_str(p->cval, 0), xs;
                if (x)
                    xs = lh_vector_get_str(x->cval, 0);
                if ((rc = lh_like_compile(lh_str_ptr(&ps), lh_str_len(&ps), x ? lh_str_ptr(&xs) : NULL,
                                          x ? lh_str_len(&xs) : 0, &e->like, err)))
                    return rc;
            }
        }
        break;
    }
    case LH_X_IN: {
        /* a hash set when every item is a constant of exactly the value's
         * layout (decimals: its scale too) */
        int all_const = e->nargs - 1 >= LH_X_INSET_MIN;
        lh_sqltype t0 = e->args[0]->type;
        for (i = 1; all_const && i < e->nargs; i++) {
            lh_sqltype ti = e->args[i]->type;
            all_const = e->args[i]->kind == LH_X_CONST &&
                        (ti.id == LH_SQL_UNKNOWN ? !lh_vector_is_valid(e->args[i]->cval, 0)
                                                 : ti.id == t0.id && lh_phys_of(ti) == lh_phys_of(t0) &&
                                                       (t0.id != LH_SQL_DECIMAL || ti.s == t0.s));
        }
        if (all_const && (rc = build_inset(e, err)))
            return rc;
        break;
    }
    case LH_X_CALL: {
        lh_vector **cargs;
        e->argv = lh_calloc(e->nargs ? e->nargs * 2 : 1, sizeof *e->argv);
        if (!e->argv)
            return nomem(err);
        cargs = e->argv + e->nargs;
        for (i = 0; i < e->nargs; i++)
            cargs[i] = e->args[i]->kind == LH_X_CONST ? e->args[i]->cval : NULL;
        e->call.arg_types = e->arg_types;
        e->call.nargs = e->nargs;
        e->call.ret = e->type;
        e->call.arena = arena;
        e->call.env = env;
        e->call.state = NULL;
        if (e->impl->init) {
            if ((rc = e->impl->init(&e->call, cargs, err)))
                return rc;
        }
        e->call_inited = 1;
        break;
    }
    default:
        break;
    }
    return LH_OK;
}

static void unprepare_tree(lh_xexpr *e)
{
    size_t i;
    for (i = 0; i < e->nargs; i++)
        unprepare_tree(e->args[i]);
    unprepare(e);
}

lh_rc lh_xexpr_prepare(lh_xexpr *e, const lh_sqltype *in_types, uint32_t ncols, const lh_xenv *env, lh_err *err)
{
    lh_rc rc;
    unprepare_tree(e);
    lh_arena_init(&e->arena_store, LH_X_ARENA_CAP);
    rc = prepare_rec(e, in_types, ncols, env, &e->arena_store, err);
    e->own_arena = 1;
    if (rc)
        unprepare_tree(e); /* every buffer released: the tree is as before */
    return rc;
}

lh_rc lh_xexpr_eval_rows(lh_xexpr *e, lh_batch *in, lh_rows rows, lh_vector **out, lh_err *err)
{
    if (!e->prepared)
        return lh_errf(err, LH_EINTERNAL, "expression evaluated before lh_xexpr_prepare");
    if (e->own_arena && e->arena_store.used_total)
        lh_arena_reset(&e->arena_store);
    return lh_x_eval_node(e, in, rows, out, err);
}

lh_rc lh_xexpr_eval(lh_xexpr *e, lh_batch *in, lh_vector **out, lh_err *err)
{
    return lh_xexpr_eval_rows(e, in, lh_batch_rows(in), out, err);
}

/* ---- format ---- */

static const char *arith_sym(int op)
{
    static const char *const s[] = {"+", "-", "*", "/", "%"};
    return (unsigned)op <= LH_OP_MOD ? s[op] : "?";
}

static const char *cmp_sym(int op)
{
    static const char *const s[] = {"=", "<>", "<", "<=", ">", ">=", "IS DISTINCT FROM", "IS NOT DISTINCT FROM"};
    return (unsigned)op <= LH_CMP_NOT_DISTINCT ? s[op] : "?";
}

static lh_rc put_quoted(lh_buf *out, const char *p, size_t n, lh_err *err)
{
    lh_rc rc;
    size_t i;
    if ((rc = lh_buf_putc(out, '\'', err)))
        return rc;
    for (i = 0; i < n; i++) {
        if (p[i] == '\'' && (rc = lh_buf_putc(out, '\'', err)))
            return rc;
        if ((rc = lh_buf_putc(out, p[i], err)))
            return rc;
    }
    return lh_buf_putc(out, '\'', err);
}

static lh_rc format_const(const lh_xexpr *e, lh_buf *out, lh_err *err)
{
    const lh_vector *v = e->cval;
    char tn[LH_SQLTYPE_NAME_MAX], cn[LH_SQLTYPE_NAME_MAX];
    lh_rc rc;
    if (!lh_vector_is_valid(v, 0)) {
        if (e->type.id == LH_SQL_UNKNOWN)
            return lh_buf_puts(out, "NULL", err);
        return lh_buf_printf(out, err, "CAST(NULL AS %s)", lh_sqltype_name(e->type, tn, sizeof tn));
    }
    switch ((lh_sqltype_id)e->type.id) {
    case LH_SQL_BOOLEAN:
        return lh_buf_puts(out, lh_vector_get_i64(v, 0) ? "true" : "false", err);
    case LH_SQL_INTEGER:
        return lh_buf_printf(out, err, "%lld", (long long)lh_vector_get_i64(v, 0));
    case LH_SQL_TINYINT:
    case LH_SQL_SMALLINT:
    case LH_SQL_BIGINT:
        return lh_buf_printf(out, err, "%s '%lld'", lh_sqltype_cast_name(e->type, cn, sizeof cn),
                             (long long)lh_vector_get_i64(v, 0));
    case LH_SQL_DOUBLE: {
        char b[LH_DOUBLE_FMT_MAX];
        double d = lh_vector_get_f64(v, 0);
        if (d != d)
            return lh_buf_puts(out, "nan()", err);
        if (d == 1.0 / 0.0 || d == -1.0 / 0.0)
            return lh_buf_puts(out, d > 0 ? "infinity()" : "-infinity()", err);
        b[lh_double_format(d, b)] = 0;
        return lh_buf_puts(out, b, err);
    }
    case LH_SQL_REAL: {
        char b[LH_DOUBLE_FMT_MAX];
        b[lh_real_format((float)lh_vector_get_f64(v, 0), b)] = 0;
        return lh_buf_printf(out, err, "REAL '%s'", b);
    }
    case LH_SQL_DECIMAL: {
        char b[LH_DEC_FMT_MAX];
        b[lh_dec_format(lh_vector_get_i128(v, 0), e->type.s, b)] = 0;
        return lh_buf_printf(out, err, "DECIMAL '%s'", b);
    }
    case LH_SQL_VARCHAR:
    case LH_SQL_CHAR: {
        lh_str s = lh_vector_get_str(v, 0);
        if (e->type.id == LH_SQL_CHAR && (rc = lh_buf_puts(out, "CHAR ", err)))
            return rc;
        return put_quoted(out, lh_str_ptr(&s), lh_str_len(&s), err);
    }
    case LH_SQL_VARBINARY: {
        lh_str s = lh_vector_get_str(v, 0);
        const unsigned char *p = (const unsigned char *)lh_str_ptr(&s);
        uint32_t i;
        if ((rc = lh_buf_puts(out, "X'", err)))
            return rc;
        for (i = 0; i < lh_str_len(&s); i++)
            if ((rc = lh_buf_printf(out, err, "%02x", p[i])))
                return rc;
        return lh_buf_putc(out, '\'', err);
    }
    default: {
        /* dates, times, timestamps, intervals: their text, as a typed literal */
        lh_vector *tv = NULL, *src = NULL;
        lh_arena a;
        lh_rows one = {NULL, 1};
        lh_str s;
        lh_arena_init(&a, 1 << 16);
        if ((rc = lh_vector_create(lh_sqltype_varchar(LH_SQL_UNBOUNDED), 1, &tv, err)) ||
            (rc = lh_vector_create(e->type, 1, &src, err)) ||
            (rc = lh_vector_copy_value(v, 0, src, 0, NULL, err)) || (rc = lh_k_cast(src, tv, one, &a, err)))
            goto done;
        s = lh_vector_get_str(tv, 0);
        lh_sqltype_cast_name(e->type, cn, sizeof cn);
        if (e->type.id == LH_SQL_TIMESTAMP)
            snprintf(cn, sizeof cn, "TIMESTAMP");
        else if (e->type.id == LH_SQL_TIMESTAMP_TZ)
            snprintf(cn, sizeof cn, "TIMESTAMP");
        else if (e->type.id == LH_SQL_TIME)
            snprintf(cn, sizeof cn, "TIME");
        if ((rc = lh_buf_printf(out, err, "%s ", cn)))
            goto done;
        rc = put_quoted(out, lh_str_ptr(&s), lh_str_len(&s), err);
    done:
        lh_vector_free(tv);
        lh_vector_free(src);
        lh_arena_free(&a);
        if (rc == LH_EUNSUPPORTED) /* no text for the type yet */
            return lh_buf_printf(out, err, "<%s constant>", lh_sqltype_name(e->type, tn, sizeof tn));
        return rc;
    }
    }
}

static lh_rc format_list(const lh_xexpr *e, size_t from, const char *sep, lh_buf *out, lh_err *err)
{
    size_t i;
    lh_rc rc;
    for (i = from; i < e->nargs; i++) {
        if (i > from && (rc = lh_buf_puts(out, sep, err)))
            return rc;
        if ((rc = lh_xexpr_format(e->args[i], out, err)))
            return rc;
    }
    return LH_OK;
}

lh_rc lh_xexpr_format(const lh_xexpr *e, lh_buf *out, lh_err *err)
{
    lh_rc rc;
    char tn[LH_SQLTYPE_NAME_MAX];
    size_t i;
#define P(s)                                                                                                           \
    do {                                                                                                               \
        if ((rc = lh_buf_puts(out, (s), err)))                                                                         \
            return rc;                                                                                                 \
    } while (0)
#define F(x)                                                                                                           \
    do {                                                                                                               \
        if ((rc = lh_xexpr_format((x), out, err)))                                                                     \
            return rc;                                                                                                 \
    } while (0)
    switch (e->kind) {
    case LH_X_COL:
        return lh_buf_printf(out, err, "#%u", e->col);
    case LH_X_CONST:
        return format_const(e, out, err);
    case LH_X_CAST:
        P((e->flags & LH_XF_TRY) ? "TRY_CAST(" : "CAST(");
        F(e->args[0]);
        return lh_buf_printf(out, err, " AS %s)", lh_sqltype_name(e->type, tn, sizeof tn));
    case LH_X_ARITH:
    case LH_X_CMP:
        P("(");
        F(e->args[0]);
        if ((rc = lh_buf_printf(out, err, " %s ", e->kind == LH_X_ARITH ? arith_sym(e->op) : cmp_sym(e->op))))
            return rc;
        F(e->args[1]);
        return lh_buf_putc(out, ')', err);
    case LH_X_NEG:
        P("(- ");
        F(e->args[0]);
        return lh_buf_putc(out, ')', err);
    case LH_X_AND:
    case LH_X_OR:
        P("(");
        if ((rc = format_list(e, 0, e->kind == LH_X_AND ? " AND " : " OR ", out, err)))
            return rc;
        return lh_buf_putc(out, ')', err);
    case LH_X_NOT:
        P("(NOT ");
        F(e->args[0]);
        return lh_buf_putc(out, ')', err);
    case LH_X_IS_NULL:
        P("(");
        F(e->args[0]);
        P((e->flags & LH_XF_NOT) ? " IS NOT NULL)" : " IS NULL)");
        return LH_OK;
    case LH_X_LIKE:
        P("(");
        F(e->args[0]);
        P((e->flags & LH_XF_NOT) ? " NOT LIKE " : " LIKE ");
        F(e->args[1]);
        if (e->nargs > 2) {
            P(" ESCAPE ");
            F(e->args[2]);
        }
        return lh_buf_putc(out, ')', err);
    case LH_X_IN:
        P("(");
        F(e->args[0]);
        P((e->flags & LH_XF_NOT) ? " NOT IN (" : " IN (");
        if ((rc = format_list(e, 1, ", ", out, err)))
            return rc;
        P("))");
        return LH_OK;
    case LH_X_CASE:
        P("CASE");
        for (i = 0; i + 1 < e->nargs; i += 2) {
            P(" WHEN ");
            F(e->args[i]);
            P(" THEN ");
            F(e->args[i + 1]);
        }
        if (e->flags & LH_XF_ELSE) {
            P(" ELSE ");
            F(e->args[e->nargs - 1]);
        }
        P(" END");
        return LH_OK;
    case LH_X_COALESCE:
        P("coalesce(");
        if ((rc = format_list(e, 0, ", ", out, err)))
            return rc;
        return lh_buf_putc(out, ')', err);
    case LH_X_TRY:
        P("try(");
        F(e->args[0]);
        return lh_buf_putc(out, ')', err);
    case LH_X_CALL:
        P(e->impl->name ? e->impl->name : "?");
        P("(");
        if ((rc = format_list(e, 0, ", ", out, err)))
            return rc;
        return lh_buf_putc(out, ')', err);
    }
#undef P
#undef F
    return lh_errf(err, LH_EINTERNAL, "unknown expression kind %d", (int)e->kind);
}
