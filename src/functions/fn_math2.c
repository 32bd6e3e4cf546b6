/* functions/fn_math2.c — the rest of Trino's math functions (functions/
 * math.md, io.trino.operator.scalar.MathFunctions), listed in
 * lh_fns_math2[]:
 *
 *   sin cos tan asin acos atan sinh cosh tanh degrees radians  double -> double (libm)
 *   atan2(y, x)                 double
 *   is_finite, is_infinite      double -> boolean
 *   truncate(x, d)              decimal(p,s) -> decimal(p,s) (digits after d dropped, toward
 *                               zero); double/real: the exact binary value cut at d digits
 *                               (Java's new BigDecimal(x).setScale(d, DOWN)), NaN and
 *                               infinities unchanged
 *   width_bucket(x, b1, b2, n)  bigint; Trino's errors ("bucketCount must be greater than 0",
 *                               "operand must not be NaN", "first bound must be finite", ...)
 *   random(m, n), rand(m, n)    integer types: m + random(n - m); "start value must be less
 *                               than stop value"
 *   to_base(x, radix)           varchar(64), Java's Long.toString(x, radix)
 *   from_base(s, radix)         bigint, Java's Long.parseLong: "Not a valid base-16 number: g"
 *                               radix outside 2..36: "Radix must be between 2 and 36"
 * Every function is NULL on a NULL argument.  Argument errors are
 * LH_EINVAL (INVALID_FUNCTION_ARGUMENT; try() makes them NULL).  Nothing
 * allocates except random's state (init) and result strings in the arena.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "exec/decimal.h"
#include "functions/fn_strutil.h"
#include "functions/fn_rng.h"
#include "functions/scalar.h"

#define FOR_ROWS LH_FOR_ROWS /* exec/vector.h */

static inline uint32_t im(const lh_vector *v) { return v->kind == LH_VEC_CONST ? 0 : 0xffffffffu; }
static inline int vok(const lh_vector *v, uint32_t i)
{
    uint32_t r;
    if (!v->may_null)
        return 1;
    r = v->kind == LH_VEC_CONST ? 0 : i;
    return (v->validity[r >> 6] >> (r & 63)) & 1;
}
static void begin(lh_vector *out)
{
    out->kind = LH_VEC_FLAT;
    lh_vector_set_all_valid(out);
}
static void nulls(lh_vector **args, size_t n, lh_vector *out, lh_rows rows)
{
    for (size_t a = 0; a < n; a++)
        if (args[a]->may_null)
            FOR_ROWS(rows, i, {
                if (!vok(args[a], i))
                    out_null(out, i);
            });
}
static inline int any_null(lh_vector **args, size_t n, uint32_t i)
{
    for (size_t a = 0; a < n; a++)
        if (!vok(args[a], i))
            return 1;
    return 0;
}
/* an integer argument of any width, at row i */
static inline int64_t ival(const lh_vector *v, uint32_t i)
{
    uint32_t r = i & im(v);
    switch (v->phys) {
    case LH_P_I8:
        return ((const int8_t *)v->data)[r];
    case LH_P_I16:
        return ((const int16_t *)v->data)[r];
    case LH_P_I32:
        return ((const int32_t *)v->data)[r];
    default:
        return ((const int64_t *)v->data)[r];
    }
}
static inline void iset(lh_vector *v, uint32_t i, int64_t x)
{
    switch (v->phys) {
    case LH_P_I8:
        ((int8_t *)v->data)[i] = (int8_t)x;
        break;
    case LH_P_I16:
        ((int16_t *)v->data)[i] = (int16_t)x;
        break;
    case LH_P_I32:
        ((int32_t *)v->data)[i] = (int32_t)x;
        break;
    default:
        ((int64_t *)v->data)[i] = x;
        break;
    }
}

/* ---- double -> double ---- */

#define D1(NAME, EXPR)                                                                                                 \
    static lh_rc NAME(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err)                      \
    {                                                                                                                  \
        const double *A = args[0]->data;                                                                               \
        double *O = out->data;                                                                                         \
        uint32_t m = im(args[0]);                                                                                      \
        (void)c;                                                                                                       \
        (void)err;                                                                                                     \
        begin(out);                                                                                                    \
        FOR_ROWS(rows, i, {                                                                                            \
            double x = A[i & m];                                                                                       \
            O[i] = (EXPR);                                                                                             \
        });                                                                                                            \
        nulls(args, 1, out, rows);                                                                                     \
        return LH_OK;                                                                                                  \
    }

