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

#define LH_WIN_NAME "Window"
#define LH_WIN_CHECK_EVERY 65536 /* rows between interrupt checks in long loops */

/* A stored column: cap values of one physical layout, NULL flags apart. */
typedef struct lh_wcol {
    lh_sqltype type;
    uint8_t phys, width;
    char *data;    /* cap * width bytes */
    uint8_t *null; /* cap flags, 1 = NULL */
    size_t cap;
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

/* Three-way comparison of two stored values of one column (not NULL):
 * integers, decimals, dates and times by value, doubles with -0.0 = 0.0
 * and NaN above everything, strings bytewise, tstz by instant. */
int lh_win_cmp_val(const lh_wcol *c, uint32_t a, uint32_t b);

static inline int lh_wnull(const lh_wcol *c, uint32_t r) { return c->null[r]; }
static inline const void *lh_wptr(const lh_wcol *c, uint32_t r) { return c->data + (size_t)r * c->width; }
int64_t lh_wget_i64(const lh_wcol *c, uint32_t r);  /* integers, short decimals, date/time, intervals */
lh_i128 lh_wget_i128(const lh_wcol *c, uint32_t r); /* any exact number */
double lh_wget_f64(const lh_wcol *c, uint32_t r);   /* real, double, or exact as double */

/* Compute function f over the sorted positions [ps, pe) of one partition
 * into w->res[f]. */
lh_rc lh_win_eval(lh_window *w, size_t f, size_t ps, size_t pe, lh_err *err) LH_MUST_CHECK;
/* Validate function f against the child's types (called by lh_op_window):
 * LH_EUNSUPPORTED naming a function not done yet, LH_EINVAL for a frame
 * Trino's analyzer refuses, LH_EINTERNAL for a plan that cannot be right. */
lh_rc lh_win_check_fn(const lh_window *w, const lh_win_spec *f, lh_err *err) LH_MUST_CHECK;
/* "sum", "row_number", ... */
const char *lh_win_fn_name(const lh_win_spec *f);
const char *lh_win_agg_name(lh_agg_kind k);

#endif
