/* exec/window_int.h — the window operator's internals, shared by
 * op_window.c (input, sort, partitions, peers, output, EXPLAIN) and
 * op_window_fn.c (frames and the functions).  Not an interface: nothing
 * outside those two files includes it.
 *
 * Ownership: everything here belongs to the operator (lh_window) and is
 * freed by its free function.  Stored columns keep string bytes in the
 * operator's arena, so views stay valid for the operator's lifetime; the
 * batches it hands out point into that arena.  Every byte kept is charged
 * to the context (charged says how many, released at free).
 *
 * Errors: lh_rc + lh_err, Trino's wording for data errors ("Offset must be
 * at least 0", "Window frame offset value must not be negative or null").
 */
#ifndef LH_EXEC_WINDOW_INT_H
#define LH_EXEC_WINDOW_INT_H

#include <stddef.h>
#include <stdint.h>

#include "exec/operator.h"
#include "exec/vector.h"

#include <string.h>

#define LH_WIN_NAME "Window"
#define LH_WIN_CHECK_EVERY 65536 /* rows between interrupt checks in long loops */

/* A stored column: cap values of one physical layout, NULL flags apart. */
typedef struct lh_wcol {
    lh_sqltype type;
    uint8_t phys, width;
    char *data;    /* cap * width bytes */
    uint8_t *null; /* cap flags, 1 = NULL */
    size_t cap;
    int has_null; /* some stored value is NULL */
    int uniform;  /* every value is row 0's, none NULL (not for strings): a constant offset */
} lh_wcol;

typedef struct lh_window {
    lh_op base;
    uint32_t *part;
    size_t npart;
    lh_sort_key *order;
    size_t norder;
    lh_win_spec *fns;
    size_t nfns;
    uint32_t in_cols; /* the child's columns */

    lh_wcol *cols; /* in_cols stored input columns */
    size_t n;      /* rows stored */
    lh_arena arena;
    size_t charged;

    uint32_t *idx;        /* n: sorted position -> stored row */
    uint32_t *peer_start; /* n: first position of each position's peer group */
    uint32_t *peer_end;   /* n: one past the last position of its peer group */
    uint32_t *group;      /* n (GROUPS frames only, else NULL): each position's peer group number */
    uint32_t *group_pos;  /* n + 1: the first position of each peer group number, then n */
    lh_wcol *res;         /* nfns result columns, indexed by sorted position */

    char *scratch; /* per-partition work space of the functions */
    size_t scratch_cap;

    lh_batch *out;
    size_t emit_pos;
    int built;
} lh_window;

/* Charge (n > 0) or release bytes; keeps w->charged. */
lh_rc lh_win_charge(lh_window *w, ptrdiff_t n, lh_err *err) LH_MUST_CHECK;
/* Release n bytes charged before (never fails). */
void lh_win_release(lh_window *w, size_t n);
/* At least `bytes` of w->scratch (charged). */
lh_rc lh_win_scratch(lh_window *w, size_t bytes, lh_err *err) LH_MUST_CHECK;

static inline int lh_wnull(const lh_wcol *c, uint32_t r) { return c->null[r]; }
static inline const void *lh_wptr(const lh_wcol *c, uint32_t r) { return c->data + (size_t)r * c->width; }

/* Stored values (not NULL) as int64 (integers, short decimals, date/time,
 * intervals, tstz's instant), as int128 (any exact number), as double. */
static inline int64_t lh_wget_i64(const lh_wcol *c, uint32_t r)
{
    const void *p = lh_wptr(c, r);
    switch (c->phys) {
    case LH_P_U8:
        return *(const uint8_t *)p;
    case LH_P_I8:
        return *(const int8_t *)p;
    case LH_P_I16:
        return *(const int16_t *)p;
    case LH_P_I32:
        return *(const int32_t *)p;
    case LH_P_I64:
        return *(const int64_t *)p;
    case LH_P_I128:
        return (int64_t) * (const lh_i128 *)p;
    case LH_P_TSTZ:
        return ((const lh_tstz *)p)->utc_us;
    case LH_P_F32:
        return (int64_t) * (const float *)p;
    case LH_P_F64:
        return (int64_t) * (const double *)p;
    default:
        return 0;
    }
}

