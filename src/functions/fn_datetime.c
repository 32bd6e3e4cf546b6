/* functions/fn_datetime.c — Trino's date and time functions (functions/
 * datetime.md) as vectorized loops over exec/datetime.h, exec/datefmt.c and
 * exec/tz.h; the internal $ operators are in fn_datetime2.c.
 *
 * Every function here returns NULL on a NULL argument.  A constant unit
 * (date_trunc, date_add, date_diff), format (date_format, date_parse) or
 * zone (from_unixtime) is parsed once in init, so a bad one fails the query
 * before any row; a non-constant one is parsed per distinct value (the
 * last one is cached in the state).  The state is the only allocation: in
 * init, and for a non-constant format when its value changes.
 *
 * Trino details kept: unit errors "'hour' is not a valid DATE field" /
 * "TIME field" / "Timestamp field" with the unit lower-cased; date_add's
 * value must fit an int ("integer overflow") except for time, which takes
 * value % (units per day) and wraps; date_add on timestamp(p <= 3)
 * rounds to p digits; date_diff on timestamp(p > 3) with time zone uses UTC
 * fields (Trino's LongTimestampWithTimeZone path), on p <= 3 the first
 * argument's zone; fields of a timestamp with time zone are in its own
 * zone; interval fields use Java's truncating / and %.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "functions/fn_datetime_int.h"
#include "util/mem.h"
#include "util/types.h"

/* ---- state: unit, format, zone ---- */

typedef struct dt_state {
    int all_null; /* a constant NULL unit/format/zone */
    /* unit */
    int unit_const;
    lh_dt_unit unit;
    int ulast_ok;
    uint32_t ulast_n;
    char ulast[16];
    lh_dt_unit ulast_unit;
    /* format */
    lh_datefmt *fmt; /* the constant one, or the last one compiled */
    int fmt_const;
    char *flast;     /* text of the cached non-constant format */
    size_t flast_n;
    char *buf;       /* date_format output */
    size_t bufcap;
    /* zone */
    dtf_zone_cache zc;
} dt_state;

static lh_rc nomem(lh_err *err) { return lh_errf(err, LH_ENOMEM, "out of memory in a date/time function"); }

static lh_rc no_state(lh_err *err) { return lh_errf(err, LH_EINTERNAL, "date/time function evaluated before init"); }

static void st_done(lh_fn_call *c)
{
    dt_state *st = c->state;
    if (!st)
        return;
    lh_datefmt_free(st->fmt);
    lh_free(st->flast);
    lh_free(st->buf);
    lh_free(st);
    c->state = NULL;
}

static lh_rc st_new(lh_fn_call *c, dt_state **out, lh_err *err)
{
    dt_state *st = lh_calloc(1, sizeof *st);
    if (!st)
        return nomem(err);
    c->state = st;
    *out = st;
    return LH_OK;
}

/* init failed: nothing stays allocated, whether or not done is called */
static lh_rc st_fail(lh_fn_call *c, lh_rc rc)
{
    st_done(c);
    return rc;
}

static lh_sqltype_id unit_kind(uint8_t id)
{
    return id == LH_SQL_DATE ? LH_SQL_DATE : id == LH_SQL_TIME ? LH_SQL_TIME : LH_SQL_TIMESTAMP;
}

/* Trino's getDateField / TimeField.match / getTimestampField, with their
 * wording ("DATE", "TIME", "Timestamp"; the unit lower-cased). */
static lh_rc unit_parse(const char *s, size_t n, lh_sqltype_id kind, lh_dt_unit *u, lh_err *err)
{
    char low[128];
    size_t k, m = n < sizeof low ? n : sizeof low;
    if (lh_dt_unit_parse(s, n, kind, u, NULL) == LH_OK)
        return LH_OK;
    for (k = 0; k < m; k++)
        low[k] = (char)tolower((unsigned char)s[k]);
    return lh_errf(err, LH_EDATA, "'%.*s' is not a valid %s field", (int)m, low,
                   kind == LH_SQL_DATE ? "DATE" : kind == LH_SQL_TIME ? "TIME" : "Timestamp");
}

static inline lh_rc unit_at(dt_state *st, const lh_str *s, lh_sqltype_id kind, lh_dt_unit *u, lh_err *err)
{
    uint32_t n;
    lh_rc rc;
    if (st->unit_const) {
        *u = st->unit;
        return LH_OK;
    }
    n = lh_str_len(s);
    if (st->ulast_ok && n == st->ulast_n && memcmp(lh_str_ptr(s), st->ulast, n) == 0) {
        *u = st->ulast_unit;
        return LH_OK;
    }
    if ((rc = unit_parse(lh_str_ptr(s), n, kind, u, err)) != LH_OK)
        return rc;
    if (n <= sizeof st->ulast) {
        memcpy(st->ulast, lh_str_ptr(s), n);
        st->ulast_n = n;
        st->ulast_unit = *u;
        st->ulast_ok = 1;
    }
    return LH_OK;
}

