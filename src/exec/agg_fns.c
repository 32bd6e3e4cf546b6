/* exec/agg_fns.c — aggregate functions' state, update and finalize loops
 * (see agg_int.h). */
#include "exec/agg_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "exec/decimal.h"
#include "exec/hash.h"
#include "exec/intmath.h"
#include "exec/kernels.h"

enum { AM_INT = 1, AM_DEC, AM_AVGINT, AM_FLOAT }; /* sum / avg input modes */

static lh_rc nomem(lh_err *err) { return lh_errf(err, LH_ENOMEM, "out of memory in an aggregate's state"); }

const char *lh_agg_name(lh_agg_kind k)
{
    switch (k) {
    case LH_AGG_COUNT_STAR:
    case LH_AGG_COUNT:
        return "count";
    case LH_AGG_COUNT_IF:
        return "count_if";
    case LH_AGG_SUM:
        return "sum";
    case LH_AGG_AVG:
        return "avg";
    case LH_AGG_MIN:
        return "min";
    case LH_AGG_MAX:
        return "max";
    case LH_AGG_MIN_BY:
        return "min_by";
    case LH_AGG_MAX_BY:
        return "max_by";
    case LH_AGG_BOOL_AND:
        return "bool_and";
    case LH_AGG_BOOL_OR:
        return "bool_or";
    case LH_AGG_ARBITRARY:
        return "arbitrary";
    case LH_AGG_STDDEV_SAMP:
        return "stddev_samp";
    case LH_AGG_STDDEV_POP:
        return "stddev_pop";
    case LH_AGG_VAR_SAMP:
        return "var_samp";
    case LH_AGG_VAR_POP:
        return "var_pop";
    case LH_AGG_CORR:
        return "corr";
    case LH_AGG_COVAR_SAMP:
        return "covar_samp";
    case LH_AGG_COVAR_POP:
        return "covar_pop";
    case LH_AGG_GEOMEAN:
        return "geometric_mean";
    case LH_AGG_APPROX_DISTINCT:
        return "approx_distinct";
    case LH_AGG_APPROX_PERCENTILE:
        return "approx_percentile";
    case LH_AGG_LISTAGG:
        return "listagg";
    case LH_AGG_BIT_AND:
        return "bitwise_and_agg";
    case LH_AGG_BIT_OR:
        return "bitwise_or_agg";
    case LH_AGG_BIT_XOR:
        return "bitwise_xor_agg";
    }
    return "?";
}

static int nargs_of(lh_agg_kind k)
{
    switch (k) {
    case LH_AGG_COUNT_STAR:
        return 0;
    case LH_AGG_MIN_BY:
    case LH_AGG_MAX_BY:
    case LH_AGG_CORR:
    case LH_AGG_COVAR_SAMP:
    case LH_AGG_COVAR_POP:
    case LH_AGG_APPROX_PERCENTILE:
    case LH_AGG_LISTAGG:
        return 2;
    default:
        return 1;
    }
}

static void reg(lh_aggst *a, void *pp, size_t esz)
{
    a->arr[a->narr] = pp;
    a->esz[a->narr] = esz;
    a->narr++;
}

static int is_int_phys(int p) { return p == LH_P_I8 || p == LH_P_I16 || p == LH_P_I32 || p == LH_P_I64; }
static int is_numeric_type(lh_sqltype t) { return lh_sqltype_is_numeric(t); }

static lh_rc bad_type(const lh_agg_spec *s, lh_sqltype t, lh_err *err)
{
    char b[LH_SQLTYPE_NAME_MAX], r[LH_SQLTYPE_NAME_MAX];
    return lh_errf(err, LH_EINTERNAL, "aggregate %s(%s) -> %s has no implementation", lh_agg_name(s->kind),
                   lh_sqltype_name(t, b, sizeof b), lh_sqltype_name(s->ret, r, sizeof r));
}

