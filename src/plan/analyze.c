/* plan/analyze.c — scopes, relations, queries (see analyze.h).
 * Expressions are in analyze_expr.c; the dump and the catalog provider in
 * bound.c. */
#include "plan/analyze_priv.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/names.h"

lh_rc az_err(az *a, lh_pos pos, lh_rc code, const char *fmt, ...)
{
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return lh_errf(a->err, code, "%s:%d:%d: %s", a->file, pos.line, pos.col, msg);
}

/* Re-position an error a helper reported without one. */
lh_rc az_wrap(az *a, lh_pos pos, lh_rc rc)
{
    if (rc == LH_ENOMEM)
        return rc;
    char msg[sizeof a->err->msg];
    snprintf(msg, sizeof msg, "%s", a->err->msg);
    return az_err(a, pos, rc, "%s", msg);
}

void *az_alloc(az *a, size_t n)
{
    void *p = lh_arena_alloc(&a->b->arena, n ? n : 1);
    if (p)
        memset(p, 0, n ? n : 1);
    return p;
}

const char *az_strdup(az *a, const char *s)
{
    return s ? lh_arena_strndup(&a->b->arena, s, strlen(s)) : NULL;
}

/* Grow a pointer vector (arena; the old block is abandoned). */
lh_rc az_push(az *a, void ***v, size_t *n, size_t *cap, void *x)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 8;
        void **nv = az_alloc(a, nc * sizeof *nv);
        if (!nv)
            return LH_ENOMEM;
        if (*n)
            memcpy(nv, *v, *n * sizeof *nv);
        *v = nv;
        *cap = nc;
    }
    (*v)[(*n)++] = x;
    return LH_OK;
}

lh_rc az_fmt(az *a, const lh_ast_node *n, const char **out)
{
    lh_buf b;
    lh_buf_init(&b, 4096);
    lh_rc rc = lh_ast_format(n, &b, NULL);
    if (rc == LH_ELIMIT || rc == LH_EINTERNAL) {
        lh_buf_reset(&b);
        rc = lh_buf_puts(&b, "...", NULL);
    }
    if (rc) {
        lh_buf_free(&b);
        return lh_errf(a->err, LH_ENOMEM, "out of memory");
    }
    const char *s = lh_buf_cstr(&b);
    *out = s ? az_strdup(a, s) : NULL;
    lh_buf_free(&b);
    return *out ? LH_OK : lh_errf(a->err, LH_ENOMEM, "out of memory");
}

static lh_rc nomem(az *a) { return lh_errf(a->err, LH_ENOMEM, "out of memory"); }

lh_rc az_name_text(az *a, const lh_ast_node *name, const char **out)
{
    size_t len = 1;
    const lh_ast_list *L = &name->list[0];
    for (size_t i = 0; i < L->n; i++)
        len += strlen(L->items[i]->orig) + 1;
    char *s = az_alloc(a, len);
    if (!s)
        return nomem(a);
    for (size_t i = 0; i < L->n; i++) {
        if (i)
            strcat(s, ".");
        strcat(s, L->items[i]->orig);
    }
    *out = s;
    return LH_OK;
}

const char *az_nearest(const char *name, const char *const *cands, size_t n)
{
    const char *best = lh_name_nearest(name, cands, n);
    if (!best)
        return NULL;
    unsigned d = lh_edit_distance(name, best);
    /* ties: the longest common prefix, then the most of name's letters in order */
    size_t bp = 0, bs = 0;
    for (size_t i = 0; i < n; i++) {
        if (lh_edit_distance(name, cands[i]) != d)
            continue;
        size_t p = 0, sq = 0;
        while (name[p] && name[p] == cands[i][p])
            p++;
        for (const char *c = cands[i], *m = name; *c && *m; c++)
            if (*c == *m)
                m++, sq++;
        if (p > bp || (p == bp && sq > bs)) {
            bp = p;
            bs = sq;
            best = cands[i];
        }
    }
    return best;
}

/* ---------------------------------------------------------------- scopes */

static lh_rc scope_add(az *a, az_scope *s, const az_field *f)
{
    if (s->n == s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 16;
        az_field *nf = az_alloc(a, nc * sizeof *nf);
        if (!nf)
            return nomem(a);
        if (s->n)
            memcpy(nf, s->f, s->n * sizeof *nf);
        s->f = nf;
        s->cap = nc;
    }
    s->f[s->n++] = *f;
    return LH_OK;
}

static int qual_match(const az_field *f, const char *const *q, size_t nq)
{
    /* q: the qualifier parts (1: table or alias; 2: db.table) */
    if (nq == 1)
        return f->qual && strcasecmp(f->qual, q[0]) == 0;
    if (nq == 2)
        return f->qual && f->db && strcasecmp(f->db, q[0]) == 0 && strcasecmp(f->qual, q[1]) == 0;
    if (nq == 3)
        return f->qual && f->db && strcasecmp(f->db, q[1]) == 0 && strcasecmp(f->qual, q[2]) == 0;
    return 0;
}

/* Find a column in scope s: name with qualifier parts q[0..nq).
 * *hit: -1 none, -2 ambiguous, else the field index. */
static int scope_find(const az_scope *s, const char *const *q, size_t nq, const char *name)
{
    int hit = -1;
    for (size_t i = 0; i < s->n; i++) {
        const az_field *f = &s->f[i];
        if (strcasecmp(f->name, name) != 0)
            continue;
        if (nq ? !qual_match(f, q, nq) : f->using_dup)
            continue;
        if (hit >= 0)
            return -2;
        hit = (int)i;
    }
    return hit;
}

/* The expression an unqualified name of field f stands for: its column, or
 * for a USING column of a FULL join coalesce(left, right), of a RIGHT join
 * the right side's column (Trino: the USING column is the joined value). */
static lh_rc field_expr(az *a, const az_field *f, lh_pos pos, int depth, lh_bexpr **out)
{
    lh_bexpr *x = az_alloc(a, sizeof *x);
    if (!x)
        return nomem(a);
    *x = (lh_bexpr){.kind = BX_COL, .type = f->type, .pos = pos, .name = f->name, .rel = f->rel, .col = f->col,
                    .depth = depth};
    if (f->using_first && f->using_join == LH_JOIN_RIGHT) {
        x->rel = f->urel;
        x->col = f->ucol;
    } else if (f->using_first && f->using_join == LH_JOIN_FULL) {
        lh_bexpr *r = az_alloc(a, sizeof *r), *c = az_alloc(a, sizeof *c);
        lh_bexpr **args = az_alloc(a, 2 * sizeof *args);
        if (!r || !c || !args)
            return nomem(a);
        *r = *x;
        r->rel = f->urel;
        r->col = f->ucol;
        args[0] = x;
        args[1] = r;
        *c = (lh_bexpr){.kind = BX_CALL, .type = f->type, .pos = pos, .name = "coalesce", .args = args, .nargs = 2,
                        .fn = lh_fn_lookup("coalesce")};
        *out = c;
        return LH_OK;
    }
    *out = x;
    return LH_OK;
}