static inline lh_i128 lh_wget_i128(const lh_wcol *c, uint32_t r)
{
    if (c->phys == LH_P_I128) {
        lh_i128 v;
        memcpy(&v, lh_wptr(c, r), sizeof v);
        return v;
    }
    return lh_wget_i64(c, r);
}

static inline double lh_wget_f64(const lh_wcol *c, uint32_t r)
{
    if (c->phys == LH_P_F64)
        return *(const double *)lh_wptr(c, r);
    if (c->phys == LH_P_F32)
        return *(const float *)lh_wptr(c, r);
    if (c->type.id == LH_SQL_DECIMAL)
        return lh_dec_to_double(lh_wget_i128(c, r), c->type.s);
    return (double)lh_wget_i64(c, r);
}

static inline int lh_win_cmp_f64(double x, double y)
{
    int nx = x != x, ny = y != y;
    if (nx || ny)
        return nx - ny; /* NaN above everything, NaN = NaN */
    return x < y ? -1 : x > y;
}

#define LH_WIN_CMP3(x, y) ((x) < (y) ? -1 : (x) > (y))

/* Three-way comparison of two stored values of one column (not NULL):
 * integers, decimals, dates and times by value, doubles with -0.0 = 0.0
 * and NaN above everything, strings bytewise, tstz by instant. */
static inline int lh_win_cmp_val(const lh_wcol *c, uint32_t a, uint32_t b)
{
    const void *pa = lh_wptr(c, a), *pb = lh_wptr(c, b);
    switch (c->phys) {
    case LH_P_U8:
        return LH_WIN_CMP3(*(const uint8_t *)pa, *(const uint8_t *)pb);
    case LH_P_I8:
        return LH_WIN_CMP3(*(const int8_t *)pa, *(const int8_t *)pb);
    case LH_P_I16:
        return LH_WIN_CMP3(*(const int16_t *)pa, *(const int16_t *)pb);
    case LH_P_I32:
        return LH_WIN_CMP3(*(const int32_t *)pa, *(const int32_t *)pb);
    case LH_P_I64:
        return LH_WIN_CMP3(*(const int64_t *)pa, *(const int64_t *)pb);
    case LH_P_I128: {
        lh_i128 x, y;
        memcpy(&x, pa, sizeof x);
        memcpy(&y, pb, sizeof y);
        return LH_WIN_CMP3(x, y);
    }
    case LH_P_F32:
        return lh_win_cmp_f64(*(const float *)pa, *(const float *)pb);
    case LH_P_F64:
        return lh_win_cmp_f64(*(const double *)pa, *(const double *)pb);
    case LH_P_STR:
        return lh_str_cmp((const lh_str *)pa, (const lh_str *)pb);
    case LH_P_TSTZ:
        return LH_WIN_CMP3(((const lh_tstz *)pa)->utc_us, ((const lh_tstz *)pb)->utc_us);
    default:
        return 0;
    }
}

/* Compute function f over the sorted positions [ps, pe) of one partition
 * into w->res[f]. */
lh_rc lh_win_eval(lh_window *w, size_t f, size_t ps, size_t pe, lh_err *err) LH_MUST_CHECK;
/* Validate function f against the child's types (called by lh_op_window):
 * LH_EUNSUPPORTED naming a function not done yet, LH_EINVAL for a frame
 * Trino's analyzer refuses, LH_EINTERNAL for a plan that cannot be right. */
lh_rc lh_win_check_fn(const lh_window *w, const lh_win_spec *f, lh_err *err) LH_MUST_CHECK;
/* "sum", "row_number", ... */
const char *lh_win_fn_name(const lh_win_spec *f);

#endif
