/* exec/op_scan.c — the table scan operator (see exec/scan.h).
 *
 * One reader (formats/parquet.h or formats/jsonl.h) over the objects the
 * spec names, opened at the first pull.  Rows come out of the reader one
 * at a time as lh_value cells, valid until the next row; each cell is
 * converted straight into its column's typed vector of the one batch the
 * operator owns and reuses (lh_batch_reset between pulls: vector buffers
 * stay, the arena is emptied).
 *
 * The per-row loop switches on a conversion kind decided once per column
 * (cv_*), writes into the vector's data array directly, and leaves the
 * module only for the reader's next/value calls and for the cold paths:
 * text that is not in the readers' own fixed layout, decimals whose double
 * is within rounding distance of a tie, and errors.
 *
 * Strings longer than 12 bytes are copied (a reader's text is only valid
 * until its next row) into a pool of 64 KiB blocks the operator owns and
 * rewinds at each pull, when the previous batch dies: the memory outlives
 * the batch, as exec/vector.h allows, and is reused, not reallocated.  "$path" views point at the operator's own copy of the URI list,
 * which outlives every batch; a batch whose rows all come from one object
 * gets a CONST "$path" vector.
 */
#include "exec/scan.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "formats/jsonl.h"
#include "formats/parquet.h"
#include "util/mem.h"

#define SCAN_PIECE ((size_t)64 << 10) /* arena bytes taken at a time for long strings */
#define SHOW_MAX 64                   /* bytes of a bad value shown in a message */

enum cv {
    CV_PATH = 1,
    CV_BOOL,
    CV_I8,
    CV_I16,
    CV_I32,
    CV_I64,
    CV_F32,
    CV_F64,
    CV_DEC64,
    CV_DEC128,
    CV_STR,
    CV_DATE,
    CV_TS,
    CV_TSTZ
};

typedef struct scol {
    char *name;
    int cv;         /* enum cv */
    int rcol;       /* reader column, -1 for "$path" */
    lh_type hive;
    lh_sqltype type;
    uint32_t maxcp; /* varchar(n)/char(n): n code points; 0 = unbounded */
    int is_char;    /* char(n): trailing spaces dropped (Trino's representation) */
    char expect[LH_SQLTYPE_NAME_MAX]; /* the type named in messages: the Hive type, or the SQL type when it differs */
} scol;

typedef struct scon {
    int rcol;
    lh_pq_op op;
    lh_value *vals;
    size_t n;
} scon;

typedef struct sblock {
    char *p;
    size_t size;
} sblock;

typedef struct scan_op {
    lh_op base;
    lh_store *store;
    const lh_table_def *def;
    char **uris;
    uint32_t *urilen;
    size_t nuris;
    scol *cols;
    uint32_t ncols;
    char **rnames; /* reader columns (deduplicated name + Hive type) */
    lh_type *rtypes;
    size_t nr;
    scon *cons;
    size_t ncons;
    lh_scan_quarantine_fn quarantine;
    void *qctx;
    int parquet;
    int opened;
    lh_pq_reader *pq;
    lh_jsonl_reader *js;
    lh_batch *batch;
    size_t charged;
    /* where the current row comes from */
    const char *file_ptr; /* the reader's pointer, to notice a change */
    size_t file_idx;      /* index into uris */
    /* long-string bytes of the current batch (see str_room) */
    sblock *pool;
    size_t npool, apool, pool_cur, pool_off, batch_bytes;
    /* counters already added to the context */
    uint64_t c_pages, c_bytes, c_skipped, c_malformed;
    int uncounted; /* lh_scan_spec.uncounted */
} scan_op;

/* ---- helpers ---- */

