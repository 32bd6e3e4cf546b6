/* exec/expr.h — executable expressions over a batch.
 *
 * The planner turns the analyzer's typed tree (plan/analyze_int.h) into
 * lh_xexpr trees: every node has its final type, every implicit coercion
 * is an explicit CAST node, column references are indexes into the input
 * batch.  lh_xexpr_eval evaluates a tree over the live rows of a batch
 * into a vector, calling the kernels of exec/kernels.h and the scalar
 * functions the planner resolved (functions/scalar.h).
 *
 * Semantics the evaluator owns:
 *   - CASE, COALESCE, AND, OR and IF-like forms evaluate an argument only
 *     on the rows that still need it, so `CASE WHEN x = 0 THEN 0 ELSE 1 / x
 *     END` never divides by zero (Trino's lazy evaluation);
 *   - TRY / TRY_CAST: a row whose evaluation fails is NULL; the batch is
 *     evaluated vectorized first and row by row only after a failure;
 *   - AND/OR are n-ary with three-valued logic.
 *
 * Ownership and lifetime: a tree is built bottom-up with the constructors
 * below, each of which takes ownership of its arguments, also on failure
 * (a failed constructor frees what it was given, so a planner can chain
 * them and check once).  lh_xexpr_free frees a tree.  Evaluation state
 * (result vectors, an arena for strings, compiled LIKE patterns, function
 * state) lives in the tree after lh_xexpr_prepare; a tree is used by one
 * thread at a time (clone it per worker with lh_xexpr_clone).  The vector
 * lh_xexpr_eval returns is owned by the tree (or is the input batch's
 * column for a column reference) and valid until the next eval of the
 * same tree or until the input batch changes.
 *
 * Errors: lh_rc + lh_err, with the kernels' Trino wording.  Nothing here
 * allocates during evaluation except strings in the tree's arena (capped)
 * and the TRY slow path's scratch.
 */
#ifndef LH_EXEC_EXPR_H
#define LH_EXEC_EXPR_H

#include <stddef.h>
#include <stdint.h>

#include "exec/kernels.h"
#include "exec/vector.h"
#include "util/err.h"
#include "util/mem.h"

/* Session values a function may read. */
typedef struct lh_xenv {
    int32_t session_zone; /* lh_zone key (UTC = 0) */
    int64_t now_us;       /* current_timestamp of the query, UTC µs */
} lh_xenv;

/* ---- scalar functions (implemented in src/functions/) ---- */
typedef struct lh_fn_call {
    const lh_sqltype *arg_types; /* nargs of them (owned by the node) */
    size_t nargs;
    lh_sqltype ret;
    lh_arena *arena;    /* result strings longer than 12 bytes go here */
    const lh_xenv *env;
    void *state;        /* the impl's, from init; freed by done */
} lh_fn_call;

typedef struct lh_scalar_impl {
    const char *name;
    /* May be NULL.  Called once at prepare; const_args[i] is a CONST
     * vector when argument i is a constant, else NULL (compile a constant
     * pattern here).  An error here fails the query before any row. */
    lh_rc (*init)(lh_fn_call *c, lh_vector *const *const_args, lh_err *err);
    /* out[row] = f(args[..][row]) for the rows of `rows`.  Inputs are FLAT
     * or CONST (the evaluator flattens DICT); out is FLAT of c->ret.  NULL
     * handling is the function's: most return NULL on a NULL argument. */
    lh_rc (*eval)(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err);
    void (*done)(lh_fn_call *c); /* may be NULL */
} lh_scalar_impl;

/* ---- expressions ---- */
typedef enum lh_xkind {
    LH_X_COL = 1,  /* input column `col` */
    LH_X_CONST,    /* a constant: a one-value vector of `type` */
    LH_X_CAST,     /* CAST(a0 AS type); LH_XF_TRY: a failing row is NULL */
    LH_X_ARITH,    /* a0 op a1, op an lh_arith_op (numeric types; the kernels' rules) */
    LH_X_NEG,      /* -a0 */
    LH_X_CMP,      /* a0 op a1, op an lh_cmp_op */
    LH_X_AND,      /* a0 AND a1 AND ... (n >= 2) */
    LH_X_OR,
    LH_X_NOT,
    LH_X_IS_NULL,  /* a0 IS NULL; LH_XF_NOT: IS NOT NULL */
    LH_X_LIKE,     /* a0 LIKE a1 [ESCAPE a2]; LH_XF_NOT.  A constant pattern is compiled once */
    LH_X_IN,       /* a0 IN (a1, ..., an); LH_XF_NOT.  SQL's NULL rules: no match and a NULL in the list -> NULL */
    LH_X_CASE,     /* searched CASE: when0, then0, when1, then1, ..., [else] (LH_XF_ELSE) */
    LH_X_COALESCE, /* first non-NULL argument, later ones evaluated only where still NULL */
    LH_X_TRY,      /* try(a0): a row whose evaluation fails is NULL */
    LH_X_CALL      /* a scalar function */
} lh_xkind;

