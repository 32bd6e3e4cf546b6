/* formats/jsonl.c — JSON-lines reader and writer (see jsonl.h).
 *
 * The reader keeps one buffer per object: bytes [pos, len) are not yet
 * consumed; it reads the next chunk with lh_store_get_range only when no
 * '\n' is left, after moving the partial line to the front, so the buffer
 * never holds more than max_line + chunk bytes.  Each line is handed to
 * lh_json_scan_object, which leaves one span per column; values are
 * converted lazily in lh_jsonl_reader_value.  Text a value needs to own
 * (unescaped strings, formatted timestamps) goes into a per-row scratch
 * area of stable segments, reset by the next call to next().
 */
#include "formats/jsonl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "formats/json.h"

#define DEFAULT_MAX_LINE ((size_t)64 << 20)
#define DEFAULT_CHUNK ((size_t)1 << 20)
#define SCRATCH_SEG ((size_t)64 << 10)
#define SHOW_MAX 60 /* bytes of an invalid value quoted in an error */

typedef struct scratch_seg {
    char *data;
    size_t cap, used;
} scratch_seg;

struct lh_jsonl_reader {
    lh_store *store;
    char **uris;
    size_t n_uris;
    lh_jsonl_col *cols; /* names owned */
    size_t n_cols;
    lh_jsonl_opts opts; /* defaults resolved */
    lh_json_keys *keys;
    lh_json_span *spans;
    lh_jsonl_stats stats;

    /* reading state */
    size_t cur;        /* index of the object being read */
    int obj_open;      /* head done for uris[cur] */
    uint64_t obj_size; /* from lh_store_head */
    uint64_t obj_off;  /* next byte to read */
    uint64_t line;     /* line number of the last line taken from uris[cur] */
    lh_buf buf;
    size_t pos;       /* first unconsumed byte in buf */
    size_t scan_from; /* no '\n' in buf[pos, scan_from) */

    /* current record */
    int have_row;
    size_t rec_uri;
    uint64_t rec_line;

    /* per-row scratch */
    scratch_seg *segs;
    size_t n_segs, cur_seg;
    lh_buf tmp; /* unescape staging */
};

/* ---- scratch ---- */

static void scratch_reset(lh_jsonl_reader *r)
{
    size_t i;
    for (i = 0; i < r->n_segs; i++)
        r->segs[i].used = 0;
    r->cur_seg = 0;
}

static char *scratch_alloc(lh_jsonl_reader *r, size_t n, lh_err *err)
{
    scratch_seg *segs, *s;
    size_t cap;
    for (; r->cur_seg < r->n_segs; r->cur_seg++) {
        s = &r->segs[r->cur_seg];
        if (s->cap - s->used >= n) {
            char *p = s->data + s->used;
            s->used += n;
            return p;
        }
    }
    segs = lh_realloc(r->segs, (r->n_segs + 1) * sizeof *segs);
    if (!segs) {
        lh_errf(err, LH_ENOMEM, "out of memory for row scratch");
        return NULL;
    }
    r->segs = segs;
    cap = n > SCRATCH_SEG ? n : SCRATCH_SEG;
    s = &segs[r->n_segs];
    s->data = lh_malloc(cap);
    if (!s->data) {
        lh_errf(err, LH_ENOMEM, "out of memory for row scratch (%zu bytes)", cap);
        return NULL;
    }
    s->cap = cap;
    s->used = n;
    r->cur_seg = r->n_segs++;
    return s->data;
}

/* ---- open / close ---- */

void lh_jsonl_reader_close(lh_jsonl_reader *r)
{
    size_t i;
    if (!r)
        return;
    if (r->uris)
        for (i = 0; i < r->n_uris; i++)
            lh_free(r->uris[i]);
    lh_free(r->uris);
    if (r->cols)
        for (i = 0; i < r->n_cols; i++)
            lh_free((char *)r->cols[i].name);
    lh_free(r->cols);
    lh_json_keys_free(r->keys);
    lh_free(r->spans);
    lh_buf_free(&r->buf);
    lh_buf_free(&r->tmp);
    for (i = 0; i < r->n_segs; i++)
        lh_free(r->segs[i].data);
    lh_free(r->segs);
    lh_free(r);
}