static int is_space(char c) { return c == ' '; }

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's civil algorithm). */
static int64_t civil_days(int64_t y, int m, int d)
{
    int64_t era, yoe, doy, doe;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int d2(const char *p) { return (p[0] - '0') * 10 + (p[1] - '0'); }
static int isd(char c) { return c >= '0' && c <= '9'; }

static int days_in_month(int64_t y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : dm[m - 1];
}

/* The readers' own layout "YYYY-MM-DD": 1 and *days, else 0 (use the general parser). */
static int fast_date(const char *s, size_t n, int32_t *days)
{
    int y, m, d;
    if (n != 10 || s[4] != '-' || s[7] != '-' || !isd(s[0]) || !isd(s[1]) || !isd(s[2]) || !isd(s[3]) ||
        !isd(s[5]) || !isd(s[6]) || !isd(s[8]) || !isd(s[9]))
        return 0;
    y = d2(s) * 100 + d2(s + 2);
    m = d2(s + 5);
    d = d2(s + 8);
    if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return 0;
    *days = (int32_t)civil_days(y, m, d);
    return 1;
}

/* "YYYY-MM-DD HH:MM:SS.mmm" (the readers' layout): 1 and *us, else 0. */
static int fast_ts(const char *s, size_t n, int64_t *us)
{
    int32_t days;
    int h, mi, se, ms;
    if (n != 23 || s[10] != ' ' || s[13] != ':' || s[16] != ':' || s[19] != '.' || !fast_date(s, 10, &days))
        return 0;
    if (!isd(s[11]) || !isd(s[12]) || !isd(s[14]) || !isd(s[15]) || !isd(s[17]) || !isd(s[18]) || !isd(s[20]) ||
        !isd(s[21]) || !isd(s[22]))
        return 0;
    h = d2(s + 11);
    mi = d2(s + 14);
    se = d2(s + 17);
    ms = (s[20] - '0') * 100 + d2(s + 21);
    if (h > 23 || mi > 59 || se > 59)
        return 0;
    *us = (int64_t)days * LH_US_PER_DAY + h * LH_US_PER_HOUR + mi * LH_US_PER_MIN + se * LH_US_PER_SEC +
          ms * LH_US_PER_MS;
    return 1;
}

/* Bytes of the first maxcp code points of s[0..n). */
static size_t utf8_prefix(const char *s, size_t n, uint32_t maxcp)
{
    size_t i = 0;
    uint32_t cp = 0;
    while (i < n) {
        if (((unsigned char)s[i] & 0xC0) != 0x80) {
            if (cp == maxcp)
                return i;
            cp++;
        }
        i++;
    }
    return n;
}

/* decimal(p,s) unscaled value of the double d, rounded HALF_UP at s.
 * Fast path when the scaled double is clearly away from a tie; else the
 * exact rule (the shortest decimal that reads back as d, then HALF_UP).
 * 0 on success, 1 when it does not fit p digits, -1 when not a number. */
static int dec_of_double(double d, int p, int s, lh_i128 *out)
{
    static const double p10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,
                                 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18};
    if (isnan(d) || isinf(d))
        return -1;
    if (s <= 18) {
        double t = d * p10[s], a = fabs(t);
        if (a < 1125899906842624.0) { /* 2^50 */
            double f = floor(a), frac = a - f;
            if (fabs(frac - 0.5) > a * 0x1p-48 + 1e-9) { /* t is within ~a * 2^-52 of the exact product */
                int64_t k = (int64_t)f + (frac > 0.5);
                lh_i128 v = t < 0 ? -(lh_i128)k : (lh_i128)k;
                if (!lh_dec_fits(v, p))
                    return 1;
                *out = v;
                return 0;
            }
        }
    }
    {
        lh_err e;
        lh_rc rc = lh_dec_from_double(d, p, s, out, &e);
        return rc ? 1 : 0;
    }
}

/* ---- errors ---- */

/* The object the current row comes from. */
static const char *cur_uri(const scan_op *o)
{
    return o->pq ? lh_pq_reader_file(o->pq) : o->js ? lh_jsonl_reader_file(o->js) : "";
}

/* "uri: column 'c'" (Parquet) or "uri:line: column 'c'" (JSON), as the readers word it. */
static lh_rc bad_value(scan_op *o, const scol *c, const lh_value *v, const char *why, lh_err *err)
{
    char where[1200], got[SHOW_MAX + 80];
    if (o->js)
        snprintf(where, sizeof where, "%s:%llu: column '%s'", lh_jsonl_reader_file(o->js),
                 (unsigned long long)lh_jsonl_reader_line(o->js), c->name);
    else
        snprintf(where, sizeof where, "%s: column '%s'", cur_uri(o), c->name);
    switch (v->t) {
    case LH_V_INT: snprintf(got, sizeof got, "%lld", (long long)v->i); break;
    case LH_V_REAL: snprintf(got, sizeof got, "%.17g", v->d); break;
    case LH_V_TEXT: {
        size_t show = v->n > SHOW_MAX ? SHOW_MAX : v->n;
        while (show > 0 && show < v->n && ((unsigned char)v->s[show] & 0xC0) == 0x80)
            show--;
        snprintf(got, sizeof got, "\"%.*s\"%s", (int)show, v->s, show < v->n ? "..." : "");
        break;
    }
    default: snprintf(got, sizeof got, "NULL"); break;
    }
    if (why)
        return lh_errf(err, LH_EDATA, "%s: %s %s %s", where, got, why, c->expect);
    return lh_errf(err, LH_EDATA, "%s: expected %s, got %s", where, c->expect, got);
}

/* ---- reading ---- */

static lh_rc on_malformed(void *ctx, const char *uri, uint64_t line, const char *reason, const char *raw, size_t n,
                          lh_err *err)
{
    scan_op *o = ctx;
    return o->quarantine(o->qctx, uri, line, reason, raw, n, err);
}

