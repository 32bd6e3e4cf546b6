/* plan/functions.h — the function registry the analyzer types calls with:
 * name → signatures → result type (Trino, Athena engine 3).
 *
 * A signature is written as Trino documents it: "abs(decimal(p,s))",
 * "round(decimal(p,s), integer)".  Parameter words:
 *   a concrete type ("bigint", "double", "varchar", "boolean", "date")
 *       the argument must coerce to it implicitly (plan/coerce.h);
 *   T   any type; every T of one call unifies to the common super type;
 *   decimal(p,s)  a decimal (an integer argument becomes its decimal);
 *   varchar(x)    any varchar, kept as it is;
 *   timestamp(p), timestamp(p) with time zone, time(p)
 *       that family at the argument's precision (date → timestamp(0)).
 * A trailing "..." repeats the last parameter (coalesce(T, T...)).
 * Signatures are tried in order, narrowest first; the first whose every
 * parameter accepts its argument wins (Trino's most specific match for the
 * functions listed).  The result is a concrete type, a parameter word, or a
 * rule for the few that compute one (round of a decimal, sum, avg).
 *
 * Nothing here allocates; the registry is static data.
 */
#ifndef LH_PLAN_FUNCTIONS_H
#define LH_PLAN_FUNCTIONS_H

#include <stddef.h>

#include "exec/sqltype.h"
#include "util/err.h"

typedef enum lh_fn_kind {
    LH_FN_SCALAR = 1,
    LH_FN_AGGREGATE, /* also usable over a window */
    LH_FN_WINDOW     /* only with OVER */
} lh_fn_kind;

#define LH_FN_MAX_ARGS 64

typedef struct lh_fn lh_fn;

/* The function named name (lower-case lookup form), or NULL. */
const lh_fn *lh_fn_lookup(const char *name);
const char *lh_fn_name(const lh_fn *f);
lh_fn_kind lh_fn_kind_of(const lh_fn *f);
/* 1 for a function refused for now (array_agg: nested types come later). */
int lh_fn_refused(const lh_fn *f);
/* 1 if the function's result can change between calls in a query
 * (current_timestamp...); the analyzer evaluates those once per query. */
int lh_fn_is_session(const lh_fn *f);

/* Pick the signature for argument types args[0..n): *result gets the
 * result type and params[i] the type argument i must be coerced to.
 * LH_EDATA when no signature fits: "Unexpected parameters (varchar) for
 * function abs. Expected: abs(tinyint), abs(smallint), ..." (the caller
 * prefixes the position); LH_EINVAL for a decimal result out of range. */
lh_rc lh_fn_resolve(const lh_fn *f, const lh_sqltype *args, size_t n, lh_sqltype *params, lh_sqltype *result,
                    lh_err *err) LH_MUST_CHECK;

/* The registered names (for did-you-mean), in registry order. */
size_t lh_fn_count(void);
const char *lh_fn_name_at(size_t i);
/* The function at i (SHOW FUNCTIONS), its signatures, and signature i as
 * text: the argument types ("bigint, integer") and the result type. */
const lh_fn *lh_fn_at(size_t i);
size_t lh_fn_nsigs(const lh_fn *f);
void lh_fn_sig_text(const lh_fn *f, size_t i, char *args, size_t argsz, char *ret, size_t retsz);

#endif
