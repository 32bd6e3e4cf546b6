/* Unit tests: the hash join's spilling (exec/op_join.c over
 * exec/join_spill.h).  Every run with a small budget and a spill folder is
 * compared, as a multiset of rows, with the same join without a budget:
 * random keys with duplicates and NULLs, every join kind (NOT IN with and
 * without a NULL on the build side), a residual, a build side mostly of
 * NULL keys, one and two key columns
 * (bigint and strings longer than 12 bytes); a build side that needs more
 * than one level of partitions; a single hot key that no partitioning can
 * split (a clean LH_ENOMEM); EXPLAIN ANALYZE's figures; allocation and
 * I/O failures at every point of a spilling run (clean errors, nothing
 * charged, no file left); cancellation. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function" /* src_i64 and lines_expect are not used here */
#include "op_testsrc.h"
#pragma GCC diagnostic pop

#include <dirent.h>
#include <unistd.h>

#include "util/fault.h"

static char dir[256];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/lh-test-joinspill-%d/tmp", (int)getpid());
    return 0;
}

static int teardown(void **state)
{
    char cmd[300];
    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf /tmp/lh-test-joinspill-%d", (int)getpid());
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

static void mkdirs(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "mkdir -p %s", dir);
    assert_int_equal(system(cmd), 0);
}

/* ---- generated sides: (k bigint, s varchar, v bigint) ---- */

typedef struct gen {
    uint64_t seed;
    uint32_t nkeys;   /* k in [0, nkeys) */
    uint32_t nullpct; /* percent of NULL k (and, a third as often, NULL s) */
    int64_t hot;      /* >= 0: every k is this */
} gen;

static uint64_t mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

static int fill_gen(lh_batch *b, uint32_t r, size_t g, void *arg)
{
    const gen *G = arg;
    uint64_t x = mix(G->seed * 1000003u + g);
    int64_t k = G->hot >= 0 ? G->hot : (int64_t)(x % G->nkeys);
    char s[64];
    lh_err e;
    int n;
    if (G->hot < 0 && (x >> 40) % 100 < G->nullpct)
        lh_vector_set_null(b->cols[0], r);
    else
        lh_vector_set_i64(b->cols[0], r, k);
    if (G->hot < 0 && (x >> 48) % 300 < G->nullpct)
        lh_vector_set_null(b->cols[1], r);
    else {
        n = snprintf(s, sizeof s, (k % 3) ? "a string key longer than 12 #%d" : "s%d", (int)(k % 5));
        assert_int_equal(lh_vector_set_str(b->cols[1], r, s, (size_t)n, &b->arena, &e), LH_OK);
    }
    lh_vector_set_i64(b->cols[2], r, (int64_t)(g % 1000));
    return 1;
}

static lh_sqltype ts[3];

static lh_op *side(lh_exec_ctx *ctx, gen *G, size_t n)
{
    ts[0] = lh_sqltype_of(LH_SQL_BIGINT);
    ts[1] = lh_sqltype_varchar(LH_SQL_UNBOUNDED);
    ts[2] = lh_sqltype_of(LH_SQL_BIGINT);
    return tsrc_make(ctx, ts, 3, n, 1500, fill_gen, G);
}

static lh_xexpr *residual(void)
{
    lh_err e;
    lh_sqltype bi = lh_sqltype_of(LH_SQL_BIGINT);
    lh_xexpr *x = lh_x_cmp(LH_CMP_LT, lh_x_col(2, bi, &e), lh_x_col(5, bi, &e), &e);
    assert_non_null(x);
    return x;
}

typedef struct spec {
    lh_join_kind kind;
    uint32_t nkeys; /* 1: k = k; 2: k = k and s = s */
    int res;        /* v < v residual */
    gen L, R;
    size_t nl, nr;
} spec;

static void spill_ctx(lh_exec_ctx *ctx, size_t limit)
{
    lh_exec_ctx_init(ctx);
    if (limit) {
        ctx->mem_limit = limit;
        ctx->tmp_dir = dir;
    }
}

/* One join; its lines sorted; explain (may be NULL) gets EXPLAIN ANALYZE. */
static long fault_alloc, fault_io; /* armed once the inputs are made */

