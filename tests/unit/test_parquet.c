/* tests/unit/test_parquet.c — Parquet writer/reader round trips across
 * types x NULL patterns x codecs x dictionary on/off x page and row-group
 * sizes; statistics-based row-group skipping; footer-only counts; hostile
 * files built by hand (each must fail cleanly); allocation fault injection. */
#define LH_TESTUTIL_STORE_FIXTURE
#include "testutil.h"

#include <math.h>
#include <zlib.h>

#include "formats/codec.h"
#include "formats/parquet.h"
#include "formats/pq_encode.h"
#include "formats/pq_meta.h"
#include "store/store.h"
#include "util/threads.h"


/* ---------------- round trip ---------------- */

enum { C_S, C_TI, C_SI, C_I, C_B, C_F, C_D, C_BO, C_DT, C_TS, C_DC, C_DS, C_DB, C_INF_I, C_INF_R, C_INF_S, C_LONG, NCOL };
static const char *col_names[NCOL] = {"s", "ti", "si", "i", "b", "f", "d", "bo", "dt", "ts", "dc", "ds", "db",
                                      "inf_i", "inf_r", "inf_s", "long_s"};
static const char *col_types[NCOL] = {"string", "tinyint", "smallint", "int", "bigint", "float", "double", "boolean",
                                      "date", "timestamp", "decimal(10,2)", "decimal(5,1)", "decimal(30,4)", NULL,
                                      NULL, NULL, "string"};

static uint64_t mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

static int is_null(int row, int col)
{
    switch (col % 5) {
    case 0: return 0;                          /* never */
    case 1: return row % 7 == 3;               /* scattered */
    case 2: return (row / 50) % 3 == 1;        /* long runs */
    case 3: return mix((uint64_t)row * 31 + (uint64_t)col) % 2 == 0; /* half, random */
    default: return row % 200 >= 190;          /* rare runs */
    }
}

/* Input value for (row, col); text in buf. */
static lh_value gen(int row, int col, char *buf, size_t n)
{
    lh_value v;
    uint64_t r = mix((uint64_t)row * 131 + (uint64_t)col);
    memset(&v, 0, sizeof v);
    if (is_null(row, col) || (col == C_INF_S && row < 5))
        return v;
    switch (col) {
    case C_S:
        v.t = LH_V_TEXT;
        v.n = (size_t)snprintf(buf, n, "name-%d-\xc3\xa9", (int)(r % 40));
        if (row % 97 == 0)
            v.n = 0; /* empty string */
        v.s = buf;
        break;
    case C_TI: v.t = LH_V_INT; v.i = (int64_t)(r % 256) - 128; break;
    case C_SI: v.t = LH_V_INT; v.i = (int64_t)(r % 65536) - 32768; break;
    case C_I: v.t = LH_V_INT; v.i = (int64_t)(int32_t)(uint32_t)r; break;
    case C_B: v.t = LH_V_INT; v.i = row % 3 == 0 ? (int64_t)r : (int64_t)(r % 1000); break;
    case C_F: v.t = LH_V_REAL; v.d = row % 11 == 0 ? -0.0 : ((double)(r % 100000) - 50000) / 64.0; break;
    case C_D: v.t = LH_V_REAL; v.d = row % 13 == 0 ? NAN : ((double)(int64_t)r) / 3.0; break;
    case C_BO: v.t = LH_V_INT; v.i = (int64_t)(r & 1); break;
    case C_DT:
        v.t = LH_V_TEXT;
        v.n = lh_fmt_date((int64_t)(r % 40000) - 10000, buf, n);
        v.s = buf;
        break;
    case C_TS:
        v.t = LH_V_TEXT;
        v.n = lh_fmt_timestamp_ms((int64_t)(r % 4000000000000ull) - 1000000000000ll, buf, n);
        v.s = buf;
        break;
    case C_DC:
        if (row % 2) {
            v.t = LH_V_REAL;
            v.d = ((double)(int64_t)(r % 2000000000) - 1e9) / 1000.0; /* rounds to scale 2 */
        } else {
            v.t = LH_V_TEXT;
            v.n = (size_t)snprintf(buf, n, "%s%d.%02d", r & 2 ? "-" : "", (int)(r % 1000000), (int)(r % 100));
            v.s = buf;
        }
        break;
    case C_DS: v.t = LH_V_INT; v.i = (int64_t)(r % 9999) - 5000; break;
    case C_DB:
        v.t = LH_V_TEXT;
        v.n = (size_t)snprintf(buf, n, "%s%llu%06llu.%04d", r & 4 ? "-" : "", (unsigned long long)(r % 1000000000000ull),
                               (unsigned long long)(r % 1000000), (int)(r % 10000));
        v.s = buf;
        break;
    case C_INF_I: v.t = LH_V_INT; v.i = (int64_t)(r % 100000); break;
    case C_INF_R:
        if (row % 2) {
            v.t = LH_V_INT;
            v.i = (int64_t)(r % 100);
        } else {
            v.t = LH_V_REAL;
            v.d = (double)(r % 1000) / 8.0;
        }
        break;
    case C_INF_S:
        if (row % 3 == 0) {
            v.t = LH_V_TEXT;
            v.n = (size_t)snprintf(buf, n, "t%d", (int)(r % 10));
            v.s = buf;
        } else {
            v.t = LH_V_INT;
            v.i = (int64_t)(r % 10);
        }
        break;
    case C_LONG: { /* many distinct longer strings (forces dictionary fallback) */
        size_t k, len = 20 + r % 60;
        for (k = 0; k < len && k + 1 < n; k++)
            buf[k] = (char)('a' + (mix(r + k) % 26));
        if (row % 10 == 0)
            buf[3] = 0; /* embedded NUL */
        v.t = LH_V_TEXT;
        v.s = buf;
        v.n = k;
        break;
    }
    default: break;
    }
    return v;
}

static double round_scale(double x, int s) { return (double)roundl((long double)x * powl(10, s)) / pow(10, s); }

