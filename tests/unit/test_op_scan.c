/* tests/unit/test_op_scan.c — the table scan operator over Parquet and
 * JSON-lines tables in a temporary local store (every column type,
 * projections, "$path", NULLs and absent keys, many objects and batches,
 * malformed lines and quarantine, values that do not convert, row groups
 * skipped on constraints, cancellation, an allocation-failure walk), and
 * lh_value_format for every type. */
#define LH_TESTUTIL_STORE_FIXTURE
#include "testutil.h"

#include <math.h>
#include <time.h>

#include "catalog/catalog.h"
#include "exec/kernels.h"
#include "exec/scan.h"
#include "formats/jsonl.h"
#include "formats/parquet.h"

/* ---------------- helpers ---------------- */

static lh_prop g_props[8];

/* A table definition: db "stedi", the given name and format, SerDe
 * properties "k=v" (up to 8). */
static lh_table_def mkdef(const char *name, const char *format, const char *const *props, size_t nprops)
{
    lh_table_def d;
    size_t i;
    memset(&d, 0, sizeof d);
    d.db = (char *)"stedi";
    d.name = (char *)name;
    d.format = (char *)format;
    for (i = 0; i < nprops && i < 8; i++) {
        static char kv[8][128];
        char *eq;
        snprintf(kv[i], sizeof kv[i], "%s", props[i]);
        eq = strchr(kv[i], '=');
        assert_non_null(eq);
        *eq = 0;
        g_props[i].key = kv[i];
        g_props[i].value = eq + 1;
    }
    d.serde_props = g_props;
    d.n_serde_props = nprops;
    return d;
}

/* A scan column "name:hivetype" ("$path" for the path column). */
static lh_scan_col mkcol(const char *spec)
{
    lh_scan_col c;
    static char names[64][64];
    static int k;
    const char *colon = strchr(spec, ':');
    lh_err err;
    memset(&c, 0, sizeof c);
    if (!strcmp(spec, "$path")) {
        c.name = "$path";
        c.is_path = 1;
        c.type = lh_sqltype_varchar(LH_SQL_UNBOUNDED);
        return c;
    }
    assert_non_null(colon);
    k = (k + 1) % 64;
    snprintf(names[k], sizeof names[k], "%.*s", (int)(colon - spec), spec);
    c.name = names[k];
    assert_int_equal(lh_type_parse(colon + 1, strlen(colon + 1), &c.hive, &err), LH_OK);
    assert_int_equal(lh_sqltype_from_hive(&c.hive, &c.type, &err), LH_OK);
    return c;
}

/* Write a Parquet object: columns "name:type", rows of text cells (NULL = NULL). */
static void write_pq(lh_store *st, const char *uri, const char *const *cols, size_t ncols, const char *const *cells,
                     size_t nrows, size_t rg_bytes)
{
    const char *names[16];
    lh_type types[16];
    lh_pq_write_opts o;
    lh_pq_writer *w;
    lh_err err;
    size_t r, c;
    assert_true(ncols <= 16);
    for (c = 0; c < ncols; c++) {
        lh_scan_col sc = mkcol(cols[c]);
        names[c] = sc.name;
        types[c] = sc.hive;
    }
    memset(&o, 0, sizeof o);
    o.row_group_bytes = rg_bytes;
    assert_int_equal(lh_pq_writer_open(st, uri, names, types, ncols, &o, &w, &err), LH_OK);
    for (r = 0; r < nrows; r++) {
        lh_value v[16];
        memset(v, 0, sizeof v);
        for (c = 0; c < ncols; c++) {
            const char *s = cells[r * ncols + c];
            if (!s)
                continue;
            switch (types[c].kind) {
            case LH_T_TINYINT:
            case LH_T_SMALLINT:
            case LH_T_INT:
            case LH_T_BIGINT:
            case LH_T_BOOLEAN:
                v[c].t = LH_V_INT;
                v[c].i = !strcmp(s, "true") ? 1 : !strcmp(s, "false") ? 0 : strtoll(s, NULL, 10);
                break;
            case LH_T_FLOAT:
            case LH_T_DOUBLE:
                v[c].t = LH_V_REAL;
                v[c].d = strtod(s, NULL);
                break;
            default:
                v[c].t = LH_V_TEXT;
                v[c].s = s;
                v[c].n = strlen(s);
                break;
            }
        }
        if (lh_pq_writer_row(w, v, &err))
            fail_msg("write row %zu: %s", r, err.msg);
    }
    assert_int_equal(lh_pq_writer_close(w, NULL, NULL, &err), LH_OK);
}

static void put(lh_store *st, const char *uri, const char *text)
{
    lh_err err;
    if (lh_store_put(st, uri, text, strlen(text), &err))
        fail_msg("put %s: %s", uri, err.msg);
}

typedef struct result {
    lh_rc rc;
    lh_err err;
    char *text; /* rows "a|b|c\n", NULL as "NULL" */
    uint64_t rows;
    int batches;
    uint32_t max_batch;
    int const_path; /* batches whose "$path" column was CONST */
} result;

static void result_free(result *r) { free(r->text); }

/* Build the scan, pull every batch and print it. */
static result run(lh_exec_ctx *ctx, const lh_scan_spec *spec)
{
    result res;
    lh_op *op = NULL;
    lh_buf out;
    memset(&res, 0, sizeof res);
    lh_buf_init(&out, 0);
    res.rc = lh_op_scan(ctx, spec, &op, &res.err);
    while (!res.rc) {
        lh_batch *b;
        uint32_t r, c;
        res.rc = lh_op_next(op, &b, &res.err);
        if (res.rc || !b)
            break;
        assert_true(b->n > 0 && b->n <= LH_BATCH);
        assert_int_equal(b->ncols, spec->ncols);
        res.batches++;
        res.rows += b->n;
        if (b->n > res.max_batch)
            res.max_batch = b->n;
        for (c = 0; c < b->ncols; c++)
            if (spec->cols[c].is_path && b->cols[c]->kind == LH_VEC_CONST)
                res.const_path++;
        /* (the output's allocations fail too under the allocation walk) */
        for (r = 0; r < b->n && !res.rc; r++) {
            for (c = 0; c < b->ncols && !res.rc; c++) {
                int isnull;
                if (c && (res.rc = lh_buf_putc(&out, '|', &res.err)))
                    break;
                res.rc = lh_value_format(b->cols[c], r, &out, &isnull, &res.err);
                if (!res.rc && isnull)
                    res.rc = lh_buf_puts(&out, "NULL", &res.err);
            }
            if (!res.rc)
                res.rc = lh_buf_putc(&out, '\n', &res.err);
        }
    }
    lh_op_free(op);
    res.text = strdup(out.len ? out.data : "");
    lh_buf_free(&out);
    return res;
}

static lh_scan_spec mkspec(lh_store *st, const lh_table_def *def, const char *const *uris, size_t nuris,
                           const lh_scan_col *cols, uint32_t ncols)
{
    lh_scan_spec s;
    memset(&s, 0, sizeof s);
    s.store = st;
    s.def = def;
    s.uris = uris;
    s.nuris = nuris;
    s.cols = cols;
    s.ncols = ncols;
    return s;
}

/* ---------------- every type ---------------- */

static const char *const all_cols[] = {"s:string",     "vc:varchar(5)", "ch:char(4)", "ti:tinyint", "si:smallint",
                                       "i:int",        "b:bigint",      "f:float",    "d:double",   "bo:boolean",
                                       "dt:date",      "ts:timestamp",  "dc:decimal(10,2)", "db:decimal(30,4)"};
#define NALL 14

static const char *const all_expect =
    "hello world, long enough|abcde|ab  |-128|-32768|-2147483648|-9223372036854775807|0.1|0.5|true|2022-06-18|"
    "2022-06-18 14:00:00.123|-1.50|12345678901.2345\n"
    "NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL\n"
    "|é|x   |127|32767|2147483647|9223372036854775807|1.0E10|-1.0E-5|false|1970-01-01|1969-12-31 23:59:59.999|0.00|"
    "-0.0001\n";

static void test_parquet_all_types(void **state)
{
    fixture *f = *state;
    const char *cells[] = {
        "hello world, long enough", "abcdefgh", "ab  ", "-128", "-32768", "-2147483648", "-9223372036854775807", "0.1",
        "0.5", "true", "2022-06-18", "2022-06-18 14:00:00.123", "-1.5", "12345678901.2345",
        NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
        "", "\xc3\xa9", "x", "127", "32767", "2147483647", "9223372036854775807", "1e10", "-0.00001", "false",
        "1970-01-01", "1969-12-31 23:59:59.999", "0", "-0.0001"};
    const char *uris[] = {"s3://bkt/all/part-0.parquet"};
    lh_scan_col cols[NALL];
    lh_table_def def = mkdef("all_pq", "parquet", NULL, 0);
    lh_scan_spec spec;
    lh_exec_ctx ctx;
    result r;
    size_t i;
    write_pq(f->st, uris[0], all_cols, NALL, cells, 3, 0);
    for (i = 0; i < NALL; i++)
        cols[i] = mkcol(all_cols[i]);
    spec = mkspec(f->st, &def, uris, 1, cols, NALL);
    lh_exec_ctx_init(&ctx);
    r = run(&ctx, &spec);
    if (r.rc)
        fail_msg("%s", r.err.msg);
    assert_string_equal(r.text, all_expect);
    assert_int_equal(atomic_load(&ctx.rows_read), 3);
    assert_true(atomic_load(&ctx.pages_read) >= NALL);
    assert_true(atomic_load(&ctx.bytes_read) > 0);
    /* the vectors have the Trino types */
    result_free(&r);
}

