/* tests/unit/test_colbatch.c — column batches into the writers
 * (lh_pq_writer_batch, lh_jsonl_append_batch; formats/colvals.h).
 *
 * The reference is the row path as CREATE TABLE AS used it: each value as
 * an lh_value cell, decimals, dates and timestamps as the engine's text
 * (exec's own printing), reals as Float.toString.  Every physical kind,
 * NULL patterns, CONST and DICT columns, selections, decimals of up to 18
 * digits and wider, short and long strings, char padding: the batch path
 * must write the same Parquet object byte for byte (so statistics,
 * dictionaries, fallbacks and row-group ends agree) and the same JSON
 * bytes.  Then a round trip through our reader, the text helpers against
 * exec's printing, errors, and an allocation fault walk. */
#define LH_TESTUTIL_STORE_FIXTURE
#include "testutil.h"

#include <math.h>

#include "exec/datetime.h"
#include "exec/decimal.h"
#include "exec/kernels.h"
#include "formats/colvals.h"
#include "formats/jsonl.h"
#include "formats/parquet.h"
#include "util/mem.h"
#include "util/threads.h"
#include "util/types.h"

enum { C_BO, C_TI, C_SI, C_I, C_B, C_F, C_D, C_DC, C_DS, C_DW, C_DX, C_DT, C_TS, C_S, C_V, C_CH, NCOL };
static const char *names[NCOL] = {"bo", "ti", "si", "i", "b", "f", "d", "dc", "ds", "dw", "dx", "dt", "ts", "s", "v", "ch"};
static const char *hive[NCOL] = {"boolean",       "tinyint",       "smallint",       "int",
                                 "bigint",        "float",         "double",         "decimal(10,2)",
                                 "decimal(5,1)",  "decimal(30,4)", "decimal(38,0)",  "date",
                                 "timestamp",     "string",        "varchar(40)",    "char(5)"};
static const lh_colkind kinds[NCOL] = {LH_CV_BOOL,  LH_CV_I8,     LH_CV_I16,    LH_CV_I32,   LH_CV_I64,   LH_CV_F32,
                                       LH_CV_F64,   LH_CV_DEC64,  LH_CV_DEC64,  LH_CV_DEC128, LH_CV_DEC128, LH_CV_DATE,
                                       LH_CV_TS_US, LH_CV_STR,    LH_CV_STR,    LH_CV_STR};
static const int scales[NCOL] = {0, 0, 0, 0, 0, 0, 0, 2, 1, 4, 0, 0, 0, 0, 0, 0};

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
    case 2: return (row / 50) % 3 == 1;
    default: return mix((uint64_t)row * 31 + (uint64_t)col) % 3 == 0;
    }
}

/* One logical value: the element the view holds. */
typedef struct val {
    int null;
    int64_t i;
    double d;
    float f;
    __int128 w;
    char s[96];
    uint32_t n;
} val;

static const char *const short_strs[] = {"", "a", "name-1", "q\"uote", "back\\slash", "tab\there", "\xc3\xa9t\xc3\xa9",
                                         "nl\nx", "\x01\x1f ctl", "twelve bytes"};

