/* exec/kernels.h — vectorized expression kernels.
 *
 * Every kernel works on the rows `rows` names (a selection or 0..n-1),
 * reads FLAT or CONST inputs (a DICT input is flattened in place first,
 * which is why inputs are not const), and writes its result into `out` at
 * the same row indices: out[row] for each selected row, nothing else.
 * `out` must be a FLAT vector of the result type the analyzer decided;
 * kernels never choose or guess a type.  NULL in, NULL out, except where
 * SQL says otherwise (IS [NOT] NULL, IS [NOT] DISTINCT FROM, AND/OR).
 *
 * The loops are specialised per physical type (macros and static inline
 * helpers); nothing in a hot loop calls across a module boundary.  Cold
 * paths (building an error, rare 256-bit decimal cases, text parsing in
 * casts) call the scalar functions of intmath/decimal/datetime, so values
 * and messages are the same as theirs.
 *
 * Errors: the first failing row stops the kernel; its message names the
 * value(s) as Trino words it ("bigint addition overflow:
 * 9223372036854775807 + 1", "Division by zero", "Out of range for integer:
 * 3000000000", "Cannot cast 'abc' to INT").  A failed kernel leaves out's
 * rows unspecified; the batch is abandoned by the caller.
 */
#ifndef LH_EXEC_KERNELS_H
#define LH_EXEC_KERNELS_H

#include "exec/vector.h"
#include "util/err.h"
#include "util/mem.h"

typedef enum lh_arith_op { LH_OP_ADD, LH_OP_SUB, LH_OP_MUL, LH_OP_DIV, LH_OP_MOD } lh_arith_op;

typedef enum lh_cmp_op {
    LH_CMP_EQ,
    LH_CMP_NE,
    LH_CMP_LT,
    LH_CMP_LE,
    LH_CMP_GT,
    LH_CMP_GE,
    LH_CMP_DISTINCT,     /* IS DISTINCT FROM (never NULL) */
    LH_CMP_NOT_DISTINCT  /* IS NOT DISTINCT FROM */
} lh_cmp_op;

/* a op b.  Integers: a, b and out of one width, checked (exec/intmath.h).
 * real/double: IEEE, never an error (x / 0 is Infinity or NaN, % is fmod).
 * decimal: a and b of any precision/scale, out of the type
 * lh_dec_result_type gives; exact, HALF_UP for division, "Decimal overflow". */
lh_rc lh_k_arith(lh_arith_op op, lh_vector *a, lh_vector *b, lh_vector *out, lh_rows rows, lh_err *err) LH_MUST_CHECK;
/* -a (checked for integers). */
lh_rc lh_k_negate(lh_vector *a, lh_vector *out, lh_rows rows, lh_err *err) LH_MUST_CHECK;

/* a op b into a boolean out.  a and b of one type (after the analyzer's
 * coercion), except decimals, which may differ in precision and scale and
 * compare exactly.  Strings compare bytewise (as Trino's varchar), doubles
 * as IEEE (NaN = NaN is false; IS DISTINCT FROM treats two NaNs as the
 * same), timestamps with time zone by instant. */
lh_rc lh_k_compare(lh_cmp_op op, lh_vector *a, lh_vector *b, lh_vector *out, lh_rows rows, lh_err *err) LH_MUST_CHECK;

/* IS NULL (negate = 0) / IS NOT NULL (negate = 1): never NULL. */
lh_rc lh_k_is_null(lh_vector *a, int negate, lh_vector *out, lh_rows rows, lh_err *err) LH_MUST_CHECK;

/* Three-valued logic on boolean vectors: FALSE AND NULL = FALSE,
 * TRUE OR NULL = TRUE, otherwise NULL in, NULL out. */
lh_rc lh_k_and(lh_vector *a, lh_vector *b, lh_vector *out, lh_rows rows, lh_err *err) LH_MUST_CHECK;
lh_rc lh_k_or(lh_vector *a, lh_vector *b, lh_vector *out, lh_rows rows, lh_err *err) LH_MUST_CHECK;
lh_rc lh_k_not(lh_vector *a, lh_vector *out, lh_rows rows, lh_err *err) LH_MUST_CHECK;

/* The rows of `rows` where pred is TRUE (not FALSE, not NULL), in order,
 * into sel_out (LH_BATCH entries); *n_out their number.  Install them with
 * lh_batch_select. */
lh_rc lh_k_filter(lh_vector *pred, lh_rows rows, uint16_t *sel_out, uint32_t *n_out, lh_err *err) LH_MUST_CHECK;

/* CAST(in AS out->type).  Supported pairs:
 *   numeric (integers, real, double, decimal) <-> numeric, boolean <-> numeric
 *   anything of those, date, time, timestamp, timestamp with time zone,
 *     intervals -> varchar (Trino's text; doubles as "1.0E10")
 *   varchar -> boolean, integers, real, double, decimal, date, timestamp,
 *     timestamp with time zone (session zone UTC), time
 *   varchar <-> varchar/char (length checks), date <-> timestamp,
 *   timestamp -> timestamp with time zone (UTC) and back, precision changes
 * Strings longer than 12 bytes are written into `arena` (the output
 * batch's).  Other pairs: LH_EUNSUPPORTED naming both types. */
lh_rc lh_k_cast(lh_vector *in, lh_vector *out, lh_rows rows, lh_arena *arena, lh_err *err) LH_MUST_CHECK;

/* Format a double / real as Trino's CAST(... AS varchar): the shortest
 * digits that read back, as d.dddE<exp> (DecimalFormat "0.0###...E0"):
 * 1.0E10, 1.5E0, -1.25E-3, 0E0, -0E0, NaN, Infinity, -Infinity.  buf holds
 * LH_DOUBLE_FMT_MAX bytes; returns the length. */
#define LH_DOUBLE_FMT_MAX 32
size_t lh_double_format(double d, char *buf);
size_t lh_real_format(float f, char *buf);
/* Java's Double.toString (used in Trino's error messages): 3.0E9, 123.5, 1.0E-4. */
size_t lh_double_java_string(double d, char *buf);
/* Java's Float.toString (Trino's client prints real so): 0.1, 1.0E10, 3.4028235E38. */
size_t lh_real_java_string(float f, char *buf);

/* ---- LIKE ---- */
typedef struct lh_like lh_like;
/* Compile pattern[0..n) with an optional escape character (escape NULL = none;
 * the escape must be one character: "Escape string must be a single
 * character"; an escape followed by anything but %, _ or itself: "Escape
 * character must be followed by '%', '_' or the escape character itself").
 * `_` matches one UTF-8 code point, `%` any sequence.  Free with lh_like_free. */
lh_rc lh_like_compile(const char *pattern, size_t n, const char *escape, size_t escape_n, lh_like **out,
                      lh_err *err) LH_MUST_CHECK;
void lh_like_free(lh_like *m);
int lh_like_match(const lh_like *m, const char *s, size_t n);
/* s LIKE m into a boolean out (NULL s -> NULL). */
lh_rc lh_k_like(const lh_like *m, lh_vector *s, lh_vector *out, lh_rows rows, lh_err *err) LH_MUST_CHECK;

/* ---- helpers shared by the kernel files ---- */
/* Turn a DICT input into FLAT (all its rows). */
void lh_k_prepare(lh_vector *v, lh_rows rows);

#endif
