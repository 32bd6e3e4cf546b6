/* cli/output.c — see output.h. */
#include "cli/output.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/json.h"
#include "util/mem.h"

struct lh_printer {
    lh_sink sink;
    lh_outfmt fmt;
    FILE *out, *notices;
    size_t ncols;
    char **names;
    int *is_bool, *is_num;
    char **cells; /* grid: buffered rows, ncols cells each */
    size_t nrows;
    lh_buf tmp;
    int header_done;
};

static void format_double(double d, char *buf, size_t n)
{
    int prec;
    if (isnan(d)) {
        snprintf(buf, n, "NaN");
        return;
    }
    if (isinf(d)) {
        snprintf(buf, n, d > 0 ? "Infinity" : "-Infinity");
        return;
    }
    for (prec = 15; prec <= 17; prec++) {
        snprintf(buf, n, "%.*g", prec, d);
        if (strtod(buf, NULL) == d)
            break;
    }
    if (!strpbrk(buf, ".eEn"))
        strncat(buf, ".0", n - strlen(buf) - 1);
}

/* Text of one value; NULL -> NULL pointer. */
static const char *cell_text(lh_printer *p, size_t col, const lh_value *v, char *num, size_t numsz, size_t *len)
{
    switch (v->t) {
    case LH_V_NULL: return NULL;
    case LH_V_INT:
        if (p->is_bool[col] && (v->i == 0 || v->i == 1))
            snprintf(num, numsz, "%s", v->i ? "true" : "false");
        else
            snprintf(num, numsz, "%lld", (long long)v->i);
        *len = strlen(num);
        return num;
    case LH_V_REAL:
        format_double(v->d, num, numsz);
        *len = strlen(num);
        return num;
    case LH_V_TEXT: *len = v->n; return v->s;
    }
    return NULL;
}

static size_t utf8_width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            w++;
    return w;
}

static void free_grid(lh_printer *p)
{
    size_t i;
    for (i = 0; p->cells && i < p->nrows * p->ncols; i++)
        lh_free(p->cells[i]);
    p->nrows = 0;
}

static lh_rc flush_grid(lh_printer *p, lh_err *err)
{
    lh_rc rc = lh_print_grid(p->out, p->ncols, (const char *const *)p->names, (const char *const *)p->cells, p->nrows,
                             err);
    free_grid(p);
    return rc;
}

static void free_cols(lh_printer *p)
{
    size_t i;
    free_grid(p);
    for (i = 0; p->names && i < p->ncols; i++)
        lh_free(p->names[i]);
    lh_free(p->names);
    lh_free(p->is_bool);
    lh_free(p->is_num);
    lh_free(p->cells);
    p->names = NULL;
    p->is_bool = p->is_num = NULL;
    p->cells = NULL;
    p->ncols = 0;
}

static lh_rc csv_field(lh_buf *b, const char *s, size_t n, lh_err *err)
{
    size_t i;
    lh_rc rc;
    int quote = n > 0 && (s[0] == ' ' || s[n - 1] == ' ');
    for (i = 0; i < n && !quote; i++) /* s is not NUL-terminated */
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
    if (!quote)
        return lh_buf_append(b, s, n, err);
    if ((rc = lh_buf_putc(b, '"', err)))
        return rc;
    for (i = 0; i < n; i++) {
        if (s[i] == '"' && (rc = lh_buf_putc(b, '"', err)))
            return rc;
        if ((rc = lh_buf_putc(b, s[i], err)))
            return rc;
    }
    return lh_buf_putc(b, '"', err);
}

/* 1 when s[0..n) is a JSON number ("1.50", "-2.5E-3"; not NaN or Infinity). */
static int json_number(const char *s, size_t n)
{
    size_t i = 0;
    int digits = 0;
    if (i < n && s[i] == '-')
        i++;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++, digits++;
    if (!digits)
        return 0;
    if (i < n && s[i] == '.') {
        i++;
        digits = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++, digits++;
        if (!digits)
            return 0;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '-' || s[i] == '+'))
            i++;
        digits = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++, digits++;
        if (!digits)
            return 0;
    }
    return i == n;
}

static lh_rc write_buf(lh_printer *p, lh_err *err)
{
    if (p->tmp.len && fwrite(p->tmp.data, 1, p->tmp.len, p->out) != p->tmp.len)
        return lh_errf(err, LH_EIO, "cannot write output");
    lh_buf_reset(&p->tmp);
    return LH_OK;
}