static lh_rc run(lh_exec_ctx *ctx, const spec *sp, lines *out, char *explain, size_t esz, lh_err *e)
{
    static const uint32_t lk[2] = {0, 1}, rk[2] = {0, 1};
    gen L = sp->L, R = sp->R;
    lh_op *j = NULL;
    lh_rc rc;
    lh_op *l = side(ctx, &L, sp->nl), *r = side(ctx, &R, sp->nr);
    lh_xexpr *x = sp->res ? residual() : NULL;
    memset(out, 0, sizeof *out);
    lh_fault_alloc_set(fault_alloc);
    lh_fault_io_set(fault_io);
    rc = lh_op_hash_join(ctx, l, r, sp->kind, lk, rk, sp->nkeys, x, &j, e);
    if (!rc)
        rc = drain_lines(j, out, e);
    lh_fault_alloc_set(0);
    lh_fault_io_set(0);
    if (!rc && explain) {
        lh_buf buf;
        lh_buf_init(&buf, 0);
        ctx->analyze = 1;
        assert_int_equal(lh_op_explain(j, 1, &buf, e), LH_OK);
        ctx->analyze = 0;
        snprintf(explain, esz, "%s", lh_buf_cstr(&buf));
        lh_buf_free(&buf);
    }
    lh_op_free(j);
    lines_sort(out);
    return rc;
}

static void same_lines(const lines *x, const lines *y)
{
    size_t i;
    assert_int_equal(x->n, y->n);
    for (i = 0; i < x->n; i++)
        if (strcmp(x->v[i], y->v[i])) {
            print_message("row %zu differs:\n  %s\n  %s\n", i, x->v[i], y->v[i]);
            fail();
        }
}

/* "spilled: 1.2 MiB in 48 partitions, 3 levels" -> 3 */
static int levels_of(const char *explain)
{
    const char *p = strstr(explain, "spilled: ");
    const char *q = p ? strstr(p, " partitions, ") : NULL;
    return q ? atoi(q + strlen(" partitions, ")) : 0;
}

/* in memory vs spilled: same multiset; returns the spilled run's levels */
static int check_equal(const spec *sp, size_t limit)
{
    lh_exec_ctx ctx;
    lines want, got;
    char ex[1024];
    lh_err e;
    int lv;
    spill_ctx(&ctx, 0);
    assert_int_equal(run(&ctx, sp, &want, NULL, 0, &e), LH_OK);
    assert_int_equal(atomic_load(&ctx.mem_used), 0);
    spill_ctx(&ctx, limit);
    if (run(&ctx, sp, &got, ex, sizeof ex, &e))
        fail_msg("kind %d: %s", (int)sp->kind, e.msg);
    assert_int_equal(atomic_load(&ctx.mem_used), 0);
    assert_true(ctx.spill_files > 0);
    assert_true(ctx.spill_bytes > 0);
    assert_non_null(strstr(ex, "spilled: "));
    assert_int_equal(files_in(dir), 0);
    same_lines(&want, &got);
    lv = levels_of(ex);
    lines_free(&want);
    lines_free(&got);
    return lv;
}

static const lh_join_kind kinds[] = {LH_J_INNER, LH_J_LEFT, LH_J_RIGHT, LH_J_FULL,
                                     LH_J_SEMI,  LH_J_ANTI, LH_J_ANTI_NULL_AWARE};

static void test_kinds_equal(void **state)
{
    size_t i;
    uint32_t nk;
    (void)state;
    mkdirs();
    for (nk = 1; nk <= 2; nk++)
        for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
            spec sp = {kinds[i], nk, 0, {1, 3000, 4, -1}, {2, 3000, 4, -1}, 6000, 20000};
            check_equal(&sp, (size_t)1 << 20);
        }
}

/* NOT IN without a NULL key on the build side (the NULL-key rule is
 * global: with NULLs nothing comes out, checked by test_kinds_equal) */
