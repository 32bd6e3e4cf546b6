/* plan/planner_int.h — shared by planner.c and plan_expr.c only. */
#ifndef LH_PLAN_PLANNER_INT_H
#define LH_PLAN_PLANNER_INT_H

#include "plan/analyze_int.h"
#include "plan/planner.h"

/* A scope: what each column of an operator's output stands for.
 * cols[i]: (rel, col) of a FROM leaf's column, or rel = -1 for a computed
 * column; exprs[k] at epos[k]: whole expressions (GROUP BY keys,
 * aggregate calls, window calls) computed below; outrefs: OUTREF k is
 * column k (set operations, ORDER BY over a select list). */
typedef struct pl_col {
    int rel, col;
} pl_col;

typedef struct pl_scope {
    pl_col *cols;
    uint32_t ncols, acols;
    const lh_bexpr **exprs;
    uint32_t *epos;
    uint32_t nexprs, aexprs;
    int outrefs;
    const lh_sqltype *types; /* the operator's output types (ncols of them) */
} pl_scope;

typedef struct pl {
    const lh_bound *b;
    const lh_planner_io *io;
    lh_exec_ctx *ectx;
    lh_xenv env;
    const char *file;
    lh_err *err;
    /* per FROM leaf id: which columns the query uses */
    unsigned char **used;
    uint32_t *nused_cols; /* columns of each leaf */
    int nrels;
    int volatile_seen; /* translation met a function whose value changes per call */
} pl;

/* errors at a node's position */
lh_rc pl_err(pl *p, lh_pos pos, lh_rc code, const char *fmt, ...) LH_PRINTF(4, 5);
lh_rc pl_nomem(pl *p);

/* scopes */
void pl_scope_free(pl_scope *s);
lh_rc pl_scope_add_col(pl *p, pl_scope *s, int rel, int col);
lh_rc pl_scope_add_expr(pl *p, pl_scope *s, const lh_bexpr *e, uint32_t pos);

/* expressions: e over scope s → an executable tree (*out NULL on failure) */
lh_rc pl_xlate(pl *p, const pl_scope *s, const lh_bexpr *e, lh_xexpr **out);
int pl_bexpr_eq(const lh_bexpr *a, const lh_bexpr *b);
/* 1 when e (outside subqueries) references only rels in [set] (ids marked 1) */
int pl_refs_within(const lh_bexpr *e, const unsigned char *set, int nrels);
/* plan and run an uncorrelated subquery now */
lh_rc pl_plan_query(pl *p, const lh_bquery *q, lh_op **out);
lh_rc pl_run_scalar(pl *p, const lh_bexpr *e, lh_xexpr **out);
lh_rc pl_run_exists(pl *p, const lh_bexpr *e, lh_xexpr **out);
lh_rc pl_run_quantified(pl *p, const pl_scope *s, const lh_bexpr *e, lh_xexpr **out);
lh_rc pl_run_inlist(pl *p, const pl_scope *s, const lh_bexpr *e, lh_xexpr **out);
/* an operator → a constant expression of row 0 column 0 (or NULL of type when no row) */
int pl_is_aggregate(const lh_bexpr *e);
int pl_is_window(const lh_bexpr *e);

#endif
