/* exec/rowstore.c — column-wise row storage for operators (see rowstore.h). */
#include "exec/rowstore.h"

#include <string.h>

#define ROWS_MAX (UINT32_MAX - 1u)

lh_rc lh_rowstore_init(lh_rowstore *rs, const lh_sqltype *types, uint32_t ncols, lh_exec_ctx *ctx,
                       const char *who, lh_err *err)
{
    uint32_t c;
    memset(rs, 0, sizeof *rs);
    lh_arena_init(&rs->arena, 0);
    rs->ctx = ctx;
    rs->who = who;
    rs->cols = lh_calloc(ncols ? ncols : 1, sizeof *rs->cols);
    if (!rs->cols)
        return lh_errf(err, LH_ENOMEM, "out of memory allocating %s's row storage", who);
    rs->ncols = ncols;
    for (c = 0; c < ncols; c++) {
        rs->cols[c].phys = (uint8_t)lh_phys_of(types[c]);
        rs->cols[c].width = (uint8_t)lh_phys_width(rs->cols[c].phys);
    }
    return LH_OK;
}

void lh_rowstore_free(lh_rowstore *rs)
{
    uint32_t c;
    if (!rs)
        return;
    if (rs->cols)
        for (c = 0; c < rs->ncols; c++) {
            lh_free(rs->cols[c].data);
            lh_free(rs->cols[c].valid);
        }
    lh_free(rs->cols);
    lh_arena_free(&rs->arena);
    if (rs->charged) {
        lh_rc rc = lh_exec_charge(rs->ctx, rs->who, -(ptrdiff_t)rs->charged, NULL);
        (void)rc; /* releasing never fails */
    }
    memset(rs, 0, sizeof *rs);
}

static size_t row_bytes(const lh_rowstore *rs)
{
    size_t w = 0;
    uint32_t c;
    for (c = 0; c < rs->ncols; c++)
        w += rs->cols[c].width;
    return w;
}

lh_rc lh_rowstore_reserve(lh_rowstore *rs, uint32_t extra, lh_err *err)
{
    uint64_t want = (uint64_t)rs->n + extra, ncap;
    size_t delta, oldw, neww;
    uint32_t c;
    lh_rc rc;
    if (want <= rs->cap)
        return LH_OK;
    if (want > ROWS_MAX)
        return lh_errf(err, LH_ELIMIT, "%s: more than %u rows", rs->who, ROWS_MAX);
    ncap = rs->cap ? (uint64_t)rs->cap * 2 : 1024;
    if (ncap < want)
        ncap = want;
    if (ncap > ROWS_MAX)
        ncap = ROWS_MAX;
    oldw = ((size_t)rs->cap + 63) / 64;
    neww = ((size_t)ncap + 63) / 64;
    delta = (size_t)(ncap - rs->cap) * row_bytes(rs) + (neww - oldw) * 8 * rs->ncols;
    if ((rc = lh_exec_charge(rs->ctx, rs->who, (ptrdiff_t)delta, err)))
        return rc;
    for (c = 0; c < rs->ncols; c++) {
        lh_rscol *col = &rs->cols[c];
        char *d = lh_realloc(col->data, (size_t)ncap * col->width);
        uint64_t *v;
        if (!d)
            goto nomem;
        col->data = d;
        v = lh_realloc(col->valid, neww * 8);
        if (!v)
            goto nomem;
        col->valid = v;
    }
    rs->charged += delta;
    rs->cap = (uint32_t)ncap;
    return LH_OK;
nomem:
    rc = lh_exec_charge(rs->ctx, rs->who, -(ptrdiff_t)delta, NULL);
    (void)rc;
    return lh_errf(err, LH_ENOMEM, "out of memory growing %s's row storage to %llu rows", rs->who,
                   (unsigned long long)ncap);
}

static void *arena_take(lh_rowstore *rs, size_t n, lh_err *err, lh_rc *rc)
{
    void *p;
    size_t charge = (n + 7) & ~(size_t)7;
    *rc = lh_exec_charge(rs->ctx, rs->who, (ptrdiff_t)charge, err);
    if (*rc)
        return NULL;
    p = lh_arena_alloc(&rs->arena, n);
    if (!p) {
        lh_rc r2 = lh_exec_charge(rs->ctx, rs->who, -(ptrdiff_t)charge, NULL);
        (void)r2;
        *rc = lh_errf(err, LH_ENOMEM, "out of memory copying %zu string bytes into %s's row storage", n, rs->who);
        return NULL;
    }
    rs->charged += charge;
    return p;
}

static inline void set_bit(uint64_t *w, uint32_t i, int on)
{
    if (on)
        w[i >> 6] |= (uint64_t)1 << (i & 63);
    else
        w[i >> 6] &= ~((uint64_t)1 << (i & 63));
}