static void test_json_all_types(void **state)
{
    fixture *f = *state;
    const char *uris[] = {"s3://bkt/allj/a.json"};
    lh_scan_col cols[NALL];
    lh_table_def def = mkdef("all_json", "json", NULL, 0);
    lh_scan_spec spec;
    lh_exec_ctx ctx;
    result r;
    size_t i;
    put(f->st, uris[0],
        "{\"s\":\"hello world, long enough\",\"vc\":\"abcdefgh\",\"ch\":\"ab  \",\"ti\":-128,\"si\":-32768,"
        "\"i\":-2147483648,\"b\":-9223372036854775807,\"f\":0.1,\"d\":0.5,\"bo\":true,\"dt\":\"2022-06-18\","
        "\"ts\":\"2022-06-18 14:00:00.123\",\"dc\":-1.5,\"db\":12345678901.2345}\n"
        "{\"s\":null}\n"
        "{\"S\":\"\",\"vc\":\"\xc3\xa9\",\"ch\":\"x\",\"ti\":\"127\",\"si\":32767,\"i\":2147483647,"
        "\"b\":9223372036854775807,\"f\":1e10,\"d\":\"-1e-5\",\"bo\":\"FALSE\",\"dt\":\"1970-01-01\","
        "\"ts\":-1,\"dc\":0,\"db\":-0.0001}\n");
    for (i = 0; i < NALL; i++)
        cols[i] = mkcol(all_cols[i]);
    spec = mkspec(f->st, &def, uris, 1, cols, NALL);
    lh_exec_ctx_init(&ctx);
    r = run(&ctx, &spec);
    if (r.rc)
        fail_msg("%s", r.err.msg);
    assert_string_equal(r.text, all_expect);
    assert_int_equal(atomic_load(&ctx.rows_read), 3);
    result_free(&r);
}

/* ---------------- projections, "$path", zero columns, many batches ---------------- */

static void write_seq_pq(lh_store *st, const char *uri, int from, int n, size_t rg_bytes)
{
    const char *cols[] = {"id:bigint", "name:string", "maybe:int"};
    char **cells = calloc((size_t)n * 3, sizeof *cells);
    int r;
    assert_non_null(cells);
    for (r = 0; r < n; r++) {
        cells[r * 3] = malloc(24);
        cells[r * 3 + 1] = malloc(40);
        snprintf(cells[r * 3], 24, "%d", from + r);
        snprintf(cells[r * 3 + 1], 40, "customer-name-%06d", from + r);
        if ((from + r) % 3) {
            cells[r * 3 + 2] = malloc(24);
            snprintf(cells[r * 3 + 2], 24, "%d", (from + r) * 2);
        }
    }
    write_pq(st, uri, cols, 3, (const char *const *)cells, (size_t)n, rg_bytes);
    for (r = 0; r < n * 3; r++)
        free(cells[r]);
    free(cells);
}

static void write_seq_json(lh_store *st, const char *uri, int from, int n)
{
    lh_buf b;
    int r;
    lh_buf_init(&b, 0);
    for (r = 0; r < n; r++) {
        int id = from + r;
        if (id % 3)
            assert_int_equal(lh_buf_printf(&b, NULL, "{\"ID\":%d,\"name\":\"customer-name-%06d\",\"maybe\":%d}\n", id,
                                           id, id * 2),
                             LH_OK);
        else /* absent key */
            assert_int_equal(lh_buf_printf(&b, NULL, "{\"ID\":%d,\"name\":\"customer-name-%06d\"}\n", id, id), LH_OK);
    }
    put(st, uri, lh_buf_cstr(&b));
    lh_buf_free(&b);
}

/* Expected text of rows [from, from + n) as "maybe|$path|id" rows. */
static void expect_rows(lh_buf *b, const char *uri, int from, int n)
{
    int r;
    for (r = 0; r < n; r++) {
        int id = from + r;
        if (id % 3)
            assert_int_equal(lh_buf_printf(b, NULL, "%d|%s|%d\n", id * 2, uri, id), LH_OK);
        else
            assert_int_equal(lh_buf_printf(b, NULL, "NULL|%s|%d\n", uri, id), LH_OK);
    }
}

static void check_many(lh_store *st, const lh_table_def *def, const char *const *uris, const int *sizes)
{
    lh_scan_col cols[3] = {mkcol("maybe:int"), mkcol("$path"), mkcol("id:bigint")};
    lh_scan_spec spec = mkspec(st, def, uris, 3, cols, 3);
    lh_exec_ctx ctx;
    lh_buf want;
    result r;
    int k, from = 0;
    lh_buf_init(&want, 0);
    for (k = 0; k < 3; k++) {
        expect_rows(&want, uris[k], from, sizes[k]);
        from += sizes[k];
    }
    lh_exec_ctx_init(&ctx);
    r = run(&ctx, &spec);
    if (r.rc)
        fail_msg("%s", r.err.msg);
    assert_string_equal(r.text, lh_buf_cstr(&want));
    assert_int_equal(r.rows, (uint64_t)from);
    assert_int_equal(atomic_load(&ctx.rows_read), (uint64_t)from);
    assert_int_equal(r.max_batch, LH_BATCH);
    assert_true(r.batches >= 3);
    assert_true(r.const_path >= 1);          /* a batch inside one object */
    assert_true(r.const_path < r.batches);   /* and one across two */
    result_free(&r);

    /* zero columns (count(*)): the right number of rows, in full batches */
    spec.ncols = 0;
    lh_exec_ctx_init(&ctx);
    r = run(&ctx, &spec);
    assert_int_equal(r.rc, LH_OK);
    assert_int_equal(r.rows, (uint64_t)from);
    assert_int_equal(r.batches, (from + LH_BATCH - 1) / LH_BATCH);
    result_free(&r);

    /* one column twice, and a subset */
    {
        lh_scan_col c2[2] = {mkcol("name:string"), mkcol("name:string")};
        spec.cols = c2;
        spec.ncols = 2;
        spec.nuris = 1;
        r = run(&ctx, &spec);
        assert_int_equal(r.rc, LH_OK);
        assert_int_equal(r.rows, (uint64_t)sizes[0]);
        assert_memory_equal(r.text, "customer-name-000000|customer-name-000000\ncustomer-name-000001|", 62);
        result_free(&r);
    }
    lh_buf_free(&want);
}

static void test_parquet_many_objects(void **state)
{
    fixture *f = *state;
    const char *uris[] = {"s3://bkt/many/p0.parquet", "s3://bkt/many/p1.parquet", "s3://bkt/many/p2.parquet"};
    const int sizes[] = {3000, 100, 2500};
    lh_table_def def = mkdef("many_pq", "parquet", NULL, 0);
    write_seq_pq(f->st, uris[0], 0, sizes[0], 16 << 10);
    write_seq_pq(f->st, uris[1], sizes[0], sizes[1], 0);
    write_seq_pq(f->st, uris[2], sizes[0] + sizes[1], sizes[2], 0);
    check_many(f->st, &def, uris, sizes);
}

static void test_json_many_objects(void **state)
{
    fixture *f = *state;
    const char *uris[] = {"s3://bkt/manyj/j0.json", "s3://bkt/manyj/j1.json", "s3://bkt/manyj/j2.json"};
    const int sizes[] = {3000, 100, 2500};
    lh_table_def def = mkdef("many_json", "json", NULL, 0);
    write_seq_json(f->st, uris[0], 0, sizes[0]);
    write_seq_json(f->st, uris[1], sizes[0], sizes[1]);
    write_seq_json(f->st, uris[2], sizes[0] + sizes[1], sizes[2]);
    check_many(f->st, &def, uris, sizes);
}

/* A parallel plan's scans: lh_op_scan_keep restricts a scan to a share of
 * its objects (before its first pull only), and an uncounted scan adds
 * nothing to the context's figures. */
static uint64_t drain_count(lh_op *op)
{
    uint64_t n = 0;
    lh_batch *b;
    lh_err err;
    for (;;) {
        assert_int_equal(lh_op_next(op, &b, &err), LH_OK);
        if (!b)
            return n;
        n += lh_batch_rows(b).n;
    }
}

