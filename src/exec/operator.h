/* exec/operator.h — physical operators: trees of batch producers.
 *
 * An operator (lh_op) produces batches (exec/vector.h) of a fixed output
 * schema (types[0..ncols)) when pulled with lh_op_next.  Plans are trees:
 * each operator owns its children and frees them with itself.
 *
 * The batch contract:
 *   - lh_op_next returns the operator's next batch in *out, or *out = NULL
 *     at the end (and every later call says the same).  A returned batch
 *     has n > 0 rows, or a selection with sel_n > 0 live rows (an operator
 *     never hands out an empty batch).
 *   - The batch belongs to the operator that returned it and stays valid
 *     until the next call to lh_op_next on that operator, or its free.
 *     Its string views may point into the operator's children's batches,
 *     which live equally long (a child is pulled only by its parent).
 *   - The consumer may install a selection on the batch (lh_batch_select)
 *     and flatten its vectors; it must not change values.  An operator
 *     that keeps rows across calls (sort, aggregate, join build side)
 *     copies them, string bytes included, into memory of its own.
 *
 * Errors: lh_rc + lh_err as everywhere.  After an error the operator may
 * only be freed.  lh_op_next checks the context's interrupt flag before
 * each pull (LH_ECANCELLED "cancelled"); long loops inside an operator
 * (building a hash table, sorting) check it every batch too, with
 * lh_exec_check.  Memory an operator keeps across calls is charged to the
 * context (lh_exec_charge); over the budget is LH_ELIMIT naming the
 * operator and the limit ("HashAggregate: memory limit of 1.0 GiB
 * exceeded ...").  Sort, hash aggregate and hash join spill instead
 * (exec/spill.h) when the context has a tmp_dir: they ask
 * lh_exec_spill_due before they grow and move rows to disk.
 *
 * Threads: an operator tree is driven by one thread.  The context's
 * counters are atomics so that parallel plans (several trees over shares
 * of the input) can share one context.
 *
 * Nothing here parses SQL, touches the catalog or SQLite; scans reach the
 * store through formats/.
 */
#ifndef LH_EXEC_OPERATOR_H
#define LH_EXEC_OPERATOR_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "exec/expr.h"
#include "exec/vector.h"
#include "util/err.h"
#include "util/mem.h"

/* ---- the execution context: one per query ---- */
typedef struct lh_exec_ctx {
    atomic_int *interrupt;     /* non-zero: stop (may be NULL) */
    atomic_int *cancel;        /* a second such flag: a parallel plan's (another worker failed); may be NULL */
    size_t mem_limit;          /* bytes operators may keep; 0 = no limit */
    atomic_size_t mem_used;
    int32_t session_zone;      /* lh_zone key of the session time zone (UTC = 0) */
    int64_t now_us;            /* current_timestamp of the query, UTC µs */
    /* scan counters (EXPLAIN ANALYZE, sql --stats) */
    atomic_uint_fast64_t rows_read, pages_read, bytes_read, row_groups_skipped, malformed;
    int analyze;               /* EXPLAIN ANALYZE: operators time themselves */
    /* spilling (exec/spill.h): where spill files go (the lake's
     * .lakehouse/tmp; NULL: operators never spill, the budget is a hard
     * limit), and what was spilled */
    const char *tmp_dir;
    atomic_uint_fast64_t spill_bytes, spill_files;
} lh_exec_ctx;

void lh_exec_ctx_init(lh_exec_ctx *c);
/* LH_ECANCELLED when the interrupt flag is set. */
lh_rc lh_exec_check(const lh_exec_ctx *c, lh_err *err) LH_MUST_CHECK;
/* Charge (n > 0) or release (n < 0) bytes kept by operator `who`. */
lh_rc lh_exec_charge(lh_exec_ctx *c, const char *who, ptrdiff_t n, lh_err *err) LH_MUST_CHECK;
/* 1 when an operator that can spill should do so rather than keep `want`
 * more bytes: the context has a tmp_dir and a limit, and the bytes held
 * plus want would pass it. */