/* The value of (row, col); card limits the distinct values (dictionaries). */
static void gen(int row_, int col, int card, val *v)
{
    int row = card ? row_ % card : row_; /* NULLs follow the real row, values the reduced one */
    uint64_t r = mix((uint64_t)row * 131 + (uint64_t)col);
    memset(v, 0, sizeof *v);
    if (is_null(row_, col)) {
        v->null = 1;
        return;
    }
    switch (col) {
    case C_BO: v->i = (int64_t)(r & 1); break;
    case C_TI: v->i = (int64_t)(r % 256) - 128; break;
    case C_SI: v->i = (int64_t)(r % 65536) - 32768; break;
    case C_I: v->i = (int64_t)(int32_t)(uint32_t)r; break;
    case C_B: v->i = row % 3 == 0 ? (int64_t)r : (int64_t)(r % 1000) - 500; break;
    case C_F:
        v->f = row % 11 == 0   ? -0.0f
               : row % 17 == 0 ? (float)NAN
               : row % 19 == 0 ? (float)INFINITY
               : row % 5 == 0  ? (float)((double)(int64_t)r / 7e9)
                               : (float)(((double)(r % 100000) - 50000) / 64.0);
        break;
    case C_D: v->d = row % 13 == 0 ? NAN : row % 23 == 0 ? -0.0 : ((double)(int64_t)r) / 3.0; break;
    case C_DC: v->i = (int64_t)(r % 19999999999ull) - 9999999999ll; break;      /* |v| < 10^10 */
    case C_DS: v->i = (int64_t)(r % 199999) - 99999; break;                      /* decimal(5,1) */
    case C_DW: v->w = ((__int128)(int64_t)r * 1000000007) % ((__int128)1 << 90); break; /* 28 digits */
    case C_DX: {
        __int128 m = 1;
        for (int k = 0; k < 38; k++)
            m *= 10;
        v->w = row % 9 == 0 ? m - 1 : row % 9 == 1 ? 1 - m : ((__int128)(int64_t)r * ((__int128)1 << 40));
        break;
    }
    case C_DT: v->i = (int64_t)(r % 2900000) - 719000; break; /* years 0..9900 */
    case C_TS: v->i = (int64_t)(r % 250000000000000000ull) - 62000000000000000ll + (row % 4 == 0 ? 500 : 0); break;
    case C_S:
    case C_V:
        if (row % 4 == 1)
            snprintf(v->s, sizeof v->s, "a longer string than twelve bytes #%d, %s", (int)(r % 97), "\xe2\x82\xac");
        else
            snprintf(v->s, sizeof v->s, "%s", short_strs[r % (sizeof short_strs / sizeof *short_strs)]);
        v->n = (uint32_t)strlen(v->s);
        break;
    case C_CH: {
        static const char *const ch[] = {"ab", "\xc3\xa9", "abcde", "x", "", "abcdefg"};
        snprintf(v->s, sizeof v->s, "%s", ch[r % 6]);
        v->n = (uint32_t)strlen(v->s);
        break;
    }
    default: fail();
    }
}

/* The cell CTAS's row path gave for v (text into buf). */
static lh_value ref_cell(int col, const val *v, char *buf, size_t bufsz)
{
    lh_value x;
    memset(&x, 0, sizeof x);
    if (v->null)
        return x;
    x.t = LH_V_TEXT;
    x.s = buf;
    switch (col) {
    case C_BO:
    case C_TI:
    case C_SI:
    case C_I:
    case C_B: x.t = LH_V_INT; x.i = v->i; break;
    case C_F:
        if (!isfinite(v->f)) {
            x.t = LH_V_REAL;
            x.d = v->f;
        } else
            x.n = lh_real_java_string(v->f, buf);
        break;
    case C_D: x.t = LH_V_REAL; x.d = v->d; break;
    case C_DC:
    case C_DS: x.n = lh_dec_format(v->i, scales[col], buf); break;
    case C_DW:
    case C_DX: x.n = lh_dec_format(v->w, scales[col], buf); break;
    case C_DT: x.n = lh_date_format((int32_t)v->i, buf, bufsz); break;
    case C_TS: x.n = lh_fmt_timestamp_ms(lh_cv_us_to_ms(v->i), buf, bufsz); break;
    case C_CH: { /* padded to 5 characters, as exec prints char(5) */
        uint32_t cp = 0, i;
        memcpy(buf, v->s, v->n);
        x.n = v->n;
        for (i = 0; i < v->n; i++)
            cp += ((unsigned char)v->s[i] & 0xC0) != 0x80;
        for (; cp < 5; cp++)
            buf[x.n++] = ' ';
        break;
    }
    default: memcpy(buf, v->s, v->n); x.n = v->n; break;
    }
    return x;
}

/* A column's storage for one batch in one of four layouts. */
enum { L_FLAT, L_SEL, L_DICT, L_CONST, NLAYOUT };

typedef struct colbuf {
    void *data;
    lh_colstr *strs;
    uint64_t valid[64];
    uint16_t idx[4096];
} colbuf;