lh_rc az_resolve_column(az *a, const az_ectx *e, const lh_ast_node *name_node, lh_bexpr **out)
{
    const lh_ast_list *parts = &name_node->list[0];
    size_t np = parts->n;
    const char *q[3];
    const lh_ast_node *cn = parts->items[np - 1];
    if (np > 4)
        return az_err(a, name_node->pos, LH_EUNSUPPORTED, "Too many dots in column reference");
    for (size_t i = 0; i + 1 < np && i < 3; i++)
        q[i] = parts->items[i]->name;
    int depth = 0;
    for (const az_scope *s = e->sc; s; s = s->parent, depth++) {
        int hit = scope_find(s, q, np - 1, cn->name);
        if (hit == -1 && np >= 2) {
            /* a.b may be column a's field b: nested types come later */
            int base = scope_find(s, q, 0, parts->items[0]->name);
            if (base >= 0)
                return az_err(a, name_node->pos, LH_EUNSUPPORTED,
                              "Column '%s' has no fields: nested types (row) are not supported yet",
                              parts->items[0]->name);
        }
        if (hit == -2) {
            const char *txt;
            lh_rc rc = az_name_text(a, name_node, &txt);
            if (rc)
                return rc;
            return az_err(a, name_node->pos, LH_EINVAL, "Column '%s' is ambiguous", txt);
        }
        if (hit >= 0) {
            const az_field *f = &s->f[hit];
            if (f->refused)
                return az_err(a, name_node->pos, LH_EUNSUPPORTED, "Column '%s': %s", f->name, f->refused);
            lh_bexpr *x;
            lh_rc rc2 = np > 1 ? (x = az_alloc(a, sizeof *x)) ? LH_OK : nomem(a) : field_expr(a, f, name_node->pos, depth, &x);
            if (rc2)
                return rc2;
            if (np > 1) {
                *x = (lh_bexpr){.kind = BX_COL, .type = f->type, .pos = name_node->pos, .name = f->name, .rel = f->rel,
                                .col = f->col, .depth = depth};
            }
            x->ast = name_node;
            if (depth > 0)
                for (az_scope *t = (az_scope *)e->sc; t && t != s; t = t->parent)
                    if (t->q)
                        t->q->correlated = 1;
            *out = x;
            return LH_OK;
        }
    }
    /* unknown: did you mean? over every visible name */
    const char *txt;
    lh_rc rc = az_name_text(a, name_node, &txt);
    if (rc)
        return rc;
    size_t nc = 0;
    for (const az_scope *s = e->sc; s; s = s->parent)
        nc += s->n;
    const char **cands = az_alloc(a, (nc + 1) * sizeof *cands);
    if (!cands)
        return nomem(a);
    nc = 0;
    for (const az_scope *s = e->sc; s; s = s->parent)
        for (size_t i = 0; i < s->n; i++)
            if (!s->f[i].hidden)
                cands[nc++] = s->f[i].name;
    const char *near = az_nearest(cn->name, cands, nc);
    const char *shown = txt;
    if (near)
        return az_err(a, name_node->pos, LH_ENOTFOUND, "Column '%s' cannot be resolved (did you mean '%s'?)", shown,
                      near);
    return az_err(a, name_node->pos, LH_ENOTFOUND, "Column '%s' cannot be resolved", shown);
}

/* ------------------------------------------------------------ relations */

static lh_rc parse_count(az *a, const lh_ast_node *num, long long *out)
{
    if (!num) {
        *out = 1;
        return LH_OK;
    }
    if (num->kind == LH_AST_PARAM)
        return az_err(a, num->pos, LH_EUNSUPPORTED, "Query parameters (?) are not supported");
    if (!num->text)
        return az_err(a, num->pos, LH_EINVAL, "a row count must be an integer literal");
    char *end;
    errno = 0;
    unsigned long long v = strtoull(num->text, &end, 10);
    if (errno || *end || v > (unsigned long long)INT64_MAX || num->op != LH_LIT_INTEGER)
        return az_err(a, num->pos, LH_EINVAL, "Invalid numeric literal: %s", num->text);
    *out = (long long)v;
    return LH_OK;
}

static lh_rc bind_relation(az *a, const lh_ast_node *n, az_scope *sc, const az_scope *outer, lh_brel **out);

static lh_brel *new_leaf(az *a, lh_br_kind k)
{
    lh_brel *r = az_alloc(a, sizeof *r);
    if (r) {
        r->kind = k;
        r->id = a->next_rel++;
    }
    return r;
}

static lh_rc add_leaf_fields(az *a, az_scope *sc, const lh_brel *r, const char *db, const char *qual,
                             const char *const *refused)
{
    for (size_t i = 0; i < r->ncols; i++) {
        az_field f = {0};
        f.db = db;
        f.qual = qual;
        f.name = r->cols[i].name;
        f.type = r->cols[i].type;
        f.rel = r->id;
        f.col = (int)i;
        f.hidden = r->cols[i].hidden;
        f.refused = refused ? refused[i] : NULL;
        lh_rc rc = scope_add(a, sc, &f);
        if (rc)
            return rc;
    }
    return LH_OK;
}

static const az_cte *cte_find(const az_cte *c, const char *name)
{
    for (; c; c = c->next)
        if (strcasecmp(c->name, name) == 0)
            return c;
    return NULL;
}

static lh_rc bind_table(az *a, const lh_ast_node *n, const lh_ast_node *alias, const lh_ast_list *colalias,
                        az_scope *sc, lh_brel **out)
{
    const lh_ast_list *parts = &n->kid[0]->list[0];
    const char *cat = NULL, *db = NULL, *tab;
    lh_brel *r = NULL;
    const char **refused = NULL;
    lh_rc rc;
    tab = parts->items[parts->n - 1]->name;
    if (parts->n >= 2)
        db = parts->items[parts->n - 2]->name;
    if (parts->n == 3)
        cat = parts->items[0]->name;
    const az_cte *cte = parts->n == 1 ? cte_find(a->ctes, tab) : NULL;
    if (cte && cte->wt_cols) { /* the working table, inside a recursive query's step */
        r = new_leaf(a, BR_WORKTABLE);
        if (!r)
            return nomem(a);
        r->name = cte->name;
        r->rec_id = cte->wt_id;
        r->ncols = cte->wt_ncols;
        r->cols = az_alloc(a, (r->ncols + 1) * sizeof *r->cols);
        if (!r->cols)
            return nomem(a);
        memcpy(r->cols, cte->wt_cols, r->ncols * sizeof *r->cols);
        db = NULL;
    } else if (cte) {
        r = new_leaf(a, BR_QUERY);
        if (!r)
            return nomem(a);
        const az_cte *saved = a->ctes;
        a->ctes = cte->next; /* a WITH query sees only the ones before it */
        rc = cte->anchor ? az_bind_recursive(a, cte, &r->sub) : az_bind_query(a, cte->query, NULL, &r->sub);
        a->ctes = saved;
        if (rc)
            return rc;
        r->name = cte->name;
        r->ncols = r->sub->ncols;
        r->cols = az_alloc(a, (r->ncols + 1) * sizeof *r->cols);
        if (!r->cols)
            return nomem(a);
        for (size_t i = 0; i < r->ncols; i++)
            r->cols[i] = r->sub->cols[i];
        if (cte->cols->n) {
            if (cte->cols->n != r->ncols)
                return az_err(a, cte->pos, LH_EINVAL, "WITH column alias list has %zu entries but WITH query '%s' has %zu columns",
                              cte->cols->n, cte->name, r->ncols);
            for (size_t i = 0; i < r->ncols; i++)
                if (!(r->cols[i].name = az_strdup(a, cte->cols->items[i]->name)))
                    return nomem(a);
        }
        db = NULL;
    } else {
        if (!db)
            db = a->schema->default_db;
        if (!db)
            return az_err(a, n->pos, LH_EINVAL, "Schema must be specified when session schema is not set");
        lh_schema_table t = {0};
        int found = 0;
        rc = a->schema->lookup(a->schema->ctx, cat, db, tab, &a->b->arena, &t, &found, a->err);
        if (rc)
            return rc == LH_ENOMEM ? rc : az_wrap(a, n->pos, rc);
        if (!found) {
            const char **names = NULL;
            size_t nn = 0;
            const char *near = NULL;
            if (a->schema->list_tables) {
                rc = a->schema->list_tables(a->schema->ctx, db, &a->b->arena, &names, &nn, a->err);
                if (rc == LH_ENOMEM)
                    return rc;
                if (rc == LH_OK)
                    near = az_nearest(tab, names, nn);
            }
            if (near)
                return az_err(a, n->pos, LH_ENOTFOUND, "Table '%s%s%s.%s' does not exist (did you mean '%s.%s'?)",
                              cat ? cat : "", cat ? "." : "", db, tab, db, near);
            return az_err(a, n->pos, LH_ENOTFOUND, "Table '%s%s%s.%s' does not exist", cat ? cat : "", cat ? "." : "",
                          db, tab);
        }
        r = new_leaf(a, BR_TABLE);
        if (!r)
            return nomem(a);
        r->db = az_strdup(a, db);
        if (!r->db)
            return nomem(a);
        r->name = az_strdup(a, tab);
        if (!r->name)
            return nomem(a);
        r->ncols = t.n_cols;
        r->cols = az_alloc(a, (t.n_cols + 1) * sizeof *r->cols);
        refused = az_alloc(a, (t.n_cols + 1) * sizeof *refused);
        if (!r->db || !r->name || !r->cols || !refused)
            return nomem(a);
        size_t visible = 0;
        for (size_t i = 0; i < t.n_cols; i++) {
            r->cols[i].name = t.cols[i].name;
            r->cols[i].type = t.cols[i].type;
            r->cols[i].hidden = t.cols[i].hidden;
            refused[i] = t.cols[i].refused;
            visible += !t.cols[i].hidden;
        }
        if (colalias && colalias->n) {
            if (colalias->n != visible)
                return az_err(a, alias->pos, LH_EINVAL, "Column alias list has %zu entries but '%s' has %zu columns available",
                              colalias->n, alias->name, visible);
            size_t k = 0;
            for (size_t i = 0; i < t.n_cols; i++)
                if (!t.cols[i].hidden && !(r->cols[i].name = az_strdup(a, colalias->items[k++]->name)))
                    return nomem(a);
        }
    }
    if (cte && colalias && colalias->n) {
        if (colalias->n != r->ncols)
            return az_err(a, alias->pos, LH_EINVAL, "Column alias list has %zu entries but '%s' has %zu columns available",
                          colalias->n, alias->name, r->ncols);
        for (size_t i = 0; i < r->ncols; i++)
            if (!(r->cols[i].name = az_strdup(a, colalias->items[i]->name)))
                return nomem(a);
    }
    r->alias = alias ? az_strdup(a, alias->name) : NULL;
    if (alias && !r->alias)
        return nomem(a);
    rc = add_leaf_fields(a, sc, r, alias ? NULL : db, alias ? alias->name : r->name, refused);
    if (rc)
        return rc;
    *out = r;
    return LH_OK;
}

