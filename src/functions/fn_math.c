/* functions/fn_math.c — math functions (see scalar.h), with Trino's
 * semantics (io.trino.operator.scalar.MathFunctions and the math docs):
 *
 *   abs        same type; abs of an integer's minimum is "Value -128 is out
 *              of range for abs(tinyint)" (NUMERIC_VALUE_OUT_OF_RANGE)
 *   ceil, ceiling, floor, round(x), truncate(x)
 *              integers unchanged; decimal(p,s) -> decimal(rp,0) exact
 *              (round HALF_UP: away from zero at .5); real/double by IEEE
 *              (round as Java's Math.round on |x|, the sign put back)
 *   round(x, d)  integers: d >= 0 unchanged, else HALF_UP to 10^-d
 *              ("numerical overflow: x", "Out of range for integer: x");
 *              decimal(p,s) -> decimal(min(38,p+1), s) HALF_UP at d
 *              digits ("Decimal overflow"); double/real: x * 10^d rounded
 *              half away from zero, / 10^d (NaN and infinities unchanged)
 *   mod        the % operator's rules (Division by zero; fmod for floats)
 *   power/pow  Java's Math.pow (pow(1, NaN) and pow(-1, Infinity) are NaN)
 *   sqrt, cbrt, ln, log2, log10, log(b, x), exp   IEEE (log(-1) = NaN,
 *              ln(0) = -Infinity), log2(x) and log(b, x) as ln(x) / ln(b)
 *   sign       integers -1/0/1, decimals likewise (at the result's
 *              scale), floats: NaN, -0.0 and 0.0 kept, else -1.0/1.0
 *   pi, e, nan, infinity
 *   rand/random()  double in [0, 1); rand(n) integer in [0, n), n <= 0 is
 *              "bound must be positive" (INVALID_FUNCTION_ARGUMENT)
 *   is_nan     boolean
 *   greatest, least  NULL if any argument is NULL; NaN never wins over a
 *              number (Trino's unordered-first/last comparisons), so NaN
 *              results only when every argument is NaN
 * Data errors are LH_EDATA (LH_EINVAL for invalid arguments), so try()
 * turns them into NULL.  Loops switch on the physical type outside the
 * row loop; nothing allocates except rand's state in init.
 */
#include "functions/fn_rng.h"
#include "functions/scalar.h"

#include <math.h>
#include <string.h>
#include <time.h>

#include "exec/intmath.h"

/* ---- common helpers ---- */

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

static inline void onull(lh_vector *o, uint32_t i)
{
    o->validity[i >> 6] &= ~((uint64_t)1 << (i & 63));
    o->may_null = 1;
}

static void begin(lh_vector *out)
{
    out->kind = LH_VEC_FLAT;
    lh_vector_set_all_valid(out);
}

/* out NULL where any of args[0..n) is NULL (the rows' values are computed
 * anyway where that cannot fail) */
static void nulls(lh_vector **args, size_t n, lh_vector *out, lh_rows rows)
{
    size_t a;
    for (a = 0; a < n; a++)
        if (args[a]->may_null)
            FOR_ROWS(rows, i, {
                if (!vok(args[a], i))
                    onull(out, i);
            });
}

static inline int any_null(lh_vector **args, size_t n, uint32_t i)
{
    size_t a;
    for (a = 0; a < n; a++)
        if (!vok(args[a], i))
            return 1;
    return 0;
}

static const char *int_name(lh_sqltype t)
{
    switch (t.id) {
    case LH_SQL_TINYINT:
        return "tinyint";
    case LH_SQL_SMALLINT:
        return "smallint";
    case LH_SQL_INTEGER:
        return "integer";
    default:
        return "bigint";
    }
}

static inline lh_i128 ld_dec(const lh_vector *v, uint32_t i)
{
    return v->phys == LH_P_I128 ? ((const lh_i128 *)v->data)[i] : (lh_i128)((const int64_t *)v->data)[i];
}

