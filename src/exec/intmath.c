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

lh_rc lh_int_from_varchar(lh_intw w, const char *s, size_t n, int64_t *out, lh_err *err)
{
    static const char *const names[] = {"TINYINT", "SMALLINT", "INT", "BIGINT"};
    const char *name = names[w == LH_I8 ? 0 : w == LH_I16 ? 1 : w == LH_I32 ? 2 : 3];
    size_t i = 0;
    int neg = 0;
    uint64_t v = 0, lim;
    if (n > 0 && (s[0] == '+' || s[0] == '-'))
        neg = s[i++] == '-';
    if (i == n)
        goto bad;
    lim = neg ? (uint64_t)0 - (uint64_t)lh_intw_min(w) : (uint64_t)(-(lh_intw_min(w) + 1));
    for (; i < n; i++) {
        unsigned d = (unsigned char)s[i] - '0';
        if (d > 9 || v > (lim - d) / 10)
            goto bad;
        v = v * 10 + d;
    }
    *out = neg ? (int64_t)((uint64_t)0 - v) : (int64_t)v;
    return LH_OK;
bad:
    return lh_errf(err, LH_EDATA, "Cannot cast '%.*s' to %s", (int)n, s, name);
}
