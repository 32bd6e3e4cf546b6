/* exec/kernels.c — arithmetic, comparison, NULL tests, boolean logic and
 * the filter kernel (see kernels.h).  Casts: kernels_cast.c; LIKE:
 * kernels_like.c.
 *
 * Shape of every kernel: inputs FLAT or CONST; an input is read as
 * X[i & xm] where xm is 0 for CONST and all ones for FLAT, so one loop
 * serves both.  Result validity is the AND of the inputs' bitmaps, done a
 * word at a time; value loops run over the selected rows and skip NULL
 * rows only where a garbage value could raise an error.  Checked integer
 * loops accumulate an overflow flag and look for the failing row only
 * when it is set, which keeps the common loop free of branches.
 */
#include "exec/kernels.h"

#include <math.h>
#include <string.h>

#include "exec/intmath.h"

void lh_k_prepare(lh_vector *v, lh_rows rows)
{
    (void)rows;
    /* all rows, not only these: a later kernel may read other rows of the
     * now-FLAT vector (indices past the producer's rows are 0, a real entry) */
    if (v->kind == LH_VEC_DICT)
        lh_vector_flatten(v, v->cap);
}

#define FOR_ROWS LH_FOR_ROWS /* exec/vector.h */

static inline uint32_t idx_mask(const lh_vector *v) { return v->kind == LH_VEC_CONST ? 0 : 0xffffffffu; }

static inline uint32_t rows_words(lh_rows rows)
{
    uint32_t last = rows.n == 0 ? 0 : rows.sel ? rows.sel[rows.n - 1] : rows.n - 1;
    return rows.n == 0 ? 0 : last / 64 + 1;
}

static inline uint64_t vword(const lh_vector *v, uint32_t w)
{
    if (!v->may_null)
        return ~(uint64_t)0;
    if (v->kind == LH_VEC_CONST)
        return (v->validity[0] & 1) ? ~(uint64_t)0 : 0;
    return v->validity[w];
}

/* out validity = a AND b (b may be NULL) over the words the rows touch;
 * returns 1 if any row may be NULL. */
static int merge_validity(const lh_vector *a, const lh_vector *b, lh_vector *out, lh_rows rows)
{
    uint32_t nw = rows_words(rows), w;
    uint64_t all = ~(uint64_t)0;
    if (!a->may_null && (!b || !b->may_null)) {
        for (w = 0; w < nw; w++)
            out->validity[w] = ~(uint64_t)0;
        return 0;
    }
    for (w = 0; w < nw; w++) {
        uint64_t x = vword(a, w) & (b ? vword(b, w) : ~(uint64_t)0);
        out->validity[w] = x;
        all &= x;
    }
    out->may_null = 1;
    return 1;
}

static inline int valid_at(const lh_vector *v, uint32_t i) { return (v->validity[i >> 6] >> (i & 63)) & 1; }

/* Validity of an input row, FLAT or CONST (inline: used in row loops). */
static inline int in_valid(const lh_vector *v, uint32_t i)
{
    if (!v->may_null)
        return 1;
    return valid_at(v, v->kind == LH_VEC_CONST ? 0 : i);
}

static lh_rc type_error(lh_err *err, const char *what, const lh_vector *a, const lh_vector *b, const lh_vector *out)
{
    char x[LH_SQLTYPE_NAME_MAX], y[LH_SQLTYPE_NAME_MAX], z[LH_SQLTYPE_NAME_MAX];
    return lh_errf(err, LH_EINTERNAL, "%s kernel has no loop for (%s, %s) -> %s", what,
                   lh_sqltype_name(a->type, x, sizeof x), b ? lh_sqltype_name(b->type, y, sizeof y) : "-",
                   lh_sqltype_name(out->type, z, sizeof z));
}

/* ---- integer arithmetic ---- */

static const char op_char[] = {'+', '-', '*', '/', '%'};

