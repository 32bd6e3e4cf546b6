/* plan/analyze_priv.h — the analyzer's working state, shared by its files. */
#ifndef LH_PLAN_ANALYZE_PRIV_H
#define LH_PLAN_ANALYZE_PRIV_H

#include "plan/analyze_int.h"

/* A name visible in a scope: qualifier (alias or table name, and the db
 * for an unaliased table), column name, and what it binds to. */
typedef struct az_field {
    const char *db, *qual, *name;
    lh_sqltype type;
    int rel, col;
    int hidden;
    int using_dup;   /* the right side of a USING column: only qualified */
    int using_first; /* a USING column: first in * */
    int using_join;  /* for using_first: LH_JOIN_FULL / LH_JOIN_RIGHT make the column coalesce(l, r) / r */
    int urel, ucol;  /* the right side's column of that USING pair */
    const char *refused;
} az_field;

typedef struct az_scope {
    az_field *f;
    size_t n, cap;
    struct az_scope *parent; /* the enclosing query's scope (correlation) */
    lh_bquery *q;            /* the query this scope belongs to */
} az_scope;

typedef struct az_cte {
    const char *name;
    const lh_ast_node *query;
    const lh_ast_list *cols;
    lh_pos pos;
    /* WITH RECURSIVE: query is anchor UNION [ALL] step (a recursive query) */
    const lh_ast_node *anchor, *step;
    int all;
    /* the working table, visible while a step is bound: rows of wt_cols */
    int wt_id;
    const lh_bcol *wt_cols;
    size_t wt_ncols;
    struct az_cte *next;
} az_cte;

typedef struct az {
    lh_bound *b;
    const lh_schema *schema;
    const char *file;
    lh_err *err;
    int next_rel;
    const az_cte *ctes;
    int depth;
    int next_rec; /* rec_id of the last recursive query bound */
    const lh_ast_node *window; /* the current SELECT's WINDOW clause */
} az;

typedef struct az_ectx {
    const az_scope *sc;
    int agg_ok, window_ok;
    int in_agg; /* inside an aggregate's arguments */
    const char *agg_name;
    const char *clause;
    lh_bquery *q;
} az_ectx;

lh_rc az_err(az *a, lh_pos pos, lh_rc code, const char *fmt, ...) LH_PRINTF(4, 5);
lh_rc az_wrap(az *a, lh_pos pos, lh_rc rc);
void *az_alloc(az *a, size_t n);
const char *az_strdup(az *a, const char *s);
lh_rc az_push(az *a, void ***v, size_t *n, size_t *cap, void *x);
lh_rc az_fmt(az *a, const lh_ast_node *n, const char **out);
lh_rc az_name_text(az *a, const lh_ast_node *name, const char **out); /* a.b.c as written */
const char *az_nearest(const char *name, const char *const *cands, size_t n);

lh_rc az_bind_query(az *a, const lh_ast_node *q, const az_scope *outer, lh_bquery **out);
/* A query body (SELECT, set operation, VALUES, TABLE, or a QUERY). */
lh_rc az_bind_body(az *a, const lh_ast_node *b, const az_scope *outer, lh_bquery **out);
/* analyze_with.c: WITH RECURSIVE.  The shape rules for query c of a
 * RECURSIVE list (sets cte->anchor/step/all when c is recursive); the
 * binding of a reference to a recursive query. */
lh_rc az_with_recursive_shape(az *a, const lh_ast_node *c, az_cte *cte);
lh_rc az_bind_recursive(az *a, const az_cte *cte, lh_bquery **out);
lh_rc az_resolve_column(az *a, const az_ectx *e, const lh_ast_node *name, lh_bexpr **out);

lh_rc az_bind_expr(az *a, const az_ectx *e, const lh_ast_node *n, lh_bexpr **out);
lh_rc az_require_boolean(az *a, lh_bexpr **x, const lh_ast_node *n, const char *fmt);
lh_rc az_make_op(az *a, lh_binop op, lh_bexpr *l, lh_bexpr *r, lh_pos pos, lh_bexpr **out);
lh_rc az_coerce(az *a, lh_bexpr **x, lh_sqltype to);
int az_has_agg(const lh_bexpr *x);
int az_expr_equal(const lh_bexpr *x, const lh_bexpr *y);
lh_rc az_check_grouped(az *a, const lh_bexpr *x, const lh_bquery *q);

#endif
