/* plan/bound.c — lh_bound_dump (the typed tree as text) and the schema
 * provider over lh_catalog. */
#include "plan/analyze_int.h"

#include <string.h>

#include "util/types.h"

typedef struct dd {
    lh_buf *out;
    lh_err *err;
    lh_rc rc;
} dd;

static void put(dd *d, const char *s)
{
    if (!d->rc)
        d->rc = lh_buf_puts(d->out, s, d->err);
}

static void putt(dd *d, lh_sqltype t)
{
    char b[LH_SQLTYPE_NAME_MAX];
    put(d, lh_sqltype_name(t, b, sizeof b));
}

static void putq(dd *d, const char *s)
{
    /* quoted text with " and \ escaped, so the dump stays one token */
    put(d, "\"");
    for (const char *p = s; p && *p && !d->rc; p++) {
        char c[3] = {0};
        if (*p == '"' || *p == '\\')
            c[0] = '\\', c[1] = *p;
        else
            c[0] = *p;
        put(d, c);
    }
    put(d, "\"");
}

static void putn(dd *d, long long v)
{
    if (!d->rc)
        d->rc = lh_buf_printf(d->out, d->err, "%lld", v);
}

static void dquery(dd *d, const lh_bquery *q);

static const char *const KIND[] = {
    "?", "col", "outref", "lit", "cast", "op", "neg", "and", "or", "not", "is-null", "between", "like", "in",
    "case", "call", "subquery", "exists", "in-query", "quantified", "current", "extract", "at-time-zone", "grouping"};

static void dexpr(dd *d, const lh_bexpr *x);

static void dsorts(dd *d, const char *tag, const lh_bsort *s, size_t n)
{
    if (!n)
        return;
    put(d, " (");
    put(d, tag);
    for (size_t i = 0; i < n; i++) {
        put(d, " (");
        put(d, s[i].desc ? "desc" : "asc");
        if (s[i].nulls_first >= 0)
            put(d, s[i].nulls_first ? " nulls-first" : " nulls-last");
        put(d, " ");
        dexpr(d, s[i].e);
        put(d, ")");
    }
    put(d, ")");
}

static void dexpr(dd *d, const lh_bexpr *x)
{
    if (d->rc)
        return;
    put(d, "(");
    put(d, KIND[x->kind]);
    switch (x->kind) {
    case BX_COL:
        put(d, " #");
        putn(d, x->rel);
        put(d, ".");
        putn(d, x->col);
        put(d, " ");
        put(d, x->name);
        if (x->depth) {
            put(d, " outer ");
            putn(d, x->depth);
        }
        break;
    case BX_OUTREF:
        put(d, " ");
        putn(d, x->col);
        put(d, " ");
        put(d, x->name);
        break;
    case BX_LIT:
        put(d, " ");
        if (x->text)
            putq(d, x->text);
        else
            put(d, "null");
        break;
    case BX_CAST:
        if (x->flags & BX_F_IMPLICIT)
            put(d, " implicit");
        if (x->flags & BX_F_TRY)
            put(d, " try");
        break;
    case BX_OP:
    case BX_QUANT:
        put(d, " ");
        put(d, lh_op_symbol((lh_binop)x->op));
        if (x->kind == BX_QUANT)
            put(d, x->quant == LH_QUANT_ALL ? " all" : " any");
        break;
    case BX_CALL:
    case BX_CURRENT:
    case BX_EXTRACT:
        put(d, " ");
        put(d, x->name);
        if (x->flags & BX_F_DISTINCT)
            put(d, " distinct");
        if (x->flags & BX_F_STAR)
            put(d, " *");
        break;
    default:
        break;
    }
    if (x->flags & BX_F_NOT)
        put(d, " not");
    put(d, " : ");
    putt(d, x->type);
    for (size_t i = 0; i < x->nargs; i++) {
        put(d, " ");
        dexpr(d, x->args[i]);
    }
    if (x->filter) {
        put(d, " (filter ");
        dexpr(d, x->filter);
        put(d, ")");
    }
    dsorts(d, "order", x->order, x->norder);
    if (x->window) {
        put(d, " (over");
        if (x->window->npart) {
            put(d, " (partition");
            for (size_t i = 0; i < x->window->npart; i++) {
                put(d, " ");
                dexpr(d, x->window->part[i]);
            }
            put(d, ")");
        }
        dsorts(d, "order", x->window->order, x->window->norder);
        if (x->window->frame) {
            put(d, " (frame ");
            putn(d, x->window->frame);
            put(d, " ");
            putn(d, x->window->start);
            put(d, " ");
            putn(d, x->window->end);
            put(d, ")");
        }
        put(d, ")");
    }
    if (x->sub) {
        put(d, " ");
        dquery(d, x->sub);
    }
    put(d, ")");
}

