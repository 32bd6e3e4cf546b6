/* exec/sqltype.c — Trino type descriptors: parse, print, map from Hive. */
#include "exec/sqltype.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

lh_sqltype lh_sqltype_of(lh_sqltype_id id)
{
    lh_sqltype t = {(uint8_t)id, 0, 0, 0, 0};
    switch (id) {
    case LH_SQL_DECIMAL:
        t.p = 38;
        break;
    case LH_SQL_VARCHAR:
        t.len = LH_SQL_UNBOUNDED;
        break;
    case LH_SQL_CHAR:
        t.len = 1;
        break;
    case LH_SQL_TIME:
    case LH_SQL_TIMESTAMP:
    case LH_SQL_TIMESTAMP_TZ:
        t.p = 3;
        break;
    default:
        break;
    }
    return t;
}

lh_sqltype lh_sqltype_decimal(int p, int s)
{
    lh_sqltype t = {LH_SQL_DECIMAL, (uint8_t)p, (uint8_t)s, 0, 0};
    return t;
}
lh_sqltype lh_sqltype_varchar(uint32_t len)
{
    lh_sqltype t = {LH_SQL_VARCHAR, 0, 0, 0, len};
    return t;
}
lh_sqltype lh_sqltype_char(uint32_t len)
{
    lh_sqltype t = {LH_SQL_CHAR, 0, 0, 0, len};
    return t;
}
lh_sqltype lh_sqltype_timestamp(int p)
{
    lh_sqltype t = {LH_SQL_TIMESTAMP, (uint8_t)p, 0, 0, 0};
    return t;
}
lh_sqltype lh_sqltype_timestamp_tz(int p)
{
    lh_sqltype t = {LH_SQL_TIMESTAMP_TZ, (uint8_t)p, 0, 0, 0};
    return t;
}
lh_sqltype lh_sqltype_time(int p)
{
    lh_sqltype t = {LH_SQL_TIME, (uint8_t)p, 0, 0, 0};
    return t;
}

int lh_sqltype_equal(lh_sqltype a, lh_sqltype b)
{
    return a.id == b.id && a.p == b.p && a.s == b.s && a.len == b.len;
}
int lh_sqltype_is_integer(lh_sqltype t)
{
    return t.id >= LH_SQL_TINYINT && t.id <= LH_SQL_BIGINT;
}
int lh_sqltype_is_exact(lh_sqltype t)
{
    return lh_sqltype_is_integer(t) || t.id == LH_SQL_DECIMAL;
}
int lh_sqltype_is_numeric(lh_sqltype t)
{
    return t.id >= LH_SQL_TINYINT && t.id <= LH_SQL_DECIMAL;
}
int lh_sqltype_is_string(lh_sqltype t)
{
    return t.id == LH_SQL_VARCHAR || t.id == LH_SQL_CHAR;
}
int lh_sqltype_is_datetime(lh_sqltype t)
{
    return t.id >= LH_SQL_DATE && t.id <= LH_SQL_TIMESTAMP_TZ;
}
int lh_sqltype_is_interval(lh_sqltype t)
{
    return t.id == LH_SQL_INTERVAL_DS || t.id == LH_SQL_INTERVAL_YM;
}
int lh_sqltype_int_bits(lh_sqltype t)
{
    switch (t.id) {
    case LH_SQL_TINYINT:
        return 8;
    case LH_SQL_SMALLINT:
        return 16;
    case LH_SQL_INTEGER:
        return 32;
    case LH_SQL_BIGINT:
        return 64;
    default:
        return 0;
    }
}