D1(f_sin, sin(x))
D1(f_cos, cos(x))
D1(f_tan, tan(x))
D1(f_asin, asin(x))
D1(f_acos, acos(x))
D1(f_atan, atan(x))
D1(f_sinh, sinh(x))
D1(f_cosh, cosh(x))
D1(f_tanh, tanh(x))
/* Java's Math.toDegrees / toRadians multiply by the constant ratio */
D1(f_degrees, x * 57.29577951308232)
D1(f_radians, x * 0.017453292519943295)

static lh_rc f_atan2(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err)
{
    const double *A = args[0]->data, *B = args[1]->data;
    double *O = out->data;
    uint32_t am = im(args[0]), bm = im(args[1]);
    (void)c;
    (void)err;
    begin(out);
    FOR_ROWS(rows, i, { O[i] = atan2(A[i & am], B[i & bm]); });
    nulls(args, 2, out, rows);
    return LH_OK;
}

static lh_rc fin_inf(lh_vector **args, lh_vector *out, lh_rows rows, int inf)
{
    const double *A = args[0]->data;
    uint8_t *O = out->data;
    uint32_t m = im(args[0]);
    begin(out);
    if (inf)
        FOR_ROWS(rows, i, { O[i] = (uint8_t)(isinf(A[i & m]) != 0); });
    else
        FOR_ROWS(rows, i, { O[i] = (uint8_t)(isfinite(A[i & m]) != 0); });
    nulls(args, 1, out, rows);
    return LH_OK;
}
static lh_rc f_is_finite(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err)
{
    (void)c, (void)err;
    return fin_inf(args, out, rows, 0);
}
static lh_rc f_is_infinite(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err)
{
    (void)c, (void)err;
    return fin_inf(args, out, rows, 1);
}

/* ---- truncate(x, d) ---- */

/* The exact decimal value of x cut toward zero at d digits after the point
 * (d < 0: digits before it), back to the nearest double.  glibc prints a
 * double's exact expansion when asked for enough digits (it terminates
 * within 1074 fraction digits). */
static double trunc_d(double x, int64_t d)
{
    char buf[1500];
    char *dot, *p;
    if (isnan(x) || isinf(x))
        return x;
    if (d == 0)
        return trunc(x);
    if (d > 1100)
        return x;
    snprintf(buf, sizeof buf, "%.1100f", x);
    dot = strchr(buf, '.');
    if (!dot)
        return x;
    if (d > 0) {
        dot[1 + d] = 0;
    } else {
        /* zero the last -d integer digits, drop the fraction */
        int64_t k = -d;
        *dot = 0;
        p = dot;
        while (k-- > 0 && p > buf && p[-1] >= '0' && p[-1] <= '9')
            *--p = '0';
    }
    return strtod(buf, NULL);
}

static lh_rc f_trunc2(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err)
{
    lh_vector *a = args[0], *dv = args[1];
    uint32_t m = im(a);
    (void)err;
    begin(out);
    nulls(args, 2, out, rows);
    if (a->phys == LH_P_F64) {
        const double *A = a->data;
        double *O = out->data;
        FOR_ROWS(rows, i, {
            if (!any_null(args, 2, i))
                O[i] = trunc_d(A[i & m], ival(dv, i));
        });
        return LH_OK;
    }
    if (a->phys == LH_P_F32) {
        const float *A = a->data;
        float *O = out->data;
        FOR_ROWS(rows, i, {
            if (!any_null(args, 2, i))
                O[i] = (float)trunc_d((double)A[i & m], ival(dv, i)); /* nearest float of the cut value */
        });
        return LH_OK;
    }
    /* decimal(p,s): drop the digits after position d (same type) */
    {
        int s = c->ret.s;
        FOR_ROWS(rows, i, {
            lh_i128 v, f;
            int64_t d;
            if (any_null(args, 2, i))
                continue;
            v = a->phys == LH_P_I128 ? ((const lh_i128 *)a->data)[i & m] : (lh_i128)((const int64_t *)a->data)[i & m];
            d = ival(dv, i);
            if (d < s) {
                int64_t k = s - d;
                if (k > 38)
                    v = 0;
                else {
                    f = lh_dec_pow10((int)k);
                    v = v / f * f;
                }
            }
            if (out->phys == LH_P_I128)
                ((lh_i128 *)out->data)[i] = v;
            else
                ((int64_t *)out->data)[i] = (int64_t)v;
        });
    }
    return LH_OK;
}

/* ---- width_bucket ---- */