lh_rc lh_aggst_init(lh_aggst *a, const lh_agg_spec *spec, const lh_sqltype *in_types, uint32_t nin, lh_err *err)
{
    int na = nargs_of(spec->kind), i, ok = 1;
    lh_sqltype t0 = lh_sqltype_of(LH_SQL_UNKNOWN), t1 = t0;
    memset(a, 0, sizeof *a);
    a->spec = *spec;
    for (i = 0; i < na; i++)
        if (spec->arg[i] >= nin)
            return lh_errf(err, LH_EINTERNAL, "aggregate %s: argument column %u of %u", lh_agg_name(spec->kind),
                           spec->arg[i], nin);
    if (spec->filter != LH_AGG_NO_ARG && (spec->filter >= nin || in_types[spec->filter].id != LH_SQL_BOOLEAN))
        return lh_errf(err, LH_EINTERNAL, "aggregate %s: FILTER column %u is not a boolean input column",
                       lh_agg_name(spec->kind), spec->filter);
    if (na >= 1)
        t0 = in_types[spec->arg[0]];
    if (na >= 2)
        t1 = in_types[spec->arg[1]];
    a->p0 = (uint8_t)lh_phys_of(t0);
    a->p1 = (uint8_t)lh_phys_of(t1);
    a->w0 = (uint8_t)lh_phys_width((lh_phys)a->p0);
    a->w1 = (uint8_t)lh_phys_width((lh_phys)a->p1);
    a->rp = (uint8_t)lh_phys_of(spec->ret);
    a->t0id = t0.id;
    a->s0 = t0.s;
    reg(a, &a->cnt, sizeof(int64_t));
    if ((spec->kind == LH_AGG_SUM || spec->kind == LH_AGG_AVG) && lh_sqltype_is_interval(t0)) {
        char b[LH_SQLTYPE_NAME_MAX];
        return lh_errf(err, LH_EUNSUPPORTED, "%s(%s) is not supported yet", lh_agg_name(spec->kind),
                       lh_sqltype_name(t0, b, sizeof b));
    }
    switch (spec->kind) {
    case LH_AGG_COUNT_STAR:
    case LH_AGG_COUNT:
        ok = a->rp == LH_P_I64;
        break;
    case LH_AGG_COUNT_IF:
        ok = a->rp == LH_P_I64 && t0.id == LH_SQL_BOOLEAN;
        break;
    case LH_AGG_BOOL_AND:
    case LH_AGG_BOOL_OR:
        ok = a->rp == LH_P_U8 && t0.id == LH_SQL_BOOLEAN;
        reg(a, &a->fl, 1);
        break;
    case LH_AGG_BIT_AND:
    case LH_AGG_BIT_OR:
    case LH_AGG_BIT_XOR:
        ok = spec->ret.id == LH_SQL_BIGINT && t0.id == LH_SQL_BIGINT;
        reg(a, &a->i0, sizeof(int64_t));
        break;
    case LH_AGG_SUM:
        if (lh_sqltype_is_integer(t0)) {
            ok = spec->ret.id == LH_SQL_BIGINT;
            a->mode = AM_INT;
            reg(a, &a->i0, sizeof(int64_t));
        } else if (t0.id == LH_SQL_DECIMAL) {
            ok = spec->ret.id == LH_SQL_DECIMAL;
            a->mode = AM_DEC;
            reg(a, &a->q0, sizeof(lh_i128));
            reg(a, &a->hi, sizeof(int64_t));
        } else if (t0.id == LH_SQL_REAL || t0.id == LH_SQL_DOUBLE) {
            ok = spec->ret.id == t0.id;
            a->mode = AM_FLOAT;
            reg(a, &a->d[0], sizeof(double));
        } else
            ok = 0;
        break;
    case LH_AGG_AVG:
        if (lh_sqltype_is_integer(t0)) {
            ok = spec->ret.id == LH_SQL_DOUBLE;
            a->mode = AM_AVGINT;
            reg(a, &a->q0, sizeof(lh_i128));
        } else if (t0.id == LH_SQL_DECIMAL) {
            ok = spec->ret.id == LH_SQL_DECIMAL;
            a->mode = AM_DEC;
            reg(a, &a->q0, sizeof(lh_i128));
            reg(a, &a->hi, sizeof(int64_t));
        } else if (t0.id == LH_SQL_REAL || t0.id == LH_SQL_DOUBLE) {
            ok = spec->ret.id == t0.id;
            a->mode = AM_FLOAT;
            reg(a, &a->d[0], sizeof(double));
        } else
            ok = 0;
        break;
    case LH_AGG_MIN:
    case LH_AGG_MAX:
    case LH_AGG_ARBITRARY:
        ok = a->rp == a->p0 && (a->p0 != LH_P_NONE || spec->ret.id == LH_SQL_UNKNOWN);
        reg(a, &a->v0, a->w0);
        if (a->p0 == LH_P_STR) {
            reg(a, &a->sb0, sizeof(char *));
            reg(a, &a->sc0, sizeof(uint32_t));
        }
        break;
    case LH_AGG_MIN_BY:
    case LH_AGG_MAX_BY:
        ok = a->rp == a->p0;
        reg(a, &a->v0, a->w0);
        reg(a, &a->v1, a->w1);
        reg(a, &a->fl, 1);
        if (a->p0 == LH_P_STR) {
            reg(a, &a->sb0, sizeof(char *));
            reg(a, &a->sc0, sizeof(uint32_t));
        }
        if (a->p1 == LH_P_STR) {
            reg(a, &a->sb1, sizeof(char *));
            reg(a, &a->sc1, sizeof(uint32_t));
        }
        break;
    case LH_AGG_STDDEV_SAMP:
    case LH_AGG_STDDEV_POP:
    case LH_AGG_VAR_SAMP:
    case LH_AGG_VAR_POP:
    case LH_AGG_GEOMEAN:
        ok = spec->ret.id == LH_SQL_DOUBLE && is_numeric_type(t0);
        reg(a, &a->d[0], sizeof(double));
        reg(a, &a->d[1], sizeof(double));
        break;
    case LH_AGG_CORR:
    case LH_AGG_COVAR_SAMP:
    case LH_AGG_COVAR_POP:
        ok = spec->ret.id == LH_SQL_DOUBLE && is_numeric_type(t0) && is_numeric_type(t1);
        for (i = 0; i < 5; i++)
            reg(a, &a->d[i], sizeof(double));
        break;
    case LH_AGG_APPROX_DISTINCT:
        ok = a->rp == LH_P_I64;
        reg(a, &a->hll, sizeof(uint8_t *));
        reg(a, &a->hn, sizeof(uint16_t));
        reg(a, &a->hcap, sizeof(uint16_t));
        break;
    case LH_AGG_APPROX_PERCENTILE:
        ok = a->rp == a->p0 && (is_int_phys(a->p0) || a->p0 == LH_P_I128 || a->p0 == LH_P_F32 || a->p0 == LH_P_F64) &&
             is_numeric_type(t1);
        reg(a, &a->pv, sizeof(char *));
        reg(a, &a->plen, sizeof(uint32_t));
        reg(a, &a->pcap, sizeof(uint32_t));
        break;
    case LH_AGG_LISTAGG: /* the group's bytes so far in pv / plen / pcap */
        ok = spec->ret.id == LH_SQL_VARCHAR && lh_sqltype_is_string(t0) && lh_sqltype_is_string(t1);
        reg(a, &a->pv, sizeof(char *));
        reg(a, &a->plen, sizeof(uint32_t));
        reg(a, &a->pcap, sizeof(uint32_t));
        break;
    default:
        return lh_errf(err, LH_EINTERNAL, "unknown aggregate kind %d", (int)spec->kind);
    }
    if (!ok)
        return bad_type(spec, t0, err);
    a->bytes = sizeof *a;
    return LH_OK;
}

void lh_aggst_free(lh_aggst *a)
{
    uint32_t g, i;
    for (g = 0; g < a->cap; g++) {
        if (a->sb0)
            lh_free(a->sb0[g]);
        if (a->sb1)
            lh_free(a->sb1[g]);
        if (a->hll)
            lh_free(a->hll[g]);
        if (a->pv)
            lh_free(a->pv[g]);
    }
    for (i = 0; i < a->narr; i++) {
        lh_free(*a->arr[i]);
        *a->arr[i] = NULL;
    }
    a->cap = 0;
}

lh_rc lh_aggst_grow(lh_aggst *a, uint32_t ngroups, lh_err *err)
{
    uint32_t ncap, i;
    if (ngroups <= a->cap)
        return LH_OK;
    ncap = a->cap ? a->cap : 1024;
    while (ncap < ngroups)
        ncap = ncap > UINT32_MAX / 2 ? UINT32_MAX : ncap * 2;
    for (i = 0; i < a->narr; i++) {
        char *p = lh_realloc(*a->arr[i], (size_t)ncap * a->esz[i]);
        if (!p)
            return nomem(err); /* arrays already grown stay valid; cap is unchanged */
        memset(p + (size_t)a->cap * a->esz[i], 0, (size_t)(ncap - a->cap) * a->esz[i]);
        *a->arr[i] = p;
        a->bytes += (size_t)(ncap - a->cap) * a->esz[i];
    }
    a->cap = ncap;
    return LH_OK;
}

