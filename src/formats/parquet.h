/* formats/parquet.h — Apache Parquet tables: a streaming reader over several
 * objects in the store and a streaming writer of one object.
 *
 * Reader
 *  - Opens a table made of several Parquet objects.  Each footer is read
 *    with explicit byte ranges (lh_store_head + lh_store_get_range), never a
 *    suffix range.  Columns match the files' top-level fields by name,
 *    case-insensitively; a column absent from a file is NULL.
 *  - Values convert to the declared Hive type (util/types.h): integers,
 *    booleans (0/1) -> INTEGER; float/double/decimal -> REAL; strings ->
 *    TEXT; date -> TEXT 'YYYY-MM-DD'; timestamp -> TEXT
 *    'YYYY-MM-DD HH:MM:SS.mmm'.  A Parquet column that cannot convert to the
 *    declared type (a string column declared bigint) is LH_EDATA naming the
 *    file, the column and the expected type.
 *  - Supported: PLAIN, PLAIN_DICTIONARY/RLE_DICTIONARY, RLE (booleans and
 *    levels), DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY,
 *    BYTE_STREAM_SPLIT; data pages v1 and v2; UNCOMPRESSED, SNAPPY, GZIP,
 *    ZSTD; INT96 timestamps; page CRCs are checked where present.  Nested
 *    (LIST/MAP/struct or repeated) columns are LH_EUNSUPPORTED naming the
 *    column when they are read (projected).  See docs/parquet.md.
 *  - Damaged or hostile input is LH_ECORRUPT naming the file and what is
 *    wrong; every size and count taken from a file is checked before use
 *    (pages are capped at LH_PQ_MAX_PAGE bytes uncompressed).
 *  - Lifetime: a value from lh_pq_reader_value stays valid until the next
 *    lh_pq_reader_next or close.  The store must outlive the reader.
 *
 * Writer
 *  - Streams rows (lh_pq_writer_row) or column batches (lh_pq_writer_batch,
 *    formats/colvals.h) into one object through lh_store_writer; nothing is
 *    visible until lh_pq_writer_close commits.  Flat schema, every column
 *    OPTIONAL; dictionary encoding with PLAIN fallback; data pages v1;
 *    column-chunk statistics; row groups bounded by row_group_bytes.  See
 *    docs/parquet.md for the Hive -> Parquet type mapping.
 *  - Threads (util/threads.h): when allowed, a full row group is encoded
 *    on a background thread while the caller appends the next one; every
 *    store call stays on the calling thread, the bytes written are the
 *    same, and memory is about two row groups (one with threads off).  A
 *    writer is used by one thread at a time.  An error on the background
 *    thread is returned by the next lh_pq_writer_row/_batch or by close.
 */
#ifndef LH_FORMATS_PARQUET_H
#define LH_FORMATS_PARQUET_H

#include <stddef.h>
#include <stdint.h>

#include "formats/colvals.h"
#include "store/store.h"
#include "util/err.h"
#include "util/types.h"

#define LH_PQ_MAX_PAGE ((size_t)1 << 30) /* largest uncompressed page accepted */

/* ---------------- reader ---------------- */

typedef struct lh_pq_reader lh_pq_reader;

/* uris, cols and types are copied.  n_uris may be 0 (an empty table). */
lh_rc lh_pq_reader_open(lh_store *s, const char *const *uris, size_t n_uris, const char *const *cols,
                        const lh_type *types, size_t n_cols, lh_pq_reader **out, lh_err *err) LH_MUST_CHECK;
/* Only columns with used[i] != 0 are read and decompressed; the others read
 * as NULL.  Call before the first next.  Default: all columns. */
void lh_pq_reader_project(lh_pq_reader *r, const unsigned char *used);
/* Decimal columns declared with more than 15 digits of precision read as
 * their exact digits (TEXT "123456789012345678.9012"), not as the nearest
 * double.  Call before the first next. */
void lh_pq_reader_exact_decimals(lh_pq_reader *r);

typedef enum { LH_PQ_EQ, LH_PQ_LT, LH_PQ_LE, LH_PQ_GT, LH_PQ_GE, LH_PQ_ISNULL, LH_PQ_IN } lh_pq_op;
/* "column col <op> vals" (n_vals values for IN, 1 for comparisons, 0 for
 * ISNULL).  Constraints add up (AND).  Row groups whose statistics prove
 * that no row can match are skipped; rows are NOT filtered (the caller
 * rechecks).  Call before the first next.  Values are copied. */
lh_rc lh_pq_reader_constrain(lh_pq_reader *r, size_t col, lh_pq_op op, const lh_value *vals, size_t n_vals,
                             lh_err *err) LH_MUST_CHECK;
/* Advance to the next row; *eof = 1 when there is none. */
lh_rc lh_pq_reader_next(lh_pq_reader *r, int *eof, lh_err *err) LH_MUST_CHECK;
/* Value of column col in the current row; valid until next/close. */
lh_rc lh_pq_reader_value(lh_pq_reader *r, size_t col, lh_value *out, lh_err *err) LH_MUST_CHECK;
/* URI of the object the current row comes from ("" before the first row). */
const char *lh_pq_reader_file(const lh_pq_reader *r);

