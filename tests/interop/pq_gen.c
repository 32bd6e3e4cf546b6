/* tests/interop/pq_gen.c — writes Parquet files with the lakehouse writer
 * for DuckDB to read: types x NULL patterns x codecs x dictionary on/off x
 * page/row-group sizes.  For each NAME.parquet it writes NAME.jsonl, the
 * source rows in the canonical form duckdb_check.mjs compares against:
 *   integers -> "123" (string, exact), float/double -> number or "NaN",
 *   boolean -> 0/1, date -> days since 1970-01-01, timestamp -> "ms",
 *   decimal -> "123.45" (exactly scale digits), string -> string.
 * Usage: pq_gen ROOT   (files go to ROOT/interop/gen/) */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/json.h"
#include "formats/parquet.h"
#include "store/store.h"

enum { C_S, C_TI, C_SI, C_I, C_B, C_F, C_D, C_BO, C_DT, C_TS, C_DC, C_DS, C_DB, C_INF, NCOL };
static const char *names[NCOL] = {"s", "ti", "si", "i", "b", "f", "d", "bo", "dt", "ts", "dc", "ds", "db", "inf"};
static const char *types[NCOL] = {"string", "tinyint", "smallint", "int", "bigint", "float", "double",
                                  "boolean", "date", "timestamp", "decimal(10,2)", "decimal(5,1)",
                                  "decimal(30,4)", NULL};

static uint64_t mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

static int is_null(int row, int col)
{
    switch (col % 4) {
    case 0: return 0;
    case 1: return row % 7 == 3;
    case 2: return (row / 40) % 3 == 1;
    default: return mix((uint64_t)row * 31 + (uint64_t)col) % 2 == 0;
    }
}

static size_t dec_text(char *buf, size_t n, int64_t whole, int64_t frac, int scale, int neg)
{
    if (whole == 0 && frac == 0)
        neg = 0;
    return (size_t)snprintf(buf, n, "%s%lld.%0*lld", neg ? "-" : "", (long long)whole, scale, (long long)frac);
}

/* Input value and its canonical JSON (appended to js). */
static lh_value gen(int row, int col, char *buf, size_t n, lh_buf *js)
{
    lh_value v;
    uint64_t r = mix((uint64_t)row * 131 + (uint64_t)col);
    char tmp[128];
    int ok = 0;
    memset(&v, 0, sizeof v);
    if (is_null(row, col)) {
        ok = lh_buf_puts(js, "null", NULL);
        return v;
    }
    switch (col) {
    case C_S:
        v.t = LH_V_TEXT;
        v.n = (size_t)snprintf(buf, n, "%s-%d-\xc3\xa9\xe2\x82\xac", row % 5 ? "name" : "x", (int)(r % 300));
        if (row % 97 == 0)
            v.n = 0;
        v.s = buf;
        ok = lh_json_quote(js, v.s, v.n, NULL);
        break;
    case C_TI:
    case C_SI:
    case C_I:
    case C_B:
    case C_INF:
        v.t = LH_V_INT;
        v.i = col == C_TI ? (int64_t)(r % 256) - 128
              : col == C_SI ? (int64_t)(r % 65536) - 32768
              : col == C_I  ? (int64_t)(int32_t)(uint32_t)r
              : col == C_B  ? (row % 3 ? (int64_t)(r % 1000) : (int64_t)r)
                            : (int64_t)(r % 5000);
        ok = lh_buf_printf(js, NULL, "\"%lld\"", (long long)v.i);
        break;
    case C_F:
    case C_D:
        v.t = LH_V_REAL;
        if (col == C_F)
            v.d = (double)(float)(((double)(r % 200000) - 100000) / 64.0);
        else
            v.d = row % 13 == 0 ? NAN : row % 17 == 0 ? -0.0 : (double)(int64_t)r / 7.0;
        if (isnan(v.d))
            ok = lh_buf_puts(js, "\"NaN\"", NULL);
        else
            ok = lh_buf_printf(js, NULL, "%.17g", v.d);
        break;
    case C_BO:
        v.t = LH_V_INT;
        v.i = (int64_t)(r & 1);
        ok = lh_buf_printf(js, NULL, "%d", (int)v.i);
        break;
    case C_DT: {
        int64_t days = (int64_t)(r % 73000) - 25567; /* 1900 .. 2099 */
        v.t = LH_V_TEXT;
        v.n = lh_fmt_date(days, buf, n);
        v.s = buf;
        ok = lh_buf_printf(js, NULL, "%lld", (long long)days);
        break;
    }
    case C_TS: {
        int64_t ms = (int64_t)(r % 4000000000000ull);
        v.t = LH_V_TEXT;
        v.n = lh_fmt_timestamp_ms(ms, buf, n);
        v.s = buf;
        ok = lh_buf_printf(js, NULL, "\"%lld\"", (long long)ms);
        break;
    }
    case C_DC:
    case C_DS:
    case C_DB: {
        int scale = col == C_DC ? 2 : col == C_DS ? 1 : 4;
        int64_t whole = col == C_DC ? (int64_t)(r % 100000000) : col == C_DS ? (int64_t)(r % 10000)
                                                                             : (int64_t)(r % 1000000000000000ull);
        int64_t frac = (int64_t)(mix(r) % (uint64_t)(scale == 1 ? 10 : scale == 2 ? 100 : 10000));
        size_t k = dec_text(buf, n, whole, frac, scale, (int)(r >> 60) & 1);
        v.t = LH_V_TEXT;
        v.s = buf;
        v.n = k;
        memcpy(tmp, buf, k);
        ok = lh_json_quote(js, tmp, k, NULL);
        break;
    }
    default: break;
    }
    (void)ok;
    return v;
}