lh_rc lh_sqltype_check(lh_sqltype t, lh_err *err)
{
    switch (t.id) {
    case LH_SQL_DECIMAL:
        if (t.p < 1 || t.p > LH_DEC_MAX_PRECISION)
            return lh_errf(err, LH_EINVAL, "DECIMAL precision must be in range [1, 38]: %d", t.p);
        if (t.s > t.p)
            return lh_errf(err, LH_EINVAL, "DECIMAL scale must be in range [0, precision (%d)]: %d", t.p, t.s);
        return LH_OK;
    case LH_SQL_VARCHAR:
        if (t.len != LH_SQL_UNBOUNDED && t.len > LH_VARCHAR_MAX_LENGTH)
            return lh_errf(err, LH_EINVAL, "VARCHAR length must be in range [0, %u]: %u", LH_VARCHAR_MAX_LENGTH, t.len);
        return LH_OK;
    case LH_SQL_CHAR:
        if (t.len < 1 || t.len > LH_CHAR_MAX_LENGTH)
            return lh_errf(err, LH_EINVAL, "CHAR length must be in range [1, %u]: %u", LH_CHAR_MAX_LENGTH, t.len);
        return LH_OK;
    case LH_SQL_TIME:
    case LH_SQL_TIMESTAMP:
    case LH_SQL_TIMESTAMP_TZ: {
        const char *what = t.id == LH_SQL_TIME ? "TIME" : "TIMESTAMP";
        if (t.p > LH_TS_TRINO_MAX_PRECISION)
            return lh_errf(err, LH_EINVAL, "%s precision must be in range [0, 12]: %d", what, t.p);
        if (t.p > LH_TS_MAX_PRECISION) {
            char nb[LH_SQLTYPE_NAME_MAX];
            return lh_errf(err, LH_EUNSUPPORTED,
                           "%s: lakehouse stores times to the microsecond; precision 7 to 12 is not supported (use %s(6))",
                           lh_sqltype_name(t, nb, sizeof nb), t.id == LH_SQL_TIME ? "time" : "timestamp");
        }
        return LH_OK;
    }
    default:
        return t.id < LH_SQL_ID_COUNT ? LH_OK : lh_errf(err, LH_EINTERNAL, "bad type id %d", t.id);
    }
}

/* ---- parsing ---- */

typedef struct cur {
    const char *p, *end;
} cur;

static void skip_ws(cur *c)
{
    while (c->p < c->end && isspace((unsigned char)*c->p))
        c->p++;
}

/* Next word (letters, digits, _) if it equals w, case-insensitive. */
static int word(cur *c, const char *w)
{
    size_t n = strlen(w);
    const char *q;
    skip_ws(c);
    q = c->p;
    while (q < c->end && (isalnum((unsigned char)*q) || *q == '_'))
        q++;
    if ((size_t)(q - c->p) != n || strncasecmp(c->p, w, n) != 0)
        return 0;
    c->p = q;
    return 1;
}

static int punct(cur *c, char ch)
{
    skip_ws(c);
    if (c->p < c->end && *c->p == ch) {
        c->p++;
        return 1;
    }
    return 0;
}

/* Unsigned number; -1 if none, -2 if too large. */
static long long number(cur *c)
{
    long long v = 0;
    int any = 0;
    skip_ws(c);
    while (c->p < c->end && isdigit((unsigned char)*c->p)) {
        v = v * 10 + (*c->p - '0');
        if (v > 100000000000LL)
            return -2;
        any = 1;
        c->p++;
    }
    return any ? v : -1;
}

/* "(n)" or "(p,s)" after a name. Returns count of numbers read (0 if no parens), -1 on error. */
static int params(cur *c, long long *a, long long *b, int max)
{
    if (!punct(c, '('))
        return 0;
    *a = number(c);
    if (*a < 0)
        return -1;
    if (punct(c, ',')) {
        if (max < 2)
            return -1;
        *b = number(c);
        if (*b < 0 || !punct(c, ')'))
            return -1;
        return 2;
    }
    return punct(c, ')') ? 1 : -1;
}