size_t lh_aggst_grow_bytes(const lh_aggst *a, uint32_t ngroups)
{
    uint64_t ncap;
    size_t per = 0;
    uint32_t i;
    if (ngroups <= a->cap)
        return 0;
    ncap = a->cap ? a->cap : 1024;
    while (ncap < ngroups)
        ncap *= 2;
    for (i = 0; i < a->narr; i++)
        per += a->esz[i];
    return (size_t)(ncap - a->cap) * per;
}

/* ---- gathering arguments ---- */

static inline uint32_t mask_of(const lh_vector *v) { return v->kind == LH_VEC_CONST ? 0 : 0xffffffffu; }

static void prep(lh_vector *v)
{
    lh_rows r = {NULL, 0};
    lh_k_prepare(v, r);
}

/* rows of rows[0..n) where x (and y, when not NULL) is not NULL, into live. */
static uint32_t live_rows(const lh_vector *x, const lh_vector *y, const uint16_t *rows, uint32_t n, uint16_t *live)
{
    uint32_t j, nl = 0, mx = mask_of(x), my = y ? mask_of(y) : 0;
    if (x->phys == LH_P_NONE || (y && y->phys == LH_P_NONE))
        return 0;
    if (!x->may_null && (!y || !y->may_null)) {
        memcpy(live, rows, n * sizeof *live);
        return n;
    }
    for (j = 0; j < n; j++) {
        uint32_t r = rows[j];
        int ok = lh_vector_is_valid(x, r & mx) && (!y || lh_vector_is_valid(y, r & my));
        live[nl] = (uint16_t)r;
        nl += (uint32_t)ok;
    }
    return nl;
}

#define GATHER(T, OUT, CONV)                                                                                          \
    do {                                                                                                              \
        const T *d_ = (const T *)x->data;                                                                             \
        for (j = 0; j < nl; j++) {                                                                                    \
            uint32_t r_ = live[j];                                                                                    \
            OUT[r_] = CONV(d_[r_ & m]);                                                                               \
        }                                                                                                             \
    } while (0)
#define AS_D(v) ((double)(v))
#define AS_I(v) ((int64_t)(v))
#define AS_Q(v) ((lh_i128)(v))

/* x as double at each live row (numeric types). */
static void to_dbl(const lh_vector *x, const uint16_t *live, uint32_t nl, double *out)
{
    uint32_t j, m = mask_of(x);
    if (x->type.id == LH_SQL_DECIMAL) {
        /* |v| < 2^53 and 10^s exact (s <= 22): one IEEE division is correctly rounded */
        static const double p10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                       1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
        int s = x->type.s;
        for (j = 0; j < nl; j++) {
            uint32_t r = live[j];
            lh_i128 v = x->phys == LH_P_I64 ? ((const int64_t *)x->data)[r & m] : ((const lh_i128 *)x->data)[r & m];
            if (s <= 22 && v < ((lh_i128)1 << 53) && v > -((lh_i128)1 << 53))
                out[r] = (double)(int64_t)v / p10[s];
            else
                out[r] = lh_dec_to_double(v, s);
        }
        return;
    }
    switch (x->phys) {
    case LH_P_I8:
        GATHER(int8_t, out, AS_D);
        break;
    case LH_P_I16:
        GATHER(int16_t, out, AS_D);
        break;
    case LH_P_I32:
        GATHER(int32_t, out, AS_D);
        break;
    case LH_P_I64:
        GATHER(int64_t, out, AS_D);
        break;
    case LH_P_F32:
        GATHER(float, out, AS_D);
        break;
    case LH_P_F64:
        GATHER(double, out, AS_D);
        break;
    default:
        break;
    }
}

static void to_i64(const lh_vector *x, const uint16_t *live, uint32_t nl, int64_t *out)
{
    uint32_t j, m = mask_of(x);
    switch (x->phys) {
    case LH_P_I8:
        GATHER(int8_t, out, AS_I);
        break;
    case LH_P_I16:
        GATHER(int16_t, out, AS_I);
        break;
    case LH_P_I32:
        GATHER(int32_t, out, AS_I);
        break;
    case LH_P_I64:
        GATHER(int64_t, out, AS_I);
        break;
    default:
        break;
    }
}

static void to_i128(const lh_vector *x, const uint16_t *live, uint32_t nl, lh_i128 *out)
{
    uint32_t j, m = mask_of(x);
    if (x->phys == LH_P_I64)
        GATHER(int64_t, out, AS_Q);
    else
        GATHER(lh_i128, out, AS_Q);
}

/* ---- strings kept in the state ---- */

/* Every group of rows[0..n) whose string view in store points outside its
 * own buffer (into the input batch) gets the bytes copied into it. */
static lh_rc own_strings(lh_aggst *a, char *store, char **sb, uint32_t *scap, const uint16_t *rows, uint32_t n,
                         const uint32_t *gids, lh_err *err)
{
    uint32_t j;
    for (j = 0; j < n; j++) {
        uint32_t g = gids[rows[j]];
        lh_str *s = (lh_str *)(void *)(store + (size_t)g * sizeof(lh_str));
        uint32_t len = s->in.len;
        if (len <= LH_STR_INLINE || s->out.ptr == sb[g])
            continue;
        if (scap[g] < len) {
            uint32_t nc = len < 32 ? 32 : len;
            char *p = lh_malloc(nc);
            if (!p)
                return lh_errf(err, LH_ENOMEM, "out of memory copying a string of %u bytes into an aggregate", len);
            lh_free(sb[g]);
            a->bytes += nc - scap[g];
            sb[g] = p;
            scap[g] = nc;
        }
        memcpy(sb[g], s->out.ptr, len);
        s->out.ptr = sb[g];
    }
    return LH_OK;
}

/* ---- min / max ---- */

#define LT_PLAIN(x, s) ((x) < (s))
#define GT_PLAIN(x, s) ((x) > (s))
/* NaN loses to every number and wins only over nothing (Trino's min/max) */
#define LT_F(x, s) (((s) != (s) && (x) == (x)) || (x) < (s))
#define GT_F(x, s) (((s) != (s) && (x) == (x)) || (x) > (s))
#define LT_TSTZ(x, s) ((x).utc_us < (s).utc_us)
#define GT_TSTZ(x, s) ((x).utc_us > (s).utc_us)
#define LT_STR(x, s) (lh_str_cmp(&(x), &(s)) < 0)
#define GT_STR(x, s) (lh_str_cmp(&(x), &(s)) > 0)

