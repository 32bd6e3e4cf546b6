/* Unit tests: the hash aggregate's spilling (exec/op_agg.c over
 * exec/spill.h).  Every run with a small budget and a spill folder is
 * compared, as a multiset of rows, with the same aggregate without a
 * budget: every key type (NULL keys, long strings, NaN and -0.0, decimals
 * of 128 bits, timestamps with time zone by instant), many aggregate kinds
 * (count(DISTINCT), listagg in arrival order, min_by, approx_distinct,
 * approx_percentile, FILTER), enough groups for partitions that spill
 * again; SELECT DISTINCT (keys, no aggregates); a global aggregate never
 * spills; EXPLAIN ANALYZE says what was spilled; allocation and I/O
 * failures at every point of a spilling run end in clean errors with
 * nothing charged and no file left; cancellation while writing and while
 * reading spills. */
#include "testutil.h"

#include <dirent.h>
#include <math.h>
#include <unistd.h>

#include "exec/operator.h"
#include "exec/scan.h"
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function" /* mk_src and at are not used here */
#include "fill_src.h"
#pragma GCC diagnostic pop
#include "util/fault.h"

#define NA LH_AGG_NO_ARG

static char dir[256];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/lh-test-aggspill-%d/tmp", (int)getpid());
    return 0;
}

static int teardown(void **state)
{
    char cmd[300];
    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf /tmp/lh-test-aggspill-%d", (int)getpid());
    assert_int_equal(system(cmd), 0);
    return 0;
}

static size_t files_in(const char *d)
{
    DIR *dp = opendir(d);
    struct dirent *de;
    size_t n = 0;
    if (!dp)
        return 0;
    while ((de = readdir(dp)))
        if (de->d_name[0] != '.')
            n++;
    closedir(dp);
    return n;
}

static lh_sqltype T(lh_sqltype_id id) { return lh_sqltype_of(id); }

static lh_agg_spec AG(lh_agg_kind k, uint32_t a0, uint32_t a1, lh_sqltype ret)
{
    lh_agg_spec s;
    memset(&s, 0, sizeof s);
    s.kind = k;
    s.arg[0] = a0;
    s.arg[1] = a1;
    s.filter = LH_AGG_NO_ARG;
    s.ret = ret;
    return s;
}

/* ---- the input: keys of every type, arguments, a FILTER column ---- */

/* the columns the fault walks use first: they run over a narrow source */
enum { C_VC, C_X, C_S, C_SEP, NNARROW, C_BI = NNARROW, C_DBL, C_DEC, C_TSTZ, C_DATE, C_BOOL, C_F, C_P, NCOL };

typedef struct gen {
    uint64_t groups;   /* distinct key values (about) */
    uint32_t ncols;    /* NCOL, or NNARROW for the narrow source; 0 = NCOL */
    atomic_int *stop;  /* set once row stop_at is produced (cancellation) */
    uint64_t stop_at;
} gen;

static lh_sqltype types[NCOL];

static void init_types(void)
{
    lh_sqltype vc = lh_sqltype_varchar(LH_SQL_UNBOUNDED);
    types[C_BI] = T(LH_SQL_BIGINT);
    types[C_VC] = vc;
    types[C_DBL] = T(LH_SQL_DOUBLE);
    types[C_DEC] = lh_sqltype_decimal(30, 2);
    types[C_TSTZ] = T(LH_SQL_TIMESTAMP_TZ);
    types[C_DATE] = T(LH_SQL_DATE);
    types[C_BOOL] = T(LH_SQL_BOOLEAN);
    types[C_X] = T(LH_SQL_BIGINT);
    types[C_S] = vc;
    types[C_F] = T(LH_SQL_BOOLEAN);
    types[C_SEP] = vc;
    types[C_P] = T(LH_SQL_DOUBLE);
}

/* Row r's group: spread over the input, so a group's rows arrive before
 * and after the aggregate starts to spill. */
static uint64_t group_of(const gen *G, uint64_t r) { return (r * 2654435761u + r / 7) % G->groups; }