/* date_trunc / date_add / date_diff: argument 0 is the unit; the kind of
 * unit follows the last argument's type. */
static lh_rc init_unit(lh_fn_call *c, lh_vector *const *ca, lh_err *err)
{
    dt_state *st = NULL;
    lh_rc rc = st_new(c, &st, err);
    if (rc)
        return rc;
    if (ca && ca[0]) {
        lh_str s;
        if (!lh_vector_get_valid(ca[0], 0)) {
            st->all_null = 1;
            return LH_OK;
        }
        s = lh_vector_get_str(ca[0], 0);
        if ((rc = unit_parse(lh_str_ptr(&s), lh_str_len(&s), unit_kind(c->arg_types[c->nargs - 1].id), &st->unit,
                             err)))
            return st_fail(c, rc);
        st->unit_const = 1;
    }
    return LH_OK;
}

static lh_rc buf_fit(dt_state *st, size_t need, lh_err *err)
{
    char *b;
    if (st->bufcap >= need)
        return LH_OK;
    if (!(b = lh_malloc(need)))
        return nomem(err);
    lh_free(st->buf);
    st->buf = b;
    st->bufcap = need;
    return LH_OK;
}

/* The format of a row: the constant one, or compiled when the text changes. */
static lh_rc fmt_at(dt_state *st, const lh_str *s, int with_buf, const lh_datefmt **out, lh_err *err)
{
    uint32_t n;
    lh_datefmt *f;
    char *copy;
    lh_rc rc;
    if (st->fmt_const) {
        *out = st->fmt;
        return LH_OK;
    }
    n = lh_str_len(s);
    if (st->fmt && n == st->flast_n && memcmp(lh_str_ptr(s), st->flast, n) == 0) {
        *out = st->fmt;
        return LH_OK;
    }
    if ((rc = lh_datefmt_compile(lh_str_ptr(s), n, &f, err)))
        return rc;
    if (!(copy = lh_malloc(n + 1u)) || (with_buf && buf_fit(st, lh_datefmt_max_len(f) + 1, err))) {
        lh_free(copy);
        lh_datefmt_free(f);
        return nomem(err);
    }
    memcpy(copy, lh_str_ptr(s), n);
    lh_datefmt_free(st->fmt);
    lh_free(st->flast);
    st->fmt = f;
    st->flast = copy;
    st->flast_n = n;
    *out = f;
    return LH_OK;
}

/* date_format(x, fmt) / date_parse(s, fmt): argument 1 is the format. */
static lh_rc init_fmt(lh_fn_call *c, lh_vector *const *ca, lh_err *err)
{
    dt_state *st = NULL;
    lh_rc rc = st_new(c, &st, err);
    if (rc)
        return rc;
    if (ca && ca[1]) {
        lh_str s;
        if (!lh_vector_get_valid(ca[1], 0)) {
            st->all_null = 1;
            return LH_OK;
        }
        s = lh_vector_get_str(ca[1], 0);
        if ((rc = lh_datefmt_compile(lh_str_ptr(&s), lh_str_len(&s), &st->fmt, err)))
            return st_fail(c, rc);
        if (c->ret.id == LH_SQL_VARCHAR && (rc = buf_fit(st, lh_datefmt_max_len(st->fmt) + 1, err)))
            return st_fail(c, rc);
        st->fmt_const = 1;
    }
    return LH_OK;
}

static lh_rc init_state(lh_fn_call *c, lh_vector *const *ca, lh_err *err)
{
    dt_state *st = NULL;
    (void)ca;
    return st_new(c, &st, err);
}

/* from_unixtime(x, zone): argument 1 is the zone. */
static lh_rc init_zone1(lh_fn_call *c, lh_vector *const *ca, lh_err *err)
{
    dt_state *st = NULL;
    lh_rc rc = st_new(c, &st, err);
    if (rc)
        return rc;
    if ((rc = dtf_zone_init(&st->zc, ca, 1, err)))
        return st_fail(c, rc);
    st->all_null = st->zc.all_null;
    return LH_OK;
}

/* ---- typed access ---- */

#define ARG(T, v) ((const T *)(v)->data)
#define STR_AT(v, i) (&((const lh_str *)(v)->data)[(i) & dtf_mask(v)])

static inline int64_t fmod64(int64_t a, int64_t b)
{
    int64_t r = a % b;
    return r < 0 ? r + b : r;
}

static int64_t zone_session(const lh_fn_call *c) { return c->env ? c->env->session_zone : LH_ZONE_UTC; }

/* ---- date_trunc, date_add, date_diff ---- */

