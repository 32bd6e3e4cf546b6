/* exec/hash.c — vectorized key hashing (see hash.h). */
#include "exec/hash.h"

#include <math.h>
#include <string.h>

#include "exec/kernels.h"

#define M1 0x87c37b91114253d5ULL
#define M2 0x4cf5ad432745937fULL

static inline uint64_t rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

uint64_t lh_hash_bytes(const void *p, size_t n)
{
    const unsigned char *s = p;
    uint64_t h = (uint64_t)n * M1, k;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        memcpy(&k, s + i, 8);
        h ^= rotl(k * M1, 31) * M2;
        h = rotl(h, 27) * 5 + 0x52dce729;
    }
    if (i < n) {
        k = 0;
        memcpy(&k, s + i, n - i);
        h ^= rotl(k * M1, 31) * M2;
    }
    return lh_fmix64(h);
}

static inline uint64_t combine(uint64_t h, uint64_t x) { return lh_fmix64(h ^ (x + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2))); }

#define HASH_LOOP(EXPR)                                                                                               \
    do {                                                                                                              \
        for (uint32_t k_ = 0; k_ < rows.n; k_++) {                                                                    \
            uint32_t i = rows.sel ? rows.sel[k_] : k_, r = i & m;                                                     \
            /* a NULL row's value is never read: it may be a stale view */                                         \
            uint64_t x = nulls && !lh_vector_is_valid(v, r) ? LH_HASH_NULL : (EXPR);                                  \
            hashes[i] = first ? x : combine(hashes[i], x);                                                            \
        }                                                                                                             \
    } while (0)

static inline uint64_t hash_f64(double d)
{
    uint64_t b;
    if (d == 0)
        d = 0; /* -0.0 == 0.0 */
    if (isnan(d))
        d = NAN;
    memcpy(&b, &d, 8);
    return lh_fmix64(b);
}

lh_rc lh_hash_columns(lh_vector **cols, uint32_t ncols, lh_rows rows, uint64_t *hashes, lh_err *err)
{
    uint32_t c;
    for (c = 0; c < ncols; c++) {
        lh_vector *v = cols[c];
        int first = c == 0, nulls = v->may_null;
        uint32_t m;
        lh_k_prepare(v, rows);
        m = v->kind == LH_VEC_CONST ? 0 : 0xffffffffu;
        switch (v->phys) {
        case LH_P_U8:
            HASH_LOOP(lh_fmix64(((const uint8_t *)v->data)[r]));
            break;
        case LH_P_I8:
            HASH_LOOP(lh_fmix64((uint64_t)(int64_t)((const int8_t *)v->data)[r]));
            break;
        case LH_P_I16:
            HASH_LOOP(lh_fmix64((uint64_t)(int64_t)((const int16_t *)v->data)[r]));
            break;
        case LH_P_I32:
            HASH_LOOP(lh_fmix64((uint64_t)(int64_t)((const int32_t *)v->data)[r]));
            break;
        case LH_P_I64:
            HASH_LOOP(lh_fmix64((uint64_t)((const int64_t *)v->data)[r]));
            break;
        case LH_P_I128:
            /* a value that fits in 64 bits hashes as the int64 would */
            HASH_LOOP(((const __int128 *)v->data)[r] == (int64_t)((const __int128 *)v->data)[r]
                          ? lh_fmix64((uint64_t)(int64_t)((const __int128 *)v->data)[r])
                          : lh_fmix64((uint64_t)((unsigned __int128)((const __int128 *)v->data)[r] >> 64) ^
                                      lh_fmix64((uint64_t)((const __int128 *)v->data)[r])));
            break;
        case LH_P_F32:
            HASH_LOOP(hash_f64(((const float *)v->data)[r]));
            break;
        case LH_P_F64:
            HASH_LOOP(hash_f64(((const double *)v->data)[r]));
            break;
        case LH_P_TSTZ:
            HASH_LOOP(lh_fmix64((uint64_t)((const lh_tstz *)v->data)[r].utc_us));
            break;
        case LH_P_STR:
            HASH_LOOP(lh_hash_bytes(lh_str_ptr(&((const lh_str *)v->data)[r]), lh_str_len(&((const lh_str *)v->data)[r])));
            break;
        default: /* unknown: every row NULL */
            nulls = 0;
            HASH_LOOP(LH_HASH_NULL);
            break;
        }
    }
    (void)err;
    return LH_OK;
}