static lh_rc fill_gen(void *u, lh_batch *b, uint64_t row0, uint32_t n, lh_err *err)
{
    const gen *G = u;
    uint16_t sel[LH_BATCH];
    uint32_t i, ns = 0;
    lh_rc rc;
    for (i = 0; i < n; i++) {
        uint64_t r = row0 + i, g = group_of(G, r);
        char buf[160];
        int len;
        /* varchar: short (inline) and long keys, NULL */
        if (g % 4 == 1)
            len = snprintf(buf, sizeof buf, "k%llu", (unsigned long long)g);
        else
            len = snprintf(buf, sizeof buf, "a long group key that lives in the table's arena, number %llu",
                           (unsigned long long)g);
        if (g % 97 == 3)
            lh_vector_set_null(b->cols[C_VC], i);
        else if ((rc = lh_vector_set_str(b->cols[C_VC], i, buf, (size_t)len, &b->arena, err)))
            return rc;
        /* arguments */
        if (r % 11 == 0)
            lh_vector_set_null(b->cols[C_X], i);
        else
            lh_vector_set_i64(b->cols[C_X], i, (int64_t)(r % 97) - 40);
        if (r % 7 == 0)
            len = snprintf(buf, sizeof buf, "value %llu, long enough to leave the view", (unsigned long long)r);
        else
            len = snprintf(buf, sizeof buf, "v%llu", (unsigned long long)r);
        if (r % 13 == 0)
            lh_vector_set_null(b->cols[C_S], i);
        else if ((rc = lh_vector_set_str(b->cols[C_S], i, buf, (size_t)len, &b->arena, err)))
            return rc;
        if ((rc = lh_vector_set_str(b->cols[C_SEP], i, "; ", 2, &b->arena, err)))
            return rc;
        if (r % 9 != 4) /* a selection: some rows are not live */
            sel[ns++] = (uint16_t)i;
        if (G->stop && r == G->stop_at)
            atomic_store(G->stop, 1);
        if (b->ncols == NNARROW)
            continue;
        /* bigint: NULL is one group */
        if (g % 101 == 7)
            lh_vector_set_null(b->cols[C_BI], i);
        else
            lh_vector_set_i64(b->cols[C_BI], i, (int64_t)(g * 1000003u) - 5000000000LL);
        /* double: -0.0 and 0.0 one group, NaN one group */
        if (g % 89 == 0)
            lh_vector_set_f64(b->cols[C_DBL], i, (r & 1) ? -0.0 : 0.0);
        else if (g % 89 == 1)
            lh_vector_set_f64(b->cols[C_DBL], i, NAN);
        else
            lh_vector_set_f64(b->cols[C_DBL], i, (double)g * 0.25 - 1000.0);
        /* decimal(30,2) past 64 bits */
        lh_vector_set_i128(b->cols[C_DEC], i, ((lh_i128)g << 70) + (lh_i128)(g % 13));
        if (g % 83 == 5)
            lh_vector_set_null(b->cols[C_DEC], i);
        /* tstz: one instant in two zones is one group */
        {
            lh_tstz t;
            memset(&t, 0, sizeof t);
            t.utc_us = (int64_t)(g / 2) * 1000000;
            t.zone = (lh_zone)(r % 3);
            lh_vector_set_tstz(b->cols[C_TSTZ], i, t);
        }
        lh_vector_set_i64(b->cols[C_DATE], i, (int64_t)(g % 2));
        lh_vector_set_bool(b->cols[C_BOOL], i, (int)(g % 3 == 0));
        if (g % 3 == 2)
            lh_vector_set_null(b->cols[C_BOOL], i);
        lh_vector_set_bool(b->cols[C_F], i, (int)(r % 3 != 0));
        if (r % 17 == 0)
            lh_vector_set_null(b->cols[C_F], i);
        lh_vector_set_f64(b->cols[C_P], i, 0.5);
    }
    lh_batch_select(b, sel, ns);
    return LH_OK;
}

