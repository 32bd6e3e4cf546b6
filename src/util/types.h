/* util/types.h — Hive column types and the value cell every layer passes.
 *
 * lh_type is a parsed Hive type ("decimal(10,2)", "varchar(64)", ...).
 * lh_value is one cell as the SQL layer sees it: NULL, a 64-bit integer,
 * a double or text.  Text is NOT owned by the value: it points into a
 * buffer whose lifetime the producer documents (usually "until the next
 * row").  SQL mapping of Hive types:
 *   tinyint/smallint/int/bigint/boolean -> INTEGER (boolean as 0/1)
 *   float/double/decimal                -> REAL
 *   string/varchar/char                 -> TEXT
 *   date                                -> TEXT 'YYYY-MM-DD'
 *   timestamp                           -> TEXT 'YYYY-MM-DD HH:MM:SS.mmm' (UTC)
 */
#ifndef LH_UTIL_TYPES_H
#define LH_UTIL_TYPES_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

typedef enum lh_kind {
    LH_T_STRING = 1,
    LH_T_VARCHAR,
    LH_T_CHAR,
    LH_T_TINYINT,
    LH_T_SMALLINT,
    LH_T_INT,
    LH_T_BIGINT,
    LH_T_FLOAT,
    LH_T_DOUBLE,
    LH_T_BOOLEAN,
    LH_T_DATE,
    LH_T_TIMESTAMP,
    LH_T_DECIMAL
} lh_kind;

typedef struct lh_type {
    lh_kind kind;
    int p; /* varchar/char length, decimal precision; 0 if none */
    int s; /* decimal scale */
} lh_type;

/* Parse a Hive type name, case-insensitive, spaces allowed inside parens
 * ("DECIMAL( 10 , 2 )").  Complex types (array<...>, map<...>, struct<...>)
 * are LH_EUNSUPPORTED naming the type.  */
lh_rc lh_type_parse(const char *text, size_t len, lh_type *out, lh_err *err) LH_MUST_CHECK;
/* Canonical lower-case name into buf ("decimal(10,2)"); returns buf. */
const char *lh_type_name(const lh_type *t, char *buf, size_t bufsz);

/* decimal(p,s) as Hive's SerDe enforces it.  s/n is number text: optional
 * sign, digits with an optional '.' fraction (".5" and "5." allowed), an
 * optional exponent.  It is rounded to `scale` fraction digits, half away
 * from zero (Hive's HALF_UP: 1.005 -> 1.01), then must have at most p
 * digits.  Returns 0 with *out the double nearest the rounded value; 1 when
 * it does not fit decimal(p,scale); -1 when the text is not a number or the
 * type is invalid (p outside 1..38, scale outside 0..p).  Exact: works on
 * the digits, never on a binary double; no allocation. */
int lh_decimal_fit(const char *s, size_t n, int p, int scale, double *out);
/* The largest value of decimal(p,scale) as text ("999.99" for (5,2),
 * "0.99" for (2,2)) into buf; returns its length (cut to bufsz - 1). */
size_t lh_decimal_max_text(int p, int scale, char *buf, size_t bufsz);

typedef enum lh_vtype { LH_V_NULL = 0, LH_V_INT, LH_V_REAL, LH_V_TEXT } lh_vtype;

typedef struct lh_value {
    lh_vtype t;
    int64_t i;
    double d;
    const char *s; /* LH_V_TEXT: bytes, not necessarily NUL-terminated */
    size_t n;      /* LH_V_TEXT: length */
} lh_value;

/* ---- time helpers (UTC, proleptic Gregorian) ---- */

/* Days since 1970-01-01 for a civil date, and back. */
int64_t lh_days_from_civil(int64_t y, unsigned m, unsigned d);
void lh_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);
/* Format epoch milliseconds as "YYYY-MM-DD HH:MM:SS.mmm" into buf (>= 32 bytes). */
size_t lh_fmt_timestamp_ms(int64_t ms, char *buf, size_t bufsz);
/* Format days since epoch as "YYYY-MM-DD". */
size_t lh_fmt_date(int64_t days, char *buf, size_t bufsz);
/* Parse "YYYY-MM-DD[( |T)HH:MM[:SS[.fff...]]][Z]" into epoch ms; 0 on success, -1 if malformed. */
int lh_parse_timestamp_ms(const char *s, size_t n, int64_t *ms);
/* Parse "YYYY-MM-DD" into days; 0 on success, -1 if malformed. */
int lh_parse_date(const char *s, size_t n, int64_t *days);

#endif