#define MINMAX_LOOP(T, BETTER)                                                                                        \
    do {                                                                                                              \
        T *st_ = (T *)(void *)a->v0;                                                                                  \
        const T *xd_ = (const T *)x->data;                                                                            \
        for (j = 0; j < nl; j++) {                                                                                    \
            uint32_t r_ = live[j], g_ = gids[r_];                                                                     \
            T v_ = xd_[r_ & m];                                                                                       \
            if (!a->cnt[g_] || BETTER(v_, st_[g_])) {                                                                 \
                st_[g_] = v_;                                                                                         \
                a->cnt[g_] = 1;                                                                                       \
            }                                                                                                         \
        }                                                                                                             \
    } while (0)

static void upd_minmax(lh_aggst *a, const lh_vector *x, const uint16_t *live, uint32_t nl, const uint32_t *gids)
{
    uint32_t j, m = mask_of(x);
    int mx = a->spec.kind == LH_AGG_MAX;
    switch (x->phys) {
    case LH_P_U8:
        if (mx)
            MINMAX_LOOP(uint8_t, GT_PLAIN);
        else
            MINMAX_LOOP(uint8_t, LT_PLAIN);
        break;
    case LH_P_I8:
        if (mx)
            MINMAX_LOOP(int8_t, GT_PLAIN);
        else
            MINMAX_LOOP(int8_t, LT_PLAIN);
        break;
    case LH_P_I16:
        if (mx)
            MINMAX_LOOP(int16_t, GT_PLAIN);
        else
            MINMAX_LOOP(int16_t, LT_PLAIN);
        break;
    case LH_P_I32:
        if (mx)
            MINMAX_LOOP(int32_t, GT_PLAIN);
        else
            MINMAX_LOOP(int32_t, LT_PLAIN);
        break;
    case LH_P_I64:
        if (mx)
            MINMAX_LOOP(int64_t, GT_PLAIN);
        else
            MINMAX_LOOP(int64_t, LT_PLAIN);
        break;
    case LH_P_I128:
        if (mx)
            MINMAX_LOOP(lh_i128, GT_PLAIN);
        else
            MINMAX_LOOP(lh_i128, LT_PLAIN);
        break;
    case LH_P_F32:
        if (mx)
            MINMAX_LOOP(float, GT_F);
        else
            MINMAX_LOOP(float, LT_F);
        break;
    case LH_P_F64:
        if (mx)
            MINMAX_LOOP(double, GT_F);
        else
            MINMAX_LOOP(double, LT_F);
        break;
    case LH_P_TSTZ:
        if (mx)
            MINMAX_LOOP(lh_tstz, GT_TSTZ);
        else
            MINMAX_LOOP(lh_tstz, LT_TSTZ);
        break;
    case LH_P_STR:
        if (mx)
            MINMAX_LOOP(lh_str, GT_STR);
        else
            MINMAX_LOOP(lh_str, LT_STR);
        break;
    default:
        break;
    }
}

/* min_by / max_by: y decides (typed loop), x is copied with its NULL flag. */
#define BY_LOOP(T, BETTER)                                                                                            \
    do {                                                                                                              \
        T *st_ = (T *)(void *)a->v1;                                                                                  \
        const T *yd_ = (const T *)y->data;                                                                            \
        for (j = 0; j < nl; j++) {                                                                                    \
            uint32_t r_ = live[j], g_ = gids[r_], px_ = r_ & mx;                                                      \
            T v_ = yd_[r_ & my];                                                                                      \
            if (!a->cnt[g_] || BETTER(v_, st_[g_])) {                                                                 \
                st_[g_] = v_;                                                                                         \
                a->cnt[g_] = 1;                                                                                       \
                if (xn && !lh_vector_is_valid(x, px_)) {                                                              \
                    a->fl[g_] = 1;                                                                                    \
                    memset(a->v0 + (size_t)g_ * w0, 0, w0);                                                           \
                } else {                                                                                              \
                    a->fl[g_] = 0;                                                                                    \
                    memcpy(a->v0 + (size_t)g_ * w0, xd + (size_t)px_ * w0, w0);                                       \
                }                                                                                                     \
            }                                                                                                         \
        }                                                                                                             \
    } while (0)

#define BY_CASE(P, T, LT, GT)                                                                                         \
    case P:                                                                                                           \
        if (mxk)                                                                                                      \
            BY_LOOP(T, GT);                                                                                           \
        else                                                                                                          \
            BY_LOOP(T, LT);                                                                                           \
        break;

static void upd_by(lh_aggst *a, const lh_vector *x, const lh_vector *y, const uint16_t *live, uint32_t nl,
                   const uint32_t *gids)
{
    uint32_t j, mx = mask_of(x), my = mask_of(y), w0 = a->w0;
    int mxk = a->spec.kind == LH_AGG_MAX_BY, xn = x->may_null || x->phys == LH_P_NONE;
    const char *xd = x->data;
    switch (y->phys) {
        BY_CASE(LH_P_U8, uint8_t, LT_PLAIN, GT_PLAIN)
        BY_CASE(LH_P_I8, int8_t, LT_PLAIN, GT_PLAIN)
        BY_CASE(LH_P_I16, int16_t, LT_PLAIN, GT_PLAIN)
        BY_CASE(LH_P_I32, int32_t, LT_PLAIN, GT_PLAIN)
        BY_CASE(LH_P_I64, int64_t, LT_PLAIN, GT_PLAIN)
        BY_CASE(LH_P_I128, lh_i128, LT_PLAIN, GT_PLAIN)
        BY_CASE(LH_P_F32, float, LT_F, GT_F)
        BY_CASE(LH_P_F64, double, LT_F, GT_F)
        BY_CASE(LH_P_TSTZ, lh_tstz, LT_TSTZ, GT_TSTZ)
        BY_CASE(LH_P_STR, lh_str, LT_STR, GT_STR)
    default:
        break;
    }
}

/* ---- HyperLogLog ---- */

/* A group starts sparse: up to HLL_SPARSE_MAX entries (index << 8 | rank),
 * one per register that is not zero, in a small array that doubles; past
 * that it turns into the LH_HLL_M dense registers.  Both give the same
 * estimate (a sparse register absent is a zero register). */
#define HLL_SPARSE_MAX 128
#define HLL_DENSE 0xffffu

static lh_rc hll_nomem(lh_err *err) { return lh_errf(err, LH_ENOMEM, "out of memory in approx_distinct"); }