static void test_keep_and_uncounted(void **state)
{
    fixture *f = *state;
    const char *uris[] = {"s3://bkt/keep/j0.json", "s3://bkt/keep/j1.json", "s3://bkt/keep/j2.json"};
    const char *share[] = {"s3://bkt/keep/j2.json", "s3://bkt/keep/j0.json", "s3://bkt/keep/elsewhere.json"};
    lh_table_def def = mkdef("keep", "json", NULL, 0);
    lh_scan_col cols[1] = {mkcol("id:bigint")};
    lh_scan_spec spec = mkspec(f->st, &def, uris, 3, cols, 1);
    lh_exec_ctx ctx;
    lh_op *op = NULL;
    lh_err err;
    write_seq_json(f->st, uris[0], 0, 3000);
    write_seq_json(f->st, uris[1], 3000, 100);
    write_seq_json(f->st, uris[2], 3100, 2500);
    lh_exec_ctx_init(&ctx);
    assert_int_equal(lh_op_scan(&ctx, &spec, &op, &err), LH_OK);
    assert_true(lh_op_is_scan(op));
    assert_int_equal(lh_op_stream_child(op), -1); /* a leaf */
    assert_int_equal(lh_op_scan_keep(op, share, 3, &err), LH_OK);
    assert_int_equal(drain_count(op), 5500);
    assert_int_equal(atomic_load(&ctx.rows_read), 5500);
    assert_int_equal(lh_op_scan_keep(op, share, 1, &err), LH_EINTERNAL); /* too late */
    lh_op_free(op);
    /* an uncounted scan reads everything and counts nothing */
    spec.uncounted = 1;
    lh_exec_ctx_init(&ctx);
    assert_int_equal(lh_op_scan(&ctx, &spec, &op, &err), LH_OK);
    assert_int_equal(drain_count(op), 5600);
    assert_int_equal(atomic_load(&ctx.rows_read), 0);
    lh_op_free(op);
    /* keeping none of its objects: an empty scan */
    spec.uncounted = 0;
    assert_int_equal(lh_op_scan(&ctx, &spec, &op, &err), LH_OK);
    assert_int_equal(lh_op_scan_keep(op, share + 2, 1, &err), LH_OK);
    assert_int_equal(drain_count(op), 0);
    lh_op_free(op);
    assert_false(lh_op_is_scan(NULL));
}

static void test_empty_table(void **state)
{
    fixture *f = *state;
    lh_scan_col cols[1] = {mkcol("id:bigint")};
    lh_table_def def = mkdef("empty", "parquet", NULL, 0);
    lh_scan_spec spec = mkspec(f->st, &def, NULL, 0, cols, 1);
    lh_exec_ctx ctx;
    result r;
    lh_exec_ctx_init(&ctx);
    r = run(&ctx, &spec);
    assert_int_equal(r.rc, LH_OK);
    assert_int_equal(r.rows, 0);
    assert_int_equal(r.batches, 0);
    result_free(&r);
    def = mkdef("csvt", "csv", NULL, 0);
    r = run(&ctx, &spec);
    assert_int_equal(r.rc, LH_EUNSUPPORTED);
    assert_string_equal(r.err.msg, "table stedi.csvt: format 'csv' cannot be read");
    result_free(&r);
}

/* ---------------- SerDe properties, malformed lines, bad values ---------------- */

typedef struct qlog {
    int calls;
    char uri[128];
    uint64_t line;
    char raw[64];
    int fail;
} qlog;

static lh_rc quarantine(void *ctx, const char *uri, uint64_t line, const char *reason, const char *raw, size_t n,
                        lh_err *err)
{
    qlog *q = ctx;
    q->calls++;
    snprintf(q->uri, sizeof q->uri, "%s", uri);
    q->line = line;
    snprintf(q->raw, sizeof q->raw, "%.*s", (int)n, raw);
    assert_non_null(reason);
    if (q->fail)
        return lh_errf(err, LH_ELIMIT, "quarantine full");
    return LH_OK;
}

static void test_json_malformed(void **state)
{
    fixture *f = *state;
    const char *uris[] = {"s3://bkt/bad/x.json"};
    const char *ignore[] = {"ignore.malformed.json=TRUE"};
    lh_scan_col cols[2] = {mkcol("email:string"), mkcol("n:int")};
    lh_table_def def = mkdef("customer_landing", "json", NULL, 0);
    lh_scan_spec spec = mkspec(f->st, &def, uris, 1, cols, 2);
    lh_exec_ctx ctx;
    qlog q;
    result r;
    put(f->st, uris[0], "{\"email\":\"a@x\",\"n\":1}\n{\"email\": oops}\n\n{\"email\":\"b@x\"}\n");
    memset(&q, 0, sizeof q);
    spec.quarantine = quarantine;
    spec.qctx = &q;
    lh_exec_ctx_init(&ctx);
    r = run(&ctx, &spec);
    assert_int_equal(r.rc, LH_EPARSE);
    assert_non_null(strstr(r.err.msg, "s3://bkt/bad/x.json:2: "));
    assert_int_equal(q.calls, 0);
    result_free(&r);

    def = mkdef("customer_landing", "json", ignore, 1);
    lh_exec_ctx_init(&ctx);
    r = run(&ctx, &spec);
    if (r.rc)
        fail_msg("%s", r.err.msg);
    assert_string_equal(r.text, "a@x|1\nb@x|NULL\n");
    assert_int_equal(q.calls, 1);
    assert_string_equal(q.uri, uris[0]);
    assert_int_equal(q.line, 2);
    assert_string_equal(q.raw, "{\"email\": oops}");
    assert_int_equal(atomic_load(&ctx.malformed), 1);
    assert_int_equal(atomic_load(&ctx.rows_read), 2);
    result_free(&r);

    /* the callback's error stops the scan */
    q.fail = 1;
    r = run(&ctx, &spec);
    assert_int_equal(r.rc, LH_ELIMIT);
    assert_string_equal(r.err.msg, "quarantine full");
    result_free(&r);

    /* counted without a callback */
    spec.quarantine = NULL;
    lh_exec_ctx_init(&ctx);
    r = run(&ctx, &spec);
    assert_int_equal(r.rc, LH_OK);
    assert_int_equal(atomic_load(&ctx.malformed), 1);
    result_free(&r);
}

static void test_json_serde_props(void **state)
{
    fixture *f = *state;
    const char *uris[] = {"s3://bkt/props/x.json"};
    const char *props[] = {"mapping.ts_ms=timeStamp", "use.null.for.invalid.data=true"};
    const char *cs[] = {"case.insensitive=false", "use.null.for.invalid.data=true"};
    lh_scan_col cols[2] = {mkcol("ts_ms:bigint"), mkcol("n:int")};
    lh_table_def def = mkdef("p", "json", props, 2);
    lh_scan_spec spec = mkspec(f->st, &def, uris, 1, cols, 2);
    lh_exec_ctx ctx;
    result r;
    put(f->st, uris[0], "{\"timeStamp\":1655560800000,\"n\":\"abc\"}\n{\"N\":7}\n");
    lh_exec_ctx_init(&ctx);
    r = run(&ctx, &spec);
    if (r.rc)
        fail_msg("%s", r.err.msg);
    assert_string_equal(r.text, "1655560800000|NULL\nNULL|7\n");
    result_free(&r);

    def = mkdef("p", "json", cs, 2);
    r = run(&ctx, &spec);
    assert_int_equal(r.rc, LH_OK);
    assert_string_equal(r.text, "NULL|NULL\nNULL|NULL\n");
    result_free(&r);
}

static void test_bad_values(void **state)
{
    fixture *f = *state;
    lh_exec_ctx ctx;
    result r;
    lh_exec_ctx_init(&ctx);
    {
        /* the reader's own message: file:line and column */
        const char *uris[] = {"s3://bkt/badv/x.json"};
        lh_scan_col cols[1] = {mkcol("n:int")};
        lh_table_def def = mkdef("t", "json", NULL, 0);
        lh_scan_spec spec = mkspec(f->st, &def, uris, 1, cols, 1);
        put(f->st, uris[0], "{\"n\":1}\n{\"n\":\"abc\"}\n");
        r = run(&ctx, &spec);
        assert_int_equal(r.rc, LH_EDATA);
        assert_string_equal(r.err.msg, "s3://bkt/badv/x.json:2: column 'n': expected int, got \"abc\"");
        result_free(&r);
    }
    {
        /* the scan's own: a JSON string read as a date */
        const char *uris[] = {"s3://bkt/badv/d.json"};
        lh_scan_col cols[1] = {mkcol("d:string")};
        lh_table_def def = mkdef("t", "json", NULL, 0);
        lh_scan_spec spec = mkspec(f->st, &def, uris, 1, cols, 1);
        cols[0].type = lh_sqltype_of(LH_SQL_DATE);
        put(f->st, uris[0], "{\"d\":\"2022-06-18\"}\n{\"d\":\"2022-13-45\"}\n");
        r = run(&ctx, &spec);
        assert_int_equal(r.rc, LH_EDATA);
        assert_string_equal(r.err.msg, "s3://bkt/badv/d.json:2: column 'd': expected date, got \"2022-13-45\"");
        result_free(&r);
    }
    {
        /* Parquet bigint values declared int: out of range names file and column */
        const char *uris[] = {"s3://bkt/badv/x.parquet"};
        const char *wcols[] = {"n:bigint"};
        const char *cells[] = {"1", "3000000000"};
        lh_scan_col cols[1] = {mkcol("n:int")};
        lh_table_def def = mkdef("t", "parquet", NULL, 0);
        lh_scan_spec spec = mkspec(f->st, &def, uris, 1, cols, 1);
        write_pq(f->st, uris[0], wcols, 1, cells, 2, 0);
        r = run(&ctx, &spec);
        assert_int_equal(r.rc, LH_EDATA);
        assert_string_equal(r.err.msg, "s3://bkt/badv/x.parquet: column 'n': expected int, got 3000000000");
        result_free(&r);
    }
    {
        /* a string Parquet column declared bigint: the reader's message */
        const char *uris[] = {"s3://bkt/badv/s.parquet"};
        const char *wcols[] = {"n:string"};
        const char *cells[] = {"x"};
        lh_scan_col cols[1] = {mkcol("n:bigint")};
        lh_table_def def = mkdef("t", "parquet", NULL, 0);
        lh_scan_spec spec = mkspec(f->st, &def, uris, 1, cols, 1);
        write_pq(f->st, uris[0], wcols, 1, cells, 1, 0);
        r = run(&ctx, &spec);
        assert_int_equal(r.rc, LH_EDATA);
        assert_non_null(strstr(r.err.msg, "s3://bkt/badv/s.parquet: column 'n'"));
        result_free(&r);
    }
}

