/* tests/unit/test_scan_hints.c — the planner's scan hints
 * (lh_planner_io.scan_where): which conjuncts of WHERE reach a table scan
 * as constraints (lh_scan_constraint), with which operator and value, and
 * which do not (they may only skip Parquet row groups, so a hint that is
 * not implied by the query would lose rows).  The scan is a mock that
 * records what it is given and returns no rows. */
#include "testutil.h"

#include "analyze_schema.h"
#include "plan/planner.h"
#include "sql/parse.h"

typedef struct rec {
    char s[4096];
    size_t len;
    int scans, hinted;
} rec;

static void put(rec *r, const char *fmt, ...) LH_PRINTF(2, 3);
static void put(rec *r, const char *fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(r->s + r->len, sizeof r->s - r->len, fmt, ap);
    va_end(ap);
    if (n > 0 && (size_t)n < sizeof r->s - r->len)
        r->len += (size_t)n;
}

static const char *op_name(lh_pq_op op)
{
    switch (op) {
    case LH_PQ_EQ: return "=";
    case LH_PQ_LT: return "<";
    case LH_PQ_LE: return "<=";
    case LH_PQ_GT: return ">";
    case LH_PQ_GE: return ">=";
    case LH_PQ_ISNULL: return "IS NULL";
    case LH_PQ_IN: return "IN";
    }
    return "?";
}

/* "table: #col op value; ..." (#col: the table's column index) */
static lh_rc mock_scan_where(void *ctx, lh_exec_ctx *ectx, const char *db, const char *name, const uint32_t *cols,
                             const lh_sqltype *types, uint32_t n, const lh_scan_constraint *cons, size_t ncons,
                             lh_op **out, lh_err *err)
{
    rec *r = ctx;
    size_t i, k;
    (void)db;
    r->scans++;
    if (ncons) {
        r->hinted++;
        put(r, "%s%s:", r->len ? " | " : "", name);
    }
    for (i = 0; i < ncons; i++) {
        assert_true(cons[i].col < n);
        put(r, "%s #%u %s", i ? ";" : "", cols[cons[i].col], op_name(cons[i].op));
        for (k = 0; k < cons[i].nvals; k++) {
            const lh_value *v = &cons[i].vals[k];
            if (v->t == LH_V_INT)
                put(r, " INT %lld", (long long)v->i);
            else if (v->t == LH_V_TEXT)
                put(r, " TEXT '%.*s'", (int)v->n, v->s);
            else
                put(r, " type %d", (int)v->t);
        }
    }
    return lh_op_values(ectx, types, n, NULL, 0, out, err);
}

static lh_rc mock_scan(void *ctx, lh_exec_ctx *ectx, const char *db, const char *name, const uint32_t *cols,
                       const lh_sqltype *types, uint32_t n, lh_op **out, lh_err *err)
{
    return mock_scan_where(ctx, ectx, db, name, cols, types, n, NULL, 0, out, err);
}

/* Plan sql (with or without scan_where); the recorded hints, or "ERR ...". */
static lh_rc plan(const char *sql, int with_where, rec *r, lh_err *err)
{
    lh_ast *ast = NULL;
    lh_bound *b = NULL;
    lh_op *root = NULL;
    lh_exec_ctx ectx;
    lh_planner_io io;
    lh_rc rc;
    memset(r, 0, sizeof *r);
    memset(&io, 0, sizeof io);
    io.ctx = r;
    io.scan = mock_scan;
    io.scan_where = with_where ? mock_scan_where : NULL;
    lh_exec_ctx_init(&ectx);
    rc = lh_parse_query(sql, strlen(sql), "q.sql", &ast, err);
    if (!rc)
        rc = lh_analyze(ast, &MEM_SCHEMA, "q.sql", &b, err);
    if (!rc)
        rc = lh_plan_query(b, &io, &ectx, "q.sql", &root, err);
    lh_op_free(root);
    lh_bound_free(b);
    lh_ast_free(ast);
    return rc;
}

static int ncases;