static lh_rc open_reader(scan_op *o, lh_err *err)
{
    const lh_table_def *def = o->def;
    lh_rc rc;
    size_t i;
    o->opened = 1;
    if (o->parquet) {
        rc = lh_pq_reader_open(o->store, (const char *const *)o->uris, o->nuris, (const char *const *)o->rnames,
                               o->rtypes, o->nr, &o->pq, err);
        if (rc)
            return lh_err_prefix(err, "table %s.%s", def->db, def->name);
        lh_pq_reader_exact_decimals(o->pq);
        for (i = 0; i < o->ncons; i++) {
            rc = lh_pq_reader_constrain(o->pq, (size_t)o->cons[i].rcol, o->cons[i].op, o->cons[i].vals, o->cons[i].n,
                                        err);
            if (rc)
                return rc;
        }
        return LH_OK;
    }
    {
        lh_jsonl_opts jo;
        lh_jsonl_col *jc;
        const char *v;
        memset(&jo, 0, sizeof jo);
        v = lh_props_get(def->serde_props, def->n_serde_props, "ignore.malformed.json");
        jo.ignore_malformed = v && !strcasecmp(v, "true");
        jo.exact_decimals = 1;
        if (o->quarantine) {
            jo.on_malformed = on_malformed;
            jo.malformed_ctx = o;
        }
        v = lh_props_get(def->serde_props, def->n_serde_props, "use.null.for.invalid.data");
        jo.null_for_invalid = v && !strcasecmp(v, "true");
        v = lh_props_get(def->serde_props, def->n_serde_props, "case.insensitive");
        jo.case_sensitive = v && !strcasecmp(v, "false");
        jc = lh_calloc(o->nr ? o->nr : 1, sizeof *jc);
        if (!jc)
            return lh_errf(err, LH_ENOMEM, "out of memory opening %s.%s", def->db, def->name);
        for (i = 0; i < o->nr; i++) {
            char key[300];
            const char *m;
            snprintf(key, sizeof key, "mapping.%s", o->rnames[i]);
            m = lh_props_get(def->serde_props, def->n_serde_props, key);
            jc[i].name = m ? m : o->rnames[i];
            jc[i].type = o->rtypes[i];
        }
        rc = lh_jsonl_reader_open(o->store, (const char *const *)o->uris, o->nuris, jc, o->nr, &jo, &o->js, err);
        lh_free(jc);
        if (rc)
            return lh_err_prefix(err, "table %s.%s", def->db, def->name);
        return LH_OK;
    }
}

/* Add what the reader counted since the last call to the context. */
static void count(scan_op *o, uint32_t rows)
{
    lh_exec_ctx *ctx = o->base.ctx;
    if (!ctx || o->uncounted)
        return;
    if (rows)
        atomic_fetch_add(&ctx->rows_read, rows);
    if (o->pq) {
        const lh_pq_stats *st = lh_pq_reader_stats(o->pq);
        atomic_fetch_add(&ctx->pages_read, st->pages_read - o->c_pages);
        atomic_fetch_add(&ctx->bytes_read, st->bytes_read - o->c_bytes);
        atomic_fetch_add(&ctx->row_groups_skipped, st->row_groups_skipped - o->c_skipped);
        o->c_pages = st->pages_read;
        o->c_bytes = st->bytes_read;
        o->c_skipped = st->row_groups_skipped;
    } else if (o->js) {
        const lh_jsonl_stats *st = lh_jsonl_reader_stats(o->js);
        atomic_fetch_add(&ctx->malformed, st->malformed - o->c_malformed);
        o->c_malformed = st->malformed;
    }
}

static void close_reader(scan_op *o)
{
    count(o, 0);
    lh_pq_reader_close(o->pq);
    o->pq = NULL;
    lh_jsonl_reader_close(o->js);
    o->js = NULL;
}

/* The current row's object, as an index into o->uris. */
static void track_file(scan_op *o)
{
    const char *f = o->pq ? lh_pq_reader_file(o->pq) : lh_jsonl_reader_file(o->js);
    size_t i;
    if (f == o->file_ptr)
        return;
    o->file_ptr = f;
    if (o->file_idx < o->nuris && !strcmp(o->uris[o->file_idx], f))
        return;
    for (i = 0; i < o->nuris; i++) {
        size_t k = (o->file_idx + 1 + i) % o->nuris; /* usually the next one */
        if (!strcmp(o->uris[k], f)) {
            o->file_idx = k;
            return;
        }
    }
}

/* Long-string bytes live in a pool the operator owns: 64 KiB blocks kept
 * and reused from batch to batch (rewound at each pull, which is when the
 * previous batch dies), so steady state allocates nothing; a string of
 * more than SCAN_BIG bytes gets a block of its own, freed at the next
 * rewind.  The bytes one batch may hold are capped as a batch arena is. */
#define SCAN_BIG (SCAN_PIECE / 4)

static void pool_release(scan_op *o, size_t bytes)
{
    o->charged -= bytes;
    if (lh_exec_charge(o->base.ctx, "TableScan", -(ptrdiff_t)bytes, NULL)) {
        /* releasing never fails */
    }
}