/* ---------------- decimals from doubles ---------------- */

static void test_decimal_rounding(void **state)
{
    fixture *f = *state;
    const char *uris[] = {"s3://bkt/dec/x.parquet"};
    const char *wcols[] = {"x:double"};
    const char *cells[] = {"1.005", "-2.675", "0.125", "-0.125", "99.994999", "123456789.125", "-0.004"};
    lh_scan_col cols[1] = {mkcol("x:double")};
    lh_table_def def = mkdef("t", "parquet", NULL, 0);
    lh_scan_spec spec = mkspec(f->st, &def, uris, 1, cols, 1);
    lh_exec_ctx ctx;
    result r;
    write_pq(f->st, uris[0], wcols, 1, cells, 7, 0);
    cols[0].type = lh_sqltype_decimal(12, 2); /* double read as decimal: shortest digits, then HALF_UP */
    lh_exec_ctx_init(&ctx);
    r = run(&ctx, &spec);
    if (r.rc)
        fail_msg("%s", r.err.msg);
    assert_string_equal(r.text, "1.01\n-2.68\n0.13\n-0.13\n99.99\n123456789.13\n0.00\n");
    result_free(&r);
    cols[0].type = lh_sqltype_decimal(3, 1);
    r = run(&ctx, &spec);
    assert_int_equal(r.rc, LH_EDATA);
    assert_string_equal(r.err.msg, "s3://bkt/dec/x.parquet: column 'x': 99.994999000000007 does not fit decimal(3,1)");
    result_free(&r);

    /* 30,000 doubles (k / 10^s of every size, halves, random bits) read as
     * decimal(18,s) and decimal(38,s): the same as lh_dec_from_double */
    {
        const char *u2[] = {"s3://bkt/dec/rand.parquet"};
        const char *names[] = {"x"};
        lh_type ty = {LH_T_DOUBLE, 0, 0};
        lh_pq_writer *w;
        lh_err err;
        enum { N = 30000 };
        static double xs[N];
        uint64_t seed = 12345;
        int i, s, wide;
        for (i = 0; i < N; i++) {
            uint64_t rnd;
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            rnd = seed >> 11;
            switch (i % 4) {
            case 0: xs[i] = (double)(int64_t)(rnd % 100000000000ULL - 50000000000ULL) / pow(10, (double)(i % 9)); break;
            case 1: xs[i] = ((double)(int64_t)(rnd % 2000001) - 1000000.0 + 0.5) / pow(10, (double)(i % 5)); break;
            case 2: xs[i] = (double)(rnd % 1000000007ULL) * 1e-7 * ((i & 8) ? -1 : 1); break;
            default: xs[i] = ldexp((double)(rnd & ((1ULL << 52) - 1)), (int)(rnd % 40) - 60); break;
            }
        }
        assert_int_equal(lh_pq_writer_open(f->st, u2[0], names, &ty, 1, NULL, &w, &err), LH_OK);
        for (i = 0; i < N; i++) {
            lh_value v;
            memset(&v, 0, sizeof v);
            v.t = LH_V_REAL;
            v.d = xs[i];
            assert_int_equal(lh_pq_writer_row(w, &v, &err), LH_OK);
        }
        assert_int_equal(lh_pq_writer_close(w, NULL, NULL, &err), LH_OK);
        spec.uris = u2;
        for (wide = 0; wide < 2; wide++)
            for (s = 0; s <= 6; s += 2) {
                lh_op *op;
                lh_batch *b;
                int row = 0;
                cols[0].type = lh_sqltype_decimal(wide ? 38 : 18, s);
                assert_int_equal(lh_op_scan(&ctx, &spec, &op, &err), LH_OK);
                for (;;) {
                    uint32_t k;
                    if (lh_op_next(op, &b, &err))
                        fail_msg("%s", err.msg);
                    if (!b)
                        break;
                    for (k = 0; k < b->n; k++, row++) {
                        lh_i128 want = 0, got = lh_vector_get_i128(b->cols[0], k);
                        assert_int_equal(lh_dec_from_double(xs[row], wide ? 38 : 18, s, &want, &err), LH_OK);
                        if (got != want)
                            fail_msg("%.17g as decimal(%d,%d): got %lld, want %lld", xs[row], wide ? 38 : 18, s,
                                     (long long)got, (long long)want);
                    }
                }
                assert_int_equal(row, N);
                lh_op_free(op);
            }
    }
}

/* ---------------- constraints ---------------- */

static void test_constraints(void **state)
{
    fixture *f = *state;
    const char *uris[] = {"s3://bkt/cons/p0.parquet", "s3://bkt/cons/p1.parquet"};
    lh_scan_col cols[2] = {mkcol("id:bigint"), mkcol("$path")};
    lh_table_def def = mkdef("t", "parquet", NULL, 0);
    lh_scan_spec spec = mkspec(f->st, &def, uris, 2, cols, 2);
    lh_scan_constraint cons[2];
    lh_value v[2];
    lh_exec_ctx ctx;
    result r;
    write_seq_pq(f->st, uris[0], 0, 20000, 16 << 10);
    write_seq_pq(f->st, uris[1], 20000, 20000, 16 << 10);
    memset(v, 0, sizeof v);
    v[0].t = LH_V_INT;
    v[0].i = 35000;
    v[1].t = LH_V_TEXT;
    v[1].s = "s3://bkt/cons/p0.parquet";
    v[1].n = strlen(v[1].s);
    cons[0].col = 0;
    cons[0].op = LH_PQ_GE;
    cons[0].vals = &v[0];
    cons[0].nvals = 1;
    cons[1].col = 1; /* on "$path": not pushed */
    cons[1].op = LH_PQ_EQ;
    cons[1].vals = &v[1];
    cons[1].nvals = 1;
    spec.cons = cons;
    spec.ncons = 2;
    {
        lh_op *op;
        lh_buf out;
        lh_err err;
        lh_buf_init(&out, 0);
        assert_int_equal(lh_op_scan(NULL, &spec, &op, &err), LH_OK);
        assert_int_equal(lh_op_explain(op, 0, &out, &err), LH_OK);
        assert_string_equal(lh_buf_cstr(&out),
                            "TableScan [stedi.t: 2 objects, columns: id, $path; 1 constraint on row groups]\n");
        lh_op_free(op);
        lh_buf_free(&out);
    }
    lh_exec_ctx_init(&ctx);
    r = run(&ctx, &spec);
    if (r.rc)
        fail_msg("%s", r.err.msg);
    /* rows are not filtered, but whole row groups below 35000 are skipped */
    assert_true(r.rows < 40000);
    assert_true(r.rows >= 5000);
    assert_true(atomic_load(&ctx.row_groups_skipped) > 4);
    assert_int_equal(atomic_load(&ctx.rows_read), r.rows);
    assert_non_null(strstr(r.text, "\n39999|s3://bkt/cons/p1.parquet\n"));
    assert_null(strstr(r.text, "\n100|"));
    result_free(&r);
    {
        /* the same without constraints reads every group */
        spec.ncons = 0;
        lh_exec_ctx_init(&ctx);
        r = run(&ctx, &spec);
        assert_int_equal(r.rc, LH_OK);
        assert_int_equal(r.rows, 40000);
        assert_int_equal(atomic_load(&ctx.row_groups_skipped), 0);
        result_free(&r);
    }
}

/* ---------------- cancellation, explain ---------------- */