static lh_rc eval_date_trunc(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err)
{
    dt_state *st = c->state;
    lh_vector *uv = args[0], *x = args[1];
    uint32_t xm = dtf_mask(x);
    lh_sqltype_id kind = unit_kind(x->type.id);
    lh_dt_unit u;
    lh_rc rc;
    if (!st)
        return no_state(err);
    if (st->all_null) {
        dtf_all_null(out, rows);
        return LH_OK;
    }
    dtf_merge_valid(out, rows, uv, x, NULL);
    switch (x->type.id) {
    case LH_SQL_DATE: {
        const int32_t *X = ARG(int32_t, x);
        int32_t *O = out->data;
        DTF_FOR_LIVE(rows, out, i, {
            if ((rc = unit_at(st, STR_AT(uv, i), kind, &u, err)))
                return rc;
            O[i] = lh_date_trunc(u, X[i & xm]);
        });
        return LH_OK;
    }
    case LH_SQL_TIME:
    case LH_SQL_TIMESTAMP: {
        const int64_t *X = ARG(int64_t, x);
        int64_t *O = out->data;
        DTF_FOR_LIVE(rows, out, i, {
            if ((rc = unit_at(st, STR_AT(uv, i), kind, &u, err)))
                return rc;
            O[i] = lh_ts_trunc(u, X[i & xm]);
        });
        return LH_OK;
    }
    case LH_SQL_TIMESTAMP_TZ: {
        const lh_tstz *X = ARG(lh_tstz, x);
        lh_tstz *O = out->data;
        DTF_FOR_LIVE(rows, out, i, {
            if ((rc = unit_at(st, STR_AT(uv, i), kind, &u, err)))
                return rc;
            O[i] = lh_tstz_trunc(u, X[i & xm]);
            if (u >= LH_U_DAY) {
                /* Joda's roundFloor: convertLocalToUTC(local, false, original) keeps
                 * the original offset when it is valid at the truncated wall time
                 * (a midnight that happens twice resolves to the input's side) */
                lh_tstz in = X[i & xm], keep;
                int64_t local = lh_tstz_local_us(O[i]);
                keep.zone = in.zone;
                keep.utc_us = local - (lh_tstz_local_us(in) - in.utc_us);
                if (keep.utc_us != O[i].utc_us && lh_tstz_local_us(keep) == local)
                    O[i] = keep;
            }
        });
        return LH_OK;
    }
    }
    return lh_errf(err, LH_EINTERNAL, "date_trunc: no loop for type %d", x->type.id);
}

static const int64_t g_time_unit_us[] = {LH_US_PER_MS, LH_US_PER_SEC, LH_US_PER_MIN, LH_US_PER_HOUR};

static lh_rc eval_date_add(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err)
{
    dt_state *st = c->state;
    lh_vector *uv = args[0], *nv = args[1], *x = args[2];
    uint32_t xm = dtf_mask(x), nm = dtf_mask(nv);
    const int64_t *N = ARG(int64_t, nv);
    lh_sqltype_id kind = unit_kind(x->type.id);
    int p = x->type.p;
    lh_dt_unit u;
    lh_rc rc;
    if (!st)
        return no_state(err);
    if (st->all_null) {
        dtf_all_null(out, rows);
        return LH_OK;
    }
    dtf_merge_valid(out, rows, uv, nv, x);
#define VALUE_AT(i, n)                                                                                                \
    int64_t n = N[(i) & nm];                                                                                          \
    if ((rc = unit_at(st, STR_AT(uv, i), kind, &u, err)))                                                             \
        return rc;                                                                                                    \
    if (n > INT32_MAX || n < INT32_MIN) /* Trino: toIntExact(value) */                                                \
        return lh_errf(err, LH_EDATA, "integer overflow");
    switch (x->type.id) {
    case LH_SQL_DATE: {
        const int32_t *X = ARG(int32_t, x);
        int32_t *O = out->data;
        DTF_FOR_LIVE(rows, out, i, {
            VALUE_AT(i, n)
            if ((rc = lh_date_add(u, n, X[i & xm], &O[i], err)))
                return rc;
        });
        return LH_OK;
    }
    case LH_SQL_TIME: {
        const int64_t *X = ARG(int64_t, x);
        int64_t *O = out->data;
        DTF_FOR_LIVE(rows, out, i, {
            /* Trino's time date_add takes any bigint: value % (units per day) */
            int64_t n = N[i & nm];
            if ((rc = unit_at(st, STR_AT(uv, i), kind, &u, err)))
                return rc;
            O[i] = lh_time_plus_ds(X[i & xm], n % (LH_US_PER_DAY / g_time_unit_us[u]) * g_time_unit_us[u]);
            if (p < 3)
                O[i] = fmod64(lh_ts_round(O[i], p), LH_US_PER_DAY);
        });
        return LH_OK;
    }
    case LH_SQL_TIMESTAMP: {
        const int64_t *X = ARG(int64_t, x);
        int64_t *O = out->data;
        DTF_FOR_LIVE(rows, out, i, {
            VALUE_AT(i, n)
            if ((rc = lh_ts_add(u, n, X[i & xm], &O[i], err)))
                return rc;
            if (p < 3)
                O[i] = lh_ts_round(O[i], p);
        });
        return LH_OK;
    }
    case LH_SQL_TIMESTAMP_TZ: {
        const lh_tstz *X = ARG(lh_tstz, x);
        lh_tstz *O = out->data;
        DTF_FOR_LIVE(rows, out, i, {
            VALUE_AT(i, n)
            if ((rc = lh_tstz_add(u, n, X[i & xm], &O[i], err)))
                return rc;
            if (p < 3)
                O[i].utc_us = lh_ts_round(O[i].utc_us, p);
        });
        return LH_OK;
    }
    }
#undef VALUE_AT
    return lh_errf(err, LH_EINTERNAL, "date_add: no loop for type %d", x->type.id);
}