static void put_elem(int col, void *data, uint32_t at, const val *v)
{
    switch (kinds[col]) {
    case LH_CV_BOOL: ((uint8_t *)data)[at] = (uint8_t)(v->i ? 1 + at % 3 : 0); break; /* any non-zero is true */
    case LH_CV_I8: ((int8_t *)data)[at] = (int8_t)v->i; break;
    case LH_CV_I16: ((int16_t *)data)[at] = (int16_t)v->i; break;
    case LH_CV_I32:
    case LH_CV_DATE: ((int32_t *)data)[at] = (int32_t)v->i; break;
    case LH_CV_F32: ((float *)data)[at] = v->f; break;
    case LH_CV_F64: ((double *)data)[at] = v->d; break;
    case LH_CV_DEC128: ((__int128 *)data)[at] = v->w; break;
    case LH_CV_STR: ((lh_colstr *)data)[at].p = v->s; ((lh_colstr *)data)[at].n = v->n; break;
    default: ((int64_t *)data)[at] = v->i; break;
    }
}

/* Rows [r0, r0+n) of the logical table as views in layout lay.  vals
 * holds the logical values (kept alive for the string pointers); *sel is
 * set for L_SEL.  CONST columns repeat row r0's value. */
static void build(int lay, int r0, uint32_t n, int card, colbuf *cb, lh_colvals *cv, val *vals, uint16_t *selbuf,
                  const uint16_t **sel)
{
    int c;
    uint32_t k;
    *sel = NULL;
    for (c = 0; c < NCOL; c++) {
        val *vc = &vals[c * 4096];
        colbuf *b = &cb[c];
        memset(&cv[c], 0, sizeof cv[c]);
        memset(b->valid, 0, sizeof b->valid);
        cv[c].kind = kinds[c];
        cv[c].scale = scales[c];
        cv[c].char_len = c == C_CH ? 5 : 0;
        cv[c].data = b->data;
        cv[c].valid = b->valid;
        if (lay == L_CONST) {
            gen(r0, c, card, &vc[0]);
            put_elem(c, b->data, 0, &vc[0]);
            if (!vc[0].null)
                b->valid[0] = 1;
            cv[c].is_const = 1;
            continue;
        }
        if (lay == L_SEL) { /* 2n rows, the odd ones garbage and unselected */
            for (k = 0; k < 2 * n; k++) {
                val g;
                if (k % 2 == 0)
                    gen(r0 + (int)(k / 2), c, card, &vc[k]);
                else {
                    gen(r0 + 7 + (int)k, c, 0, &g);
                    g.null = 0;
                    vc[k] = g;
                }
                put_elem(c, b->data, k, &vc[k]);
                if (!vc[k].null)
                    b->valid[k >> 6] |= (uint64_t)1 << (k & 63);
                selbuf[k / 2] = (uint16_t)(k & ~1u);
            }
            *sel = selbuf;
            continue;
        }
        for (k = 0; k < n; k++) {
            gen(r0 + (int)k, c, card, &vc[k]);
            if (!vc[k].null)
                b->valid[k >> 6] |= (uint64_t)1 << (k & 63);
            if (lay == L_FLAT)
                put_elem(c, b->data, k, &vc[k]);
            else if (!vc[k].null) { /* DICT: entry j holds the first row with that value; rows in reverse entry order */
                b->idx[k] = (uint16_t)(k % (card ? (uint32_t)card : n));
                put_elem(c, b->data, b->idx[k], &vc[k]);
            }
        }
        if (lay == L_DICT)
            cv[c].idx = b->idx;
        if (c % 4 == 0 && lay == L_FLAT)
            cv[c].valid = NULL; /* no NULLs: no bitmap */
    }
}

typedef struct tbl {
    lh_type types[NCOL];
    colbuf cb[NCOL];
    lh_colvals cv[NCOL];
    val *vals; /* NCOL * 4096 */
    uint16_t sel[4096];
} tbl;

static tbl *tbl_new(void)
{
    tbl *t = calloc(1, sizeof *t);
    int c;
    assert_non_null(t);
    t->vals = calloc((size_t)NCOL * 4096, sizeof *t->vals);
    assert_non_null(t->vals);
    for (c = 0; c < NCOL; c++) {
        assert_int_equal(lh_type_parse(hive[c], strlen(hive[c]), &t->types[c], NULL), LH_OK);
        t->cb[c].data = calloc(4096, 16);
        assert_non_null(t->cb[c].data);
    }
    return t;
}