static void test_cancel_and_explain(void **state)
{
    fixture *f = *state;
    const char *uris[] = {"s3://bkt/cx/p0.parquet", "s3://bkt/cx/p1.parquet", "s3://bkt/cx/p2.parquet"};
    lh_scan_col cols[2] = {mkcol("name:string"), mkcol("id:bigint")};
    lh_table_def def = mkdef("customer_trusted", "parquet", NULL, 0);
    lh_scan_spec spec = mkspec(f->st, &def, uris, 3, cols, 2);
    lh_exec_ctx ctx;
    atomic_int stop;
    lh_op *op;
    lh_batch *b;
    lh_err err;
    lh_buf out;
    write_seq_pq(f->st, uris[0], 0, 5000, 0);
    write_seq_pq(f->st, uris[1], 0, 10, 0);
    write_seq_pq(f->st, uris[2], 0, 10, 0);
    lh_exec_ctx_init(&ctx);
    atomic_init(&stop, 0);
    ctx.interrupt = &stop;
    assert_int_equal(lh_op_scan(&ctx, &spec, &op, &err), LH_OK);
    lh_buf_init(&out, 0);
    assert_int_equal(lh_op_explain(op, 0, &out, &err), LH_OK);
    assert_string_equal(lh_buf_cstr(&out), "TableScan [stedi.customer_trusted: 3 objects, columns: name, id]\n");
    assert_int_equal(lh_op_next(op, &b, &err), LH_OK);
    assert_non_null(b);
    assert_int_equal(b->n, LH_BATCH);
    atomic_store(&stop, 1);
    assert_int_equal(lh_op_next(op, &b, &err), LH_ECANCELLED);
    assert_string_equal(err.msg, "cancelled");
    lh_op_free(op);

    spec.nuris = 1;
    spec.ncols = 0;
    assert_int_equal(lh_op_scan(&ctx, &spec, &op, &err), LH_OK);
    lh_buf_reset(&out);
    assert_int_equal(lh_op_explain(op, 0, &out, &err), LH_OK);
    assert_string_equal(lh_buf_cstr(&out), "TableScan [stedi.customer_trusted: 1 object, columns: none]\n");
    lh_op_free(op);
    lh_buf_free(&out);
}

/* ---------------- allocation failures ---------------- */

static void walk(lh_store *st, const lh_table_def *def, const char *const *uris, size_t nuris, const char *want)
{
    lh_scan_col cols[3] = {mkcol("name:string"), mkcol("$path"), mkcol("maybe:int")};
    lh_scan_spec spec = mkspec(st, def, uris, nuris, cols, 3);
    int ok = 0;
    long n;
    for (n = 1; n < 5000 && !ok; n++) {
        lh_exec_ctx ctx;
        result r;
        lh_exec_ctx_init(&ctx);
        lh_fault_alloc_set(n);
        r = run(&ctx, &spec);
        lh_fault_alloc_set(0);
        if (r.rc) {
            if (r.rc != LH_ENOMEM && r.rc != LH_EIO)
                fail_msg("allocation %ld: %s: %s", n, lh_strerror(r.rc), r.err.msg);
        } else {
            assert_string_equal(r.text, want);
            ok = 1;
        }
        assert_int_equal(atomic_load(&ctx.mem_used), 0);
        result_free(&r);
    }
    assert_true(ok);
}

static void test_alloc_walk(void **state)
{
    fixture *f = *state;
    const char *pu[] = {"s3://bkt/walk/p0.parquet", "s3://bkt/walk/p1.parquet"};
    const char *ju[] = {"s3://bkt/walk/j0.json"};
    lh_table_def pdef = mkdef("w", "parquet", NULL, 0);
    lh_table_def jdef = mkdef("w", "json", NULL, 0);
    lh_buf want;
    write_seq_pq(f->st, pu[0], 0, 3, 0);
    write_seq_pq(f->st, pu[1], 3, 2, 0);
    write_seq_json(f->st, ju[0], 0, 4);
    lh_buf_init(&want, 0);
    assert_int_equal(lh_buf_puts(&want,
                                 "customer-name-000000|s3://bkt/walk/p0.parquet|NULL\n"
                                 "customer-name-000001|s3://bkt/walk/p0.parquet|2\n"
                                 "customer-name-000002|s3://bkt/walk/p0.parquet|4\n"
                                 "customer-name-000003|s3://bkt/walk/p1.parquet|NULL\n"
                                 "customer-name-000004|s3://bkt/walk/p1.parquet|8\n",
                                 NULL),
                     LH_OK);
    walk(f->st, &pdef, pu, 2, lh_buf_cstr(&want));
    walk(f->st, &jdef, ju, 1,
         "customer-name-000000|s3://bkt/walk/j0.json|NULL\n"
         "customer-name-000001|s3://bkt/walk/j0.json|2\n"
         "customer-name-000002|s3://bkt/walk/j0.json|4\n"
         "customer-name-000003|s3://bkt/walk/j0.json|NULL\n");
    lh_buf_free(&want);
}

/* ---------------- long strings, selections, memory limit, precisions ---------------- */

static size_t long_len(int i) { return i % 1000 == 5 ? 100000 : i % 1000 == 7 ? 20000 : i % 2 ? 13 : 12; }
static char long_ch(int i, size_t k) { return (char)('a' + (i + (int)k) % 26); }

static void check_long(lh_store *st, const lh_table_def *def, const char *uri, int rows)
{
    const char *uris[1];
    lh_scan_col cols[2] = {mkcol("id:bigint"), mkcol("name:string")};
    lh_scan_spec spec;
    lh_exec_ctx ctx;
    lh_op *op;
    lh_batch *b;
    lh_err err;
    int seen = 0;
    uris[0] = uri;
    spec = mkspec(st, def, uris, 1, cols, 2);
    lh_exec_ctx_init(&ctx);
    assert_int_equal(lh_op_scan(&ctx, &spec, &op, &err), LH_OK);
    for (;;) {
        uint32_t r;
        uint16_t sel[2] = {0, 1};
        if (lh_op_next(op, &b, &err))
            fail_msg("%s", err.msg);
        if (!b)
            break;
        assert_null(b->sel); /* a selection the consumer installed is gone at the next pull */
        for (r = 0; r < b->n; r++) {
            int id = (int)lh_vector_get_i64(b->cols[0], r);
            lh_str sv = lh_vector_get_str(b->cols[1], r);
            const char *p = lh_str_ptr(&sv);
            size_t k, n = long_len(id);
            assert_int_equal(id, seen + (int)r);
            assert_int_equal(lh_str_len(&sv), n);
            for (k = 0; k < n; k += 997)
                assert_int_equal(p[k], long_ch(id, k));
            assert_int_equal(p[n - 1], long_ch(id, n - 1));
        }
        seen += (int)b->n;
        lh_batch_select(b, sel, 2);
    }
    assert_int_equal(seen, rows);
    lh_op_free(op);
    assert_true(atomic_load(&ctx.mem_used) == 0);

    /* the operator's memory is charged: a limit below one batch fails at once, one below the strings at a pull */
    lh_exec_ctx_init(&ctx);
    ctx.mem_limit = 1000;
    assert_int_equal(lh_op_scan(&ctx, &spec, &op, &err), LH_ELIMIT);
    assert_non_null(strstr(err.msg, "TableScan: memory limit of"));
    ctx.mem_limit = 60000;
    assert_int_equal(lh_op_scan(&ctx, &spec, &op, &err), LH_OK);
    assert_int_equal(lh_op_next(op, &b, &err), LH_ELIMIT);
    assert_non_null(strstr(err.msg, "TableScan: memory limit of"));
    lh_op_free(op);
    assert_true(atomic_load(&ctx.mem_used) == 0);
}

static void test_long_strings(void **state)
{
    fixture *f = *state;
    const int rows = 4500;
    lh_table_def jdef = mkdef("long", "json", NULL, 0), pdef = mkdef("long", "parquet", NULL, 0);
    const char *names[] = {"id", "name"};
    lh_type types[2] = {{LH_T_BIGINT, 0, 0}, {LH_T_STRING, 0, 0}};
    lh_pq_writer *w;
    lh_buf j;
    lh_err err;
    char *txt = malloc(100001);
    int i;
    assert_non_null(txt);
    lh_buf_init(&j, 0);
    assert_int_equal(lh_pq_writer_open(f->st, "s3://bkt/long/p.parquet", names, types, 2, NULL, &w, &err), LH_OK);
    for (i = 0; i < rows; i++) {
        lh_value v[2];
        size_t k, n = long_len(i);
        for (k = 0; k < n; k++)
            txt[k] = long_ch(i, k);
        memset(v, 0, sizeof v);
        v[0].t = LH_V_INT;
        v[0].i = i;
        v[1].t = LH_V_TEXT;
        v[1].s = txt;
        v[1].n = n;
        assert_int_equal(lh_pq_writer_row(w, v, &err), LH_OK);
        assert_int_equal(lh_buf_printf(&j, &err, "{\"id\":%d,\"name\":\"%.*s\"}\n", i, (int)n, txt), LH_OK);
    }
    assert_int_equal(lh_pq_writer_close(w, NULL, NULL, &err), LH_OK);
    put(f->st, "s3://bkt/long/j.json", lh_buf_cstr(&j));
    lh_buf_free(&j);
    free(txt);
    check_long(f->st, &pdef, "s3://bkt/long/p.parquet", rows);
    check_long(f->st, &jdef, "s3://bkt/long/j.json", rows);
}

