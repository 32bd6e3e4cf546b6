/* plan/analyze_expr.c — typing expressions: literals, operators, casts,
 * functions, aggregates, windows, subqueries (see analyze.h). */
#include "plan/analyze_priv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "exec/datetime.h"
#include "exec/decimal.h"
#include "util/names.h"

static lh_rc nomem(az *a) { return lh_errf(a->err, LH_ENOMEM, "out of memory"); }

static const char *tname(lh_sqltype t, char *buf) { return lh_sqltype_name(t, buf, LH_SQLTYPE_NAME_MAX); }

static lh_bexpr *node(az *a, lh_bx_kind k, lh_sqltype t, const lh_ast_node *n)
{
    lh_bexpr *x = az_alloc(a, sizeof *x);
    if (x) {
        x->kind = k;
        x->type = t;
        x->pos = n ? n->pos : (lh_pos){0};
        x->ast = n;
    }
    return x;
}

static lh_bexpr **args_new(az *a, size_t n) { return az_alloc(a, (n + 1) * sizeof(lh_bexpr *)); }

lh_rc az_coerce(az *a, lh_bexpr **x, lh_sqltype to)
{
    if (lh_sqltype_equal((*x)->type, to))
        return LH_OK;
    lh_bexpr *c = node(a, BX_CAST, to, (*x)->ast);
    lh_bexpr **args = args_new(a, 1);
    if (!c || !args)
        return nomem(a);
    c->pos = (*x)->pos;
    c->flags = BX_F_IMPLICIT;
    args[0] = *x;
    c->args = args;
    c->nargs = 1;
    *x = c;
    return LH_OK;
}

lh_rc az_require_boolean(az *a, lh_bexpr **x, const lh_ast_node *n, const char *fmt)
{
    lh_sqltype b = lh_sqltype_of(LH_SQL_BOOLEAN);
    if ((*x)->type.id == LH_SQL_UNKNOWN)
        return az_coerce(a, x, b);
    if ((*x)->type.id != LH_SQL_BOOLEAN) {
        char t[LH_SQLTYPE_NAME_MAX], msg[300];
        snprintf(msg, sizeof msg, fmt, tname((*x)->type, t));
        return az_err(a, n->pos, LH_EDATA, "%s", msg);
    }
    return LH_OK;
}

lh_rc az_make_op(az *a, lh_binop op, lh_bexpr *l, lh_bexpr *r, lh_pos pos, lh_bexpr **out)
{
    lh_op_sig sig;
    lh_rc rc = lh_op_resolve(op, l->type, r->type, &sig, a->err);
    if (rc)
        return az_wrap(a, pos, rc);
    if ((rc = az_coerce(a, &l, sig.left)) || (rc = az_coerce(a, &r, sig.right)))
        return rc;
    lh_bexpr *x = node(a, BX_OP, sig.result, NULL);
    lh_bexpr **args = args_new(a, 2);
    if (!x || !args)
        return nomem(a);
    x->pos = pos;
    x->op = op;
    args[0] = l;
    args[1] = r;
    x->args = args;
    x->nargs = 2;
    *out = x;
    return LH_OK;
}

/* ---------------------------------------------------------------- literals */

