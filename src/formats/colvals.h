/* formats/colvals.h — a batch of column values as the writers take them
 * (lh_pq_writer_batch, lh_jsonl_append_batch): one plain physical array
 * per column plus a validity bitmap, in the layout an engine's column
 * vectors already have, so a writer reads them with no conversion and no
 * call per value.
 *
 * This header knows no engine: formats sits below exec, and the layer that
 * owns both (sql/ctas_vec.c) describes its vectors with it.
 *
 * A batch has n output rows.  Output row k is row r = sel[k] of the
 * columns (r = k when sel is NULL); the rows of one batch are listed in
 * order and each r < 65536.  Column c's row r:
 *   - is NULL when cols[c].valid is set and bit (is_const ? 0 : r) of it
 *     (word r / 64, bit r % 64) is clear;
 *   - else its value is data[is_const ? 0 : idx ? idx[r] : r].
 * Element types by kind:
 *   LH_CV_BOOL   uint8_t, 0 false, anything else true
 *   LH_CV_I8..64 int8_t, int16_t, int32_t, int64_t
 *   LH_CV_F32    float;  LH_CV_F64 double
 *   LH_CV_DEC64  int64_t unscaled decimal, `scale` fraction digits
 *   LH_CV_DEC128 __int128 unscaled decimal, `scale` fraction digits
 *   LH_CV_DATE   int32_t days since 1970-01-01
 *   LH_CV_TS_US  int64_t microseconds since 1970-01-01 00:00:00 (no zone)
 *   LH_CV_STR    lh_colstr: bytes p[0..n) (p may be NULL when n is 0);
 *                char_len > 0 pads each value with spaces to that many
 *                UTF-8 characters (Hive's char(n), as Trino prints it)
 * Lifetime: everything is borrowed for the duration of the call; writers
 * copy what they keep.
 */
#ifndef LH_FORMATS_COLVALS_H
#define LH_FORMATS_COLVALS_H

#include <stddef.h>
#include <stdint.h>

typedef enum lh_colkind {
    LH_CV_BOOL = 1,
    LH_CV_I8,
    LH_CV_I16,
    LH_CV_I32,
    LH_CV_I64,
    LH_CV_F32,
    LH_CV_F64,
    LH_CV_DEC64,
    LH_CV_DEC128,
    LH_CV_DATE,
    LH_CV_TS_US,
    LH_CV_STR
} lh_colkind;

typedef struct lh_colstr {
    const char *p;
    uint32_t n;
} lh_colstr;

typedef struct lh_colvals {
    lh_colkind kind;
    int scale;             /* decimals: fraction digits of the unscaled values */
    uint32_t char_len;     /* LH_CV_STR: pad to this many characters; 0 = as is */
    const void *data;      /* the values (see the element types above) */
    const uint64_t *valid; /* NULL = no NULLs */
    const uint16_t *idx;   /* NULL = row r is data[r] */
    int is_const;          /* every row is data[0] (validity bit 0) */
} lh_colvals;

/* Row r of a column (after the selection): its validity and the element
 * index of its value. */
static inline int lh_colvals_valid(const lh_colvals *c, uint32_t r)
{
    uint32_t b = c->is_const ? 0 : r;
    return !c->valid || ((c->valid[b >> 6] >> (b & 63)) & 1);
}
static inline uint32_t lh_colvals_at(const lh_colvals *c, uint32_t r)
{
    return c->is_const ? 0 : c->idx ? c->idx[r] : r;
}

/* ---- the text Trino prints for a value (JSON output, error messages) ----
 * Each writes at most LH_CV_TEXT_MAX bytes plus a NUL into buf and
 * returns the length. */
#define LH_CV_TEXT_MAX 48

/* A decimal's plain digits with its scale: "-0.50", "12" (BigDecimal's
 * toPlainString, as Trino prints decimal(p,s)). */
size_t lh_cv_decimal_text(__int128 v, int scale, char *buf);
/* "2022-06-18"; years before 1 as "-0001-01-01", past 9999 in full. */
size_t lh_cv_date_text(int32_t days, char *buf);
/* Epoch milliseconds as "2022-06-18 14:00:00.000" (lh_fmt_timestamp_ms's text). */
size_t lh_cv_timestamp_ms_text(int64_t ms, char *buf);
/* Java's Float.toString, as Trino prints a real: "1.5", "1.0E10", "NaN". */
size_t lh_cv_real_text(float f, char *buf);
/* Microseconds to milliseconds, half up (as a cast to timestamp(3) rounds). */
static inline int64_t lh_cv_us_to_ms(int64_t us)
{
    int64_t ms = us / 1000, rem = us % 1000;
    if (rem < 0) {
        ms--;
        rem += 1000;
    }
    return rem >= 500 ? ms + 1 : ms;
}

#endif