static void drel(dd *d, const lh_brel *r)
{
    if (d->rc)
        return;
    static const char *const J[] = {"?", "inner", "left", "right", "full", "cross"};
    switch (r->kind) {
    case BR_TABLE:
        put(d, "(table #");
        putn(d, r->id);
        put(d, " ");
        put(d, r->db);
        put(d, ".");
        put(d, r->name);
        break;
    case BR_WORKTABLE:
        put(d, "(worktable #");
        putn(d, r->id);
        put(d, " rec ");
        putn(d, r->rec_id);
        break;
    case BR_QUERY:
        put(d, "(derived #");
        putn(d, r->id);
        if (r->name) {
            put(d, " ");
            put(d, r->name);
        }
        break;
    case BR_JOIN:
        put(d, "(join ");
        put(d, J[r->join >= 1 && r->join <= 5 ? r->join : 0]);
        put(d, " ");
        drel(d, r->left);
        put(d, " ");
        drel(d, r->right);
        if (r->nusing) {
            put(d, " (using");
            for (size_t i = 0; i < r->nusing; i++) {
                put(d, " ");
                put(d, r->using_[i]);
            }
            put(d, ")");
        }
        if (r->on) {
            put(d, " (on ");
            dexpr(d, r->on);
            put(d, ")");
        }
        put(d, ")");
        return;
    }
    if (r->alias) {
        put(d, " as ");
        put(d, r->alias);
    }
    if (r->sub) {
        put(d, " ");
        dquery(d, r->sub);
    }
    put(d, ")");
}

static void dcols(dd *d, const lh_bquery *q)
{
    put(d, "(cols");
    for (size_t i = 0; i < q->ncols; i++) {
        put(d, " (");
        putq(d, q->cols[i].name);
        put(d, " ");
        putt(d, q->cols[i].type);
        put(d, ")");
    }
    put(d, ")");
}

static void dlist(dd *d, const char *tag, lh_bexpr *const *v, size_t n)
{
    put(d, " (");
    put(d, tag);
    for (size_t i = 0; i < n; i++) {
        put(d, " ");
        dexpr(d, v[i]);
    }
    put(d, ")");
}

static void dquery(dd *d, const lh_bquery *q)
{
    if (d->rc)
        return;
    static const char *const K[] = {"?", "select", "setop", "values"};
    put(d, "(");
    put(d, K[q->kind]);
    if (q->correlated)
        put(d, " correlated");
    if (q->distinct)
        put(d, " distinct");
    put(d, " ");
    dcols(d, q);
    switch (q->kind) {
    case BQ_SELECT:
        dlist(d, "items", q->items, q->ncols);
        if (q->from) {
            put(d, " (from ");
            drel(d, q->from);
            put(d, ")");
        }
        if (q->where) {
            put(d, " (where ");
            dexpr(d, q->where);
            put(d, ")");
        }
        if (q->ngroups || q->grouped) {
            dlist(d, "group", q->groups, q->ngroups);
            for (size_t s = 0; s < q->nsets; s++) {
                put(d, " (set");
                for (size_t k = 0; k < q->set_len[s]; k++) {
                    put(d, " ");
                    putn(d, (long long)q->sets[s][k]);
                }
                put(d, ")");
            }
        }
        if (q->having) {
            put(d, " (having ");
            dexpr(d, q->having);
            put(d, ")");
        }
        break;
    case BQ_SETOP:
        put(d, q->setop == LH_SET_UNION ? " union" : q->setop == LH_SET_INTERSECT ? " intersect" : " except");
        put(d, q->all ? " all " : " distinct ");
        if (q->recursive) {
            put(d, "recursive ");
            putn(d, q->rec_id);
            put(d, " ");
        }
        dquery(d, q->left);
        put(d, " ");
        dquery(d, q->right);
        dlist(d, "left", q->lcast, q->ncols);
        dlist(d, "right", q->rcast, q->ncols);
        break;
    case BQ_VALUES:
        for (size_t r = 0; r < q->nrows; r++)
            dlist(d, "row", q->rows[r], q->ncols);
        break;
    }
    dsorts(d, "order", q->order, q->norder);
    if (q->offset >= 0) {
        put(d, " (offset ");
        putn(d, q->offset);
        put(d, ")");
    }
    if (q->limit >= 0) {
        put(d, q->with_ties ? " (limit-with-ties " : " (limit ");
        putn(d, q->limit);
        put(d, ")");
    }
    put(d, ")");
}

