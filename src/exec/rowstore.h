/* exec/rowstore.h — rows an operator keeps across calls (join build side,
 * sort input), stored column by column.
 *
 * An lh_rowstore holds `n` rows of ncols columns in growable per-column
 * arrays (the vector layouts of exec/vector.h: same widths, lh_str views)
 * with a validity bitmap per column (bit set = value present).  String
 * bytes longer than LH_STR_INLINE are copied into the store's own arena,
 * so a stored row never points into a child's batch.
 *
 * Ownership and lifetime: the store owns its arrays and arena; string
 * views it hands out (lh_rowstore_gather) point into its arena and stay
 * valid until lh_rowstore_free.  Every byte the store keeps is charged to
 * ctx under `who` (lh_exec_charge) as it grows and released by
 * lh_rowstore_free.
 *
 * Errors: LH_ENOMEM ("out of memory ..."), LH_ELIMIT from the memory
 * budget ("<who>: memory limit of ... exceeded ...") or past 2^32 - 2 rows.
 * After a failed append the rows already stored stay valid; the caller
 * abandons the query anyway.
 *
 * Also here: lh_vec_gather, the typed row gather between vectors used by
 * operators that build output batches from rows of an input batch.
 */
#ifndef LH_EXEC_ROWSTORE_H
#define LH_EXEC_ROWSTORE_H

#include <stddef.h>
#include <stdint.h>

#include "exec/operator.h"
#include "exec/vector.h"

#define LH_ROW_NONE UINT32_MAX /* a row index meaning "NULL row" in gathers */

typedef struct lh_rscol {
    uint8_t phys, width;
    uint8_t has_null; /* some stored row is NULL */
    char *data;       /* cap * width bytes */
    uint64_t *valid;  /* (cap + 63) / 64 words */
} lh_rscol;

typedef struct lh_rowstore {
    uint32_t ncols;
    uint32_t n, cap;
    lh_rscol *cols;
    lh_arena arena;
    lh_exec_ctx *ctx;
    const char *who;
    size_t charged;
} lh_rowstore;

lh_rc lh_rowstore_init(lh_rowstore *rs, const lh_sqltype *types, uint32_t ncols, lh_exec_ctx *ctx,
                       const char *who, lh_err *err) LH_MUST_CHECK;
void lh_rowstore_free(lh_rowstore *rs); /* also on a zeroed or half-initialised store */
/* Room for `extra` more rows. */
lh_rc lh_rowstore_reserve(lh_rowstore *rs, uint32_t extra, lh_err *err) LH_MUST_CHECK;
/* Append the rows `rows` of b (columns 0..ncols-1 of the batch; DICT
 * vectors are flattened in place, CONST read as constants). */
lh_rc lh_rowstore_append(lh_rowstore *rs, lh_batch *b, lh_rows rows, lh_err *err) LH_MUST_CHECK;
/* Append rows idx[0..n) of another store of the same types (strings copied). */
lh_rc lh_rowstore_append_rows(lh_rowstore *rs, const lh_rowstore *src, const uint32_t *idx, uint32_t n,
                              lh_err *err) LH_MUST_CHECK;
/* dst[dst_off + i] = column col of row idx[i] (LH_ROW_NONE: NULL), for i < n.
 * dst is FLAT of the column's layout; views point into the store. */
void lh_rowstore_gather(const lh_rowstore *rs, uint32_t col, const uint32_t *idx, uint32_t n, lh_vector *dst,
                        uint32_t dst_off);
static inline int lh_rowstore_valid(const lh_rowstore *rs, uint32_t col, uint32_t row)
{
    return (rs->cols[col].valid[row >> 6] >> (row & 63)) & 1;
}

/* dst[dst_off + i] = src[idx[i]] for i < n (idx NULL: src rows 0..n-1).
 * src is FLAT or CONST (flatten DICT first); dst is FLAT of the same
 * layout; string views are copied as views (they keep pointing where
 * src's did). */
void lh_vec_gather(lh_vector *dst, uint32_t dst_off, const lh_vector *src, const uint32_t *idx, uint32_t n);
/* dst rows [dst_off, dst_off + n) set NULL. */
void lh_vec_set_nulls(lh_vector *dst, uint32_t dst_off, uint32_t n);

#endif