/* Check what the reader returned against the input. */
static void check(int row, int col, const lh_value *in, const lh_value *got)
{
    char b1[128];
    if (in->t == LH_V_NULL) {
        assert_int_equal(got->t, LH_V_NULL);
        return;
    }
    switch (col) {
    case C_S:
    case C_DT:
    case C_TS:
    case C_LONG:
        assert_int_equal(got->t, LH_V_TEXT);
        assert_int_equal(got->n, in->n);
        assert_memory_equal(got->s, in->s, in->n);
        break;
    case C_INF_S:
        assert_int_equal(got->t, LH_V_TEXT);
        if (in->t == LH_V_TEXT) {
            assert_int_equal(got->n, in->n);
            assert_memory_equal(got->s, in->s, in->n);
        } else {
            size_t n = (size_t)snprintf(b1, sizeof b1, "%lld", (long long)in->i);
            assert_int_equal(got->n, n);
            assert_memory_equal(got->s, b1, n);
        }
        break;
    case C_TI:
    case C_SI:
    case C_I:
    case C_B:
    case C_BO:
    case C_INF_I:
        assert_int_equal(got->t, LH_V_INT);
        assert_int_equal(got->i, in->i);
        break;
    case C_F:
        assert_int_equal(got->t, LH_V_REAL);
        assert_true(got->d == (double)(float)in->d);
        break;
    case C_D:
        assert_int_equal(got->t, LH_V_REAL);
        if (isnan(in->d))
            assert_true(isnan(got->d));
        else
            assert_true(got->d == in->d);
        break;
    case C_INF_R:
        assert_int_equal(got->t, LH_V_REAL);
        assert_true(got->d == (in->t == LH_V_INT ? (double)in->i : in->d));
        break;
    case C_DC:
    case C_DS:
    case C_DB: {
        int s = col == C_DC ? 2 : col == C_DS ? 1 : 4;
        double want = in->t == LH_V_INT ? (double)in->i : in->t == LH_V_REAL ? round_scale(in->d, s)
                                                                             : round_scale(strtod(in->s, NULL), s);
        assert_int_equal(got->t, LH_V_REAL);
        if (fabs(got->d - want) > fabs(want) * 1e-15 + 1e-9) {
            fprintf(stderr, "row %d col %s: got %.17g want %.17g\n", row, col_names[col], got->d, want);
            fail();
        }
        break;
    }
    default: fail();
    }
}

static void write_table(fixture *f, const char *uri, int rows, const lh_pq_write_opts *o, lh_type *types_out)
{
    lh_type types[NCOL];
    lh_pq_writer *w = NULL;
    lh_err err;
    uint64_t bytes = 0, nrows = 0;
    int c, r;
    char bufs[NCOL][256];
    for (c = 0; c < NCOL; c++) {
        memset(&types[c], 0, sizeof types[c]);
        if (col_types[c])
            assert_int_equal(lh_type_parse(col_types[c], strlen(col_types[c]), &types[c], NULL), LH_OK);
    }
    assert_int_equal(lh_pq_writer_open(f->st, uri, col_names, types, NCOL, o, &w, &err), LH_OK);
    for (r = 0; r < rows; r++) {
        lh_value v[NCOL];
        for (c = 0; c < NCOL; c++)
            v[c] = gen(r, c, bufs[c], sizeof bufs[c]);
        if (lh_pq_writer_row(w, v, &err)) {
            fprintf(stderr, "row %d: %s\n", r, err.msg);
            fail();
        }
    }
    assert_int_equal(lh_pq_writer_infer(w, &err), LH_OK);
    memcpy(types_out, lh_pq_writer_types(w), sizeof types);
    if (lh_pq_writer_close(w, &bytes, &nrows, &err)) {
        fprintf(stderr, "close: %s\n", err.msg);
        fail();
    }
    assert_int_equal(nrows, (uint64_t)rows);
    assert_true(bytes > 12);
}

static void read_back(fixture *f, const char *uri, int rows, const lh_type *types, lh_pq_stats *st_out)
{
    lh_pq_reader *r = NULL;
    lh_err err;
    int row = 0, c;
    char buf[256];
    assert_int_equal(lh_pq_reader_open(f->st, &uri, 1, col_names, types, NCOL, &r, &err), LH_OK);
    for (;;) {
        int eof = 0;
        if (lh_pq_reader_next(r, &eof, &err)) {
            fprintf(stderr, "next: %s\n", err.msg);
            fail();
        }
        if (eof)
            break;
        for (c = 0; c < NCOL; c++) {
            lh_value in = gen(row, c, buf, sizeof buf), got;
            assert_int_equal(lh_pq_reader_value(r, (size_t)c, &got, &err), LH_OK);
            check(row, c, &in, &got);
        }
        row++;
    }
    assert_int_equal(row, rows);
    if (st_out)
        *st_out = *lh_pq_reader_stats(r);
    lh_pq_reader_close(r);
}

static void test_round_trip(void **state)
{
    fixture *f = *state;
    lh_pq_codec codecs[4] = {LH_PQ_UNCOMPRESSED, LH_PQ_SNAPPY, LH_PQ_GZIP, LH_PQ_ZSTD};
    int ci, dict, small, n = 0;
    for (ci = 0; ci < 4; ci++)
        for (dict = 0; dict < 2; dict++)
            for (small = 0; small < 2; small++) {
                lh_pq_write_opts o;
                lh_type types[NCOL];
                lh_pq_stats st;
                char uri[128];
                int rows = small ? 2500 : 1200;
                memset(&o, 0, sizeof o);
                o.codec = codecs[ci];
                o.no_dictionary = !dict;
                if (small) {
                    o.page_bytes = 300;
                    o.row_group_bytes = 64 << 10;
                    o.dict_max_bytes = 2048;
                    o.timestamp_micros = 1;
                }
                snprintf(uri, sizeof uri, "s3://rtrip/t_%d_%d_%d.parquet", ci, dict, small);
                write_table(f, uri, rows, &o, types);
                assert_int_equal(types[C_INF_I].kind, LH_T_BIGINT);
                assert_int_equal(types[C_INF_R].kind, LH_T_DOUBLE);
                assert_int_equal(types[C_INF_S].kind, LH_T_STRING);
                read_back(f, uri, rows, types, &st);
                if (small) {
                    assert_true(st.row_groups_read > 3);
                    assert_true(st.pages_read > 100);
                }
                n++;
            }
    assert_int_equal(n, 16);
}

/* ---------------- statistics, projection, counts ---------------- */

static void write_seq(fixture *f, const char *uri, int rows, size_t rg_bytes)
{
    const char *cols[3] = {"id", "name", "maybe"};
    lh_type t[3] = {{LH_T_BIGINT, 0, 0}, {LH_T_STRING, 0, 0}, {LH_T_INT, 0, 0}};
    lh_pq_write_opts o;
    lh_pq_writer *w;
    lh_err err;
    int r;
    memset(&o, 0, sizeof o);
    o.row_group_bytes = rg_bytes;
    assert_int_equal(lh_pq_writer_open(f->st, uri, cols, t, 3, &o, &w, &err), LH_OK);
    for (r = 0; r < rows; r++) {
        char nb[32];
        lh_value v[3];
        memset(v, 0, sizeof v);
        v[0].t = LH_V_INT;
        v[0].i = r;
        v[1].t = LH_V_TEXT;
        v[1].n = (size_t)snprintf(nb, sizeof nb, "k%06d", r);
        v[1].s = nb;
        if (r >= rows / 2) { /* second half: never NULL; first half: always NULL */
            v[2].t = LH_V_INT;
            v[2].i = r;
        }
        assert_int_equal(lh_pq_writer_row(w, v, &err), LH_OK);
    }
    assert_int_equal(lh_pq_writer_close(w, NULL, NULL, &err), LH_OK);
}