/* The aggregates every run computes. */
static size_t mk_aggs(lh_agg_spec *ag)
{
    lh_sqltype BI = T(LH_SQL_BIGINT), vc = lh_sqltype_varchar(LH_SQL_UNBOUNDED);
    size_t n = 0;
    ag[n++] = AG(LH_AGG_COUNT_STAR, NA, NA, BI);
    ag[n++] = AG(LH_AGG_SUM, C_X, NA, BI);
    ag[n++] = AG(LH_AGG_AVG, C_X, NA, T(LH_SQL_DOUBLE));
    ag[n] = AG(LH_AGG_COUNT, C_X, NA, BI);
    ag[n++].distinct = 1;
    ag[n++] = AG(LH_AGG_LISTAGG, C_S, C_SEP, vc);
    ag[n++] = AG(LH_AGG_MIN_BY, C_S, C_X, vc);
    ag[n++] = AG(LH_AGG_MAX_BY, C_X, C_S, BI);
    ag[n++] = AG(LH_AGG_APPROX_DISTINCT, C_S, NA, BI);
    ag[n] = AG(LH_AGG_MAX, C_S, NA, vc);
    ag[n++].filter = C_F;
    ag[n] = AG(LH_AGG_SUM, C_X, NA, BI);
    ag[n].distinct = 1;
    ag[n++].filter = C_F;
    ag[n++] = AG(LH_AGG_APPROX_PERCENTILE, C_X, C_P, BI);
    ag[n++] = AG(LH_AGG_ARBITRARY, C_S, NA, vc);
    ag[n++] = AG(LH_AGG_STDDEV_SAMP, C_X, NA, T(LH_SQL_DOUBLE));
    return n;
}

/* ---- results as sorted row texts ---- */

typedef struct rows_txt {
    size_t n, cap;
    char **row;
} rows_txt;

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Every row of op as its values' text (lh_value_format: Athena's, exact
 * for doubles), sorted. */
static lh_rc collect(lh_op *op, rows_txt *t, lh_err *err)
{
    lh_buf line;
    lh_rc rc = LH_OK;
    lh_buf_init(&line, 0);
    for (;;) {
        lh_batch *b = NULL;
        lh_rows rows;
        uint32_t i, c;
        if ((rc = lh_op_next(op, &b, err)) || !b)
            break;
        rows = lh_batch_rows(b);
        for (i = 0; i < rows.n && !rc; i++) {
            lh_buf_reset(&line);
            for (c = 0; c < b->ncols && !rc; c++) {
                int isnull = 0;
                rc = lh_buf_putc(&line, '|', err);
                if (!rc)
                    rc = lh_value_format(b->cols[c], rows.sel ? rows.sel[i] : i, &line, &isnull, err);
                if (!rc && isnull)
                    rc = lh_buf_puts(&line, "<NULL>", err);
            }
            if (rc)
                break;
            if (t->n == t->cap) {
                t->cap = t->cap ? t->cap * 2 : 1024;
                t->row = realloc(t->row, t->cap * sizeof *t->row);
                assert_non_null(t->row);
            }
            t->row[t->n] = strdup(lh_buf_cstr(&line));
            assert_non_null(t->row[t->n]);
            t->n++;
        }
        if (rc)
            break;
    }
    lh_buf_free(&line);
    if (!rc && t->n)
        qsort(t->row, t->n, sizeof *t->row, cmp_str);
    return rc;
}

static void free_text(rows_txt *t)
{
    size_t i;
    for (i = 0; i < t->n; i++)
        free(t->row[i]);
    free(t->row);
    memset(t, 0, sizeof *t);
}

static void same_rows(const rows_txt *x, const rows_txt *y)
{
    size_t i;
    assert_int_equal(x->n, y->n);
    for (i = 0; i < x->n; i++)
        if (strcmp(x->row[i], y->row[i])) {
            print_message("row %zu differs:\n  %s\n  %s\n", i, x->row[i], y->row[i]);
            fail();
        }
}

/* One aggregate over the generated rows; explain (may be NULL) gets the
 * EXPLAIN ANALYZE text.  The operator is freed. */
static lh_rc run_gen(lh_exec_ctx *ctx, gen *G, uint64_t nrows, const uint32_t *keys, size_t nkeys,
                     const lh_agg_spec *ag, size_t nag, rows_txt *r, char *explain, size_t esz, lh_err *err)
{
    lh_op *src = NULL, *agg = NULL;
    lh_rc rc = mk_src_rc(ctx, types, G->ncols ? G->ncols : NCOL, nrows, 1500, fill_gen, G, &src, err);
    memset(r, 0, sizeof *r);
    if (!rc)
        rc = lh_op_hash_agg(ctx, src, keys, nkeys, ag, nag, &agg, err);
    if (!rc)
        rc = collect(agg, r, err);
    if (!rc && explain) {
        lh_buf out;
        lh_buf_init(&out, 0);
        ctx->analyze = 1;
        assert_int_equal(lh_op_explain(agg, 1, &out, err), LH_OK);
        ctx->analyze = 0;
        snprintf(explain, esz, "%s", lh_buf_cstr(&out));
        lh_buf_free(&out);
    }
    lh_op_free(agg);
    return rc;
}