#define COPY_ROWS(T)                                                                                                  \
    do {                                                                                                              \
        T *d_ = (T *)col->data + base;                                                                                \
        const T *s_ = (const T *)v->data;                                                                             \
        for (uint32_t k_ = 0; k_ < rows.n; k_++)                                                                      \
            d_[k_] = s_[(rows.sel ? rows.sel[k_] : k_) & m];                                                          \
    } while (0)

/* Copy the bytes of long strings in rows [base, base + n) of col into the
 * arena (NULL rows become empty views). */
static lh_rc own_strings(lh_rowstore *rs, lh_rscol *col, uint32_t base, uint32_t n, lh_err *err)
{
    lh_str *s = (lh_str *)col->data + base;
    size_t total = 0;
    uint32_t k;
    char *p;
    lh_rc rc;
    for (k = 0; k < n; k++) {
        if (col->has_null && !((col->valid[(base + k) >> 6] >> ((base + k) & 63)) & 1)) {
            memset(&s[k], 0, sizeof s[k]);
            continue;
        }
        if (s[k].in.len > LH_STR_INLINE)
            total += s[k].in.len;
    }
    if (!total)
        return LH_OK;
    p = arena_take(rs, total, err, &rc);
    if (!p)
        return rc;
    for (k = 0; k < n; k++)
        if (s[k].in.len > LH_STR_INLINE) {
            memcpy(p, s[k].out.ptr, s[k].in.len);
            s[k].out.ptr = p;
            p += s[k].in.len;
        }
    return LH_OK;
}

lh_rc lh_rowstore_append(lh_rowstore *rs, lh_batch *b, lh_rows rows, lh_err *err)
{
    uint32_t c, base = rs->n, k;
    lh_rc rc;
    if (!rows.n)
        return LH_OK;
    if ((rc = lh_rowstore_reserve(rs, rows.n, err)))
        return rc;
    for (c = 0; c < rs->ncols; c++) {
        lh_rscol *col = &rs->cols[c];
        lh_vector *v = b->cols[c];
        uint32_t m;
        if (v->kind == LH_VEC_DICT)
            lh_vector_flatten(v, b->n);
        m = v->kind == LH_VEC_CONST ? 0 : 0xffffffffu;
        if (v->phys != col->phys)
            return lh_errf(err, LH_EINTERNAL, "%s: column %u has layout %u, expected %u", rs->who, c, v->phys,
                           col->phys);
        switch (col->width) {
        case 1:
            COPY_ROWS(uint8_t);
            break;
        case 2:
            COPY_ROWS(uint16_t);
            break;
        case 4:
            COPY_ROWS(uint32_t);
            break;
        case 8:
            COPY_ROWS(uint64_t);
            break;
        default:
            if (col->phys == LH_P_STR)
                COPY_ROWS(lh_str);
            else if (col->phys == LH_P_TSTZ)
                COPY_ROWS(lh_tstz);
            else
                COPY_ROWS(__int128);
            break;
        }
        if (v->may_null) {
            for (k = 0; k < rows.n; k++) {
                uint32_t r = (rows.sel ? rows.sel[k] : k) & m;
                int ok = (v->validity[r >> 6] >> (r & 63)) & 1;
                set_bit(col->valid, base + k, ok);
                if (!ok)
                    col->has_null = 1;
            }
        } else {
            for (k = 0; k < rows.n; k++)
                set_bit(col->valid, base + k, 1);
        }
        if (col->phys == LH_P_STR && (rc = own_strings(rs, col, base, rows.n, err)))
            return rc;
    }
    rs->n += rows.n;
    return LH_OK;
}

#define COPY_IDX(T)                                                                                                   \
    do {                                                                                                              \
        T *d_ = (T *)col->data + base;                                                                                \
        const T *s_ = (const T *)sc->data;                                                                            \
        for (uint32_t k_ = 0; k_ < n; k_++)                                                                           \
            d_[k_] = s_[idx[k_]];                                                                                     \
    } while (0)