#define INT_ARITH(NAME, T, W)                                                                                         \
    static lh_rc NAME(lh_arith_op op, const lh_vector *va, const lh_vector *vb, lh_vector *vo, lh_rows rows,          \
                      int nulls, lh_err *err)                                                                         \
    {                                                                                                                 \
        const T *A = va->data, *B = vb->data;                                                                         \
        T *O = vo->data;                                                                                              \
        uint32_t am = idx_mask(va), bm = idx_mask(vb);                                                                \
        int ovf = 0;                                                                                                  \
        switch (op) {                                                                                                 \
        case LH_OP_ADD:                                                                                               \
            FOR_ROWS(rows, i, { ovf |= __builtin_add_overflow(A[i & am], B[i & bm], &O[i]); });                       \
            break;                                                                                                    \
        case LH_OP_SUB:                                                                                               \
            FOR_ROWS(rows, i, { ovf |= __builtin_sub_overflow(A[i & am], B[i & bm], &O[i]); });                       \
            break;                                                                                                    \
        case LH_OP_MUL:                                                                                               \
            FOR_ROWS(rows, i, { ovf |= __builtin_mul_overflow(A[i & am], B[i & bm], &O[i]); });                       \
            break;                                                                                                    \
        case LH_OP_DIV:                                                                                               \
        case LH_OP_MOD:                                                                                               \
            FOR_ROWS(rows, i, {                                                                                       \
                T x = A[i & am], y = B[i & bm];                                                                       \
                if (nulls && !valid_at(vo, i))                                                                        \
                    continue;                                                                                         \
                if (y == 0)                                                                                           \
                    return lh_int_divzero(err);                                                                       \
                if (y == -1) {                                                                                        \
                    if (op == LH_OP_MOD)                                                                              \
                        O[i] = 0;                                                                                     \
                    else if (__builtin_sub_overflow((T)0, x, &O[i]))                                                  \
                        return lh_int_overflow(err, W, '/', x, y);                                                    \
                } else {                                                                                              \
                    O[i] = op == LH_OP_DIV ? (T)(x / y) : (T)(x % y);                                                 \
                }                                                                                                     \
            });                                                                                                       \
            return LH_OK;                                                                                             \
        }                                                                                                             \
        if (ovf) { /* find the first failing live row */                                                              \
            FOR_ROWS(rows, i, {                                                                                       \
                T r;                                                                                                  \
                T x = A[i & am], y = B[i & bm];                                                                       \
                int f = op == LH_OP_ADD   ? __builtin_add_overflow(x, y, &r)                                          \
                        : op == LH_OP_SUB ? __builtin_sub_overflow(x, y, &r)                                          \
                                          : __builtin_mul_overflow(x, y, &r);                                         \
                if (f && (!nulls || valid_at(vo, i)))                                                                 \
                    return lh_int_overflow(err, W, op_char[op], x, y);                                                \
            });                                                                                                       \
        }                                                                                                             \
        return LH_OK;                                                                                                 \
    }

INT_ARITH(arith_i8, int8_t, LH_I8)
INT_ARITH(arith_i16, int16_t, LH_I16)
INT_ARITH(arith_i32, int32_t, LH_I32)
INT_ARITH(arith_i64, int64_t, LH_I64)

#define FLOAT_ARITH(NAME, T, FMOD)                                                                                    \
    static void NAME(lh_arith_op op, const lh_vector *va, const lh_vector *vb, lh_vector *vo, lh_rows rows)           \
    {                                                                                                                 \
        const T *A = va->data, *B = vb->data;                                                                         \
        T *O = vo->data;                                                                                              \
        uint32_t am = idx_mask(va), bm = idx_mask(vb);                                                                \
        switch (op) {                                                                                                 \
        case LH_OP_ADD:                                                                                               \
            FOR_ROWS(rows, i, { O[i] = A[i & am] + B[i & bm]; });                                                     \
            break;                                                                                                    \
        case LH_OP_SUB:                                                                                               \
            FOR_ROWS(rows, i, { O[i] = A[i & am] - B[i & bm]; });                                                     \
            break;                                                                                                    \
        case LH_OP_MUL:                                                                                               \
            FOR_ROWS(rows, i, { O[i] = A[i & am] * B[i & bm]; });                                                     \
            break;                                                                                                    \
        case LH_OP_DIV:                                                                                               \
            FOR_ROWS(rows, i, { O[i] = A[i & am] / B[i & bm]; });                                                     \
            break;                                                                                                    \
        case LH_OP_MOD:                                                                                               \
            FOR_ROWS(rows, i, { O[i] = FMOD(A[i & am], B[i & bm]); });                                                \
            break;                                                                                                    \
        }                                                                                                             \
    }