static void spill_ctx(lh_exec_ctx *ctx, size_t limit)
{
    lh_exec_ctx_init(ctx);
    ctx->mem_limit = limit;
    ctx->tmp_dir = dir;
}

/* "spilled: 1.2 MiB in 48 partitions, 3 passes" -> 3 */
static int passes_of(const char *explain)
{
    const char *p = strstr(explain, "spilled: ");
    const char *q = p ? strstr(p, " partitions, ") : NULL;
    return q ? atoi(q + strlen(" partitions, ")) : 0;
}

/* Spilling and in-memory answers agree for each key shape. */
static void test_spill_equal(void **state)
{
    static const struct {
        const char *what;
        uint32_t keys[3];
        size_t nkeys;
    } shapes[] = {
        {"bigint with NULL", {C_BI}, 1},
        {"varchar short, long and NULL", {C_VC}, 1},
        {"double with NaN and -0.0", {C_DBL}, 1},
        {"decimal(30,2) and boolean", {C_DEC, C_BOOL}, 2},
        {"tstz by instant, date, bigint", {C_TSTZ, C_DATE, C_BI}, 3},
    };
    lh_agg_spec ag[16];
    size_t nag = mk_aggs(ag), s;
    gen G = {40000, 0, NULL, 0};
    (void)state;
    init_types();
    for (s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        lh_exec_ctx mem, sp;
        rows_txt a, b;
        lh_err e;
        char ex[4096];
        lh_exec_ctx_init(&mem);
        assert_int_equal(run_gen(&mem, &G, 160000, shapes[s].keys, shapes[s].nkeys, ag, nag, &a, NULL, 0, &e), LH_OK);
        assert_int_equal(mem.spill_files, 0);
        spill_ctx(&sp, (size_t)3 << 20);
        if (run_gen(&sp, &G, 160000, shapes[s].keys, shapes[s].nkeys, ag, nag, &b, ex, sizeof ex, &e))
            fail_msg("%s: %s", shapes[s].what, e.msg);
        print_message("%s: %zu groups; %s", shapes[s].what, a.n, strchr(ex, ';') ? strstr(ex, "spilled") : ex);
        assert_true(sp.spill_files > 1);
        assert_non_null(strstr(ex, "spilled: "));
        assert_true(passes_of(ex) >= 2);
        same_rows(&a, &b);
        assert_int_equal(atomic_load(&mem.mem_used), 0);
        assert_int_equal(atomic_load(&sp.mem_used), 0);
        assert_int_equal(files_in(dir), 0);
        free_text(&a);
        free_text(&b);
    }
}

/* A tighter budget: partitions spill again, two levels down. */
static void test_spill_recursive(void **state)
{
    lh_agg_spec ag[2] = {AG(LH_AGG_COUNT_STAR, NA, NA, T(LH_SQL_BIGINT)),
                         AG(LH_AGG_LISTAGG, C_S, C_SEP, lh_sqltype_varchar(LH_SQL_UNBOUNDED))};
    uint32_t key = C_VC;
    gen G = {200000, 0, NULL, 0};
    lh_exec_ctx mem, sp;
    rows_txt a, b;
    lh_err e;
    char ex[4096];
    (void)state;
    init_types();
    lh_exec_ctx_init(&mem);
    assert_int_equal(run_gen(&mem, &G, 300000, &key, 1, ag, 2, &a, NULL, 0, &e), LH_OK);
    spill_ctx(&sp, (size_t)1536 << 10);
    if (run_gen(&sp, &G, 300000, &key, 1, ag, 2, &b, ex, sizeof ex, &e))
        fail_msg("%s", e.msg);
    print_message("%s", ex);
    assert_true(passes_of(ex) >= 3);
    same_rows(&a, &b);
    assert_int_equal(atomic_load(&sp.mem_used), 0);
    free_text(&a);
    free_text(&b);
}