lh_rc lh_jsonl_reader_open(lh_store *store, const char *const *uris, size_t n_uris, const lh_jsonl_col *cols,
                           size_t n_cols, const lh_jsonl_opts *opts, lh_jsonl_reader **out, lh_err *err)
{
    lh_rc rc = LH_OK;
    lh_jsonl_reader *r = NULL;
    const char **names = NULL;
    size_t i;
    *out = NULL;
    r = lh_calloc(1, sizeof *r);
    if (!r) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory opening a JSON-lines reader");
        goto out;
    }
    r->store = store;
    if (opts)
        r->opts = *opts;
    if (!r->opts.max_line)
        r->opts.max_line = DEFAULT_MAX_LINE;
    if (!r->opts.chunk)
        r->opts.chunk = DEFAULT_CHUNK;
    if (r->opts.max_line > ((size_t)1 << 40) || r->opts.chunk > ((size_t)1 << 30)) {
        rc = lh_errf(err, LH_EINVAL, "JSON-lines reader: max_line %zu / chunk %zu too large", r->opts.max_line,
                     r->opts.chunk);
        goto out;
    }
    lh_buf_init(&r->buf, r->opts.max_line + r->opts.chunk + 16);
    lh_buf_init(&r->tmp, 0);
    r->uris = lh_calloc(n_uris, sizeof *r->uris);
    r->cols = lh_calloc(n_cols, sizeof *r->cols);
    r->spans = lh_calloc(n_cols, sizeof *r->spans);
    names = lh_calloc(n_cols, sizeof *names);
    if (!r->uris || !r->cols || !r->spans || !names) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory opening a JSON-lines reader");
        goto out;
    }
    for (i = 0; i < n_uris; i++) {
        r->uris[i] = lh_strdup(uris[i]);
        if (!r->uris[i]) {
            rc = lh_errf(err, LH_ENOMEM, "out of memory opening a JSON-lines reader");
            goto out;
        }
        r->n_uris = i + 1;
    }
    for (i = 0; i < n_cols; i++) {
        r->cols[i].type = cols[i].type;
        r->cols[i].name = lh_strdup(cols[i].name);
        if (!r->cols[i].name) {
            rc = lh_errf(err, LH_ENOMEM, "out of memory opening a JSON-lines reader");
            goto out;
        }
        names[i] = r->cols[i].name;
        r->n_cols = i + 1;
    }
    rc = lh_json_keys_new(names, n_cols, !r->opts.case_sensitive, &r->keys, err);
    if (rc)
        goto out;
    *out = r;
    r = NULL;
out:
    lh_free(names);
    lh_jsonl_reader_close(r);
    return rc;
}

const char *lh_jsonl_reader_file(const lh_jsonl_reader *r)
{
    return r && r->have_row ? r->uris[r->rec_uri] : NULL;
}

uint64_t lh_jsonl_reader_line(const lh_jsonl_reader *r) { return r && r->have_row ? r->rec_line : 0; }

const lh_jsonl_stats *lh_jsonl_reader_stats(const lh_jsonl_reader *r) { return &r->stats; }

/* ---- line splitting ---- */

/* The next raw line of the current object (without '\n'), or *got = 0 at
 * the end of the last object. */
