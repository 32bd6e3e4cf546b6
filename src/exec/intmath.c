/* exec/intmath.c — the cold half of intmath.h: Trino's error texts. */
#include "exec/intmath.h"

const char *lh_intw_name(lh_intw w)
{
    switch (w) {
    case LH_I8:
        return "tinyint";
    case LH_I16:
        return "smallint";
    case LH_I32:
        return "integer";
    default:
        return "bigint";
    }
}

lh_rc lh_int_overflow(lh_err *err, lh_intw w, char op, int64_t a, int64_t b)
{
    const char *n = lh_intw_name(w);
    switch (op) {
    case '+':
        return lh_errf(err, LH_EDATA, "%s addition overflow: %lld + %lld", n, (long long)a, (long long)b);
    case '-':
        return lh_errf(err, LH_EDATA, "%s subtraction overflow: %lld - %lld", n, (long long)a, (long long)b);
    case '*':
        return lh_errf(err, LH_EDATA, "%s multiplication overflow: %lld * %lld", n, (long long)a, (long long)b);
    case '/':
        return lh_errf(err, LH_EDATA, "%s division overflow: %lld / %lld", n, (long long)a, (long long)b);
    default:
        return lh_errf(err, LH_EDATA, "%s negation overflow: %lld", n, (long long)a);
    }
}

lh_rc lh_int_divzero(lh_err *err)
{
    return lh_errf(err, LH_EDATA, "Division by zero");
}
