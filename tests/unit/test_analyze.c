/* tests/unit/test_analyze.c — the analyzer: names, types, Trino's errors.
 * References: Trino docs language/types.md, functions/ pages (signatures and
 * return types), io.trino.sql.analyzer.StatementAnalyzer and
 * ExpressionAnalyzer (messages), DecimalOperators (decimal result types),
 * Athena's result column naming (_colN). */
#include "testutil.h"

#include "analyze_schema.h"
#include "plan/analyze.h"
#include "sql/parse.h"

/* Analyze sql; "name type, name type" or "ERR code: message". */
static const char *run(const char *sql, int want_dump)
{
    static char out[16384];
    lh_ast *ast = NULL;
    lh_bound *b = NULL;
    lh_err err;
    lh_rc rc = lh_parse_query(sql, strlen(sql), "q.sql", &ast, &err);
    if (!rc)
        rc = lh_analyze(ast, &MEM_SCHEMA, "q.sql", &b, &err);
    if (rc) {
        snprintf(out, sizeof out, "ERR %s: %s", lh_strerror(rc), err.msg);
        lh_ast_free(ast);
        return out;
    }
    lh_ast_free(ast);
    if (want_dump) {
        lh_buf buf;
        lh_buf_init(&buf, 0);
        assert_int_equal(lh_bound_dump(b, &buf, &err), LH_OK);
        snprintf(out, sizeof out, "%s", lh_buf_cstr(&buf));
        lh_buf_free(&buf);
    } else {
        size_t len = 0;
        out[0] = 0;
        for (size_t i = 0; i < lh_bound_ncols(b); i++) {
            char t[LH_SQLTYPE_NAME_MAX];
            len += (size_t)snprintf(out + len, sizeof out - len, "%s%s %s", i ? ", " : "", lh_bound_col_name(b, i),
                                    lh_sqltype_name(lh_bound_col_type(b, i), t, sizeof t));
        }
    }
    lh_bound_free(b);
    return out;
}

static const char *cols(const char *sql) { return run(sql, 0); }
static const char *dump(const char *sql) { return run(sql, 1); }

/* The type of one expression over stedi.t. */
static const char *typ(const char *expr)
{
    static char q[4096], res[16384];
    snprintf(q, sizeof q, "SELECT %s FROM stedi.t", expr);
    const char *r = cols(q);
    if (!strncmp(r, "ERR", 3)) {
        snprintf(res, sizeof res, "%s", r);
        return res;
    }
    const char *sp = strchr(r, ' ');
    snprintf(res, sizeof res, "%s", sp ? sp + 1 : r);
    return res;
}

typedef struct kase {
    const char *in, *want;
} kase;

static int ncases;