static void tbl_free(tbl *t)
{
    for (int c = 0; c < NCOL; c++)
        free(t->cb[c].data);
    free(t->vals);
    free(t);
}

/* The logical values of rows [r0, r0+n) as the row path's cells, one
 * row at a time to fn. */
typedef void (*row_fn)(void *ctx, const lh_value *cells);
static void ref_rows(int lay, int r0, uint32_t n, int card, row_fn fn, void *ctx)
{
    static char bufs[NCOL][128];
    uint32_t k;
    for (k = 0; k < n; k++) {
        lh_value cells[NCOL];
        for (int c = 0; c < NCOL; c++) {
            val v;
            gen(lay == L_CONST ? r0 : r0 + (int)k, c, card, &v);
            cells[c] = ref_cell(c, &v, bufs[c], sizeof bufs[c]);
        }
        fn(ctx, cells);
    }
}

static void pq_row(void *ctx, const lh_value *cells)
{
    lh_err err;
    if (lh_pq_writer_row(ctx, cells, &err)) {
        fprintf(stderr, "row: %s\n", err.msg);
        fail();
    }
}

static const uint32_t batch_sizes[] = {1, 7, 2048, 1000, 333, 64, 2048, 5, 2048, 1500};

static void get_obj(fixture *f, const char *uri, lh_buf *b)
{
    lh_err err;
    lh_buf_init(b, 0);
    assert_int_equal(lh_store_get(f->st, uri, b, &err), LH_OK);
}

/* The same rows through both paths; the objects must be identical. */
static void pq_compare(fixture *f, tbl *t, int lay, int card, int rows, const lh_pq_write_opts *o)
{
    lh_pq_writer *wr = NULL, *wb = NULL;
    lh_err err;
    int r0 = 0, bi = 0;
    lh_buf a, b;
    uint64_t na = 0, nb = 0;
    assert_int_equal(lh_pq_writer_open(f->st, "s3://colbatch/row.parquet", names, t->types, NCOL, o, &wr, &err), LH_OK);
    assert_int_equal(lh_pq_writer_open(f->st, "s3://colbatch/batch.parquet", names, t->types, NCOL, o, &wb, &err), LH_OK);
    while (r0 < rows) {
        uint32_t n = batch_sizes[bi++ % (sizeof batch_sizes / sizeof *batch_sizes)];
        const uint16_t *sel;
        if (n > (uint32_t)(rows - r0))
            n = (uint32_t)(rows - r0);
        build(lay, r0, n, card, t->cb, t->cv, t->vals, t->sel, &sel);
        if (lh_pq_writer_batch(wb, t->cv, sel, n, &err)) {
            fprintf(stderr, "batch at %d: %s\n", r0, err.msg);
            fail();
        }
        ref_rows(lay, r0, n, card, pq_row, wr);
        r0 += (int)n;
    }
    assert_int_equal(lh_pq_writer_close(wr, NULL, &na, &err), LH_OK);
    assert_int_equal(lh_pq_writer_close(wb, NULL, &nb, &err), LH_OK);
    assert_int_equal(na, (uint64_t)rows);
    assert_int_equal(nb, (uint64_t)rows);
    get_obj(f, "s3://colbatch/row.parquet", &a);
    get_obj(f, "s3://colbatch/batch.parquet", &b);
    if (a.len != b.len || memcmp(a.data, b.data, a.len)) {
        size_t i = 0;
        while (i < a.len && i < b.len && a.data[i] == b.data[i])
            i++;
        fprintf(stderr, "layout %d card %d: objects differ at byte %zu (%zu vs %zu bytes)\n", lay, card, i, a.len,
                b.len);
        fail();
    }
    lh_buf_free(&a);
    lh_buf_free(&b);
}