static void test_timestamp_types(void **state)
{
    fixture *f = *state;
    const char *uris[] = {"s3://bkt/tsp/p.parquet"};
    const char *wcols[] = {"ts:timestamp", "dt:date"};
    const char *cells[] = {"2022-06-18 14:00:00.123", "2022-06-18", "2022-06-18 14:00:00.500", "0001-01-01",
                           "1900-02-28 23:59:59.999", "2000-02-29"};
    lh_scan_col cols[4] = {mkcol("ts:timestamp"), mkcol("ts:timestamp"), mkcol("dt:date"), mkcol("dt:date")};
    lh_table_def def = mkdef("t", "parquet", NULL, 0);
    lh_scan_spec spec = mkspec(f->st, &def, uris, 1, cols, 4);
    lh_exec_ctx ctx;
    result r;
    write_pq(f->st, uris[0], wcols, 2, cells, 3, 0);
    cols[0].type = lh_sqltype_timestamp(0);
    cols[1].type = lh_sqltype_timestamp_tz(3);
    cols[3].type = lh_sqltype_timestamp(1); /* a date read as a timestamp: the general parser */
    lh_exec_ctx_init(&ctx);
    r = run(&ctx, &spec);
    if (r.rc)
        fail_msg("%s", r.err.msg);
    assert_string_equal(r.text, "2022-06-18 14:00:00|2022-06-18 14:00:00.123 UTC|2022-06-18|2022-06-18 00:00:00.0\n"
                                "2022-06-18 14:00:01|2022-06-18 14:00:00.500 UTC|0001-01-01|0001-01-01 00:00:00.0\n"
                                "1900-03-01 00:00:00|1900-02-28 23:59:59.999 UTC|2000-02-29|2000-02-29 00:00:00.0\n");
    result_free(&r);
}

static void test_string_lengths(void **state)
{
    fixture *f = *state;
    const char *uris[] = {"s3://bkt/len/p.parquet"};
    const char *wcols[] = {"a:string", "b:string"};
    const char *cells[] = {"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", "ab   ", "\xe2\x82\xac\xf0\x9f\x98\x80x", " a ",
                           "this is longer than twelve", "          "};
    lh_scan_col cols[4] = {mkcol("a:varchar(3)"), mkcol("b:char(3)"), mkcol("a:string"), mkcol("a:char(20)")};
    lh_table_def def = mkdef("t", "parquet", NULL, 0);
    lh_scan_spec spec = mkspec(f->st, &def, uris, 1, cols, 4);
    lh_exec_ctx ctx;
    result r;
    lh_op *op;
    lh_batch *b;
    lh_err err;
    write_pq(f->st, uris[0], wcols, 2, cells, 3, 0);
    lh_exec_ctx_init(&ctx);
    r = run(&ctx, &spec);
    if (r.rc)
        fail_msg("%s", r.err.msg);
    /* cut to n code points; char(n) drops trailing spaces and prints padded */
    assert_string_equal(r.text, "\xc3\xa9\xc3\xa9\xc3\xa9|ab |\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9|"
                                "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9               \n"
                                "\xe2\x82\xac\xf0\x9f\x98\x80x| a |\xe2\x82\xac\xf0\x9f\x98\x80x|"
                                "\xe2\x82\xac\xf0\x9f\x98\x80x                 \n"
                                "thi|   |this is longer than twelve|this is longer than \n");
    result_free(&r);
    /* what the vectors hold: char without its trailing spaces */
    assert_int_equal(lh_op_scan(&ctx, &spec, &op, &err), LH_OK);
    assert_int_equal(lh_op_next(op, &b, &err), LH_OK);
    {
        lh_str sv = lh_vector_get_str(b->cols[1], 0);
        assert_int_equal(lh_str_len(&sv), 2);
        sv = lh_vector_get_str(b->cols[1], 2);
        assert_int_equal(lh_str_len(&sv), 0);
        sv = lh_vector_get_str(b->cols[3], 2);
        assert_int_equal(lh_str_len(&sv), 19); /* cut to 20, then the space it ends with dropped */
        assert_memory_equal(lh_str_ptr(&sv), "this is longer than", 19);
        assert_true(lh_sqltype_equal(b->cols[3]->type, lh_sqltype_char(20)));
        assert_true(lh_sqltype_equal(b->cols[0]->type, lh_sqltype_varchar(3)));
    }
    lh_op_free(op);
}

/* ---------------- the real STEDI landing JSON ---------------- */

static void test_stedi_landing(void **state)
{
    /* the store's root is the STEDI folder, so customer/ and accelerometer/ are buckets */
    const char *cu[] = {"s3://customer/landing/customer-1691348231425.json"};
    lh_scan_col cc[4] = {mkcol("email:string"), mkcol("birthday:date"), mkcol("sharewithresearchasofdate:bigint"),
                         mkcol("$path")};
    lh_scan_col ac[4] = {mkcol("user:string"), mkcol("timestamp:bigint"), mkcol("x:double"), mkcol("z:float")};
    lh_table_def def = mkdef("customer_landing", "json", NULL, 0);
    lh_scan_spec spec;
    lh_obj_info *objs = NULL;
    const char *au[16];
    size_t nobj = 0, i;
    lh_store *st;
    lh_exec_ctx ctx;
    lh_err err;
    result r;
    const char *p;
    size_t research = 0;
    (void)state;
    LH_TEST_NEED("stedi", NULL);
    assert_int_equal(lh_store_open_local(lh_test_stedi_dir(), &st, &err), LH_OK);
    spec = mkspec(st, &def, cu, 1, cc, 4);
    lh_exec_ctx_init(&ctx);
    r = run(&ctx, &spec);
    if (r.rc)
        fail_msg("%s", r.err.msg);
    assert_int_equal(r.rows, 956);
    assert_int_equal(r.const_path, r.batches);
    {
        const char *first = "Santosh.Clayton@test.com|1900-01-01|1655564376361|"
                            "s3://customer/landing/customer-1691348231425.json\n";
        assert_memory_equal(r.text, first, strlen(first));
    }
    for (p = r.text; *p;) {
        const char *nl = strchr(p, '\n'), *f3 = p;
        int k;
        for (k = 0; k < 2; k++) /* the third field */
            f3 = strchr(f3, '|') + 1;
        research += strncmp(f3, "NULL|", 5) != 0;
        p = nl + 1;
    }
    assert_int_equal(research, 482);
    assert_int_equal(atomic_load(&ctx.malformed), 0);
    result_free(&r);

    /* accelerometer: nine objects, 81,273 rows */
    assert_int_equal(lh_store_list_all(st, "s3://accelerometer/landing/", &objs, &nobj, &err), LH_OK);
    assert_true(nobj >= 1 && nobj <= 16);
    for (i = 0; i < nobj; i++)
        au[i] = objs[i].uri;
    def = mkdef("accelerometer_landing", "json", NULL, 0);
    spec = mkspec(st, &def, au, nobj, ac, 4);
    lh_exec_ctx_init(&ctx);
    r = run(&ctx, &spec);
    if (r.rc)
        fail_msg("%s", r.err.msg);
    assert_int_equal(r.rows, 81273);
    assert_int_equal(atomic_load(&ctx.rows_read), 81273);
    {
        const char *first = "Santosh.Clayton@test.com|1655564444103|1.0|-1.0\n";
        assert_memory_equal(r.text, first, strlen(first));
    }
    result_free(&r);
    spec.ncols = 0;
    r = run(&ctx, &spec);
    assert_int_equal(r.rc, LH_OK);
    assert_int_equal(r.rows, 81273);
    result_free(&r);
    lh_obj_list_free(objs, nobj);
    lh_store_close(st);
}

/* ---------------- throughput against the bare reader ---------------- */

/* CPU seconds of the process (the JSON reader's second thread included):
 * steadier than wall time on a shared machine. */