int lh_exec_spill_due(const lh_exec_ctx *c, size_t want);

/* ---- the operator interface ---- */
typedef struct lh_op lh_op;

typedef struct lh_op_vt {
    const char *name; /* "HashAggregate", as EXPLAIN prints it */
    lh_rc (*next)(lh_op *op, lh_batch **out, lh_err *err);
    void (*free)(lh_op *op); /* the operator's own state; children are freed by lh_op_free */
    /* One line of detail for EXPLAIN ("keys: #0, #2; aggregates: count(*)"),
     * appended to out; may be NULL. */
    lh_rc (*explain)(const lh_op *op, lh_buf *out, lh_err *err);
    /* Row streaming (see lh_op_stream_child); may be NULL (none). */
    int (*stream_child)(const lh_op *op);
} lh_op_vt;

#define LH_OP_MAX_CHILDREN 2

struct lh_op {
    const lh_op_vt *vt;
    lh_exec_ctx *ctx;
    lh_sqltype *types;  /* output schema (owned) */
    uint32_t ncols;
    lh_op *child[LH_OP_MAX_CHILDREN];
    uint32_t nchild;
    int done;
    /* EXPLAIN ANALYZE figures */
    uint64_t rows_out, batches_out;
    double ms; /* time inside next, children included */
};

/* Allocate an operator of `size` bytes (a struct whose first member is
 * lh_op), with output types copied; children are attached by the caller
 * (op->child[...] = c; op->nchild = n) and owned from then on. */
lh_rc lh_op_alloc(size_t size, const lh_op_vt *vt, lh_exec_ctx *ctx, const lh_sqltype *types, uint32_t ncols,
                  lh_op **out, lh_err *err) LH_MUST_CHECK;
/* Pull the next batch (see the contract above). */
lh_rc lh_op_next(lh_op *op, lh_batch **out, lh_err *err) LH_MUST_CHECK;
/* Free op, its state and its children (NULL allowed). */
void lh_op_free(lh_op *op);
/* Which child's rows stream through op: each output row comes from one
 * row of that child (with the whole of any other child, as a join's build
 * side), so running op over disjoint shares of that child's rows and
 * concatenating the outputs gives op's output over all of them.  0 or 1;
 * -1 when no child streams (sort, aggregate, limit, window, set
 * operations; RIGHT and FULL joins, which emit build rows no probe row
 * saw).  Parallel plans (a CREATE TABLE AS split over a table's objects)
 * follow it from the root down to the scan they split. */
int lh_op_stream_child(const lh_op *op);
/* The tree as EXPLAIN prints it, indented, one operator per line, with
 * rows and time per operator when analyze is set. */
lh_rc lh_op_explain(const lh_op *op, int analyze, lh_buf *out, lh_err *err) LH_MUST_CHECK;

/* ---- operators (each in its own exec/op_*.c) ---- */

/* Filter: rows where pred is TRUE (exec/expr.h over the child's columns).
 * Passes the child's batch up with a narrowed selection. */
lh_rc lh_op_filter(lh_exec_ctx *ctx, lh_op *child, lh_xexpr *pred, lh_op **out, lh_err *err) LH_MUST_CHECK;

/* Project: output column i = exprs[i] over the child's columns.  Takes
 * ownership of the expressions (lh_xexpr_free). */
lh_rc lh_op_project(lh_exec_ctx *ctx, lh_op *child, lh_xexpr **exprs, uint32_t n, lh_op **out,
                    lh_err *err) LH_MUST_CHECK;

/* Values: nrows rows of ncols constant expressions cells[r * ncols + c]
 * (evaluated once, at the first pull; a failing cell fails the query then).
 * nrows = 1, ncols = 0 is the one-row relation of a SELECT without FROM. */
lh_rc lh_op_values(lh_exec_ctx *ctx, const lh_sqltype *types, uint32_t ncols, lh_xexpr **cells, size_t nrows,
                   lh_op **out, lh_err *err) LH_MUST_CHECK;