static void test_pq_identical(void **state)
{
    fixture *f = *state;
    tbl *t = tbl_new();
    lh_pq_write_opts o;
    int lay, variant;
    for (variant = 0; variant < 4; variant++) {
        memset(&o, 0, sizeof o);
        o.codec = variant == 1 ? LH_PQ_UNCOMPRESSED : LH_PQ_SNAPPY;
        o.row_group_bytes = variant == 0 ? (size_t)150 << 10 : variant == 2 ? (size_t)1 << 30 : (size_t)40 << 10;
        o.page_bytes = variant == 3 ? 2000 : 0;
        o.no_dictionary = variant == 1;
        o.dict_max_bytes = variant == 3 ? 3000 : 0; /* dictionaries overflow to PLAIN */
        lh_threads_set(variant != 2);
        for (lay = 0; lay < NLAYOUT; lay++) {
            pq_compare(f, t, lay, 0, 6000, &o);
            pq_compare(f, t, lay, 37, 3000, &o); /* few distinct values */
        }
    }
    lh_threads_set(1);
    tbl_free(t);
}

/* A batch written and read back with our reader. */
static void test_pq_read_back(void **state)
{
    fixture *f = *state;
    tbl *t = tbl_new();
    lh_pq_writer *w = NULL;
    lh_pq_reader *r = NULL;
    const char *uri = "s3://colbatch/rt.parquet";
    lh_err err;
    const uint16_t *sel;
    lh_pq_write_opts o;
    int row = 0;
    memset(&o, 0, sizeof o);
    o.codec = LH_PQ_SNAPPY;
    o.row_group_bytes = (size_t)100 << 10;
    assert_int_equal(lh_pq_writer_open(f->st, uri, names, t->types, NCOL, &o, &w, &err), LH_OK);
    for (int b = 0; b < 3; b++) {
        build(b == 1 ? L_DICT : L_SEL, b * 2000, 2000, b == 1 ? 50 : 0, t->cb, t->cv, t->vals, t->sel, &sel);
        assert_int_equal(lh_pq_writer_batch(w, t->cv, sel, 2000, &err), LH_OK);
    }
    assert_int_equal(lh_pq_writer_close(w, NULL, NULL, &err), LH_OK);
    assert_int_equal(lh_pq_reader_open(f->st, &uri, 1, names, t->types, NCOL, &r, &err), LH_OK);
    lh_pq_reader_exact_decimals(r);
    for (;;) {
        int eof = 0;
        assert_int_equal(lh_pq_reader_next(r, &eof, &err), LH_OK);
        if (eof)
            break;
        for (int c = 0; c < NCOL; c++) {
            val v;
            char buf[128];
            lh_value got, want;
            gen(row, c, row >= 2000 && row < 4000 ? 50 : 0, &v);
            want = ref_cell(c, &v, buf, sizeof buf);
            assert_int_equal(lh_pq_reader_value(r, (size_t)c, &got, &err), LH_OK);
            if (v.null) {
                assert_int_equal(got.t, LH_V_NULL);
                continue;
            }
            switch (c) {
            case C_F:
                assert_int_equal(got.t, LH_V_REAL);
                assert_true(isnan(v.f) ? isnan(got.d) : (float)got.d == v.f);
                break;
            case C_D:
                assert_int_equal(got.t, LH_V_REAL);
                assert_true(isnan(v.d) ? isnan(got.d) : memcmp(&got.d, &v.d, 8) == 0);
                break;
            case C_DC:
            case C_DS:
                assert_int_equal(got.t, LH_V_REAL);
                assert_true(fabs(got.d - strtod(buf, NULL)) <= fabs(got.d) * 1e-15);
                break;
            case C_BO: assert_int_equal(got.i, v.i != 0); break;
            default:
                if (want.t == LH_V_INT) {
                    assert_int_equal(got.i, want.i);
                } else {
                    assert_int_equal(got.t, LH_V_TEXT);
                    if (got.n != want.n || memcmp(got.s, want.s, want.n)) {
                        fprintf(stderr, "row %d col %s: got '%.*s' want '%.*s'\n", row, names[c], (int)got.n, got.s,
                                (int)want.n, want.s);
                        fail();
                    }
                }
            }
        }
        row++;
    }
    assert_int_equal(row, 6000);
    lh_pq_reader_close(r);
    tbl_free(t);
}

/* ---------------- JSON lines ---------------- */

typedef struct jctx {
    lh_buf *out;
    const lh_type *types;
} jctx;

static void js_row(void *ctx, const lh_value *cells)
{
    jctx *j = ctx;
    lh_err err;
    assert_int_equal(lh_jsonl_append_row(j->out, names, j->types, cells, NCOL, &err), LH_OK);
}