static size_t utf8_chars(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

static lh_rc lit(az *a, const lh_ast_node *n, lh_sqltype t, const char *text, lh_bexpr **out)
{
    lh_bexpr *x = node(a, BX_LIT, t, n);
    if (!x)
        return nomem(a);
    x->text = text ? az_strdup(a, text) : NULL;
    if (text && !x->text)
        return nomem(a);
    *out = x;
    return LH_OK;
}

static lh_rc bind_number(az *a, const lh_ast_node *n, lh_bexpr **out)
{
    if (n->op == LH_LIT_INTEGER) {
        errno = 0;
        char *end;
        long long v = strtoll(n->text, &end, 10);
        if (errno || *end)
            return az_err(a, n->pos, LH_EINVAL, "Invalid numeric literal: %s", n->text);
        return lit(a, n, lh_sqltype_of(v >= INT32_MIN && v <= INT32_MAX ? LH_SQL_INTEGER : LH_SQL_BIGINT), n->text, out);
    }
    if (n->op == LH_LIT_DECIMAL) {
        lh_i128 v;
        int p, s;
        lh_rc rc = lh_dec_parse_literal(n->text, strlen(n->text), &v, &p, &s, a->err);
        if (rc)
            return az_wrap(a, n->pos, rc);
        char buf[LH_DEC_FMT_MAX];
        lh_dec_format(v, s, buf);
        return lit(a, n, lh_sqltype_decimal(p, s), buf, out);
    }
    return lit(a, n, lh_sqltype_of(LH_SQL_DOUBLE), n->text, out);
}

static lh_rc type_of_node(az *a, const lh_ast_node *t, lh_sqltype *out)
{
    const char *txt;
    lh_rc rc = az_fmt(a, t, &txt);
    if (rc)
        return rc;
    rc = lh_sqltype_parse(txt, strlen(txt), out, a->err);
    if (rc)
        return az_wrap(a, t->pos, rc);
    return LH_OK;
}

static int cast_ok(lh_sqltype f, lh_sqltype t)
{
    lh_sqltype_id a = (lh_sqltype_id)f.id, b = (lh_sqltype_id)t.id;
    if (a == LH_SQL_UNKNOWN || a == b)
        return 1;
    int as = lh_sqltype_is_string(f), bs = lh_sqltype_is_string(t);
    int an = lh_sqltype_is_numeric(f) || a == LH_SQL_BOOLEAN, bn = lh_sqltype_is_numeric(t) || b == LH_SQL_BOOLEAN;
    if (an && bn)
        return 1;
    if ((as && (bn || bs || b == LH_SQL_VARBINARY || lh_sqltype_is_datetime(t))) || (bs && (an || a == LH_SQL_VARBINARY)))
        return 1;
    if (bs && (lh_sqltype_is_datetime(f) || lh_sqltype_is_interval(f)))
        return 1;
    int ad = a == LH_SQL_DATE || a == LH_SQL_TIMESTAMP || a == LH_SQL_TIMESTAMP_TZ;
    int bd = b == LH_SQL_DATE || b == LH_SQL_TIMESTAMP || b == LH_SQL_TIMESTAMP_TZ;
    if (ad && bd)
        return 1;
    if ((a == LH_SQL_TIMESTAMP || a == LH_SQL_TIMESTAMP_TZ) && b == LH_SQL_TIME)
        return 1;
    if (a == LH_SQL_TIME && (b == LH_SQL_TIMESTAMP || b == LH_SQL_TIMESTAMP_TZ))
        return 1;
    return 0;
}

static lh_rc make_cast(az *a, const lh_ast_node *n, lh_bexpr *v, lh_sqltype to, int try_, lh_bexpr **out)
{
    if (!cast_ok(v->type, to)) {
        char t1[LH_SQLTYPE_NAME_MAX], t2[LH_SQLTYPE_NAME_MAX];
        return az_err(a, n->pos, LH_EDATA, "Cannot cast %s to %s", tname(v->type, t1), tname(to, t2));
    }
    lh_bexpr *c = node(a, BX_CAST, to, n);
    lh_bexpr **args = args_new(a, 1);
    if (!c || !args)
        return nomem(a);
    c->flags = try_ ? BX_F_TRY : 0;
    args[0] = v;
    c->args = args;
    c->nargs = 1;
    *out = c;
    return LH_OK;
}

static lh_rc bind_typed_lit(az *a, const lh_ast_node *n, lh_bexpr **out)
{
    const char *tn = n->kid[0]->name, *s = n->text;
    size_t len = strlen(s);
    lh_rc rc;
    char buf[LH_DT_FMT_MAX + 64];
    if (!strcasecmp(tn, "date")) {
        int32_t d;
        if ((rc = lh_date_parse(s, len, LH_DT_LITERAL, &d, a->err)))
            return az_wrap(a, n->pos, rc);
        lh_date_format(d, buf, sizeof buf);
        return lit(a, n, lh_sqltype_of(LH_SQL_DATE), buf, out);
    }
    if (!strcasecmp(tn, "timestamp")) {
        lh_sqltype t;
        int64_t us;
        lh_zone z;
        if ((rc = lh_timestamp_literal(s, len, &t, &us, &z, a->err)))
            return az_wrap(a, n->pos, rc);
        if (t.id == LH_SQL_TIMESTAMP)
            lh_timestamp_format(us, t.p, buf, sizeof buf);
        else
            lh_tstz_format((lh_tstz){us, z}, t.p, buf, sizeof buf);
        return lit(a, n, t, buf, out);
    }
    if (!strcasecmp(tn, "time")) {
        int p;
        int64_t us;
        if ((rc = lh_time_parse(s, len, LH_DT_LITERAL, &p, &us, a->err)))
            return az_wrap(a, n->pos, rc);
        lh_time_format(us, p, buf, sizeof buf);
        return lit(a, n, lh_sqltype_time(p), buf, out);
    }
    if (!strcasecmp(tn, "decimal")) {
        lh_i128 v;
        int p, sc;
        size_t b = 0, e = len;
        while (b < e && s[b] == ' ')
            b++;
        while (e > b && s[e - 1] == ' ')
            e--;
        if ((rc = lh_dec_parse_literal(s + b, e - b, &v, &p, &sc, a->err)))
            return az_wrap(a, n->pos, rc);
        char d[LH_DEC_FMT_MAX];
        lh_dec_format(v, sc, d);
        return lit(a, n, lh_sqltype_decimal(p, sc), d, out);
    }
    /* any other type name: CAST('text' AS type), checked at run time */
    lh_sqltype t;
    if ((rc = type_of_node(a, n->kid[0], &t)))
        return rc;
    if (!strcasecmp(tn, "char") || !strcasecmp(tn, "varchar")) {
        size_t nc = utf8_chars(s, len);
        t = !strcasecmp(tn, "char") ? lh_sqltype_char((uint32_t)(nc ? nc : 1)) : lh_sqltype_varchar((uint32_t)nc);
        return lit(a, n, t, s, out);
    }
    lh_bexpr *v;
    if ((rc = lit(a, n, lh_sqltype_varchar((uint32_t)utf8_chars(s, len)), s, &v)))
        return rc;
    return make_cast(a, n, v, t, 0, out);
}

static lh_rc bind_interval(az *a, const lh_ast_node *n, lh_bexpr **out)
{
    static const lh_dt_field F[] = {LH_F_YEAR, LH_F_YEAR, LH_F_MONTH, LH_F_DAY, LH_F_HOUR, LH_F_MINUTE, LH_F_SECOND};
    int from = n->op, to = n->ival2 ? (int)n->ival2 : n->op;
    if (from < 1 || from > 6 || to < 1 || to > 6)
        return az_err(a, n->pos, LH_EINVAL, "Invalid interval qualifier");
    int64_t us = 0;
    int32_t months = 0;
    lh_rc rc = lh_interval_literal(n->text, strlen(n->text), n->ival < 0, F[from], F[to], &us, &months, a->err);
    if (rc)
        return az_wrap(a, n->pos, rc);
    char buf[64];
    int ym = from <= LH_IVF_MONTH;
    if (ym)
        lh_interval_ym_format(months, buf, sizeof buf);
    else
        lh_interval_ds_format(us, buf, sizeof buf);
    return lit(a, n, lh_sqltype_of(ym ? LH_SQL_INTERVAL_YM : LH_SQL_INTERVAL_DS), buf, out);
}

/* ------------------------------------------------------------- structure */

int az_expr_equal(const lh_bexpr *x, const lh_bexpr *y)
{
    if (x == y)
        return 1;
    if (!x || !y || x->kind != y->kind || !lh_sqltype_equal(x->type, y->type) || x->op != y->op ||
        x->flags != y->flags || x->nargs != y->nargs || x->fn != y->fn || x->quant != y->quant)
        return 0;
    if (x->kind == BX_COL && (x->rel != y->rel || x->col != y->col || x->depth != y->depth))
        return 0;
    if (x->kind == BX_OUTREF && x->col != y->col)
        return 0;
    if ((x->text || y->text) && (!x->text || !y->text || strcmp(x->text, y->text)))
        return 0;
    if (x->kind != BX_COL && (x->name || y->name) && (!x->name || !y->name || strcmp(x->name, y->name)))
        return 0;
    if (x->sub || y->sub || x->window || y->window || x->order || y->order)
        return 0;
    if (!az_expr_equal(x->filter, y->filter))
        return 0;
    for (size_t i = 0; i < x->nargs; i++)
        if (!az_expr_equal(x->args[i], y->args[i]))
            return 0;
    return 1;
}

static int is_agg(const lh_bexpr *x) { return x->kind == BX_CALL && lh_fn_kind_of(x->fn) == LH_FN_AGGREGATE && !x->window; }

int az_has_agg(const lh_bexpr *x)
{
    if (!x)
        return 0;
    if (is_agg(x))
        return 1;
    for (size_t i = 0; i < x->nargs; i++)
        if (az_has_agg(x->args[i]))
            return 1;
    if (x->window) {
        for (size_t i = 0; i < x->window->npart; i++)
            if (az_has_agg(x->window->part[i]))
                return 1;
        for (size_t i = 0; i < x->window->norder; i++)
            if (az_has_agg(x->window->order[i].e))
                return 1;
    }
    return 0;
}

lh_rc az_check_grouped(az *a, const lh_bexpr *x, const lh_bquery *q)
{
    for (size_t i = 0; i < q->ngroups; i++)
        if (az_expr_equal(q->groups[i], x))
            return LH_OK;
    if (is_agg(x) || x->kind == BX_OUTREF || x->kind == BX_LIT || x->kind == BX_GROUPING)
        return LH_OK;
    if (x->kind == BX_COL) {
        if (x->depth > 0)
            return LH_OK;
        const char *txt = x->name;
        if (x->ast && x->ast->kind == LH_AST_NAME && az_name_text(a, x->ast, &txt))
            return LH_ENOMEM;
        return az_err(a, x->pos, LH_EINVAL, "'%s' must be an aggregate expression or appear in GROUP BY clause", txt);
    }
    lh_rc rc;
    for (size_t i = 0; i < x->nargs; i++)
        if ((rc = az_check_grouped(a, x->args[i], q)))
            return rc;
    if (x->window) {
        for (size_t i = 0; i < x->window->npart; i++)
            if ((rc = az_check_grouped(a, x->window->part[i], q)))
                return rc;
        for (size_t i = 0; i < x->window->norder; i++)
            if ((rc = az_check_grouped(a, x->window->order[i].e, q)))
                return rc;
    }
    return LH_OK;
}

/* ------------------------------------------------------------- functions */

static lh_rc bind_args(az *a, const az_ectx *e, const lh_ast_list *L, lh_bexpr ***out)
{
    lh_bexpr **v = args_new(a, L->n);
    if (!v)
        return nomem(a);
    for (size_t i = 0; i < L->n; i++) {
        lh_rc rc = az_bind_expr(a, e, L->items[i], &v[i]);
        if (rc)
            return rc;
    }
    *out = v;
    return LH_OK;
}

static lh_rc apply_fn(az *a, const lh_fn *f, lh_bexpr *x, lh_pos pos)
{
    lh_sqltype at[LH_FN_MAX_ARGS], pt[LH_FN_MAX_ARGS], r;
    if (x->nargs > LH_FN_MAX_ARGS)
        return az_err(a, pos, LH_ELIMIT, "Too many arguments for function %s: %zu", lh_fn_name(f), x->nargs);
    for (size_t i = 0; i < x->nargs; i++)
        at[i] = x->args[i]->type;
    lh_rc rc = lh_fn_resolve(f, at, x->nargs, pt, &r, a->err);
    if (rc)
        return az_wrap(a, pos, rc);
    for (size_t i = 0; i < x->nargs; i++)
        if ((rc = az_coerce(a, &x->args[i], pt[i])))
            return rc;
    x->type = r;
    return LH_OK;
}

/* A ROWS or GROUPS offset (Trino's analyzer): GROUPS offsets need ORDER BY;
 * both are exact numbers of scale 0 (a bare NULL is of type unknown and
 * refused here; a NULL value of such a type fails when the frame is read). */
static lh_rc check_frame_offset(az *a, const lh_bwindow *bw, const lh_ast_node *fr, const lh_bexpr *off,
                                const char *which)
{
    char tn[LH_SQLTYPE_NAME_MAX];
    const char *kind = bw->frame == LH_FRAME_ROWS ? "ROWS" : "GROUPS";
    if (!off || bw->frame == LH_FRAME_RANGE)
        return LH_OK;
    if (bw->frame == LH_FRAME_GROUPS && !bw->norder)
        return az_err(a, fr->pos, LH_EINVAL, "Window frame of type GROUPS PRECEDING or FOLLOWING requires ORDER BY");
    if (lh_sqltype_is_integer(off->type) || (off->type.id == LH_SQL_DECIMAL && off->type.s == 0))
        return LH_OK;
    return az_err(a, off->pos, LH_EINVAL, "Window frame %s %s value type must be exact numeric type with scale 0 (actual %s)",
                  kind, which, lh_sqltype_name(off->type, tn, sizeof tn));
}

static lh_rc bind_window(az *a, const az_ectx *e, const lh_ast_node *w, lh_bwindow **out)
{
    const lh_ast_node *spec = w;
    if (w->kind == LH_AST_IDENT || (w->kind == LH_AST_WINDOW_SPEC && w->kid[0])) {
        const char *nm = w->kind == LH_AST_IDENT ? w->name : w->kid[0]->name;
        const lh_ast_node *found = NULL;
        for (size_t i = 0; a->window && i < a->window->list[0].n && !found; i++)
            if (!strcasecmp(a->window->list[0].items[i]->kid[0]->name, nm))
                found = a->window->list[0].items[i]->kid[1];
        if (!found)
            return az_err(a, w->pos, LH_ENOTFOUND, "Cannot resolve WINDOW name %s", nm);
        if (w->kind == LH_AST_IDENT)
            spec = found;
        else {
            /* OVER (w ORDER BY ...): the named window's partitions, then this spec */
            lh_rc rc = bind_window(a, e, found, out);
            if (rc)
                return rc;
            if (w->list[0].n)
                return az_err(a, w->pos, LH_EINVAL, "WINDOW specification with named WINDOW reference cannot specify PARTITION BY");
            spec = NULL;
        }
    }
    lh_bwindow *bw = spec ? az_alloc(a, sizeof *bw) : *out;
    if (!bw)
        return nomem(a);
    az_ectx we = *e;
    we.window_ok = 0;
    we.in_agg = 0;
    const lh_ast_node *src = spec ? spec : w;
    lh_rc rc;
    if (spec) {
        bw->npart = src->list[0].n;
        if ((rc = bind_args(a, &we, &src->list[0], &bw->part)))
            return rc;
    }
    if (src->list[1].n) {
        bw->norder = src->list[1].n;
        bw->order = az_alloc(a, bw->norder * sizeof *bw->order);
        if (!bw->order)
            return nomem(a);
        for (size_t i = 0; i < bw->norder; i++) {
            const lh_ast_node *s = src->list[1].items[i];
            if ((rc = az_bind_expr(a, &we, s->kid[0], &bw->order[i].e)))
                return rc;
            bw->order[i].desc = s->op == LH_SORT_DESC;
            bw->order[i].nulls_first = s->flags & LH_AST_F_NULLS_FIRST ? 1 : s->flags & LH_AST_F_NULLS_LAST ? 0 : -1;
        }
    }
    if (src->kid[1]) {
        const lh_ast_node *fr = src->kid[1];
        bw->frame = fr->op;
        bw->start = fr->kid[0]->op;
        if (fr->kid[0]->kid[0] && (rc = az_bind_expr(a, &we, fr->kid[0]->kid[0], &bw->start_off)))
            return rc;
        if (fr->kid[1]) {
            bw->end = fr->kid[1]->op;
            if (fr->kid[1]->kid[0] && (rc = az_bind_expr(a, &we, fr->kid[1]->kid[0], &bw->end_off)))
                return rc;
        }
        if (bw->start == LH_BOUND_UNBOUNDED_FOLLOWING)
            return az_err(a, fr->pos, LH_EINVAL, "Window frame start cannot be UNBOUNDED FOLLOWING");
        if (bw->end == LH_BOUND_UNBOUNDED_PRECEDING)
            return az_err(a, fr->pos, LH_EINVAL, "Window frame end cannot be UNBOUNDED PRECEDING");
        if ((rc = check_frame_offset(a, bw, fr, bw->start_off, "start")) ||
            (rc = check_frame_offset(a, bw, fr, bw->end_off, "end")))
            return rc;
    }
    *out = bw;
    return LH_OK;
}

static lh_rc bind_call(az *a, const az_ectx *e, const lh_ast_node *n, lh_bexpr **out)
{
    const lh_ast_list *parts = &n->kid[0]->list[0];
    const char *name = parts->items[parts->n - 1]->name;
    const lh_fn *f = parts->n == 1 ? lh_fn_lookup(name) : NULL;
    lh_rc rc;
    if (!f) {
        const char *txt;
        if ((rc = az_name_text(a, n->kid[0], &txt)))
            return rc;
        const char *cands[512];
        size_t nc = 0;
        for (size_t i = 0; i < lh_fn_count() && nc < 512; i++)
            cands[nc++] = lh_fn_name_at(i);
        const char *near = az_nearest(name, cands, nc);
        if (near)
            return az_err(a, n->pos, LH_ENOTFOUND, "Function '%s' not registered (did you mean '%s'?)", txt, near);
        return az_err(a, n->pos, LH_ENOTFOUND, "Function '%s' not registered", txt);
    }
    if (lh_fn_refused(f))
        return az_err(a, n->pos, LH_EUNSUPPORTED, "Function '%s' returns an array: nested types are not supported yet", name);
    lh_fn_kind k = lh_fn_kind_of(f);
    const lh_ast_node *over = n->kid[2];
    if (k == LH_FN_WINDOW && !over)
        return az_err(a, n->pos, LH_EINVAL, "Window function %s requires an OVER clause", name);
    if (k == LH_FN_SCALAR && over)
        return az_err(a, n->pos, LH_EINVAL, "Not a window function: %s", name);
    if (k == LH_FN_SCALAR && (n->flags & LH_AST_F_DISTINCT))
        return az_err(a, n->pos, LH_EINVAL, "DISTINCT is not supported for non-aggregation functions");
    if (k != LH_FN_AGGREGATE && n->kid[1])
        return az_err(a, n->pos, LH_EINVAL, "Filter is only valid for aggregation functions");
    if (over && (n->flags & LH_AST_F_DISTINCT))
        return az_err(a, n->pos, LH_EUNSUPPORTED, "DISTINCT in window function parameters not yet supported");
    if (k != LH_FN_SCALAR || over) {
        const char *txt;
        if (e->in_agg) {
            if ((rc = az_fmt(a, n, &txt)))
                return rc;
            return az_err(a, n->pos, LH_EINVAL, "Cannot nest %s inside aggregation '%s': [%s]",
                          over ? "window functions" : "aggregations", e->agg_name, txt);
        }
        if (over && !e->window_ok) {
            if ((rc = az_fmt(a, n, &txt)))
                return rc;
            return az_err(a, n->pos, LH_EINVAL, "%s clause cannot contain aggregations, window functions or grouping operations: [%s]",
                          e->clause, txt);
        }
        if (!over && !e->agg_ok) {
            if ((rc = az_fmt(a, n, &txt)))
                return rc;
            return az_err(a, n->pos, LH_EINVAL, "%s clause cannot contain aggregations, window functions or grouping operations: [%s]",
                          e->clause, txt);
        }
    }
    lh_bexpr *x = node(a, BX_CALL, lh_sqltype_of(LH_SQL_UNKNOWN), n);
    if (!x)
        return nomem(a);
    x->fn = f;
    x->name = lh_fn_name(f);
    if (n->flags & LH_AST_F_DISTINCT)
        x->flags |= BX_F_DISTINCT;
    if (n->flags & LH_AST_F_IGNORE_NULLS)
        x->flags |= BX_F_IGNORE_NULLS;
    az_ectx ae = *e;
    if (k == LH_FN_AGGREGATE && !over) {
        ae.in_agg = 1;
        ae.agg_name = lh_fn_name(f);
    }
    if (k != LH_FN_SCALAR) {
        ae.window_ok = 0;
        ae.agg_ok = !ae.in_agg && over; /* sum(x) OVER () may take aggregates of a grouped query */
    }
    if (n->list[0].n == 1 && n->list[0].items[0]->kind == LH_AST_STAR) {
        if (strcmp(name, "count"))
            return az_err(a, n->pos, LH_EINVAL, "Only count(*) takes *: %s(*)", name);
        x->flags |= BX_F_STAR;
    } else {
        x->nargs = n->list[0].n;
        if ((rc = bind_args(a, &ae, &n->list[0], &x->args)))
            return rc;
    }
    if ((rc = apply_fn(a, f, x, n->pos)))
        return rc;
    if (n->kid[1]) {
        az_ectx fe = ae;
        fe.clause = "FILTER";
        if ((rc = az_bind_expr(a, &fe, n->kid[1], &x->filter)) ||
            (rc = az_require_boolean(a, &x->filter, n->kid[1], "Filter expression must evaluate to a boolean: actual type %s")))
            return rc;
    }
    if (n->list[1].n) {
        /* ORDER BY inside the call (min_by ... / string_agg later): an aggregate's */
        if (k != LH_FN_AGGREGATE || over)
            return az_err(a, n->pos, LH_EINVAL, "ORDER BY is only valid for aggregation functions");
        x->norder = n->list[1].n;
        if (!(x->order = az_alloc(a, x->norder * sizeof *x->order)))
            return nomem(a);
        for (size_t i = 0; i < x->norder; i++) {
            const lh_ast_node *s = n->list[1].items[i];
            if ((rc = az_bind_expr(a, &ae, s->kid[0], &x->order[i].e)))
                return rc;
            x->order[i].desc = s->op == LH_SORT_DESC;
            x->order[i].nulls_first = s->flags & LH_AST_F_NULLS_FIRST ? 1 : s->flags & LH_AST_F_NULLS_LAST ? 0 : -1;
        }
    }
    if (over && (rc = bind_window(a, e, over, &x->window)))
        return rc;
    *out = x;
    return LH_OK;
}

/* ------------------------------------------------------------ the rest */

static lh_rc bind_case(az *a, const az_ectx *e, const lh_ast_node *n, lh_bexpr **out)
{
    size_t nw = n->list[0].n, na = nw * 2 + (n->kid[1] ? 1 : 0);
    lh_bexpr *x = node(a, BX_CASE, lh_sqltype_of(LH_SQL_UNKNOWN), n);
    lh_bexpr **args = args_new(a, na);
    if (!x || !args)
        return nomem(a);
    x->args = args;
    x->nargs = na;
    if (n->kid[1])
        x->flags |= BX_F_ELSE;
    lh_rc rc;
    lh_bexpr *operand = NULL;
    if (n->kid[0] && (rc = az_bind_expr(a, e, n->kid[0], &operand)))
        return rc;
    for (size_t i = 0; i < nw; i++) {
        const lh_ast_node *w = n->list[0].items[i];
        lh_bexpr *c;
        if ((rc = az_bind_expr(a, e, w->kid[0], &c)))
            return rc;
        if (operand) {
            /* simple CASE: operand = value */
            if ((rc = az_make_op(a, LH_BOP_EQ, operand, c, w->kid[0]->pos, &c)))
                return rc;
        } else if ((rc = az_require_boolean(a, &c, w->kid[0], "WHEN clause must evaluate to a boolean: actual type %s")))
            return rc;
        args[2 * i] = c;
        if ((rc = az_bind_expr(a, e, w->kid[1], &args[2 * i + 1])))
            return rc;
    }
    if (n->kid[1] && (rc = az_bind_expr(a, e, n->kid[1], &args[na - 1])))
        return rc;
    lh_sqltype t = lh_sqltype_of(LH_SQL_UNKNOWN);
    for (size_t i = 1; i < na; i += (i + 1 < na - (n->kid[1] ? 1 : 0) || !n->kid[1]) ? 2 : 1) {
        lh_sqltype u = args[i]->type, s;
        if (!lh_type_common_super(t, u, &s)) {
            char t1[LH_SQLTYPE_NAME_MAX], t2[LH_SQLTYPE_NAME_MAX];
            return az_err(a, args[i]->pos, LH_EDATA,
                          "All CASE results must be the same type or coercible to a common type. Cannot find common type between %s and %s",
                          tname(t, t1), tname(u, t2));
        }
        t = s;
    }
    for (size_t i = 1; i < na; i += 2)
        if ((rc = az_coerce(a, &args[i], t)))
            return rc;
    if (n->kid[1] && (rc = az_coerce(a, &args[na - 1], t)))
        return rc;
    x->type = t;
    *out = x;
    return LH_OK;
}

static lh_rc unify(az *a, lh_bexpr **v, size_t n, lh_pos pos, const char *what)
{
    lh_sqltype t = v[0]->type;
    for (size_t i = 1; i < n; i++)
        if (!lh_type_common_super(t, v[i]->type, &t)) {
            char t1[LH_SQLTYPE_NAME_MAX], t2[LH_SQLTYPE_NAME_MAX];
            return az_err(a, v[i]->pos, LH_EDATA, "%s must be the same type or coercible to a common type. Cannot find common type between %s and %s",
                          what, tname(v[0]->type, t1), tname(v[i]->type, t2));
        }
    for (size_t i = 0; i < n; i++) {
        lh_rc rc = az_coerce(a, &v[i], t);
        if (rc)
            return rc;
    }
    return LH_OK;
}

static lh_rc bind_subquery(az *a, const az_ectx *e, const lh_ast_node *q, lh_bquery **out)
{
    lh_rc rc = az_bind_query(a, q, e->sc, out);
    return rc;
}

static const lh_binop CMP[] = {LH_BOP_EQ, LH_BOP_EQ, LH_BOP_NE, LH_BOP_LT, LH_BOP_LE, LH_BOP_GT, LH_BOP_GE};
static const lh_binop BIN[] = {LH_BOP_ADD, LH_BOP_ADD, LH_BOP_SUB, LH_BOP_MUL, LH_BOP_DIV, LH_BOP_MOD, LH_BOP_CONCAT};

static lh_rc bind_logic(az *a, const az_ectx *e, const lh_ast_node *n, lh_bexpr **out)
{
    lh_bexpr *x = node(a, n->kind == LH_AST_AND ? BX_AND : BX_OR, lh_sqltype_of(LH_SQL_BOOLEAN), n);
    if (!x)
        return nomem(a);
    lh_rc rc = bind_args(a, e, &n->list[0], &x->args);
    if (rc)
        return rc;
    x->nargs = n->list[0].n;
    for (size_t i = 0; i < x->nargs; i++)
        if ((rc = az_require_boolean(a, &x->args[i], n->list[0].items[i],
                                     "Logical expression term must evaluate to a boolean (actual: %s)")))
            return rc;
    *out = x;
    return LH_OK;
}

static const char *extract_fn(const char *field)
{
    static const char *const M[][2] = {{"year", "year"}, {"quarter", "quarter"}, {"month", "month"}, {"week", "week"},
                                       {"day", "day"}, {"day_of_month", "day"}, {"day_of_week", "day_of_week"},
                                       {"dow", "day_of_week"}, {"day_of_year", "day_of_year"}, {"doy", "day_of_year"},
                                       {"year_of_week", "year_of_week"}, {"yow", "year_of_week"}, {"hour", "hour"},
                                       {"minute", "minute"}, {"second", "second"}};
    for (size_t i = 0; i < sizeof M / sizeof M[0]; i++)
        if (!strcasecmp(M[i][0], field))
            return M[i][1];
    return NULL;
}

static lh_rc bind_expr(az *a, const az_ectx *e, const lh_ast_node *n, lh_bexpr **out);

/* Bounded recursion: the parser allows trees 10,000 high; binding one
 * level costs a few hundred bytes of stack. */
#define AZ_MAX_EXPR_DEPTH 3000

lh_rc az_bind_expr(az *a, const az_ectx *e, const lh_ast_node *n, lh_bexpr **out)
{
    if (++a->depth > AZ_MAX_EXPR_DEPTH) {
        a->depth--;
        return az_err(a, n->pos, LH_ELIMIT, "Expression is nested too deeply (more than %d levels)", AZ_MAX_EXPR_DEPTH);
    }
    lh_rc rc = bind_expr(a, e, n, out);
    a->depth--;
    return rc;
}

static lh_rc bind_expr(az *a, const az_ectx *e, const lh_ast_node *n, lh_bexpr **out)
{
    lh_rc rc;
    lh_bexpr *x, *l, *r;
    char t1[LH_SQLTYPE_NAME_MAX];
    switch (n->kind) {
    case LH_AST_COLUMN:
        return az_resolve_column(a, e, n->kid[0], out);
    case LH_AST_NUMBER:
        return bind_number(a, n, out);
    case LH_AST_STRING:
        return lit(a, n, lh_sqltype_varchar((uint32_t)utf8_chars(n->text, (size_t)n->ival)), n->text, out);
    case LH_AST_BINARY_LIT:
        return lit(a, n, lh_sqltype_of(LH_SQL_VARBINARY), n->text, out);
    case LH_AST_BOOL:
        return lit(a, n, lh_sqltype_of(LH_SQL_BOOLEAN), n->ival ? "true" : "false", out);
    case LH_AST_NULL:
        return lit(a, n, lh_sqltype_of(LH_SQL_UNKNOWN), NULL, out);
    case LH_AST_TYPED_LIT:
        return bind_typed_lit(a, n, out);
    case LH_AST_INTERVAL:
        return bind_interval(a, n, out);
    case LH_AST_UNARY:
        if ((rc = az_bind_expr(a, e, n->kid[0], &l)))
            return rc;
        if (n->op == '+')
            return *out = l, LH_OK;
        if (!lh_sqltype_is_numeric(l->type) && !lh_sqltype_is_interval(l->type) && l->type.id != LH_SQL_UNKNOWN)
            return az_err(a, n->pos, LH_EDATA, "Cannot negate %s", tname(l->type, t1));
        if (l->kind == BX_LIT && l->text && l->text[0] != '-' && lh_sqltype_is_exact(l->type)) {
            /* (a literal already negative stays a negation: -(-2147483648) overflows at run time, as in Trino) */
            /* -2147483648 is an integer literal */
            char *neg = az_alloc(a, strlen(l->text) + 2);
            if (!neg)
                return nomem(a);
            neg[0] = '-';
            strcpy(neg + 1, l->text);
            if (l->type.id == LH_SQL_BIGINT && strcmp(neg, "-2147483648") == 0)
                l->type = lh_sqltype_of(LH_SQL_INTEGER);
            l->text = neg;
            l->pos = n->pos;
            return *out = l, LH_OK;
        }
        if (!(x = node(a, BX_NEG, l->type.id == LH_SQL_UNKNOWN ? lh_sqltype_of(LH_SQL_INTEGER) : l->type, n)) ||
            !(x->args = args_new(a, 1)))
            return nomem(a);
        x->args[0] = l;
        x->nargs = 1;
        return *out = x, LH_OK;
    case LH_AST_BINARY:
    case LH_AST_COMPARE:
    case LH_AST_DISTINCT_FROM:
        if ((rc = az_bind_expr(a, e, n->kid[0], &l)) || (rc = az_bind_expr(a, e, n->kid[1], &r)))
            return rc;
        if (n->kind == LH_AST_DISTINCT_FROM) {
            if ((rc = az_make_op(a, LH_BOP_DISTINCT, l, r, n->pos, out)))
                return rc;
            if (n->flags & LH_AST_F_NOT) {
                if (!(x = node(a, BX_NOT, lh_sqltype_of(LH_SQL_BOOLEAN), n)) || !(x->args = args_new(a, 1)))
                    return nomem(a);
                x->args[0] = *out;
                x->nargs = 1;
                *out = x;
            }
            return LH_OK;
        }
        if (n->op < 1 || n->op > 6)
            return az_err(a, n->pos, LH_EINTERNAL, "bad operator %d", n->op);
        rc = az_make_op(a, n->kind == LH_AST_BINARY ? BIN[n->op] : CMP[n->op], l, r, n->pos, out);
        if (rc == LH_OK)
            (*out)->ast = n;
        return rc;
    case LH_AST_AND:
    case LH_AST_OR:
        return bind_logic(a, e, n, out);
    case LH_AST_NOT:
        if ((rc = az_bind_expr(a, e, n->kid[0], &l)) ||
            (rc = az_require_boolean(a, &l, n->kid[0], "Value of logical NOT expression must evaluate to a boolean (actual: %s)")))
            return rc;
        if (!(x = node(a, BX_NOT, lh_sqltype_of(LH_SQL_BOOLEAN), n)) || !(x->args = args_new(a, 1)))
            return nomem(a);
        x->args[0] = l;
        x->nargs = 1;
        return *out = x, LH_OK;
    case LH_AST_IS_NULL:
        if ((rc = az_bind_expr(a, e, n->kid[0], &l)))
            return rc;
        if (!(x = node(a, BX_ISNULL, lh_sqltype_of(LH_SQL_BOOLEAN), n)) || !(x->args = args_new(a, 1)))
            return nomem(a);
        x->args[0] = l;
        x->nargs = 1;
        x->flags = n->flags & LH_AST_F_NOT ? BX_F_NOT : 0;
        return *out = x, LH_OK;
    case LH_AST_BETWEEN: {
        if (!(x = node(a, BX_BETWEEN, lh_sqltype_of(LH_SQL_BOOLEAN), n)) || !(x->args = args_new(a, 3)))
            return nomem(a);
        for (int i = 0; i < 3; i++)
            if ((rc = az_bind_expr(a, e, n->kid[i], &x->args[i])))
                return rc;
        x->nargs = 3;
        lh_sqltype t = x->args[0]->type;
        if (!lh_type_common_super(t, x->args[1]->type, &t) || !lh_type_common_super(t, x->args[2]->type, &t)) {
            char t2[LH_SQLTYPE_NAME_MAX], t3[LH_SQLTYPE_NAME_MAX];
            return az_err(a, n->pos, LH_EDATA, "Cannot check if %s is BETWEEN %s and %s", tname(x->args[0]->type, t1),
                          tname(x->args[1]->type, t2), tname(x->args[2]->type, t3));
        }
        for (int i = 0; i < 3; i++)
            if ((rc = az_coerce(a, &x->args[i], t)))
                return rc;
        x->flags = n->flags & LH_AST_F_NOT ? BX_F_NOT : 0;
        return *out = x, LH_OK;
    }
    case LH_AST_LIKE: {
        size_t na = n->kid[2] ? 3 : 2;
        if (!(x = node(a, BX_LIKE, lh_sqltype_of(LH_SQL_BOOLEAN), n)) || !(x->args = args_new(a, na)))
            return nomem(a);
        for (size_t i = 0; i < na; i++)
            if ((rc = az_bind_expr(a, e, n->kid[i], &x->args[i])))
                return rc;
        x->nargs = na;
        static const char *const what[] = {"Left side of LIKE expression", "Pattern for LIKE expression",
                                           "Escape for LIKE expression"};
        for (size_t i = 0; i < na; i++) {
            lh_sqltype t = x->args[i]->type;
            if (t.id == LH_SQL_UNKNOWN) {
                if ((rc = az_coerce(a, &x->args[i], lh_sqltype_varchar(LH_SQL_UNBOUNDED))))
                    return rc;
            } else if (!lh_sqltype_is_string(t))
                return az_err(a, n->kid[i]->pos, LH_EDATA, "%s must evaluate to a varchar (actual: %s)", what[i],
                              tname(t, t1));
        }
        x->flags = n->flags & LH_AST_F_NOT ? BX_F_NOT : 0;
        return *out = x, LH_OK;
    }
    case LH_AST_IN_LIST: {
        size_t na = n->list[0].n + 1;
        if (!(x = node(a, BX_INLIST, lh_sqltype_of(LH_SQL_BOOLEAN), n)) || !(x->args = args_new(a, na)))
            return nomem(a);
        if ((rc = az_bind_expr(a, e, n->kid[0], &x->args[0])))
            return rc;
        for (size_t i = 1; i < na; i++)
            if ((rc = az_bind_expr(a, e, n->list[0].items[i - 1], &x->args[i])))
                return rc;
        x->nargs = na;
        if ((rc = unify(a, x->args, na, n->pos, "IN value and list items")))
            return rc;
        x->flags = n->flags & LH_AST_F_NOT ? BX_F_NOT : 0;
        return *out = x, LH_OK;
    }
    case LH_AST_SUBQUERY:
    case LH_AST_EXISTS:
    case LH_AST_IN_QUERY:
    case LH_AST_QUANTIFIED: {
        const lh_ast_node *qn = n->kind == LH_AST_SUBQUERY || n->kind == LH_AST_EXISTS ? n->kid[0] : n->kid[1];
        lh_bx_kind k = n->kind == LH_AST_SUBQUERY ? BX_SUBQ : n->kind == LH_AST_EXISTS ? BX_EXISTS
                       : n->kind == LH_AST_IN_QUERY ? BX_INQ : BX_QUANT;
        if (!(x = node(a, k, lh_sqltype_of(LH_SQL_BOOLEAN), n)))
            return nomem(a);
        if ((rc = bind_subquery(a, e, qn, &x->sub)))
            return rc;
        if (k == BX_EXISTS)
            return *out = x, LH_OK;
        if (x->sub->ncols != 1)
            return az_err(a, qn->pos, LH_EUNSUPPORTED, "Multiple columns returned by subquery are not yet supported. Found %zu",
                          x->sub->ncols);
        lh_sqltype st = x->sub->cols[0].type;
        if (k == BX_SUBQ) {
            x->type = st;
            return *out = x, LH_OK;
        }
        if (!(x->args = args_new(a, 1)) || (rc = az_bind_expr(a, e, n->kid[0], &x->args[0])))
            return rc ? rc : nomem(a);
        x->nargs = 1;
        lh_sqltype t;
        if (!lh_type_common_super(x->args[0]->type, st, &t)) {
            char t2[LH_SQLTYPE_NAME_MAX];
            if (k == BX_INQ)
                return az_err(a, n->pos, LH_EDATA, "Value expression and result of subquery must be of the same type: %s vs %s",
                              tname(x->args[0]->type, t1), tname(st, t2));
            return az_err(a, n->pos, LH_EDATA, "Cannot apply operator: %s %s %s", tname(x->args[0]->type, t1),
                          lh_op_symbol(CMP[n->op]), tname(st, t2));
        }
        if ((rc = az_coerce(a, &x->args[0], t)))
            return rc;
        x->op = k == BX_QUANT ? (int)CMP[n->op] : LH_BOP_EQ;
        x->quant = (int)n->ival;
        x->flags = n->flags & LH_AST_F_NOT ? BX_F_NOT : 0;
        x->type = lh_sqltype_of(LH_SQL_BOOLEAN);
        return *out = x, LH_OK;
    }
    case LH_AST_CASE:
        return bind_case(a, e, n, out);
    case LH_AST_CAST: {
        lh_sqltype to;
        if ((rc = az_bind_expr(a, e, n->kid[0], &l)) || (rc = type_of_node(a, n->kid[1], &to)))
            return rc;
        return make_cast(a, n, l, to, (n->flags & LH_AST_F_TRY) != 0, out);
    }
    case LH_AST_CALL:
        return bind_call(a, e, n, out);
    case LH_AST_EXTRACT: {
        const char *fn = extract_fn(n->kid[0]->name);
        if (!fn)
            return az_err(a, n->kid[0]->pos, LH_EINVAL, "Invalid EXTRACT field: %s", n->kid[0]->orig);
        if (!(x = node(a, BX_EXTRACT, lh_sqltype_of(LH_SQL_BIGINT), n)) || !(x->args = args_new(a, 1)))
            return nomem(a);
        if ((rc = az_bind_expr(a, e, n->kid[1], &x->args[0])))
            return rc;
        x->nargs = 1;
        x->name = fn;
        x->fn = lh_fn_lookup(fn);
        lh_sqltype at = x->args[0]->type, pt, res;
        if (lh_fn_resolve(x->fn, &at, 1, &pt, &res, a->err) != LH_OK)
            return az_err(a, n->pos, LH_EDATA, "Cannot extract %s from %s", n->kid[0]->name, tname(at, t1));
        if ((rc = az_coerce(a, &x->args[0], pt)))
            return rc;
        x->fn = NULL;
        return *out = x, LH_OK;
    }
    case LH_AST_CURRENT: {
        lh_sqltype t;
        const char *nm = n->name;
        int p = 3;
        if (n->kid[0]) {
            p = atoi(n->kid[0]->text);
            if (p > LH_TS_MAX_PRECISION)
                return az_err(a, n->pos, LH_EUNSUPPORTED, "%s(%d): precision above 6 is not supported", nm, p);
        }
        if (!strcmp(nm, "current_date"))
            t = lh_sqltype_of(LH_SQL_DATE);
        else if (!strcmp(nm, "current_timestamp"))
            t = lh_sqltype_timestamp_tz(p);
        else if (!strcmp(nm, "localtimestamp"))
            t = lh_sqltype_timestamp(p);
        else if (!strcmp(nm, "localtime"))
            t = lh_sqltype_time(p);
        else if (!strcmp(nm, "current_time"))
            return az_err(a, n->pos, LH_EUNSUPPORTED, "current_time returns time with time zone, which is not supported");
        else
            return az_err(a, n->pos, LH_EUNSUPPORTED, "%s is not supported", nm);
        if (!(x = node(a, BX_CURRENT, t, n)))
            return nomem(a);
        if (!(x->name = az_strdup(a, nm)))
            return nomem(a);
        return *out = x, LH_OK;
    }
    case LH_AST_AT_TIME_ZONE: {
        if ((rc = az_bind_expr(a, e, n->kid[0], &l)) || (rc = az_bind_expr(a, e, n->kid[1], &r)))
            return rc;
        lh_sqltype t = l->type;
        if (t.id == LH_SQL_TIMESTAMP)
            t = lh_sqltype_timestamp_tz(t.p);
        else if (t.id != LH_SQL_TIMESTAMP_TZ)
            return az_err(a, n->pos, LH_EDATA, "Type of value must be a timestamp with or without time zone (actual %s)",
                          tname(t, t1));
        if (!lh_sqltype_is_string(r->type) && r->type.id != LH_SQL_INTERVAL_DS)
            return az_err(a, n->kid[1]->pos, LH_EDATA, "Type of time zone must be a varchar or interval day to second (actual %s)",
                          tname(r->type, t1));
        if ((rc = az_coerce(a, &l, t)))
            return rc;
        if (!(x = node(a, BX_ATZONE, t, n)) || !(x->args = args_new(a, 2)))
            return nomem(a);
        x->args[0] = l;
        x->args[1] = r;
        x->nargs = 2;
        return *out = x, LH_OK;
    }
    case LH_AST_GROUPING_OP:
        if (!(x = node(a, BX_GROUPING, lh_sqltype_of(LH_SQL_BIGINT), n)))
            return nomem(a);
        if (!e->agg_ok)
            return az_err(a, n->pos, LH_EINVAL, "%s clause cannot contain aggregations, window functions or grouping operations: [GROUPING]",
                          e->clause);
        /* the arguments are names: bind each as a column reference */
        x->nargs = n->list[0].n;
        if (!(x->args = args_new(a, x->nargs ? x->nargs : 1)))
            return nomem(a);
        for (size_t i = 0; i < x->nargs; i++) {
            const lh_ast_node *arg = n->list[0].items[i];
            if (arg->kind == LH_AST_NAME) {
                lh_ast_node *col = az_alloc(a, sizeof *col);
                if (!col)
                    return nomem(a);
                memset(col, 0, sizeof *col);
                col->kind = LH_AST_COLUMN;
                col->pos = arg->pos;
                col->kid[0] = (lh_ast_node *)arg;
                col->height = arg->height + 1;
                arg = col;
            }
            if ((rc = az_bind_expr(a, e, arg, &x->args[i])))
                return rc;
        }
        return *out = x, LH_OK;
    case LH_AST_PARAM:
        return az_err(a, n->pos, LH_EUNSUPPORTED, "Query parameters (?) are not supported");
    case LH_AST_ARRAY:
    case LH_AST_ROW:
    case LH_AST_SUBSCRIPT:
    case LH_AST_DEREF:
    case LH_AST_LAMBDA:
        return az_err(a, n->pos, LH_EUNSUPPORTED, "%s expressions are not supported yet (nested types come later)",
                      lh_ast_kind_name(n->kind));
    default:
        return az_err(a, n->pos, LH_EINTERNAL, "unexpected %s in an expression", lh_ast_kind_name(n->kind));
    }
}