static lh_rc bind_subrel(az *a, const lh_ast_node *q, const lh_ast_node *alias, const lh_ast_list *colalias,
                         az_scope *sc, const az_scope *outer, lh_brel **out)
{
    lh_brel *r = new_leaf(a, BR_QUERY);
    if (!r)
        return nomem(a);
    /* Trino: a subquery in FROM does not see its siblings, only outer queries */
    lh_rc rc = az_bind_query(a, q, outer, &r->sub);
    if (rc)
        return rc;
    r->ncols = r->sub->ncols;
    r->cols = az_alloc(a, (r->ncols + 1) * sizeof *r->cols);
    if (!r->cols)
        return nomem(a);
    for (size_t i = 0; i < r->ncols; i++)
        r->cols[i] = r->sub->cols[i];
    if (colalias && colalias->n) {
        if (colalias->n != r->ncols)
            return az_err(a, alias->pos, LH_EINVAL, "Column alias list has %zu entries but '%s' has %zu columns available",
                          colalias->n, alias->name, r->ncols);
        for (size_t i = 0; i < r->ncols; i++)
            if (!(r->cols[i].name = az_strdup(a, colalias->items[i]->name)))
                return nomem(a);
    }
    if (r->sub->correlated)
        return az_err(a, q->pos, LH_EUNSUPPORTED, "LATERAL references are not supported");
    r->alias = alias ? az_strdup(a, alias->name) : NULL;
    if (alias && !r->alias)
        return nomem(a);
    rc = add_leaf_fields(a, sc, r, NULL, r->alias, NULL);
    if (rc)
        return rc;
    *out = r;
    return LH_OK;
}

static lh_rc bind_join(az *a, const lh_ast_node *n, az_scope *sc, const az_scope *outer, lh_brel **out)
{
    lh_brel *j = az_alloc(a, sizeof *j);
    if (!j)
        return nomem(a);
    j->kind = BR_JOIN;
    j->join = n->op;
    j->id = -1;
    if (n->flags & LH_AST_F_NATURAL)
        return az_err(a, n->pos, LH_EUNSUPPORTED, "Natural join not supported");
    size_t left_start = sc->n;
    lh_rc rc = bind_relation(a, n->kid[0], sc, outer, &j->left);
    if (rc)
        return rc;
    size_t right_start = sc->n;
    rc = bind_relation(a, n->kid[1], sc, outer, &j->right);
    if (rc)
        return rc;
    size_t right_end = sc->n;
    if (n->list[0].n) {
        j->nusing = n->list[0].n;
        j->using_ = az_alloc(a, j->nusing * sizeof *j->using_);
        if (!j->using_)
            return nomem(a);
        lh_bexpr **terms = az_alloc(a, j->nusing * sizeof *terms);
        if (!terms)
            return nomem(a);
        for (size_t u = 0; u < j->nusing; u++) {
            const lh_ast_node *id = n->list[0].items[u];
            int li = -1, ri = -1;
            for (size_t i = left_start; i < right_start; i++)
                if (!sc->f[i].using_dup && strcasecmp(sc->f[i].name, id->name) == 0)
                    li = li == -1 ? (int)i : -2;
            for (size_t i = right_start; i < right_end; i++)
                if (!sc->f[i].using_dup && strcasecmp(sc->f[i].name, id->name) == 0)
                    ri = ri == -1 ? (int)i : -2;
            if (li == -1)
                return az_err(a, id->pos, LH_ENOTFOUND, "Column '%s' is missing from left side of join", id->orig);
            if (ri == -1)
                return az_err(a, id->pos, LH_ENOTFOUND, "Column '%s' is missing from right side of join", id->orig);
            if (li == -2 || ri == -2)
                return az_err(a, id->pos, LH_EINVAL, "Column '%s' is ambiguous", id->orig);
            j->using_[u] = az_strdup(a, id->name);
            if (!j->using_[u])
                return nomem(a);
            az_field *lf = &sc->f[li], *rf = &sc->f[ri];
            lh_bexpr *l = az_alloc(a, sizeof *l), *r = az_alloc(a, sizeof *r);
            if (!l || !r)
                return nomem(a);
            *l = (lh_bexpr){.kind = BX_COL, .type = lf->type, .pos = id->pos, .name = lf->name, .rel = lf->rel, .col = lf->col};
            *r = (lh_bexpr){.kind = BX_COL, .type = rf->type, .pos = id->pos, .name = rf->name, .rel = rf->rel, .col = rf->col};
            rc = az_make_op(a, LH_BOP_EQ, l, r, id->pos, &terms[u]);
            if (rc)
                return rc;
            /* Trino: an unqualified USING column is one column (the left's here;
             * a full join coalesces, which the planner will do) */
            rf->using_dup = 1;
            lf->using_first = 1;
            if (lh_sqltype_equal(lf->type, rf->type) && (j->join == LH_JOIN_FULL || j->join == LH_JOIN_RIGHT)) {
                lf->using_join = j->join;
                lf->urel = rf->rel;
                lf->ucol = rf->col;
            }
        }
        if (j->nusing == 1)
            j->on = terms[0];
        else {
            lh_bexpr *and = az_alloc(a, sizeof *and);
            if (!and)
                return nomem(a);
            and->kind = BX_AND;
            and->type = lh_sqltype_of(LH_SQL_BOOLEAN);
            and->pos = n->pos;
            and->args = terms;
            and->nargs = j->nusing;
            j->on = and;
        }
    } else if (n->kid[2]) {
        /* ON sees both sides and the outer queries */
        az_scope on_sc = *sc;
        on_sc.parent = (az_scope *)outer;
        az_ectx e = {.sc = &on_sc, .clause = "JOIN"};
        rc = az_bind_expr(a, &e, n->kid[2], &j->on);
        if (rc)
            return rc;
        rc = az_require_boolean(a, &j->on, n->kid[2], "JOIN ON clause must evaluate to a boolean: actual type %s");
        if (rc)
            return rc;
    } else if (n->op != LH_JOIN_CROSS)
        return az_err(a, n->pos, LH_EINVAL, "Join requires an ON or USING clause");
    *out = j;
    return LH_OK;
}