static lh_rc f_width_bucket(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err)
{
    const double *X = args[0]->data, *B1 = args[1]->data, *B2 = args[2]->data;
    const int64_t *N = args[3]->data;
    uint32_t xm = im(args[0]), am = im(args[1]), bm = im(args[2]), nm = im(args[3]);
    int64_t *O = out->data;
    (void)c;
    begin(out);
    nulls(args, 4, out, rows);
    FOR_ROWS(rows, i, {
        double x, b1, b2, lo, hi;
        int64_t n, r;
        if (any_null(args, 4, i))
            continue;
        x = X[i & xm], b1 = B1[i & am], b2 = B2[i & bm], n = N[i & nm];
        if (n <= 0)
            return lh_errf(err, LH_EINVAL, "bucketCount must be greater than 0");
        if (isnan(x))
            return lh_errf(err, LH_EINVAL, "operand must not be NaN");
        if (!isfinite(b1))
            return lh_errf(err, LH_EINVAL, "first bound must be finite");
        if (!isfinite(b2))
            return lh_errf(err, LH_EINVAL, "second bound must be finite");
        if (b1 == b2)
            return lh_errf(err, LH_EINVAL, "bounds cannot equal each other");
        lo = b1 < b2 ? b1 : b2;
        hi = b1 < b2 ? b2 : b1;
        if (x < lo)
            r = 0;
        else if (x >= hi) {
            if (n == INT64_MAX)
                return isinf(x) ? lh_errf(err, LH_EINVAL, "Bucket for value Infinity is out of range")
                                : lh_errf(err, LH_EINVAL, "Bucket for value %.17g is out of range", x);
            r = n + 1;
        } else
            r = (int64_t)((double)n * (x - lo) / (hi - lo) + 1);
        if (b1 > b2)
            r = n - r + 1;
        O[i] = r;
    });
    return LH_OK;
}

/* ---- random(m, n) ---- */

static lh_rc f_rand2(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err)
{
    rng *r = c->state;
    begin(out);
    if (!r)
        return lh_errf(err, LH_EINTERNAL, "random() called without its state");
    nulls(args, 2, out, rows);
    FOR_ROWS(rows, i, {
        int64_t lo, hi;
        if (any_null(args, 2, i))
            continue;
        lo = ival(args[0], i), hi = ival(args[1], i);
        if (lo >= hi)
            return lh_errf(err, LH_EINVAL, "start value must be less than stop value");
        iset(out, i, (int64_t)((uint64_t)lo + rng_below(r, (uint64_t)hi - (uint64_t)lo)));
    });
    return LH_OK;
}

/* ---- to_base, from_base ---- */

static lh_rc radix_ok(int64_t radix, lh_err *err)
{
    if (radix < 2 || radix > 36)
        return lh_errf(err, LH_EINVAL, "Radix must be between 2 and 36");
    return LH_OK;
}

static lh_rc f_to_base(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err)
{
    lh_rc rc;
    begin(out);
    nulls(args, 2, out, rows);
    FOR_ROWS(rows, i, {
        char buf[72], *p = buf + sizeof buf;
        int64_t x, radix;
        uint64_t u;
        if (any_null(args, 2, i))
            continue;
        x = ival(args[0], i), radix = ival(args[1], i);
        if ((rc = radix_ok(radix, err)))
            return rc;
        u = x < 0 ? 0 - (uint64_t)x : (uint64_t)x;
        do {
            *--p = "0123456789abcdefghijklmnopqrstuvwxyz"[u % (uint64_t)radix];
            u /= (uint64_t)radix;
        } while (u);
        if (x < 0)
            *--p = '-';
        if ((rc = put_str(c, out, i, p, (size_t)(buf + sizeof buf - p), err)))
            return rc;
    });
    return LH_OK;
}