FLOAT_ARITH(arith_f32, float, fmodf)
FLOAT_ARITH(arith_f64, double, fmod)

/* ---- decimal arithmetic ---- */

static const lh_i128 DEC_LIMIT = (lh_i128)10000000000000000000ull * (lh_i128)10000000000000000000ull; /* 10^38 */

static inline lh_i128 dec_pow10(int n)
{
    lh_i128 r = 1;
    while (n-- > 0)
        r *= 10;
    return r;
}

static inline lh_i128 load_dec(const lh_vector *v, uint32_t i)
{
    return v->phys == LH_P_I128 ? ((const lh_i128 *)v->data)[i] : (lh_i128)((const int64_t *)v->data)[i];
}

static lh_rc dec_overflow(lh_err *err) { return lh_errf(err, LH_EDATA, "Decimal overflow"); }

/* All short (p <= 18 everywhere) add/sub/mul: int64 loops.  Trino's
 * precision rules guarantee a short result cannot overflow int64 after the
 * rescale (the result precision is at most 18). */
static int dec_short_fast(lh_arith_op op, const lh_vector *va, const lh_vector *vb, lh_vector *vo, lh_rows rows)
{
    const int64_t *A = va->data, *B = vb->data;
    int64_t *O = vo->data;
    uint32_t am = idx_mask(va), bm = idx_mask(vb);
    int rs = vo->type.s;
    int64_t fa, fb;
    if (va->phys != LH_P_I64 || vb->phys != LH_P_I64)
        return 0;
    if (vo->phys == LH_P_I128) {
        /* short inputs: |a·b| < 10^36 and rescaled sums < 10^37 always fit */
        lh_i128 *W = vo->data;
        lh_i128 ga = dec_pow10(rs - va->type.s), gb = dec_pow10(rs - vb->type.s);
        if (op == LH_OP_MUL)
            FOR_ROWS(rows, i, { W[i] = (lh_i128)A[i & am] * B[i & bm]; });
        else if (op == LH_OP_ADD)
            FOR_ROWS(rows, i, { W[i] = (lh_i128)A[i & am] * ga + (lh_i128)B[i & bm] * gb; });
        else if (op == LH_OP_SUB)
            FOR_ROWS(rows, i, { W[i] = (lh_i128)A[i & am] * ga - (lh_i128)B[i & bm] * gb; });
        else
            return 0;
        return 1;
    }
    if (vo->phys != LH_P_I64)
        return 0;
    /* unsigned arithmetic: identical results for valid values, and no
     * undefined behaviour on whatever a NULL row holds */
    if (op == LH_OP_MUL) {
        FOR_ROWS(rows, i, { O[i] = (int64_t)((uint64_t)A[i & am] * (uint64_t)B[i & bm]); });
        return 1;
    }
    if (op != LH_OP_ADD && op != LH_OP_SUB)
        return 0;
    fa = (int64_t)dec_pow10(rs - va->type.s);
    fb = (int64_t)dec_pow10(rs - vb->type.s);
    {
        uint64_t ua = (uint64_t)fa, ub = (uint64_t)fb;
        if (ua == 1 && ub == 1) {
            if (op == LH_OP_ADD)
                FOR_ROWS(rows, i, { O[i] = (int64_t)((uint64_t)A[i & am] + (uint64_t)B[i & bm]); });
            else
                FOR_ROWS(rows, i, { O[i] = (int64_t)((uint64_t)A[i & am] - (uint64_t)B[i & bm]); });
        } else if (op == LH_OP_ADD) {
            FOR_ROWS(rows, i, { O[i] = (int64_t)((uint64_t)A[i & am] * ua + (uint64_t)B[i & bm] * ub); });
        } else {
            FOR_ROWS(rows, i, { O[i] = (int64_t)((uint64_t)A[i & am] * ua - (uint64_t)B[i & bm] * ub); });
        }
    }
    return 1;
}