static void test_not_in_no_null(void **state)
{
    spec sp = {LH_J_ANTI_NULL_AWARE, 1, 0, {3, 30000, 5, -1}, {4, 30000, 0, -1}, 8000, 25000};
    lh_exec_ctx ctx;
    lines got;
    lh_err e;
    (void)state;
    mkdirs();
    check_equal(&sp, (size_t)1 << 20);
    spill_ctx(&ctx, (size_t)1 << 20);
    assert_int_equal(run(&ctx, &sp, &got, NULL, 0, &e), LH_OK);
    assert_true(got.n > 0);
    lines_free(&got);
    sp.R.nullpct = 1; /* a NULL on the build side: no row at all */
    spill_ctx(&ctx, (size_t)1 << 20);
    assert_int_equal(run(&ctx, &sp, &got, NULL, 0, &e), LH_OK);
    assert_int_equal(got.n, 0);
    assert_true(ctx.spill_files > 0);
    lines_free(&got);
}

static void test_residual(void **state)
{
    static const lh_join_kind rk[] = {LH_J_INNER, LH_J_LEFT, LH_J_RIGHT, LH_J_FULL, LH_J_SEMI, LH_J_ANTI};
    size_t i;
    (void)state;
    mkdirs();
    for (i = 0; i < sizeof rk / sizeof rk[0]; i++) {
        spec sp = {rk[i], 1, 1, {5, 4000, 3, -1}, {6, 4000, 3, -1}, 5000, 20000};
        check_equal(&sp, (size_t)1 << 20);
    }
}

/* a build side mostly of NULL keys: those rows never match, so joins that
 * do not emit unmatched build rows leave them out of the partitions (kept,
 * they would all hash to one partition and not fit) */
static void test_null_heavy(void **state)
{
    static const lh_join_kind nk[] = {LH_J_INNER, LH_J_LEFT, LH_J_SEMI, LH_J_ANTI, LH_J_ANTI_NULL_AWARE};
    size_t i;
    (void)state;
    mkdirs();
    for (i = 0; i < sizeof nk / sizeof nk[0]; i++) {
        spec sp = {nk[i], 1, 0, {13, 5000, 20, -1}, {14, 5000, 70, -1}, 8000, 40000};
        check_equal(&sp, (size_t)1 << 20);
    }
}

/* partitions that pass the budget again are split one level down */
static void test_recursive(void **state)
{
    spec sp = {LH_J_FULL, 1, 0, {7, 1000000, 2, -1}, {8, 1000000, 2, -1}, 20000, 400000};
    int lv;
    (void)state;
    mkdirs();
    lv = check_equal(&sp, (size_t)3 << 19);
    print_message("levels: %d\n", lv);
    assert_true(lv >= 2);
}

/* one key with more rows than the budget: no partitioning splits it */
static void test_hot_key(void **state)
{
    spec sp = {LH_J_INNER, 1, 0, {9, 10, 0, -1}, {10, 10, 0, 7}, 1000, 60000};
    lh_exec_ctx ctx;
    lines got;
    lh_err e;
    (void)state;
    mkdirs();
    spill_ctx(&ctx, (size_t)1 << 20);
    assert_int_equal(run(&ctx, &sp, &got, NULL, 0, &e), LH_ENOMEM);
    assert_non_null(strstr(e.msg, "HashJoin: 60000 build rows share one join key"));
    assert_non_null(strstr(e.msg, "memory limit of 1.0 MiB"));
    assert_int_equal(atomic_load(&ctx.mem_used), 0);
    assert_int_equal(files_in(dir), 0);
    lines_free(&got);
}

/* without a tmp_dir the budget stays a hard limit */
static void test_no_tmp_dir(void **state)
{
    spec sp = {LH_J_INNER, 1, 0, {1, 3000, 4, -1}, {2, 3000, 4, -1}, 1000, 20000};
    lh_exec_ctx ctx;
    lines got;
    lh_err e;
    (void)state;
    lh_exec_ctx_init(&ctx);
    ctx.mem_limit = (size_t)1 << 20;
    assert_int_equal(run(&ctx, &sp, &got, NULL, 0, &e), LH_ELIMIT);
    assert_non_null(strstr(e.msg, "HashJoin: memory limit of"));
    assert_int_equal(ctx.spill_files, 0);
    assert_int_equal(atomic_load(&ctx.mem_used), 0);
    lines_free(&got);
}

static const spec small = {LH_J_FULL, 2, 1, {11, 500, 4, -1}, {12, 500, 4, -1}, 800, 16000};