static inline void st_dec(lh_vector *v, uint32_t i, lh_i128 x)
{
    if (v->phys == LH_P_I128)
        ((lh_i128 *)v->data)[i] = x;
    else
        ((int64_t *)v->data)[i] = (int64_t)x;
}

static lh_rc dec_overflow(lh_err *err) { return lh_errf(err, LH_EDATA, "Decimal overflow"); }

static lh_rc no_loop(lh_err *err, const char *fn, const lh_vector *a)
{
    char n[LH_SQLTYPE_NAME_MAX];
    return lh_errf(err, LH_EINTERNAL, "%s has no loop for %s", fn, lh_sqltype_name(a->type, n, sizeof n));
}

/* the integer loops, one per width */
#define INT_CASES(V, BODY)                                                                                             \
    switch ((V)->phys) {                                                                                               \
    case LH_P_I8: {                                                                                                    \
        typedef int8_t T;                                                                                              \
        const T TMIN = INT8_MIN, TMAX = INT8_MAX;                                                                      \
        (void)TMIN;                                                                                                    \
        (void)TMAX;                                                                                                    \
        BODY;                                                                                                          \
        break;                                                                                                         \
    }                                                                                                                  \
    case LH_P_I16: {                                                                                                   \
        typedef int16_t T;                                                                                             \
        const T TMIN = INT16_MIN, TMAX = INT16_MAX;                                                                    \
        (void)TMIN;                                                                                                    \
        (void)TMAX;                                                                                                    \
        BODY;                                                                                                          \
        break;                                                                                                         \
    }                                                                                                                  \
    case LH_P_I32: {                                                                                                   \
        typedef int32_t T;                                                                                             \
        const T TMIN = INT32_MIN, TMAX = INT32_MAX;                                                                    \
        (void)TMIN;                                                                                                    \
        (void)TMAX;                                                                                                    \
        BODY;                                                                                                          \
        break;                                                                                                         \
    }                                                                                                                  \
    case LH_P_I64: {                                                                                                   \
        typedef int64_t T;                                                                                             \
        const T TMIN = INT64_MIN, TMAX = INT64_MAX;                                                                    \
        (void)TMIN;                                                                                                    \
        (void)TMAX;                                                                                                    \
        BODY;                                                                                                          \
        break;                                                                                                         \
    }                                                                                                                  \
    default:                                                                                                           \
        break;                                                                                                         \
    }

/* ---- accepts ---- */

static int is_int(lh_sqltype t) { return lh_sqltype_is_integer(t); }
static int is_flt(lh_sqltype t) { return t.id == LH_SQL_REAL || t.id == LH_SQL_DOUBLE; }
static int is_dec(lh_sqltype t) { return t.id == LH_SQL_DECIMAL; }
static int is_num(lh_sqltype t) { return is_int(t) || is_flt(t) || is_dec(t); }
static int is_dbl(lh_sqltype t) { return t.id == LH_SQL_DOUBLE; }

