/* functions/fn_datetime_int.h — what fn_datetime.c (the named functions)
 * and fn_datetime2.c (the internal $ operators) share: the row loop, the
 * validity merge, typed data access, and the tables each file exports.
 *
 * Contract: everything here is static inline and allocation-free.  The
 * result validity of a function is the AND of its inputs' validity
 * (dtf_merge_valid), computed a word at a time over the words the rows
 * touch; value loops (DTF_FOR_LIVE) then visit only live, non-NULL rows,
 * so a garbage value under a NULL never raises an error.
 * Not for use outside src/functions/fn_datetime*.c.
 */
#ifndef LH_FUNCTIONS_FN_DATETIME_INT_H
#define LH_FUNCTIONS_FN_DATETIME_INT_H

#include <stdint.h>
#include <string.h>

#include "exec/datetime.h"
#include "functions/scalar.h"

/* fn_datetime2.c's operators, listed in lh_fns_datetime[] by fn_datetime.c
 * (scalar.h's contract: accepts / init / eval / done). */
int lh_dtf_acc_add(const lh_sqltype *a, size_t n, lh_sqltype ret);
int lh_dtf_acc_subtract(const lh_sqltype *a, size_t n, lh_sqltype ret);
int lh_dtf_acc_multiply(const lh_sqltype *a, size_t n, lh_sqltype ret);
int lh_dtf_acc_divide(const lh_sqltype *a, size_t n, lh_sqltype ret);
int lh_dtf_acc_negate(const lh_sqltype *a, size_t n, lh_sqltype ret);
int lh_dtf_acc_at_timezone(const lh_sqltype *a, size_t n, lh_sqltype ret);
lh_rc lh_dtf_eval_add(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err);
lh_rc lh_dtf_eval_subtract(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err);
lh_rc lh_dtf_eval_multiply(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err);
lh_rc lh_dtf_eval_divide(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err);
lh_rc lh_dtf_eval_negate(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err);
lh_rc lh_dtf_init_at_timezone(lh_fn_call *c, lh_vector *const *const_args, lh_err *err);
lh_rc lh_dtf_eval_at_timezone(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err);
void lh_dtf_done_at_timezone(lh_fn_call *c);

#define DTF_BIT(id) (1u << (id))

static inline uint32_t dtf_mask(const lh_vector *v) { return v->kind == LH_VEC_CONST ? 0 : 0xffffffffu; }

static inline uint32_t dtf_rows_words(lh_rows rows)
{
    uint32_t last;
    if (rows.n == 0)
        return 0;
    last = rows.sel ? rows.sel[rows.n - 1] : rows.n - 1;
    return last / 64 + 1;
}

static inline uint64_t dtf_vword(const lh_vector *v, uint32_t w)
{
    if (!v || !v->may_null)
        return ~(uint64_t)0;
    if (v->kind == LH_VEC_CONST)
        return (v->validity[0] & 1) ? ~(uint64_t)0 : 0;
    return v->validity[w];
}

/* out validity = AND of the given inputs (NULL entries ignored), over the
 * words the rows touch.  Like exec/kernels.c, may_null is only ever set
 * here, never cleared: words outside the rows keep what they had, so a
 * cleared flag could claim "no bit clear" falsely. */
static inline void dtf_merge_valid(lh_vector *out, lh_rows rows, lh_vector *a, lh_vector *b, lh_vector *c)
{
    uint32_t nw = dtf_rows_words(rows), w;
    int any = (a && a->may_null) || (b && b->may_null) || (c && c->may_null);
    if (!any) {
        for (w = 0; w < nw; w++)
            out->validity[w] = ~(uint64_t)0;
        return;
    }
    for (w = 0; w < nw; w++)
        out->validity[w] = dtf_vword(a, w) & dtf_vword(b, w) & dtf_vword(c, w);
    out->may_null = 1;
}

static inline int dtf_out_valid(const lh_vector *out, uint32_t i)
{
    return !out->may_null || ((out->validity[i >> 6] >> (i & 63)) & 1);
}