enum { LH_XF_NOT = 1u << 0, LH_XF_TRY = 1u << 1, LH_XF_ELSE = 1u << 2 };

typedef struct lh_xexpr lh_xexpr; /* opaque */

/* Constructors: NULL on failure (LH_ENOMEM in err, or LH_EINVAL for a
 * malformed request); every argument passed is owned from then on. */
lh_xexpr *lh_x_col(uint32_t col, lh_sqltype type, lh_err *err);
/* A constant from value row 0 of v (copied, strings included); v is not owned. */
lh_xexpr *lh_x_const(const lh_vector *v, lh_err *err);
lh_xexpr *lh_x_null(lh_sqltype type, lh_err *err);
lh_xexpr *lh_x_cast(lh_xexpr *a, lh_sqltype to, int try_, lh_err *err);
lh_xexpr *lh_x_arith(lh_arith_op op, lh_xexpr *a, lh_xexpr *b, lh_sqltype type, lh_err *err);
lh_xexpr *lh_x_neg(lh_xexpr *a, lh_err *err);
lh_xexpr *lh_x_cmp(lh_cmp_op op, lh_xexpr *a, lh_xexpr *b, lh_err *err);
/* AND/OR/IN/CASE/COALESCE/CALL: args[0..n) owned (the array is copied). */
lh_xexpr *lh_x_nary(lh_xkind kind, lh_xexpr **args, size_t n, unsigned flags, lh_sqltype type, lh_err *err);
lh_xexpr *lh_x_unary(lh_xkind kind, lh_xexpr *a, unsigned flags, lh_err *err); /* NOT, IS_NULL, TRY */
lh_xexpr *lh_x_like(lh_xexpr *s, lh_xexpr *pattern, lh_xexpr *escape /* may be NULL */, unsigned flags,
                    lh_err *err);
lh_xexpr *lh_x_call(const lh_scalar_impl *impl, lh_xexpr **args, size_t n, lh_sqltype ret, lh_err *err);
void lh_xexpr_free(lh_xexpr *e); /* NULL allowed */

lh_xkind lh_xexpr_kind(const lh_xexpr *e);
lh_sqltype lh_xexpr_type(const lh_xexpr *e);
/* The column of an LH_X_COL node (else UINT32_MAX). */
uint32_t lh_xexpr_col(const lh_xexpr *e);
/* 1 when the tree reads no column (a constant the planner may fold). */
int lh_xexpr_is_constant(const lh_xexpr *e);
/* A deep copy, unprepared. */
lh_xexpr *lh_xexpr_clone(const lh_xexpr *e, lh_err *err);

/* Allocate evaluation state for input batches of the given column types
 * (checks every column reference against them: LH_EINTERNAL otherwise),
 * run function inits.  env must outlive the tree. */
lh_rc lh_xexpr_prepare(lh_xexpr *e, const lh_sqltype *in_types, uint32_t ncols, const lh_xenv *env,
                       lh_err *err) LH_MUST_CHECK;
/* Evaluate over the live rows of `in` (lh_batch_rows(in)).  *out has a
 * value at every live row index; other rows are unspecified. */
lh_rc lh_xexpr_eval(lh_xexpr *e, lh_batch *in, lh_vector **out, lh_err *err) LH_MUST_CHECK;
/* As lh_xexpr_eval, on an explicit row set of in. */
lh_rc lh_xexpr_eval_rows(lh_xexpr *e, lh_batch *in, lh_rows rows, lh_vector **out, lh_err *err) LH_MUST_CHECK;

/* The tree as text for EXPLAIN ("(#1 + 5)", "CAST(#0 AS double)"). */
lh_rc lh_xexpr_format(const lh_xexpr *e, lh_buf *out, lh_err *err) LH_MUST_CHECK;

#endif
