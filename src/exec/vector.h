/* exec/vector.h — column vectors and batches ("data chunks") of the executor.
 *
 * A vector holds up to LH_BATCH values of one lh_sqltype in a physical
 * layout chosen by the type (lh_phys_of):
 *   boolean                          uint8 0/1
 *   tinyint, smallint, integer, bigint  int8, int16, int32, int64
 *   real, double                     float, double
 *   decimal(p,s)                     int64 unscaled when p <= 18, else __int128
 *   date                             int32 days since 1970-01-01
 *   time, timestamp                  int64 microseconds
 *   timestamp with time zone         lh_tstz {int64 UTC µs, int32 zone key}
 *   interval day to second           int64 µs; year to month int32 months
 *   varchar, char, varbinary         lh_str, a 16-byte string view
 * (__int128 is the one GCC/Clang extension, as in exec/decimal.h.)
 *
 * Every vector has a validity bitmap, 64 rows per word, bit set = value
 * present; `may_null` is 0 when no bit is clear (kernels skip the mask).
 * A vector is one of three kinds:
 *   FLAT   data[row] for each row;
 *   CONST  one value (data[0], validity bit 0) for every row;
 *   DICT   data of the dictionary vector `dict` at dict_idx[row]; NULL
 *          rows are marked in this vector's own validity.
 * Kernels read FLAT and CONST directly; lh_vector_flatten turns DICT (or
 * CONST) into FLAT in place.
 *
 * A batch has `ncols` vectors, `n` rows (n <= LH_BATCH) and optionally a
 * selection vector `sel` (sel_n row indices, increasing, each < n): when
 * sel is set only those rows are live.  Kernels honour the selection and
 * write results at the same row index, so outputs line up with inputs;
 * lh_batch_compact moves the selected rows to the front and drops sel.
 *
 * Ownership and lifetime (the contract):
 *   - a batch owns its vectors, their buffers and its arena; a vector owns
 *     its buffers and its dictionary vector;
 *   - string views point into the batch's arena (or into memory the
 *     producer guarantees outlives the batch, e.g. a decoded page kept
 *     until the next lh_batch_reset): a view is valid until the batch is
 *     reset or freed; copy a value out with lh_vector_copy_value;
 *   - lh_batch_reset drops rows, selection and arena contents, keeps the
 *     vector buffers (no allocation in steady state);
 *   - allocations are checked (LH_ENOMEM) and capped: at most
 *     LH_BATCH_MAX_COLS columns; the arena is capped (lh_batch_create).
 * Nothing here parses SQL, resolves names, or touches the catalog.
 */
#ifndef LH_EXEC_VECTOR_H
#define LH_EXEC_VECTOR_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "exec/datetime.h"
#include "exec/decimal.h"
#include "exec/sqltype.h"
#include "util/err.h"
#include "util/mem.h"

#define LH_BATCH 2048
#define LH_BATCH_WORDS (LH_BATCH / 64)
#define LH_BATCH_MAX_COLS 4096
#define LH_STR_INLINE 12
#define LH_BATCH_ARENA_DEFAULT_CAP ((size_t)256 << 20) /* 256 MiB of string bytes per batch */

typedef enum lh_phys {
    LH_P_NONE = 0, /* unknown: only NULLs */
    LH_P_U8,
    LH_P_I8,
    LH_P_I16,
    LH_P_I32,
    LH_P_I64,
    LH_P_I128,
    LH_P_F32,
    LH_P_F64,
    LH_P_STR,
    LH_P_TSTZ
} lh_phys;

typedef enum lh_vkind { LH_VEC_FLAT = 0, LH_VEC_CONST, LH_VEC_DICT } lh_vkind;

/* 16-byte string view: len, then either the bytes inline (len <= 12) or a
 * 4-byte prefix and a pointer.  The prefix makes most comparisons decide
 * without following the pointer. */
typedef union lh_str {
    struct {
        uint32_t len;
        char data[LH_STR_INLINE];
    } in;
    struct {
        uint32_t len;
        char prefix[4];
        const char *ptr;
    } out;
} lh_str;

_Static_assert(sizeof(lh_str) == 16, "lh_str is 16 bytes");