/* Limit: skip `offset` rows, then pass `limit` rows (limit < 0: all). */
lh_rc lh_op_limit(lh_exec_ctx *ctx, lh_op *child, int64_t offset, int64_t limit, lh_op **out,
                  lh_err *err) LH_MUST_CHECK;

/* FETCH FIRST limit ROWS WITH TIES over input sorted on keys[0..nkeys):
 * after offset rows, limit rows, then every following row whose keys are
 * not distinct from the last one's (its peers in the sort). */
lh_rc lh_op_limit_ties(lh_exec_ctx *ctx, lh_op *child, int64_t offset, int64_t limit, const uint32_t *keys,
                       size_t nkeys, lh_op **out, lh_err *err) LH_MUST_CHECK;

/* Concat (UNION ALL): the children's batches one child after the other;
 * all children have the output types.  Takes ownership of kids[0..n) (n >= 1;
 * more than LH_OP_MAX_CHILDREN children are chained internally). */
lh_rc lh_op_concat(lh_exec_ctx *ctx, lh_op **kids, size_t n, lh_op **out, lh_err *err) LH_MUST_CHECK;

/* Sort by keys; with limit >= 0 a top-N (heap of offset + limit rows),
 * then offset/limit applied.  nulls_first is explicit (the planner applies
 * Trino's default, NULLS LAST).  Stable: equal keys keep input order. */
typedef struct lh_sort_key {
    uint32_t col;
    int desc;
    int nulls_first;
} lh_sort_key;
lh_rc lh_op_sort(lh_exec_ctx *ctx, lh_op *child, const lh_sort_key *keys, size_t nkeys, int64_t offset,
                 int64_t limit, lh_op **out, lh_err *err) LH_MUST_CHECK;

/* Hash aggregate.  Output: the key columns (in keys order), then one
 * column per aggregate.  nkeys = 0 is a global aggregate: exactly one row,
 * even over no input (count 0, sum NULL, ...).  Aggregate arguments and
 * FILTER are input columns (the planner projects them below). */
typedef enum lh_agg_kind {
    LH_AGG_COUNT_STAR = 1, /* count(*) */
    LH_AGG_COUNT,          /* count(x): non-NULL x */
    LH_AGG_COUNT_IF,       /* count_if(b) */
    LH_AGG_SUM,            /* integers -> bigint (overflow raises), decimal -> decimal(38,s), real, double */
    LH_AGG_AVG,            /* integers -> double, decimal(p,s) -> decimal(p,s) HALF_UP, real, double */
    LH_AGG_MIN,
    LH_AGG_MAX,
    LH_AGG_MIN_BY,         /* min_by(x, y): x of the row with the least y (arg0 x, arg1 y) */
    LH_AGG_MAX_BY,
    LH_AGG_BOOL_AND,       /* also every() */
    LH_AGG_BOOL_OR,
    LH_AGG_ARBITRARY,      /* also any_value(): the first non-NULL seen */
    LH_AGG_STDDEV_SAMP,    /* stddev(), stddev_samp() */
    LH_AGG_STDDEV_POP,
    LH_AGG_VAR_SAMP,       /* variance(), var_samp() */
    LH_AGG_VAR_POP,
    LH_AGG_CORR,           /* corr(y, x) (arg0 y, arg1 x) */
    LH_AGG_COVAR_SAMP,
    LH_AGG_COVAR_POP,
    LH_AGG_GEOMEAN,        /* geometric_mean */
    LH_AGG_APPROX_DISTINCT,/* HyperLogLog, Trino's default standard error 2.3% */
    LH_AGG_APPROX_PERCENTILE, /* approx_percentile(x, p): arg1 is a constant column */
    LH_AGG_LISTAGG,        /* listagg(x, sep): the group's non-NULL x joined by sep in arrival order
                              (the planner sorts the input for WITHIN GROUP (ORDER BY ...)); at most
                              1 MiB, as Trino ("Concatenated string has the length in bytes larger
                              than the maximum output length 1048576") */
    LH_AGG_BIT_AND,        /* bitwise_and_agg(bigint): two's complement AND of the values */
    LH_AGG_BIT_OR,         /* bitwise_or_agg */
    LH_AGG_BIT_XOR         /* bitwise_xor_agg */
} lh_agg_kind;