static lh_rc dec_arith(lh_arith_op op, const lh_vector *va, const lh_vector *vb, lh_vector *vo, lh_rows rows,
                       int nulls, lh_err *err)
{
    uint32_t am = idx_mask(va), bm = idx_mask(vb);
    int s1 = va->type.s, s2 = vb->type.s, rs = vo->type.s;
    lh_i128 fa = 1, fb = 1;
    int out_long = vo->phys == LH_P_I128;
    if (dec_short_fast(op, va, vb, vo, rows))
        return LH_OK;
    if (op == LH_OP_ADD || op == LH_OP_SUB || op == LH_OP_MOD) {
        int t = op == LH_OP_MOD ? (s1 > s2 ? s1 : s2) : rs;
        fa = dec_pow10(t - s1);
        fb = dec_pow10(t - s2);
    }
    FOR_ROWS(rows, i, {
        lh_i128 x = load_dec(va, i & am), y = load_dec(vb, i & bm), r, xs, ys;
        if (nulls && !valid_at(vo, i))
            continue;
        switch (op) {
        case LH_OP_ADD:
        case LH_OP_SUB:
            if (__builtin_mul_overflow(x, fa, &xs) || __builtin_mul_overflow(y, fb, &ys) ||
                (op == LH_OP_ADD ? __builtin_add_overflow(xs, ys, &r) : __builtin_sub_overflow(xs, ys, &r)))
                return dec_overflow(err);
            break;
        case LH_OP_MUL:
            if (__builtin_mul_overflow(x, y, &r))
                return dec_overflow(err);
            break;
        case LH_OP_DIV: {
            int e = rs - s1 + s2;
            lh_i128 q, rem, ay;
            if (y == 0)
                return lh_errf(err, LH_EDATA, "Division by zero");
            if (e > 38 || __builtin_mul_overflow(x, dec_pow10(e), &xs)) {
                lh_rc rc = lh_dec_div(x, s1, y, s2, rs, &r, err); /* 256-bit case */
                if (rc)
                    return rc;
                break;
            }
            q = xs / y;
            rem = xs % y;
            if (rem < 0)
                rem = -rem;
            ay = y < 0 ? -y : y;
            if (rem >= ay - rem) /* 2·|rem| >= |y|: HALF_UP */
                q += ((xs < 0) != (y < 0)) ? -1 : 1;
            r = q;
            break;
        }
        case LH_OP_MOD:
            if (y == 0)
                return lh_errf(err, LH_EDATA, "Division by zero");
            if (__builtin_mul_overflow(x, fa, &xs) || __builtin_mul_overflow(y, fb, &ys)) {
                lh_rc rc = lh_dec_mod(x, s1, y, s2, &r, err);
                if (rc)
                    return rc;
                break;
            }
            r = xs % ys;
            break;
        default:
            r = 0;
        }
        if (r >= DEC_LIMIT || r <= -DEC_LIMIT)
            return dec_overflow(err);
        if (out_long)
            ((lh_i128 *)vo->data)[i] = r;
        else
            ((int64_t *)vo->data)[i] = (int64_t)r;
    });
    return LH_OK;
}

static int is_dec(const lh_vector *v) { return v->type.id == LH_SQL_DECIMAL; }