/* one numeric argument, result of its kind (any decimal for a decimal) */
static int acc_num1(const lh_sqltype *a, size_t n, lh_sqltype r)
{
    return n == 1 && is_num(a[0]) && r.id == a[0].id;
}
static int acc_trunc1(const lh_sqltype *a, size_t n, lh_sqltype r)
{
    return n == 1 && (is_dec(a[0]) || is_flt(a[0])) && r.id == a[0].id;
}
static int acc_round2(const lh_sqltype *a, size_t n, lh_sqltype r)
{
    return n == 2 && is_num(a[0]) && r.id == a[0].id && is_int(a[1]);
}
static int acc_mod(const lh_sqltype *a, size_t n, lh_sqltype r)
{
    return n == 2 && is_num(a[0]) && a[1].id == a[0].id && r.id == a[0].id &&
           (is_dec(a[0]) || lh_sqltype_equal(a[0], a[1]));
}
static int acc_d0(const lh_sqltype *a, size_t n, lh_sqltype r) { return (void)a, n == 0 && is_dbl(r); }
static int acc_d1(const lh_sqltype *a, size_t n, lh_sqltype r) { return n == 1 && is_dbl(a[0]) && is_dbl(r); }
static int acc_d2(const lh_sqltype *a, size_t n, lh_sqltype r)
{
    return n == 2 && is_dbl(a[0]) && is_dbl(a[1]) && is_dbl(r);
}
static int acc_isnan(const lh_sqltype *a, size_t n, lh_sqltype r)
{
    return n == 1 && is_dbl(a[0]) && r.id == LH_SQL_BOOLEAN;
}
static int acc_rand(const lh_sqltype *a, size_t n, lh_sqltype r)
{
    return (n == 0 && is_dbl(r)) || (n == 1 && is_int(a[0]) && r.id == a[0].id);
}
static int acc_gl(const lh_sqltype *a, size_t n, lh_sqltype r)
{
    size_t i;
    lh_phys p = lh_phys_of(r);
    if (n < 1 || p == LH_P_NONE)
        return 0;
    for (i = 0; i < n; i++)
        if (a[i].id != r.id || lh_phys_of(a[i]) != p || (is_dec(r) && a[i].s != r.s))
            return 0;
    return 1;
}

/* ---- abs, sign ---- */

static lh_rc f_abs(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err)
{
    lh_vector *a = args[0];
    uint32_t m = im(a);
    (void)c;
    begin(out);
    nulls(args, 1, out, rows);
    if (is_int(a->type)) {
        lh_rc rc = LH_OK;
        INT_CASES(a, {
            const T *A = a->data;
            T *O = out->data;
            FOR_ROWS(rows, i, {
                T x = A[i & m];
                if (x == TMIN && vok(a, i)) {
                    rc = lh_errf(err, LH_EDATA, "Value %lld is out of range for abs(%s)", (long long)x,
                                 int_name(a->type));
                    break;
                }
                O[i] = x < 0 ? (T)(0 - (uint64_t)(int64_t)x) : x; /* unsigned: a NULL row's minimum is no UB */
            });
        });
        return rc;
    }
    switch (a->phys) {
    case LH_P_F32: {
        const float *A = a->data;
        float *O = out->data;
        FOR_ROWS(rows, i, { O[i] = fabsf(A[i & m]); });
        return LH_OK;
    }
    case LH_P_F64: {
        const double *A = a->data;
        double *O = out->data;
        FOR_ROWS(rows, i, { O[i] = fabs(A[i & m]); });
        return LH_OK;
    }
    case LH_P_I64:
    case LH_P_I128:
        if (is_dec(a->type)) {
            FOR_ROWS(rows, i, {
                lh_i128 x = ld_dec(a, i & m);
                st_dec(out, i, x < 0 ? -x : x);
            });
            return LH_OK;
        }
        break;
    default:
        break;
    }
    return no_loop(err, "abs", a);
}

static lh_rc f_sign(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err)
{
    lh_vector *a = args[0];
    uint32_t m = im(a);
    begin(out);
    nulls(args, 1, out, rows);
    if (is_int(a->type)) {
        INT_CASES(a, {
            const T *A = a->data;
            T *O = out->data;
            FOR_ROWS(rows, i, { O[i] = (T)((A[i & m] > 0) - (A[i & m] < 0)); });
        });
        return LH_OK;
    }
    if (is_dec(a->type)) {
        lh_i128 one = lh_dec_pow10(c->ret.s);
        FOR_ROWS(rows, i, {
            lh_i128 x = ld_dec(a, i & m);
            st_dec(out, i, x > 0 ? one : x < 0 ? -one : 0);
        });
        return LH_OK;
    }
    if (a->phys == LH_P_F64) {
        const double *A = a->data;
        double *O = out->data;
        FOR_ROWS(rows, i, {
            double x = A[i & m];
            O[i] = x > 0 ? 1.0 : x < 0 ? -1.0 : x; /* NaN, 0.0 and -0.0 as they are */
        });
        return LH_OK;
    }
    if (a->phys == LH_P_F32) {
        const float *A = a->data;
        float *O = out->data;
        FOR_ROWS(rows, i, {
            float x = A[i & m];
            O[i] = x > 0 ? 1.0f : x < 0 ? -1.0f : x;
        });
        return LH_OK;
    }
    return no_loop(err, "sign", a);
}