static int write_one(lh_store *st, const char *root, const char *name, const lh_pq_write_opts *o, int rows)
{
    lh_type t[NCOL];
    lh_pq_writer *w = NULL;
    lh_err err;
    char uri[512], path[1024], bufs[NCOL][256];
    lh_buf js;
    FILE *fp;
    int c, r;
    for (c = 0; c < NCOL; c++) {
        memset(&t[c], 0, sizeof t[c]);
        if (types[c] && lh_type_parse(types[c], strlen(types[c]), &t[c], &err)) {
            fprintf(stderr, "%s\n", err.msg);
            return 1;
        }
    }
    snprintf(uri, sizeof uri, "s3://interop/gen/%s.parquet", name);
    snprintf(path, sizeof path, "%s/interop/gen/%s.jsonl", root, name);
    if (lh_pq_writer_open(st, uri, names, t, NCOL, o, &w, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    lh_buf_init(&js, 0);
    for (r = 0; r < rows; r++) {
        lh_value v[NCOL];
        if (lh_buf_putc(&js, '{', NULL))
            return 1;
        for (c = 0; c < NCOL; c++) {
            if (lh_buf_printf(&js, NULL, "%s\"%s\":", c ? "," : "", names[c]))
                return 1;
            v[c] = gen(r, c, bufs[c], sizeof bufs[c], &js);
        }
        if (lh_buf_puts(&js, "}\n", NULL))
            return 1;
        if (lh_pq_writer_row(w, v, &err)) {
            fprintf(stderr, "%s\n", err.msg);
            lh_pq_writer_abort(w);
            return 1;
        }
    }
    if (lh_pq_writer_close(w, NULL, NULL, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    fp = fopen(path, "wb");
    if (!fp || fwrite(js.data, 1, js.len, fp) != js.len || fclose(fp)) {
        fprintf(stderr, "cannot write %s\n", path);
        return 1;
    }
    lh_buf_free(&js);
    return 0;
}

int main(int argc, char **argv)
{
    lh_store *st;
    lh_err err;
    const char *codec_names[4] = {"none", "snappy", "gzip", "zstd"};
    lh_pq_codec codecs[4] = {LH_PQ_UNCOMPRESSED, LH_PQ_SNAPPY, LH_PQ_GZIP, LH_PQ_ZSTD};
    int ci, dict, small, fails = 0, files = 0;
    if (argc != 2) {
        fprintf(stderr, "usage: pq_gen ROOT\n");
        return 2;
    }
    if (lh_store_open_local(argv[1], &st, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    for (ci = 0; ci < 4; ci++)
        for (dict = 0; dict < 2; dict++)
            for (small = 0; small < 2; small++) {
                lh_pq_write_opts o;
                char name[128];
                memset(&o, 0, sizeof o);
                o.codec = codecs[ci];
                o.no_dictionary = !dict;
                if (small) {
                    o.page_bytes = 700;
                    o.row_group_bytes = 48 << 10;
                    o.dict_max_bytes = 1500;
                    o.timestamp_micros = 1;
                }
                snprintf(name, sizeof name, "lh_%s_%s_%s", codec_names[ci], dict ? "dict" : "plain",
                         small ? "small" : "default");
                fails += write_one(st, argv[1], name, &o, small ? 4000 : 1500);
                files++;
            }
    lh_store_close(st);
    fprintf(stderr, "pq_gen: wrote %d files, %d failed\n", files, fails);
    return fails ? 1 : 0;
}