lh_rc lh_k_arith(lh_arith_op op, lh_vector *a, lh_vector *b, lh_vector *out, lh_rows rows, lh_err *err)
{
    int nulls;
    lh_k_prepare(a, rows);
    lh_k_prepare(b, rows);
    out->kind = LH_VEC_FLAT;
    out->may_null = 0;
    nulls = merge_validity(a, b, out, rows);
    if (is_dec(out)) {
        if (!is_dec(a) || !is_dec(b))
            return type_error(err, "arithmetic", a, b, out);
        return dec_arith(op, a, b, out, rows, nulls, err);
    }
    if (a->phys != out->phys || b->phys != out->phys)
        return type_error(err, "arithmetic", a, b, out);
    switch (out->type.id) {
    case LH_SQL_TINYINT:
        return arith_i8(op, a, b, out, rows, nulls, err);
    case LH_SQL_SMALLINT:
        return arith_i16(op, a, b, out, rows, nulls, err);
    case LH_SQL_INTEGER:
        return arith_i32(op, a, b, out, rows, nulls, err);
    case LH_SQL_BIGINT:
        return arith_i64(op, a, b, out, rows, nulls, err);
    case LH_SQL_REAL:
        arith_f32(op, a, b, out, rows);
        return LH_OK;
    case LH_SQL_DOUBLE:
        arith_f64(op, a, b, out, rows);
        return LH_OK;
    default:
        return type_error(err, "arithmetic", a, b, out);
    }
}

#define INT_NEG(T, W)                                                                                                 \
    do {                                                                                                              \
        const T *A = a->data;                                                                                         \
        T *O = out->data;                                                                                             \
        FOR_ROWS(rows, i, {                                                                                           \
            T x = A[i & am];                                                                                          \
            if (__builtin_sub_overflow((T)0, x, &O[i]) && (!nulls || valid_at(out, i)))                               \
                return lh_int_overflow(err, W, 'n', x, 0);                                                            \
        });                                                                                                           \
    } while (0)

lh_rc lh_k_negate(lh_vector *a, lh_vector *out, lh_rows rows, lh_err *err)
{
    uint32_t am;
    int nulls;
    lh_k_prepare(a, rows);
    am = idx_mask(a);
    out->kind = LH_VEC_FLAT;
    out->may_null = 0;
    nulls = merge_validity(a, NULL, out, rows);
    if (a->phys != out->phys)
        return type_error(err, "negation", a, NULL, out);
    switch (out->type.id) {
    case LH_SQL_TINYINT:
        INT_NEG(int8_t, LH_I8);
        break;
    case LH_SQL_SMALLINT:
        INT_NEG(int16_t, LH_I16);
        break;
    case LH_SQL_INTEGER:
        INT_NEG(int32_t, LH_I32);
        break;
    case LH_SQL_BIGINT:
        INT_NEG(int64_t, LH_I64);
        break;
    case LH_SQL_REAL:
        FOR_ROWS(rows, i, { ((float *)out->data)[i] = -((const float *)a->data)[i & am]; });
        break;
    case LH_SQL_DOUBLE:
    case LH_SQL_INTERVAL_DS:
        if (out->phys == LH_P_F64)
            FOR_ROWS(rows, i, { ((double *)out->data)[i] = -((const double *)a->data)[i & am]; });
        else
            INT_NEG(int64_t, LH_I64);
        break;
    case LH_SQL_DECIMAL:
        /* |v| < 10^p: negation never overflows */
        if (out->phys == LH_P_I64)
            FOR_ROWS(rows, i, { ((int64_t *)out->data)[i] = (int64_t)(0 - (uint64_t)((const int64_t *)a->data)[i & am]); });
        else
            FOR_ROWS(rows, i, { ((lh_i128 *)out->data)[i] = (lh_i128)(0 - (lh_u128)((const lh_i128 *)a->data)[i & am]); });
        break;
    default:
        return type_error(err, "negation", a, NULL, out);
    }
    return LH_OK;
}