static void test_alloc_walk(void **state)
{
    long n;
    int ok = 0;
    lines want;
    lh_exec_ctx ctx;
    lh_err e;
    (void)state;
    mkdirs();
    spill_ctx(&ctx, (size_t)1 << 20);
    if (run(&ctx, &small, &want, NULL, 0, &e))
        fail_msg("%s", e.msg);
    assert_true(ctx.spill_files > 1);
    for (n = 1; n < 100000 && !ok; n++) {
        lines got;
        lh_rc rc;
        spill_ctx(&ctx, (size_t)1 << 20);
        fault_alloc = n;
        rc = run(&ctx, &small, &got, NULL, 0, &e);
        fault_alloc = 0;
        if (rc) {
            if (rc != LH_ENOMEM)
                fail_msg("allocation %ld: %s", n, e.msg);
        } else {
            same_lines(&want, &got);
            ok = 1;
        }
        lines_free(&got);
        assert_int_equal(atomic_load(&ctx.mem_used), 0);
        assert_int_equal(files_in(dir), 0);
    }
    print_message("allocation walk over a spilling join: %ld points\n", n - 1);
    assert_true(ok && n > 50);
    lines_free(&want);
}

static void test_io_walk(void **state)
{
    long n;
    int ok = 0;
    lines want;
    lh_exec_ctx ctx;
    lh_err e;
    (void)state;
    mkdirs();
    spill_ctx(&ctx, (size_t)1 << 20);
    if (run(&ctx, &small, &want, NULL, 0, &e))
        fail_msg("%s", e.msg);
    for (n = 1; n < 100000 && !ok; n++) {
        lines got;
        lh_rc rc;
        spill_ctx(&ctx, (size_t)1 << 20);
        fault_io = n;
        rc = run(&ctx, &small, &got, NULL, 0, &e);
        fault_io = 0;
        if (rc) {
            if (rc != LH_EIO)
                fail_msg("I/O call %ld: %s", n, e.msg);
            assert_non_null(strstr(e.msg, "HashJoin"));
        } else {
            same_lines(&want, &got);
            ok = 1;
        }
        lines_free(&got);
        assert_int_equal(atomic_load(&ctx.mem_used), 0);
        assert_int_equal(files_in(dir), 0);
    }
    print_message("I/O walk over a spilling join: %ld points\n", n - 1);
    assert_true(ok && n > 3);
    lines_free(&want);
}

/* Ctrl-C while partitions are read back */
static void test_cancel(void **state)
{
    spec sp = {LH_J_INNER, 1, 0, {1, 3000, 4, -1}, {2, 3000, 4, -1}, 6000, 20000};
    static const uint32_t k0 = 0;
    atomic_int stop;
    lh_exec_ctx ctx;
    lh_op *j = NULL;
    lh_batch *b = NULL;
    lh_rc rc;
    lh_err e;
    int k;
    (void)state;
    mkdirs();
    atomic_init(&stop, 0);
    spill_ctx(&ctx, (size_t)1 << 20);
    ctx.interrupt = &stop;
    assert_int_equal(lh_op_hash_join(&ctx, side(&ctx, &sp.L, sp.nl), side(&ctx, &sp.R, sp.nr), sp.kind, &k0, &k0,
                                     1, NULL, &j, &e),
                     LH_OK);
    assert_int_equal(lh_op_next(j, &b, &e), LH_OK);
    assert_non_null(b);
    assert_true(ctx.spill_files > 0);
    atomic_store(&stop, 1);
    for (k = 0, rc = LH_OK; k < 1000 && !rc; k++)
        rc = lh_op_next(j, &b, &e);
    assert_int_equal(rc, LH_ECANCELLED);
    lh_op_free(j);
    assert_int_equal(atomic_load(&ctx.mem_used), 0);
    assert_int_equal(files_in(dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kinds_equal), cmocka_unit_test(test_not_in_no_null),
        cmocka_unit_test(test_residual),    cmocka_unit_test(test_null_heavy),
        cmocka_unit_test(test_recursive),
        cmocka_unit_test(test_hot_key),     cmocka_unit_test(test_no_tmp_dir),
        cmocka_unit_test(test_alloc_walk),  cmocka_unit_test(test_io_walk),
        cmocka_unit_test(test_cancel),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
