/* formats/jsonl_write.c — the JSON-lines writer (formats/jsonl.h): one
 * record per line from lh_value cells (lh_jsonl_append_row) or from a
 * column batch (lh_jsonl_append_batch, formats/colvals.h).
 *
 * The batch writer formats each value from its array into the line
 * buffer: one reservation per row for its worst case, then direct stores
 * (keys quoted once per call, integers, dates and timestamps digit by
 * digit, strings escaped in place).  Doubles go through
 * lh_json_put_double, the one spelling both paths share.  The bytes are
 * those lh_jsonl_append_row writes for the same rows with the cells a
 * CREATE TABLE AS used to give it: integers and booleans as INT, doubles
 * (and non-finite reals) as REAL, reals as Float.toString's text,
 * decimals, dates and timestamps as Trino's text (tests/unit/test_colbatch.c
 * compares the two).
 */
#include "formats/jsonl.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "formats/json.h"

/* ---- writer ---- */

/* 1 if s[0..n) is a number by JSON's grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static int json_number_text(const char *s, size_t n)
{
    size_t i = 0, d;
    if (i < n && s[i] == '-')
        i++;
    if (i < n && s[i] == '0')
        i++;
    else if (i < n && s[i] >= '1' && s[i] <= '9')
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
    else
        return 0;
    if (i < n && s[i] == '.') {
        d = ++i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == d)
            return 0;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        d = i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == d)
            return 0;
    }
    return i == n;
}

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
        if (types && (types[i].kind == LH_T_DECIMAL || types[i].kind == LH_T_FLOAT || types[i].kind == LH_T_DOUBLE) &&
            v->t == LH_V_TEXT && json_number_text(v->s, v->n)) {
            rc = lh_buf_append(out, v->s, v->n, err); /* a number's exact digits, as the SerDe writes it */
        } else if (types && types[i].kind == LH_T_BOOLEAN && v->t != LH_V_TEXT) {
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

/* ---- column batches ---- */

#define ROW(k) (sel ? sel[k] : (k))

static char *put_i64(char *d, int64_t x)
{
    char t[24];
    int n = 0;
    uint64_t u = x < 0 ? (uint64_t)0 - (uint64_t)x : (uint64_t)x;
    if (x < 0)
        *d++ = '-';
    do {
        t[n++] = (char)('0' + (int)(u % 10));
        u /= 10;
    } while (u);
    while (n)
        *d++ = t[--n];
    return d;
}

static char *put_quoted(char *d, const char *s, size_t n, size_t pad)
{
    static const char hexd[] = "0123456789abcdef";
    size_t i;
    *d++ = '"';
    for (i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch >= 0x20 && ch != '"' && ch != '\\') {
            *d++ = (char)ch;
            continue;
        }
        *d++ = '\\';
        switch (ch) {
        case '"': *d++ = '"'; break;
        case '\\': *d++ = '\\'; break;
        case '\n': *d++ = 'n'; break;
        case '\r': *d++ = 'r'; break;
        case '\t': *d++ = 't'; break;
        case '\b': *d++ = 'b'; break;
        case '\f': *d++ = 'f'; break;
        default:
            *d++ = 'u';
            *d++ = '0';
            *d++ = '0';
            *d++ = hexd[ch >> 4];
            *d++ = hexd[ch & 15];
        }
    }
    memset(d, ' ', pad);
    d += pad;
    *d++ = '"';
    return d;
}

static char *put_bool(char *d, int truth)
{
    memcpy(d, truth ? "true" : "false", truth ? 4 : 5);
    return d + (truth ? 4 : 5);
}

/* Spaces that pad s to char_len characters. */
static size_t pad_of(const lh_colstr *s, uint32_t char_len)
{
    uint32_t cp = 0, i;
    if (!char_len || s->n >= (size_t)char_len * 4)
        return 0;
    for (i = 0; i < s->n; i++)
        cp += ((unsigned char)s->p[i] & 0xC0) != 0x80;
    return cp < char_len ? char_len - cp : 0;
}

#define VALUE_MAX 64 /* the longest non-string value: a decimal's or a double's text */