/* ---- comparison ---- */

/* c: -1/0/1 (or 2 for unordered NaN) -> result of op */
static inline uint8_t cmp_result(lh_cmp_op op, int c)
{
    switch (op) {
    case LH_CMP_EQ:
        return c == 0;
    case LH_CMP_NE:
        return c != 0;
    case LH_CMP_LT:
        return c == -1;
    case LH_CMP_LE:
        return c == -1 || c == 0;
    case LH_CMP_GT:
        return c == 1;
    case LH_CMP_GE:
        return c == 1 || c == 0;
    case LH_CMP_DISTINCT:
        return c != 0;
    default:
        return c == 0;
    }
}

/* A loop per op so the compiler sees a plain comparison. */
#define CMP_LOOP(T, LOADA, LOADB)                                                                                     \
    do {                                                                                                              \
        switch (op) {                                                                                                 \
        case LH_CMP_EQ:                                                                                               \
        case LH_CMP_NOT_DISTINCT:                                                                                     \
            FOR_ROWS(rows, i, { O[i] = (LOADA) == (LOADB); });                                                        \
            break;                                                                                                    \
        case LH_CMP_NE:                                                                                               \
        case LH_CMP_DISTINCT:                                                                                         \
            FOR_ROWS(rows, i, { O[i] = (LOADA) != (LOADB); });                                                        \
            break;                                                                                                    \
        case LH_CMP_LT:                                                                                               \
            FOR_ROWS(rows, i, { O[i] = (LOADA) < (LOADB); });                                                         \
            break;                                                                                                    \
        case LH_CMP_LE:                                                                                               \
            FOR_ROWS(rows, i, { O[i] = (LOADA) <= (LOADB); });                                                        \
            break;                                                                                                    \
        case LH_CMP_GT:                                                                                               \
            FOR_ROWS(rows, i, { O[i] = (LOADA) > (LOADB); });                                                         \
            break;                                                                                                    \
        case LH_CMP_GE:                                                                                               \
            FOR_ROWS(rows, i, { O[i] = (LOADA) >= (LOADB); });                                                        \
            break;                                                                                                    \
        }                                                                                                             \
    } while (0)

#define CMP_TYPED(T)                                                                                                  \
    do {                                                                                                              \
        const T *A = a->data, *B = b->data;                                                                           \
        CMP_LOOP(T, A[i & am], B[i & bm]);                                                                            \
    } while (0)

static void cmp_decimal(lh_cmp_op op, const lh_vector *a, const lh_vector *b, uint8_t *O, lh_rows rows)
{
    uint32_t am = idx_mask(a), bm = idx_mask(b);
    int s1 = a->type.s, s2 = b->type.s;
    if (s1 == s2 && a->phys == LH_P_I64 && b->phys == LH_P_I64) {
        CMP_TYPED(int64_t);
        return;
    }
    {
        lh_i128 fa = dec_pow10(s1 < s2 ? s2 - s1 : 0), fb = dec_pow10(s2 < s1 ? s1 - s2 : 0);
        FOR_ROWS(rows, i, {
            lh_i128 x = load_dec(a, i & am), y = load_dec(b, i & bm), xs, ys;
            int c;
            if (__builtin_mul_overflow(x, fa, &xs) || __builtin_mul_overflow(y, fb, &ys))
                c = lh_dec_cmp(x, s1, y, s2); /* beyond 128 bits: rare */
            else
                c = xs < ys ? -1 : xs > ys;
            O[i] = cmp_result(op, c);
        });
    }
}

static inline int str_cmp3(const lh_str *x, const lh_str *y) { return lh_str_cmp(x, y); }

