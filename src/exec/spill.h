/* exec/spill.h — rows an operator moves out of memory: spill files.
 *
 * When an operator that keeps rows (sort, hash aggregate, hash join)
 * would take the query past its memory budget (lh_exec_spill_due), it
 * writes rows to an lh_spill and reads them back later, a batch at a
 * time.  A spill is one anonymous temporary file (util/tmpfile.h) in the
 * context's tmp_dir, the lake's .lakehouse/tmp/: it has no name, so the
 * kernel frees it on every exit path, kill -9 included.
 *
 * Format: a sequence of blocks, one per put of at most LH_BATCH rows:
 * a 16-byte header {magic "LHSP", rows, payload bytes}, then per column a
 * flag byte (1: some row is NULL) with the validity words after it when
 * set, then the values in the vector's physical layout (exec/vector.h),
 * strings as rows 4-byte lengths followed by their bytes.  The file lives
 * only as long as the query, so the layout is this build's own.
 *
 * Writing: lh_spill_put takes the live rows of a batch (selection
 * honoured, DICT and CONST vectors read through); lh_spill_put_rows takes
 * rows of an lh_rowstore in a given order (a sorted run).  Reading:
 * lh_spill_rewind, then lh_spill_get returns the blocks in order, each as
 * a batch the spill owns: valid until the next get, rewind or free, its
 * string views pointing into the spill's read buffer.  Writing after a
 * rewind appends (reads see it on the next rewind).
 *
 * Accounting: the read buffer and scratch batches are charged to the
 * context under the owner's name; bytes written are added to the
 * context's spill counters (EXPLAIN ANALYZE, sql --stats).
 *
 * Errors: those of util/tmpfile.h; LH_ECORRUPT for a block that does not
 * decode (a damaged file); LH_ENOMEM; LH_EINVAL when the context has no
 * tmp_dir.  After an error the spill may only be freed.  One thread at a
 * time per spill.
 */
#ifndef LH_EXEC_SPILL_H
#define LH_EXEC_SPILL_H

#include <stdint.h>

#include "exec/operator.h"
#include "exec/rowstore.h"
#include "exec/vector.h"

typedef struct lh_spill lh_spill;

lh_rc lh_spill_create(lh_exec_ctx *ctx, const char *who, const lh_sqltype *types, uint32_t ncols, lh_spill **out,
                      lh_err *err) LH_MUST_CHECK;
/* Append the live rows of b (columns 0..ncols-1). */
lh_rc lh_spill_put(lh_spill *s, lh_batch *b, lh_err *err) LH_MUST_CHECK;
/* Append rows idx[0..n) of rs (same types), in that order. */
lh_rc lh_spill_put_rows(lh_spill *s, const lh_rowstore *rs, const uint32_t *idx, uint32_t n,
                        lh_err *err) LH_MUST_CHECK;
/* Start reading from the first block. */
lh_rc lh_spill_rewind(lh_spill *s, lh_err *err) LH_MUST_CHECK;
/* The next block as a batch (*out = NULL at the end). */
lh_rc lh_spill_get(lh_spill *s, lh_batch **out, lh_err *err) LH_MUST_CHECK;
uint64_t lh_spill_rows(const lh_spill *s);  /* rows written */
uint64_t lh_spill_bytes(const lh_spill *s); /* bytes written */
void lh_spill_free(lh_spill *s);            /* NULL allowed */

/* "12.5 MiB", "980 KiB": a byte count for EXPLAIN lines. */
void lh_spill_fmt_bytes(uint64_t n, char *buf, size_t sz);

#endif