static const lh_pq_stats *scan(lh_pq_reader *r, int64_t *rows)
{
    lh_err err;
    *rows = 0;
    for (;;) {
        int eof = 0;
        assert_int_equal(lh_pq_reader_next(r, &eof, &err), LH_OK);
        if (eof)
            break;
        (*rows)++;
    }
    return lh_pq_reader_stats(r);
}

static lh_pq_reader *open_seq(fixture *f, const char *uri)
{
    const char *cols[4] = {"ID", "name", "maybe", "absent"};
    lh_type t[4] = {{LH_T_BIGINT, 0, 0}, {LH_T_STRING, 0, 0}, {LH_T_INT, 0, 0}, {LH_T_STRING, 0, 0}};
    lh_pq_reader *r;
    lh_err err;
    assert_int_equal(lh_pq_reader_open(f->st, &uri, 1, cols, t, 4, &r, &err), LH_OK);
    return r;
}

static void test_stats_skip(void **state)
{
    fixture *f = *state;
    const char *uri = "s3://stats/seq.parquet";
    lh_pq_reader *r;
    const lh_pq_stats *st;
    lh_value v[3];
    int64_t rows, total = 0, nrg;
    lh_err err;
    unsigned char none[4] = {0, 0, 0, 0};
    write_seq(f, uri, 20000, 32 << 10);
    /* all row groups read without constraints */
    r = open_seq(f, uri);
    st = scan(r, &rows);
    assert_int_equal(rows, 20000);
    nrg = (int64_t)st->row_groups_read;
    assert_true(nrg >= 4);
    lh_pq_reader_close(r);
    /* id > max: nothing read */
    memset(v, 0, sizeof v);
    v[0].t = LH_V_INT;
    v[0].i = 20000;
    r = open_seq(f, uri);
    assert_int_equal(lh_pq_reader_constrain(r, 0, LH_PQ_GT, v, 1, &err), LH_OK);
    st = scan(r, &rows);
    assert_int_equal(rows, 0);
    assert_int_equal(st->row_groups_read, 0);
    assert_int_equal(st->row_groups_skipped, (uint64_t)nrg);
    assert_int_equal(st->pages_read, 0);
    lh_pq_reader_close(r);
    /* id = 123 (REAL): one row group */
    v[0].t = LH_V_REAL;
    v[0].d = 123.0;
    r = open_seq(f, uri);
    assert_int_equal(lh_pq_reader_constrain(r, 0, LH_PQ_EQ, v, 1, &err), LH_OK);
    st = scan(r, &rows);
    assert_int_equal(st->row_groups_read, 1);
    lh_pq_reader_close(r);
    /* id < 0, id <= -1, id >= 20000: none */
    {
        lh_pq_op ops[3] = {LH_PQ_LT, LH_PQ_LE, LH_PQ_GE};
        int64_t vals[3] = {0, -1, 20000};
        for (int k = 0; k < 3; k++) {
            v[0].t = LH_V_INT;
            v[0].i = vals[k];
            r = open_seq(f, uri);
            assert_int_equal(lh_pq_reader_constrain(r, 0, ops[k], v, 1, &err), LH_OK);
            st = scan(r, &rows);
            assert_int_equal(st->row_groups_read, 0);
            lh_pq_reader_close(r);
        }
    }
    /* IN (5, 19999): two row groups */
    v[0].t = LH_V_INT;
    v[0].i = 5;
    v[1].t = LH_V_INT;
    v[1].i = 19999;
    r = open_seq(f, uri);
    assert_int_equal(lh_pq_reader_constrain(r, 0, LH_PQ_IN, v, 2, &err), LH_OK);
    st = scan(r, &rows);
    assert_int_equal(st->row_groups_read, 2);
    lh_pq_reader_close(r);
    /* string equality outside the range ('k' < 'z'), and inside */
    v[0].t = LH_V_TEXT;
    v[0].s = "zzz";
    v[0].n = 3;
    r = open_seq(f, uri);
    assert_int_equal(lh_pq_reader_constrain(r, 1, LH_PQ_EQ, v, 1, &err), LH_OK);
    st = scan(r, &rows);
    assert_int_equal(st->row_groups_read, 0);
    lh_pq_reader_close(r);
    v[0].s = "k000010";
    v[0].n = 7;
    r = open_seq(f, uri);
    assert_int_equal(lh_pq_reader_constrain(r, 1, LH_PQ_EQ, v, 1, &err), LH_OK);
    st = scan(r, &rows);
    assert_int_equal(st->row_groups_read, 1);
    lh_pq_reader_close(r);
    /* a text constraint on a numeric column proves nothing: all read */
    r = open_seq(f, uri);
    assert_int_equal(lh_pq_reader_constrain(r, 0, LH_PQ_EQ, v, 1, &err), LH_OK);
    st = scan(r, &rows);
    assert_int_equal((int64_t)st->row_groups_read, nrg);
    lh_pq_reader_close(r);
    /* maybe IS NULL: only the first half's row groups; maybe > 0 only the second half's */
    r = open_seq(f, uri);
    assert_int_equal(lh_pq_reader_constrain(r, 2, LH_PQ_ISNULL, NULL, 0, &err), LH_OK);
    st = scan(r, &rows);
    assert_true(st->row_groups_read > 0 && (int64_t)st->row_groups_read < nrg);
    total = (int64_t)st->row_groups_read;
    lh_pq_reader_close(r);
    v[0].t = LH_V_INT;
    v[0].i = 0;
    r = open_seq(f, uri);
    assert_int_equal(lh_pq_reader_constrain(r, 2, LH_PQ_GT, v, 1, &err), LH_OK);
    st = scan(r, &rows);
    assert_true(st->row_groups_read > 0 && (int64_t)st->row_groups_read < nrg);
    total += (int64_t)st->row_groups_read;
    assert_true(total <= nrg + 1);
    lh_pq_reader_close(r);
    /* the absent column is NULL: a comparison on it skips everything */
    r = open_seq(f, uri);
    assert_int_equal(lh_pq_reader_constrain(r, 3, LH_PQ_EQ, v, 1, &err), LH_OK);
    st = scan(r, &rows);
    assert_int_equal(rows, 0);
    lh_pq_reader_close(r);
    /* counts from the footer; and a scan without columns reads no pages */
    {
        int64_t cnt = 0;
        const char *uris[2] = {uri, uri};
        assert_int_equal(lh_pq_count_rows(f->st, uris, 2, &cnt, &err), LH_OK);
        assert_int_equal(cnt, 40000);
    }
    r = open_seq(f, uri);
    lh_pq_reader_project(r, none);
    st = scan(r, &rows);
    assert_int_equal(rows, 20000);
    assert_int_equal(st->pages_read, 0);
    assert_int_equal(st->bytes_read, 0);
    lh_pq_reader_close(r);
}