/* ---- ceil, floor, round(x), truncate(x) ---- */

enum rmode { R_CEIL, R_FLOOR, R_HALF_UP, R_TRUNC };

/* v / 10^s to an integer by the mode (exact). */
static inline lh_i128 dec_to_int(lh_i128 v, int s, enum rmode md)
{
    lh_i128 f, q, r;
    if (s == 0)
        return v;
    f = lh_dec_pow10(s);
    q = v / f;
    r = v % f;
    switch (md) {
    case R_CEIL:
        return q + (r > 0);
    case R_FLOOR:
        return q - (r < 0);
    case R_HALF_UP:
        if ((r < 0 ? -r : r) >= f - (r < 0 ? -r : r)) /* 2|r| >= f, without overflow at s = 38 */
            q += r < 0 ? -1 : 1;
        return q;
    default:
        return q;
    }
}

/* Java's Math.round of y >= 0 (floor(y + 1/2) without the rounding error);
 * values that are integers already (|y| >= 2^52) are returned as they are */
static inline double jround_pos(double y)
{
    double f;
    if (!(y < 4503599627370496.0))
        return y;
    f = floor(y);
    return y - f >= 0.5 ? f + 1 : f;
}

static inline double round_half_up(double x)
{
    if (isnan(x) || isinf(x))
        return x;
    return x < 0 ? -jround_pos(-x) : jround_pos(x);
}

static lh_rc int_mode(lh_vector **args, lh_vector *out, lh_rows rows, enum rmode md, const lh_fn_call *c,
                      const char *fn, lh_err *err)
{
    lh_vector *a = args[0];
    uint32_t m = im(a);
    begin(out);
    nulls(args, 1, out, rows);
    if (is_int(a->type)) {
        INT_CASES(a, {
            const T *A = a->data;
            T *O = out->data;
            FOR_ROWS(rows, i, { O[i] = A[i & m]; });
        });
        return LH_OK;
    }
    if (is_dec(a->type)) {
        int s = a->type.s, rs = c->ret.s, rp = c->ret.p;
        lh_i128 up = lh_dec_pow10(rs);
        FOR_ROWS(rows, i, {
            lh_i128 q;
            if (!vok(a, i))
                continue;
            q = dec_to_int(ld_dec(a, i & m), s, md) * up;
            if (!lh_dec_fits(q, rp))
                return dec_overflow(err);
            st_dec(out, i, q);
        });
        return LH_OK;
    }
    if (a->phys == LH_P_F64) {
        const double *A = a->data;
        double *O = out->data;
        switch (md) {
        case R_CEIL:
            FOR_ROWS(rows, i, { O[i] = ceil(A[i & m]); });
            break;
        case R_FLOOR:
            FOR_ROWS(rows, i, { O[i] = floor(A[i & m]); });
            break;
        case R_TRUNC:
            FOR_ROWS(rows, i, { O[i] = trunc(A[i & m]); });
            break;
        default:
            FOR_ROWS(rows, i, { O[i] = round_half_up(A[i & m]); });
            break;
        }
        return LH_OK;
    }
    if (a->phys == LH_P_F32) {
        const float *A = a->data;
        float *O = out->data;
        switch (md) {
        case R_CEIL:
            FOR_ROWS(rows, i, { O[i] = ceilf(A[i & m]); });
            break;
        case R_FLOOR:
            FOR_ROWS(rows, i, { O[i] = floorf(A[i & m]); });
            break;
        case R_TRUNC:
            FOR_ROWS(rows, i, { O[i] = truncf(A[i & m]); });
            break;
        default:
            FOR_ROWS(rows, i, { O[i] = (float)round_half_up((double)A[i & m]); });
            break;
        }
        return LH_OK;
    }
    return no_loop(err, fn, a);
}