static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_throughput(void **state)
{
    fixture *f = *state;
    const char *env = getenv("LH_SCAN_BENCH");
    int rows = env && atoi(env) > 0 ? atoi(env) : 60000;
    const char *uris[] = {"s3://bkt/bench/p.parquet"};
    const char *wcols[] = {"id:bigint", "name:string", "maybe:int"};
    const char *names[] = {"id", "name", "maybe", "ts", "d"};
    lh_type types[5];
    lh_scan_col cols[5] = {mkcol("id:bigint"), mkcol("name:string"), mkcol("maybe:int"), mkcol("ts:timestamp"),
                           mkcol("d:double")};
    lh_table_def def = mkdef("bench", "parquet", NULL, 0);
    lh_scan_spec spec = mkspec(f->st, &def, uris, 1, cols, 5);
    lh_pq_writer *w;
    lh_err err;
    double t0, t_reader, t_scan;
    uint64_t sum_r = 0, sum_s = 0;
    int r, k;
    (void)wcols;
    for (k = 0; k < 5; k++)
        types[k] = cols[k].hive;
    assert_int_equal(lh_pq_writer_open(f->st, uris[0], names, types, 5, NULL, &w, &err), LH_OK);
    for (r = 0; r < rows; r++) {
        lh_value v[5];
        char nb[40], tb[40];
        memset(v, 0, sizeof v);
        v[0].t = LH_V_INT;
        v[0].i = r;
        v[1].t = LH_V_TEXT;
        v[1].n = (size_t)snprintf(nb, sizeof nb, "customer-%d@example.com", r % 5000);
        v[1].s = nb;
        if (r % 3) {
            v[2].t = LH_V_INT;
            v[2].i = r;
        }
        v[3].t = LH_V_TEXT;
        v[3].n = lh_fmt_timestamp_ms(1655560800000LL + (int64_t)r * 1000, tb, sizeof tb);
        v[3].s = tb;
        v[4].t = LH_V_REAL;
        v[4].d = r * 0.25;
        assert_int_equal(lh_pq_writer_row(w, v, &err), LH_OK);
    }
    assert_int_equal(lh_pq_writer_close(w, NULL, NULL, &err), LH_OK);

    /* the bare reader loop: next, then every column's value */
    {
        lh_pq_reader *rd;
        int eof = 0;
        t0 = now_s();
        assert_int_equal(lh_pq_reader_open(f->st, uris, 1, names, types, 5, &rd, &err), LH_OK);
        for (;;) {
            lh_value v;
            assert_int_equal(lh_pq_reader_next(rd, &eof, &err), LH_OK);
            if (eof)
                break;
            for (k = 0; k < 5; k++) {
                assert_int_equal(lh_pq_reader_value(rd, (size_t)k, &v, &err), LH_OK);
                sum_r += (uint64_t)v.t + (v.t == LH_V_TEXT ? v.n : 0);
            }
        }
        lh_pq_reader_close(rd);
        t_reader = now_s() - t0;
    }
    /* the scan operator, into vectors */
    {
        lh_exec_ctx ctx;
        lh_op *op;
        lh_batch *b;
        uint64_t n = 0;
        lh_exec_ctx_init(&ctx);
        t0 = now_s();
        assert_int_equal(lh_op_scan(&ctx, &spec, &op, &err), LH_OK);
        for (;;) {
            uint32_t i;
            assert_int_equal(lh_op_next(op, &b, &err), LH_OK);
            if (!b)
                break;
            n += b->n;
            for (i = 0; i < b->n; i++)
                sum_s += (uint64_t)((const int64_t *)b->cols[0]->data)[i];
        }
        lh_op_free(op);
        t_scan = now_s() - t0;
        assert_int_equal(n, (uint64_t)rows);
    }
    assert_int_equal(sum_s, (uint64_t)rows * (uint64_t)(rows - 1) / 2);
    assert_true(sum_r > 0);
    print_message("Parquet scan of %d rows x 5 columns (bigint, string, int with NULLs, timestamp, double): "
                  "bare reader %.2f M rows/CPU-s, scan operator %.2f M rows/CPU-s (%.0f%%)\n",
                  rows, rows / t_reader / 1e6, rows / t_scan / 1e6, 100.0 * t_reader / t_scan);

    /* the same rows as JSON lines */
    {
        const char *ju[] = {"s3://bkt/bench/j.json"};
        lh_jsonl_col jc[5];
        lh_jsonl_reader *jr;
        lh_table_def jdef = mkdef("bench", "json", NULL, 0);
        lh_buf j;
        lh_exec_ctx ctx;
        lh_op *op;
        lh_batch *b;
        uint64_t n = 0;
        int eof = 0;
        lh_buf_init(&j, 0);
        for (r = 0; r < rows; r++) {
            char tb[40];
            lh_fmt_timestamp_ms(1655560800000LL + (int64_t)r * 1000, tb, sizeof tb);
            if (r % 3)
                assert_int_equal(lh_buf_printf(&j, &err,
                                               "{\"id\":%d,\"name\":\"customer-%d@example.com\",\"maybe\":%d,"
                                               "\"ts\":\"%s\",\"d\":%.17g}\n",
                                               r, r % 5000, r, tb, r * 0.25),
                                 LH_OK);
            else
                assert_int_equal(lh_buf_printf(&j, &err,
                                               "{\"id\":%d,\"name\":\"customer-%d@example.com\",\"ts\":\"%s\","
                                               "\"d\":%.17g}\n",
                                               r, r % 5000, tb, r * 0.25),
                                 LH_OK);
        }
        put(f->st, ju[0], lh_buf_cstr(&j));
        lh_buf_free(&j);
        for (k = 0; k < 5; k++) {
            jc[k].name = names[k];
            jc[k].type = types[k];
        }
        t0 = now_s();
        assert_int_equal(lh_jsonl_reader_open(f->st, ju, 1, jc, 5, NULL, &jr, &err), LH_OK);
        for (;;) {
            lh_value v;
            assert_int_equal(lh_jsonl_reader_next(jr, &eof, &err), LH_OK);
            if (eof)
                break;
            for (k = 0; k < 5; k++) {
                assert_int_equal(lh_jsonl_reader_value(jr, (size_t)k, &v, &err), LH_OK);
                sum_r += (uint64_t)v.t;
            }
        }
        lh_jsonl_reader_close(jr);
        t_reader = now_s() - t0;
        spec.def = &jdef;
        spec.uris = ju;
        sum_s = 0;
        lh_exec_ctx_init(&ctx);
        t0 = now_s();
        assert_int_equal(lh_op_scan(&ctx, &spec, &op, &err), LH_OK);
        for (;;) {
            uint32_t i;
            assert_int_equal(lh_op_next(op, &b, &err), LH_OK);
            if (!b)
                break;
            n += b->n;
            for (i = 0; i < b->n; i++)
                sum_s += (uint64_t)((const int64_t *)b->cols[0]->data)[i];
        }
        lh_op_free(op);
        t_scan = now_s() - t0;
        assert_int_equal(n, (uint64_t)rows);
        assert_int_equal(sum_s, (uint64_t)rows * (uint64_t)(rows - 1) / 2);
        print_message("JSON-lines scan of the same rows: bare reader %.2f M rows/CPU-s, scan operator %.2f M rows/CPU-s "
                      "(%.0f%%)\n",
                      rows / t_reader / 1e6, rows / t_scan / 1e6, 100.0 * t_reader / t_scan);
    }
}

/* ---------------- lh_value_format ---------------- */

static lh_vector *vec(lh_sqltype t)
{
    lh_vector *v;
    lh_err err;
    assert_int_equal(lh_vector_create(t, 0, &v, &err), LH_OK);
    return v;
}

static void fmt_is(lh_vector *v, uint32_t row, const char *want)
{
    lh_buf b;
    int isnull = -1;
    lh_err err;
    lh_buf_init(&b, 0);
    assert_int_equal(lh_buf_puts(&b, "<", &err), LH_OK);
    assert_int_equal(lh_value_format(v, row, &b, &isnull, &err), LH_OK);
    if (!want) {
        assert_int_equal(isnull, 1);
        assert_string_equal(lh_buf_cstr(&b), "<");
    } else {
        assert_int_equal(isnull, 0);
        assert_string_equal(lh_buf_cstr(&b) + 1, want);
    }
    lh_buf_free(&b);
}