static void test_projection_and_types(void **state)
{
    fixture *f = *state;
    const char *uri = "s3://stats/proj.parquet";
    lh_pq_reader *r;
    unsigned char used[4] = {0, 1, 0, 0};
    lh_value v;
    lh_err err;
    int eof;
    const lh_pq_stats *st;
    char **names, **types;
    size_t n;
    write_seq(f, uri, 1000, 0);
    r = open_seq(f, uri);
    lh_pq_reader_project(r, used);
    assert_int_equal(lh_pq_reader_next(r, &eof, &err), LH_OK);
    assert_int_equal(lh_pq_reader_value(r, 0, &v, &err), LH_OK);
    assert_int_equal(v.t, LH_V_NULL); /* not projected */
    assert_int_equal(lh_pq_reader_value(r, 1, &v, &err), LH_OK);
    assert_int_equal(v.t, LH_V_TEXT);
    assert_int_equal(v.n, 7);
    assert_memory_equal(v.s, "k000000", 7);
    assert_string_equal(lh_pq_reader_file(r), uri);
    st = lh_pq_reader_stats(r);
    assert_true(st->pages_read >= 1);
    lh_pq_reader_close(r);
    /* schema and key-value */
    assert_int_equal(lh_pq_file_columns(f->st, uri, &names, &types, &n, &err), LH_OK);
    assert_int_equal(n, 3);
    assert_string_equal(names[0], "id");
    assert_string_equal(types[0], "bigint");
    assert_string_equal(types[1], "string");
    assert_string_equal(types[2], "int");
    lh_pq_free_columns(names, types, n);
    /* a string column read as bigint is LH_EDATA naming file, column, type */
    {
        const char *cols[1] = {"name"};
        lh_type t = {LH_T_BIGINT, 0, 0};
        assert_int_equal(lh_pq_reader_open(f->st, &uri, 1, cols, &t, 1, &r, &err), LH_OK);
        assert_int_equal(lh_pq_reader_next(r, &eof, &err), LH_EDATA);
        assert_non_null(strstr(err.msg, uri));
        assert_non_null(strstr(err.msg, "name"));
        assert_non_null(strstr(err.msg, "bigint"));
        lh_pq_reader_close(r);
    }
    /* writer: bad value is LH_EDATA naming the column; nothing visible after abort */
    {
        const char *cols[1] = {"n"};
        lh_type t = {LH_T_INT, 0, 0};
        lh_pq_writer *w;
        lh_value bad = {LH_V_TEXT, 0, 0, "abc", 3};
        lh_obj_info info;
        assert_int_equal(lh_pq_writer_open(f->st, "s3://stats/bad.parquet", cols, &t, 1, NULL, &w, &err), LH_OK);
        assert_int_equal(lh_pq_writer_row(w, &bad, &err), LH_EDATA);
        assert_non_null(strstr(err.msg, "'n'"));
        lh_pq_writer_abort(w);
        assert_int_equal(lh_store_head(f->st, "s3://stats/bad.parquet", &info, &err), LH_ENOTFOUND);
    }
    /* writer: a value that does not fit decimal(p,s) is LH_EDATA naming the
     * column, the value and the type's largest value (1.84e19 in decimal(5,2)
     * is the case), for every value kind and after rounding. */
    {
        const char *cols[1] = {"price"};
        lh_type t = {LH_T_DECIMAL, 5, 2};
        const struct {
            lh_value v;
            const char *msg;
        } cases[] = {
            {{LH_V_REAL, 0, 1.84e19, NULL, 0}, "column 'price': 1.84e+19 does not fit decimal(5,2) (at most 999.99)"},
            {{LH_V_REAL, 0, 999.995, NULL, 0}, "column 'price': 999.995 does not fit decimal(5,2) (at most 999.99)"},
            {{LH_V_INT, -1000, 0, NULL, 0}, "column 'price': -1000 does not fit decimal(5,2) (at least -999.99)"},
            {{LH_V_TEXT, 0, 0, "12345.6", 7}, "column 'price': '12345.6' does not fit decimal(5,2) (at most 999.99)"},
        };
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            lh_pq_writer *w;
            lh_value ok = {LH_V_REAL, 0, 999.99, NULL, 0};
            assert_int_equal(lh_pq_writer_open(f->st, "s3://stats/dec.parquet", cols, &t, 1, NULL, &w, &err), LH_OK);
            assert_int_equal(lh_pq_writer_row(w, &ok, &err), LH_OK);
            assert_int_equal(lh_pq_writer_row(w, &cases[i].v, &err), LH_EDATA);
            if (!strstr(err.msg, cases[i].msg))
                fail_msg("got \"%s\", want \"%s\"", err.msg, cases[i].msg);
            lh_pq_writer_abort(w);
        }
    }
}

/* ---------------- hostile files ---------------- */

typedef struct page_spec {
    pq_page_header h;
    lh_buf body;
} page_spec;

typedef void (*meta_mut)(lh_pq_meta *m);

/* A file with one OPTIONAL INT32 column "x", one row group of num_rows
 * rows, made of the given pages (headers as given). */
static void build_file(lh_buf *out, int codec, page_spec *pages, size_t np, int64_t num_rows, meta_mut mut)
{
    lh_pq_meta m;
    pq_schema_el sch[2];
    pq_rowgroup rg;
    pq_colmeta cm;
    char *path[1] = {"x"};
    int32_t enc[3] = {PQ_ENC_RLE, PQ_ENC_PLAIN, PQ_ENC_RLE_DICT};
    size_t i, start, flen;
    uint8_t tail[8];
    lh_buf_init(out, 0);
    assert_int_equal(lh_buf_append(out, "PAR1", 4, NULL), LH_OK);
    memset(&cm, 0, sizeof cm);
    cm.dictionary_page_offset = -1;
    start = out->len;
    for (i = 0; i < np; i++) {
        if (pages[i].h.type == PQ_PAGE_DICT)
            cm.dictionary_page_offset = (int64_t)out->len;
        else if (!cm.data_page_offset)
            cm.data_page_offset = (int64_t)out->len;
        assert_int_equal(pq_page_header_encode(out, &pages[i].h, NULL), LH_OK);
        assert_int_equal(lh_buf_append(out, pages[i].body.data, pages[i].body.len, NULL), LH_OK);
    }
    if (!cm.data_page_offset)
        cm.data_page_offset = (int64_t)start;
    cm.type = PQ_INT32;
    cm.codec = codec;
    cm.num_values = num_rows;
    cm.total_compressed = cm.total_uncompressed = (int64_t)(out->len - start);
    cm.path = path;
    cm.n_path = 1;
    cm.encodings = enc;
    cm.n_encodings = 3;
    cm.has_meta = 1;
    memset(sch, 0, sizeof sch);
    sch[0].type = -1;
    sch[0].repetition = -1;
    sch[0].converted = -1;
    sch[0].name = "schema";
    sch[0].num_children = 1;
    sch[1].type = PQ_INT32;
    sch[1].repetition = PQ_OPTIONAL;
    sch[1].converted = -1;
    sch[1].name = "x";
    memset(&rg, 0, sizeof rg);
    rg.cols = &cm;
    rg.n_cols = 1;
    rg.num_rows = num_rows;
    memset(&m, 0, sizeof m);
    m.version = 1;
    m.schema = sch;
    m.n_schema = 2;
    m.num_rows = num_rows;
    m.rgs = &rg;
    m.n_rgs = 1;
    if (mut)
        mut(&m);
    start = out->len;
    assert_int_equal(pq_meta_encode(out, &m, NULL), LH_OK);
    flen = out->len - start;
    for (i = 0; i < 4; i++)
        tail[i] = (uint8_t)(flen >> (8 * i));
    memcpy(tail + 4, "PAR1", 4);
    assert_int_equal(lh_buf_append(out, tail, 8, NULL), LH_OK);
}