static lh_rc f_ceil(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err)
{
    return int_mode(args, out, rows, R_CEIL, c, "ceiling", err);
}
static lh_rc f_floor(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err)
{
    return int_mode(args, out, rows, R_FLOOR, c, "floor", err);
}
static lh_rc f_round1(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err)
{
    return int_mode(args, out, rows, R_HALF_UP, c, "round", err);
}
static lh_rc f_trunc1(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err)
{
    return int_mode(args, out, rows, R_TRUNC, c, "truncate", err);
}

/* ---- round(x, d) ---- */

/* x HALF_UP at 10^-d for d < 0 (Trino's roundLong); checked */
static lh_rc round_long(int64_t x, int64_t d, int64_t *out, lh_err *err)
{
    int64_t f = 1, q, r;
    int k;
    if (d >= 0) {
        *out = x;
        return LH_OK;
    }
    if (-d > 18)
        return lh_errf(err, LH_EDATA, "numerical overflow: %lld", (long long)x);
    for (k = 0; k < -d; k++)
        f *= 10;
    q = x / f;
    r = x % f;
    /* |r| * 2 >= f without overflow: |r| >= f - |r| */
    if ((r < 0 ? -r : r) >= f - (r < 0 ? -r : r))
        q += r < 0 ? -1 : 1;
    if (__builtin_mul_overflow(q, f, out))
        return lh_errf(err, LH_EDATA, "numerical overflow: %lld", (long long)x);
    return LH_OK;
}

static inline double round_d(double x, int64_t d)
{
    double f, y;
    if (isnan(x) || isinf(x))
        return x;
    f = pow(10.0, (double)d);
    if (f == 0)
        return x < 0 ? -0.0 : 0.0; /* 10^d underflows: every digit is rounded away */
    y = fabs(x) * f;
    if (!(y < 4503599627370496.0))
        return x; /* no digit at or after position d: x is already round there */
    y = jround_pos(y) / f;
    return x < 0 ? -y : y;
}

static lh_rc f_round2(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err)
{
    lh_vector *a = args[0], *dv = args[1];
    uint32_t m = im(a), dm = im(dv);
    lh_rc rc = LH_OK;
    begin(out);
    nulls(args, 2, out, rows);
#define DGET(i) ((int64_t)(dv->phys == LH_P_I32 ? ((const int32_t *)dv->data)[(i) & dm] : lh_vector_get_i64(dv, (i))))
    if (is_int(a->type)) {
        INT_CASES(a, {
            const T *A = a->data;
            T *O = out->data;
            FOR_ROWS(rows, i, {
                int64_t r;
                if (any_null(args, 2, i))
                    continue;
                if ((rc = round_long(A[i & m], DGET(i), &r, err)))
                    return rc;
                if (r < TMIN || r > TMAX)
                    return lh_errf(err, LH_EDATA, "Out of range for %s: %lld", int_name(a->type), (long long)r);
                O[i] = (T)r;
            });
        });
        return LH_OK;
    }
    if (is_dec(a->type)) {
        int p = a->type.p, s = a->type.s, rp = c->ret.p, rs = c->ret.s;
        FOR_ROWS(rows, i, {
            lh_i128 v, q;
            int64_t d;
            if (any_null(args, 2, i))
                continue;
            v = ld_dec(a, i & m);
            d = DGET(i);
            if (v == 0 || p - s + d <= 0) {
                q = 0;
            } else if (d >= s) {
                q = v;
            } else {
                int k = (int)(s - d);
                q = dec_to_int(v, k, R_HALF_UP) * lh_dec_pow10(k);
            }
            if (rs > s)
                q *= lh_dec_pow10(rs - s);
            else if (rs < s)
                q /= lh_dec_pow10(s - rs);
            if (!lh_dec_fits(q, rp))
                return dec_overflow(err);
            st_dec(out, i, q);
        });
        return LH_OK;
    }
    if (a->phys == LH_P_F64) {
        const double *A = a->data;
        double *O = out->data;
        FOR_ROWS(rows, i, { O[i] = round_d(A[i & m], DGET(i)); });
        return LH_OK;
    }
    if (a->phys == LH_P_F32) {
        const float *A = a->data;
        float *O = out->data;
        FOR_ROWS(rows, i, { O[i] = (float)round_d((double)A[i & m], DGET(i)); });
        return LH_OK;
    }
#undef DGET
    return no_loop(err, "round", a);
}