static lh_rc next_line(lh_jsonl_reader *r, const char **lp, size_t *ln, int *got, lh_err *err)
{
    lh_rc rc = LH_OK;
    *got = 0;
    for (;;) {
        lh_buf *b = &r->buf;
        const char *nl;
        size_t g = 0;
        if (!r->obj_open) {
            lh_obj_info info;
            if (r->cur >= r->n_uris)
                return LH_OK;
            memset(&info, 0, sizeof info);
            rc = lh_store_head(r->store, r->uris[r->cur], &info, err);
            if (rc)
                return rc;
            r->obj_size = info.size;
            lh_obj_info_free(&info);
            r->obj_open = 1;
            r->obj_off = 0;
            r->line = 0;
            r->pos = r->scan_from = 0;
            lh_buf_reset(b);
        }
        nl = r->scan_from < b->len ? memchr(b->data + r->scan_from, '\n', b->len - r->scan_from) : NULL;
        if (nl) {
            size_t end = (size_t)(nl - b->data);
            r->line++;
            if (end - r->pos > r->opts.max_line)
                goto too_long;
            *lp = b->data + r->pos;
            *ln = end - r->pos;
            r->pos = r->scan_from = end + 1;
            *got = 1;
            return LH_OK;
        }
        r->scan_from = b->len;
        if (b->len - r->pos > r->opts.max_line) {
            r->line++;
            goto too_long;
        }
        if (r->obj_off >= r->obj_size) {
            if (r->pos < b->len) { /* the last line lacks its '\n' */
                r->line++;
                *lp = b->data + r->pos;
                *ln = b->len - r->pos;
                r->pos = r->scan_from = b->len;
                *got = 1;
                return LH_OK;
            }
            r->obj_open = 0;
            r->cur++;
            continue;
        }
        if (r->pos > 0) {
            memmove(b->data, b->data + r->pos, b->len - r->pos);
            b->len -= r->pos;
            r->scan_from -= r->pos;
            r->pos = 0;
        }
        {
            uint64_t left = r->obj_size - r->obj_off;
            size_t want = left < r->opts.chunk ? (size_t)left : r->opts.chunk;
            rc = lh_store_get_range(r->store, r->uris[r->cur], r->obj_off, want, b, &g, err);
            if (rc)
                return rc;
        }
        if (g == 0)
            r->obj_size = r->obj_off; /* the object shrank under us: stop at what we have */
        r->obj_off += g;
    }
too_long:
    return lh_errf(err, LH_ELIMIT, "%s:%llu: line longer than %zu bytes", r->uris[r->cur],
                   (unsigned long long)r->line, r->opts.max_line);
}

static int is_blank(const char *p, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n')
            return 0;
    return 1;
}

lh_rc lh_jsonl_reader_next(lh_jsonl_reader *r, int *eof, lh_err *err)
{
    lh_rc rc = LH_OK;
    *eof = 0;
    r->have_row = 0;
    scratch_reset(r);
    for (;;) {
        const char *p = NULL;
        size_t n = 0;
        int got = 0;
        lh_err jerr;
        rc = next_line(r, &p, &n, &got, err);
        if (rc)
            return rc;
        if (!got) {
            *eof = 1;
            return LH_OK;
        }
        if (n && p[n - 1] == '\r')
            n--;
        if (r->line == 1 && n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) {
            p += 3;
            n -= 3;
        }
        if (n == 0 || ((*p == ' ' || *p == '\t' || *p == '\r') && is_blank(p, n)))
            continue;
        r->stats.lines++;
        lh_err_clear(&jerr);
        rc = lh_json_scan_object(p, n, r->keys, r->spans, &jerr);
        if (rc == LH_OK) {
            r->stats.rows++;
            r->have_row = 1;
            r->rec_uri = r->cur;
            r->rec_line = r->line;
            return LH_OK;
        }
        if (rc != LH_EPARSE || !r->opts.ignore_malformed)
            return lh_errf(err, rc, "%s:%llu: %s; expected one JSON object per line", r->uris[r->cur],
                           (unsigned long long)r->line, jerr.msg);
        if (r->stats.malformed++ == 0 &&
            snprintf(r->stats.first_malformed, sizeof r->stats.first_malformed, "%s:%llu: %s", r->uris[r->cur],
                     (unsigned long long)r->line, jerr.msg) < 0)
            r->stats.first_malformed[0] = 0; /* truncation is fine: the text is bounded */
        if (r->opts.on_malformed) {
            rc = r->opts.on_malformed(r->opts.malformed_ctx, r->uris[r->cur], r->line, jerr.msg, p, n, err);
            if (rc)
                return rc;
        }
    }
}

/* ---- value conversion ---- */

/* Text of a string span, unescaped when needed (into scratch). */
static lh_rc string_text(lh_jsonl_reader *r, const lh_json_span *sp, const char **s, size_t *n, lh_err *err)
{
    lh_rc rc;
    char *d;
    if (!sp->has_escapes) {
        *s = sp->p;
        *n = sp->n;
        return LH_OK;
    }
    lh_buf_reset(&r->tmp);
    rc = lh_json_unescape(sp, &r->tmp, err);
    if (rc)
        return rc;
    d = scratch_alloc(r, r->tmp.len + 1, err);
    if (!d)
        return LH_ENOMEM;
    memcpy(d, r->tmp.data, r->tmp.len);
    d[r->tmp.len] = 0;
    *s = d;
    *n = r->tmp.len;
    return LH_OK;
}