static void pool_rewind(scan_op *o)
{
    size_t i, k = 0;
    for (i = 0; i < o->npool; i++) {
        if (o->pool[i].size > SCAN_PIECE) {
            pool_release(o, o->pool[i].size);
            lh_free(o->pool[i].p);
        } else
            o->pool[k++] = o->pool[i];
    }
    o->npool = k;
    o->pool_cur = 0;
    o->pool_off = 0;
    o->batch_bytes = 0;
}

static char *pool_new(scan_op *o, size_t size, lh_rc *rc, lh_err *err)
{
    char *p;
    if (o->npool == o->apool) {
        size_t na = o->apool ? o->apool * 2 : 8;
        sblock *nb = lh_realloc(o->pool, na * sizeof *nb);
        if (!nb)
            goto nomem;
        o->pool = nb;
        o->apool = na;
    }
    if ((*rc = lh_exec_charge(o->base.ctx, "TableScan", (ptrdiff_t)size, err)))
        return NULL;
    o->charged += size;
    p = lh_malloc(size);
    if (!p) {
        pool_release(o, size);
        goto nomem;
    }
    o->pool[o->npool].p = p;
    o->pool[o->npool].size = size;
    o->npool++;
    return p;
nomem:
    *rc = lh_errf(err, LH_ENOMEM, "table %s.%s: out of memory for string values", o->def->db, o->def->name);
    return NULL;
}

/* Room for n string bytes for the current batch (NULL: *rc says why). */
static char *str_room(scan_op *o, size_t n, lh_rc *rc, lh_err *err)
{
    char *p;
    *rc = LH_ENOMEM; /* pool_new fails with ENOMEM, or ELIMIT from the memory limit (set below) */
    if (o->batch_bytes + n > LH_BATCH_ARENA_DEFAULT_CAP) {
        *rc = LH_ELIMIT;
        lh_errf(err, LH_ELIMIT, "table %s.%s: the string values of one batch (%d rows) exceed %zu MiB", o->def->db,
                o->def->name, LH_BATCH, (size_t)(LH_BATCH_ARENA_DEFAULT_CAP >> 20));
        return NULL;
    }
    o->batch_bytes += n;
    if (n > SCAN_BIG)
        return pool_new(o, n > SCAN_PIECE ? n : SCAN_PIECE + 1, rc, err); /* + 1: freed at the rewind */
    for (; o->pool_cur < o->npool; o->pool_cur++, o->pool_off = 0) {
        sblock *b = &o->pool[o->pool_cur];
        if (b->size == SCAN_PIECE && b->size - o->pool_off >= n) {
            p = b->p + o->pool_off;
            o->pool_off += n;
            return p;
        }
    }
    p = pool_new(o, SCAN_PIECE, rc, err);
    if (!p)
        return NULL;
    o->pool_cur = o->npool - 1;
    o->pool_off = n;
    return p;
}

static inline void set_null(lh_vector *v, uint32_t row)
{
    v->validity[row >> 6] &= ~((uint64_t)1 << (row & 63));
    v->may_null = 1;
}

static lh_rc put_str(scan_op *o, const scol *c, lh_vector *vec, uint32_t row, const char *s, size_t n,
                     lh_err *err)
{
    lh_str *d = &((lh_str *)vec->data)[row];
    if (c->maxcp && n > c->maxcp)
        n = utf8_prefix(s, n, c->maxcp);
    if (c->is_char)
        while (n > 0 && is_space(s[n - 1]))
            n--;
    if (n > UINT32_MAX - 1)
        return lh_errf(err, LH_ELIMIT, "%s: column '%s': a value of %zu bytes is too long", cur_uri(o), c->name, n);
    if (n <= LH_STR_INLINE) {
        memset(d, 0, sizeof *d);
        d->in.len = (uint32_t)n;
        if (n)
            memcpy(d->in.data, s, n);
    } else {
        lh_rc rc;
        char *p = str_room(o, n, &rc, err);
        if (!p)
            return rc;
        memcpy(p, s, n);
        d->out.len = (uint32_t)n;
        memcpy(d->out.prefix, p, 4);
        d->out.ptr = p;
    }
    return LH_OK;
}