#define LH_AGG_NO_ARG UINT32_MAX

typedef struct lh_agg_spec {
    lh_agg_kind kind;
    int distinct;        /* count(DISTINCT x), sum(DISTINCT x), ... */
    uint32_t arg[2];     /* input columns (LH_AGG_NO_ARG when unused) */
    uint32_t filter;     /* boolean input column of FILTER (WHERE ...), or LH_AGG_NO_ARG */
    lh_sqltype ret;      /* the analyzer's result type */
} lh_agg_spec;

/* The aggregate's SQL name ("count", "stddev_samp"), for EXPLAIN and messages. */
const char *lh_agg_name(lh_agg_kind k);

lh_rc lh_op_hash_agg(lh_exec_ctx *ctx, lh_op *child, const uint32_t *keys, size_t nkeys, const lh_agg_spec *aggs,
                     size_t naggs, lh_op **out, lh_err *err) LH_MUST_CHECK;

/* Hash join.  The build side (right) is read whole into a hash table on
 * the equality keys; the probe side (left) streams.  Key pairs have one
 * type (the analyzer coerced them); NULL keys never match.  residual (may
 * be NULL; owned) is a further condition over the joined row: left
 * columns then right columns.  nkeys = 0 is a nested-loop join (cross
 * join when residual is NULL too).  Output columns: left then right
 * (outer sides padded with NULLs); SEMI and ANTI: left only.
 * ANTI_NULL_AWARE is NOT IN: no row at all when the build side has a NULL
 * key, and a probe row with a NULL key is dropped when the build side is
 * not empty. */
typedef enum lh_join_kind {
    LH_J_INNER = 1,
    LH_J_LEFT,
    LH_J_RIGHT,
    LH_J_FULL,
    LH_J_SEMI,
    LH_J_ANTI,
    LH_J_ANTI_NULL_AWARE
} lh_join_kind;
lh_rc lh_op_hash_join(lh_exec_ctx *ctx, lh_op *left, lh_op *right, lh_join_kind kind, const uint32_t *lkeys,
                      const uint32_t *rkeys, size_t nkeys, lh_xexpr *residual, lh_op **out, lh_err *err) LH_MUST_CHECK;

/* 1 if op is a hash aggregate (lh_op_hash_agg): it takes its input rows
 * in any order, so a parallel plan may feed it from several workers. */
int lh_op_is_hash_agg(const lh_op *op);

/* Exchange: the batches of n producer subtrees (owned, same schema), each
 * driven by a thread of its own once the exchange is first pulled, handed
 * on as they come (one producer's rows keep their order).  A batch stays
 * valid until the next pull of the exchange.  The first producer error is
 * returned; freeing stops and joins the threads, then frees the subtrees.
 * The subtrees share ctx (its counters and memory budget are atomic). */
lh_rc lh_op_exchange(lh_exec_ctx *ctx, lh_op **kids, size_t n, lh_op **out, lh_err *err) LH_MUST_CHECK;
/* The subtree EXPLAIN shows under an exchange (its first producer's; the
 * exchange's own line gives every producer's rows), or NULL when op is not
 * an exchange. */
const lh_op *lh_op_exchange_shown(const lh_op *op);

/* INTERSECT [ALL] / EXCEPT [ALL] over two children of the same types
 * (rows compared with IS NOT DISTINCT FROM). */
typedef enum lh_setop_kind { LH_SETOP_INTERSECT = 1, LH_SETOP_EXCEPT } lh_setop_kind;
lh_rc lh_op_setop(lh_exec_ctx *ctx, lh_op *left, lh_op *right, lh_setop_kind kind, int all, lh_op **out,
                  lh_err *err) LH_MUST_CHECK;