static void expect(const char *sql, const char *want)
{
    rec r;
    lh_err err;
    lh_rc rc = plan(sql, 1, &r, &err);
    ncases++;
    if (rc)
        fail_msg("%s: %s", sql, err.msg);
    if (strcmp(r.s, want))
        fail_msg("%s:\n  want [%s]\n  got  [%s]", sql, want, r.s);
}

#define ACC "SELECT count(*) FROM accelerometer_landing WHERE "

static void test_hinted(void **state)
{
    (void)state;
    /* accelerometer_landing: #0 user string, #1 timestamp bigint, #2 x double */
    expect(ACC "\"timestamp\" < 1655564444103", "accelerometer_landing: #1 < INT 1655564444103");
    expect(ACC "\"timestamp\" = 5", "accelerometer_landing: #1 = INT 5");
    expect(ACC "\"timestamp\" <= 5", "accelerometer_landing: #1 <= INT 5");
    expect(ACC "\"timestamp\" > 5", "accelerometer_landing: #1 > INT 5");
    expect(ACC "\"timestamp\" >= -5", "accelerometer_landing: #1 >= INT -5");
    /* the constant on the left: the operator turns around */
    expect(ACC "5 > \"timestamp\"", "accelerometer_landing: #1 < INT 5");
    expect(ACC "5 <= \"timestamp\"", "accelerometer_landing: #1 >= INT 5");
    expect(ACC "5 = \"timestamp\"", "accelerometer_landing: #1 = INT 5");
    /* folded constants */
    expect(ACC "\"timestamp\" < 1 + 2 * 3", "accelerometer_landing: #1 < INT 7");
    expect(ACC "\"timestamp\" < CAST('12' AS bigint)", "accelerometer_landing: #1 < INT 12");
    /* BETWEEN: two hints */
    expect(ACC "\"timestamp\" BETWEEN 1 AND 9", "accelerometer_landing: #1 >= INT 1; #1 <= INT 9");
    /* every conjunct of an AND, each about the table */
    expect(ACC "\"timestamp\" > 1 AND \"user\" = 'a@b.c' AND x < 0.5",
           "accelerometer_landing: #1 > INT 1; #0 = TEXT 'a@b.c'");
    /* unbounded varchar; the empty string is a value */
    expect(ACC "\"user\" < 'M'", "accelerometer_landing: #0 < TEXT 'M'");
    expect(ACC "\"user\" >= ''", "accelerometer_landing: #0 >= TEXT ''");
    expect(ACC "\"user\" = 'a string longer than twelve bytes'",
           "accelerometer_landing: #0 = TEXT 'a string longer than twelve bytes'");
    /* stedi.t: #0 i int, #1 b bigint, #11 ti tinyint, #10 sm smallint:
     * a column widened to the constant's integer type */
    expect("SELECT count(*) FROM t WHERE ti = 5", "t: #11 = INT 5");
    expect("SELECT count(*) FROM t WHERE sm < 5", "t: #10 < INT 5");
    expect("SELECT count(*) FROM t WHERE i > 3000000000", "t: #0 > INT 3000000000");
    expect("SELECT count(*) FROM t WHERE i = 7", "t: #0 = INT 7");
    /* both sides of an inner join get their own */
    expect("SELECT count(*) FROM accelerometer_landing a JOIN customer_landing c ON a.\"user\" = c.email "
           "WHERE a.\"timestamp\" > 7 AND c.registrationdate = 3",
           "accelerometer_landing: #1 > INT 7 | customer_landing: #5 = INT 3");
    /* a subquery's own WHERE */
    expect("SELECT count(*) FROM (SELECT \"user\" FROM accelerometer_landing WHERE \"timestamp\" < 4) s",
           "accelerometer_landing: #1 < INT 4");
}

