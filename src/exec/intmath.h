/* exec/intmath.h — checked integer arithmetic with Trino's semantics.
 *
 * One set of helpers per width (tinyint, smallint, integer, bigint): the
 * operands are int64_t holding values of that width, the result is checked
 * against the width.  Semantics (Trino's BigintOperators, IntegerOperators,
 * SmallintOperators, TinyintOperators):
 *   overflow     LH_EDATA "bigint addition overflow: 9223372036854775807 + 1"
 *                ("subtraction", "multiplication", "negation"; the width's
 *                name first: "integer", "smallint", "tinyint")
 *   a / b        truncates toward zero; MIN / -1 is "<width> division
 *                overflow: -9223372036854775808 / -1"
 *   a % b        takes the sign of the dividend; MIN % -1 = 0
 *   b == 0       LH_EDATA "Division by zero" for / and %
 * These are static inline for the per-value loops; the message is built
 * out of line (intmath.c), only on failure.  Nothing allocates.
 */
#ifndef LH_EXEC_INTMATH_H
#define LH_EXEC_INTMATH_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

typedef enum lh_intw { LH_I8 = 8, LH_I16 = 16, LH_I32 = 32, LH_I64 = 64 } lh_intw;

/* Cold path: fills err with Trino's message. op: '+', '-', '*', '/', 'n' (negation). */
lh_rc lh_int_overflow(lh_err *err, lh_intw w, char op, int64_t a, int64_t b);
lh_rc lh_int_divzero(lh_err *err);
const char *lh_intw_name(lh_intw w);

static inline int lh_intw_fits(lh_intw w, int64_t v)
{
    switch (w) {
    case LH_I8:
        return v >= INT8_MIN && v <= INT8_MAX;
    case LH_I16:
        return v >= INT16_MIN && v <= INT16_MAX;
    case LH_I32:
        return v >= INT32_MIN && v <= INT32_MAX;
    default:
        return 1;
    }
}

static inline int64_t lh_intw_min(lh_intw w)
{
    return w == LH_I8 ? INT8_MIN : w == LH_I16 ? INT16_MIN : w == LH_I32 ? INT32_MIN : INT64_MIN;
}

static inline lh_rc lh_int_add(lh_intw w, int64_t a, int64_t b, int64_t *out, lh_err *err)
{
    int64_t r;
    if (__builtin_add_overflow(a, b, &r) || !lh_intw_fits(w, r))
        return lh_int_overflow(err, w, '+', a, b);
    *out = r;
    return LH_OK;
}

static inline lh_rc lh_int_sub(lh_intw w, int64_t a, int64_t b, int64_t *out, lh_err *err)
{
    int64_t r;
    if (__builtin_sub_overflow(a, b, &r) || !lh_intw_fits(w, r))
        return lh_int_overflow(err, w, '-', a, b);
    *out = r;
    return LH_OK;
}

static inline lh_rc lh_int_mul(lh_intw w, int64_t a, int64_t b, int64_t *out, lh_err *err)
{
    int64_t r;
    if (__builtin_mul_overflow(a, b, &r) || !lh_intw_fits(w, r))
        return lh_int_overflow(err, w, '*', a, b);
    *out = r;
    return LH_OK;
}

static inline lh_rc lh_int_div(lh_intw w, int64_t a, int64_t b, int64_t *out, lh_err *err)
{
    if (b == 0)
        return lh_int_divzero(err);
    if (b == -1 && a == lh_intw_min(w))
        return lh_int_overflow(err, w, '/', a, b);
    *out = a / b; /* C99+: truncation toward zero, as Java */
    return LH_OK;
}

static inline lh_rc lh_int_mod(lh_intw w, int64_t a, int64_t b, int64_t *out, lh_err *err)
{
    (void)w;
    if (b == 0)
        return lh_int_divzero(err);
    *out = b == -1 ? 0 : a % b; /* sign of the dividend; MIN % -1 is 0 (no trap) */
    return LH_OK;
}

static inline lh_rc lh_int_neg(lh_intw w, int64_t a, int64_t *out, lh_err *err)
{
    if (a == lh_intw_min(w))
        return lh_int_overflow(err, w, 'n', a, 0);
    *out = -a;
    return LH_OK;
}

/* CAST between integer widths (and from bigint): "Out of range for integer: 3000000000". */
static inline lh_rc lh_int_narrow(lh_intw to, int64_t v, int64_t *out, lh_err *err)
{
    if (!lh_intw_fits(to, v))
        return lh_errf(err, LH_EDATA, "Out of range for %s: %lld", lh_intw_name(to), (long long)v);
    *out = v;
    return LH_OK;
}

/* CAST(varchar AS tinyint..bigint) as Trino's VarcharOperators: Java's
 * parseLong syntax ([+-]digits, no spaces), range of the width.  LH_EDATA
 * "Cannot cast '971-' to INT" (INT for integer, as Trino spells it here),
 * "... to BIGINT", "... to SMALLINT", "... to TINYINT". */
lh_rc lh_int_from_varchar(lh_intw w, const char *s, size_t n, int64_t *out, lh_err *err) LH_MUST_CHECK;

#endif