static lh_rc hll_add(lh_aggst *a, uint32_t g, uint32_t idx, uint8_t rank, lh_err *err)
{
    uint32_t n = a->hn[g], j;
    uint32_t *sp;
    if (n == HLL_DENSE) {
        if (rank > a->hll[g][idx])
            a->hll[g][idx] = rank;
        return LH_OK;
    }
    sp = (uint32_t *)(void *)a->hll[g];
    for (j = 0; j < n; j++)
        if (sp[j] >> 8 == idx) {
            if (rank > (sp[j] & 0xff))
                sp[j] = idx << 8 | rank;
            return LH_OK;
        }
    if (n == HLL_SPARSE_MAX) { /* to dense */
        uint8_t *R = lh_calloc(LH_HLL_M, 1);
        if (!R)
            return hll_nomem(err);
        for (j = 0; j < n; j++)
            R[sp[j] >> 8] = (uint8_t)(sp[j] & 0xff);
        R[idx] = rank;
        lh_free(sp);
        a->hll[g] = R;
        a->bytes += LH_HLL_M - (size_t)a->hcap[g] * 4;
        a->hn[g] = HLL_DENSE;
        return LH_OK;
    }
    if (n == a->hcap[g]) {
        uint32_t nc = n ? n * 2 : 4;
        uint32_t *q = lh_realloc(sp, (size_t)nc * sizeof *q);
        if (!q)
            return hll_nomem(err);
        a->bytes += (size_t)(nc - n) * sizeof *q;
        a->hll[g] = (uint8_t *)(void *)q;
        a->hcap[g] = (uint16_t)nc;
        sp = q;
    }
    sp[n] = idx << 8 | rank;
    a->hn[g] = (uint16_t)(n + 1);
    return LH_OK;
}

static lh_rc upd_hll(lh_aggst *a, lh_vector *x, const uint16_t *live, uint32_t nl, const uint32_t *gids,
                     lh_agg_scratch *sc, lh_err *err)
{
    uint32_t j;
    lh_rows rs;
    lh_rc rc;
    rs.sel = live;
    rs.n = nl;
    if ((rc = lh_hash_columns(&x, 1, rs, sc->hh, err)))
        return rc;
    for (j = 0; j < nl; j++) {
        uint32_t r = live[j], g = gids[r];
        uint64_t h = sc->hh[r];
        uint32_t idx = (uint32_t)(h >> (64 - LH_HLL_BITS));
        uint8_t rank = (uint8_t)(__builtin_clzll((h << LH_HLL_BITS) | ((uint64_t)1 << (LH_HLL_BITS - 1))) + 1);
        if (a->hn[g] == HLL_DENSE) {
            if (rank > a->hll[g][idx])
                a->hll[g][idx] = rank;
        } else if ((rc = hll_add(a, g, idx, rank, err)))
            return rc;
    }
    return LH_OK;
}

static int64_t hll_estimate(const lh_aggst *a, uint32_t g)
{
    double m = LH_HLL_M, sum = 0, alpha = 0.7213 / (1 + 1.079 / m), e;
    uint32_t j, zeros = 0, n = a->hn[g];
    if (n == 0)
        return 0;
    if (n == HLL_DENSE) {
        const uint8_t *R = a->hll[g];
        double pw[65];
        for (j = 0; j <= 64; j++)
            pw[j] = ldexp(1.0, -(int)j);
        for (j = 0; j < LH_HLL_M; j++) {
            sum += pw[R[j] & 63];
            zeros += R[j] == 0;
        }
    } else {
        const uint32_t *sp = (const uint32_t *)(const void *)a->hll[g];
        zeros = LH_HLL_M - n;
        sum = zeros;
        for (j = 0; j < n; j++)
            sum += ldexp(1.0, -(int)(sp[j] & 0xff));
    }
    e = alpha * m * m / sum;
    if (e <= 2.5 * m && zeros)
        e = m * log(m / zeros); /* linear counting for small cardinalities */
    return (int64_t)llround(e);
}

/* ---- approx_percentile ---- */

/* One numeric value as double (cold path: the percentage). */
static double num_at(const lh_vector *v, uint32_t pr)
{
    switch (v->phys) {
    case LH_P_F64:
        return ((const double *)v->data)[pr];
    case LH_P_F32:
        return ((const float *)v->data)[pr];
    case LH_P_I128:
        return lh_dec_to_double(((const lh_i128 *)v->data)[pr], v->type.s);
    case LH_P_I64:
        return v->type.id == LH_SQL_DECIMAL ? lh_dec_to_double(((const int64_t *)v->data)[pr], v->type.s)
                                            : (double)((const int64_t *)v->data)[pr];
    case LH_P_I32:
        return ((const int32_t *)v->data)[pr];
    case LH_P_I16:
        return ((const int16_t *)v->data)[pr];
    case LH_P_I8:
        return ((const int8_t *)v->data)[pr];
    default:
        return NAN;
    }
}

static lh_rc upd_pct(lh_aggst *a, const lh_vector *x, lh_vector *p, const uint16_t *rows, uint32_t n,
                     const uint16_t *live, uint32_t nl, const uint32_t *gids, lh_err *err)
{
    uint32_t j, m = mask_of(x), w = a->w0, mp = mask_of(p);
    for (j = 0; j < n; j++) {
        uint32_t r = rows[j];
        double v;
        if (!lh_vector_is_valid(p, r & mp))
            return lh_errf(err, LH_EDATA, "Percentile cannot be null");
        v = num_at(p, r & mp);
        if (!(v >= 0 && v <= 1))
            return lh_errf(err, LH_EDATA, "Percentile must be between 0 and 1");
        if (!a->have_pct) {
            a->pct = v;
            a->have_pct = 1;
        } else if (v != a->pct)
            return lh_errf(err, LH_EDATA, "Percentile argument must be constant for all input rows");
        if (p->kind == LH_VEC_CONST)
            break; /* one value for every row */
    }
    for (j = 0; j < nl; j++) {
        uint32_t r = live[j], g = gids[r];
        if (a->plen[g] == a->pcap[g]) {
            uint32_t nc = a->pcap[g] ? a->pcap[g] * 2 : 8;
            char *q;
            if (a->pcap[g] > (1u << 30))
                return lh_errf(err, LH_ELIMIT, "approx_percentile: more than 2^30 values in one group");
            q = lh_realloc(a->pv[g], (size_t)nc * w);
            if (!q)
                return lh_errf(err, LH_ENOMEM, "out of memory collecting approx_percentile values");
            a->bytes += (size_t)(nc - a->pcap[g]) * w;
            a->pv[g] = q;
            a->pcap[g] = nc;
        }
        memcpy(a->pv[g] + (size_t)a->plen[g]++ * w, (const char *)x->data + (size_t)(r & m) * w, w);
    }
    return LH_OK;
}

#define LISTAGG_MAX ((uint32_t)1 << 20) /* Trino's maximum output length */