lh_rc lh_sqltype_parse(const char *text, size_t n, lh_sqltype *out, lh_err *err)
{
    cur c = {text, text + n};
    long long a = 0, b = 0;
    int np;
    lh_sqltype t;
    const char *start;
    skip_ws(&c);
    start = c.p;
    {
        const char *e = c.end;
        while (e > c.p && isspace((unsigned char)e[-1]))
            e--;
        c.end = e;
    }
#define UNKNOWN_TYPE() lh_errf(err, LH_EPARSE, "Unknown type: %.*s", (int)(c.end - start), start)
    if (word(&c, "boolean"))
        t = lh_sqltype_of(LH_SQL_BOOLEAN);
    else if (word(&c, "tinyint"))
        t = lh_sqltype_of(LH_SQL_TINYINT);
    else if (word(&c, "smallint"))
        t = lh_sqltype_of(LH_SQL_SMALLINT);
    else if (word(&c, "integer") || word(&c, "int"))
        t = lh_sqltype_of(LH_SQL_INTEGER);
    else if (word(&c, "bigint"))
        t = lh_sqltype_of(LH_SQL_BIGINT);
    else if (word(&c, "real"))
        t = lh_sqltype_of(LH_SQL_REAL);
    else if (word(&c, "double")) {
        t = lh_sqltype_of(LH_SQL_DOUBLE);
        (void)word(&c, "precision");
    } else if (word(&c, "decimal") || word(&c, "dec") || word(&c, "numeric")) {
        np = params(&c, &a, &b, 2);
        if (np < 0)
            return UNKNOWN_TYPE();
        t = np == 0 ? lh_sqltype_decimal(38, 0) : lh_sqltype_decimal(0, 0);
        if (np >= 1) {
            if (a < 1 || a > 38)
                return lh_errf(err, LH_EINVAL, "DECIMAL precision must be in range [1, 38]: %lld", a);
            t.p = (uint8_t)a;
        }
        if (np == 2) {
            if (b > a)
                return lh_errf(err, LH_EINVAL, "DECIMAL scale must be in range [0, precision (%lld)]: %lld", a, b);
            t.s = (uint8_t)b;
        }
    } else if (word(&c, "varchar")) {
        np = params(&c, &a, &b, 1);
        if (np < 0)
            return UNKNOWN_TYPE();
        if (np == 1 && (a < 0 || a > (long long)LH_VARCHAR_MAX_LENGTH))
            return lh_errf(err, LH_EINVAL, "VARCHAR length must be in range [0, %u]: %lld", LH_VARCHAR_MAX_LENGTH, a);
        t = lh_sqltype_varchar(np == 1 ? (uint32_t)a : LH_SQL_UNBOUNDED);
    } else if (word(&c, "char")) {
        np = params(&c, &a, &b, 1);
        if (np < 0)
            return UNKNOWN_TYPE();
        if (np == 1 && (a < 1 || a > (long long)LH_CHAR_MAX_LENGTH))
            return lh_errf(err, LH_EINVAL, "CHAR length must be in range [1, %u]: %lld", LH_CHAR_MAX_LENGTH, a);
        t = lh_sqltype_char(np == 1 ? (uint32_t)a : 1);
    } else if (word(&c, "varbinary"))
        t = lh_sqltype_of(LH_SQL_VARBINARY);
    else if (word(&c, "date"))
        t = lh_sqltype_of(LH_SQL_DATE);
    else if (word(&c, "time") || word(&c, "timestamp")) {
        int is_ts = (c.p - start) > 4;
        np = params(&c, &a, &b, 1);
        if (np < 0)
            return UNKNOWN_TYPE();
        if (np == 1 && a > 12)
            return lh_errf(err, LH_EINVAL, "%s precision must be in range [0, 12]: %lld", is_ts ? "TIMESTAMP" : "TIME", a);
        t = is_ts ? lh_sqltype_timestamp(np ? (int)a : 3) : lh_sqltype_time(np ? (int)a : 3);
        if (word(&c, "with")) {
            if (!word(&c, "time") || !word(&c, "zone"))
                return UNKNOWN_TYPE();
            if (!is_ts)
                return lh_errf(err, LH_EUNSUPPORTED, "time with time zone is not supported; use timestamp with time zone");
            t.id = LH_SQL_TIMESTAMP_TZ;
        } else if (word(&c, "without")) {
            if (!word(&c, "time") || !word(&c, "zone"))
                return UNKNOWN_TYPE();
        }
    } else if (word(&c, "interval")) {
        if (word(&c, "day")) {
            if (!word(&c, "to") || !word(&c, "second"))
                return UNKNOWN_TYPE();
            t = lh_sqltype_of(LH_SQL_INTERVAL_DS);
        } else if (word(&c, "year")) {
            if (!word(&c, "to") || !word(&c, "month"))
                return UNKNOWN_TYPE();
            t = lh_sqltype_of(LH_SQL_INTERVAL_YM);
        } else
            return UNKNOWN_TYPE();
    } else if (word(&c, "unknown"))
        t = lh_sqltype_of(LH_SQL_UNKNOWN);
    else if (word(&c, "array") || word(&c, "map") || word(&c, "row") || word(&c, "json"))
        return lh_errf(err, LH_EUNSUPPORTED, "type %.*s is not supported yet (nested types come later)",
                       (int)(c.end - start), start);
    else
        return UNKNOWN_TYPE();
    skip_ws(&c);
    if (c.p != c.end)
        return UNKNOWN_TYPE();
#undef UNKNOWN_TYPE
    {
        lh_rc rc = lh_sqltype_check(t, err);
        if (rc)
            return rc;
    }
    *out = t;
    return LH_OK;
}