static void test_format(void **state)
{
    lh_err err;
    lh_vector *v;
    (void)state;
    /* NULL of every type, and unknown */
    {
        lh_sqltype_id id;
        for (id = LH_SQL_UNKNOWN; id < LH_SQL_ID_COUNT; id++) {
            v = vec(lh_sqltype_of(id));
            lh_vector_set_null(v, 5);
            fmt_is(v, 5, NULL);
            if (id == LH_SQL_UNKNOWN)
                fmt_is(v, 0, NULL);
            lh_vector_free(v);
        }
    }
    v = vec(lh_sqltype_of(LH_SQL_BOOLEAN));
    lh_vector_set_bool(v, 0, 1);
    lh_vector_set_bool(v, 1, 0);
    fmt_is(v, 0, "true");
    fmt_is(v, 1, "false");
    lh_vector_free(v);
    {
        static const struct {
            lh_sqltype_id id;
            int64_t x;
            const char *s;
        } ints[] = {{LH_SQL_TINYINT, -128, "-128"},
                    {LH_SQL_SMALLINT, 32767, "32767"},
                    {LH_SQL_INTEGER, -2147483647 - 1, "-2147483648"},
                    {LH_SQL_BIGINT, INT64_MIN, "-9223372036854775808"},
                    {LH_SQL_BIGINT, 0, "0"}};
        size_t i;
        for (i = 0; i < sizeof ints / sizeof ints[0]; i++) {
            v = vec(lh_sqltype_of(ints[i].id));
            lh_vector_set_i64(v, 3, ints[i].x);
            fmt_is(v, 3, ints[i].s);
            lh_vector_free(v);
        }
    }
    {
        static const struct {
            double d;
            const char *dbl, *flt;
        } ds[] = {{0.5, "0.5", "0.5"},
                  {1.0e10, "1.0E10", "1.0E10"},
                  {1.0, "1.0", "1.0"},
                  {0.1, "0.1", "0.1"},
                  {-0.0, "-0.0", "-0.0"},
                  {0.0, "0.0", "0.0"},
                  {123.5, "123.5", "123.5"},
                  {1e-4, "1.0E-4", "1.0E-4"},
                  {0.001, "0.001", "0.001"},
                  {9999999.0, "9999999.0", "9999999.0"},
                  {1e7, "1.0E7", "1.0E7"},
                  {1.0 / 3, "0.3333333333333333", "0.33333334"},
                  {3.4028234663852886e38, "3.4028234663852886E38", "3.4028235E38"}};
        size_t i;
        lh_vector *vd = vec(lh_sqltype_of(LH_SQL_DOUBLE)), *vf = vec(lh_sqltype_of(LH_SQL_REAL));
        for (i = 0; i < sizeof ds / sizeof ds[0]; i++) {
            lh_vector_set_f64(vd, 0, ds[i].d);
            lh_vector_set_f64(vf, 0, ds[i].d);
            fmt_is(vd, 0, ds[i].dbl);
            fmt_is(vf, 0, ds[i].flt);
        }
        lh_vector_set_f64(vd, 0, NAN);
        fmt_is(vd, 0, "NaN");
        lh_vector_set_f64(vd, 0, -INFINITY);
        fmt_is(vd, 0, "-Infinity");
        lh_vector_set_f64(vf, 0, INFINITY);
        fmt_is(vf, 0, "Infinity");
        lh_vector_set_f64(vf, 0, NAN);
        fmt_is(vf, 0, "NaN");
        lh_vector_free(vd);
        lh_vector_free(vf);
    }
    {
        /* decimals: short and long, negative, scale 0, below one */
        v = vec(lh_sqltype_decimal(10, 2));
        lh_vector_set_i64(v, 0, 150);
        lh_vector_set_i64(v, 1, -5);
        lh_vector_set_i64(v, 2, 0);
        lh_vector_set_i64(v, 3, -123456);
        fmt_is(v, 0, "1.50");
        fmt_is(v, 1, "-0.05");
        fmt_is(v, 2, "0.00");
        fmt_is(v, 3, "-1234.56");
        lh_vector_free(v);
        v = vec(lh_sqltype_decimal(5, 0));
        lh_vector_set_i64(v, 0, -42);
        fmt_is(v, 0, "-42");
        lh_vector_free(v);
        v = vec(lh_sqltype_decimal(38, 4));
        lh_vector_set_i128(v, 0, -(lh_dec_pow10(38) - 1));
        fmt_is(v, 0, "-9999999999999999999999999999999999.9999");
        lh_vector_free(v);
    }
    {
        v = vec(lh_sqltype_varchar(LH_SQL_UNBOUNDED));
        assert_int_equal(lh_vector_set_str(v, 0, "hello, a longer string", 22, NULL, &err), LH_OK);
        assert_int_equal(lh_vector_set_str(v, 1, "", 0, NULL, &err), LH_OK);
        fmt_is(v, 0, "hello, a longer string");
        fmt_is(v, 1, "");
        lh_vector_free(v);
        v = vec(lh_sqltype_char(4));
        assert_int_equal(lh_vector_set_str(v, 0, "\xc3\xa9", 2, NULL, &err), LH_OK);
        fmt_is(v, 0, "\xc3\xa9   ");
        lh_vector_free(v);
        v = vec(lh_sqltype_of(LH_SQL_VARBINARY));
        assert_int_equal(lh_vector_set_str(v, 0, "hello", 5, NULL, &err), LH_OK);
        assert_int_equal(lh_vector_set_str(v, 1, "\x00\xff\x0a", 3, NULL, &err), LH_OK);
        assert_int_equal(lh_vector_set_str(v, 2, "", 0, NULL, &err), LH_OK);
        fmt_is(v, 0, "68 65 6c 6c 6f");
        fmt_is(v, 1, "00 ff 0a");
        fmt_is(v, 2, "");
        lh_vector_free(v);
    }
    {
        int64_t us = 1655560800123456LL; /* 2022-06-18 14:00:00.123456 */
        static const char *const want[] = {"2022-06-18 14:00:00", "2022-06-18 14:00:00.1", "2022-06-18 14:00:00.12",
                                           "2022-06-18 14:00:00.123", "2022-06-18 14:00:00.1235",
                                           "2022-06-18 14:00:00.12346", "2022-06-18 14:00:00.123456"};
        int p;
        v = vec(lh_sqltype_of(LH_SQL_DATE));
        lh_vector_set_i64(v, 0, 19161);
        lh_vector_set_i64(v, 1, -1);
        fmt_is(v, 0, "2022-06-18");
        fmt_is(v, 1, "1969-12-31");
        lh_vector_free(v);
        for (p = 0; p <= 6; p++) {
            v = vec(lh_sqltype_timestamp(p));
            lh_vector_set_i64(v, 0, lh_ts_round(us, p));
            lh_vector_set_i64(v, 1, (us / 1000000) * 1000000);
            fmt_is(v, 0, want[p]);
            {
                char w[32];
                snprintf(w, sizeof w, "%.*s", p ? 20 + p : 19, "2022-06-18 14:00:00.000000");
                fmt_is(v, 1, w);
            }
            lh_vector_free(v);
        }
        v = vec(lh_sqltype_time(3));
        lh_vector_set_i64(v, 0, 14 * LH_US_PER_HOUR + 30 * LH_US_PER_MIN + 5 * LH_US_PER_SEC + 7000);
        fmt_is(v, 0, "14:30:05.007");
        lh_vector_free(v);
        {
            lh_tstz t;
            lh_zone ny;
            v = vec(lh_sqltype_timestamp_tz(3));
            t.utc_us = 1655560800000000LL;
            t.zone = LH_ZONE_UTC;
            lh_vector_set_tstz(v, 0, t);
            fmt_is(v, 0, "2022-06-18 14:00:00.000 UTC");
            assert_int_equal(lh_zone_lookup("America/New_York", 16, &ny, &err), LH_OK);
            t.zone = ny;
            lh_vector_set_tstz(v, 1, t);
            fmt_is(v, 1, "2022-06-18 10:00:00.000 America/New_York");
            lh_vector_free(v);
            v = vec(lh_sqltype_timestamp_tz(0));
            lh_vector_set_tstz(v, 0, t);
            fmt_is(v, 0, "2022-06-18 10:00:00 America/New_York");
            lh_vector_free(v);
        }
        v = vec(lh_sqltype_of(LH_SQL_INTERVAL_DS));
        lh_vector_set_i64(v, 0, 2 * LH_US_PER_DAY + 3 * LH_US_PER_HOUR + 4 * LH_US_PER_MIN + 5 * LH_US_PER_SEC);
        fmt_is(v, 0, "2 03:04:05.000");
        lh_vector_free(v);
        v = vec(lh_sqltype_of(LH_SQL_INTERVAL_YM));
        lh_vector_set_i64(v, 0, 14);
        lh_vector_set_i64(v, 1, -31);
        fmt_is(v, 0, "1-2");
        fmt_is(v, 1, "-2-7");
        lh_vector_free(v);
    }
    {
        /* CONST and DICT vectors print through their kind */
        lh_vector *d;
        v = vec(lh_sqltype_of(LH_SQL_BIGINT));
        lh_vector_set_const(v, 0);
        lh_vector_set_i64(v, 0, 77);
        fmt_is(v, 1500, "77");
        lh_vector_set_const(v, 1);
        fmt_is(v, 9, NULL);
        lh_vector_reset(v);
        assert_int_equal(lh_vector_set_dict(v, 2, &d, &err), LH_OK);
        lh_vector_set_i64(d, 0, 10);
        lh_vector_set_i64(d, 1, 20);
        v->dict_idx[0] = 1;
        v->dict_idx[1] = 0;
        fmt_is(v, 0, "20");
        fmt_is(v, 1, "10");
        lh_vector_free(v);
    }
    {
        /* appends; an output buffer cap is an error */
        lh_buf b;
        int isnull;
        v = vec(lh_sqltype_varchar(LH_SQL_UNBOUNDED));
        assert_int_equal(lh_vector_set_str(v, 0, "0123456789abcdef", 16, NULL, &err), LH_OK);
        lh_buf_init(&b, 8);
        assert_int_equal(lh_value_format(v, 0, &b, &isnull, &err), LH_ELIMIT);
        lh_buf_free(&b);
        lh_vector_free(v);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_parquet_all_types, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_all_types, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parquet_many_objects, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_many_objects, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keep_and_uncounted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_malformed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_serde_props, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_decimal_rounding, setup, teardown),
        cmocka_unit_test_setup_teardown(test_constraints, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cancel_and_explain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alloc_walk, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_strings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_timestamp_types, setup, teardown),
        cmocka_unit_test_setup_teardown(test_string_lengths, setup, teardown),
        cmocka_unit_test(test_stedi_landing),
        cmocka_unit_test_setup_teardown(test_throughput, setup, teardown),
        cmocka_unit_test(test_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