static void test_not_hinted(void **state)
{
    (void)state;
    static const char *const qs[] = {
        ACC "\"timestamp\" NOT BETWEEN 1 AND 9",
        ACC "\"timestamp\" <> 5",
        ACC "\"timestamp\" = 1 OR \"timestamp\" = 2",
        ACC "NOT (\"timestamp\" < 5)",
        ACC "\"timestamp\" IN (1, 2)",
        ACC "\"timestamp\" IS NULL",
        ACC "\"timestamp\" < NULL",
        ACC "\"timestamp\" < x",
        ACC "\"timestamp\" + 1 < 5",
        ACC "x < 0.5",                              /* double: not hinted */
        ACC "\"timestamp\" < 5.5",                  /* the column is cast to decimal */
        ACC "\"timestamp\" < (SELECT 5)",           /* a subquery: run once, not twice */
        ACC "\"$path\" = 's3://b/k'",               /* hidden column: not in the files */
        "SELECT count(*) FROM t WHERE v = 'abc'",   /* varchar(5): cut after reading */
        "SELECT count(*) FROM t WHERE c = 'abc'",   /* char(3) */
        "SELECT count(*) FROM t WHERE dt = DATE '2020-01-01'",
        "SELECT count(*) FROM t WHERE d < 5",
        "SELECT count(*) FROM t WHERE CAST(b AS integer) = 5", /* narrowing */
        "SELECT count(*) FROM t WHERE CAST(i AS varchar) = '5'",
        ACC "\"timestamp\" < 1 / 0",                /* does not fold: fails only if a row evaluates it */
        /* ON of an outer join about its preserved side: every row of c
         * stays (null-extended), so c's scan must read them all */
        "SELECT count(*) FROM customer_landing c LEFT JOIN accelerometer_landing a ON a.\"user\" = c.email "
        "AND c.registrationdate = 3",
        "SELECT count(*) FROM accelerometer_landing a RIGHT JOIN customer_landing c ON a.\"user\" = c.email "
        "AND c.registrationdate = 3",
        "SELECT count(*) FROM customer_landing c FULL JOIN accelerometer_landing a ON a.\"user\" = c.email "
        "AND c.registrationdate = 3 AND a.\"timestamp\" > 7",
    };
    for (size_t k = 0; k < sizeof qs / sizeof qs[0]; k++)
        expect(qs[k], "");
}

/* Without scan_where the planner calls scan, and answers the same plan. */
static void test_without_scan_where(void **state)
{
    rec r;
    lh_err err;
    (void)state;
    assert_int_equal(plan(ACC "\"timestamp\" < 5 AND \"user\" = 'x'", 0, &r, &err), LH_OK);
    assert_int_equal(r.scans, 1);
    assert_int_equal(r.hinted, 0);
    assert_string_equal(r.s, "");
    assert_int_equal(plan(ACC "\"timestamp\" < 5", 1, &r, &err), LH_OK);
    assert_int_equal(r.scans, 1);
    assert_int_equal(r.hinted, 1);
    /* a failing constant still fails where it did (Trino's message, at run time) */
    assert_int_equal(plan(ACC "\"timestamp\" < 1 / 0", 1, &r, &err), LH_OK);
}

static void test_alloc_faults(void **state)
{
    (void)state;
    static const char *const qs[] = {
        "SELECT count(*) FROM accelerometer_landing a JOIN customer_landing c ON a.\"user\" = c.email "
        "WHERE a.\"timestamp\" BETWEEN 1 AND 7 AND c.email = 'a string longer than twelve bytes' AND c.phone < ''",
        "SELECT count(*) FROM t WHERE ti = 5 AND i > 3000000000 AND s >= 'x'",
    };
    for (size_t k = 0; k < sizeof qs / sizeof qs[0]; k++) {
        rec r;
        lh_err err;
        int done = 0;
        assert_int_equal(plan(qs[k], 1, &r, &err), LH_OK);
        assert_true(r.hinted > 0);
        for (long n = 1; n < 100000 && !done; n++) {
            lh_rc rc;
            lh_fault_alloc_set(n);
            rc = plan(qs[k], 1, &r, &err);
            lh_fault_alloc_set(0);
            if (rc == LH_ENOMEM)
                continue;
            assert_int_equal(rc, LH_OK);
            done = 1;
        }
        assert_true(done);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hinted),
        cmocka_unit_test(test_not_hinted),
        cmocka_unit_test(test_without_scan_where),
        cmocka_unit_test(test_alloc_faults),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    fprintf(stderr, "test_scan_hints: %d cases\n", ncases);
    return rc;
}