lh_rc lh_k_compare(lh_cmp_op op, lh_vector *a, lh_vector *b, lh_vector *out, lh_rows rows, lh_err *err)
{
    uint8_t *O = out->data;
    uint32_t am, bm;
    int distinct = op == LH_CMP_DISTINCT || op == LH_CMP_NOT_DISTINCT;
    lh_k_prepare(a, rows);
    lh_k_prepare(b, rows);
    am = idx_mask(a);
    bm = idx_mask(b);
    out->kind = LH_VEC_FLAT;
    out->may_null = 0;
    if (out->phys != LH_P_U8)
        return type_error(err, "comparison", a, b, out);
    merge_validity(a, b, out, rows);
    if (is_dec(a) && is_dec(b)) {
        cmp_decimal(op, a, b, O, rows);
    } else {
        if (a->phys != b->phys)
            return type_error(err, "comparison", a, b, out);
        switch (a->phys) {
        case LH_P_U8:
            CMP_TYPED(uint8_t);
            break;
        case LH_P_I8:
            CMP_TYPED(int8_t);
            break;
        case LH_P_I16:
            CMP_TYPED(int16_t);
            break;
        case LH_P_I32:
            CMP_TYPED(int32_t);
            break;
        case LH_P_I64:
            CMP_TYPED(int64_t);
            break;
        case LH_P_F32:
            CMP_TYPED(float);
            if (distinct) {
                const float *A = a->data, *B = b->data;
                FOR_ROWS(rows, i, {
                    if (isnan(A[i & am]) && isnan(B[i & bm]))
                        O[i] = op == LH_CMP_NOT_DISTINCT;
                });
            }
            break;
        case LH_P_F64:
            CMP_TYPED(double);
            if (distinct) {
                const double *A = a->data, *B = b->data;
                FOR_ROWS(rows, i, {
                    if (isnan(A[i & am]) && isnan(B[i & bm]))
                        O[i] = op == LH_CMP_NOT_DISTINCT;
                });
            }
            break;
        case LH_P_TSTZ: {
            const lh_tstz *A = a->data, *B = b->data;
            CMP_LOOP(int64_t, A[i & am].utc_us, B[i & bm].utc_us);
            break;
        }
        case LH_P_STR: {
            const lh_str *A = a->data, *B = b->data;
            if (op == LH_CMP_EQ || op == LH_CMP_NOT_DISTINCT)
                FOR_ROWS(rows, i, { O[i] = (uint8_t)lh_str_eq(&A[i & am], &B[i & bm]); });
            else if (op == LH_CMP_NE || op == LH_CMP_DISTINCT)
                FOR_ROWS(rows, i, { O[i] = (uint8_t)!lh_str_eq(&A[i & am], &B[i & bm]); });
            else
                FOR_ROWS(rows, i, { O[i] = cmp_result(op, str_cmp3(&A[i & am], &B[i & bm])); });
            break;
        }
        default:
            return type_error(err, "comparison", a, b, out);
        }
    }
    if (distinct) {
        /* never NULL: NULL vs NULL are not distinct, NULL vs value are */
        if (a->may_null || b->may_null) {
            FOR_ROWS(rows, i, {
                int va = in_valid(a, i), vb = in_valid(b, i);
                if (!va || !vb)
                    O[i] = (uint8_t)((va != vb) == (op == LH_CMP_DISTINCT));
            });
        }
        lh_vector_set_all_valid(out);
    }
    return LH_OK;
}

/* ---- NULL tests and logic ---- */

lh_rc lh_k_is_null(lh_vector *a, int negate, lh_vector *out, lh_rows rows, lh_err *err)
{
    uint8_t *O = out->data;
    lh_k_prepare(a, rows);
    if (out->phys != LH_P_U8)
        return type_error(err, "IS NULL", a, NULL, out);
    out->kind = LH_VEC_FLAT;
    lh_vector_set_all_valid(out);
    if (!a->may_null) {
        FOR_ROWS(rows, i, { O[i] = (uint8_t)negate; });
    } else if (a->kind == LH_VEC_CONST) {
        uint8_t r = (uint8_t)(((a->validity[0] & 1) != 0) == (negate != 0));
        FOR_ROWS(rows, i, { O[i] = r; });
    } else {
        FOR_ROWS(rows, i, { O[i] = (uint8_t)(valid_at(a, i) == (negate != 0)); });
    }
    return LH_OK;
}