static lh_rc p_begin(void *ctx, size_t ncols, const char *const *names, const char *const *types, lh_err *err)
{
    lh_printer *p = ctx;
    size_t i;
    lh_rc rc = LH_OK;
    free_cols(p);
    p->ncols = ncols;
    p->names = lh_calloc(ncols + 1, sizeof *p->names);
    p->is_bool = lh_calloc(ncols + 1, sizeof *p->is_bool);
    p->is_num = lh_calloc(ncols + 1, sizeof *p->is_num);
    p->cells = lh_calloc((ncols + 1) * LH_GRID_CHUNK, sizeof *p->cells);
    if (!p->names || !p->is_bool || !p->is_num || !p->cells)
        return lh_errf(err, LH_ENOMEM, "out of memory");
    for (i = 0; i < ncols; i++) {
        p->names[i] = lh_strdup(names[i]);
        if (!p->names[i])
            return lh_errf(err, LH_ENOMEM, "out of memory");
        p->is_bool[i] = types && types[i] && !strcmp(types[i], "boolean");
        /* numbers our engine hands over as Athena's text: JSON numbers, not strings */
        p->is_num[i] = types && types[i] &&
                       (!strcmp(types[i], "double") || !strcmp(types[i], "real") || !strncmp(types[i], "decimal(", 8));
    }
    if (p->fmt == LH_OUT_CSV) {
        for (i = 0; i < ncols && !rc; i++) {
            if (i && (rc = lh_buf_putc(&p->tmp, ',', err)))
                break;
            rc = csv_field(&p->tmp, names[i], strlen(names[i]), err);
        }
        if (!rc)
            rc = lh_buf_puts(&p->tmp, "\r\n", err);
        if (!rc)
            rc = write_buf(p, err);
    }
    return rc;
}

static lh_rc p_row(void *ctx, const lh_value *vals, lh_err *err)
{
    lh_printer *p = ctx;
    size_t i;
    lh_rc rc = LH_OK;
    char num[64];
    if (p->fmt == LH_OUT_TABLE) {
        for (i = 0; i < p->ncols; i++) {
            size_t len = 0;
            const char *s = cell_text(p, i, &vals[i], num, sizeof num, &len);
            char *c = s ? lh_strndup(s, len) : lh_strdup("NULL");
            size_t k;
            if (!c)
                return lh_errf(err, LH_ENOMEM, "out of memory");
            for (k = 0; c[k]; k++) /* keep the grid a grid */
                if ((unsigned char)c[k] < 0x20)
                    c[k] = ' ';
            p->cells[p->nrows * p->ncols + i] = c;
        }
        p->nrows++;
        if (p->nrows == LH_GRID_CHUNK)
            return flush_grid(p, err);
        return LH_OK;
    }
    for (i = 0; i < p->ncols && !rc; i++) {
        size_t len = 0;
        const char *s = cell_text(p, i, &vals[i], num, sizeof num, &len);
        if (p->fmt == LH_OUT_CSV) {
            if (i && (rc = lh_buf_putc(&p->tmp, ',', err)))
                break;
            if (s)
                rc = csv_field(&p->tmp, s, len, err);
        } else {
            rc = lh_buf_puts(&p->tmp, i ? "," : "{", err);
            if (!rc)
                rc = lh_json_quote(&p->tmp, p->names[i], strlen(p->names[i]), err);
            if (!rc)
                rc = lh_buf_putc(&p->tmp, ':', err);
            if (rc)
                break;
            if (!s)
                rc = lh_buf_puts(&p->tmp, "null", err);
            else if (vals[i].t == LH_V_TEXT && p->is_num[i] && json_number(s, len))
                rc = lh_buf_append(&p->tmp, s, len, err);
            else if (vals[i].t == LH_V_TEXT)
                rc = lh_json_quote(&p->tmp, s, len, err);
            else if (vals[i].t == LH_V_REAL)
                rc = lh_json_put_double(&p->tmp, vals[i].d, err);
            else
                rc = lh_buf_append(&p->tmp, s, len, err);
        }
    }
    if (!rc && p->fmt == LH_OUT_JSON && p->ncols == 0)
        rc = lh_buf_putc(&p->tmp, '{', err);
    if (!rc)
        rc = lh_buf_puts(&p->tmp, p->fmt == LH_OUT_CSV ? "\r\n" : "}\n", err);
    if (!rc && p->tmp.len >= 65536)
        rc = write_buf(p, err);
    return rc;
}