/* ---- mod ---- */

static lh_rc f_mod(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err)
{
    (void)c;
    return lh_k_arith(LH_OP_MOD, args[0], args[1], out, rows, err);
}

/* ---- double functions ---- */

static inline double jpow(double x, double y)
{
    if (isnan(y))
        return NAN; /* C: pow(1, NaN) = 1; Java: NaN */
    if (isinf(y) && fabs(x) == 1.0)
        return NAN; /* C: pow(-1, Inf) = 1; Java: NaN */
    return pow(x, y);
}

/* glibc's cbrt is off by an ulp on perfect cubes (cbrt(27) = 3.0000000000000004);
 * Java's is not: pick the neighbour whose cube is nearest, in long double */
static double cbrt_near(double x)
{
    double r = cbrt(x), c[2];
    long double lx = x, best;
    int k;
    if (!isfinite(r) || r == 0)
        return r;
    best = fabsl((long double)r * r * r - lx);
    c[0] = nextafter(r, -INFINITY);
    c[1] = nextafter(r, INFINITY);
    for (k = 0; k < 2; k++) {
        long double d = fabsl((long double)c[k] * c[k] * c[k] - lx);
        if (d < best) {
            best = d;
            r = c[k];
        }
    }
    return r;
}

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

#define D2(NAME, EXPR)                                                                                                 \
    static lh_rc NAME(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err)                      \
    {                                                                                                                  \
        const double *A = args[0]->data, *B = args[1]->data;                                                           \
        double *O = out->data;                                                                                         \
        uint32_t am = im(args[0]), bm = im(args[1]);                                                                   \
        (void)c;                                                                                                       \
        (void)err;                                                                                                     \
        begin(out);                                                                                                    \
        FOR_ROWS(rows, i, {                                                                                            \
            double x = A[i & am], y = B[i & bm];                                                                       \
            O[i] = (EXPR);                                                                                             \
        });                                                                                                            \
        nulls(args, 2, out, rows);                                                                                     \
        return LH_OK;                                                                                                  \
    }

#define D0(NAME, VAL)                                                                                                  \
    static lh_rc NAME(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err)                      \
    {                                                                                                                  \
        double *O = out->data;                                                                                         \
        (void)c;                                                                                                       \
        (void)args;                                                                                                    \
        (void)err;                                                                                                     \
        begin(out);                                                                                                    \
        FOR_ROWS(rows, i, { O[i] = (VAL); });                                                                          \
        return LH_OK;                                                                                                  \
    }

D1(f_sqrt, sqrt(x))
D1(f_cbrt, cbrt_near(x))
D1(f_ln, log(x))
D1(f_log2, log(x) / log(2.0))
D1(f_log10, log10(x))
D1(f_exp, exp(x))
D2(f_log, log(y) / log(x))
D2(f_pow, jpow(x, y))
D0(f_pi, 3.141592653589793)
D0(f_e, 2.718281828459045)
D0(f_nan, NAN)
D0(f_inf, INFINITY)