/* Convert one non-NULL cell into vec[row]: the slow and rare shapes. */
static lh_rc put_slow(scan_op *o, const scol *c, lh_vector *vec, uint32_t row, const lh_value *v, lh_err *err)
{
    switch (c->cv) {
    case CV_DEC64:
    case CV_DEC128: {
        lh_i128 x = 0;
        lh_err e;
        if (v->t == LH_V_TEXT) {
            if (lh_dec_from_varchar(v->s, v->n, c->type.p, c->type.s, &x, &e))
                return bad_value(o, c, v, NULL, err);
        } else if (v->t == LH_V_INT) {
            if (lh_dec_from_int(v->i, LH_SQL_BIGINT, c->type.p, c->type.s, &x, &e))
                return bad_value(o, c, v, "does not fit", err);
        } else
            return bad_value(o, c, v, NULL, err);
        if (c->cv == CV_DEC64)
            ((int64_t *)vec->data)[row] = (int64_t)x;
        else
            ((lh_i128 *)vec->data)[row] = x;
        return LH_OK;
    }
    case CV_DATE: {
        int32_t days;
        lh_err e;
        if (v->t != LH_V_TEXT || lh_date_parse(v->s, v->n, LH_DT_CAST, &days, &e))
            return bad_value(o, c, v, NULL, err);
        ((int32_t *)vec->data)[row] = days;
        return LH_OK;
    }
    case CV_TS:
    case CV_TSTZ: {
        int64_t us;
        lh_err e;
        if (v->t != LH_V_TEXT || lh_timestamp_cast(v->s, v->n, c->type.p, &us, &e))
            return bad_value(o, c, v, NULL, err);
        if (c->cv == CV_TS)
            ((int64_t *)vec->data)[row] = us;
        else {
            lh_tstz t;
            t.utc_us = us;
            t.zone = LH_ZONE_UTC;
            ((lh_tstz *)vec->data)[row] = t;
        }
        return LH_OK;
    }
    default: return bad_value(o, c, v, NULL, err);
    }
}

/* Fill the batch with up to LH_BATCH rows. */
static lh_rc fill(scan_op *o, lh_err *err)
{
    lh_batch *b = o->batch;
    uint32_t n = 0, j, ncols = o->ncols;
    size_t first_file = 0;
    int one_file = 1;
    int has_path = 0;
    lh_rc rc = LH_OK;
    for (j = 0; j < ncols; j++)
        has_path |= o->cols[j].cv == CV_PATH;
    while (n < LH_BATCH) {
        int eof = 0;
        rc = o->pq ? lh_pq_reader_next(o->pq, &eof, err) : lh_jsonl_reader_next(o->js, &eof, err);
        if (rc)
            return rc;
        if (eof) {
            close_reader(o);
            break;
        }
        if (has_path) {
            track_file(o);
            if (n == 0)
                first_file = o->file_idx;
            else if (o->file_idx != first_file)
                one_file = 0;
        }
        for (j = 0; j < ncols; j++) {
            const scol *c = &o->cols[j];
            lh_vector *vec = b->cols[j];
            lh_value v;
            if (c->cv == CV_PATH) {
                ((lh_str *)vec->data)[n] = lh_str_view(o->uris[o->file_idx], o->urilen[o->file_idx]);
                continue;
            }
            rc = o->pq ? lh_pq_reader_value(o->pq, (size_t)c->rcol, &v, err)
                       : lh_jsonl_reader_value(o->js, (size_t)c->rcol, &v, err);
            if (rc)
                return rc;
            if (v.t == LH_V_NULL) {
                set_null(vec, n);
                continue;
            }
            switch (c->cv) {
            case CV_BOOL:
                if (v.t != LH_V_INT)
                    goto slow;
                ((uint8_t *)vec->data)[n] = v.i != 0;
                break;
            case CV_I8:
                if (v.t != LH_V_INT || v.i < INT8_MIN || v.i > INT8_MAX)
                    goto slow;
                ((int8_t *)vec->data)[n] = (int8_t)v.i;
                break;
            case CV_I16:
                if (v.t != LH_V_INT || v.i < INT16_MIN || v.i > INT16_MAX)
                    goto slow;
                ((int16_t *)vec->data)[n] = (int16_t)v.i;
                break;
            case CV_I32:
                if (v.t != LH_V_INT || v.i < INT32_MIN || v.i > INT32_MAX)
                    goto slow;
                ((int32_t *)vec->data)[n] = (int32_t)v.i;
                break;
            case CV_I64:
                if (v.t != LH_V_INT)
                    goto slow;
                ((int64_t *)vec->data)[n] = v.i;
                break;
            case CV_F32:
                if (v.t == LH_V_REAL)
                    ((float *)vec->data)[n] = (float)v.d;
                else if (v.t == LH_V_INT)
                    ((float *)vec->data)[n] = (float)v.i;
                else
                    goto slow;
                break;
            case CV_F64:
                if (v.t == LH_V_REAL)
                    ((double *)vec->data)[n] = v.d;
                else if (v.t == LH_V_INT)
                    ((double *)vec->data)[n] = (double)v.i;
                else
                    goto slow;
                break;
            case CV_DEC64:
            case CV_DEC128: {
                lh_i128 x;
                int r;
                if (v.t != LH_V_REAL)
                    goto slow;
                r = dec_of_double(v.d, c->type.p, c->type.s, &x);
                if (r)
                    return bad_value(o, c, &v, r > 0 ? "does not fit" : NULL, err);
                if (c->cv == CV_DEC64)
                    ((int64_t *)vec->data)[n] = (int64_t)x;
                else
                    ((lh_i128 *)vec->data)[n] = x;
                break;
            }
            case CV_STR:
                if (v.t != LH_V_TEXT)
                    goto slow;
                rc = put_str(o, c, vec, n, v.s, v.n, err);
                if (rc)
                    return rc;
                break;
            case CV_DATE:
                if (v.t != LH_V_TEXT || !fast_date(v.s, v.n, &((int32_t *)vec->data)[n]))
                    goto slow;
                break;
            case CV_TS:
            case CV_TSTZ: {
                int64_t us;
                if (v.t != LH_V_TEXT || !fast_ts(v.s, v.n, &us))
                    goto slow;
                if (c->type.p < 3)
                    us = lh_ts_round(us, c->type.p);
                if (c->cv == CV_TS)
                    ((int64_t *)vec->data)[n] = us;
                else {
                    lh_tstz *t = &((lh_tstz *)vec->data)[n];
                    t->utc_us = us;
                    t->zone = LH_ZONE_UTC;
                }
                break;
            }
            default:
            slow:
                rc = put_slow(o, c, vec, n, &v, err);
                if (rc)
                    return rc;
                break;
            }
        }
        n++;
    }
    b->n = n;
    if (has_path && n && one_file)
        for (j = 0; j < ncols; j++)
            if (o->cols[j].cv == CV_PATH) {
                lh_vector *vec = b->cols[j];
                lh_vector_set_const(vec, 0);
                ((lh_str *)vec->data)[0] = lh_str_view(o->uris[first_file], o->urilen[first_file]);
            }
    count(o, n);
    return LH_OK;
}