/* ---- printing ---- */

static const char *g_names[LH_SQL_ID_COUNT] = {
    [LH_SQL_UNKNOWN] = "unknown",     [LH_SQL_BOOLEAN] = "boolean",   [LH_SQL_TINYINT] = "tinyint",
    [LH_SQL_SMALLINT] = "smallint",   [LH_SQL_INTEGER] = "integer",   [LH_SQL_BIGINT] = "bigint",
    [LH_SQL_REAL] = "real",           [LH_SQL_DOUBLE] = "double",     [LH_SQL_DECIMAL] = "decimal",
    [LH_SQL_VARCHAR] = "varchar",     [LH_SQL_CHAR] = "char",         [LH_SQL_VARBINARY] = "varbinary",
    [LH_SQL_DATE] = "date",           [LH_SQL_TIME] = "time",         [LH_SQL_TIMESTAMP] = "timestamp",
    [LH_SQL_TIMESTAMP_TZ] = "timestamp", [LH_SQL_INTERVAL_DS] = "interval day to second",
    [LH_SQL_INTERVAL_YM] = "interval year to month",
};

const char *lh_sqltype_name(lh_sqltype t, char *buf, size_t bufsz)
{
    const char *n = t.id < LH_SQL_ID_COUNT ? g_names[t.id] : "?";
    if (!buf || bufsz == 0)
        return "";
    switch (t.id) {
    case LH_SQL_DECIMAL:
        snprintf(buf, bufsz, "decimal(%d,%d)", t.p, t.s);
        break;
    case LH_SQL_VARCHAR:
        if (t.len == LH_SQL_UNBOUNDED)
            snprintf(buf, bufsz, "varchar");
        else
            snprintf(buf, bufsz, "varchar(%u)", t.len);
        break;
    case LH_SQL_CHAR:
        snprintf(buf, bufsz, "char(%u)", t.len);
        break;
    case LH_SQL_TIME:
    case LH_SQL_TIMESTAMP:
        snprintf(buf, bufsz, "%s(%d)", n, t.p);
        break;
    case LH_SQL_TIMESTAMP_TZ:
        snprintf(buf, bufsz, "timestamp(%d) with time zone", t.p);
        break;
    default:
        snprintf(buf, bufsz, "%s", n);
        break;
    }
    return buf;
}

