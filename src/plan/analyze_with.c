/* plan/analyze_with.c — WITH RECURSIVE: the shape rules of Trino's
 * analyzer and the binding of a recursive query (analyze_priv.h).
 *
 * A query of a WITH RECURSIVE list is recursive when its body is
 * `anchor UNION [ALL|DISTINCT] step` and the step names the query once,
 * in its FROM clause.  Every query of the list needs column aliases.
 * Otherwise it is a plain WITH query, and then it may not name itself.
 * The rules and messages are Trino's StatementAnalyzer's
 * (tryProcessRecursiveQuery): "missing column aliases in recursive WITH
 * query", "WITH table name is referenced in the base relation of
 * recursion", "multiple recursive references in the step relation of
 * recursion", "recursive reference outside of FROM clause of the step
 * relation of recursion", "immediate ORDER BY clause in recursive query",
 * and so on.
 *
 * Binding (at each reference, as every WITH query is inlined): the anchor
 * is bound first; its types are the query's, named by the aliases; then
 * the step, in which the query's name is the working table (a
 * BR_WORKTABLE leaf: the rows of the round before).  The step's columns
 * are coerced to the anchor's types ("recursion step relation output
 * type ... is not coercible ...").  The result is a BQ_SETOP with
 * recursive set, which the planner turns into a RecursiveUnion.
 */
#include <string.h>
#include <strings.h>

#include "plan/analyze_priv.h"
#include "plan/coerce.h"

static lh_rc nomem(az *a) { return lh_errf(a->err, LH_ENOMEM, "out of memory"); }

/* ---- references to a name in a syntax tree ---- */

typedef struct refs {
    const char *name;
    const lh_ast_node *first, *second; /* the first two references found */
    size_t n;
} refs;

/* Does this QUERY's WITH define `name` (shadowing it inside)? */
static int shadows(const lh_ast_node *q, const char *name)
{
    size_t i;
    if (q->kind != LH_AST_QUERY || !q->kid[0])
        return 0;
    for (i = 0; i < q->kid[0]->list[0].n; i++)
        if (!strcasecmp(q->kid[0]->list[0].items[i]->kid[0]->name, name))
            return 1;
    return 0;
}

/* Table references `name` (one part: FROM name, TABLE name) under n,
 * outside queries whose WITH shadows it (Trino's findReferences). */
static void find_refs(const lh_ast_node *n, refs *r)
{
    size_t i, l;
    if (!n || shadows(n, r->name))
        return;
    if ((n->kind == LH_AST_TABLE || n->kind == LH_AST_TABLE_QUERY) && n->kid[0] && n->kid[0]->list[0].n == 1 &&
        !strcasecmp(n->kid[0]->list[0].items[0]->name, r->name)) {
        if (r->n == 0)
            r->first = n;
        else if (r->n == 1)
            r->second = n;
        r->n++;
        return;
    }
    for (i = 0; i < 4; i++)
        find_refs(n->kid[i], r);
    for (l = 0; l < 2; l++)
        for (i = 0; i < n->list[l].n; i++)
            find_refs(n->list[l].items[i], r);
}

static refs count_refs(const lh_ast_node *n, const char *name)
{
    refs r = {name, NULL, NULL, 0};
    find_refs(n, &r);
    return r;
}

static const lh_ast_node *nested_recursive(const lh_ast_node *n)
{
    size_t i, l;
    const lh_ast_node *f;
    if (!n)
        return NULL;
    if (n->kind == LH_AST_WITH && (n->flags & LH_AST_F_RECURSIVE))
        return n;
    for (i = 0; i < 4; i++)
        if ((f = nested_recursive(n->kid[i])))
            return f;
    for (l = 0; l < 2; l++)
        for (i = 0; i < n->list[l].n; i++)
            if ((f = nested_recursive(n->list[l].items[i])))
                return f;
    return NULL;
}

lh_rc az_with_recursive_shape(az *a, const lh_ast_node *c, az_cte *cte)
{
    const lh_ast_node *q = c->kid[1], *body = q->kid[1], *nested, *spec;
    refs r;
    if (!c->list[0].n)
        return az_err(a, c->pos, LH_EINVAL, "missing column aliases in recursive WITH query");
    if ((nested = nested_recursive(q)))
        return az_err(a, nested->pos, LH_EINVAL, "nested recursive WITH query");
    if (body->kind == LH_AST_SETOP && body->op == LH_SET_UNION && !(body->flags & LH_AST_F_CORRESPONDING)) {
        refs ra = count_refs(body->kid[0], cte->name);
        if (ra.n)
            return az_err(a, ra.first->pos, LH_EINVAL, "WITH table name is referenced in the base relation of recursion");
        r = count_refs(body->kid[1], cte->name);
    } else {
        r.n = 0;
    }
    if (r.n == 0) {
        /* a plain WITH query; RECURSIVE makes any reference to itself an error */
        r = count_refs(q, cte->name);
        if (r.n)
            return az_err(a, r.first->pos, LH_EINVAL, "recursive reference not allowed in this context");
        return LH_OK;
    }
    if (r.n > 1)
        return az_err(a, r.second->pos, LH_EINVAL, "multiple recursive references in the step relation of recursion");
    /* the step's query specification, through parentheses */
    spec = body->kid[1];
    while (spec->kind == LH_AST_QUERY) {
        if (spec->kid[3])
            return az_err(a, spec->kid[3]->pos, LH_EINVAL, "FETCH FIRST / LIMIT clause in the step relation of recursion");
        spec = spec->kid[1];
    }
    {
        refs rf = {cte->name, NULL, NULL, 0};
        size_t i;
        if (spec->kind == LH_AST_SELECT)
            for (i = 0; i < spec->list[1].n; i++)
                find_refs(spec->list[1].items[i], &rf);
        if (!rf.n)
            return az_err(a, r.first->pos, LH_EINVAL,
                          "recursive reference outside of FROM clause of the step relation of recursion");
    }
    if (q->kid[0])
        return az_err(a, q->kid[0]->pos, LH_EINVAL, "immediate WITH clause in recursive query");
    if (q->list[0].n)
        return az_err(a, q->list[0].items[0]->pos, LH_EINVAL, "immediate ORDER BY clause in recursive query");
    if (q->kid[2])
        return az_err(a, q->kid[2]->pos, LH_EINVAL, "immediate OFFSET clause in recursive query");
    if (q->kid[3])
        return az_err(a, q->kid[3]->pos, LH_EINVAL, "immediate FETCH FIRST / LIMIT clause in recursive query");
    cte->anchor = body->kid[0];
    cte->step = body->kid[1];
    cte->all = (body->flags & LH_AST_F_ALL) != 0;
    return LH_OK;
}