static lh_rc eval_date_diff(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err)
{
    dt_state *st = c->state;
    lh_vector *uv = args[0], *a = args[1], *b = args[2];
    uint32_t am = dtf_mask(a), bm = dtf_mask(b);
    lh_sqltype_id kind = unit_kind(a->type.id);
    int64_t *O = out->data;
    lh_dt_unit u;
    lh_rc rc;
    if (!st)
        return no_state(err);
    if (st->all_null) {
        dtf_all_null(out, rows);
        return LH_OK;
    }
    dtf_merge_valid(out, rows, uv, a, b);
    switch (a->type.id) {
    case LH_SQL_DATE: {
        const int32_t *A = ARG(int32_t, a), *B = ARG(int32_t, b);
        DTF_FOR_LIVE(rows, out, i, {
            if ((rc = unit_at(st, STR_AT(uv, i), kind, &u, err)))
                return rc;
            O[i] = lh_date_diff(u, A[i & am], B[i & bm]);
        });
        return LH_OK;
    }
    case LH_SQL_TIME: { /* Trino: (time2 - time1) / unit, truncated */
        const int64_t *A = ARG(int64_t, a), *B = ARG(int64_t, b);
        DTF_FOR_LIVE(rows, out, i, {
            if ((rc = unit_at(st, STR_AT(uv, i), kind, &u, err)))
                return rc;
            O[i] = (B[i & bm] - A[i & am]) / g_time_unit_us[u];
        });
        return LH_OK;
    }
    case LH_SQL_TIMESTAMP: {
        const int64_t *A = ARG(int64_t, a), *B = ARG(int64_t, b);
        DTF_FOR_LIVE(rows, out, i, {
            if ((rc = unit_at(st, STR_AT(uv, i), kind, &u, err)))
                return rc;
            O[i] = lh_ts_diff(u, A[i & am], B[i & bm]);
        });
        return LH_OK;
    }
    case LH_SQL_TIMESTAMP_TZ: {
        const lh_tstz *A = ARG(lh_tstz, a), *B = ARG(lh_tstz, b);
        int utc = a->type.p > 3 || b->type.p > 3;
        DTF_FOR_LIVE(rows, out, i, {
            lh_tstz x = A[i & am], y = B[i & bm];
            if ((rc = unit_at(st, STR_AT(uv, i), kind, &u, err)))
                return rc;
            if (utc) {
                O[i] = lh_ts_diff(u, x.utc_us, y.utc_us);
            } else {
                y.zone = x.zone; /* both in the first argument's chronology */
                O[i] = lh_tstz_diff(u, x, y);
            }
        });
        return LH_OK;
    }
    }
    return lh_errf(err, LH_EINTERNAL, "date_diff: no loop for type %d", a->type.id);
}

/* ---- date_format, date_parse ---- */

static lh_rc eval_date_format(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err)
{
    dt_state *st = c->state;
    lh_vector *x = args[0], *fv = args[1];
    uint32_t xm = dtf_mask(x);
    int tz = x->type.id == LH_SQL_TIMESTAMP_TZ;
    const lh_datefmt *f;
    size_t len;
    lh_rc rc;
    if (!st)
        return no_state(err);
    if (st->all_null) {
        dtf_all_null(out, rows);
        return LH_OK;
    }
    dtf_merge_valid(out, rows, x, fv, NULL);
    DTF_FOR_LIVE(rows, out, i, {
        int64_t local = tz ? lh_tstz_local_us(ARG(lh_tstz, x)[i & xm]) : ARG(int64_t, x)[i & xm];
        if ((rc = fmt_at(st, STR_AT(fv, i), 1, &f, err)) ||
            (rc = lh_datefmt_format(f, local, st->buf, st->bufcap, &len, err)) ||
            (rc = lh_vector_set_str(out, i, st->buf, len, c->arena, err)))
            return rc;
    });
    return LH_OK;
}