/* Window: the child's columns, then one column per window function.  Rows
 * are partitioned by part[0..npart), ordered by order[0..norder) within a
 * partition (every function of one window operator shares them; the
 * planner stacks operators for different windows); each function has its
 * own frame.  Output order: partition by partition (the planner sorts
 * afterwards when the query asks).  part, order and fns are copied. */
typedef enum lh_win_kind {
    LH_WIN_ROW_NUMBER = 1, LH_WIN_RANK, LH_WIN_DENSE_RANK, LH_WIN_PERCENT_RANK, LH_WIN_CUME_DIST, LH_WIN_NTILE,
    LH_WIN_LAG, LH_WIN_LEAD, LH_WIN_FIRST_VALUE, LH_WIN_LAST_VALUE, LH_WIN_NTH_VALUE,
    LH_WIN_AGG /* an aggregate over the frame: agg.kind says which */
} lh_win_kind;
typedef enum lh_frame_bound {
    LH_FB_UNBOUNDED_PRECEDING = 1, LH_FB_PRECEDING, LH_FB_CURRENT_ROW, LH_FB_FOLLOWING, LH_FB_UNBOUNDED_FOLLOWING
} lh_frame_bound;
typedef struct lh_win_spec {
    lh_win_kind kind;
    lh_agg_spec agg;      /* LH_WIN_AGG: the aggregate (args are input columns); ret is the result type */
    uint32_t arg[3];      /* lag/lead: value, offset, default; ntile: n; nth_value: value, n (LH_AGG_NO_ARG unused) */
    int ignore_nulls;
    /* frame: rows = 1 for ROWS, 0 for RANGE (the default RANGE UNBOUNDED
     * PRECEDING .. CURRENT ROW when there is ORDER BY, else the whole
     * partition); groups = 1 (rows 0) for GROUPS, whose offsets count peer
     * groups; offsets are input columns (ROWS n PRECEDING) */
    int rows, groups;
    lh_frame_bound start, end;
    uint32_t start_off, end_off;
    lh_sqltype ret;
} lh_win_spec;
lh_rc lh_op_window(lh_exec_ctx *ctx, lh_op *child, const uint32_t *part, size_t npart, const lh_sort_key *order,
                   size_t norder, const lh_win_spec *fns, size_t nfns, lh_op **out, lh_err *err) LH_MUST_CHECK;

/* WITH RECURSIVE (op_recursive.c).  The working table: the rows of the
 * round before, which the step plans read through WorkTableScan leaves
 * (borrowing it).  lh_worktable_free only before lh_op_recursive took it. */
typedef struct lh_worktable lh_worktable;
lh_rc lh_worktable_new(lh_exec_ctx *ctx, const lh_sqltype *types, uint32_t ncols, lh_worktable **out,
                       lh_err *err) LH_MUST_CHECK;
void lh_worktable_free(lh_worktable *wt);
/* A leaf yielding the working table's rows of the running round.  Pulled
 * outside a round (a subquery run while planning): LH_EUNSUPPORTED. */
lh_rc lh_op_worktable_scan(lh_exec_ctx *ctx, lh_worktable *wt, lh_op **out, lh_err *err) LH_MUST_CHECK;
/* RecursiveUnion: the anchor's rows, then round after round the rows of
 * steps[r] reading round r's working table (the rows round r - 1 yielded),
 * until a round yields none (UNION ALL; DISTINCT is the caller's, on top).
 * steps[nsteps - 1] is the convergence check: a row from it fails with
 * Trino's "Recursion depth limit exceeded (nsteps - 1). ...".  Every plan
 * has wt's types.  Takes anchor, steps[0..nsteps) and wt, also on failure;
 * steps (the array) is copied. */
lh_rc lh_op_recursive(lh_exec_ctx *ctx, lh_op *anchor, lh_op **steps, size_t nsteps, lh_worktable *wt, lh_op **out,
                      lh_err *err) LH_MUST_CHECK;

#endif