static lh_rc bind_relation(az *a, const lh_ast_node *n, az_scope *sc, const az_scope *outer, lh_brel **out)
{
    switch (n->kind) {
    case LH_AST_TABLE:
        return bind_table(a, n, NULL, NULL, sc, out);
    case LH_AST_SUBQUERY:
        return bind_subrel(a, n->kid[0], NULL, NULL, sc, outer, out);
    case LH_AST_ALIASED: {
        const lh_ast_node *rel = n->kid[0];
        if (rel->kind == LH_AST_TABLE)
            return bind_table(a, rel, n->kid[1], &n->list[0], sc, out);
        if (rel->kind == LH_AST_SUBQUERY)
            return bind_subrel(a, rel->kid[0], n->kid[1], &n->list[0], sc, outer, out);
        /* (a JOIN b) AS x: rename the qualifier of every column */
        size_t start = sc->n;
        lh_rc rc = bind_relation(a, rel, sc, outer, out);
        if (rc)
            return rc;
        if (n->list[0].n)
            return az_err(a, n->pos, LH_EUNSUPPORTED, "Column aliases on a join are not supported");
        for (size_t i = start; i < sc->n; i++) {
            sc->f[i].qual = n->kid[1]->name;
            sc->f[i].db = NULL;
        }
        return LH_OK;
    }
    case LH_AST_JOIN:
        return bind_join(a, n, sc, outer, out);
    default:
        return az_err(a, n->pos, LH_EUNSUPPORTED, "Relation %s is not supported", lh_ast_kind_name(n->kind));
    }
}

/* -------------------------------------------------------------- queries */

static lh_rc output_name(az *a, const lh_ast_node *item, const lh_bexpr *x, size_t idx, const char **out)
{
    if (item->kid[1]) {
        *out = az_strdup(a, item->kid[1]->name);
        if (!*out)
            return nomem(a);
        return LH_OK;
    }
    const lh_ast_node *e = item->kid[0];
    if (e->kind == LH_AST_COLUMN && x->kind == BX_COL) {
        *out = x->name;
        return LH_OK;
    }
    char buf[32];
    snprintf(buf, sizeof buf, "_col%zu", idx);
    *out = az_strdup(a, buf);
    if (!*out)
        return nomem(a);
    return *out ? LH_OK : nomem(a);
}

typedef struct vec {
    void **v;
    size_t n, cap;
} vec;

/* SELECT items: * and t.* expand to the visible columns. */
static lh_rc bind_items(az *a, const lh_ast_node *sel, az_scope *sc, lh_bquery *q, vec *items, vec *names,
                        vec *asts)
{
    lh_rc rc;
    for (size_t i = 0; i < sel->list[0].n; i++) {
        const lh_ast_node *it = sel->list[0].items[i];
        if (it->kind == LH_AST_ALL_COLUMNS) {
            size_t np = it->kid[0] ? it->kid[0]->list[0].n : 0;
            const char *qp[3];
            for (size_t k = 0; k < np && k < 3; k++)
                qp[k] = it->kid[0]->list[0].items[k]->name;
            if (np > 3)
                return az_err(a, it->pos, LH_EUNSUPPORTED, "Too many dots in %s.*", "column reference");
            size_t before = items->n;
            /* USING columns first, once (Trino) */
            for (int pass = 0; pass < 2; pass++)
                for (size_t k = 0; k < sc->n; k++) {
                    const az_field *f = &sc->f[k];
                    if (f->hidden || (np ? !qual_match(f, qp, np) : (f->using_dup || (pass == 0) != f->using_first)))
                        continue;
                    if (np && pass == 1)
                        continue;
                    if (f->refused)
                        return az_err(a, it->pos, LH_EUNSUPPORTED, "Column '%s': %s", f->name, f->refused);
                    lh_bexpr *x;
                    if ((rc = np ? (x = az_alloc(a, sizeof *x)) ? LH_OK : nomem(a) : field_expr(a, f, it->pos, 0, &x)))
                        return rc;
                    if (np)
                        *x = (lh_bexpr){.kind = BX_COL, .type = f->type, .pos = it->pos, .name = f->name, .rel = f->rel,
                                        .col = f->col};
                    if ((rc = az_push(a, &items->v, &items->n, &items->cap, x)) ||
                        (rc = az_push(a, &names->v, &names->n, &names->cap, (void *)f->name)) ||
                        (rc = az_push(a, &asts->v, &asts->n, &asts->cap, (void *)it)))
                        return rc == LH_ENOMEM ? nomem(a) : rc;
                }
            if (items->n == before) {
                if (np) {
                    const char *txt;
                    if ((rc = az_name_text(a, it->kid[0], &txt)))
                        return rc;
                    return az_err(a, it->pos, LH_ENOTFOUND, "Table '%s' not found", txt);
                }
                return az_err(a, it->pos, LH_EINVAL, "SELECT * not allowed in queries without FROM clause");
            }
            continue;
        }
        az_ectx e = {.sc = sc, .agg_ok = 1, .window_ok = 1, .clause = "SELECT", .q = q};
        lh_bexpr *x;
        if ((rc = az_bind_expr(a, &e, it->kid[0], &x)))
            return rc;
        const char *nm;
        if ((rc = output_name(a, it, x, items->n, &nm)))
            return rc;
        if ((rc = az_push(a, &items->v, &items->n, &items->cap, x)) ||
            (rc = az_push(a, &names->v, &names->n, &names->cap, (void *)nm)) ||
            (rc = az_push(a, &asts->v, &asts->n, &asts->cap, (void *)it->kid[0])))
            return nomem(a);
    }
    return LH_OK;
}

static lh_rc add_group(az *a, az_ectx *e, const lh_ast_node *g, vec *groups, vec *gasts, lh_bexpr **items,
                       const lh_ast_node **item_asts, size_t nitems, size_t *idx)
{
    lh_bexpr *x;
    lh_rc rc;
    if (g->kind == LH_AST_NUMBER && g->op == LH_LIT_INTEGER) {
        long long k;
        if ((rc = parse_count(a, g, &k)))
            return rc;
        if (k < 1 || (size_t)k > nitems)
            return az_err(a, g->pos, LH_EINVAL, "GROUP BY position %lld is not in select list", k);
        x = items[k - 1];
        if (az_has_agg(x))
            return az_err(a, g->pos, LH_EINVAL, "GROUP BY position %lld is an aggregate", k);
        g = item_asts[k - 1];
    } else {
        if ((rc = az_bind_expr(a, e, g, &x)))
            return rc;
    }
    for (size_t i = 0; i < groups->n; i++)
        if (az_expr_equal(groups->v[i], x)) {
            *idx = i;
            return LH_OK;
        }
    *idx = groups->n;
    if (az_push(a, &groups->v, &groups->n, &groups->cap, x) || az_push(a, &gasts->v, &gasts->n, &gasts->cap, (void *)g))
        return nomem(a);
    return LH_OK;
}

static lh_rc add_set(az *a, lh_bquery *q, vec *sets, vec *lens, size_t *ix, size_t n)
{
    size_t *copy = az_alloc(a, (n + 1) * sizeof *copy);
    size_t *len = az_alloc(a, sizeof *len);
    if (!copy || !len)
        return nomem(a);
    memcpy(copy, ix, n * sizeof *ix);
    *len = n;
    if (az_push(a, &sets->v, &sets->n, &sets->cap, copy) || az_push(a, &lens->v, &lens->n, &lens->cap, len))
        return nomem(a);
    return LH_OK;
}

#define MAX_SETS 4096