static lh_rc scan_next(lh_op *op, lh_batch **out, lh_err *err)
{
    scan_op *o = (scan_op *)op;
    lh_rc rc;
    *out = NULL;
    if (!o->opened) {
        rc = open_reader(o, err);
        if (rc)
            return rc;
    }
    if (!o->pq && !o->js)
        return LH_OK;
    lh_batch_reset(o->batch);
    pool_rewind(o);
    rc = fill(o, err);
    if (rc)
        return rc;
    if (o->batch->n)
        *out = o->batch;
    return LH_OK;
}

static void scan_free(lh_op *op)
{
    scan_op *o = (scan_op *)op;
    size_t i;
    close_reader(o);
    lh_batch_free(o->batch);
    for (i = 0; i < o->npool; i++)
        lh_free(o->pool[i].p);
    lh_free(o->pool);
    if (o->charged)
        if (lh_exec_charge(o->base.ctx, "TableScan", -(ptrdiff_t)o->charged, NULL)) {
            /* releasing never fails */
        }
    for (i = 0; i < o->nuris; i++)
        lh_free(o->uris ? o->uris[i] : NULL);
    lh_free(o->uris);
    lh_free(o->urilen);
    for (i = 0; i < o->ncols; i++)
        lh_free(o->cols ? o->cols[i].name : NULL);
    lh_free(o->cols);
    lh_free(o->rnames); /* names are the cols' */
    lh_free(o->rtypes);
    for (i = 0; i < o->ncons; i++) {
        size_t k;
        for (k = 0; k < o->cons[i].n; k++)
            if (o->cons[i].vals[k].t == LH_V_TEXT)
                lh_free((void *)o->cons[i].vals[k].s);
        lh_free(o->cons[i].vals);
    }
    lh_free(o->cons);
}

static lh_rc scan_explain(const lh_op *op, lh_buf *out, lh_err *err)
{
    const scan_op *o = (const scan_op *)op;
    uint32_t i;
    lh_rc rc = lh_buf_printf(out, err, "%s.%s: %zu object%s, columns: ", o->def->db ? o->def->db : "?",
                             o->def->name ? o->def->name : "?", o->nuris, o->nuris == 1 ? "" : "s");
    if (rc)
        return rc;
    if (!o->ncols)
        rc = lh_buf_puts(out, "none", err);
    for (i = 0; i < o->ncols && !rc; i++)
        rc = lh_buf_printf(out, err, "%s%s", i ? ", " : "", o->cols[i].name);
    if (!rc && o->ncons)
        rc = lh_buf_printf(out, err, "; %zu constraint%s on row groups", o->ncons, o->ncons == 1 ? "" : "s");
    return rc;
}

static const lh_op_vt scan_vt = {"TableScan", scan_next, scan_free, scan_explain, NULL};

int lh_op_is_scan(const lh_op *op) { return op && op->vt == &scan_vt; }