/* SELECT DISTINCT: keys and no aggregate spills the same way. */
static void test_spill_distinct(void **state)
{
    uint32_t keys[2] = {C_VC, C_DBL};
    gen G = {50000, 0, NULL, 0};
    lh_exec_ctx mem, sp;
    rows_txt a, b;
    lh_err e;
    char ex[4096];
    (void)state;
    init_types();
    lh_exec_ctx_init(&mem);
    assert_int_equal(run_gen(&mem, &G, 100000, keys, 2, NULL, 0, &a, NULL, 0, &e), LH_OK);
    spill_ctx(&sp, (size_t)1 << 20);
    if (run_gen(&sp, &G, 100000, keys, 2, NULL, 0, &b, ex, sizeof ex, &e))
        fail_msg("%s", e.msg);
    assert_non_null(strstr(ex, "spilled: "));
    same_rows(&a, &b);
    assert_int_equal(atomic_load(&sp.mem_used), 0);
    free_text(&a);
    free_text(&b);
}

/* A global aggregate has one group: it never spills (the budget stays a
 * hard limit for its states); a grouped one under the budget does not
 * spill either, and EXPLAIN ANALYZE then says nothing of spilling. */
static void test_no_spill(void **state)
{
    lh_agg_spec ag[16];
    size_t nag = mk_aggs(ag);
    uint32_t key = C_BI;
    gen G = {300, 0, NULL, 0};
    lh_exec_ctx sp;
    rows_txt a;
    lh_err e;
    char ex[4096];
    (void)state;
    init_types();
    spill_ctx(&sp, (size_t)8 << 20);
    assert_int_equal(run_gen(&sp, &G, 50000, NULL, 0, ag, nag, &a, ex, sizeof ex, &e), LH_OK);
    assert_int_equal(a.n, 1);
    assert_int_equal(sp.spill_files, 0);
    assert_null(strstr(ex, "spilled"));
    free_text(&a);
    assert_int_equal(run_gen(&sp, &G, 50000, &key, 1, ag, nag, &a, ex, sizeof ex, &e), LH_OK);
    assert_int_equal(sp.spill_files, 0);
    assert_null(strstr(ex, "spilled"));
    free_text(&a);
    /* a global count(DISTINCT) past the budget: LH_ELIMIT, spill folder or not */
    {
        lh_agg_spec cd = AG(LH_AGG_COUNT, C_S, NA, T(LH_SQL_BIGINT));
        gen big = {1000000, 0, NULL, 0};
        cd.distinct = 1;
        spill_ctx(&sp, (size_t)512 << 10);
        assert_int_equal(run_gen(&sp, &big, 100000, NULL, 0, &cd, 1, &a, NULL, 0, &e), LH_ELIMIT);
        assert_non_null(strstr(e.msg, "HashAggregate: memory limit of"));
        assert_int_equal(sp.spill_files, 0);
        assert_int_equal(atomic_load(&sp.mem_used), 0);
        free_text(&a);
    }
}

/* The small spilling run the fault walks repeat. */
static lh_rc small_run(lh_exec_ctx *ctx, rows_txt *r, lh_err *err)
{
    lh_agg_spec ag[5] = {AG(LH_AGG_COUNT_STAR, NA, NA, T(LH_SQL_BIGINT)),
                         AG(LH_AGG_LISTAGG, C_S, C_SEP, lh_sqltype_varchar(LH_SQL_UNBOUNDED)),
                         AG(LH_AGG_COUNT, C_X, NA, T(LH_SQL_BIGINT)),
                         AG(LH_AGG_MIN_BY, C_S, C_X, lh_sqltype_varchar(LH_SQL_UNBOUNDED)),
                         AG(LH_AGG_APPROX_DISTINCT, C_X, NA, T(LH_SQL_BIGINT))};
    uint32_t key = C_VC;
    static gen G = {3000, NNARROW, NULL, 0};
    ag[2].distinct = 1;
    spill_ctx(ctx, (size_t)1 << 20);
    return run_gen(ctx, &G, 5000, &key, 1, ag, 5, r, NULL, 0, err);
}