static void le32put(lh_buf *b, uint32_t v)
{
    uint8_t t[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    assert_int_equal(lh_buf_append(b, t, 4, NULL), LH_OK);
}

/* v1 data page body: def levels (RLE, length-prefixed) + given values. */
static void v1_body(page_spec *p, const uint32_t *defs, size_t n, int enc, const void *vals, size_t vn, int codec)
{
    lh_buf raw;
    size_t lenpos;
    lh_buf_init(&raw, 0);
    le32put(&raw, 0);
    lenpos = raw.len;
    assert_int_equal(pq_rle_encode(&raw, defs, n, 1, NULL), LH_OK);
    {
        uint32_t l = (uint32_t)(raw.len - lenpos);
        memcpy(raw.data, &l, 4);
    }
    assert_int_equal(lh_buf_append(&raw, vals, vn, NULL), LH_OK);
    memset(&p->h, 0, sizeof p->h);
    p->h.type = PQ_PAGE_DATA;
    p->h.uncompressed_size = (int32_t)raw.len;
    p->h.num_values = (int32_t)n;
    p->h.encoding = enc;
    p->h.def_encoding = PQ_ENC_RLE;
    p->h.rep_encoding = PQ_ENC_RLE;
    p->h.has_sub = 1;
    lh_buf_init(&p->body, 0);
    assert_int_equal(lh_codec_compress(codec, raw.data, raw.len, &p->body, NULL), LH_OK);
    p->h.compressed_size = (int32_t)p->body.len;
    lh_buf_free(&raw);
}

static lh_rc read_file(fixture *f, const lh_buf *file, int64_t *rows, lh_err *err)
{
    const char *uri = "s3://bad/x.parquet";
    const char *cols[1] = {"x"};
    lh_type t = {LH_T_INT, 0, 0};
    lh_pq_reader *r = NULL;
    lh_rc rc;
    *rows = 0;
    assert_int_equal(lh_store_put(f->st, uri, file->data, file->len, NULL), LH_OK);
    rc = lh_pq_reader_open(f->st, &uri, 1, cols, &t, 1, &r, err);
    while (!rc) {
        int eof = 0;
        lh_value v;
        rc = lh_pq_reader_next(r, &eof, err);
        if (rc || eof)
            break;
        rc = lh_pq_reader_value(r, 0, &v, err);
        (*rows)++;
    }
    lh_pq_reader_close(r);
    return rc;
}

static const uint32_t DEFS4[4] = {1, 1, 0, 1};
static const int32_t VALS3[3] = {1, 2, 4};

static void expect_bad(fixture *f, lh_buf *file, const char *label, const char *needle)
{
    lh_err err;
    int64_t rows;
    lh_rc rc;
    lh_err_clear(&err);
    rc = read_file(f, file, &rows, &err);
    fprintf(stderr, "hostile %-28s -> %s: %s\n", label, lh_strerror(rc), err.msg);
    assert_true(rc == LH_ECORRUPT || rc == LH_ELIMIT || rc == LH_EUNSUPPORTED);
    assert_non_null(strstr(err.msg, "s3://bad/x.parquet"));
    if (needle)
        assert_non_null(strstr(err.msg, needle));
    lh_buf_free(file);
}

static void mut_neg_rows(lh_pq_meta *m) { m->rgs[0].num_rows = -1; }
static void mut_huge_rows(lh_pq_meta *m) { m->rgs[0].num_rows = m->rgs[0].cols[0].num_values = (int64_t)1 << 50; }
static void mut_offset_past(lh_pq_meta *m) { m->rgs[0].cols[0].data_page_offset = (int64_t)1 << 40; }
static void mut_size_huge(lh_pq_meta *m) { m->rgs[0].cols[0].total_compressed = (int64_t)1 << 40; }
static void mut_children(lh_pq_meta *m) { m->schema[0].num_children = 1000000; }
static void mut_values_differ(lh_pq_meta *m) { m->rgs[0].cols[0].num_values = 3; }
static void mut_type(lh_pq_meta *m) { m->schema[1].type = 9; }

static void test_hostile(void **state)
{
    fixture *f = *state;
    page_spec p[2];
    lh_buf file;
    int64_t rows;
    lh_err err;
    uint8_t plain[12];
    memcpy(plain, VALS3, 12); /* little-endian host */

    /* baseline reads */
    v1_body(&p[0], DEFS4, 4, PQ_ENC_PLAIN, plain, 12, PQ_C_UNCOMPRESSED);
    build_file(&file, PQ_C_UNCOMPRESSED, p, 1, 4, NULL);
    assert_int_equal(read_file(f, &file, &rows, &err), LH_OK);
    assert_int_equal(rows, 4);

    /* magic, footer length, truncation */
    file.data[1] = 'X';
    expect_bad(f, &file, "wrong magic (start)", "magic");
    build_file(&file, PQ_C_UNCOMPRESSED, p, 1, 4, NULL);
    file.data[file.len - 1] = 'X';
    expect_bad(f, &file, "wrong magic (end)", "magic");
    build_file(&file, PQ_C_UNCOMPRESSED, p, 1, 4, NULL);
    memset(file.data + file.len - 8, 0x7f, 3);
    expect_bad(f, &file, "footer length past EOF", "footer length");
    build_file(&file, PQ_C_UNCOMPRESSED, p, 1, 4, NULL);
    {
        uint32_t fl;
        memcpy(&fl, file.data + file.len - 8, 4);
        memmove(file.data + file.len - 8 - fl + 10, file.data + file.len - 8, 8);
        file.len = file.len - fl + 10; /* footer cut short */
    }
    expect_bad(f, &file, "truncated footer", NULL);
    build_file(&file, PQ_C_UNCOMPRESSED, p, 1, 4, NULL);
    file.len = 30;
    expect_bad(f, &file, "truncated file", NULL);

    /* counts and sizes */
    build_file(&file, PQ_C_UNCOMPRESSED, p, 1, 4, mut_neg_rows);
    expect_bad(f, &file, "negative num_rows", "negative");
    build_file(&file, PQ_C_UNCOMPRESSED, p, 1, 4, mut_huge_rows);
    expect_bad(f, &file, "huge num_rows", NULL);
    build_file(&file, PQ_C_UNCOMPRESSED, p, 1, 4, mut_offset_past);
    expect_bad(f, &file, "data page offset past EOF", "outside");
    build_file(&file, PQ_C_UNCOMPRESSED, p, 1, 4, mut_size_huge);
    expect_bad(f, &file, "chunk size huge", "outside");
    build_file(&file, PQ_C_UNCOMPRESSED, p, 1, 4, mut_children);
    expect_bad(f, &file, "schema num_children huge", "schema");
    build_file(&file, PQ_C_UNCOMPRESSED, p, 1, 4, mut_values_differ);
    expect_bad(f, &file, "column values != rows", "values");
    build_file(&file, PQ_C_UNCOMPRESSED, p, 1, 4, mut_type);
    expect_bad(f, &file, "physical type 9", "out of range");
    p[0].h.num_values = 1 << 30;
    build_file(&file, PQ_C_UNCOMPRESSED, p, 1, 4, NULL);
    expect_bad(f, &file, "page values > chunk values", NULL);
    p[0].h.num_values = 4;
    p[0].h.compressed_size = -5;
    build_file(&file, PQ_C_UNCOMPRESSED, p, 1, 4, NULL);
    expect_bad(f, &file, "negative page size", "negative");
    p[0].h.compressed_size = (int32_t)p[0].body.len + 100;
    build_file(&file, PQ_C_UNCOMPRESSED, p, 1, 4, NULL);
    expect_bad(f, &file, "page past chunk end", "past the end");
    p[0].h.compressed_size = (int32_t)p[0].body.len;

    /* CRC mismatch (and a matching CRC reads) */
    p[0].h.has_crc = 1;
    p[0].h.crc = (uint32_t)crc32(0, (const Bytef *)p[0].body.data, (uInt)p[0].body.len);
    build_file(&file, PQ_C_UNCOMPRESSED, p, 1, 4, NULL);
    assert_int_equal(read_file(f, &file, &rows, &err), LH_OK);
    lh_buf_free(&file);
    p[0].h.crc ^= 1;
    build_file(&file, PQ_C_UNCOMPRESSED, p, 1, 4, NULL);
    expect_bad(f, &file, "CRC mismatch", "CRC");
    lh_buf_free(&p[0].body);

    /* levels disagree with values: 3 non-null levels, 2 values */
    v1_body(&p[0], DEFS4, 4, PQ_ENC_PLAIN, plain, 8, PQ_C_UNCOMPRESSED);
    build_file(&file, PQ_C_UNCOMPRESSED, p, 1, 4, NULL);
    expect_bad(f, &file, "fewer values than levels", "past the end");
    lh_buf_free(&p[0].body);
    /* fewer levels than num_values */
    v1_body(&p[0], DEFS4, 4, PQ_ENC_PLAIN, plain, 12, PQ_C_UNCOMPRESSED);
    p[0].h.num_values = 40;
    build_file(&file, PQ_C_UNCOMPRESSED, p, 1, 40, NULL);
    expect_bad(f, &file, "fewer levels than values", "definition levels");
    lh_buf_free(&p[0].body);

    /* dictionary index out of range; negative dictionary count */
    {
        uint32_t idx[3] = {0, 1, 7};
        lh_buf ib;
        lh_buf_init(&ib, 0);
        assert_int_equal(lh_buf_putc(&ib, 3, NULL), LH_OK);
        assert_int_equal(pq_rle_encode(&ib, idx, 3, 3, NULL), LH_OK);
        memset(&p[0].h, 0, sizeof p[0].h);
        p[0].h.type = PQ_PAGE_DICT;
        p[0].h.num_values = 2;
        p[0].h.encoding = PQ_ENC_PLAIN;
        p[0].h.has_sub = 1;
        lh_buf_init(&p[0].body, 0);
        assert_int_equal(lh_buf_append(&p[0].body, plain, 8, NULL), LH_OK);
        p[0].h.uncompressed_size = p[0].h.compressed_size = 8;
        v1_body(&p[1], DEFS4, 4, PQ_ENC_RLE_DICT, ib.data, ib.len, PQ_C_UNCOMPRESSED);
        build_file(&file, PQ_C_UNCOMPRESSED, p, 2, 4, NULL);
        expect_bad(f, &file, "dictionary index out of range", "dictionary index 7");
        p[0].h.num_values = -3;
        build_file(&file, PQ_C_UNCOMPRESSED, p, 2, 4, NULL);
        expect_bad(f, &file, "negative dictionary count", "negative");
        p[0].h.num_values = 1000;
        build_file(&file, PQ_C_UNCOMPRESSED, p, 2, 4, NULL);
        expect_bad(f, &file, "dictionary count > bytes", "dictionary");
        lh_buf_free(&p[0].body);
        lh_buf_free(&p[1].body);
        lh_buf_free(&ib);
    }

    /* decompression bomb: 4 MiB of zeros claimed as 16 bytes; and a 2 GiB claim */
    {
        int codecs[3] = {PQ_C_GZIP, PQ_C_ZSTD, PQ_C_SNAPPY};
        char *zeros = calloc(1, 4 << 20);
        for (int k = 0; k < 3; k++) {
            v1_body(&p[0], DEFS4, 4, PQ_ENC_PLAIN, plain, 12, codecs[k]);
            lh_buf_reset(&p[0].body);
            assert_int_equal(lh_codec_compress(codecs[k], zeros, 4 << 20, &p[0].body, NULL), LH_OK);
            p[0].h.compressed_size = (int32_t)p[0].body.len;
            p[0].h.uncompressed_size = 16;
            build_file(&file, codecs[k], p, 1, 4, NULL);
            expect_bad(f, &file, "decompression bomb", "decompresses to");
            p[0].h.uncompressed_size = INT32_MAX;
            build_file(&file, codecs[k], p, 1, 4, NULL);
            expect_bad(f, &file, "page size above the cap", NULL);
            lh_buf_free(&p[0].body);
        }
        free(zeros);
    }

    /* v2 page whose num_nulls disagrees with its levels */
    {
        lh_buf b;
        lh_buf_init(&b, 0);
        assert_int_equal(pq_rle_encode(&b, DEFS4, 4, 1, NULL), LH_OK);
        memset(&p[0].h, 0, sizeof p[0].h);
        p[0].h.type = PQ_PAGE_DATA_V2;
        p[0].h.num_values = 4;
        p[0].h.num_rows = 4;
        p[0].h.num_nulls = 0;
        p[0].h.def_len = (int32_t)b.len;
        p[0].h.has_sub = 1;
        p[0].h.is_compressed = 0;
        assert_int_equal(lh_buf_append(&b, plain, 12, NULL), LH_OK);
        p[0].h.uncompressed_size = p[0].h.compressed_size = (int32_t)b.len;
        p[0].body = b;
        build_file(&file, PQ_C_UNCOMPRESSED, p, 1, 4, NULL);
        expect_bad(f, &file, "v2 num_nulls disagrees", "num_nulls");
        p[0].h.num_nulls = 1; /* now valid */
        build_file(&file, PQ_C_UNCOMPRESSED, p, 1, 4, NULL);
        assert_int_equal(read_file(f, &file, &rows, &err), LH_OK);
        assert_int_equal(rows, 4);
        lh_buf_free(&file);
        p[0].h.def_len = 1000;
        build_file(&file, PQ_C_UNCOMPRESSED, p, 1, 4, NULL);
        expect_bad(f, &file, "v2 level length too long", NULL);
        lh_buf_free(&b);
    }
}

/* Footers that are not valid Thrift at all. */
static void test_hostile_thrift(void **state)
{
    fixture *f = *state;
    lh_buf file;
    size_t i;
    uint8_t tail[8];
    /* deep nesting: field 1 type struct, 2000 times */
    for (int k = 0; k < 3; k++) {
        lh_buf_init(&file, 0);
        assert_int_equal(lh_buf_append(&file, "PAR1", 4, NULL), LH_OK);
        if (k == 0) {
            /* unknown field 50 (skipped), holding structs nested 2000 deep */
            assert_int_equal(lh_buf_append(&file, "\x0c\x64", 2, NULL), LH_OK);
            for (i = 0; i < 2000; i++)
                assert_int_equal(lh_buf_putc(&file, 0x1c, NULL), LH_OK);
        } else if (k == 1) {
            /* field 2 (schema) list of structs claiming 2^31 elements */
            const uint8_t b[] = {0x15, 0x02, 0x19, 0xfc, 0x80, 0x80, 0x80, 0x80, 0x08, 0x00};
            assert_int_equal(lh_buf_append(&file, b, sizeof b, NULL), LH_OK);
        } else {
            /* binary claiming 1 GiB */
            const uint8_t b[] = {0x68, 0x80, 0x80, 0x80, 0x80, 0x04, 'a'};
            assert_int_equal(lh_buf_append(&file, b, sizeof b, NULL), LH_OK);
        }
        for (i = 0; i < 4; i++)
            tail[i] = (uint8_t)((file.len - 4) >> (8 * i));
        memcpy(tail + 4, "PAR1", 4);
        assert_int_equal(lh_buf_append(&file, tail, 8, NULL), LH_OK);
        expect_bad(f, &file, k == 0 ? "thrift nesting" : k == 1 ? "list longer than bytes" : "binary past end",
                   k == 0 ? "nested too deeply" : k == 1 ? "list longer" : "binary longer");
    }
}

/* ---------------- encodings ---------------- */

static void test_rle_and_delta(void **state)
{
    uint32_t in[1000], out[1000];
    lh_buf b;
    pq_rle d;
    size_t i, used;
    int bw;
    (void)state;
    for (bw = 1; bw <= 20; bw += 3) {
        for (i = 0; i < 1000; i++)
            in[i] = (uint32_t)((i / 37) % 3 == 0 ? 5 : mix(i) % (1u << bw)) & ((1u << bw) - 1);
        lh_buf_init(&b, 0);
        assert_int_equal(pq_rle_encode(&b, in, 1000, bw, NULL), LH_OK);
        assert_null(pq_rle_init(&d, (const uint8_t *)b.data, b.len, bw));
        assert_null(pq_rle_get(&d, out, 1000));
        assert_memory_equal(in, out, sizeof in);
        assert_non_null(pq_rle_get(&d, out, 9)); /* past the end */
        lh_buf_free(&b);
    }
    /* DELTA_BINARY_PACKED: the spec's example 2 (block 128, 1 miniblock) */
    {
        const uint8_t ex[] = {0x80, 0x01, 0x01, 0x08, 0x0e, 0x03, 0x02, 0x00, 0xff, 0xff};
        uint8_t buf[64];
        int64_t vals[8];
        const int64_t want[8] = {7, 5, 3, 1, 2, 3, 4, 5};
        memset(buf, 0, sizeof buf);
        memcpy(buf, ex, sizeof ex);
        /* header: block 128, 1 miniblock, 8 values, first 7; block: min -2, width 2,
         * deltas-min 0,0,0,3,3,3,3 packed on 2 bits (32 values -> 8 bytes) */
        buf[5] = 0x03; /* zigzag(-2) */
        buf[6] = 2;
        buf[7] = 0xc0; /* 0,0,0,3 */
        buf[8] = 0xff; /* 3,3,3,3 */
        buf[9] = 0;
        /* one miniblock of 128 values x 2 bits = 32 bytes after 7 bytes of headers */
        assert_null(pq_delta_bp_decode(buf, 7 + 32, 8, 0, vals, &used));
        assert_memory_equal(vals, want, sizeof want);
        assert_int_equal(used, 39);
        assert_non_null(pq_delta_bp_decode(buf, 20, 8, 0, vals, &used)); /* truncated */
        assert_non_null(pq_delta_bp_decode(buf, 39, 9, 0, vals, &used)); /* count disagrees */
    }
}

/* ---------------- fault injection ---------------- */

static lh_rc small_cycle(fixture *f)
{
    const char *uri = "s3://fault/x.parquet";
    const char *cols[3] = {"a", "b", "c"};
    lh_type t[3] = {{LH_T_BIGINT, 0, 0}, {LH_T_STRING, 0, 0}, {0, 0, 0}};
    lh_pq_write_opts o;
    lh_pq_writer *w = NULL;
    lh_pq_reader *r = NULL;
    lh_err err;
    lh_rc rc;
    int i, n = 0;
    memset(&o, 0, sizeof o);
    o.codec = LH_PQ_ZSTD;
    o.page_bytes = 64;
    o.row_group_bytes = 2048;
    rc = lh_pq_writer_open(f->st, uri, cols, t, 3, &o, &w, &err);
    for (i = 0; i < 60 && !rc; i++) {
        char s[16];
        lh_value v[3];
        memset(v, 0, sizeof v);
        v[0].t = LH_V_INT;
        v[0].i = i;
        v[1].t = LH_V_TEXT;
        v[1].n = (size_t)snprintf(s, sizeof s, "v%d", i % 7);
        v[1].s = s;
        if (i % 3) {
            v[2].t = LH_V_REAL;
            v[2].d = i / 2.0;
        }
        rc = lh_pq_writer_row(w, v, &err);
    }
    if (w) {
        if (rc)
            lh_pq_writer_abort(w);
        else
            rc = lh_pq_writer_close(w, NULL, NULL, &err);
    }
    if (rc)
        return rc;
    rc = lh_pq_reader_open(f->st, &uri, 1, cols, t, 2, &r, &err);
    while (!rc) {
        int eof = 0;
        lh_value v;
        rc = lh_pq_reader_next(r, &eof, &err);
        if (rc || eof)
            break;
        rc = lh_pq_reader_value(r, 1, &v, &err);
        n++;
    }
    lh_pq_reader_close(r);
    if (!rc && n != 60)
        return LH_EINTERNAL;
    return rc;
}

static void test_fault_injection(void **state)
{
    fixture *f = *state;
    long n;
    int ok_at = 0;
    for (n = 1; n < 3000; n++) {
        lh_rc rc;
        lh_fault_alloc_set(n);
        rc = small_cycle(f);
        lh_fault_alloc_set(0);
        assert_true(rc != LH_EINTERNAL);
        if (rc == LH_OK) {
            ok_at = (int)n;
            break;
        }
    }
    fprintf(stderr, "fault injection: %d allocation points failed cleanly\n", ok_at - 1);
    assert_true(ok_at > 20);
    assert_int_equal(small_cycle(f), LH_OK);
}

/* ---------------- background encoding ---------------- */

/* Write the round-trip table with background threads on or off, read it
 * back, and return the object's bytes. */
static void write_with_threads(fixture *f, const char *uri, int threads, int rows, const lh_pq_write_opts *o,
                               lh_buf *out)
{
    lh_type types[NCOL];
    lh_pq_stats st;
    lh_err err;
    lh_threads_set(threads);
    write_table(f, uri, rows, o, types);
    lh_threads_set(-1);
    read_back(f, uri, rows, types, &st);
    assert_true(st.row_groups_read >= 3);
    lh_buf_init(out, 0);
    assert_int_equal(lh_store_get(f->st, uri, out, &err), LH_OK);
}

/* The same rows with the worker thread and without: the same bytes.  The
 * configurations cover many small row groups (last one encoded inline),
 * larger ones whose last row group both threads encode, dictionary
 * fallback to PLAIN, no dictionary, and several codecs. */
static void test_threads_identical(void **state)
{
    fixture *f = *state;
    struct {
        lh_pq_codec codec;
        size_t rg, page, dict;
        int no_dict, rows;
    } cfg[] = {
        {LH_PQ_SNAPPY, 64 << 10, 300, 2048, 0, 3000},
        {LH_PQ_SNAPPY, 1 << 20, 0, 4096, 0, 6000},
        {LH_PQ_ZSTD, 700 << 10, 4096, 0, 0, 5000},
        {LH_PQ_UNCOMPRESSED, 200 << 10, 1000, 0, 1, 4000},
        {LH_PQ_GZIP, 100 << 10, 0, 512, 0, 2000},
    };
    size_t i;
    for (i = 0; i < sizeof cfg / sizeof cfg[0]; i++) {
        lh_pq_write_opts o;
        lh_buf on, off;
        char u1[64], u0[64];
        memset(&o, 0, sizeof o);
        o.codec = cfg[i].codec;
        o.row_group_bytes = cfg[i].rg;
        o.page_bytes = cfg[i].page;
        o.dict_max_bytes = cfg[i].dict;
        o.no_dictionary = cfg[i].no_dict;
        snprintf(u1, sizeof u1, "s3://thr/on_%zu.parquet", i);
        snprintf(u0, sizeof u0, "s3://thr/off_%zu.parquet", i);
        write_with_threads(f, u1, 1, cfg[i].rows, &o, &on);
        write_with_threads(f, u0, 0, cfg[i].rows, &o, &off);
        assert_int_equal(on.len, off.len);
        assert_memory_equal(on.data, off.data, on.len);
        lh_buf_free(&on);
        lh_buf_free(&off);
    }
}

/* Rows of the round-trip table without asserting: for fault walks. */
static lh_rc write_rc(fixture *f, const char *uri, int rows, const lh_pq_write_opts *o, int abort_it)
{
    lh_type types[NCOL];
    lh_pq_writer *w = NULL;
    lh_err err;
    lh_rc rc;
    int c, r;
    char bufs[NCOL][256];
    for (c = 0; c < NCOL; c++) {
        memset(&types[c], 0, sizeof types[c]);
        if (col_types[c] && lh_type_parse(col_types[c], strlen(col_types[c]), &types[c], NULL))
            return LH_EINTERNAL;
    }
    rc = lh_pq_writer_open(f->st, uri, col_names, types, NCOL, o, &w, &err);
    for (r = 0; r < rows && !rc; r++) {
        lh_value v[NCOL];
        for (c = 0; c < NCOL; c++)
            v[c] = gen(r, c, bufs[c], sizeof bufs[c]);
        rc = lh_pq_writer_row(w, v, &err);
    }
    if (rc && w)
        assert_true(lh_pq_writer_row(w, NULL, &err) != LH_OK); /* refused after an error */
    if (w && (rc || abort_it))
        lh_pq_writer_abort(w);
    else if (w)
        rc = lh_pq_writer_close(w, NULL, NULL, &err);
    if (rc)
        assert_true(err.msg[0] != 0);
    return rc;
}

/* Abort with a row group in flight, and a fault walk over a write whose
 * row groups go to the worker: every failure is clean (ASan/LSan check the
 * frees and joins) and leaves no object behind. */
static void test_threads_faults(void **state)
{
    fixture *f = *state;
    lh_pq_write_opts o;
    lh_obj_info info;
    lh_err err;
    long n;
    int ok_at = 0;
    memset(&o, 0, sizeof o);
    o.codec = LH_PQ_SNAPPY;
    o.row_group_bytes = 48 << 10;
    o.page_bytes = 2048;
    o.dict_max_bytes = 1024;
    lh_threads_set(1);
    assert_int_equal(write_rc(f, "s3://thr/aborted.parquet", 1500, &o, 1), LH_OK);
    assert_int_not_equal(lh_store_head(f->st, "s3://thr/aborted.parquet", &info, &err), LH_OK);
    for (n = 1; n < 200000; n++) {
        lh_rc rc;
        lh_fault_alloc_set(n);
        rc = write_rc(f, "s3://thr/fault.parquet", 1200, &o, 0);
        lh_fault_alloc_set(0);
        assert_true(rc == LH_OK || rc == LH_ENOMEM);
        if (rc == LH_OK) {
            ok_at = (int)n;
            break;
        }
        assert_int_not_equal(lh_store_head(f->st, "s3://thr/fault.parquet", &info, &err), LH_OK);
    }
    lh_threads_set(-1);
    fprintf(stderr, "threaded fault injection: %d allocation points failed cleanly\n", ok_at - 1);
    assert_true(ok_at > 100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stats_skip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_projection_and_types, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hostile, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hostile_thrift, setup, teardown),
        cmocka_unit_test(test_rle_and_delta),
        cmocka_unit_test_setup_teardown(test_fault_injection, setup, teardown),
        cmocka_unit_test_setup_teardown(test_threads_identical, setup, teardown),
        cmocka_unit_test_setup_teardown(test_threads_faults, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