static inline uint32_t lh_str_len(const lh_str *s) { return s->in.len; }
static inline const char *lh_str_ptr(const lh_str *s)
{
    return s->in.len <= LH_STR_INLINE ? s->in.data : s->out.ptr;
}
/* A view of p[0..n) (no copy: p must outlive the view when n > 12). */
static inline lh_str lh_str_view(const char *p, uint32_t n)
{
    lh_str s;
    memset(&s, 0, sizeof s);
    s.in.len = n;
    if (n <= LH_STR_INLINE) {
        if (n)
            memcpy(s.in.data, p, n);
    } else {
        memcpy(s.out.prefix, p, 4);
        s.out.ptr = p;
    }
    return s;
}
static inline int lh_str_eq(const lh_str *a, const lh_str *b)
{
    uint64_t a0, b0, a1, b1;
    memcpy(&a0, a, 8);
    memcpy(&b0, b, 8);
    if (a0 != b0) /* length and first four bytes */
        return 0;
    if (a->in.len <= LH_STR_INLINE) {
        memcpy(&a1, (const char *)a + 8, 8);
        memcpy(&b1, (const char *)b + 8, 8);
        return a1 == b1; /* inline tails are zero-padded */
    }
    return memcmp(a->out.ptr, b->out.ptr, a->in.len) == 0;
}
/* Bytewise, shorter first on a common prefix (Trino's varchar order). */
static inline int lh_str_cmp(const lh_str *a, const lh_str *b)
{
    uint32_t la = a->in.len, lb = b->in.len, m = la < lb ? la : lb;
    int c = memcmp(lh_str_ptr(a), lh_str_ptr(b), m);
    if (c)
        return c < 0 ? -1 : 1;
    return la < lb ? -1 : la > lb;
}

typedef struct lh_vector lh_vector;
struct lh_vector {
    lh_sqltype type;
    uint8_t phys;    /* lh_phys */
    uint8_t kind;    /* lh_vkind */
    uint8_t may_null;
    uint8_t width;   /* bytes per value */
    uint32_t cap;    /* values the buffers hold */
    void *data;      /* cap * width bytes */
    uint64_t *validity; /* (cap + 63) / 64 words */
    uint16_t *dict_idx; /* DICT: LH_BATCH indices into dict (allocated on first use) */
    lh_vector *dict;    /* DICT: the dictionary (owned) */
};

typedef struct lh_batch {
    uint32_t ncols;
    uint32_t n;            /* rows */
    uint32_t sel_n;        /* live rows when sel is set */
    uint16_t *sel;         /* NULL = all n rows live; else sel_buf */
    uint16_t *sel_buf;     /* LH_BATCH entries */
    lh_vector **cols;
    lh_arena arena;        /* string bytes; reset with the batch */
} lh_batch;

/* Rows a kernel works on: sel[0..n) when sel, else 0..n-1. */
typedef struct lh_rows {
    const uint16_t *sel;
    uint32_t n;
} lh_rows;

/* Run the statement list for each row index i of rows, in order:
 * LH_FOR_ROWS(r, i, out[i] = a[i] + b[i];).  The selection test is
 * outside the loop, so each loop body is a plain counted loop. */
#define LH_FOR_ROWS(rows, i, ...)                                                                                      \
    do {                                                                                                               \
        if ((rows).sel) {                                                                                              \
            for (uint32_t k_ = 0; k_ < (rows).n; k_++) {                                                               \
                uint32_t i = (rows).sel[k_];                                                                           \
                __VA_ARGS__                                                                                            \
            }                                                                                                          \
        } else {                                                                                                       \
            for (uint32_t i = 0; i < (rows).n; i++) {                                                                  \
                __VA_ARGS__                                                                                            \
            }                                                                                                          \
        }                                                                                                              \
    } while (0)

lh_phys lh_phys_of(lh_sqltype t);
size_t lh_phys_width(lh_phys p);

/* ---- vectors ---- */
/* A flat vector of LH_BATCH values (cap values when cap > 0), all valid. */
lh_rc lh_vector_create(lh_sqltype t, uint32_t cap, lh_vector **out, lh_err *err) LH_MUST_CHECK;
void lh_vector_free(lh_vector *v);
/* Back to FLAT with every row valid (buffers kept; a dictionary freed). */
void lh_vector_reset(lh_vector *v);