static void trim(const char **s, size_t *n)
{
    while (*n && (**s == ' ' || **s == '\t' || **s == '\r' || **s == '\n')) {
        (*s)++;
        (*n)--;
    }
    while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t' || (*s)[*n - 1] == '\r' || (*s)[*n - 1] == '\n'))
        (*n)--;
}

/* Strict decimal integer with optional sign; 0 ok, -1 not an integer, -2 overflow. */
static int parse_i64(const char *s, size_t n, int allow_plus, int64_t *out)
{
    size_t i = 0;
    int neg = 0;
    uint64_t v = 0, lim;
    if (n && (s[0] == '-' || (allow_plus && s[0] == '+'))) {
        neg = s[0] == '-';
        i = 1;
    }
    if (i >= n)
        return -1;
    lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; i < n; i++) {
        unsigned dgt;
        if (s[i] < '0' || s[i] > '9')
            return -1;
        dgt = (unsigned)(s[i] - '0');
        if (v > (lim - dgt) / 10)
            return -2;
        v = v * 10 + dgt;
    }
    if (neg)
        *out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
    else
        *out = (int64_t)v;
    return 0;
}

/* Decimal number text -> finite double; 0 ok, -1 otherwise.  Hex, NaN and
 * infinities are refused; JSON numbers always pass the character check. */
/* Clinger's fast path: a decimal with at most 15 significant digits and
 * a power of ten up to 22 converts exactly with one IEEE multiply or
 * divide, so the result is correctly rounded, as strtod's.  (Measured: the
 * STEDI accelerometer scan spent 4% in strtod.)  Returns 0 if it applies. */
static int fast_double(const char *s, size_t n, double *out)
{
    static const double p10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    size_t i = 0;
    uint64_t m = 0;
    int nd = 0, frac = 0, neg = 0, seen_dot = 0, e = 0;
    if (i < n && (s[i] == '-' || s[i] == '+'))
        neg = s[i++] == '-';
    for (; i < n; i++) {
        char ch = s[i];
        if (ch >= '0' && ch <= '9') {
            if (m == 0 && ch == '0') {
                if (seen_dot)
                    frac++;
                continue; /* leading zeros carry no significance */
            }
            if (++nd > 15)
                return -1;
            m = m * 10 + (uint64_t)(ch - '0');
            if (seen_dot)
                frac++;
        } else if (ch == '.' && !seen_dot)
            seen_dot = 1;
        else
            break;
    }
    if (i < n) {
        int en = 0, eneg = 0, ed = 0;
        if (s[i] != 'e' && s[i] != 'E')
            return -1;
        i++;
        if (i < n && (s[i] == '-' || s[i] == '+'))
            eneg = s[i++] == '-';
        for (; i < n; i++) {
            if (s[i] < '0' || s[i] > '9' || ++ed > 3)
                return -1;
            en = en * 10 + (s[i] - '0');
        }
        if (!ed)
            return -1;
        e = eneg ? -en : en;
    }
    e -= frac;
    if (e < -22 || e > 22)
        return -1;
    *out = e < 0 ? (double)m / p10[-e] : (double)m * p10[e];
    if (neg)
        *out = -*out;
    return 0;
}

static int parse_double(lh_jsonl_reader *r, const char *s, size_t n, double *out)
{
    char small[64], *copy = small, *endp;
    size_t i;
    int digits = 0;
    double d;
    if (!n)
        return -1;
    for (i = 0; i < n; i++) {
        char ch = s[i];
        if (ch >= '0' && ch <= '9')
            digits++;
        else if (ch != '+' && ch != '-' && ch != '.' && ch != 'e' && ch != 'E')
            return -1;
    }
    if (!digits)
        return -1;
    if (fast_double(s, n, out) == 0)
        return 0;
    if (n >= sizeof small) {
        copy = scratch_alloc(r, n + 1, NULL);
        if (!copy)
            return -1;
    }
    memcpy(copy, s, n);
    copy[n] = 0;
    d = strtod(copy, &endp);
    if (endp != copy + n || !isfinite(d))
        return -1;
    *out = d;
    return 0;
}