const char *lh_sqltype_cast_name(lh_sqltype t, char *buf, size_t bufsz)
{
    size_t i;
    if (!buf || bufsz == 0)
        return "";
    if (t.id == LH_SQL_DECIMAL)
        snprintf(buf, bufsz, "DECIMAL(%d, %d)", t.p, t.s);
    else if (t.id == LH_SQL_VARCHAR || t.id == LH_SQL_CHAR)
        snprintf(buf, bufsz, "%s", t.id == LH_SQL_VARCHAR ? "VARCHAR" : "CHAR");
    else if (t.id == LH_SQL_TIMESTAMP || t.id == LH_SQL_TIMESTAMP_TZ || t.id == LH_SQL_TIME)
        snprintf(buf, bufsz, "%s", t.id == LH_SQL_TIME ? "TIME" : t.id == LH_SQL_TIMESTAMP ? "TIMESTAMP"
                                                                                          : "TIMESTAMP WITH TIME ZONE");
    else
        (void)lh_sqltype_name(t, buf, bufsz);
    for (i = 0; buf[i]; i++)
        buf[i] = (char)toupper((unsigned char)buf[i]);
    return buf;
}

/* ---- Hive ---- */

lh_rc lh_sqltype_from_hive(const lh_type *h, lh_sqltype *out, lh_err *err)
{
    switch (h->kind) {
    case LH_T_STRING:
        *out = lh_sqltype_varchar(LH_SQL_UNBOUNDED);
        return LH_OK;
    case LH_T_VARCHAR:
        *out = lh_sqltype_varchar(h->p > 0 ? (uint32_t)h->p : LH_SQL_UNBOUNDED);
        return LH_OK;
    case LH_T_CHAR:
        *out = lh_sqltype_char(h->p > 0 ? (uint32_t)h->p : 1);
        return lh_sqltype_check(*out, err);
    case LH_T_TINYINT:
        *out = lh_sqltype_of(LH_SQL_TINYINT);
        return LH_OK;
    case LH_T_SMALLINT:
        *out = lh_sqltype_of(LH_SQL_SMALLINT);
        return LH_OK;
    case LH_T_INT:
        *out = lh_sqltype_of(LH_SQL_INTEGER);
        return LH_OK;
    case LH_T_BIGINT:
        *out = lh_sqltype_of(LH_SQL_BIGINT);
        return LH_OK;
    case LH_T_FLOAT:
        *out = lh_sqltype_of(LH_SQL_REAL);
        return LH_OK;
    case LH_T_DOUBLE:
        *out = lh_sqltype_of(LH_SQL_DOUBLE);
        return LH_OK;
    case LH_T_BOOLEAN:
        *out = lh_sqltype_of(LH_SQL_BOOLEAN);
        return LH_OK;
    case LH_T_DATE:
        *out = lh_sqltype_of(LH_SQL_DATE);
        return LH_OK;
    case LH_T_TIMESTAMP:
        *out = lh_sqltype_timestamp(3); /* Athena reads Hive timestamps as timestamp(3) */
        return LH_OK;
    case LH_T_DECIMAL:
        *out = lh_sqltype_decimal(h->p, h->s);
        return lh_sqltype_check(*out, err);
    }
    return lh_errf(err, LH_EINTERNAL, "unknown Hive type kind %d", (int)h->kind);
}

lh_rc lh_sqltype_from_hive_name(const char *text, size_t n, lh_sqltype *out, lh_err *err)
{
    lh_type h;
    lh_rc rc;
    const char *p = text, *e = text + n;
    while (p < e && isspace((unsigned char)*p))
        p++;
    while (e > p && isspace((unsigned char)e[-1]))
        e--;
    if (e - p == 6 && strncasecmp(p, "binary", 6) == 0) {
        *out = lh_sqltype_of(LH_SQL_VARBINARY);
        return LH_OK;
    }
    rc = lh_type_parse(text, n, &h, err);
    if (rc)
        return rc;
    return lh_sqltype_from_hive(&h, out, err);
}