/* Every live row i whose result is not already NULL (the selection test
 * is outside the loop, as exec/kernels.c's FOR_ROWS). */
#define DTF_FOR_LIVE(rows, out, i, ...)                                                                               \
    do {                                                                                                              \
        const int dtf_mn_ = (out)->may_null;                                                                          \
        const uint64_t *dtf_vv_ = (out)->validity;                                                                    \
        if ((rows).sel) {                                                                                             \
            for (uint32_t dtf_k_ = 0; dtf_k_ < (rows).n; dtf_k_++) {                                                  \
                uint32_t i = (rows).sel[dtf_k_];                                                                      \
                if (dtf_mn_ && !((dtf_vv_[i >> 6] >> (i & 63)) & 1))                                                  \
                    continue;                                                                                         \
                __VA_ARGS__                                                                                           \
            }                                                                                                         \
        } else {                                                                                                      \
            for (uint32_t i = 0; i < (rows).n; i++) {                                                                 \
                if (dtf_mn_ && !((dtf_vv_[i >> 6] >> (i & 63)) & 1))                                                  \
                    continue;                                                                                         \
                __VA_ARGS__                                                                                           \
            }                                                                                                         \
        }                                                                                                             \
    } while (0)

/* The whole result NULL (a NULL constant unit or format). */
static inline void dtf_all_null(lh_vector *out, lh_rows rows)
{
    uint32_t nw = dtf_rows_words(rows), w;
    for (w = 0; w < nw; w++)
        out->validity[w] = 0;
    out->may_null = 1;
}

/* A constant argument that is NULL. */
static inline int dtf_const_null(lh_vector *const *const_args, size_t i)
{
    return const_args && const_args[i] && !lh_vector_get_valid(const_args[i], 0);
}

static inline int dtf_is_ts_like(uint8_t id)
{
    return id == LH_SQL_TIMESTAMP || id == LH_SQL_TIMESTAMP_TZ;
}

/* Interval day to second micros -> Trino's milliseconds (intervals are
 * exact milliseconds in Trino; truncation toward zero as Java's). */
static inline int64_t dtf_ids_ms(int64_t us) { return us / 1000; }

/* A zone named by a varchar argument, looked up once when the argument
 * is constant (dtf_zone_const) or per distinct value otherwise (the last
 * name is cached, so a column of one zone costs one lookup per batch). */
typedef struct dtf_zone_cache {
    int is_const, all_null, have_last;
    lh_zone zone;
    uint32_t last_n;
    char last[LH_ZONE_NAME_MAX];
} dtf_zone_cache;

static inline lh_rc dtf_zone_of(dtf_zone_cache *zc, const lh_str *s, lh_zone *out, lh_err *err)
{
    uint32_t n = lh_str_len(s);
    const char *p = lh_str_ptr(s);
    lh_rc rc;
    if (zc->is_const) {
        *out = zc->zone;
        return LH_OK;
    }
    if (zc->have_last && n == zc->last_n && memcmp(p, zc->last, n) == 0) {
        *out = zc->zone;
        return LH_OK;
    }
    if ((rc = lh_zone_lookup(p, n, out, err)) != LH_OK)
        return rc;
    if (n <= sizeof zc->last) {
        memcpy(zc->last, p, n);
        zc->last_n = n;
        zc->zone = *out;
        zc->have_last = 1;
    }
    return LH_OK;
}

/* Init half: a constant zone argument (NULL constant: every row NULL). */
static inline lh_rc dtf_zone_init(dtf_zone_cache *zc, lh_vector *const *const_args, size_t i, lh_err *err)
{
    lh_str s;
    lh_rc rc;
    if (!const_args || !const_args[i])
        return LH_OK;
    if (!lh_vector_get_valid(const_args[i], 0)) {
        zc->all_null = 1;
        return LH_OK;
    }
    s = lh_vector_get_str(const_args[i], 0);
    if ((rc = dtf_zone_of(zc, &s, &zc->zone, err)) != LH_OK)
        return rc;
    zc->is_const = 1;
    return LH_OK;
}

#endif