static lh_rc f_isnan(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err)
{
    const double *A = args[0]->data;
    uint8_t *O = out->data;
    uint32_t m = im(args[0]);
    (void)c;
    (void)err;
    begin(out);
    FOR_ROWS(rows, i, { O[i] = (uint8_t)isnan(A[i & m]); });
    nulls(args, 1, out, rows);
    return LH_OK;
}

/* ---- rand ---- */

lh_rc lh_fn_rng_init(lh_fn_call *c, lh_vector *const *ca, lh_err *err)
{
    rng *r = lh_malloc(sizeof *r);
    struct timespec ts;
    uint64_t z;
    int k;
    (void)ca;
    if (!r)
        return lh_errf(err, LH_ENOMEM, "out of memory seeding a random number generator");
    clock_gettime(CLOCK_REALTIME, &ts);
    z = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 30) ^ (uint64_t)(uintptr_t)r;
    for (k = 0; k < 4; k++) { /* splitmix64 */
        uint64_t x = (z += 0x9e3779b97f4a7c15ULL);
        x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
        x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
        r->s[k] = x ^ (x >> 31);
    }
    c->state = r;
    return LH_OK;
}

void lh_fn_rng_done(lh_fn_call *c)
{
    lh_free(c->state);
    c->state = NULL;
}

static lh_rc f_rand(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err)
{
    rng *r = c->state;
    begin(out);
    if (!r)
        return lh_errf(err, LH_EINTERNAL, "rand() called without its state");
    if (c->nargs == 0) {
        double *O = out->data;
        FOR_ROWS(rows, i, { O[i] = (double)(rng_next(r) >> 11) * 0x1.0p-53; });
        return LH_OK;
    }
    nulls(args, 1, out, rows);
    {
        lh_vector *a = args[0];
        uint32_t m = im(a);
        INT_CASES(a, {
            const T *A = a->data;
            T *O = out->data;
            FOR_ROWS(rows, i, {
                T n;
                if (!vok(a, i))
                    continue;
                n = A[i & m];
                if (n <= 0)
                    return lh_errf(err, LH_EINVAL, "bound must be positive");
                O[i] = (T)rng_below(r, (uint64_t)n);
            });
        });
    }
    return LH_OK;
}

/* ---- greatest, least ---- */

/* keep[i] = better(args[k][i], cur[i]); floats: NaN never replaces a
 * number, a number always replaces NaN */
#define GL_LOOP(T, BETTER)                                                                                             \
    do {                                                                                                               \
        T *O = out->data;                                                                                              \
        size_t k;                                                                                                      \
        for (k = 0; k < n; k++) {                                                                                      \
            const T *A = args[k]->data;                                                                                \
            uint32_t m = im(args[k]);                                                                                  \
            if (k == 0)                                                                                                \
                FOR_ROWS(rows, i, { O[i] = A[i & m]; });                                                               \
            else                                                                                                       \
                FOR_ROWS(rows, i, {                                                                                    \
                    T x, y;                                                                                            \
                    if (anynull && any_null(args, n, i))                                                               \
                        continue; /* NULL anyway; a NULL row's string view may dangle */                               \
                    x = A[i & m];                                                                                      \
                    y = O[i];                                                                                          \
                    if (BETTER)                                                                                        \
                        O[i] = x;                                                                                      \
                });                                                                                                    \
        }                                                                                                              \
    } while (0)