static lh_rc logic(int is_and, lh_vector *a, lh_vector *b, lh_vector *out, lh_rows rows, lh_err *err)
{
    const uint8_t *A, *B;
    uint8_t *O = out->data;
    uint32_t am, bm;
    lh_k_prepare(a, rows);
    lh_k_prepare(b, rows);
    if (a->phys != LH_P_U8 || b->phys != LH_P_U8 || out->phys != LH_P_U8)
        return type_error(err, is_and ? "AND" : "OR", a, b, out);
    A = a->data;
    B = b->data;
    am = idx_mask(a);
    bm = idx_mask(b);
    out->kind = LH_VEC_FLAT;
    out->may_null = 0;
    if (!merge_validity(a, b, out, rows)) {
        if (is_and)
            FOR_ROWS(rows, i, { O[i] = A[i & am] & B[i & bm]; });
        else
            FOR_ROWS(rows, i, { O[i] = A[i & am] | B[i & bm]; });
        return LH_OK;
    }
    /* the dominant value (FALSE for AND, TRUE for OR) wins over NULL */
    FOR_ROWS(rows, i, {
        int va = in_valid(a, i), vb = in_valid(b, i);
        uint8_t x = A[i & am], y = B[i & bm];
        if (va && vb) {
            O[i] = is_and ? (x & y) : (x | y);
        } else {
            uint8_t dom = is_and ? 0 : 1;
            if ((va && x == dom) || (vb && y == dom)) {
                O[i] = dom;
                lh_vector_set_valid(out, i);
            } else {
                O[i] = 0;
                out->validity[i >> 6] &= ~((uint64_t)1 << (i & 63));
            }
        }
    });
    return LH_OK;
}

lh_rc lh_k_and(lh_vector *a, lh_vector *b, lh_vector *out, lh_rows rows, lh_err *err)
{
    return logic(1, a, b, out, rows, err);
}

lh_rc lh_k_or(lh_vector *a, lh_vector *b, lh_vector *out, lh_rows rows, lh_err *err)
{
    return logic(0, a, b, out, rows, err);
}

lh_rc lh_k_not(lh_vector *a, lh_vector *out, lh_rows rows, lh_err *err)
{
    const uint8_t *A;
    uint8_t *O = out->data;
    uint32_t am;
    lh_k_prepare(a, rows);
    if (a->phys != LH_P_U8 || out->phys != LH_P_U8)
        return type_error(err, "NOT", a, NULL, out);
    A = a->data;
    am = idx_mask(a);
    out->kind = LH_VEC_FLAT;
    out->may_null = 0;
    merge_validity(a, NULL, out, rows);
    FOR_ROWS(rows, i, { O[i] = !A[i & am]; });
    return LH_OK;
}

lh_rc lh_k_filter(lh_vector *pred, lh_rows rows, uint16_t *sel_out, uint32_t *n_out, lh_err *err)
{
    const uint8_t *P;
    uint32_t k = 0, pm;
    lh_k_prepare(pred, rows);
    if (pred->phys != LH_P_U8) {
        *n_out = 0;
        return lh_errf(err, LH_EINTERNAL, "filter on a non-boolean vector");
    }
    P = pred->data;
    pm = idx_mask(pred);
    if (!pred->may_null) {
        FOR_ROWS(rows, i, {
            sel_out[k] = (uint16_t)i;
            k += P[i & pm] != 0;
        });
    } else {
        const uint64_t *V = pred->validity;
        FOR_ROWS(rows, i, {
            uint32_t r = i & pm;
            sel_out[k] = (uint16_t)i;
            k += (P[r] != 0) & (uint32_t)((V[r >> 6] >> (r & 63)) & 1);
        });
    }
    *n_out = k;
    return LH_OK;
}