static lh_rc p_end(void *ctx, uint64_t rows, lh_err *err)
{
    lh_printer *p = ctx;
    lh_rc rc;
    if (p->fmt == LH_OUT_TABLE) {
        if (p->nrows || rows == 0)
            rc = flush_grid(p, err);
        else
            rc = LH_OK;
        if (!rc && fflush(p->out) != 0)
            rc = lh_errf(err, LH_EIO, "cannot write output");
        if (!rc && p->notices)
            fprintf(p->notices, "(%llu row%s)\n", (unsigned long long)rows, rows == 1 ? "" : "s");
    } else
        rc = write_buf(p, err);
    if (!rc && fflush(p->out) != 0)
        rc = lh_errf(err, LH_EIO, "cannot write output");
    return rc;
}

static void p_notice(void *ctx, const char *msg)
{
    lh_printer *p = ctx;
    if (p->notices)
        fprintf(p->notices, "%s\n", msg);
}

lh_rc lh_printer_new(lh_outfmt fmt, FILE *out, FILE *notices, lh_printer **pp, lh_err *err)
{
    lh_printer *p = lh_calloc(1, sizeof *p);
    if (!p)
        return lh_errf(err, LH_ENOMEM, "out of memory");
    p->fmt = fmt;
    p->out = out;
    p->notices = notices;
    lh_buf_init(&p->tmp, 0);
    p->sink.ctx = p;
    p->sink.begin = p_begin;
    p->sink.row = p_row;
    p->sink.end = p_end;
    p->sink.notice = p_notice;
    *pp = p;
    return LH_OK;
}

const lh_sink *lh_printer_sink(lh_printer *p) { return &p->sink; }

void lh_printer_free(lh_printer *p)
{
    if (!p)
        return;
    free_cols(p);
    lh_buf_free(&p->tmp);
    lh_free(p);
}

int lh_outfmt_parse(const char *s)
{
    if (!strcmp(s, "table"))
        return LH_OUT_TABLE;
    if (!strcmp(s, "csv"))
        return LH_OUT_CSV;
    if (!strcmp(s, "json"))
        return LH_OUT_JSON;
    return -1;
}

static int looks_numeric(const char *s)
{
    char *end;
    if (!*s)
        return 0;
    strtod(s, &end);
    return *end == 0;
}

lh_rc lh_print_grid(FILE *out, size_t ncols, const char *const *names, const char *const *cells, size_t nrows,
                    lh_err *err)
{
    size_t *w = lh_calloc(ncols + 1, sizeof *w), i, r, k;
    if (!w)
        return lh_errf(err, LH_ENOMEM, "out of memory");
    for (i = 0; i < ncols; i++) {
        w[i] = utf8_width(names[i]);
        for (r = 0; r < nrows; r++) {
            size_t cw = utf8_width(cells[r * ncols + i]);
            if (cw > w[i])
                w[i] = cw;
        }
    }
#define RULE()                                                                                                         \
    do {                                                                                                               \
        for (i = 0; i < ncols; i++) {                                                                                  \
            fputc('+', out);                                                                                           \
            for (k = 0; k < w[i] + 2; k++)                                                                             \
                fputc('-', out);                                                                                       \
        }                                                                                                              \
        fputs("+\n", out);                                                                                             \
    } while (0)
    RULE();
    for (i = 0; i < ncols; i++)
        fprintf(out, "| %s%*s ", names[i], (int)(w[i] - utf8_width(names[i])), "");
    fputs("|\n", out);
    RULE();
    for (r = 0; r < nrows; r++) {
        for (i = 0; i < ncols; i++) {
            const char *c = cells[r * ncols + i];
            int pad = (int)(w[i] - utf8_width(c));
            if (looks_numeric(c))
                fprintf(out, "| %*s%s ", pad, "", c);
            else
                fprintf(out, "| %s%*s ", c, pad, "");
        }
        fputs("|\n", out);
    }
    if (nrows)
        RULE();
#undef RULE
    lh_free(w);
    if (ferror(out))
        return lh_errf(err, LH_EIO, "cannot write output");
    return LH_OK;
}