static lh_rc eval_date_parse(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err)
{
    dt_state *st = c->state;
    lh_vector *s = args[0], *fv = args[1];
    int64_t *O = out->data;
    const lh_datefmt *f;
    lh_rc rc;
    if (!st)
        return no_state(err);
    if (st->all_null) {
        dtf_all_null(out, rows);
        return LH_OK;
    }
    dtf_merge_valid(out, rows, s, fv, NULL);
    DTF_FOR_LIVE(rows, out, i, {
        const lh_str *v = STR_AT(s, i);
        if ((rc = fmt_at(st, STR_AT(fv, i), 0, &f, err)) ||
            (rc = lh_datefmt_parse(f, lh_str_ptr(v), lh_str_len(v), &O[i], err)))
            return rc;
    });
    return LH_OK;
}

/* ---- date(x), from_unixtime, to_unixtime, now, current_timezone ---- */

static lh_rc eval_date(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err)
{
    lh_vector *x = args[0];
    uint32_t xm = dtf_mask(x);
    int32_t *O = out->data;
    lh_rc rc;
    (void)c;
    dtf_merge_valid(out, rows, x, NULL, NULL);
    switch (x->type.id) {
    case LH_SQL_VARCHAR:
        DTF_FOR_LIVE(rows, out, i, {
            const lh_str *v = STR_AT(x, i);
            if ((rc = lh_date_parse(lh_str_ptr(v), lh_str_len(v), LH_DT_CAST, &O[i], err)))
                return rc;
        });
        return LH_OK;
    case LH_SQL_TIMESTAMP: {
        const int64_t *X = ARG(int64_t, x);
        DTF_FOR_LIVE(rows, out, i, { O[i] = lh_ts_to_date(X[i & xm]); });
        return LH_OK;
    }
    case LH_SQL_TIMESTAMP_TZ: {
        const lh_tstz *X = ARG(lh_tstz, x);
        DTF_FOR_LIVE(rows, out, i, { O[i] = lh_ts_to_date(lh_tstz_local_us(X[i & xm])); });
        return LH_OK;
    }
    }
    return lh_errf(err, LH_EINTERNAL, "date: no loop for type %d", x->type.id);
}

static lh_rc eval_from_unixtime(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err)
{
    dt_state *st = c->state;
    lh_vector *x = args[0];
    const double *X = ARG(double, x);
    uint32_t xm = dtf_mask(x);
    lh_tstz *O = out->data;
    lh_zone z = (lh_zone)zone_session(c);
    lh_rc rc;
    if (c->nargs == 2) {
        if (!st)
            return no_state(err);
        if (st->all_null) {
            dtf_all_null(out, rows);
            return LH_OK;
        }
    }
    dtf_merge_valid(out, rows, x, c->nargs > 1 ? args[1] : NULL, c->nargs > 2 ? args[2] : NULL);
    DTF_FOR_LIVE(rows, out, i, {
        if ((rc = lh_from_unixtime(X[i & xm], &O[i], err)))
            return rc;
        if (c->nargs == 2) {
            if ((rc = dtf_zone_of(&st->zc, STR_AT(args[1], i), &z, err)))
                return rc;
        } else if (c->nargs == 3) {
            /* Trino: getTimeZoneKeyForOffset(toIntExact(hours * 60 + minutes)) */
            int64_t h = ARG(int64_t, args[1])[i & dtf_mask(args[1])], m = ARG(int64_t, args[2])[i & dtf_mask(args[2])];
            int64_t off;
            if (__builtin_mul_overflow(h, 60, &off) || __builtin_add_overflow(off, m, &off) || off > INT32_MAX ||
                off < INT32_MIN)
                return lh_errf(err, LH_EDATA, "integer overflow");
            if (off < -14 * 60 || off > 14 * 60)
                return lh_errf(err, LH_EDATA, "Invalid offset minutes %lld", (long long)off);
            z = off == 0 ? LH_ZONE_UTC : LH_ZONE_FIXED((int)off);
        }
        O[i].zone = z;
    });
    return LH_OK;
}

static lh_rc eval_to_unixtime(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err)
{
    lh_vector *x = args[0];
    const lh_tstz *X = ARG(lh_tstz, x);
    uint32_t xm = dtf_mask(x);
    double *O = out->data;
    (void)c;
    (void)err;
    dtf_merge_valid(out, rows, x, NULL, NULL);
    DTF_FOR_LIVE(rows, out, i, { O[i] = lh_to_unixtime(X[i & xm].utc_us); });
    return LH_OK;
}

static lh_rc eval_now(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err)
{
    lh_tstz *O = out->data, t;
    (void)args;
    (void)err;
    t.utc_us = lh_ts_round(c->env ? c->env->now_us : 0, c->ret.p);
    t.zone = (lh_zone)zone_session(c);
    dtf_merge_valid(out, rows, NULL, NULL, NULL);
    DTF_FOR_LIVE(rows, out, i, { O[i] = t; });
    return LH_OK;
}