static lh_rc f_from_base(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err)
{
    int64_t *O = out->data;
    lh_rc rc;
    (void)c;
    begin(out);
    nulls(args, 2, out, rows);
    FOR_ROWS(rows, i, {
        const lh_str *s;
        const char *p;
        size_t n, k = 0;
        int64_t radix;
        uint64_t acc = 0, lim;
        int neg = 0, bad = 0;
        if (any_null(args, 2, i))
            continue;
        s = sarg(args[0], i);
        p = lh_str_ptr(s), n = lh_str_len(s);
        radix = ival(args[1], i);
        if ((rc = radix_ok(radix, err)))
            return rc;
        if (n && (p[0] == '-' || p[0] == '+'))
            neg = p[0] == '-', k = 1;
        lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
        if (k == n)
            bad = 1;
        for (; k < n && !bad; k++) {
            unsigned ch = (unsigned char)p[k];
            int dg = ch >= '0' && ch <= '9' ? (int)(ch - '0')
                     : ch >= 'a' && ch <= 'z' ? (int)(ch - 'a' + 10)
                     : ch >= 'A' && ch <= 'Z' ? (int)(ch - 'A' + 10)
                                              : 99;
            if (dg >= radix || acc > (lim - (uint64_t)dg) / (uint64_t)radix)
                bad = 1;
            else
                acc = acc * (uint64_t)radix + (uint64_t)dg;
        }
        if (bad) {
            char m[256];
            return lh_errf(err, LH_EINVAL, "Not a valid base-%lld number: %s", (long long)radix,
                           u8_for_msg(p, n, m, sizeof m));
        }
        O[i] = neg ? (int64_t)(0 - acc) : (int64_t)acc;
    });
    return LH_OK;
}

/* ---- accepts ---- */

static int dbl(lh_sqltype t) { return t.id == LH_SQL_DOUBLE; }
static int acc_d1(const lh_sqltype *a, size_t n, lh_sqltype r) { return n == 1 && dbl(a[0]) && dbl(r); }
static int acc_d2(const lh_sqltype *a, size_t n, lh_sqltype r) { return n == 2 && dbl(a[0]) && dbl(a[1]) && dbl(r); }
static int acc_dbool(const lh_sqltype *a, size_t n, lh_sqltype r)
{
    return n == 1 && dbl(a[0]) && r.id == LH_SQL_BOOLEAN;
}
static int acc_trunc2(const lh_sqltype *a, size_t n, lh_sqltype r)
{
    return n == 2 && (a[0].id == LH_SQL_DOUBLE || a[0].id == LH_SQL_REAL || a[0].id == LH_SQL_DECIMAL) &&
           r.id == a[0].id && (a[0].id != LH_SQL_DECIMAL || (r.s == a[0].s && r.p == a[0].p)) &&
           lh_sqltype_is_integer(a[1]);
}
static int acc_wb(const lh_sqltype *a, size_t n, lh_sqltype r)
{
    return n == 4 && dbl(a[0]) && dbl(a[1]) && dbl(a[2]) && a[3].id == LH_SQL_BIGINT && r.id == LH_SQL_BIGINT;
}
static int acc_rand2(const lh_sqltype *a, size_t n, lh_sqltype r)
{
    return n == 2 && lh_sqltype_is_integer(a[0]) && a[1].id == a[0].id && r.id == a[0].id;
}
static int acc_to_base(const lh_sqltype *a, size_t n, lh_sqltype r)
{
    return n == 2 && a[0].id == LH_SQL_BIGINT && a[1].id == LH_SQL_BIGINT && r.id == LH_SQL_VARCHAR;
}
static int acc_from_base(const lh_sqltype *a, size_t n, lh_sqltype r)
{
    return n == 2 && a[0].id == LH_SQL_VARCHAR && a[1].id == LH_SQL_BIGINT && r.id == LH_SQL_BIGINT;
}

#define E(NAME, ACC, FN) {NAME, ACC, {NAME, NULL, FN, NULL}}

const lh_scalar_entry lh_fns_math2[] = {
    E("sin", acc_d1, f_sin),
    E("cos", acc_d1, f_cos),
    E("tan", acc_d1, f_tan),
    E("asin", acc_d1, f_asin),
    E("acos", acc_d1, f_acos),
    E("atan", acc_d1, f_atan),
    E("sinh", acc_d1, f_sinh),
    E("cosh", acc_d1, f_cosh),
    E("tanh", acc_d1, f_tanh),
    E("degrees", acc_d1, f_degrees),
    E("radians", acc_d1, f_radians),
    E("atan2", acc_d2, f_atan2),
    E("is_finite", acc_dbool, f_is_finite),
    E("is_infinite", acc_dbool, f_is_infinite),
    E("truncate", acc_trunc2, f_trunc2),
    E("width_bucket", acc_wb, f_width_bucket),
    {"rand", acc_rand2, {"rand", lh_fn_rng_init, f_rand2, lh_fn_rng_done}},
    {"random", acc_rand2, {"random", lh_fn_rng_init, f_rand2, lh_fn_rng_done}},
    E("to_base", acc_to_base, f_to_base),
    E("from_base", acc_from_base, f_from_base),
    {NULL, NULL, {NULL, NULL, NULL, NULL}},
};