/* Cut s to at most max UTF-8 characters. */
static size_t utf8_truncate(const char *s, size_t n, size_t max)
{
    size_t i, chars = 0;
    for (i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80 && chars++ == max)
            return i;
    return n;
}

static lh_rc invalid(lh_jsonl_reader *r, size_t col, const lh_json_span *sp, lh_value *out, lh_err *err)
{
    char tname[64];
    const char *raw = sp->p;
    size_t rn = sp->n, show;
    if (r->opts.null_for_invalid) {
        memset(out, 0, sizeof *out);
        out->t = LH_V_NULL;
        return LH_OK;
    }
    if (sp->kind == LH_J_STRING) { /* show the JSON text, quotes included */
        raw = sp->p - 1;
        rn = sp->n + 2;
    }
    show = rn;
    if (show > SHOW_MAX) {
        show = SHOW_MAX;
        while (show > 0 && ((unsigned char)raw[show] & 0xC0) == 0x80)
            show--;
    }
    return lh_errf(err, LH_EDATA, "%s:%llu: column '%s': expected %s, got %.*s%s", r->uris[r->rec_uri],
                   (unsigned long long)r->rec_line, r->cols[col].name, lh_type_name(&r->cols[col].type, tname, sizeof tname),
                   (int)show, raw, show < rn ? "..." : "");
}

lh_rc lh_jsonl_reader_value(lh_jsonl_reader *r, size_t col, lh_value *out, lh_err *err)
{
    lh_rc rc = LH_OK;
    const lh_json_span *sp;
    const lh_type *ty;
    const char *s = NULL;
    size_t n = 0;
    memset(out, 0, sizeof *out);
    out->t = LH_V_NULL;
    if (!r->have_row)
        return lh_errf(err, LH_EINVAL, "JSON-lines reader: no current record (call next first)");
    if (col >= r->n_cols)
        return lh_errf(err, LH_EINVAL, "JSON-lines reader: column %zu out of range (%zu columns)", col, r->n_cols);
    sp = &r->spans[col];
    ty = &r->cols[col].type;
    if (sp->kind == LH_J_ABSENT || sp->kind == LH_J_NULL)
        return LH_OK;
    if (sp->kind == LH_J_STRING) {
        rc = string_text(r, sp, &s, &n, err);
        if (rc)
            return rc;
    } else {
        s = sp->p;
        n = sp->n;
    }
    switch (ty->kind) {
    case LH_T_STRING:
    case LH_T_VARCHAR:
    case LH_T_CHAR:
        if ((ty->kind == LH_T_VARCHAR || ty->kind == LH_T_CHAR) && ty->p > 0)
            n = utf8_truncate(s, n, (size_t)ty->p);
        out->t = LH_V_TEXT;
        out->s = s;
        out->n = n;
        return LH_OK;
    case LH_T_TINYINT:
    case LH_T_SMALLINT:
    case LH_T_INT:
    case LH_T_BIGINT: {
        int64_t v, lo = INT64_MIN, hi = INT64_MAX;
        if (sp->kind == LH_J_STRING)
            trim(&s, &n);
        else if (sp->kind != LH_J_NUMBER)
            return invalid(r, col, sp, out, err);
        if (parse_i64(s, n, sp->kind == LH_J_STRING, &v))
            return invalid(r, col, sp, out, err);
        if (ty->kind == LH_T_TINYINT) {
            lo = INT8_MIN;
            hi = INT8_MAX;
        } else if (ty->kind == LH_T_SMALLINT) {
            lo = INT16_MIN;
            hi = INT16_MAX;
        } else if (ty->kind == LH_T_INT) {
            lo = INT32_MIN;
            hi = INT32_MAX;
        }
        if (v < lo || v > hi)
            return invalid(r, col, sp, out, err);
        out->t = LH_V_INT;
        out->i = v;
        return LH_OK;
    }
    case LH_T_FLOAT:
    case LH_T_DOUBLE:
    case LH_T_DECIMAL: {
        double d;
        if (sp->kind == LH_J_STRING)
            trim(&s, &n);
        else if (sp->kind != LH_J_NUMBER)
            return invalid(r, col, sp, out, err);
        if (parse_double(r, s, n, &d))
            return invalid(r, col, sp, out, err);
        out->t = LH_V_REAL;
        out->d = d;
        return LH_OK;
    }
    case LH_T_BOOLEAN:
        if (sp->kind == LH_J_TRUE || sp->kind == LH_J_FALSE) {
            out->i = sp->kind == LH_J_TRUE;
        } else if (sp->kind == LH_J_STRING && n == 4 && strncasecmp(s, "true", 4) == 0) {
            out->i = 1;
        } else if (sp->kind == LH_J_STRING && n == 5 && strncasecmp(s, "false", 5) == 0) {
            out->i = 0;
        } else {
            return invalid(r, col, sp, out, err);
        }
        out->t = LH_V_INT;
        return LH_OK;
    case LH_T_DATE: {
        int64_t days;
        char *d;
        if (sp->kind != LH_J_STRING || lh_parse_date(s, n, &days))
            return invalid(r, col, sp, out, err);
        d = scratch_alloc(r, 24, err);
        if (!d)
            return LH_ENOMEM;
        out->t = LH_V_TEXT;
        out->s = d;
        out->n = lh_fmt_date(days, d, 24);
        return LH_OK;
    }
    case LH_T_TIMESTAMP: {
        int64_t ms;
        char *d;
        if (sp->kind == LH_J_STRING) {
            if (lh_parse_timestamp_ms(s, n, &ms))
                return invalid(r, col, sp, out, err);
        } else if (sp->kind != LH_J_NUMBER || parse_i64(s, n, 0, &ms)) {
            return invalid(r, col, sp, out, err);
        }
        d = scratch_alloc(r, 40, err);
        if (!d)
            return LH_ENOMEM;
        out->t = LH_V_TEXT;
        out->s = d;
        out->n = lh_fmt_timestamp_ms(ms, d, 40);
        if (out->n >= 40)
            out->n = 39;
        return LH_OK;
    }
    }
    return lh_errf(err, LH_EINTERNAL, "column '%s': unknown type kind %d", r->cols[col].name, (int)ty->kind);
}