static lh_rc bind_group_by(az *a, const lh_ast_node *gb, az_scope *sc, lh_bquery *q, lh_bexpr **items,
                           const lh_ast_node **item_asts, size_t nitems, vec *groups, vec *gasts)
{
    az_ectx e = {.sc = sc, .clause = "GROUP BY"};
    int complex = 0;
    lh_rc rc;
    /* plain elements form one set, crossed with each GROUPING SETS/ROLLUP/CUBE */
    size_t base[LH_FN_MAX_ARGS * 4], nbase = 0;
    size_t **cur_sets = az_alloc(a, MAX_SETS * sizeof *cur_sets), **nsets = az_alloc(a, MAX_SETS * sizeof *nsets);
    size_t *cur_len = az_alloc(a, MAX_SETS * sizeof *cur_len), *nlen = az_alloc(a, MAX_SETS * sizeof *nlen), ncur = 1;
    if (!cur_sets || !nsets || !cur_len || !nlen)
        return lh_errf(a->err, LH_ENOMEM, "out of memory");
    cur_sets[0] = base;
    cur_len[0] = 0;
    if (gb->flags & LH_AST_F_AUTO) { /* GROUP BY AUTO: each select item that holds no aggregate */
        for (size_t i = 0; i < nitems; i++) {
            size_t ix;
            if (az_has_agg(items[i]))
                continue;
            if ((rc = add_group(a, &e, item_asts[i], groups, gasts, items, item_asts, nitems, &ix)))
                return rc;
        }
        return LH_OK;
    }
    for (size_t i = 0; i < gb->list[0].n; i++) {
        const lh_ast_node *g = gb->list[0].items[i];
        if (g->kind == LH_AST_GROUPING_SETS || g->kind == LH_AST_ROLLUP || g->kind == LH_AST_CUBE) {
            complex = 1;
            size_t m = g->list[0].n;
            size_t ids[64];
            vec alt = {0}, altl = {0};
            if (g->kind == LH_AST_GROUPING_SETS) {
                for (size_t s = 0; s < m; s++) {
                    const lh_ast_node *el = g->list[0].items[s];
                    size_t k = 0;
                    const lh_ast_list *L = el->kind == LH_AST_EXPR_LIST ? &el->list[0] : NULL;
                    size_t cnt = L ? L->n : 1;
                    if (cnt > 64)
                        return az_err(a, el->pos, LH_ELIMIT, "Too many grouping columns in a set");
                    for (size_t t = 0; t < cnt; t++)
                        if ((rc = add_group(a, &e, L ? L->items[t] : el, groups, gasts, items, item_asts, nitems,
                                            &ids[k++])))
                            return rc;
                    if ((rc = add_set(a, q, &alt, &altl, ids, k)))
                        return rc;
                }
            } else {
                if (m > 16)
                    return az_err(a, g->pos, LH_ELIMIT, "Too many columns in %s", g->kind == LH_AST_CUBE ? "CUBE" : "ROLLUP");
                for (size_t t = 0; t < m; t++)
                    if ((rc = add_group(a, &e, g->list[0].items[t], groups, gasts, items, item_asts, nitems, &ids[t])))
                        return rc;
                if (g->kind == LH_AST_ROLLUP) {
                    for (size_t k = m + 1; k-- > 0;)
                        if ((rc = add_set(a, q, &alt, &altl, ids, k)))
                            return rc;
                } else {
                    for (size_t mask = (1u << m); mask-- > 0;) {
                        size_t sub[16], k = 0;
                        for (size_t t = 0; t < m; t++)
                            if (mask & (1u << (m - 1 - t)))
                                sub[k++] = ids[t];
                        if ((rc = add_set(a, q, &alt, &altl, sub, k)))
                            return rc;
                    }
                }
            }
            /* cross product */
            size_t nn = ncur * alt.n;
            if (nn > MAX_SETS)
                return az_err(a, g->pos, LH_ELIMIT, "GROUP BY has more than %d grouping sets", MAX_SETS);
            size_t w = 0;
            for (size_t c = 0; c < ncur; c++)
                for (size_t s = 0; s < alt.n; s++) {
                    size_t l2 = *(size_t *)altl.v[s];
                    size_t *m2 = az_alloc(a, (cur_len[c] + l2 + 1) * sizeof *m2);
                    if (!m2)
                        return nomem(a);
                    memcpy(m2, cur_sets[c], cur_len[c] * sizeof *m2);
                    memcpy(m2 + cur_len[c], alt.v[s], l2 * sizeof *m2);
                    nsets[w] = m2;
                    nlen[w++] = cur_len[c] + l2;
                }
            memcpy(cur_sets, nsets, w * sizeof *nsets);
            memcpy(cur_len, nlen, w * sizeof *nlen);
            if (w == 0)
                ncur = 0;
            ncur = w;
        } else if (g->kind == LH_AST_EXPR_LIST) {
            /* GROUP BY (a, b) is GROUP BY a, b; GROUP BY () a global aggregation */
            for (size_t t = 0; t < g->list[0].n; t++) {
                size_t ix;
                if ((rc = add_group(a, &e, g->list[0].items[t], groups, gasts, items, item_asts, nitems, &ix)))
                    return rc;
                if (nbase >= sizeof base / sizeof base[0])
                    return az_err(a, g->pos, LH_ELIMIT, "Too many GROUP BY columns");
                if (ncur != 1 || cur_sets[0] != base)
                    for (size_t c = 0; c < ncur; c++) {
                        size_t *m2 = az_alloc(a, (cur_len[c] + 1) * sizeof *m2);
                        if (!m2)
                            return nomem(a);
                        memcpy(m2, cur_sets[c], cur_len[c] * sizeof *m2);
                        m2[cur_len[c]++] = ix;
                        cur_sets[c] = m2;
                    }
                else
                    base[nbase++] = ix, cur_len[0] = nbase;
            }
        } else {
            size_t ix;
            if ((rc = add_group(a, &e, g, groups, gasts, items, item_asts, nitems, &ix)))
                return rc;
            if (nbase >= sizeof base / sizeof base[0])
                return az_err(a, g->pos, LH_ELIMIT, "Too many GROUP BY columns");
            if (ncur != 1 || cur_sets[0] != base)
                for (size_t c = 0; c < ncur; c++) {
                    size_t *m2 = az_alloc(a, (cur_len[c] + 1) * sizeof *m2);
                    if (!m2)
                        return nomem(a);
                    memcpy(m2, cur_sets[c], cur_len[c] * sizeof *m2);
                    m2[cur_len[c]++] = ix;
                    cur_sets[c] = m2;
                }
            else
                base[nbase++] = ix, cur_len[0] = nbase;
        }
    }
    if (complex && (gb->flags & LH_AST_F_DISTINCT)) {
        /* GROUP BY DISTINCT: each grouping set once (as a set of keys, whatever their order) */
        size_t w = 0;
        for (size_t c = 0; c < ncur; c++) {
            int dup = 0;
            for (size_t d = 0; d < w && !dup; d++) {
                int same = 1;
                for (size_t x = 0; x < cur_len[c] && same; x++) {
                    int found = 0;
                    for (size_t y = 0; y < cur_len[d] && !found; y++)
                        found = cur_sets[c][x] == cur_sets[d][y];
                    same = found;
                }
                for (size_t y = 0; y < cur_len[d] && same; y++) {
                    int found = 0;
                    for (size_t x = 0; x < cur_len[c] && !found; x++)
                        found = cur_sets[c][x] == cur_sets[d][y];
                    same = found;
                }
                dup = same;
            }
            if (!dup) {
                cur_sets[w] = cur_sets[c];
                cur_len[w++] = cur_len[c];
            }
        }
        ncur = w;
    }
    if (complex) {
        q->nsets = ncur;
        q->sets = az_alloc(a, ncur * sizeof *q->sets);
        q->set_len = az_alloc(a, ncur * sizeof *q->set_len);
        if (!q->sets || !q->set_len)
            return nomem(a);
        for (size_t c = 0; c < ncur; c++) {
            q->sets[c] = az_alloc(a, (cur_len[c] + 1) * sizeof(size_t));
            if (!q->sets[c])
                return nomem(a);
            memcpy(q->sets[c], cur_sets[c], cur_len[c] * sizeof(size_t));
            q->set_len[c] = cur_len[c];
        }
    }
    return LH_OK;
}