lh_rc lh_bound_dump_query(const lh_bquery *q, lh_buf *out, lh_err *err)
{
    dd d = {out, err, LH_OK};
    dquery(&d, q);
    return d.rc;
}

lh_rc lh_bound_dump(const lh_bound *b, lh_buf *out, lh_err *err)
{
    dd d = {out, err, LH_OK};
    if (b->explain)
        put(&d, b->explain == 2 ? "(explain-analyze " : "(explain ");
    dquery(&d, b->q);
    if (b->explain)
        put(&d, ")");
    return d.rc;
}

/* ---------------------------------------------------- catalog provider */

static lh_rc cat_lookup(void *ctx, const char *catalog, const char *db, const char *table, lh_arena *arena,
                        lh_schema_table *out, int *found, lh_err *err)
{
    lh_catalog *c = ctx;
    lh_table_def def = {0};
    *found = 0;
    if (catalog && strcmp(catalog, "awsdatacatalog") != 0)
        return LH_OK; /* one catalog: Athena's default */
    lh_rc rc = lh_catalog_get_table(c, db, table, &def, err);
    if (rc == LH_ENOTFOUND)
        return LH_OK;
    if (rc)
        return rc;
    out->n_cols = def.n_cols + 1;
    out->cols = lh_arena_alloc(arena, (def.n_cols + 1) * sizeof *out->cols);
    out->db = lh_arena_strndup(arena, def.db, strlen(def.db));
    out->name = lh_arena_strndup(arena, def.name, strlen(def.name));
    if (!out->cols || !out->db || !out->name) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < def.n_cols; i++) {
        lh_schema_col *col = &out->cols[i];
        memset(col, 0, sizeof *col);
        col->name = lh_arena_strndup(arena, def.cols[i].name, strlen(def.cols[i].name));
        if (!col->name) {
            rc = lh_errf(err, LH_ENOMEM, "out of memory");
            goto out;
        }
        lh_err e2;
        lh_rc r2 = lh_sqltype_from_hive_name(def.cols[i].type, strlen(def.cols[i].type), &col->type, &e2);
        if (r2 == LH_ENOMEM) {
            rc = lh_errf(err, LH_ENOMEM, "out of memory");
            goto out;
        }
        if (r2) {
            col->type = lh_sqltype_of(LH_SQL_UNKNOWN);
            col->refused = lh_arena_strndup(arena, e2.msg, strlen(e2.msg));
            if (!col->refused) {
                rc = lh_errf(err, LH_ENOMEM, "out of memory");
                goto out;
            }
        }
    }
    out->cols[def.n_cols] = (lh_schema_col){.name = "$path", .type = lh_sqltype_varchar(LH_SQL_UNBOUNDED), .hidden = 1};
    *found = 1;
out:
    lh_table_def_free(&def);
    return rc;
}

static lh_rc cat_list(void *ctx, const char *db, lh_arena *arena, const char ***names, size_t *n, lh_err *err)
{
    char **v = NULL;
    size_t k = 0;
    lh_rc rc = lh_catalog_list_tables(ctx, db, &v, &k, err);
    if (rc)
        return rc;
    const char **copy = lh_arena_alloc(arena, (k + 1) * sizeof *copy);
    for (size_t i = 0; copy && i < k; i++)
        if (!(copy[i] = lh_arena_strndup(arena, v[i], strlen(v[i]))))
            copy = NULL;
    lh_strv_free(v, k);
    if (!copy)
        return lh_errf(err, LH_ENOMEM, "out of memory");
    *names = copy;
    *n = k;
    return LH_OK;
}

lh_schema lh_schema_from_catalog(lh_catalog *cat, const char *default_db)
{
    lh_schema s = {.ctx = cat, .default_db = default_db, .lookup = cat_lookup, .list_tables = cat_list};
    return s;
}