static lh_rc eval_current_timezone(lh_fn_call *c, lh_vector **args, lh_vector *out, lh_rows rows, lh_err *err)
{
    char name[LH_ZONE_NAME_MAX];
    size_t n;
    lh_rc rc;
    (void)args;
    lh_zone_name((lh_zone)zone_session(c), name, sizeof name);
    n = strlen(name);
    dtf_merge_valid(out, rows, NULL, NULL, NULL);
    DTF_FOR_LIVE(rows, out, i, {
        if ((rc = lh_vector_set_str(out, i, name, n, c->arena, err)))
            return rc;
    });
    return LH_OK;
}

/* ---- fields: year(x) ... millisecond(x), EXTRACT ---- */

typedef enum dt_fld {
    FLD_YEAR,
    FLD_QUARTER,
    FLD_MONTH,
    FLD_WEEK,
    FLD_YOW,
    FLD_DAY,
    FLD_DOW,
    FLD_DOY,
    FLD_HOUR,
    FLD_MINUTE,
    FLD_SECOND,
    FLD_MILLI,
    FLD_TZ_HOUR,
    FLD_TZ_MINUTE
} dt_fld;

/* A field of a wall-clock value (micros since the epoch, or of a day for
 * time).  Time-of-day fields and the day of the week are arithmetic; the
 * civil fields take one lh_civil_from_days; only the ISO week fields need
 * lh_dt_fields_of's whole record. */
static inline int64_t wall_field(dt_fld f, int64_t us)
{
    lh_dt_fields d;
    int64_t days, y;
    unsigned m, dd;
    switch (f) {
    case FLD_HOUR:
        return fmod64(us, LH_US_PER_DAY) / LH_US_PER_HOUR;
    case FLD_MINUTE:
        return fmod64(us, LH_US_PER_HOUR) / LH_US_PER_MIN;
    case FLD_SECOND:
        return fmod64(us, LH_US_PER_MIN) / LH_US_PER_SEC;
    case FLD_MILLI:
        return fmod64(us, LH_US_PER_SEC) / LH_US_PER_MS;
    case FLD_WEEK:
    case FLD_YOW:
        lh_dt_fields_of(us, &d);
        return f == FLD_WEEK ? d.week : d.year_of_week;
    default:
        break;
    }
    days = (us - fmod64(us, LH_US_PER_DAY)) / LH_US_PER_DAY;
    if (f == FLD_DOW) /* ISO: 1970-01-01 was a Thursday (4) */
        return fmod64(days + 3, 7) + 1;
    lh_civil_from_days(days, &y, &m, &dd);
    switch (f) {
    case FLD_YEAR:
        return y;
    case FLD_QUARTER:
        return (m - 1) / 3 + 1;
    case FLD_MONTH:
        return m;
    case FLD_DAY:
        return dd;
    case FLD_DOY:
        return days - lh_days_from_civil(y, 1, 1) + 1;
    default:
        return 0;
    }
}

/* Trino's interval functions, on milliseconds with Java's / and %. */
static inline int64_t ids_field(dt_fld f, int64_t us)
{
    int64_t ms = dtf_ids_ms(us);
    switch (f) {
    case FLD_DAY:
        return ms / 86400000;
    case FLD_HOUR:
        return ms % 86400000 / 3600000;
    case FLD_MINUTE:
        return ms % 3600000 / 60000;
    case FLD_SECOND:
        return ms % 60000 / 1000;
    default: /* FLD_MILLI */
        return ms % 1000;
    }
}

static lh_rc eval_field(dt_fld f, lh_vector *x, lh_vector *out, lh_rows rows, lh_err *err)
{
    uint32_t xm = dtf_mask(x);
    int64_t *O = out->data;
    dtf_merge_valid(out, rows, x, NULL, NULL);
    switch (x->type.id) {
    case LH_SQL_DATE: {
        const int32_t *X = ARG(int32_t, x);
        DTF_FOR_LIVE(rows, out, i, { O[i] = wall_field(f, lh_date_to_ts(X[i & xm])); });
        return LH_OK;
    }
    case LH_SQL_TIME:
    case LH_SQL_TIMESTAMP: {
        const int64_t *X = ARG(int64_t, x);
        DTF_FOR_LIVE(rows, out, i, { O[i] = wall_field(f, X[i & xm]); });
        return LH_OK;
    }
    case LH_SQL_TIMESTAMP_TZ: {
        const lh_tstz *X = ARG(lh_tstz, x);
        if (f == FLD_TZ_HOUR || f == FLD_TZ_MINUTE) {
            DTF_FOR_LIVE(rows, out, i, {
                lh_tstz t = X[i & xm];
                int64_t mins = lh_zone_offset(t.zone, t.utc_us / LH_US_PER_SEC - (t.utc_us % LH_US_PER_SEC < 0)) / 60;
                O[i] = f == FLD_TZ_HOUR ? mins / 60 : mins % 60;
            });
        } else {
            DTF_FOR_LIVE(rows, out, i, { O[i] = wall_field(f, lh_tstz_local_us(X[i & xm])); });
        }
        return LH_OK;
    }
    case LH_SQL_INTERVAL_DS: {
        const int64_t *X = ARG(int64_t, x);
        DTF_FOR_LIVE(rows, out, i, { O[i] = ids_field(f, X[i & xm]); });
        return LH_OK;
    }
    case LH_SQL_INTERVAL_YM: {
        const int32_t *X = ARG(int32_t, x);
        DTF_FOR_LIVE(rows, out, i, { O[i] = f == FLD_YEAR ? X[i & xm] / 12 : X[i & xm] % 12; });
        return LH_OK;
    }
    }
    return lh_errf(err, LH_EINTERNAL, "date/time field: no loop for type %d", x->type.id);
}