static void test_jsonl_identical(void **state)
{
    tbl *t = tbl_new();
    int lay, typed;
    (void)state;
    for (typed = 0; typed < 2; typed++)
        for (lay = 0; lay < NLAYOUT; lay++) {
            lh_buf a, b;
            lh_err err;
            jctx j;
            int r0 = 0, bi = 0;
            lh_buf_init(&a, 0);
            lh_buf_init(&b, 0);
            j.out = &a;
            j.types = typed ? t->types : NULL;
            while (r0 < 5000) {
                uint32_t n = batch_sizes[bi++ % (sizeof batch_sizes / sizeof *batch_sizes)], from = 0, next = 0;
                const uint16_t *sel;
                if (n > (uint32_t)(5000 - r0))
                    n = (uint32_t)(5000 - r0);
                build(lay, r0, n, lay == L_DICT ? 41 : 0, t->cb, t->cv, t->vals, t->sel, &sel);
                ref_rows(lay, r0, n, lay == L_DICT ? 41 : 0, js_row, &j);
                while (from < n) { /* with a limit: stops right after the row that reaches it */
                    size_t before = b.len, lim = b.len + 3000;
                    assert_int_equal(lh_jsonl_append_batch(&b, names, j.types, t->cv, NCOL, sel, from, n, lim, &next,
                                                           &err),
                                     LH_OK);
                    assert_true(next > from);
                    assert_true(next == n || b.len >= lim);
                    assert_true(b.len > before);
                    from = next;
                }
                r0 += (int)n;
            }
            if (a.len != b.len || memcmp(a.data, b.data, a.len)) {
                size_t i = 0;
                while (i < a.len && i < b.len && a.data[i] == b.data[i])
                    i++;
                fprintf(stderr, "typed %d layout %d: JSON differs at %zu: row path '%.60s' batch '%.60s'\n", typed,
                        lay, i, a.data + (i > 20 ? i - 20 : 0), b.data + (i > 20 ? i - 20 : 0));
                fail();
            }
            lh_buf_free(&a);
            lh_buf_free(&b);
        }
    tbl_free(t);
}

/* A full buffer: LH_ELIMIT, the rows before stay whole, no half row. */
static void test_jsonl_limit_error(void **state)
{
    tbl *t = tbl_new();
    lh_buf b;
    lh_err err;
    const uint16_t *sel;
    uint32_t next = 99;
    (void)state;
    build(L_FLAT, 0, 100, 0, t->cb, t->cv, t->vals, t->sel, &sel);
    lh_buf_init(&b, 4000);
    assert_int_equal(lh_jsonl_append_batch(&b, names, t->types, t->cv, NCOL, sel, 0, 100, 0, &next, &err), LH_ELIMIT);
    assert_true(next > 0 && next < 100);
    assert_true(b.len > 0 && b.data[b.len - 1] == '\n');
    lh_buf_free(&b);
    tbl_free(t);
}

/* ---------------- text helpers against exec's printing ---------------- */