/* Append n bytes to group g's listagg text. */
static lh_rc listagg_put(lh_aggst *a, uint32_t g, const char *s, uint32_t n, lh_err *err)
{
    uint32_t len = a->plen[g];
    if (n > LISTAGG_MAX - len)
        return lh_errf(err, LH_EDATA,
                       "Concatenated string has the length in bytes larger than the maximum output length %u",
                       LISTAGG_MAX);
    if (len + n > a->pcap[g]) {
        uint32_t nc = a->pcap[g] ? a->pcap[g] : 32;
        char *q;
        while (nc < len + n)
            nc *= 2;
        q = lh_realloc(a->pv[g], nc);
        if (!q)
            return lh_errf(err, LH_ENOMEM, "out of memory joining listagg values");
        a->bytes += nc - a->pcap[g];
        a->pv[g] = q;
        a->pcap[g] = nc;
    }
    if (n)
        memcpy(a->pv[g] + len, s, n);
    a->plen[g] = len + n;
    return LH_OK;
}

/* listagg: rows in arrival order, each non-NULL x after the separator. */
static lh_rc upd_listagg(lh_aggst *a, const lh_vector *x, const lh_vector *sep, const uint16_t *live, uint32_t nl,
                         const uint32_t *gids, lh_err *err)
{
    uint32_t j;
    lh_rc rc;
    for (j = 0; j < nl; j++) {
        uint32_t r = live[j], g = gids[r];
        lh_str v = lh_vector_get_str(x, r);
        if (a->cnt[g]++ && lh_vector_get_valid(sep, r)) {
            lh_str d = lh_vector_get_str(sep, r);
            if ((rc = listagg_put(a, g, lh_str_ptr(&d), lh_str_len(&d), err)))
                return rc;
        }
        if ((rc = listagg_put(a, g, lh_str_ptr(&v), lh_str_len(&v), err)))
            return rc;
    }
    return LH_OK;
}

/* ---- update ---- */

lh_rc lh_aggst_update(lh_aggst *a, lh_vector **cols, const uint16_t *rows, uint32_t n, const uint32_t *gids,
                      lh_agg_scratch *sc, lh_err *err)
{
    int na = nargs_of(a->spec.kind);
    lh_vector *x = na >= 1 ? cols[a->spec.arg[0]] : NULL, *y = na >= 2 ? cols[a->spec.arg[1]] : NULL;
    uint16_t *live = sc->live;
    uint32_t j, nl = 0, m = 0;
    lh_rc rc;
    if (!n)
        return LH_OK;
    if (x) {
        prep(x);
        m = mask_of(x);
    }
    if (y)
        prep(y);
    switch (a->spec.kind) {
    case LH_AGG_COUNT_STAR:
        for (j = 0; j < n; j++)
            a->cnt[gids[rows[j]]]++;
        return LH_OK;
    case LH_AGG_COUNT:
        nl = live_rows(x, NULL, rows, n, live);
        for (j = 0; j < nl; j++)
            a->cnt[gids[live[j]]]++;
        return LH_OK;
    case LH_AGG_COUNT_IF: {
        const uint8_t *d = x->data;
        nl = live_rows(x, NULL, rows, n, live);
        for (j = 0; j < nl; j++)
            a->cnt[gids[live[j]]] += d[live[j] & m] != 0;
        return LH_OK;
    }
    case LH_AGG_BIT_AND:
    case LH_AGG_BIT_OR:
    case LH_AGG_BIT_XOR: {
        const int64_t *d = x->data;
        lh_agg_kind k = a->spec.kind;
        nl = live_rows(x, NULL, rows, n, live);
        for (j = 0; j < nl; j++) {
            uint32_t r = live[j], g = gids[r];
            int64_t v = d[r & m], o = a->i0[g];
            a->i0[g] = !a->cnt[g]++ ? v : k == LH_AGG_BIT_AND ? (o & v) : k == LH_AGG_BIT_OR ? (o | v) : (o ^ v);
        }
        return LH_OK;
    }
    case LH_AGG_BOOL_AND:
    case LH_AGG_BOOL_OR: {
        const uint8_t *d = x->data;
        int is_and = a->spec.kind == LH_AGG_BOOL_AND;
        nl = live_rows(x, NULL, rows, n, live);
        for (j = 0; j < nl; j++) {
            uint32_t r = live[j], g = gids[r];
            uint8_t v = d[r & m] != 0;
            a->fl[g] = !a->cnt[g] ? v : is_and ? (a->fl[g] & v) : (a->fl[g] | v);
            a->cnt[g] = 1;
        }
        return LH_OK;
    }
    case LH_AGG_SUM:
    case LH_AGG_AVG:
        nl = live_rows(x, NULL, rows, n, live);
        if (a->mode == AM_INT) { /* sum of integers: bigint, checked */
            to_i64(x, live, nl, sc->xi);
            for (j = 0; j < nl; j++) {
                uint32_t r = live[j], g = gids[r];
                int64_t s;
                if (__builtin_add_overflow(a->i0[g], sc->xi[r], &s))
                    return lh_int_overflow(err, LH_I64, '+', a->i0[g], sc->xi[r]);
                a->i0[g] = s;
                a->cnt[g]++;
            }
        } else if (a->mode == AM_DEC) { /* decimal: 192-bit two's complement (hi, q0 as unsigned) */
            to_i128(x, live, nl, sc->xq);
            for (j = 0; j < nl; j++) {
                uint32_t r = live[j], g = gids[r];
                lh_i128 v = sc->xq[r];
                lh_u128 lo = (lh_u128)a->q0[g], nlo = lo + (lh_u128)v;
                a->hi[g] += (int64_t)(nlo < lo) - (int64_t)(v < 0);
                a->q0[g] = (lh_i128)nlo;
                a->cnt[g]++;
            }
        } else if (a->mode == AM_AVGINT) { /* avg of integers: exact 128-bit sum */
            to_i64(x, live, nl, sc->xi);
            for (j = 0; j < nl; j++) {
                uint32_t r = live[j], g = gids[r];
                a->q0[g] += sc->xi[r];
                a->cnt[g]++;
            }
        } else {
            to_dbl(x, live, nl, sc->xd);
            for (j = 0; j < nl; j++) {
                uint32_t r = live[j], g = gids[r];
                a->d[0][g] += sc->xd[r];
                a->cnt[g]++;
            }
        }
        return LH_OK;
    case LH_AGG_MIN:
    case LH_AGG_MAX:
        nl = live_rows(x, NULL, rows, n, live);
        upd_minmax(a, x, live, nl, gids);
        if (a->p0 == LH_P_STR)
            return own_strings(a, a->v0, a->sb0, a->sc0, live, nl, gids, err);
        return LH_OK;
    case LH_AGG_ARBITRARY:
        nl = live_rows(x, NULL, rows, n, live);
        for (j = 0; j < nl; j++) {
            uint32_t r = live[j], g = gids[r];
            if (!a->cnt[g]) {
                memcpy(a->v0 + (size_t)g * a->w0, (const char *)x->data + (size_t)(r & m) * a->w0, a->w0);
                a->cnt[g] = 1;
            }
        }
        if (a->p0 == LH_P_STR)
            return own_strings(a, a->v0, a->sb0, a->sc0, live, nl, gids, err);
        return LH_OK;
    case LH_AGG_MIN_BY:
    case LH_AGG_MAX_BY:
        nl = live_rows(y, NULL, rows, n, live); /* rows with a NULL y are ignored */
        upd_by(a, x, y, live, nl, gids);
        if (a->p0 == LH_P_STR && (rc = own_strings(a, a->v0, a->sb0, a->sc0, live, nl, gids, err)))
            return rc;
        if (a->p1 == LH_P_STR && (rc = own_strings(a, a->v1, a->sb1, a->sc1, live, nl, gids, err)))
            return rc;
        return LH_OK;
    case LH_AGG_STDDEV_SAMP:
    case LH_AGG_STDDEV_POP:
    case LH_AGG_VAR_SAMP:
    case LH_AGG_VAR_POP: {
        double *mean = a->d[0], *m2 = a->d[1];
        nl = live_rows(x, NULL, rows, n, live);
        to_dbl(x, live, nl, sc->xd);
        for (j = 0; j < nl; j++) { /* Welford */
            uint32_t r = live[j], g = gids[r];
            double v = sc->xd[r], delta = v - mean[g];
            int64_t c = ++a->cnt[g];
            mean[g] += delta / (double)c;
            m2[g] += delta * (v - mean[g]);
        }
        return LH_OK;
    }
    case LH_AGG_GEOMEAN:
        nl = live_rows(x, NULL, rows, n, live);
        to_dbl(x, live, nl, sc->xd);
        for (j = 0; j < nl; j++) {
            uint32_t r = live[j], g = gids[r];
            a->d[0][g] += log(sc->xd[r]);
            a->cnt[g]++;
        }
        return LH_OK;
    case LH_AGG_CORR:
    case LH_AGG_COVAR_SAMP:
    case LH_AGG_COVAR_POP: {
        /* arg0 is y (dependent), arg1 x (independent) */
        double *mx = a->d[0], *my = a->d[1], *c2 = a->d[2], *m2x = a->d[3], *m2y = a->d[4];
        nl = live_rows(x, y, rows, n, live);
        to_dbl(x, live, nl, sc->yd);
        to_dbl(y, live, nl, sc->xd);
        for (j = 0; j < nl; j++) {
            uint32_t r = live[j], g = gids[r];
            double xv = sc->xd[r], yv = sc->yd[r], omx = mx[g], omy = my[g];
            double c = (double)++a->cnt[g];
            mx[g] = omx + (xv - omx) / c;
            my[g] = omy + (yv - omy) / c;
            c2[g] += (xv - omx) * (yv - my[g]);
            m2x[g] += (xv - omx) * (xv - mx[g]);
            m2y[g] += (yv - omy) * (yv - my[g]);
        }
        return LH_OK;
    }
    case LH_AGG_APPROX_DISTINCT:
        nl = live_rows(x, NULL, rows, n, live);
        return upd_hll(a, x, live, nl, gids, sc, err);
    case LH_AGG_APPROX_PERCENTILE:
        nl = live_rows(x, NULL, rows, n, live);
        return upd_pct(a, x, y, rows, n, live, nl, gids, err);
    case LH_AGG_LISTAGG:
        nl = live_rows(x, NULL, rows, n, live);
        return upd_listagg(a, x, y, live, nl, gids, err);
    }
    return lh_errf(err, LH_EINTERNAL, "unknown aggregate kind %d", (int)a->spec.kind);
}

