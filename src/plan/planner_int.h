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
    /* WITH RECURSIVE: the working table of each recursive query being
     * planned, by rec_id (NULL outside its step) */
    lh_worktable **wt;
    int nwt;
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
/* a BR_WORKTABLE leaf: a scan of the working table of the recursive query being planned */
lh_rc pl_plan_worktable(pl *p, const lh_brel *rel, lh_op **out);
lh_rc pl_run_scalar(pl *p, const lh_bexpr *e, lh_xexpr **out);
lh_rc pl_run_exists(pl *p, const lh_bexpr *e, lh_xexpr **out);
lh_rc pl_run_quantified(pl *p, const pl_scope *s, const lh_bexpr *e, lh_xexpr **out);
lh_rc pl_run_inlist(pl *p, const pl_scope *s, const lh_bexpr *e, lh_xexpr **out);
/* an operator → a constant expression of row 0 column 0 (or NULL of type when no row) */
int pl_is_aggregate(const lh_bexpr *e);
int pl_is_window(const lh_bexpr *e);

/* ---- shared by planner.c, plan_from.c, plan_agg.c ---- */

/* An operator and what its columns stand for. */
typedef struct pl_prel {
    lh_op *op;
    pl_scope sc;
} pl_prel;
void pl_prel_free(pl_prel *r);
void pl_prel_types(pl_prel *r); /* sc.types = the operator's */

/* The AND terms of a WHERE/ON, each marked once applied. */
typedef struct pl_conjs {
    const lh_bexpr **e;
    unsigned char *done;
    size_t n, cap;
} pl_conjs;
lh_rc pl_conjs_add(pl *p, pl_conjs *c, const lh_bexpr *e); /* flattens AND */
void pl_conjs_free(pl_conjs *c);

/* Expressions to append to an operator's columns by a projection. */
typedef struct pl_extra {
    const lh_bexpr **e;
    size_t n, cap;
} pl_extra;
/* Column of e over r: one already there, else appended to x (applied by pl_flush_extra). */
lh_rc pl_position_of(pl *p, pl_prel *r, pl_extra *x, const lh_bexpr *e, uint32_t *pos);
lh_rc pl_flush_extra(pl *p, pl_prel *r, pl_extra *x);
/* r projected to exactly es[0..n); the new scope has computed columns only. */
lh_rc pl_project_to(pl *p, pl_prel *r, const lh_bexpr *const *es, size_t n);
/* AND of es as a filter on r (nothing when n = 0). */
lh_rc pl_add_filter(pl *p, pl_prel *r, const lh_bexpr **es, size_t n);
/* The unapplied conjuncts of c within the rels of set, as a filter on r. */
lh_rc pl_apply_local(pl *p, pl_prel *r, pl_conjs *c, const unsigned char *set);
int pl_has_subquery(const lh_bexpr *e);
void pl_rel_set(const lh_brel *r, unsigned char *set, int nrels);

/* plan_from.c */
lh_rc pl_plan_rel(pl *p, const lh_brel *rel, pl_conjs *c, pl_prel *out);
lh_rc pl_semi_in(pl *p, pl_prel *r, const lh_bexpr *e);
lh_rc pl_semi_exists(pl *p, pl_prel *r, const lh_bexpr *e, int negate, int *ok);

/* plan_agg.c */
typedef struct pl_elist {
    const lh_bexpr **e;
    size_t n, cap;
} pl_elist;
lh_rc pl_elist_add(pl *p, pl_elist *l, const lh_bexpr *e); /* unless an equal one is there */
/* Aggregate calls and window calls under e (not inside subqueries). */
lh_rc pl_collect(pl *p, const lh_bexpr *e, pl_elist *aggs, pl_elist *wins);
lh_rc pl_plan_aggregate(pl *p, const lh_bquery *q, pl_prel *r, pl_elist *aggs);
/* An aggregate call as a spec over r's columns (pending projections in x). */
lh_rc pl_agg_spec(pl *p, pl_prel *r, pl_extra *x, const lh_bexpr *e, lh_agg_spec *s);
lh_rc pl_plan_window(pl *p, pl_prel *r, const lh_bexpr *w);
int pl_nulls_first(const lh_bsort *s); /* Trino's default: NULLS LAST */
/* grouping(...) calls under e. */
lh_rc pl_collect_grouping(pl *p, const lh_bexpr *e, pl_elist *gops);
/* GROUPING SETS / ROLLUP / CUBE (and grouping()): one aggregate per set
 * over its own plan of FROM and WHERE (r is the first set's), the missing
 * keys NULL, grouping() a constant per set, all concatenated. */
lh_rc pl_plan_grouping_sets(pl *p, const lh_bquery *q, pl_prel *r, pl_elist *aggs, pl_elist *gops);
/* plan_sub.c: each correlated scalar subquery under e, as a LEFT JOIN onto r
 * (the subquery node becomes a column of r's scope). */
lh_rc pl_decorrelate_scalars(pl *p, pl_prel *r, const lh_bexpr *e);
/* planner.c: FROM and WHERE of a SELECT */
lh_rc pl_plan_source(pl *p, const lh_bquery *q, pl_prel *out);

#endif