static void test_text_helpers(void **state)
{
    char a[64], b[64];
    uint64_t i;
    (void)state;
    for (i = 0; i < 150000; i++) {
        uint32_t bits = (uint32_t)mix(i);
        float f;
        size_t na, nb;
        if (i < 64) { /* around the plain/scientific boundaries and the edges */
            static const float edge[] = {1e-3f, 9.99999e-4f, 1e7f, 9999999.0f, 0.1f, 1.0f, 100.0f, 3.4028235e38f,
                                         1.4e-45f, 1.17549435e-38f, 123456.7f, 0.001f, 12345678.0f, 0.5f};
            f = edge[i % (sizeof edge / sizeof *edge)] * (i & 16 ? -1.0f : 1.0f);
        } else
            memcpy(&f, &bits, 4);
        na = lh_cv_real_text(f, a);
        nb = lh_real_java_string(f, b);
        if (na != nb || memcmp(a, b, na)) {
            fprintf(stderr, "real %a: '%s' vs exec '%s'\n", (double)f, a, b);
            fail();
        }
    }
    for (i = 0; i < 200000; i++) {
        int32_t days = (int32_t)((int64_t)(mix(i) % 8000000) - 4000000);
        __int128 w = ((__int128)(int64_t)mix(i + 7) * ((__int128)1 << (i % 70))) * (i & 1 ? -1 : 1);
        int s = (int)(i % 39);
        int64_t ms = (int64_t)(mix(i + 3) % 600000000000000ull) - 300000000000000ll;
        size_t na = lh_cv_date_text(days, a), nb = lh_date_format(days, b, sizeof b);
        assert_int_equal(na, nb);
        assert_memory_equal(a, b, na);
        na = lh_cv_decimal_text(w, s, a);
        nb = lh_dec_format(w, s, b);
        assert_int_equal(na, nb);
        assert_memory_equal(a, b, na);
        na = lh_cv_timestamp_ms_text(ms, a);
        nb = lh_fmt_timestamp_ms(ms, b, sizeof b);
        assert_int_equal(na, nb);
        assert_memory_equal(a, b, na);
    }
    assert_int_equal(lh_cv_us_to_ms(1500), 2);
    assert_int_equal(lh_cv_us_to_ms(1499), 1);
    assert_int_equal(lh_cv_us_to_ms(-1500), -1);
    assert_int_equal(lh_cv_us_to_ms(-1501), -2);
}

/* ---------------- errors, rescaling, the row-by-row path ---------------- */

static void one_col_file(fixture *f, const char *uri, const char *type, const lh_colvals *cv, uint32_t n,
                         const lh_value *cells, lh_rc want_batch, char *msg)
{
    lh_type t;
    lh_pq_writer *w = NULL;
    lh_err err;
    const char *nm[1] = {"x"};
    uint32_t k;
    lh_rc rc = LH_OK;
    memset(&t, 0, sizeof t); /* "?": to infer */
    if (type[0] != '?')
        assert_int_equal(lh_type_parse(type, strlen(type), &t, NULL), LH_OK);
    assert_int_equal(lh_pq_writer_open(f->st, "s3://colbatch/r1.parquet", nm, &t, 1, NULL, &w, &err), LH_OK);
    for (k = 0; k < n && !rc; k++)
        rc = lh_pq_writer_row(w, &cells[k], &err);
    assert_int_equal(rc, want_batch);
    if (rc) {
        snprintf(msg, 1100, "%s", err.msg);
        lh_pq_writer_abort(w);
    } else
        assert_int_equal(lh_pq_writer_close(w, NULL, NULL, &err), LH_OK);
    assert_int_equal(lh_pq_writer_open(f->st, uri, nm, &t, 1, NULL, &w, &err), LH_OK);
    rc = lh_pq_writer_batch(w, cv, NULL, n, &err);
    assert_int_equal(rc, want_batch);
    if (rc) {
        assert_string_equal(err.msg + strlen(uri), msg + strlen("s3://colbatch/r1.parquet"));
        assert_int_not_equal(lh_pq_writer_batch(w, cv, NULL, n, &err), LH_OK); /* unusable now */
        lh_pq_writer_abort(w);
        return;
    }
    assert_int_equal(lh_pq_writer_close(w, NULL, NULL, &err), LH_OK);
    {
        lh_buf a, b;
        get_obj(f, "s3://colbatch/r1.parquet", &a);
        get_obj(f, uri, &b);
        assert_int_equal(a.len, b.len);
        assert_memory_equal(a.data, b.data, a.len);
        lh_buf_free(&a);
        lh_buf_free(&b);
    }
}