/* ---- writer ---- */

lh_rc lh_jsonl_append_row(lh_buf *out, const char *const *names, const lh_type *types, const lh_value *vals,
                          size_t n, lh_err *err)
{
    lh_rc rc;
    size_t start = out->len, i;
    int first = 1;
    rc = lh_buf_putc(out, '{', err);
    if (rc)
        goto out;
    for (i = 0; i < n; i++) {
        const lh_value *v = &vals[i];
        if (v->t == LH_V_NULL)
            continue;
        if (!first) {
            rc = lh_buf_putc(out, ',', err);
            if (rc)
                goto out;
        }
        first = 0;
        rc = lh_json_quote(out, names[i], strlen(names[i]), err);
        if (!rc)
            rc = lh_buf_putc(out, ':', err);
        if (rc)
            goto out;
        if (types && types[i].kind == LH_T_BOOLEAN && v->t != LH_V_TEXT) {
            int truth = v->t == LH_V_INT ? v->i != 0 : v->d != 0;
            rc = lh_buf_puts(out, truth ? "true" : "false", err);
        } else if (v->t == LH_V_INT) {
            rc = lh_buf_printf(out, err, "%lld", (long long)v->i);
        } else if (v->t == LH_V_REAL) {
            rc = lh_json_put_double(out, v->d, err);
        } else if (v->t == LH_V_TEXT) {
            rc = lh_json_quote(out, v->s ? v->s : "", v->s ? v->n : 0, err);
        } else {
            rc = lh_errf(err, LH_EINTERNAL, "column '%s': unknown value type %d", names[i], (int)v->t);
        }
        if (rc)
            goto out;
    }
    rc = lh_buf_append(out, "}\n", 2, err);
out:
    if (rc && out->len > start) {
        out->len = start; /* leave no half row behind */
        if (out->data)
            out->data[start] = 0;
    }
    return rc;
}
