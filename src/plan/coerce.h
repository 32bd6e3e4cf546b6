/* plan/coerce.h — Trino's implicit coercions, common super types and
 * operator signatures, for the analyzer.
 *
 * Only Trino's implicit coercions exist (io.trino.type.TypeCoercion):
 *   unknown -> any type
 *   tinyint -> smallint -> integer -> bigint (and every wider one)
 *   tinyint/smallint/integer/bigint -> decimal(3,0)/(5,0)/(10,0)/(19,0),
 *       then decimal widening; -> real, double
 *   decimal(p,s) -> decimal(p',s') when s' >= s and p'-s' >= p-s, or when p' is
 *       the 38 cap of that (lossy, checked at run time, as Trino); -> real, double
 *   real -> double
 *   varchar(n) -> varchar(m >= n), varchar; varchar(n) -> char(n) (unbounded: char(65536))
 *   char(n) -> char(m >= n)
 *   date -> timestamp(p), timestamp(p) with time zone
 *   timestamp(p) -> timestamp(q >= p), timestamp(q >= p) with time zone
 *   timestamp(p) with time zone -> timestamp(q >= p) with time zone; time(p) -> time(q >= p)
 * Nothing else: varchar never becomes a number, a number never a varchar,
 * boolean never an integer.
 *
 * The analyzer calls these once per expression; nothing allocates.
 */
#ifndef LH_PLAN_COERCE_H
#define LH_PLAN_COERCE_H

#include "exec/sqltype.h"
#include "util/err.h"

/* Can a value of type from be used where to is expected, implicitly? */
int lh_type_can_coerce(lh_sqltype from, lh_sqltype to);

/* The narrowest type both coerce to; 1 and *out set, or 0 when none. */
int lh_type_common_super(lh_sqltype a, lh_sqltype b, lh_sqltype *out);

typedef enum lh_binop {
    LH_BOP_ADD,
    LH_BOP_SUB,
    LH_BOP_MUL,
    LH_BOP_DIV,
    LH_BOP_MOD,
    LH_BOP_EQ,
    LH_BOP_NE,
    LH_BOP_LT,
    LH_BOP_LE,
    LH_BOP_GT,
    LH_BOP_GE,
    LH_BOP_DISTINCT, /* IS DISTINCT FROM */
    LH_BOP_CONCAT    /* || */
} lh_binop;

const char *lh_op_symbol(lh_binop op); /* "+", "=", "<>", "||", "IS DISTINCT FROM" */

/* A resolved binary operator: coerce the left argument to left, the right
 * to right, and the result has type result.  Integer arithmetic stays in
 * the common integer width (bigint + integer -> bigint; overflow is an
 * error at run time, exec/intmath.h); decimals follow exec/decimal.h. */
typedef struct lh_op_sig {
    lh_sqltype left, right, result;
} lh_op_sig;

/* LH_EDATA worded as Trino: "Cannot apply operator: varchar = bigint",
 * "Unexpected parameters (varchar, bigint) for function concat. ..." (|| is
 * a call of concat in Trino); decimal scale overflow of a
 * product is LH_EINVAL. */
lh_rc lh_op_resolve(lh_binop op, lh_sqltype a, lh_sqltype b, lh_op_sig *out, lh_err *err) LH_MUST_CHECK;

/* The exact type an integer type coerces to: decimal(3,0), (5,0), (10,0), (19,0). */
lh_sqltype lh_type_int_as_decimal(lh_sqltype t);

#endif