static lh_rc greatest_least(int least, lh_vector **args, size_t n, lh_vector *out, lh_rows rows, lh_err *err)
{
    int anynull = 0;
    size_t a;
    for (a = 0; a < n; a++)
        anynull |= args[a]->may_null;
    begin(out);
    switch (out->phys) {
    case LH_P_U8:
        if (least)
            GL_LOOP(uint8_t, x < y);
        else
            GL_LOOP(uint8_t, x > y);
        break;
    case LH_P_I8:
        if (least)
            GL_LOOP(int8_t, x < y);
        else
            GL_LOOP(int8_t, x > y);
        break;
    case LH_P_I16:
        if (least)
            GL_LOOP(int16_t, x < y);
        else
            GL_LOOP(int16_t, x > y);
        break;
    case LH_P_I32:
        if (least)
            GL_LOOP(int32_t, x < y);
        else
            GL_LOOP(int32_t, x > y);
        break;
    case LH_P_I64:
        if (least)
            GL_LOOP(int64_t, x < y);
        else
            GL_LOOP(int64_t, x > y);
        break;
    case LH_P_I128:
        if (least)
            GL_LOOP(lh_i128, x < y);
        else
            GL_LOOP(lh_i128, x > y);
        break;
    case LH_P_F32:
        if (least)
            GL_LOOP(float, x < y || (isnan(y) && !isnan(x)));
        else
            GL_LOOP(float, x > y || (isnan(y) && !isnan(x)));
        break;
    case LH_P_F64:
        if (least)
            GL_LOOP(double, x < y || (isnan(y) && !isnan(x)));
        else
            GL_LOOP(double, x > y || (isnan(y) && !isnan(x)));
        break;
    case LH_P_STR:
        if (least)
            GL_LOOP(lh_str, lh_str_cmp(&x, &y) < 0);
        else
            GL_LOOP(lh_str, lh_str_cmp(&x, &y) > 0);
        break;
    case LH_P_TSTZ:
        if (least)
            GL_LOOP(lh_tstz, x.utc_us < y.utc_us);
        else
            GL_LOOP(lh_tstz, x.utc_us > y.utc_us);
        break;
    default:
        return no_loop(err, least ? "least" : "greatest", out);
    }
    nulls(args, n, out, rows);
    return LH_OK;
}

static lh_rc f_greatest(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err)
{
    return greatest_least(0, args, c->nargs, out, rows, err);
}
static lh_rc f_least(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err)
{
    return greatest_least(1, args, c->nargs, out, rows, err);
}

/* ---- the table ---- */

#define E(NAME, ACC, FN) {NAME, ACC, {NAME, NULL, FN, NULL}}

const lh_scalar_entry lh_fns_math[] = {
    E("abs", acc_num1, f_abs),
    E("sign", acc_num1, f_sign),
    E("ceil", acc_num1, f_ceil),
    E("ceiling", acc_num1, f_ceil),
    E("floor", acc_num1, f_floor),
    E("round", acc_num1, f_round1),
    E("round", acc_round2, f_round2),
    E("truncate", acc_trunc1, f_trunc1),
    E("mod", acc_mod, f_mod),
    E("power", acc_d2, f_pow),
    E("pow", acc_d2, f_pow),
    E("sqrt", acc_d1, f_sqrt),
    E("cbrt", acc_d1, f_cbrt),
    E("ln", acc_d1, f_ln),
    E("log2", acc_d1, f_log2),
    E("log10", acc_d1, f_log10),
    E("log", acc_d2, f_log),
    E("exp", acc_d1, f_exp),
    E("pi", acc_d0, f_pi),
    E("e", acc_d0, f_e),
    E("nan", acc_d0, f_nan),
    E("infinity", acc_d0, f_inf),
    E("is_nan", acc_isnan, f_isnan),
    {"rand", acc_rand, {"rand", lh_fn_rng_init, f_rand, lh_fn_rng_done}},
    {"random", acc_rand, {"random", lh_fn_rng_init, f_rand, lh_fn_rng_done}},
    E("greatest", acc_gl, f_greatest),
    E("least", acc_gl, f_least),
    {NULL, NULL, {NULL, NULL, NULL, NULL}},
};
