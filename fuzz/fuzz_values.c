/* libFuzzer target: the value parsers of the coming engine (exec/): type
 * names, decimal literals and casts, DATE/TIMESTAMP/TIME/INTERVAL literals,
 * and date_format/date_parse formats.  The first byte picks the parser; what
 * parses must print and parse back to the same value, and decimal results
 * must fit the type the operator rules give. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "exec/datetime.h"
#include "exec/decimal.h"
#include "exec/sqltype.h"
#include "util/mem.h"

static void check(int ok)
{
    if (!ok)
        abort();
}

static void fuzz_type(const char *s, size_t n)
{
    lh_sqltype t, u;
    char b[LH_SQLTYPE_NAME_MAX];
    lh_err err;
    if (lh_sqltype_parse(s, n, &t, &err) != LH_OK)
        return;
    lh_sqltype_name(t, b, sizeof b);
    check(lh_sqltype_parse(b, strlen(b), &u, &err) == LH_OK && lh_sqltype_equal(t, u));
}

static void fuzz_decimal(const char *s, size_t n)
{
    const char *bar = memchr(s, '|', n);
    lh_i128 a, b, r, back;
    int p1, s1, p2, s2, p, sc, pb, sb;
    char t[LH_DEC_FMT_MAX];
    lh_err err;
    size_t na = bar ? (size_t)(bar - s) : n;
    if (lh_dec_parse_literal(s, na, &a, &p1, &s1, &err) != LH_OK)
        return;
    lh_dec_format(a, s1, t);
    check(lh_dec_parse_literal(t, strlen(t), &back, &pb, &sb, &err) == LH_OK && back == a && pb == p1 && sb == s1);
    if (!bar || lh_dec_parse_literal(bar + 1, n - na - 1, &b, &p2, &s2, &err) != LH_OK)
        return;
    if (lh_dec_result_type(LH_DEC_ADD, p1, s1, p2, s2, &p, &sc, &err) == LH_OK &&
        lh_dec_add(a, s1, b, s2, &r, &err) == LH_OK) {
        check(lh_dec_fits(r, p));
        if (lh_dec_sub(r, sc, b, s2, &back, &err) == LH_OK)
            check(lh_dec_cmp(back, sc, a, s1) == 0);
    }
    if (lh_dec_result_type(LH_DEC_MUL, p1, s1, p2, s2, &p, &sc, &err) == LH_OK &&
        lh_dec_mul(a, s1, b, s2, &r, &err) == LH_OK)
        check(lh_dec_fits(r, p));
    if (lh_dec_result_type(LH_DEC_DIV, p1, s1, p2, s2, &p, &sc, &err) == LH_OK &&
        lh_dec_div(a, s1, b, s2, sc, &r, &err) == LH_OK)
        check(lh_dec_fits(r, p));
    if (lh_dec_result_type(LH_DEC_MOD, p1, s1, p2, s2, &p, &sc, &err) == LH_OK &&
        lh_dec_mod(a, s1, b, s2, &r, &err) == LH_OK)
        check(lh_dec_fits(r, p) && lh_dec_cmp(r < 0 ? -r : r, sc, b < 0 ? -b : b, s2) < 0);
}

static void fuzz_cast(const char *s, size_t n)
{
    lh_i128 r;
    int64_t x;
    lh_err err;
    int p, sc;
    if (n < 2)
        return;
    p = (unsigned char)s[0] % 38 + 1;
    sc = (unsigned char)s[1] % (p + 1);
    if (lh_dec_from_varchar(s + 2, n - 2, p, sc, &r, &err) == LH_OK) {
        check(lh_dec_fits(r, p));
        (void)lh_dec_to_double(r, sc);
        (void)lh_dec_to_int(r, p, sc, LH_SQL_BIGINT, &x, &err);
    }
    if (n >= 10) {
        double d;
        memcpy(&d, s + 2, sizeof d);
        if (lh_dec_from_double(d, p, sc, &r, &err) == LH_OK)
            check(lh_dec_fits(r, p));
    }
}

static void fuzz_timestamp(const char *s, size_t n)
{
    lh_sqltype t, t2;
    int64_t us, us2;
    lh_zone z, z2;
    lh_err err;
    char b[600];
    if (lh_timestamp_literal(s, n, &t, &us, &z, &err) != LH_OK)
        return;
    if (t.id == LH_SQL_TIMESTAMP_TZ) {
        lh_tstz v = {us, z};
        lh_tstz_format(v, t.p, b, sizeof b);
    } else
        lh_timestamp_format(us, t.p, b, sizeof b);
    check(lh_timestamp_literal(b, strlen(b), &t2, &us2, &z2, &err) == LH_OK && lh_sqltype_equal(t, t2) && us == us2 &&
          z == z2);
}

static void fuzz_date(const char *s, size_t n)
{
    int32_t d, d2;
    lh_err err;
    char b[64];
    int p;
    int64_t us;
    if (lh_date_parse(s, n, LH_DT_CAST, &d, &err) == LH_OK) {
        lh_date_format(d, b, sizeof b);
        check(lh_date_parse(b, strlen(b), LH_DT_LITERAL, &d2, &err) == LH_OK && d == d2);
    }
    (void)lh_time_parse(s, n, LH_DT_LITERAL, &p, &us, &err);
}

static void fuzz_format(const char *s, size_t n)
{
    const char *bar = memchr(s, '|', n);
    size_t nf = bar ? (size_t)(bar - s) : n;
    lh_datefmt *f = NULL;
    lh_err err;
    char *out;
    size_t len;
    int64_t us;
    static const int64_t probes[] = {0, -1, 1655562600123456LL, -62135596800000000LL, 253402300799999999LL};
    size_t i;
    if (lh_datefmt_compile(s, nf, &f, &err) != LH_OK)
        return;
    out = malloc(lh_datefmt_max_len(f) + 1);
    check(out != NULL);
    for (i = 0; i < sizeof probes / sizeof probes[0]; i++) {
        check(lh_datefmt_format(f, probes[i], out, lh_datefmt_max_len(f) + 1, &len, &err) == LH_OK);
        check(len <= lh_datefmt_max_len(f) && out[len] == 0); /* a NUL in the format is a literal byte */
    }
    if (bar)
        (void)lh_datefmt_parse(f, bar + 1, n - nf - 1, &us, &err);
    free(out);
    lh_datefmt_free(f);
}

static void fuzz_interval(const char *s, size_t n)
{
    int64_t us;
    int32_t m;
    lh_err err;
    char b[64];
    unsigned char c;
    if (n < 1)
        return;
    c = (unsigned char)s[0];
    if (lh_interval_literal(s + 1, n - 1, c & 1, (lh_dt_field)((c >> 1) % 6), (lh_dt_field)((c >> 4) % 6), &us, &m,
                            &err) == LH_OK) {
        lh_interval_ds_format(us, b, sizeof b);
        lh_interval_ym_format(m, b, sizeof b);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data + 1;
    size_t n = size ? size - 1 : 0;
    if (size == 0)
        return 0;
    switch (data[0] % 7) {
    case 0:
        fuzz_type(s, n);
        break;
    case 1:
        fuzz_decimal(s, n);
        break;
    case 2:
        fuzz_cast(s, n);
        break;
    case 3:
        fuzz_timestamp(s, n);
        break;
    case 4:
        fuzz_date(s, n);
        break;
    case 5:
        fuzz_format(s, n);
        break;
    default:
        fuzz_interval(s, n);
        break;
    }
    return 0;
}