/* ---- finalize ---- */

static void put_dec(lh_vector *out, uint32_t i, lh_i128 v)
{
    if (out->phys == LH_P_I64)
        ((int64_t *)out->data)[i] = (int64_t)v;
    else
        ((lh_i128 *)out->data)[i] = v;
}

static void put_dbl(lh_vector *out, uint32_t i, double v)
{
    if (out->phys == LH_P_F32)
        ((float *)out->data)[i] = (float)v;
    else
        ((double *)out->data)[i] = v;
}

/* The 192-bit sum (hi, lo) as an int128 when it fits. */
static int sum_fits(int64_t hi, lh_u128 lo, lh_i128 *v)
{
    lh_u128 top = (lh_u128)1 << 127;
    if ((hi == 0 && lo < top) || (hi == -1 && lo >= top)) {
        *v = (lh_i128)lo;
        return 1;
    }
    return 0;
}

/* round_half_up((hi, lo) / cnt) for cnt > 0; the result fits (an average). */
static lh_i128 avg192(int64_t hi, lh_u128 lo, int64_t cnt)
{
    int neg = hi < 0;
    uint64_t limb[3], q[3], d = (uint64_t)cnt;
    lh_u128 rem = 0;
    int i;
    if (neg) { /* two's complement negation of the 192-bit value */
        uint64_t h = ~(uint64_t)hi;
        lo = ~lo;
        lo += 1;
        if (lo == 0)
            h++;
        hi = (int64_t)h;
    }
    limb[2] = (uint64_t)hi;
    limb[1] = (uint64_t)(lo >> 64);
    limb[0] = (uint64_t)lo;
    for (i = 2; i >= 0; i--) {
        lh_u128 cur = (rem << 64) | limb[i];
        q[i] = (uint64_t)(cur / d);
        rem = cur % d;
    }
    {
        lh_u128 r = ((lh_u128)q[1] << 64) | q[0];
        if (rem * 2 >= d)
            r++;
        return neg ? -(lh_i128)r : (lh_i128)r;
    }
}

#define CMP_FN(NAME, T, LESS)                                                                                         \
    static int NAME(const void *pa, const void *pb)                                                                   \
    {                                                                                                                 \
        T x_, y_;                                                                                                     \
        memcpy(&x_, pa, sizeof x_);                                                                                   \
        memcpy(&y_, pb, sizeof y_);                                                                                   \
        return LESS(x_, y_) ? -1 : LESS(y_, x_) ? 1 : 0;                                                              \
    }