lh_rc lh_op_scan_keep(lh_op *op, const char *const *uris, size_t n, lh_err *err)
{
    scan_op *o = (scan_op *)op;
    size_t i, j, k = 0;
    if (!lh_op_is_scan(op) || o->opened)
        return lh_errf(err, LH_EINTERNAL, "TableScan: objects restricted after the scan started");
    for (i = 0; i < o->nuris; i++) {
        int keep = 0;
        for (j = 0; j < n && !keep; j++)
            keep = !strcmp(o->uris[i], uris[j]);
        if (!keep) {
            lh_free(o->uris[i]);
            continue;
        }
        o->uris[k] = o->uris[i];
        o->urilen[k] = o->urilen[i];
        k++;
    }
    o->nuris = k;
    return LH_OK;
}

/* ---- construction ---- */

static lh_rc col_kind(const lh_scan_spec *spec, const lh_scan_col *sc, scol *c, lh_err *err)
{
    char tn[LH_SQLTYPE_NAME_MAX];
    lh_sqltype from;
    c->type = sc->type;
    c->hive = sc->hive;
    if (!sc->is_path && lh_sqltype_from_hive(&sc->hive, &from, NULL) == LH_OK && lh_sqltype_equal(from, sc->type))
        lh_type_name(&sc->hive, c->expect, sizeof c->expect);
    else
        lh_sqltype_name(sc->type, c->expect, sizeof c->expect);
    if (sc->is_path) {
        if (!lh_sqltype_is_string(sc->type))
            return lh_errf(err, LH_EINTERNAL, "TableScan: \"$path\" must be varchar, not %s",
                           lh_sqltype_name(sc->type, tn, sizeof tn));
        c->cv = CV_PATH;
        return LH_OK;
    }
    switch ((lh_sqltype_id)sc->type.id) {
    case LH_SQL_BOOLEAN: c->cv = CV_BOOL; break;
    case LH_SQL_TINYINT: c->cv = CV_I8; break;
    case LH_SQL_SMALLINT: c->cv = CV_I16; break;
    case LH_SQL_INTEGER: c->cv = CV_I32; break;
    case LH_SQL_BIGINT: c->cv = CV_I64; break;
    case LH_SQL_REAL: c->cv = CV_F32; break;
    case LH_SQL_DOUBLE: c->cv = CV_F64; break;
    case LH_SQL_DECIMAL: c->cv = sc->type.p <= 18 ? CV_DEC64 : CV_DEC128; break;
    case LH_SQL_VARCHAR:
    case LH_SQL_CHAR:
    case LH_SQL_VARBINARY:
        c->cv = CV_STR;
        if (sc->type.id != LH_SQL_VARBINARY && sc->type.len != LH_SQL_UNBOUNDED)
            c->maxcp = sc->type.len;
        c->is_char = sc->type.id == LH_SQL_CHAR;
        break;
    case LH_SQL_DATE: c->cv = CV_DATE; break;
    case LH_SQL_TIMESTAMP: c->cv = CV_TS; break;
    case LH_SQL_TIMESTAMP_TZ: c->cv = CV_TSTZ; break;
    default:
        return lh_errf(err, LH_EUNSUPPORTED, "table %s.%s column '%s': cannot read a column of type %s",
                       spec->def->db, spec->def->name, sc->name, lh_sqltype_name(sc->type, tn, sizeof tn));
    }
    if (sc->type.id == LH_SQL_DECIMAL && (sc->type.p < 1 || sc->type.p > 38 || sc->type.s > sc->type.p))
        return lh_errf(err, LH_EINTERNAL, "TableScan: bad decimal type of column '%s'", sc->name);
    return LH_OK;
}