lh_rc lh_rowstore_append_rows(lh_rowstore *rs, const lh_rowstore *src, const uint32_t *idx, uint32_t n, lh_err *err)
{
    uint32_t c, base = rs->n, k;
    lh_rc rc;
    if (!n)
        return LH_OK;
    if ((rc = lh_rowstore_reserve(rs, n, err)))
        return rc;
    for (c = 0; c < rs->ncols; c++) {
        lh_rscol *col = &rs->cols[c];
        const lh_rscol *sc = &src->cols[c];
        switch (col->width) {
        case 1:
            COPY_IDX(uint8_t);
            break;
        case 2:
            COPY_IDX(uint16_t);
            break;
        case 4:
            COPY_IDX(uint32_t);
            break;
        case 8:
            COPY_IDX(uint64_t);
            break;
        default:
            if (col->phys == LH_P_STR)
                COPY_IDX(lh_str);
            else if (col->phys == LH_P_TSTZ)
                COPY_IDX(lh_tstz);
            else
                COPY_IDX(__int128);
            break;
        }
        for (k = 0; k < n; k++) {
            int ok = (sc->valid[idx[k] >> 6] >> (idx[k] & 63)) & 1;
            set_bit(col->valid, base + k, ok);
            if (!ok)
                col->has_null = 1;
        }
        if (col->phys == LH_P_STR && (rc = own_strings(rs, col, base, n, err)))
            return rc;
    }
    rs->n += n;
    return LH_OK;
}

#define GATHER_RS(T)                                                                                                  \
    do {                                                                                                              \
        T *d_ = (T *)dst->data + dst_off;                                                                             \
        const T *s_ = (const T *)col->data;                                                                           \
        for (uint32_t k_ = 0; k_ < n; k_++)                                                                           \
            if (idx[k_] != LH_ROW_NONE)                                                                               \
                d_[k_] = s_[idx[k_]];                                                                                 \
    } while (0)

void lh_rowstore_gather(const lh_rowstore *rs, uint32_t c, const uint32_t *idx, uint32_t n, lh_vector *dst,
                        uint32_t dst_off)
{
    const lh_rscol *col = &rs->cols[c];
    uint32_t k;
    switch (col->width) {
    case 1:
        GATHER_RS(uint8_t);
        break;
    case 2:
        GATHER_RS(uint16_t);
        break;
    case 4:
        GATHER_RS(uint32_t);
        break;
    case 8:
        GATHER_RS(uint64_t);
        break;
    default:
        if (col->phys == LH_P_STR)
            GATHER_RS(lh_str);
        else if (col->phys == LH_P_TSTZ)
            GATHER_RS(lh_tstz);
        else
            GATHER_RS(__int128);
        break;
    }
    for (k = 0; k < n; k++) {
        uint32_t r = idx[k];
        int ok = r != LH_ROW_NONE && (!col->has_null || ((col->valid[r >> 6] >> (r & 63)) & 1));
        set_bit(dst->validity, dst_off + k, ok);
        if (!ok) {
            dst->may_null = 1;
            if (col->phys == LH_P_STR) /* no stale view in a NULL row */
                memset((lh_str *)dst->data + dst_off + k, 0, sizeof(lh_str));
        }
    }
}

#define GATHER_V(T)                                                                                                   \
    do {                                                                                                              \
        T *d_ = (T *)dst->data + dst_off;                                                                             \
        const T *s_ = (const T *)src->data;                                                                           \
        if (idx)                                                                                                      \
            for (uint32_t k_ = 0; k_ < n; k_++)                                                                       \
                d_[k_] = s_[idx[k_] & m];                                                                             \
        else                                                                                                          \
            for (uint32_t k_ = 0; k_ < n; k_++)                                                                       \
                d_[k_] = s_[k_ & m];                                                                                  \
    } while (0)

void lh_vec_gather(lh_vector *dst, uint32_t dst_off, const lh_vector *src, const uint32_t *idx, uint32_t n)
{
    uint32_t m = src->kind == LH_VEC_CONST ? 0 : 0xffffffffu, k;
    switch (src->width) {
    case 1:
        GATHER_V(uint8_t);
        break;
    case 2:
        GATHER_V(uint16_t);
        break;
    case 4:
        GATHER_V(uint32_t);
        break;
    case 8:
        GATHER_V(uint64_t);
        break;
    default:
        if (src->phys == LH_P_STR)
            GATHER_V(lh_str);
        else if (src->phys == LH_P_TSTZ)
            GATHER_V(lh_tstz);
        else
            GATHER_V(__int128);
        break;
    }
    if (src->may_null) {
        for (k = 0; k < n; k++) {
            uint32_t r = (idx ? idx[k] : k) & m;
            int ok = (src->validity[r >> 6] >> (r & 63)) & 1;
            set_bit(dst->validity, dst_off + k, ok);
            if (!ok)
                dst->may_null = 1;
        }
    } else {
        for (k = 0; k < n; k++)
            set_bit(dst->validity, dst_off + k, 1);
    }
}

void lh_vec_set_nulls(lh_vector *dst, uint32_t dst_off, uint32_t n)
{
    uint32_t k;
    for (k = 0; k < n; k++)
        set_bit(dst->validity, dst_off + k, 0);
    if (dst->phys == LH_P_STR && n)
        memset((lh_str *)dst->data + dst_off, 0, (size_t)n * sizeof(lh_str));
    if (n)
        dst->may_null = 1;
}