#define FIELD_FN(NAME, F)                                                                                             \
    static lh_rc eval_##NAME(lh_fn_call *c, lh_vector **a, lh_vector *o, lh_rows r, lh_err *e)                        \
    {                                                                                                                 \
        (void)c;                                                                                                      \
        return eval_field(F, a[0], o, r, e);                                                                          \
    }
FIELD_FN(year, FLD_YEAR)
FIELD_FN(quarter, FLD_QUARTER)
FIELD_FN(month, FLD_MONTH)
FIELD_FN(week, FLD_WEEK)
FIELD_FN(yow, FLD_YOW)
FIELD_FN(day, FLD_DAY)
FIELD_FN(dow, FLD_DOW)
FIELD_FN(doy, FLD_DOY)
FIELD_FN(hour, FLD_HOUR)
FIELD_FN(minute, FLD_MINUTE)
FIELD_FN(second, FLD_SECOND)
FIELD_FN(milli, FLD_MILLI)
FIELD_FN(tz_hour, FLD_TZ_HOUR)
FIELD_FN(tz_minute, FLD_TZ_MINUTE)

/* ---- signatures (plan/functions.c) ---- */

#define B(id) DTF_BIT(LH_SQL_##id)
#define M_DT1 (B(DATE) | B(TIMESTAMP) | B(TIMESTAMP_TZ))
#define M_TIME1 (B(TIME) | B(TIMESTAMP) | B(TIMESTAMP_TZ))

static int is_str(lh_sqltype t) { return t.id == LH_SQL_VARCHAR; }

static int acc_field(const lh_sqltype *a, size_t n, lh_sqltype ret, uint32_t mask)
{
    return n == 1 && a[0].id < 32 && (mask & DTF_BIT(a[0].id)) && ret.id == LH_SQL_BIGINT;
}
#define ACC(NAME, MASK)                                                                                               \
    static int acc_##NAME(const lh_sqltype *a, size_t n, lh_sqltype r) { return acc_field(a, n, r, MASK); }
ACC(dt1, M_DT1)
ACC(dt1_ym, M_DT1 | B(INTERVAL_YM))
ACC(dt1_ds, M_DT1 | B(INTERVAL_DS))
ACC(time1_ds, M_TIME1 | B(INTERVAL_DS))
ACC(tz, B(TIMESTAMP_TZ))

static int acc_trunc(const lh_sqltype *a, size_t n, lh_sqltype r)
{
    return n == 2 && is_str(a[0]) && a[1].id < 32 && ((M_DT1 | B(TIME)) & DTF_BIT(a[1].id)) && r.id == a[1].id;
}
static int acc_add(const lh_sqltype *a, size_t n, lh_sqltype r)
{
    return n == 3 && is_str(a[0]) && a[1].id == LH_SQL_BIGINT && a[2].id < 32 &&
           ((M_DT1 | B(TIME)) & DTF_BIT(a[2].id)) && r.id == a[2].id;
}
static int acc_diff(const lh_sqltype *a, size_t n, lh_sqltype r)
{
    return n == 3 && is_str(a[0]) && a[1].id < 32 && ((M_DT1 | B(TIME)) & DTF_BIT(a[1].id)) && a[2].id == a[1].id &&
           r.id == LH_SQL_BIGINT;
}
static int acc_format(const lh_sqltype *a, size_t n, lh_sqltype r)
{
    return n == 2 && dtf_is_ts_like(a[0].id) && is_str(a[1]) && r.id == LH_SQL_VARCHAR;
}
static int acc_parse(const lh_sqltype *a, size_t n, lh_sqltype r)
{
    return n == 2 && is_str(a[0]) && is_str(a[1]) && r.id == LH_SQL_TIMESTAMP;
}
static int acc_date(const lh_sqltype *a, size_t n, lh_sqltype r)
{
    return n == 1 && (is_str(a[0]) || dtf_is_ts_like(a[0].id)) && r.id == LH_SQL_DATE;
}
static int acc_from_unixtime(const lh_sqltype *a, size_t n, lh_sqltype r)
{
    if (r.id != LH_SQL_TIMESTAMP_TZ || n < 1 || a[0].id != LH_SQL_DOUBLE)
        return 0;
    return n == 1 || (n == 2 && is_str(a[1])) || (n == 3 && a[1].id == LH_SQL_BIGINT && a[2].id == LH_SQL_BIGINT);
}
static int acc_to_unixtime(const lh_sqltype *a, size_t n, lh_sqltype r)
{
    return n == 1 && a[0].id == LH_SQL_TIMESTAMP_TZ && r.id == LH_SQL_DOUBLE;
}
static int acc_now(const lh_sqltype *a, size_t n, lh_sqltype r)
{
    (void)a;
    return n == 0 && r.id == LH_SQL_TIMESTAMP_TZ;
}
static int acc_current_timezone(const lh_sqltype *a, size_t n, lh_sqltype r)
{
    (void)a;
    return n == 0 && r.id == LH_SQL_VARCHAR;
}