static lh_rc bind_select(az *a, const lh_ast_node *sel, const az_scope *outer, const lh_ast_list *order,
                         lh_bquery **out)
{
    lh_bquery *q = az_alloc(a, sizeof *q);
    az_scope *sc = az_alloc(a, sizeof *sc);
    if (!q || !sc)
        return nomem(a);
    q->kind = BQ_SELECT;
    q->limit = q->offset = -1;
    q->distinct = (sel->flags & LH_AST_F_DISTINCT) != 0;
    sc->parent = (az_scope *)outer;
    sc->q = q;
    lh_rc rc;
    /* FROM: comma-separated relations are cross joins */
    for (size_t i = 0; i < sel->list[1].n; i++) {
        lh_brel *r;
        if ((rc = bind_relation(a, sel->list[1].items[i], sc, outer, &r)))
            return rc;
        if (!q->from)
            q->from = r;
        else {
            lh_brel *j = az_alloc(a, sizeof *j);
            if (!j)
                return nomem(a);
            j->kind = BR_JOIN;
            j->join = LH_JOIN_CROSS;
            j->id = -1;
            j->left = q->from;
            j->right = r;
            q->from = j;
        }
    }
    if (sel->kid[0]) {
        az_ectx e = {.sc = sc, .clause = "WHERE", .q = q};
        if ((rc = az_bind_expr(a, &e, sel->kid[0], &q->where)))
            return rc;
        if ((rc = az_require_boolean(a, &q->where, sel->kid[0], "WHERE clause must evaluate to a boolean: actual type %s")))
            return rc;
    }
    a->window = sel->kid[3];
    vec items = {0}, names = {0}, asts = {0}, groups = {0}, gasts = {0};
    if ((rc = bind_items(a, sel, sc, q, &items, &names, &asts)))
        return rc;
    q->ncols = items.n;
    q->items = (lh_bexpr **)items.v;
    q->cols = az_alloc(a, (items.n + 1) * sizeof *q->cols);
    if (!q->cols)
        return nomem(a);
    for (size_t i = 0; i < items.n; i++) {
        q->cols[i].name = names.v[i];
        q->cols[i].type = q->items[i]->type;
    }
    if (sel->kid[1]) {
        if ((rc = bind_group_by(a, sel->kid[1], sc, q, q->items, (const lh_ast_node **)asts.v, items.n, &groups,
                                &gasts)))
            return rc;
        q->grouped = 1;
    }
    q->groups = (lh_bexpr **)groups.v;
    q->ngroups = groups.n;
    if (sel->kid[2]) {
        az_ectx e = {.sc = sc, .agg_ok = 1, .clause = "HAVING", .q = q};
        if ((rc = az_bind_expr(a, &e, sel->kid[2], &q->having)))
            return rc;
        if ((rc = az_require_boolean(a, &q->having, sel->kid[2], "HAVING clause must evaluate to a boolean: actual type %s")))
            return rc;
        q->grouped = 1;
    }
    for (size_t i = 0; i < items.n && !q->grouped; i++)
        if (az_has_agg(q->items[i]))
            q->grouped = 1;
    /* ORDER BY: output names and ordinals first, then expressions over FROM */
    if (order && order->n) {
        q->norder = order->n;
        q->order = az_alloc(a, order->n * sizeof *q->order);
        if (!q->order)
            return nomem(a);
        for (size_t i = 0; i < order->n; i++) {
            const lh_ast_node *s = order->items[i], *x = s->kid[0];
            lh_bsort *o = &q->order[i];
            o->desc = s->op == LH_SORT_DESC;
            o->nulls_first = s->flags & LH_AST_F_NULLS_FIRST ? 1 : s->flags & LH_AST_F_NULLS_LAST ? 0 : -1;
            long ref = -1;
            if (x->kind == LH_AST_NUMBER && x->op == LH_LIT_INTEGER) {
                long long k;
                if ((rc = parse_count(a, x, &k)))
                    return rc;
                if (k < 1 || (size_t)k > q->ncols)
                    return az_err(a, x->pos, LH_EINVAL, "ORDER BY position %lld is not in select list", k);
                ref = (long)k - 1;
            } else if (x->kind == LH_AST_COLUMN && x->kid[0]->list[0].n == 1) {
                const char *nm = x->kid[0]->list[0].items[0]->name;
                for (size_t k = 0; k < q->ncols; k++)
                    if (strcasecmp(q->cols[k].name, nm) == 0 &&
                        (((const lh_ast_node *)asts.v[k])->kind != LH_AST_ALL_COLUMNS || 1)) {
                        if (ref >= 0 && !az_expr_equal(q->items[ref], q->items[k]))
                            return az_err(a, x->pos, LH_EINVAL, "'%s' in ORDER BY is ambiguous", nm);
                        if (ref < 0)
                            ref = (long)k;
                    }
            }
            if (ref >= 0) {
                lh_bexpr *r = az_alloc(a, sizeof *r);
                if (!r)
                    return nomem(a);
                *r = (lh_bexpr){.kind = BX_OUTREF, .type = q->cols[ref].type, .pos = x->pos, .col = (int)ref,
                                .name = q->cols[ref].name};
                o->e = r;
                continue;
            }
            az_ectx e = {.sc = sc, .agg_ok = 1, .window_ok = 1, .clause = "ORDER BY", .q = q};
            if ((rc = az_bind_expr(a, &e, x, &o->e)))
                return rc;
            if (!q->grouped && az_has_agg(o->e))
                q->grouped = 1;
            if (q->distinct) {
                int found = 0;
                for (size_t k = 0; k < q->ncols && !found; k++)
                    found = az_expr_equal(q->items[k], o->e);
                if (!found)
                    return az_err(a, x->pos, LH_EINVAL, "For SELECT DISTINCT, ORDER BY expressions must appear in select list");
            }
        }
    }
    if (q->grouped) {
        for (size_t i = 0; i < items.n; i++)
            if ((rc = az_check_grouped(a, q->items[i], q)))
                return rc;
        if (q->having && (rc = az_check_grouped(a, q->having, q)))
            return rc;
        for (size_t i = 0; i < q->norder; i++)
            if ((rc = az_check_grouped(a, q->order[i].e, q)))
                return rc;
    }
    a->window = NULL;
    *out = q;
    return LH_OK;
}