lh_rc lh_jsonl_append_batch(lh_buf *out, const char *const *names, const lh_type *types, const lh_colvals *cols,
                            size_t n_cols, const uint16_t *sel, uint32_t from, uint32_t n, size_t limit,
                            uint32_t *next, lh_err *err)
{
    lh_buf keys;
    size_t *koff = lh_calloc(n_cols + 1, sizeof *koff);
    uint8_t *mode = lh_calloc(n_cols + 1, 1); /* bit 0: numbers raw (decimal/float/double); bit 1: booleans */
    size_t c, start = out->len;
    uint32_t k = from;
    lh_rc rc = LH_OK;
    lh_buf_init(&keys, 0);
    *next = from;
    if (!koff || !mode) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory");
        goto out;
    }
    for (c = 0; c < n_cols; c++) { /* "name": once per call */
        koff[c] = keys.len;
        if ((rc = lh_json_quote(&keys, names[c], strlen(names[c]), err)) || (rc = lh_buf_putc(&keys, ':', err)))
            goto out;
        if (types) {
            lh_kind kd = types[c].kind;
            mode[c] = (uint8_t)((kd == LH_T_DECIMAL || kd == LH_T_FLOAT || kd == LH_T_DOUBLE) |
                                (kd == LH_T_BOOLEAN) << 1);
        }
    }
    koff[n_cols] = keys.len;
    for (; k < n; k++) {
        uint32_t r = ROW(k);
        size_t bound = 3;
        int first = 1;
        char *d;
        start = out->len;
        for (c = 0; c < n_cols; c++) {
            const lh_colvals *cv = &cols[c];
            if (!lh_colvals_valid(cv, r))
                continue;
            bound += 1 + koff[c + 1] - koff[c];
            if (cv->kind == LH_CV_STR) {
                const lh_colstr *s = &((const lh_colstr *)cv->data)[lh_colvals_at(cv, r)];
                bound += 2 + 6 * (size_t)s->n + cv->char_len;
            } else
                bound += VALUE_MAX;
        }
        if ((rc = lh_buf_reserve(out, bound, err)))
            goto out;
        d = out->data + out->len;
        *d++ = '{';
        for (c = 0; c < n_cols; c++) {
            const lh_colvals *cv = &cols[c];
            uint32_t i;
            char tb[VALUE_MAX];
            size_t tn;
            if (!lh_colvals_valid(cv, r))
                continue;
            i = lh_colvals_at(cv, r);
            if (!first)
                *d++ = ',';
            first = 0;
            memcpy(d, keys.data + koff[c], koff[c + 1] - koff[c]);
            d += koff[c + 1] - koff[c];
            switch (cv->kind) {
            case LH_CV_BOOL: {
                int b = ((const uint8_t *)cv->data)[i] != 0;
                if (mode[c] & 2)
                    d = put_bool(d, b);
                else
                    *d++ = b ? '1' : '0';
                break;
            }
            case LH_CV_I8:
            case LH_CV_I16:
            case LH_CV_I32:
            case LH_CV_I64: {
                int64_t x = cv->kind == LH_CV_I8    ? ((const int8_t *)cv->data)[i]
                            : cv->kind == LH_CV_I16 ? ((const int16_t *)cv->data)[i]
                            : cv->kind == LH_CV_I32 ? ((const int32_t *)cv->data)[i]
                                                    : ((const int64_t *)cv->data)[i];
                d = mode[c] & 2 ? put_bool(d, x != 0) : put_i64(d, x);
                break;
            }
            case LH_CV_F32:
            case LH_CV_F64: {
                double x = cv->kind == LH_CV_F32 ? (double)((const float *)cv->data)[i] : ((const double *)cv->data)[i];
                if (cv->kind == LH_CV_F32 && isfinite(x)) { /* Float.toString's text, a number */
                    tn = lh_cv_real_text((float)x, tb);
                    goto text;
                }
                if (mode[c] & 2) {
                    d = put_bool(d, x != 0);
                    break;
                }
                out->len = (size_t)(d - out->data);
                if ((rc = lh_json_put_double(out, x, err)))
                    goto out;
                d = out->data + out->len;
                break;
            }
            case LH_CV_DEC64:
                tn = lh_cv_decimal_text(((const int64_t *)cv->data)[i], cv->scale, tb);
                goto text;
            case LH_CV_DEC128:
                tn = lh_cv_decimal_text(((const __int128 *)cv->data)[i], cv->scale, tb);
                goto text;
            case LH_CV_DATE: /* never a JSON number: quoted */
                tn = lh_cv_date_text(((const int32_t *)cv->data)[i], tb);
                d = put_quoted(d, tb, tn, 0);
                break;
            case LH_CV_TS_US:
                tn = lh_cv_timestamp_ms_text(lh_cv_us_to_ms(((const int64_t *)cv->data)[i]), tb);
                d = put_quoted(d, tb, tn, 0);
                break;
            case LH_CV_STR: {
                const lh_colstr *s = &((const lh_colstr *)cv->data)[i];
                size_t pad = pad_of(s, cv->char_len);
                if ((mode[c] & 1) && !pad && json_number_text(s->p, s->n)) {
                    memcpy(d, s->p, s->n);
                    d += s->n;
                } else
                    d = put_quoted(d, s->n ? s->p : "", s->n, pad);
                break;
            }
            default:
                rc = lh_errf(err, LH_EINTERNAL, "column '%s': unknown column batch kind %d", names[c], (int)cv->kind);
                goto out;
            }
            continue;
        text: /* a number's text: raw where the column is numeric, as the SerDe writes it */
            if (mode[c] & 1) {
                memcpy(d, tb, tn);
                d += tn;
            } else
                d = put_quoted(d, tb, tn, 0);
        }
        *d++ = '}';
        *d++ = '\n';
        out->len = (size_t)(d - out->data);
        out->data[out->len] = 0;
        if (limit && out->len >= limit) {
            k++;
            break;
        }
    }
    *next = k;
out:
    if (rc) { /* leave no half row behind */
        *next = k;
        out->len = start;
        if (out->data)
            out->data[start] = 0;
    }
    lh_buf_free(&keys);
    lh_free(koff);
    lh_free(mode);
    return rc;
}