static lh_rc init_from_unixtime(lh_fn_call *c, lh_vector *const *ca, lh_err *err)
{
    return c->nargs == 2 ? init_zone1(c, ca, err) : init_state(c, ca, err);
}

#define FIELD(name, acc, fn) {name, acc_##acc, {name, NULL, eval_##fn, NULL}}
#define OP(name, fn, init, done) {name, lh_dtf_acc_##fn, {name, init, lh_dtf_eval_##fn, done}}

const lh_scalar_entry lh_fns_datetime[] = {
    {"from_unixtime", acc_from_unixtime, {"from_unixtime", init_from_unixtime, eval_from_unixtime, st_done}},
    {"to_unixtime", acc_to_unixtime, {"to_unixtime", NULL, eval_to_unixtime, NULL}},
    {"date_trunc", acc_trunc, {"date_trunc", init_unit, eval_date_trunc, st_done}},
    {"date_add", acc_add, {"date_add", init_unit, eval_date_add, st_done}},
    {"date_diff", acc_diff, {"date_diff", init_unit, eval_date_diff, st_done}},
    {"date_format", acc_format, {"date_format", init_fmt, eval_date_format, st_done}},
    {"date_parse", acc_parse, {"date_parse", init_fmt, eval_date_parse, st_done}},
    {"date", acc_date, {"date", NULL, eval_date, NULL}},
    {"now", acc_now, {"now", NULL, eval_now, NULL}},
    {"current_timezone", acc_current_timezone, {"current_timezone", NULL, eval_current_timezone, NULL}},
    FIELD("year", dt1_ym, year),
    FIELD("quarter", dt1, quarter),
    FIELD("month", dt1_ym, month),
    FIELD("week", dt1, week),
    FIELD("week_of_year", dt1, week),
    FIELD("year_of_week", dt1, yow),
    FIELD("yow", dt1, yow),
    FIELD("timezone_hour", tz, tz_hour),
    FIELD("timezone_minute", tz, tz_minute),
    FIELD("day", dt1_ds, day),
    FIELD("day_of_month", dt1_ds, day),
    FIELD("day_of_week", dt1, dow),
    FIELD("dow", dt1, dow),
    FIELD("day_of_year", dt1, doy),
    FIELD("doy", dt1, doy),
    FIELD("hour", time1_ds, hour),
    FIELD("minute", time1_ds, minute),
    FIELD("second", time1_ds, second),
    FIELD("millisecond", time1_ds, milli),
    /* EXTRACT(field FROM x): every field Trino's extract takes */
    FIELD("$extract_year", dt1_ym, year),
    FIELD("$extract_quarter", dt1, quarter),
    FIELD("$extract_month", dt1_ym, month),
    FIELD("$extract_week", dt1, week),
    FIELD("$extract_day", dt1_ds, day),
    FIELD("$extract_day_of_month", dt1_ds, day),
    FIELD("$extract_day_of_week", dt1, dow),
    FIELD("$extract_dow", dt1, dow),
    FIELD("$extract_day_of_year", dt1, doy),
    FIELD("$extract_doy", dt1, doy),
    FIELD("$extract_year_of_week", dt1, yow),
    FIELD("$extract_yow", dt1, yow),
    FIELD("$extract_hour", time1_ds, hour),
    FIELD("$extract_minute", time1_ds, minute),
    FIELD("$extract_second", time1_ds, second),
    FIELD("$extract_timezone_hour", tz, tz_hour),
    FIELD("$extract_timezone_minute", tz, tz_minute),
    /* operators (fn_datetime2.c) */
    OP("$add", add, NULL, NULL),
    OP("$subtract", subtract, NULL, NULL),
    OP("$multiply", multiply, NULL, NULL),
    OP("$divide", divide, NULL, NULL),
    OP("$negate", negate, NULL, NULL),
    OP("$at_timezone", at_timezone, lh_dtf_init_at_timezone, lh_dtf_done_at_timezone),
    {NULL, NULL, {NULL, NULL, NULL, NULL}},
};