static lh_rc bind_values(az *a, const lh_ast_node *v, const az_scope *outer, lh_bquery **out)
{
    lh_bquery *q = az_alloc(a, sizeof *q);
    if (!q)
        return nomem(a);
    q->kind = BQ_VALUES;
    q->limit = q->offset = -1;
    q->nrows = v->list[0].n;
    q->rows = az_alloc(a, q->nrows * sizeof *q->rows);
    if (!q->rows)
        return nomem(a);
    az_scope empty = {.parent = (az_scope *)outer, .q = q};
    az_ectx e = {.sc = &empty, .clause = "VALUES", .q = q};
    lh_rc rc;
    for (size_t r = 0; r < q->nrows; r++) {
        const lh_ast_node *row = v->list[0].items[r];
        size_t n = row->kind == LH_AST_ROW ? row->list[0].n : 1;
        if (r == 0) {
            q->ncols = n;
            q->cols = az_alloc(a, (n + 1) * sizeof *q->cols);
            if (!q->cols)
                return nomem(a);
        } else if (n != q->ncols)
            return az_err(a, row->pos, LH_EINVAL, "Values rows have mismatched sizes: %zu vs %zu", q->ncols, n);
        q->rows[r] = az_alloc(a, (n + 1) * sizeof *q->rows[r]);
        if (!q->rows[r])
            return nomem(a);
        for (size_t c = 0; c < n; c++) {
            const lh_ast_node *x = row->kind == LH_AST_ROW ? row->list[0].items[c] : row;
            if ((rc = az_bind_expr(a, &e, x, &q->rows[r][c])))
                return rc;
            lh_sqltype t = q->rows[r][c]->type;
            if (r == 0)
                q->cols[c].type = t;
            else if (!lh_type_common_super(q->cols[c].type, t, &q->cols[c].type)) {
                char t1[LH_SQLTYPE_NAME_MAX], t2[LH_SQLTYPE_NAME_MAX];
                return az_err(a, x->pos, LH_EDATA, "Values rows have mismatched types: column %zu is %s in the first row and %s here",
                              c + 1, lh_sqltype_name(q->cols[c].type, t1, sizeof t1), lh_sqltype_name(t, t2, sizeof t2));
            }
        }
    }
    for (size_t c = 0; c < q->ncols; c++) {
        char buf[32];
        snprintf(buf, sizeof buf, "_col%zu", c);
        if (!(q->cols[c].name = az_strdup(a, buf)))
            return nomem(a);
        for (size_t r = 0; r < q->nrows; r++)
            if ((rc = az_coerce(a, &q->rows[r][c], q->cols[c].type)))
                return rc;
    }
    *out = q;
    return LH_OK;
}

static lh_rc bind_body(az *a, const lh_ast_node *b, const az_scope *outer, const lh_ast_list *order, lh_bquery **out);

static const char *setop_name(int op)
{
    return op == LH_SET_UNION ? "UNION" : op == LH_SET_INTERSECT ? "INTERSECT" : "EXCEPT";
}

/* A column the query did not name: the analyzer labels those _col0, _col1, ... */
static int anonymous_col(const char *name)
{
    size_t i = 4;
    if (!name || strncmp(name, "_col", 4) || !name[4])
        return !name;
    while (name[i] >= '0' && name[i] <= '9')
        i++;
    return name[i] == 0;
}

/* CORRESPONDING: the columns both operands name (case-insensitively), in
 * the left operand's order; *lpos / *rpos say where each one is on either
 * side, and q->ncols how many there are.  Trino refuses a BY list, a name
 * that appears twice on one side, and operands with no name in common;
 * columns without a name (_colN) match nothing. */
static lh_rc corresponding(az *a, const lh_ast_node *s, lh_bquery *q, size_t **lpos, size_t **rpos)
{
    const lh_bquery *l = q->left, *r = q->right;
    size_t n = 0;
    if (s->list[0].n)
        return az_err(a, s->list[0].items[0]->pos, LH_EUNSUPPORTED, "CORRESPONDING with columns is unsupported");
    for (int side = 0; side < 2; side++) {
        const lh_bquery *x = side ? r : l;
        for (size_t i = 0; i < x->ncols; i++)
            for (size_t j = 0; j < i; j++)
                if (x->cols[i].name && x->cols[j].name && !strcasecmp(x->cols[i].name, x->cols[j].name))
                    return az_err(a, s->pos, LH_EINVAL, "Duplicate columns found when using CORRESPONDING in set operations: %s",
                                  x->cols[i].name);
    }
    *lpos = az_alloc(a, (l->ncols + 1) * sizeof **lpos);
    *rpos = az_alloc(a, (l->ncols + 1) * sizeof **rpos);
    if (!*lpos || !*rpos)
        return nomem(a);
    for (size_t i = 0; i < l->ncols; i++)
        for (size_t j = 0; !anonymous_col(l->cols[i].name) && j < r->ncols; j++)
            if (!anonymous_col(r->cols[j].name) && !strcasecmp(l->cols[i].name, r->cols[j].name)) {
                (*lpos)[n] = i;
                (*rpos)[n++] = j;
                break;
            }
    if (!n)
        return az_err(a, s->pos, LH_EINVAL, "No corresponding columns");
    q->ncols = n;
    return LH_OK;
}

static lh_rc bind_setop(az *a, const lh_ast_node *s, const az_scope *outer, lh_bquery **out)
{
    lh_bquery *q = az_alloc(a, sizeof *q);
    if (!q)
        return nomem(a);
    q->kind = BQ_SETOP;
    q->limit = q->offset = -1;
    q->setop = s->op;
    q->all = (s->flags & LH_AST_F_ALL) != 0;
    lh_rc rc;
    if ((rc = bind_body(a, s->kid[0], outer, NULL, &q->left)) || (rc = bind_body(a, s->kid[1], outer, NULL, &q->right)))
        return rc;
    size_t *lpos = NULL, *rpos = NULL;
    if (s->flags & LH_AST_F_CORRESPONDING) {
        if ((rc = corresponding(a, s, q, &lpos, &rpos)))
            return rc;
    } else if (q->left->ncols != q->right->ncols) {
        return az_err(a, s->pos, LH_EINVAL, "%s query has different number of fields: %zu, %zu", setop_name(s->op),
                      q->left->ncols, q->right->ncols);
    } else {
        q->ncols = q->left->ncols;
    }
    q->cols = az_alloc(a, (q->ncols + 1) * sizeof *q->cols);
    q->lcast = az_alloc(a, (q->ncols + 1) * sizeof *q->lcast);
    q->rcast = az_alloc(a, (q->ncols + 1) * sizeof *q->rcast);
    if (!q->cols || !q->lcast || !q->rcast)
        return nomem(a);
    for (size_t c = 0; c < q->ncols; c++) {
        size_t lc = lpos ? lpos[c] : c, rc_ = rpos ? rpos[c] : c;
        lh_sqltype lt = q->left->cols[lc].type, rt = q->right->cols[rc_].type, t;
        if (!lh_type_common_super(lt, rt, &t)) {
            char t1[LH_SQLTYPE_NAME_MAX], t2[LH_SQLTYPE_NAME_MAX];
            return az_err(a, s->pos, LH_EDATA, "column %zu in %s query has incompatible types: %s, %s", c + 1,
                          setop_name(s->op), lh_sqltype_name(lt, t1, sizeof t1), lh_sqltype_name(rt, t2, sizeof t2));
        }
        q->cols[c].name = q->left->cols[lc].name;
        q->cols[c].type = t;
        for (int side = 0; side < 2; side++) {
            lh_bexpr *r = az_alloc(a, sizeof *r);
            if (!r)
                return nomem(a);
            *r = (lh_bexpr){.kind = BX_OUTREF, .type = side ? rt : lt, .pos = s->pos, .col = (int)(side ? rc_ : lc),
                            .name = q->cols[c].name};
            if ((rc = az_coerce(a, &r, t)))
                return rc;
            (side ? q->rcast : q->lcast)[c] = r;
        }
    }
    *out = q;
    return LH_OK;
}

lh_rc az_bind_body(az *a, const lh_ast_node *b, const az_scope *outer, lh_bquery **out)
{
    return bind_body(a, b, outer, NULL, out);
}