#define LESS_NANLAST(x, y) ((x) < (y) || ((x) == (x) && (y) != (y)))
CMP_FN(cmp_i8, int8_t, LT_PLAIN)
CMP_FN(cmp_i16, int16_t, LT_PLAIN)
CMP_FN(cmp_i32, int32_t, LT_PLAIN)
CMP_FN(cmp_i64, int64_t, LT_PLAIN)
CMP_FN(cmp_i128, lh_i128, LT_PLAIN)
CMP_FN(cmp_f32, float, LESS_NANLAST)
CMP_FN(cmp_f64, double, LESS_NANLAST)

static void pct_value(lh_aggst *a, uint32_t g, lh_vector *out, uint32_t i)
{
    uint32_t len = a->plen[g], w = a->w0;
    uint64_t k;
    int (*cmp)(const void *, const void *) = a->p0 == LH_P_I8    ? cmp_i8
                                             : a->p0 == LH_P_I16 ? cmp_i16
                                             : a->p0 == LH_P_I32 ? cmp_i32
                                             : a->p0 == LH_P_I64 ? cmp_i64
                                             : a->p0 == LH_P_I128 ? cmp_i128
                                             : a->p0 == LH_P_F32  ? cmp_f32
                                                                  : cmp_f64;
    qsort(a->pv[g], len, w, cmp);
    /* nearest rank: the smallest value with at least p * n values at or below it */
    k = (uint64_t)ceil(a->pct * (double)len);
    if (k < 1)
        k = 1;
    if (k > len)
        k = len;
    memcpy((char *)out->data + (size_t)i * w, a->pv[g] + (size_t)(k - 1) * w, w);
}

lh_rc lh_aggst_finalize(lh_aggst *a, uint32_t g0, uint32_t n, lh_vector *out, lh_err *err)
{
    uint32_t i;
    for (i = 0; i < n; i++) {
        uint32_t g = g0 + i;
        int64_t c = a->cnt[g];
        int null = c == 0;
        switch (a->spec.kind) {
        case LH_AGG_COUNT_STAR:
        case LH_AGG_COUNT:
        case LH_AGG_COUNT_IF:
            ((int64_t *)out->data)[i] = c;
            null = 0;
            break;
        case LH_AGG_BOOL_AND:
        case LH_AGG_BOOL_OR:
            ((uint8_t *)out->data)[i] = a->fl[g];
            break;
        case LH_AGG_BIT_AND:
        case LH_AGG_BIT_OR:
        case LH_AGG_BIT_XOR:
            ((int64_t *)out->data)[i] = a->i0[g];
            break;
        case LH_AGG_SUM:
            if (null)
                break;
            if (a->mode == AM_INT)
                ((int64_t *)out->data)[i] = a->i0[g];
            else if (a->mode == AM_DEC) {
                lh_i128 v;
                if (!sum_fits(a->hi[g], (lh_u128)a->q0[g], &v) || !lh_dec_fits(v, 38))
                    return lh_errf(err, LH_EDATA, "Decimal overflow");
                if (a->spec.ret.s != a->s0) {
                    lh_rc rc = lh_dec_rescale(v, a->s0, a->spec.ret.s, &v, err);
                    if (rc)
                        return rc;
                }
                put_dec(out, i, v);
            } else
                put_dbl(out, i, a->d[0][g]);
            break;
        case LH_AGG_AVG:
            if (null)
                break;
            if (a->mode == AM_DEC) {
                lh_i128 v = avg192(a->hi[g], (lh_u128)a->q0[g], c);
                if (a->spec.ret.s != a->s0) {
                    lh_rc rc = lh_dec_rescale(v, a->s0, a->spec.ret.s, &v, err);
                    if (rc)
                        return rc;
                }
                put_dec(out, i, v);
            } else if (a->mode == AM_AVGINT)
                put_dbl(out, i, (double)a->q0[g] / (double)c);
            else
                put_dbl(out, i, a->d[0][g] / (double)c);
            break;
        case LH_AGG_MIN:
        case LH_AGG_MAX:
        case LH_AGG_ARBITRARY:
            if (!null)
                memcpy((char *)out->data + (size_t)i * a->w0, a->v0 + (size_t)g * a->w0, a->w0);
            break;
        case LH_AGG_MIN_BY:
        case LH_AGG_MAX_BY:
            null = null || a->fl[g];
            if (!null)
                memcpy((char *)out->data + (size_t)i * a->w0, a->v0 + (size_t)g * a->w0, a->w0);
            break;
        case LH_AGG_STDDEV_SAMP:
        case LH_AGG_VAR_SAMP:
            null = c < 2;
            if (!null) {
                double v = a->d[1][g] / (double)(c - 1);
                ((double *)out->data)[i] = a->spec.kind == LH_AGG_STDDEV_SAMP ? sqrt(v) : v;
            }
            break;
        case LH_AGG_STDDEV_POP:
        case LH_AGG_VAR_POP:
            if (!null) {
                double v = a->d[1][g] / (double)c;
                ((double *)out->data)[i] = a->spec.kind == LH_AGG_STDDEV_POP ? sqrt(v) : v;
            }
            break;
        case LH_AGG_GEOMEAN:
            if (!null)
                ((double *)out->data)[i] = exp(a->d[0][g] / (double)c);
            break;
        case LH_AGG_COVAR_SAMP:
            null = c < 2;
            if (!null)
                ((double *)out->data)[i] = a->d[2][g] / (double)(c - 1);
            break;
        case LH_AGG_COVAR_POP:
            if (!null)
                ((double *)out->data)[i] = a->d[2][g] / (double)c;
            break;
        case LH_AGG_CORR:
            if (!null) {
                double v = a->d[2][g] / sqrt(a->d[3][g] * a->d[4][g]); /* as Presto/Trino: c2 / sqrt(m2x * m2y) */
                null = !isfinite(v); /* Trino: a non-finite correlation is NULL */
                ((double *)out->data)[i] = null ? 0 : v;
            }
            break;
        case LH_AGG_APPROX_DISTINCT:
            ((int64_t *)out->data)[i] = hll_estimate(a, g);
            null = 0;
            break;
        case LH_AGG_APPROX_PERCENTILE:
            null = a->plen[g] == 0;
            if (!null)
                pct_value(a, g, out, i);
            break;
        case LH_AGG_LISTAGG: /* a view of the state's bytes, valid until it is freed */
            if (!null)
                ((lh_str *)out->data)[i] = lh_str_view(a->plen[g] ? a->pv[g] : "", a->plen[g]);
            break;
        }
        if (null)
            lh_vector_set_null(out, i);
    }
    return LH_OK;
}
