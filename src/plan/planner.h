/* plan/planner.h — the bound, typed query (plan/analyze.h) → a tree of
 * physical operators (exec/operator.h).
 *
 * What it does: plans FROM (tables through the caller's scan callback,
 * with only the columns the query uses; subqueries; VALUES; joins as hash
 * joins on the equality conjuncts of ON, and of WHERE for inner and comma
 * joins, the rest as the join's residual condition), pushes single-table
 * conjuncts of WHERE down to their table, WHERE as a filter, `IN
 * (subquery)` and `EXISTS` conjuncts as semi/anti joins (a correlated
 * EXISTS whose correlation is equalities is decorrelated into one),
 * GROUP BY and aggregates as a hash aggregate over a projection of keys
 * and arguments, HAVING, window functions (one window operator per
 * window), the select list as a projection, DISTINCT, set operations,
 * ORDER BY as a sort or top-N, LIMIT/OFFSET.  Uncorrelated scalar
 * subqueries, EXISTS and IN lists outside WHERE conjuncts are run once,
 * while planning, and become constants.  Every expression becomes an
 * lh_xexpr (exec/expr.h) with its scalar functions resolved
 * (functions/scalar.h).
 *
 * Errors: what the executor cannot run yet is LH_EUNSUPPORTED naming the
 * construct and its position ("file:line:col: correlated subquery is not
 * supported yet"); the caller may fall back to another engine then.
 * Errors while running a subquery during planning are the executor's
 * (with their Trino wording).  LH_ENOMEM as everywhere.
 *
 * Ownership: the returned operator tree is the caller's (lh_op_free); it
 * borrows ectx (and what the scan callback gives it), not the bound tree,
 * which may be freed once planning returns.
 */
#ifndef LH_PLAN_PLANNER_H
#define LH_PLAN_PLANNER_H

#include "exec/operator.h"
#include "exec/scan.h"
#include "plan/analyze.h"

typedef struct lh_planner_io {
    void *ctx;
    /* An operator reading db.name's columns cols[0..n), in that order
     * (indexes into the schema provider's columns of the table: the
     * table's columns in order, then its hidden ones, "$path"), of types
     * types[i].  n may be 0 (only rows are counted). */
    lh_rc (*scan)(void *ctx, lh_exec_ctx *ectx, const char *db, const char *name, const uint32_t *cols,
                  const lh_sqltype *types, uint32_t n, lh_op **out, lh_err *err);
    /* May be NULL.  The bytes db.name's objects hold (the planner builds
     * hash tables on the smaller side of a join). */
    lh_rc (*size)(void *ctx, const char *db, const char *name, uint64_t *bytes);
    /* May be NULL.  As scan, with hints: every row the query keeps
     * satisfies cons[0..ncons) (cons[i].col indexes cols; values point
     * into the planner's memory, valid during the call), so the scan may
     * skip what they rule out (Parquet row groups); rows need not be
     * filtered (the planner filters above).  Called instead of scan when
     * there are hints: `column op constant` conjuncts of WHERE (=, <, <=,
     * >, >=) on an integer or unbounded varchar column, the constant of
     * the column's type. */
    lh_rc (*scan_where)(void *ctx, lh_exec_ctx *ectx, const char *db, const char *name, const uint32_t *cols,
                        const lh_sqltype *types, uint32_t n, const lh_scan_constraint *cons, size_t ncons,
                        lh_op **out, lh_err *err);
} lh_planner_io;

/* Plan the query.  file names the text in messages (NULL: "<sql>"). */
lh_rc lh_plan_query(const lh_bound *b, const lh_planner_io *io, lh_exec_ctx *ectx, const char *file, lh_op **root,
                    lh_err *err) LH_MUST_CHECK;

/* 1 when the bound statement is EXPLAIN (2: EXPLAIN ANALYZE). */
int lh_bound_explain(const lh_bound *b);

#endif