static lh_rc bind_body(az *a, const lh_ast_node *b, const az_scope *outer, const lh_ast_list *order, lh_bquery **out)
{
    switch (b->kind) {
    case LH_AST_SELECT:
        return bind_select(a, b, outer, order, out);
    case LH_AST_VALUES:
        return bind_values(a, b, outer, out);
    case LH_AST_SETOP:
        return bind_setop(a, b, outer, out);
    case LH_AST_QUERY:
        return az_bind_query(a, b, outer, out);
    case LH_AST_TABLE_QUERY: {
        /* TABLE t = SELECT * FROM t */
        lh_bquery *q = az_alloc(a, sizeof *q);
        az_scope *sc = az_alloc(a, sizeof *sc);
        lh_ast_node tab = {.kind = LH_AST_TABLE, .pos = b->pos};
        if (!q || !sc)
            return nomem(a);
        tab.kid[0] = b->kid[0];
        q->kind = BQ_SELECT;
        q->limit = q->offset = -1;
        sc->parent = (az_scope *)outer;
        lh_rc rc = bind_table(a, &tab, NULL, NULL, sc, &q->from);
        if (rc)
            return rc;
        q->items = az_alloc(a, (sc->n + 1) * sizeof *q->items);
        q->cols = az_alloc(a, (sc->n + 1) * sizeof *q->cols);
        if (!q->items || !q->cols)
            return nomem(a);
        for (size_t k = 0; k < sc->n; k++) {
            const az_field *f = &sc->f[k];
            if (f->hidden)
                continue;
            lh_bexpr *x = az_alloc(a, sizeof *x);
            if (!x)
                return nomem(a);
            *x = (lh_bexpr){.kind = BX_COL, .type = f->type, .pos = b->pos, .name = f->name, .rel = f->rel, .col = f->col};
            q->items[q->ncols] = x;
            q->cols[q->ncols].name = f->name;
            q->cols[q->ncols++].type = f->type;
        }
        *out = q;
        return LH_OK;
    }
    default:
        return az_err(a, b->pos, LH_EUNSUPPORTED, "Query body %s is not supported", lh_ast_kind_name(b->kind));
    }
}

lh_rc az_bind_query(az *a, const lh_ast_node *qn, const az_scope *outer, lh_bquery **out)
{
    lh_rc rc;
    if (++a->depth > 3000) {
        a->depth--;
        return az_err(a, qn->pos, LH_ELIMIT, "Query is nested too deeply");
    }
    const az_cte *saved = a->ctes;
    const lh_ast_node *with = qn->kid[0];
    if (with) {
        for (size_t i = 0; i < with->list[0].n; i++) {
            const lh_ast_node *c = with->list[0].items[i];
            for (size_t k = 0; k < i; k++)
                if (strcasecmp(with->list[0].items[k]->kid[0]->name, c->kid[0]->name) == 0) {
                    rc = az_err(a, c->pos, LH_EINVAL, "WITH query name '%s' specified more than once", c->kid[0]->orig);
                    goto out;
                }
            az_cte *cte = az_alloc(a, sizeof *cte);
            if (!cte) {
                rc = nomem(a);
                goto out;
            }
            cte->name = az_strdup(a, c->kid[0]->name);
            if (!cte->name) {
                rc = nomem(a);
                goto out;
            }
            cte->query = c->kid[1];
            cte->cols = &c->list[0];
            cte->pos = c->pos;
            cte->next = (az_cte *)a->ctes;
            if ((with->flags & LH_AST_F_RECURSIVE) && (rc = az_with_recursive_shape(a, c, cte)))
                goto out;
            a->ctes = cte;
        }
    }
    const lh_ast_node *body = qn->kid[1];
    lh_bquery *q;
    int own_order = qn->list[0].n > 0;
    if (body->kind == LH_AST_SELECT)
        rc = bind_select(a, body, outer, &qn->list[0], &q);
    else
        rc = bind_body(a, body, outer, NULL, &q);
    if (rc)
        goto out;
    if (own_order && body->kind != LH_AST_SELECT) {
        /* ORDER BY over a set operation / VALUES: output names and ordinals only */
        if (q->norder) {
            /* a parenthesised query's own ORDER BY: wrap is the planner's job; keep the outer one */
        }
        q->norder = qn->list[0].n;
        q->order = az_alloc(a, q->norder * sizeof *q->order);
        if (!q->order) {
            rc = nomem(a);
            goto out;
        }
        for (size_t i = 0; i < q->norder; i++) {
            const lh_ast_node *s = qn->list[0].items[i], *x = s->kid[0];
            long ref = -1;
            if (x->kind == LH_AST_NUMBER && x->op == LH_LIT_INTEGER) {
                long long k;
                if ((rc = parse_count(a, x, &k)))
                    goto out;
                if (k >= 1 && (size_t)k <= q->ncols)
                    ref = (long)k - 1;
                else {
                    rc = az_err(a, x->pos, LH_EINVAL, "ORDER BY position %lld is not in select list", k);
                    goto out;
                }
            } else if (x->kind == LH_AST_COLUMN && x->kid[0]->list[0].n == 1) {
                for (size_t k = 0; k < q->ncols && ref < 0; k++)
                    if (strcasecmp(q->cols[k].name, x->kid[0]->list[0].items[0]->name) == 0)
                        ref = (long)k;
            }
            if (ref < 0) {
                const char *txt;
                if (!(rc = az_fmt(a, x, &txt)))
                    rc = az_err(a, x->pos, LH_ENOTFOUND, "Column '%s' cannot be resolved", txt);
                goto out;
            }
            lh_bexpr *r = az_alloc(a, sizeof *r);
            if (!r) {
                rc = nomem(a);
                goto out;
            }
            *r = (lh_bexpr){.kind = BX_OUTREF, .type = q->cols[ref].type, .pos = x->pos, .col = (int)ref,
                            .name = q->cols[ref].name};
            q->order[i] = (lh_bsort){.e = r, .desc = s->op == LH_SORT_DESC,
                                     .nulls_first = s->flags & LH_AST_F_NULLS_FIRST ? 1
                                                    : s->flags & LH_AST_F_NULLS_LAST ? 0
                                                                                     : -1};
        }
    }
    if (qn->kid[2] && (rc = parse_count(a, qn->kid[2]->kid[0], &q->offset)))
        goto out;
    if (qn->kid[3]) {
        const lh_ast_node *l = qn->kid[3];
        if (l->kind == LH_AST_LIMIT && !l->kid[0])
            q->limit = -1; /* LIMIT ALL */
        else if ((rc = parse_count(a, l->kid[0], &q->limit)))
            goto out;
        if (l->kind == LH_AST_FETCH && (l->flags & LH_AST_F_WITH_TIES)) {
            if (!own_order) {
                rc = az_err(a, l->pos, LH_EINVAL, "FETCH FIRST WITH TIES clause requires ORDER BY");
                goto out;
            }
            q->with_ties = 1;
        }
    }
    *out = q;
    rc = LH_OK;
out:
    a->ctes = saved;
    a->depth--;
    return rc;
}

lh_rc lh_analyze(const lh_ast *ast, const lh_schema *schema, const char *file, lh_bound **out, lh_err *err)
{
    *out = NULL;
    const lh_ast_node *root = ast ? lh_ast_root(ast) : NULL;
    if (!root || !schema || !schema->lookup)
        return lh_errf(err, LH_EINVAL, "lh_analyze: no query or no schema");
    lh_bound *b = lh_calloc(1, sizeof *b);
    if (!b)
        return lh_errf(err, LH_ENOMEM, "out of memory");
    lh_arena_init(&b->arena, 0);
    az a = {.b = b, .schema = schema, .file = file ? file : "<sql>", .err = err};
    lh_err local;
    if (!a.err)
        a.err = &local;
    const lh_ast_node *q = root;
    if (q->kind == LH_AST_EXPLAIN) {
        b->explain = 1 + ((q->flags & LH_AST_F_ANALYZE) != 0);
        q = q->kid[0];
    }
    lh_rc rc = q->kind == LH_AST_QUERY ? az_bind_query(&a, q, NULL, &b->q)
                                       : az_err(&a, q->pos, LH_EINVAL, "Not a query");
    if (rc) {
        if (rc == LH_ENOMEM)
            lh_errf(err, LH_ENOMEM, "out of memory");
        lh_bound_free(b);
        return rc;
    }
    *out = b;
    return LH_OK;
}

void lh_bound_free(lh_bound *b)
{
    if (!b)
        return;
    lh_arena_free(&b->arena);
    lh_free(b);
}

size_t lh_bound_ncols(const lh_bound *b) { return b->q->ncols; }
const char *lh_bound_col_name(const lh_bound *b, size_t i) { return i < b->q->ncols ? b->q->cols[i].name : NULL; }
lh_sqltype lh_bound_col_type(const lh_bound *b, size_t i)
{
    return i < b->q->ncols ? b->q->cols[i].type : lh_sqltype_of(LH_SQL_UNKNOWN);
}