static void check_all(const kase *k, size_t n, const char *(*f)(const char *))
{
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        const char *got = f(k[i].in);
        ncases++;
        if (strcmp(got, k[i].want)) {
            fprintf(stderr, "case: %s\n  want: %s\n  got:  %s\n", k[i].in, k[i].want, got);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
}
#define CHECK(arr, f) check_all(arr, sizeof arr / sizeof arr[0], f)

#include "test_analyze_cases.h"


/* Literal typing, operators, decimal result types, every function's type. */
static void test_types(void **state)
{
    (void)state;
    CHECK(TYPES, typ);
}

/* Every error: exact message and file:line:col. */
static void test_errors(void **state)
{
    (void)state;
    CHECK(ERRS, cols);
}

/* FROM/joins/scoping, set operations, VALUES, WITH, GROUP BY, ORDER BY,
 * windows, subqueries: output names and types. */
static void test_shapes(void **state)
{
    (void)state;
    CHECK(SHAPES, cols);
}

/* The five STEDI jobs: the query after the CTAS's AS, from the real files. */
static void test_stedi_jobs(void **state)
{
    (void)state;
    static const struct {
        const char *file, *want;
    } jobs[] = {
        {"customer_landing_to_trusted.sql",
         "customername varchar, email varchar, phone varchar, birthday varchar, serialnumber varchar, "
         "registrationdate bigint, lastupdatedate bigint, sharewithresearchasofdate bigint, "
         "sharewithpublicasofdate bigint, sharewithfriendsasofdate bigint"},
        {"accelerometer_landing_to_trusted.sql", "user varchar, timestamp bigint, x double, y double, z double"},
        {"customer_trusted_to_curated.sql",
         "customername varchar, email varchar, phone varchar, birthday varchar, serialnumber varchar, "
         "registrationdate bigint, lastupdatedate bigint, sharewithresearchasofdate bigint, "
         "sharewithpublicasofdate bigint, sharewithfriendsasofdate bigint"},
        {"step_trainer_trusted.sql", "sensorreadingtime bigint, serialnumber varchar, distancefromobject integer"},
        {"machine_learning_curated.sql",
         "sensorreadingtime bigint, serialnumber varchar, distancefromobject integer, timestamp bigint, x double, "
         "y double, z double"},
    };
    for (size_t i = 0; i < sizeof jobs / sizeof jobs[0]; i++) {
        char path[512], buf[8192];
        snprintf(path, sizeof path, "pipelines/stedi/jobs/%s", jobs[i].file);
        FILE *f = fopen(path, "r");
        if (!f) {
            snprintf(path, sizeof path, "../../pipelines/stedi/jobs/%s", jobs[i].file);
            f = fopen(path, "r");
        }
        assert_non_null(f);
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[n] = 0;
        const char *q = strstr(buf, ") AS\n");
        assert_non_null(q);
        assert_string_equal(cols(q + 5), jobs[i].want);
        ncases++;
    }
}

/* The typed tree: implicit casts, correlation, USING, grouping sets. */
static void test_dump(void **state)
{
    (void)state;
    static const kase D[] = {
        {"SELECT b / 1000.0 FROM t",
         "(select (cols (\"_col0\" decimal(21,1))) (items (op / : decimal(21,1) (cast implicit : decimal(19,0) "
         "(col #0.1 b : bigint)) (lit \"1000.0\" : decimal(5,1)))) (from (table #0 stedi.t)))"},
        {"SELECT i FROM t WHERE EXISTS (SELECT 1 FROM step_trainer_landing s WHERE s.distancefromobject = t.i)",
         "(select (cols (\"i\" integer)) (items (col #0.0 i : integer)) (from (table #0 stedi.t)) (where (exists : "
         "boolean (select correlated (cols (\"_col0\" integer)) (items (lit \"1\" : integer)) (from (table #1 "
         "stedi.step_trainer_landing as s)) (where (op = : boolean (col #1.2 distancefromobject : integer) (col #0.0 "
         "i outer 1 : integer)))))))"},
        {"SELECT serialnumber FROM step_trainer_landing JOIN step_trainer_trusted USING (serialnumber)",
         "(select (cols (\"serialnumber\" varchar)) (items (col #0.1 serialnumber : varchar)) (from (join inner "
         "(table #0 stedi.step_trainer_landing) (table #1 stedi.step_trainer_trusted) (using serialnumber) (on (op "
         "= : boolean (col #0.1 serialnumber : varchar) (col #1.1 serialnumber : varchar))))))"},
        {"SELECT s, i, count(*) FROM t GROUP BY ROLLUP (s, i)",
         "(select (cols (\"s\" varchar) (\"i\" integer) (\"_col2\" bigint)) (items (col #0.3 s : varchar) (col #0.0 "
         "i : integer) (call count * : bigint)) (from (table #0 stedi.t)) (group (col #0.3 s : varchar) (col #0.0 i "
         ": integer)) (set 0 1) (set 0) (set))"},
        {"SELECT 1 UNION ALL SELECT 2.5",
         "(setop (cols (\"_col0\" decimal(11,1))) union all (select (cols (\"_col0\" integer)) (items (lit \"1\" : "
         "integer))) (select (cols (\"_col0\" decimal(2,1))) (items (lit \"2.5\" : decimal(2,1)))) (left (cast "
         "implicit : decimal(11,1) (outref 0 _col0 : integer))) (right (cast implicit : decimal(11,1) (outref 0 "
         "_col0 : decimal(2,1)))))"},
        {"SELECT s, count(*) AS n FROM t GROUP BY 1 ORDER BY n DESC LIMIT 10",
         "(select (cols (\"s\" varchar) (\"n\" bigint)) (items (col #0.3 s : varchar) (call count * : bigint)) (from "
         "(table #0 stedi.t)) (group (col #0.3 s : varchar)) (order (desc (outref 1 n : bigint))) (limit 10))"},
        {"SELECT count(DISTINCT s) FILTER (WHERE bo) FROM t",
         "(select (cols (\"_col0\" bigint)) (items (call count distinct : bigint (col #0.3 s : varchar) (filter (col "
         "#0.6 bo : boolean)))) (from (table #0 stedi.t)) (group))"},
        {"SELECT CAST(s AS decimal(10,2)), TRY_CAST(s AS integer) FROM t",
         "(select (cols (\"_col0\" decimal(10,2)) (\"_col1\" integer)) (items (cast : decimal(10,2) (col #0.3 s : "
         "varchar)) (cast try : integer (col #0.3 s : varchar))) (from (table #0 stedi.t)))"},
        {"SELECT row_number() OVER (PARTITION BY s ORDER BY i DESC) FROM t",
         "(select (cols (\"_col0\" bigint)) (items (call row_number : bigint (over (partition (col #0.3 s : varchar)) "
         "(order (desc (col #0.0 i : integer)))))) (from (table #0 stedi.t)))"},
        {"EXPLAIN SELECT 1", "(explain (select (cols (\"_col0\" integer)) (items (lit \"1\" : integer))))"},
    };
    CHECK(D, dump);
}

/* Positions follow the parser's line:col across lines. */
static void test_positions(void **state)
{
    (void)state;
    assert_string_equal(cols("SELECT i,\n       emial\nFROM t"),
                        "ERR not found: q.sql:2:8: Column 'emial' cannot be resolved (did you mean 'email'?)");
    assert_string_equal(cols("SELECT *\nFROM t\nWHERE i\n   + 1"),
                        "ERR bad data: q.sql:4:4: WHERE clause must evaluate to a boolean: actual type integer");
    /* (an operator is positioned at its token, as Trino positions it) */
    assert_string_equal(cols("SELECT 1\nUNION\nSELECT 'a'"),
                        "ERR bad data: q.sql:2:1: column 1 in UNION query has incompatible types: integer, varchar(1)");
    ncases += 3;
}

/* Bounded recursion: deep trees end in LH_ELIMIT or bind, never overflow the stack. */
static void test_limits(void **state)
{
    (void)state;
    size_t n = 4000, k = 450; /* the parser allows 1,000 levels of nesting */
    char *q = malloc(n * 2 + k * 40 + 64);
    assert_non_null(q);
    strcpy(q, "SELECT 1");
    for (size_t i = 1; i < n; i++)
        strcat(q, "+1");
    assert_string_equal(cols(q), "ERR limit exceeded: q.sql:1:2007: Expression is nested too deeply (more than 3000 levels)");
    q[0] = 0;
    for (size_t i = 0; i < k; i++)
        strcat(q, "SELECT (");
    strcat(q, "SELECT 1");
    for (size_t i = 0; i < k; i++)
        strcat(q, ")");
    assert_string_equal(cols(q), "_col0 integer");
    free(q);
    /* ORDER BY inside a call: aggregates only */
    assert_string_equal(cols("SELECT max_by(s, i ORDER BY b) FROM t"), "_col0 varchar");
    assert_string_equal(cols("SELECT abs(i ORDER BY b) FROM t"),
                        "ERR invalid argument: q.sql:1:8: ORDER BY is only valid for aggregation functions");
    ncases += 4;
}

/* Every allocation failure is a clean LH_ENOMEM with nothing leaked (ASan). */
static void test_alloc_faults(void **state)
{
    (void)state;
    static const char *const qs[] = {
        "WITH x AS (SELECT s, count(*) AS n FROM t GROUP BY ROLLUP (s)) "
        "SELECT a.\"user\", round(100.0 * sum(a.x) / count(*), 2), row_number() OVER (ORDER BY a.\"user\") "
        "FROM accelerometer_trusted a JOIN customer_trusted c ON a.\"user\" = c.email "
        "LEFT JOIN x ON x.s = c.email WHERE c.email IN (SELECT email FROM customer_landing) "
        "AND EXISTS (SELECT 1 FROM t WHERE t.s = a.\"user\") GROUP BY a.\"user\" ORDER BY 2 DESC LIMIT 5",
        "SELECT emial FROM customer_landing",
        "SELECT 1 UNION SELECT 2.5 UNION SELECT NULL",
        "VALUES (1, 'a'), (2, 'bb')",
        "SELECT * FROM step_trainer_landing JOIN step_trainer_trusted USING (serialnumber)",
    };
    for (size_t k = 0; k < sizeof qs / sizeof qs[0]; k++) {
        lh_ast *ast = NULL;
        lh_err err;
        assert_int_equal(lh_parse_query(qs[k], strlen(qs[k]), "q.sql", &ast, &err), LH_OK);
        lh_rc want;
        {
            lh_bound *b = NULL;
            want = lh_analyze(ast, &MEM_SCHEMA, "q.sql", &b, &err);
            lh_bound_free(b);
        }
        int done = 0;
        for (long n = 1; n < 100000 && !done; n++) {
            lh_bound *b = NULL;
            lh_fault_alloc_set(n);
            lh_rc rc = lh_analyze(ast, &MEM_SCHEMA, "q.sql", &b, &err);
            lh_fault_alloc_set(0);
            if (rc == LH_ENOMEM) {
                assert_null(b);
                continue;
            }
            assert_int_equal(rc, want);
            if (rc == LH_OK) {
                lh_buf buf;
                lh_buf_init(&buf, 0);
                assert_int_equal(lh_bound_dump(b, &buf, &err), LH_OK);
                lh_buf_free(&buf);
            }
            lh_bound_free(b);
            done = 1;
        }
        assert_true(done);
        lh_ast_free(ast);
        ncases++;
    }
}

/* The catalog provider: Hive types mapped, "$path" hidden, nested refused by column. */
static void test_catalog_schema(void **state)
{
    (void)state;
    char *dir = lh_test_tmpdir();
    assert_non_null(dir);
    char path[4200];
    snprintf(path, sizeof path, "%s/catalog.db", dir);
    lh_catalog *cat = NULL;
    lh_err err;
    assert_int_equal(lh_catalog_open(path, &cat, &err), LH_OK);
    assert_int_equal(lh_catalog_create_database(cat, "stedi", 0, NULL, &err), LH_OK);
    lh_column cols_[] = {{"email", "string", NULL}, {"age", "int", NULL}, {"amount", "decimal(10,2)", NULL},
                         {"at", "timestamp", NULL}, {"tags", "array<string>", NULL}};
    lh_table_def d;
    memset(&d, 0, sizeof d);
    d.db = "stedi";
    d.name = "people";
    d.format = "json";
    d.location = "s3://b/people/";
    d.cols = cols_;
    d.n_cols = 5;
    assert_int_equal(lh_catalog_create_table(cat, &d, 0, &err), LH_OK);
    lh_schema sc = lh_schema_from_catalog(cat, "stedi");
    static const kase K[] = {
        {"SELECT email, age, amount, at FROM people", "email varchar, age integer, amount decimal(10,2), at timestamp(3)"},
        {"SELECT \"$path\", amount * 2 FROM stedi.people", "$path varchar, _col1 decimal(20,2)"},
        {"SELECT tags FROM people", "ERR not supported: q.sql:1:8: Column 'tags': complex type 'array<string>' is "
                                    "not supported; use string to read it as JSON text"},
        {"SELECT * FROM peple", "ERR not found: q.sql:1:15: Table 'stedi.peple' does not exist (did you mean "
                                "'stedi.people'?)"},
        {"SELECT 1 FROM other.people", "ERR not found: q.sql:1:15: Table 'other.people' does not exist"},
    };
    for (size_t i = 0; i < sizeof K / sizeof K[0]; i++) {
        lh_ast *ast = NULL;
        lh_bound *b = NULL;
        char got[2048] = "";
        assert_int_equal(lh_parse_query(K[i].in, strlen(K[i].in), "q.sql", &ast, &err), LH_OK);
        lh_rc rc = lh_analyze(ast, &sc, "q.sql", &b, &err);
        if (rc)
            snprintf(got, sizeof got, "ERR %s: %s", lh_strerror(rc), err.msg);
        else {
            size_t len = 0;
            for (size_t c = 0; c < lh_bound_ncols(b); c++) {
                char t[LH_SQLTYPE_NAME_MAX];
                len += (size_t)snprintf(got + len, sizeof got - len, "%s%s %s", c ? ", " : "", lh_bound_col_name(b, c),
                                        lh_sqltype_name(lh_bound_col_type(b, c), t, sizeof t));
            }
        }
        assert_string_equal(got, K[i].want);
        lh_bound_free(b);
        lh_ast_free(ast);
        ncases++;
    }
    lh_catalog_close(cat);
    lh_test_rmrf(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_types),       cmocka_unit_test(test_errors),      cmocka_unit_test(test_shapes),
        cmocka_unit_test(test_stedi_jobs),  cmocka_unit_test(test_dump),        cmocka_unit_test(test_positions),
        cmocka_unit_test(test_limits), cmocka_unit_test(test_alloc_faults), cmocka_unit_test(test_catalog_schema),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    fprintf(stderr, "test_analyze: %d cases\n", ncases);
    return rc;
}