static void test_alloc_walk(void **state)
{
    long n;
    int ok = 0;
    rows_txt want;
    lh_exec_ctx ctx;
    lh_err e;
    (void)state;
    init_types();
    assert_int_equal(small_run(&ctx, &want, &e), LH_OK);
    assert_true(ctx.spill_files > 1);
    for (n = 1; n < 100000 && !ok; n++) {
        rows_txt r;
        lh_rc rc;
        lh_fault_alloc_set(n);
        rc = small_run(&ctx, &r, &e);
        lh_fault_alloc_set(0);
        if (rc) {
            if (rc != LH_ENOMEM)
                fail_msg("allocation %ld: %s", n, e.msg);
            assert_non_null(strstr(e.msg, "out of memory"));
        } else {
            same_rows(&want, &r);
            ok = 1;
        }
        free_text(&r);
        assert_int_equal(atomic_load(&ctx.mem_used), 0);
        assert_int_equal(files_in(dir), 0);
    }
    print_message("allocation walk over a spilling run: %ld points\n", n - 1);
    assert_true(ok && n > 50);
    free_text(&want);
}

static void test_io_walk(void **state)
{
    long n;
    int ok = 0;
    rows_txt want;
    lh_exec_ctx ctx;
    lh_err e;
    (void)state;
    init_types();
    assert_int_equal(small_run(&ctx, &want, &e), LH_OK);
    for (n = 1; n < 100000 && !ok; n++) {
        rows_txt r;
        lh_rc rc;
        lh_fault_io_set(n);
        rc = small_run(&ctx, &r, &e);
        lh_fault_io_set(0);
        if (rc) {
            if (rc != LH_EIO)
                fail_msg("I/O call %ld: %s", n, e.msg);
            assert_non_null(strstr(e.msg, "HashAggregate"));
        } else {
            same_rows(&want, &r);
            ok = 1;
        }
        free_text(&r);
        assert_int_equal(atomic_load(&ctx.mem_used), 0);
        assert_int_equal(files_in(dir), 0);
    }
    print_message("I/O walk over a spilling run: %ld points\n", n - 1);
    assert_true(ok && n > 3);
    free_text(&want);
}

/* Ctrl-C while rows go to spills, and while spills are read back. */
static void test_cancel(void **state)
{
    lh_agg_spec ag[2] = {AG(LH_AGG_COUNT_STAR, NA, NA, T(LH_SQL_BIGINT)),
                         AG(LH_AGG_LISTAGG, C_S, C_SEP, lh_sqltype_varchar(LH_SQL_UNBOUNDED))};
    uint32_t key = C_VC;
    atomic_int stop;
    gen G = {40000, 0, &stop, 70000};
    lh_exec_ctx ctx;
    lh_op *src = NULL, *agg = NULL;
    lh_batch *b = NULL;
    rows_txt r;
    lh_err e;
    (void)state;
    init_types();
    atomic_init(&stop, 0);
    spill_ctx(&ctx, (size_t)1 << 20);
    ctx.interrupt = &stop;
    /* while writing: the flag rises at row 70,000, long after spilling began */
    assert_int_equal(run_gen(&ctx, &G, 160000, &key, 1, ag, 2, &r, NULL, 0, &e), LH_ECANCELLED);
    assert_string_equal(e.msg, "cancelled");
    assert_true(ctx.spill_files > 0);
    assert_int_equal(atomic_load(&ctx.mem_used), 0);
    free_text(&r);
    /* while reading: the first batch comes from the groups kept in memory,
     * the next pulls read partitions back */
    G.stop = NULL;
    atomic_store(&stop, 0);
    spill_ctx(&ctx, (size_t)1 << 20);
    ctx.interrupt = &stop;
    assert_int_equal(mk_src_rc(&ctx, types, NCOL, 160000, 1500, fill_gen, &G, &src, &e), LH_OK);
    assert_int_equal(lh_op_hash_agg(&ctx, src, &key, 1, ag, 2, &agg, &e), LH_OK);
    assert_int_equal(lh_op_next(agg, &b, &e), LH_OK);
    assert_non_null(b);
    assert_true(ctx.spill_files > 0);
    atomic_store(&stop, 1);
    {
        lh_rc rc;
        int k;
        for (k = 0, rc = LH_OK; k < 1000 && !rc; k++)
            rc = lh_op_next(agg, &b, &e);
        assert_int_equal(rc, LH_ECANCELLED);
    }
    lh_op_free(agg);
    assert_int_equal(atomic_load(&ctx.mem_used), 0);
    assert_int_equal(files_in(dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spill_equal), cmocka_unit_test(test_spill_recursive),
        cmocka_unit_test(test_spill_distinct), cmocka_unit_test(test_no_spill),
        cmocka_unit_test(test_alloc_walk), cmocka_unit_test(test_io_walk),
        cmocka_unit_test(test_cancel),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