static inline int lh_vector_is_valid(const lh_vector *v, uint32_t row)
{
    return (v->validity[row >> 6] >> (row & 63)) & 1;
}
void lh_vector_set_null(lh_vector *v, uint32_t row);
void lh_vector_set_valid(lh_vector *v, uint32_t row);
void lh_vector_set_all_valid(lh_vector *v);

/* Typed setters/getters on FLAT vectors (tests, producers).  Integer
 * setters store into the type's width; get_* read through CONST and DICT. */
void lh_vector_set_bool(lh_vector *v, uint32_t row, int b);
void lh_vector_set_i64(lh_vector *v, uint32_t row, int64_t x); /* ints, short decimal, date, time, ts, intervals */
void lh_vector_set_i128(lh_vector *v, uint32_t row, lh_i128 x); /* any decimal */
void lh_vector_set_f64(lh_vector *v, uint32_t row, double x);   /* real or double */
void lh_vector_set_tstz(lh_vector *v, uint32_t row, lh_tstz x);
/* Copies the bytes into arena when n > 12 (arena NULL: p is kept as is). */
lh_rc lh_vector_set_str(lh_vector *v, uint32_t row, const char *p, size_t n, lh_arena *arena,
                        lh_err *err) LH_MUST_CHECK;

/* Row index into data for a row (CONST -> 0, DICT -> its index). */
static inline uint32_t lh_vector_phys_row(const lh_vector *v, uint32_t row)
{
    return v->kind == LH_VEC_CONST ? 0 : v->kind == LH_VEC_DICT ? v->dict_idx[row] : row;
}
int lh_vector_get_valid(const lh_vector *v, uint32_t row); /* through CONST/DICT */
int64_t lh_vector_get_i64(const lh_vector *v, uint32_t row);
lh_i128 lh_vector_get_i128(const lh_vector *v, uint32_t row);
double lh_vector_get_f64(const lh_vector *v, uint32_t row);
lh_tstz lh_vector_get_tstz(const lh_vector *v, uint32_t row);
lh_str lh_vector_get_str(const lh_vector *v, uint32_t row);

/* Make v a constant vector: its value is row 0 as set by the setters
 * (call lh_vector_set_const first, then set row 0); is_null marks NULL. */
void lh_vector_set_const(lh_vector *v, int is_null);
/* Make v a dictionary vector over a new dictionary of ndict values (of v's
 * type); fill *dict's rows and v->dict_idx[row] afterwards. */
lh_rc lh_vector_set_dict(lh_vector *v, uint32_t ndict, lh_vector **dict, lh_err *err) LH_MUST_CHECK;
/* DICT or CONST -> FLAT in place, for rows 0..n-1 (string views are
 * copied as views: they keep pointing where the dictionary's did). */
void lh_vector_flatten(lh_vector *v, uint32_t n);

/* Copy value src[srow] into dst[drow] (same physical type; string bytes
 * longer than 12 copied into arena).  NULL copies as NULL. */
lh_rc lh_vector_copy_value(const lh_vector *src, uint32_t srow, lh_vector *dst, uint32_t drow, lh_arena *arena,
                           lh_err *err) LH_MUST_CHECK;

/* ---- batches ---- */
/* ncols vectors of types[i]; arena_cap 0 = LH_BATCH_ARENA_DEFAULT_CAP. */
lh_rc lh_batch_create(const lh_sqltype *types, uint32_t ncols, size_t arena_cap, lh_batch **out,
                      lh_err *err) LH_MUST_CHECK;
void lh_batch_free(lh_batch *b);
/* n = 0, no selection, arena emptied, every vector reset to FLAT/valid. */
void lh_batch_reset(lh_batch *b);
static inline lh_rows lh_batch_rows(const lh_batch *b)
{
    lh_rows r;
    r.sel = b->sel;
    r.n = b->sel ? b->sel_n : b->n;
    return r;
}
/* Install a selection (sel is copied into the batch's buffer). */
void lh_batch_select(lh_batch *b, const uint16_t *sel, uint32_t n);
/* Move the selected rows to the front of every (flattened) vector; n = sel_n, sel dropped. */
void lh_batch_compact(lh_batch *b);

#endif