/* ---- binding ---- */

static lh_rc outref(az *a, lh_pos pos, size_t c, lh_sqltype t, const char *name, lh_bexpr **out)
{
    lh_bexpr *r = az_alloc(a, sizeof *r);
    if (!r)
        return nomem(a);
    *r = (lh_bexpr){.kind = BX_OUTREF, .type = t, .pos = pos, .col = (int)c, .name = name};
    *out = r;
    return LH_OK;
}

lh_rc az_bind_recursive(az *a, const az_cte *cte, lh_bquery **out)
{
    const az_cte *saved = a->ctes;
    lh_bquery *q = az_alloc(a, sizeof *q), *anchor = NULL, *step = NULL;
    az_cte wt;
    size_t n, c;
    lh_rc rc;
    if (!q)
        return nomem(a);
    a->ctes = cte->next; /* a WITH query sees only the ones before it */
    rc = az_bind_body(a, cte->anchor, NULL, &anchor);
    if (rc)
        goto out;
    n = anchor->ncols;
    if (cte->cols->n != n) {
        rc = az_err(a, cte->pos, LH_EINVAL, "WITH column alias list has %zu entries but WITH query '%s' has %zu columns",
                    cte->cols->n, cte->name, n);
        goto out;
    }
    q->kind = BQ_SETOP;
    q->limit = q->offset = -1;
    q->setop = LH_SET_UNION;
    q->all = cte->all;
    q->recursive = 1;
    q->rec_id = ++a->next_rec;
    q->ncols = n;
    q->cols = az_alloc(a, (n + 1) * sizeof *q->cols);
    q->lcast = az_alloc(a, (n + 1) * sizeof *q->lcast);
    q->rcast = az_alloc(a, (n + 1) * sizeof *q->rcast);
    if (!q->cols || !q->lcast || !q->rcast) {
        rc = nomem(a);
        goto out;
    }
    for (c = 0; c < n; c++) {
        if (!(q->cols[c].name = az_strdup(a, cte->cols->items[c]->name))) {
            rc = nomem(a);
            goto out;
        }
        q->cols[c].type = anchor->cols[c].type;
        if ((rc = outref(a, cte->pos, c, q->cols[c].type, q->cols[c].name, &q->lcast[c])))
            goto out;
    }
    /* the step, where the query's name is the working table */
    memset(&wt, 0, sizeof wt);
    wt.name = cte->name;
    wt.pos = cte->pos;
    wt.wt_id = q->rec_id;
    wt.wt_cols = q->cols;
    wt.wt_ncols = n;
    wt.next = cte->next;
    a->ctes = &wt;
    rc = az_bind_body(a, cte->step, NULL, &step);
    a->ctes = cte->next;
    if (rc)
        goto out;
    if (step->ncols != n) {
        rc = az_err(a, cte->step->pos, LH_EINVAL, "base and step relations of recursion have different number of fields: %zu, %zu",
                    n, step->ncols);
        goto out;
    }
    for (c = 0; c < n; c++) {
        lh_sqltype st = step->cols[c].type, at = q->cols[c].type;
        if (!lh_sqltype_equal(st, at) && !lh_type_can_coerce(st, at)) {
            char t1[LH_SQLTYPE_NAME_MAX], t2[LH_SQLTYPE_NAME_MAX];
            rc = az_err(a, cte->step->pos, LH_EDATA,
                        "recursion step relation output type (%s) is not coercible to recursion base relation output "
                        "type (%s) at column %zu",
                        lh_sqltype_name(st, t1, sizeof t1), lh_sqltype_name(at, t2, sizeof t2), c + 1);
            goto out;
        }
        if ((rc = outref(a, cte->step->pos, c, st, q->cols[c].name, &q->rcast[c])) || (rc = az_coerce(a, &q->rcast[c], at)))
            goto out;
    }
    q->left = anchor;
    q->right = step;
    *out = q;
out:
    a->ctes = saved;
    return rc;
}
