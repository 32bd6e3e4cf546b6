/* formats/pq_write_int.h — the Parquet writer's state, shared by its two
 * files: pq_write.c (rows, row groups, encoding, the footer) and
 * pq_write_batch.c (whole column batches into the same buffers).  Not a
 * public interface: nothing outside those files includes it.
 *
 * A row group is buffered per column as definition levels (one byte per
 * row, 1 = present), one cell per present value in the column's canonical
 * form (integers, dates, timestamps in the file's unit and decimals up to
 * 18 digits as u.i; float/double as u.d; strings and wide decimals as
 * bytes[off..off+len) of the column's byte buffer, big-endian two's
 * complement for decimals), and those bytes.  rg_est, the size estimate
 * that ends a row group, adds 1 per NULL and 1 + sizeof(cell) + len per
 * value; both entry points keep it the same, row by row, so row groups
 * end on the same rows whichever one fed them.
 */
#ifndef LH_FORMATS_PQ_WRITE_INT_H
#define LH_FORMATS_PQ_WRITE_INT_H

#include <pthread.h>
#include <stdatomic.h>

#include "formats/parquet.h"
#include "formats/pq_meta.h"

typedef __int128 i128;

typedef struct cell {
    union {
        int64_t i;
        double d;
    } u;
    uint32_t off, len; /* bytes (TEXT, wide decimals) */
    uint8_t tag;       /* LH_V_INT / LH_V_REAL / LH_V_TEXT */
} cell;

typedef struct wcol {
    char *name;
    lh_type type; /* kind 0 until inferred */
    int phys, type_length;
    uint8_t *defs;
    size_t n_rows, defs_cap;
    cell *cells;
    size_t n_cells, cells_cap;
    lh_buf bytes;
} wcol;

typedef struct rgmeta {
    pq_colmeta *cols;
    int64_t num_rows, total_byte_size;
} rgmeta;

/* Settings an encoder reads: fixed at open, read-only afterwards (so the
 * worker reads them without a lock). */
typedef struct pq_cfg {
    const char *uri;
    int codec, no_dict;
    size_t page_bytes, dict_max;
} pq_cfg;

/* One thread's encoding state: scratch reused across column chunks and row
 * groups (no per-chunk allocation, no freshly mapped pages to zero), and
 * the arena that keeps the chunk metadata it produced (paths, encodings,
 * statistics) until the footer.  Used by one thread at a time. */
typedef struct pq_enc {
    const pq_cfg *cfg;
    lh_buf page, comp, hdr;
    uint32_t *u32, *idx, *table, *dent, *dhash;
    size_t u32_cap, idx_cap, table_cap, dent_cap, dhash_cap;
    lh_arena arena;
} pq_enc;

/* A row group handed to the worker (at most one at a time). */
typedef struct rgjob {
    wcol *own;          /* n_cols: buffers swapped out of w->cols, reused */
    const wcol *cols;   /* the row group being encoded: own, or w->cols at close */
    lh_buf *chunks;     /* n_cols encoded column chunks */
    pq_colmeta *cm;     /* n_cols, in w->arena; offsets relative to each chunk */
    size_t n_cols;
    int64_t num_rows;
    pq_enc *enc;        /* the worker's encoder (w->wenc) */
    atomic_size_t next; /* next column to encode */
    atomic_int stop;    /* a failure or abort: take no more columns */
    atomic_int done;    /* the worker has returned */
    lh_rc rc;           /* the worker's first error (read after the join) */
    lh_err err;
    pthread_t tid;
    int active, running; /* caller-only: a row group is in the job; the thread exists */
} rgjob;

#define CHUNK_CAP ((size_t)1 << 40)         /* an encoded column chunk; bounded by the row group */
#define PAR_MIN_BYTES ((size_t)256 << 10)   /* smallest last row group worth a second thread */

struct lh_pq_writer {
    lh_store *s;
    char *uri;
    lh_store_writer *sw;
    size_t n_cols;
    wcol *cols;
    lh_type *types;
    pq_cfg cfg;
    size_t rg_bytes;
    int ts_micros;
    char *created_by;
    pq_kv *kv;
    size_t n_kv;
    int inferred;
    size_t rg_rows, rg_est;
    uint64_t total_rows;
    lh_arena arena; /* footer metadata: column chunk arrays (calling thread only) */
    rgmeta *rgs;
    size_t n_rgs, rgs_cap;
    int failed;
    pq_enc enc, wenc; /* the calling thread's and the worker's */
    lh_buf chunk;     /* one encoded chunk (inline path) */
    rgjob job;
    /* lh_pq_writer_batch's scratch, reused across batches */
    uint64_t *b_est; /* per row: its rg_est share */
    size_t b_est_cap;
};

lh_rc pq_w_nomem(lh_err *err) LH_MUST_CHECK;
/* Grow *p (cap elements of elem bytes) to hold need; doubles. */
lh_rc pq_w_grow(void **p, size_t *cap, size_t need, size_t elem, lh_err *err) LH_MUST_CHECK;
i128 pq_w_p10(int e);
/* LH_EDATA naming the file and column (and why / the decimal's limits). */
lh_rc pq_w_bad_value(lh_pq_writer *w, size_t col, const char *why, lh_err *err) LH_MUST_CHECK;
lh_rc pq_w_bad_decimal(lh_pq_writer *w, size_t col, const lh_value *v, lh_err *err) LH_MUST_CHECK;
/* Write the row group the worker finished (or is finishing). */
lh_rc pq_w_finish_job(lh_pq_writer *w, lh_err *err) LH_MUST_CHECK;
/* Encode and write the buffered row group (final: from close). */
lh_rc pq_w_flush_rg(lh_pq_writer *w, int final, lh_err *err) LH_MUST_CHECK;

#endif