static void test_errors_and_conversions(void **state)
{
    fixture *f = *state;
    char msg[1100], txt[8][48];
    lh_colvals cv;
    lh_value cells[8];
    int64_t i64[8];
    int i;
    memset(&cv, 0, sizeof cv);
    memset(cells, 0, sizeof cells);
    /* integers past the column's range */
    for (i = 0; i < 4; i++) {
        i64[i] = i == 2 ? 40000 : i;
        cells[i].t = LH_V_INT;
        cells[i].i = i64[i];
    }
    cv.kind = LH_CV_I64;
    cv.data = i64;
    one_col_file(f, "s3://colbatch/e1.parquet", "smallint", &cv, 4, cells, LH_EDATA, msg);
    assert_non_null(strstr(msg, "integer out of range"));
    /* a decimal past its precision: the message names the value and the limit */
    i64[0] = 12345;
    i64[1] = 123456;
    for (i = 0; i < 2; i++) {
        cells[i].t = LH_V_TEXT;
        cells[i].n = lh_dec_format(i64[i], 2, txt[i]);
        cells[i].s = txt[i];
    }
    cv.kind = LH_CV_DEC64;
    cv.scale = 2;
    one_col_file(f, "s3://colbatch/e2.parquet", "decimal(5,2)", &cv, 2, cells, LH_EDATA, msg);
    assert_non_null(strstr(msg, "1234.56"));
    /* rescaling: scale 3 into decimal(10,2), half away from zero, like the text */
    {
        static const int64_t in[] = {1005, -1005, 1004, -1004, 999999, 0, 5, -5};
        for (i = 0; i < 8; i++) {
            i64[i] = in[i];
            cells[i].t = LH_V_TEXT;
            cells[i].n = lh_dec_format(in[i], 3, txt[i]);
            cells[i].s = txt[i];
        }
        cv.scale = 3;
        one_col_file(f, "s3://colbatch/e3.parquet", "decimal(10,2)", &cv, 8, cells, LH_OK, msg);
        /* and up: scale 3 into decimal(12,5) */
        one_col_file(f, "s3://colbatch/e4.parquet", "decimal(12,5)", &cv, 8, cells, LH_OK, msg);
        /* wide column from 64-bit values */
        one_col_file(f, "s3://colbatch/e5.parquet", "decimal(25,3)", &cv, 8, cells, LH_OK, msg);
    }
    /* kinds that do not map directly go row by row: ints into a string column, and inference */
    for (i = 0; i < 8; i++) {
        i64[i] = i * 1000 - 3;
        cells[i].t = LH_V_INT;
        cells[i].i = i64[i];
        cells[i].s = NULL;
        cells[i].n = 0;
    }
    cv.kind = LH_CV_I64;
    cv.scale = 0;
    one_col_file(f, "s3://colbatch/e6.parquet", "string", &cv, 8, cells, LH_OK, msg);
    one_col_file(f, "s3://colbatch/e7.parquet", "?", &cv, 8, cells, LH_OK, msg);
}

/* Every allocation of a batch write fails cleanly in turn. */
static lh_rc fault_cycle(fixture *f, tbl *t)
{
    lh_pq_writer *w = NULL;
    lh_err err;
    const uint16_t *sel;
    lh_pq_write_opts o;
    lh_rc rc;
    memset(&o, 0, sizeof o);
    o.row_group_bytes = (size_t)60 << 10;
    rc = lh_pq_writer_open(f->st, "s3://colbatch/fault.parquet", names, t->types, NCOL, &o, &w, &err);
    if (rc)
        return rc;
    for (int b = 0; b < 3 && !rc; b++) {
        build(b == 1 ? L_DICT : L_SEL, b * 700, 700, 30, t->cb, t->cv, t->vals, t->sel, &sel);
        rc = lh_pq_writer_batch(w, t->cv, sel, 700, &err);
    }
    if (rc) {
        lh_pq_writer_abort(w);
        return rc;
    }
    return lh_pq_writer_close(w, NULL, NULL, &err);
}

static void test_fault_injection(void **state)
{
    fixture *f = *state;
    tbl *t = tbl_new();
    long n;
    int ok_at = 0;
    for (n = 1; n < 5000; n++) {
        lh_rc rc;
        lh_fault_alloc_set(n);
        rc = fault_cycle(f, t);
        lh_fault_alloc_set(0);
        assert_true(rc == LH_OK || rc == LH_ENOMEM);
        if (rc == LH_OK) {
            ok_at = (int)n;
            break;
        }
    }
    fprintf(stderr, "batch fault injection: %d allocation points failed cleanly\n", ok_at - 1);
    assert_true(ok_at > 10);
    tbl_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pq_identical, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pq_read_back, setup, teardown),
        cmocka_unit_test(test_jsonl_identical),
        cmocka_unit_test(test_jsonl_limit_error),
        cmocka_unit_test(test_text_helpers),
        cmocka_unit_test_setup_teardown(test_errors_and_conversions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fault_injection, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
