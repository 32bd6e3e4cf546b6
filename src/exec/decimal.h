/* exec/decimal.h — exact decimal arithmetic with Trino's rules.
 *
 * A decimal(p,s) value is its unscaled integer v (value = v / 10^s) in a
 * signed 128-bit integer.  __int128 is a GCC/Clang extension (the one
 * non-C11 thing in this module); every supported compiler has it on 64-bit
 * targets.  |v| <= 10^38 - 1 always holds for a valid value.
 *
 * Result types (Trino, core/trino-main/.../type/DecimalOperators.java):
 *   a + b, a - b  p = min(38, 1 + max(p1-s1, p2-s2) + max(s1,s2)), s = max(s1,s2)
 *   a * b         p = min(38, p1 + p2),                           s = s1 + s2 (s > 38 is an error)
 *   a / b         p = min(38, p1 + s2 + max(s2 - s1, 0)),         s = max(s1,s2)
 *   a % b         p = min(p2-s2, p1-s1) + max(s1,s2),             s = max(s1,s2)
 * Values: the exact result, rounded HALF_UP (away from zero at .5) where
 * it must be (division, rescaling down); "Decimal overflow" (LH_EDATA) when
 * |result| reaches 10^38 (the capped precision is 38); "Division by zero".
 *
 * Hot path: nothing here allocates; errors are only built on failure.
 */
#ifndef LH_EXEC_DECIMAL_H
#define LH_EXEC_DECIMAL_H

#include <stddef.h>
#include <stdint.h>

#include "exec/sqltype.h"
#include "util/err.h"

typedef __int128 lh_i128;
typedef unsigned __int128 lh_u128;

#define LH_DEC_FMT_MAX 48 /* sign, 38 digits, '.', leading "0", NUL */

typedef enum lh_decop { LH_DEC_ADD, LH_DEC_SUB, LH_DEC_MUL, LH_DEC_DIV, LH_DEC_MOD } lh_decop;

/* 10^n for 0 <= n <= 38. */
lh_i128 lh_dec_pow10(int n);
/* Does |v| fit in precision p (|v| < 10^p)? */
int lh_dec_fits(lh_i128 v, int p);

/* Parse a decimal literal as Trino types it (io.trino.spi.type.Decimals.parse):
 * [+-]digits[.digits] (either side may be empty, not both; '_' between
 * digits allowed).  Leading zeros of the integer part do not count:
 * "1.50" -> (150, 3, 2), "0.5" -> (5, 1, 1), "1000.0" -> (10000, 5, 1),
 * "0" -> (0, 1, 0), ".00" -> (0, 2, 2).  More than 38 digits:
 * LH_EDATA "Value exceeds maximum precision"; malformed: LH_EPARSE
 * "Invalid DECIMAL value '...'". */
lh_rc lh_dec_parse_literal(const char *s, size_t n, lh_i128 *v, int *p, int *scale, lh_err *err) LH_MUST_CHECK;

/* Result type of a (p1,s1) op (p2,s2).  LH_EINVAL when the product's scale
 * exceeds 38 ("DECIMAL scale must be in range [0, 38]: 40"). */
lh_rc lh_dec_result_type(lh_decop op, int p1, int s1, int p2, int s2, int *p, int *s, lh_err *err) LH_MUST_CHECK;

/* Arithmetic on unscaled values of scales s1 and s2; the result has the
 * scale lh_dec_result_type gives.  LH_EDATA "Decimal overflow" /
 * "Division by zero". */
lh_rc lh_dec_add(lh_i128 a, int s1, lh_i128 b, int s2, lh_i128 *out, lh_err *err) LH_MUST_CHECK;
lh_rc lh_dec_sub(lh_i128 a, int s1, lh_i128 b, int s2, lh_i128 *out, lh_err *err) LH_MUST_CHECK;
lh_rc lh_dec_mul(lh_i128 a, int s1, lh_i128 b, int s2, lh_i128 *out, lh_err *err) LH_MUST_CHECK;
/* rs: the result scale (max(s1,s2)). */
lh_rc lh_dec_div(lh_i128 a, int s1, lh_i128 b, int s2, int rs, lh_i128 *out, lh_err *err) LH_MUST_CHECK;
lh_rc lh_dec_mod(lh_i128 a, int s1, lh_i128 b, int s2, lh_i128 *out, lh_err *err) LH_MUST_CHECK;
lh_rc lh_dec_neg(lh_i128 a, lh_i128 *out, lh_err *err) LH_MUST_CHECK;
int lh_dec_cmp(lh_i128 a, int s1, lh_i128 b, int s2); /* -1, 0, 1; exact across scales */

/* Rescale from scale fs to ts (HALF_UP when ts < fs) and check precision tp:
 * CAST(decimal(fp,fs) AS decimal(tp,ts)).  LH_EDATA
 * "Cannot cast DECIMAL(fp, fs) '1.23' to DECIMAL(tp, ts)". */
lh_rc lh_dec_cast(lh_i128 v, int fp, int fs, int tp, int ts, lh_i128 *out, lh_err *err) LH_MUST_CHECK;
/* Rescale without a precision check (|result| < 10^38 still checked). */
lh_rc lh_dec_rescale(lh_i128 v, int fs, int ts, lh_i128 *out, lh_err *err) LH_MUST_CHECK;

/* Format as Trino prints it: "1.50", "-0.05", "0.00", "12".  buf must
 * hold LH_DEC_FMT_MAX bytes; returns the length. */
size_t lh_dec_format(lh_i128 v, int s, char *buf);

/* Casts.  src names the integer type in messages (LH_SQL_TINYINT..BIGINT). */
lh_rc lh_dec_from_int(int64_t x, lh_sqltype_id src, int p, int s, lh_i128 *out, lh_err *err) LH_MUST_CHECK;
/* Decimal(p,s) -> integer type dst, rounding HALF_UP; LH_EDATA "Cannot cast '3000000000' to INTEGER"
 * (the rounded integer when p <= 18, else the decimal, as Trino). */
lh_rc lh_dec_to_int(lh_i128 v, int p, int s, lh_sqltype_id dst, int64_t *out, lh_err *err) LH_MUST_CHECK;
/* The nearest double (correctly rounded). */
double lh_dec_to_double(lh_i128 v, int s);
/* Double -> decimal(p,s) as Trino: the shortest decimal that round-trips the
 * double (Java's BigDecimal.valueOf), then HALF_UP at scale s.  NaN,
 * infinities and values too large: LH_EDATA "Cannot cast DOUBLE '1.0E20' to DECIMAL(10, 2)". */
lh_rc lh_dec_from_double(double d, int p, int s, lh_i128 *out, lh_err *err) LH_MUST_CHECK;
lh_rc lh_dec_from_real(float f, int p, int s, lh_i128 *out, lh_err *err) LH_MUST_CHECK;
/* VARCHAR -> decimal(p,s): Java BigDecimal syntax ([+-]digits[.digits][e[+-]digits]),
 * rounded HALF_UP to s.  "Cannot cast VARCHAR 'abc' to DECIMAL(10, 2). Value is not a number."
 * / "... Value too large." */
lh_rc lh_dec_from_varchar(const char *str, size_t n, int p, int s, lh_i128 *out, lh_err *err) LH_MUST_CHECK;

/* Aggregate result types (Trino): sum(decimal(p,s)) -> decimal(38,s);
 * avg(decimal(p,s)) -> decimal(p,s). */
void lh_dec_sum_type(int p, int s, int *rp, int *rs);
void lh_dec_avg_type(int p, int s, int *rp, int *rs);

#endif
