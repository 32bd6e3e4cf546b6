/* formats/jsonl.h — JSON-lines tables, with the Hive/OpenX JSON SerDe's
 * semantics as Athena applies them.
 *
 * Reader: streams the objects of a table (a list of URIs in the store) a
 * chunk at a time, so memory follows the longest line, not the file.
 * One line is one record:
 *   - keys match columns case-insensitively (unless 'case.insensitive' is
 *     'false'); a 'mapping.<col>'='<key>' SerDe property renames a key;
 *   - an absent key or JSON null is NULL;
 *   - values convert to the declared Hive type (see lh_jsonl_reader_value);
 *   - blank lines (only whitespace) are skipped; a UTF-8 BOM at the start of
 *     an object is skipped; CRLF line ends are accepted; the last line may
 *     lack its newline;
 *   - a line that is not a JSON object is LH_EPARSE naming file:line and
 *     what was expected, unless opts.ignore_malformed: then it is skipped
 *     and counted (lh_jsonl_reader_stats), never silently.
 *
 * Threads: on a large table (four chunks and more) the reader splits and
 * scans the next chunk on a second thread while the caller consumes the
 * current one, unless lh_threads_enabled() says no (LH_THREADS=1).  Store
 * calls, the on_malformed callback and everything the caller sees stay on
 * the calling thread, in the same order, with the same rows, line numbers,
 * stats and error texts either way.  One reader is used by one thread at a
 * time; _close stops the second thread in any state.  Memory: two batches
 * of at most max_line + 2 * chunk bytes plus a bounded span array each.
 *
 * Writer (formats/jsonl_write.c): lh_jsonl_append_row appends one record
 * as one line; lh_jsonl_append_batch the rows of a column batch.
 *
 * Lifetime: values handed out by lh_jsonl_reader_value stay valid until the
 * next call to lh_jsonl_reader_next or _close.  The reader does not own
 * the store; the store must outlive it.
 */
#ifndef LH_FORMATS_JSONL_H
#define LH_FORMATS_JSONL_H

#include <stddef.h>
#include <stdint.h>

#include "formats/colvals.h"
#include "store/store.h"
#include "util/err.h"
#include "util/mem.h"
#include "util/types.h"

typedef struct lh_jsonl_col {
    const char *name; /* the JSON key to look for (column name or its mapping) */
    lh_type type;
} lh_jsonl_col;

/* Called for each line skipped under ignore_malformed, with the raw line
 * (not NUL-terminated, valid only during the call).  A non-zero return
 * stops the reader with that error. */
typedef lh_rc (*lh_jsonl_malformed_fn)(void *ctx, const char *uri, uint64_t line, const char *reason,
                                       const char *raw, size_t n, lh_err *err);

typedef struct lh_jsonl_opts {
    int ignore_malformed;     /* 'ignore.malformed.json'='true' */
    lh_jsonl_malformed_fn on_malformed; /* may be NULL */
    void *malformed_ctx;
    int null_for_invalid;     /* 'use.null.for.invalid.data'='true' */
    int case_sensitive;       /* 'case.insensitive'='false' */
    size_t max_line;          /* longest accepted line in bytes; 0 = 64 MiB */
    size_t chunk;             /* read size; 0 = 1 MiB */
    int exact_decimals;       /* decimal(p > 15) values as their digits (TEXT), not the nearest double */
} lh_jsonl_opts;

typedef struct lh_jsonl_stats {
    uint64_t lines;     /* non-blank lines seen */
    uint64_t rows;      /* records returned */
    uint64_t malformed; /* lines skipped under ignore_malformed */
    char first_malformed[512]; /* "file:line: reason" of the first skipped line */
} lh_jsonl_stats;

typedef struct lh_jsonl_reader lh_jsonl_reader;

/* cols and uris are copied. */
lh_rc lh_jsonl_reader_open(lh_store *store, const char *const *uris, size_t n_uris, const lh_jsonl_col *cols,
                           size_t n_cols, const lh_jsonl_opts *opts, lh_jsonl_reader **out, lh_err *err) LH_MUST_CHECK;
/* Advance to the next record.  *eof = 1 when there is none. */
lh_rc lh_jsonl_reader_next(lh_jsonl_reader *r, int *eof, lh_err *err) LH_MUST_CHECK;
/* Decode column col of the current record into out.
 * Conversions (input JSON kind -> Hive type):
 *   string/varchar/char: strings decoded; numbers, true/false copied as
 *     their text; objects/arrays as their JSON text (varchar(n)/char(n) are
 *     truncated to n characters, char padded as Hive does not: kept as is).
 *   tinyint..bigint: integer numbers, and strings holding one; a number with
 *     a fraction or exponent is invalid; out of the type's range is invalid.
 *   float/double/decimal: numbers and numeric strings -> REAL.
 *   boolean: true/false, and the strings "true"/"false" (any case) -> 0/1.
 *   date: "YYYY-MM-DD" strings -> TEXT.
 *   timestamp: "YYYY-MM-DD HH:MM:SS[.fff]" (or 'T') strings, or integer
 *     epoch milliseconds -> TEXT "YYYY-MM-DD HH:MM:SS.mmm".
 * Invalid data is LH_EDATA "file:line: column 'c': expected <type>, got
 * <text>", or NULL when opts.null_for_invalid. */
lh_rc lh_jsonl_reader_value(lh_jsonl_reader *r, size_t col, lh_value *out, lh_err *err) LH_MUST_CHECK;
/* Where the current record is: the object URI and 1-based line number. */
const char *lh_jsonl_reader_file(const lh_jsonl_reader *r);
uint64_t lh_jsonl_reader_line(const lh_jsonl_reader *r);
const lh_jsonl_stats *lh_jsonl_reader_stats(const lh_jsonl_reader *r);
void lh_jsonl_reader_close(lh_jsonl_reader *r);

/* Append one record as a JSON line ("{...}\n") to out.  NULL values are
 * omitted (absent keys, as in the landing data); booleans (types[i] is
 * boolean) are written true/false; REAL via lh_json_put_double; TEXT
 * quoted.  types may be NULL (then INT/REAL/TEXT by value type). */
lh_rc lh_jsonl_append_row(lh_buf *out, const char *const *names, const lh_type *types, const lh_value *vals,
                          size_t n, lh_err *err) LH_MUST_CHECK;
/* Append rows [from, n) of a column batch (formats/colvals.h; the rows are
 * sel[from..n), or from..n-1 when sel is NULL), one line each, with the
 * bytes lh_jsonl_append_row writes for the same rows given as cells:
 * booleans and integers as INT, doubles as REAL, reals as Java's
 * Float.toString text (NaN and infinities as REAL: null), decimals as
 * Trino's digits with their scale, dates as "YYYY-MM-DD", timestamps
 * rounded half up to "YYYY-MM-DD HH:MM:SS.mmm", strings as TEXT (char_len
 * pads them).  Stops after the first row that brings out->len to limit or
 * more (limit 0: none); *next receives the index of the first row not
 * written.  Each row reserves its worst case first: LH_ELIMIT when that
 * does not fit out's cap.  On an error no part of a row is left in out
 * (the rows before it stay, *next says how many). */
lh_rc lh_jsonl_append_batch(lh_buf *out, const char *const *names, const lh_type *types, const lh_colvals *cols,
                            size_t n_cols, const uint16_t *sel, uint32_t from, uint32_t n, size_t limit,
                            uint32_t *next, lh_err *err) LH_MUST_CHECK;

#endif