lh_rc lh_op_scan(lh_exec_ctx *ctx, const lh_scan_spec *spec, lh_op **out, lh_err *err)
{
    scan_op *o = NULL;
    lh_op *op = NULL;
    lh_sqltype *types = NULL;
    lh_rc rc;
    size_t i, k;
    *out = NULL;
    if (!spec || !spec->store || !spec->def || (spec->nuris && !spec->uris) || (spec->ncols && !spec->cols) ||
        (spec->ncons && !spec->cons))
        return lh_errf(err, LH_EINTERNAL, "TableScan: incomplete scan spec");
    if (!spec->def->format || (strcmp(spec->def->format, "parquet") && strcmp(spec->def->format, "json")))
        return lh_errf(err, LH_EUNSUPPORTED, "table %s.%s: format '%s' cannot be read", spec->def->db,
                       spec->def->name, spec->def->format ? spec->def->format : "(none)");
    if (spec->ncols > LH_BATCH_MAX_COLS)
        return lh_errf(err, LH_ELIMIT, "TableScan: %u columns exceed the limit of %u", spec->ncols, LH_BATCH_MAX_COLS);
    types = lh_calloc(spec->ncols ? spec->ncols : 1, sizeof *types);
    if (!types)
        return lh_errf(err, LH_ENOMEM, "out of memory");
    for (i = 0; i < spec->ncols; i++)
        types[i] = spec->cols[i].type;
    rc = lh_op_alloc(sizeof(scan_op), &scan_vt, ctx, types, spec->ncols, &op, err);
    lh_free(types);
    if (rc)
        return rc;
    o = (scan_op *)op;
    o->store = spec->store;
    o->def = spec->def;
    o->parquet = !strcmp(spec->def->format, "parquet");
    o->quarantine = spec->quarantine;
    o->qctx = spec->qctx;
    o->uncounted = spec->uncounted;
    o->uris = lh_calloc(spec->nuris ? spec->nuris : 1, sizeof *o->uris);
    o->urilen = lh_calloc(spec->nuris ? spec->nuris : 1, sizeof *o->urilen);
    o->cols = lh_calloc(spec->ncols ? spec->ncols : 1, sizeof *o->cols);
    o->rnames = lh_calloc(spec->ncols ? spec->ncols : 1, sizeof *o->rnames);
    o->rtypes = lh_calloc(spec->ncols ? spec->ncols : 1, sizeof *o->rtypes);
    o->cons = lh_calloc(spec->ncons ? spec->ncons : 1, sizeof *o->cons);
    if (!o->uris || !o->urilen || !o->cols || !o->rnames || !o->rtypes || !o->cons)
        goto nomem;
    for (i = 0; i < spec->nuris; i++) {
        size_t len = strlen(spec->uris[i]);
        if (len > UINT32_MAX - 1) {
            rc = lh_errf(err, LH_ELIMIT, "TableScan: an object URI of %zu bytes", len);
            goto fail;
        }
        if (!(o->uris[i] = lh_strdup(spec->uris[i])))
            goto nomem;
        o->urilen[i] = (uint32_t)len;
        o->nuris = i + 1;
    }
    for (i = 0; i < spec->ncols; i++) {
        const lh_scan_col *sc = &spec->cols[i];
        scol *c = &o->cols[i];
        if (!(c->name = lh_strdup(sc->is_path ? "$path" : sc->name ? sc->name : "")))
            goto nomem;
        o->ncols = (uint32_t)i + 1;
        if ((rc = col_kind(spec, sc, c, err)))
            goto fail;
        c->rcol = -1;
        if (c->cv == CV_PATH)
            continue;
        for (k = 0; k < o->nr; k++) /* one reader column per (name, Hive type) */
            if (!strcmp(o->rnames[k], c->name) && o->rtypes[k].kind == c->hive.kind && o->rtypes[k].p == c->hive.p &&
                o->rtypes[k].s == c->hive.s)
                break;
        if (k == o->nr) {
            o->rnames[k] = c->name;
            o->rtypes[k] = c->hive;
            o->nr++;
        }
        c->rcol = (int)k;
    }
    for (i = 0; i < spec->ncons; i++) {
        const lh_scan_constraint *sc = &spec->cons[i];
        scon *x = &o->cons[o->ncons];
        size_t nv = sc->op == LH_PQ_ISNULL ? 0 : sc->op == LH_PQ_IN ? sc->nvals : 1;
        if (sc->col >= spec->ncols) {
            rc = lh_errf(err, LH_EINTERNAL, "TableScan: constraint on column %u of %u", sc->col, spec->ncols);
            goto fail;
        }
        /* JSON has no statistics; "$path" is not in the files */
        if (!o->parquet || o->cols[sc->col].cv == CV_PATH || (nv && !sc->vals))
            continue;
        x->rcol = o->cols[sc->col].rcol;
        x->op = sc->op;
        x->vals = lh_calloc(nv ? nv : 1, sizeof *x->vals);
        if (!x->vals)
            goto nomem;
        o->ncons++;
        for (k = 0; k < nv; k++) {
            x->vals[k] = sc->vals[k];
            if (sc->vals[k].t == LH_V_TEXT) {
                char *d = lh_strndup(sc->vals[k].s ? sc->vals[k].s : "", sc->vals[k].s ? sc->vals[k].n : 0);
                if (!d) {
                    x->vals[k].t = LH_V_NULL;
                    goto nomem;
                }
                x->vals[k].s = d;
            }
            x->n = k + 1;
        }
    }
    rc = lh_batch_create(op->types, o->ncols, 0, &o->batch, err);
    if (rc)
        goto fail;
    {
        size_t bytes = sizeof(lh_batch) + (size_t)LH_BATCH * sizeof(uint16_t);
        for (i = 0; i < o->ncols; i++)
            bytes += (size_t)LH_BATCH * o->batch->cols[i]->width + LH_BATCH / 8;
        rc = lh_exec_charge(ctx, "TableScan", (ptrdiff_t)bytes, err);
        if (rc)
            goto fail;
        o->charged = bytes;
    }
    *out = op;
    return LH_OK;
nomem:
    rc = lh_errf(err, LH_ENOMEM, "out of memory preparing the scan of %s.%s", spec->def->db, spec->def->name);
fail:
    lh_op_free(op);
    return rc;
}