typedef struct {
    uint64_t rows, row_groups_read, row_groups_skipped, pages_read, bytes_read;
} lh_pq_stats;
const lh_pq_stats *lh_pq_reader_stats(const lh_pq_reader *r);
void lh_pq_reader_close(lh_pq_reader *r);

/* Row count of the objects from their footers only (no page reads). */
lh_rc lh_pq_count_rows(lh_store *s, const char *const *uris, size_t n, int64_t *rows, lh_err *err) LH_MUST_CHECK;

/* The top-level schema of one file as Hive types ("bigint", "decimal(10,2)",
 * ...); nested columns get "string".  Free with lh_pq_free_columns. */
lh_rc lh_pq_file_columns(lh_store *s, const char *uri, char ***names, char ***hive_types, size_t *n,
                         lh_err *err) LH_MUST_CHECK;
void lh_pq_free_columns(char **names, char **hive_types, size_t n);

/* ---------------- writer ---------------- */

typedef enum { LH_PQ_UNCOMPRESSED, LH_PQ_SNAPPY, LH_PQ_GZIP, LH_PQ_ZSTD } lh_pq_codec;

typedef struct lh_pq_kv {
    const char *key;
    const char *value;
} lh_pq_kv;

typedef struct {
    lh_pq_codec codec;
    size_t row_group_bytes; /* 0 = 128 MiB */
    size_t page_bytes;      /* 0 = 1 MiB */
    int no_dictionary;
    size_t dict_max_bytes; /* 0 = 1 MiB, then PLAIN for the rest of the chunk */
    int timestamp_micros;  /* timestamps as MICROS instead of MILLIS */
    const char *created_by; /* NULL = "lakehouse version 0.1.0" */
    const lh_pq_kv *kv;     /* extra key-value metadata */
    size_t n_kv;
} lh_pq_write_opts;

/* Parse "SNAPPY"/"ZSTD"/"GZIP"/"NONE"/"UNCOMPRESSED" (any case). */
lh_rc lh_pq_codec_parse(const char *name, lh_pq_codec *out, lh_err *err) LH_MUST_CHECK;

typedef struct lh_pq_writer lh_pq_writer;

/* Columns with types[i].kind == 0 have an unknown type, inferred from the
 * values of the first row group (any TEXT -> string, else any REAL ->
 * double, else bigint; all NULL -> string); later rows must fit.  o may be
 * NULL (defaults: SNAPPY, dictionary on).  cols/types/o are copied. */
lh_rc lh_pq_writer_open(lh_store *s, const char *uri, const char *const *cols, const lh_type *types, size_t n_cols,
                        const lh_pq_write_opts *o, lh_pq_writer **out, lh_err *err) LH_MUST_CHECK;
/* Append one row of n_cols values (copied).  A value that does not fit its
 * column is LH_EDATA naming the column; the writer is then unusable. */
lh_rc lh_pq_writer_row(lh_pq_writer *w, const lh_value *vals, lh_err *err) LH_MUST_CHECK;
/* Append n rows given column by column (formats/colvals.h): cols[i] holds
 * column i; the rows are sel[0..n) of the arrays, or 0..n-1 when sel is
 * NULL.  Values go into the row group's buffers in one typed loop per
 * column, with no lh_value and no text: booleans, integers (range-checked
 * against the column), float/double, decimals (rescaled to the column's
 * scale half away from zero, LH_EDATA when they pass its precision), dates
 * (days), timestamps (microseconds, rounded half up to milliseconds unless
 * timestamp_micros), strings (char_len pads them).  The file is the same,
 * byte for byte, as lh_pq_writer_row given the same rows with decimals,
 * dates and timestamps as their text: same cells, statistics,
 * dictionaries, and row groups ending on the same rows.  Another pairing
 * of kind and column type (or a type still to infer) goes row by row
 * through lh_pq_writer_row.  On an error the writer is unusable. */
lh_rc lh_pq_writer_batch(lh_pq_writer *w, const lh_colvals *cols, const uint16_t *sel, uint32_t n,
                         lh_err *err) LH_MUST_CHECK;
/* Column types; unknown ones (kind 0) are filled in by inference, which
 * happens at the first row-group flush, at lh_pq_writer_infer or at close. */
const lh_type *lh_pq_writer_types(const lh_pq_writer *w);
/* Infer the unknown types now from the rows written so far (no-op when done
 * already); later rows must fit.  Call before close to learn the final
 * types (close frees the writer). */
lh_rc lh_pq_writer_infer(lh_pq_writer *w, lh_err *err) LH_MUST_CHECK;
/* Flush, write the footer and commit; frees w (also on failure, which
 * leaves nothing visible).  bytes/rows may be NULL. */
lh_rc lh_pq_writer_close(lh_pq_writer *w, uint64_t *bytes, uint64_t *rows, lh_err *err) LH_MUST_CHECK;
/* Frees w; nothing becomes visible. */
void lh_pq_writer_abort(lh_pq_writer *w);

#endif
