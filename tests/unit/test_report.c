/* tests/unit/test_report.c — the run report and the pipeline graph: a lake
 * built from the real STEDI data through the library (ingest, run, report)
 * must show the eight counts with their marks, the graph with 8 tables and
 * 5 jobs, the consent facts; a hostile lake checks escaping and n/a parts.
 * The real data is LAKEHOUSE_TEST_DATA/stedi (testutil.h); without it the
 * tests that read it are skipped by name and the others still run. */
#include "testutil.h"

#include <errno.h>
#include <sys/stat.h>

#include "catalog/catalog.h"
#include "pipeline/graph.h"
#include "pipeline/ingest.h"
#include "pipeline/pipeline.h"
#include "pipeline/report.h"
#include "sql/engine.h"
#include "store/store.h"
#include "util/mem.h"

/* Graphviz 2.42 and fontconfig keep some memory until exit (layout caches,
 * plugin config); those allocations are theirs, not ours. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libgvc.so\nleak:libcgraph.so\nleak:libgvplugin_\nleak:libfontconfig.so\nleak:libpango\n"
           "leak:libcairo\nleak:libglib\nleak:libgobject\n";
}

typedef struct lake {
    char *dir;
    lh_store *store;
    lh_catalog *cat;
    lh_engine *e;
    lh_pipeline *p;
} lake;

static const lh_report_opts k_opts = {NULL, 1, 10, 5, "2024-01-01 00:00:00 UTC"};

static int lake_open(lake *l, const char *dir)
{
    lh_err err = {0};
    char *cat = NULL;
    int rc;
    memset(l, 0, sizeof *l);
    l->dir = strdup(dir);
    cat = lh_aprintf("%s/.lakehouse/catalog.db", dir);
    rc = !l->dir || !cat || lh_store_open_local(dir, &l->store, &err) || lh_catalog_open(cat, &l->cat, &err) ||
         lh_engine_open(l->store, l->cat, &l->e, &err);
    if (rc)
        fprintf(stderr, "lake_open %s: %s\n", dir, err.msg);
    lh_free(cat);
    return rc;
}

static void lake_close(lake *l)
{
    lh_pipeline_free(l->p);
    lh_engine_close(l->e);
    lh_catalog_close(l->cat);
    lh_store_close(l->store);
    free(l->dir);
    memset(l, 0, sizeof *l);
}

typedef struct fixture {
    char *tmp;
    lake real;
    char *html; /* the real-data report */
    char *svg;
    char *dot;
    int have_real; /* the real STEDI data was there and its lake is built */
} fixture;

/* The fixture of a test that reads the real-data lake; without the real
 * data the test is skipped, by name. */
static fixture *real_fixture(void **state, const char *test)
{
    fixture *f = *state;
    if (!f->have_real && !lh_test_have("stedi", NULL, test))
        skip();
    return f;
}
#define REAL_FIXTURE(state) real_fixture((state), __func__)

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    lh_err err = {0};
    lh_ingest_stats st;
    lh_buf b;
    char *dir;
    if (!f || !(f->tmp = lh_test_tmpdir()))
        return -1;
    dir = lh_aprintf("%s/lake", f->tmp);
    if (!dir || lake_open(&f->real, dir))
        return -1;
    lh_free(dir);
    *state = f;
    if (lh_test_missing("stedi", NULL))
        return 0; /* each real-data test says skip */
    if (lh_ingest(f->real.store, lh_test_stedi_dir(), "s3://stedi-lakehouse/", &st, &err) ||
        lh_pipeline_load("pipelines/stedi", &f->real.p, &err) ||
        lh_pipeline_run(f->real.p, f->real.e, NULL, NULL, &err)) {
        fprintf(stderr, "setup: %s\n", err.msg);
        return -1;
    }
    lh_buf_init(&b, 0);
    if (lh_report_write(f->real.e, f->real.p, &b, &k_opts, &err)) {
        fprintf(stderr, "report: %s\n", err.msg);
        return -1;
    }
    f->html = lh_buf_detach(&b);
    if (lh_graph_svg(f->real.p, f->real.cat, &b, &err)) {
        fprintf(stderr, "svg: %s\n", err.msg);
        return -1;
    }
    f->svg = lh_buf_detach(&b);
    if (lh_graph_dot(f->real.p, f->real.cat, &b, &err)) {
        fprintf(stderr, "dot: %s\n", err.msg);
        return -1;
    }
    f->dot = lh_buf_detach(&b);
    f->have_real = 1;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    if (!f)
        return 0;
    lake_close(&f->real);
    lh_free(f->html);
    lh_free(f->svg);
    lh_free(f->dot);
    if (f->tmp) {
        lh_test_rmrf(f->tmp);
        free(f->tmp);
    }
    free(f);
    return 0;
}

static size_t count_of(const char *hay, const char *needle)
{
    size_t n = 0, k = strlen(needle);
    const char *p = hay;
    while ((p = strstr(p, needle)) != NULL) {
        n++;
        p += k;
    }
    return n;
}

/* The text between the first `start` and the next `end` after it (static copy). */
static const char *between(const char *hay, const char *start, const char *end)
{
    static char buf[1 << 20];
    const char *a = strstr(hay, start), *b;
    if (!a)
        return "";
    b = strstr(a, end);
    if (!b)
        b = a + strlen(a);
    snprintf(buf, sizeof buf, "%.*s", (int)(b - a), a);
    return buf;
}

static void test_counts_first_with_marks(void **state)
{
    fixture *f = REAL_FIXTURE(state);
    static const struct {
        const char *table, *zone, *rows;
    } want[] = {
        {"stedi.customer_landing", "landing", "956"},       {"stedi.accelerometer_landing", "landing", "81,273"},
        {"stedi.step_trainer_landing", "landing", "28,680"}, {"stedi.customer_trusted", "trusted", "482"},
        {"stedi.accelerometer_trusted", "trusted", "40,981"}, {"stedi.customer_curated", "curated", "482"},
        {"stedi.step_trainer_trusted", "trusted", "14,460"},  {"stedi.machine_learning_curated", "curated", "43,681"},
    };
    char key[256], cell[64], zone[64];
    size_t i;
    const char *first_table = strstr(f->html, "<table");
    assert_non_null(first_table);
    assert_ptr_equal(first_table, strstr(f->html, "<table class=\"counts\">"));
    assert_true(strstr(f->html, "<table class=\"counts\">") < strstr(f->html, "id=\"zone-landing\""));
    assert_non_null(strstr(f->html, "All 8 tables have the expected row counts."));
    assert_int_equal(count_of(between(f->html, "<table class=\"counts\">", "</table>"), "<tr class=\"pass\""), 8);
    for (i = 0; i < sizeof want / sizeof want[0]; i++) {
        const char *row;
        snprintf(key, sizeof key, "<tr class=\"pass\" data-table=\"%s\">", want[i].table);
        row = between(f->html, key, "</tr>");
        assert_true(row[0] != 0);
        snprintf(zone, sizeof zone, "<td>%s</td>", want[i].zone);
        assert_non_null(strstr(row, zone));
        snprintf(cell, sizeof cell, "<td class=\"num\">%s</td>", want[i].rows);
        assert_int_equal(count_of(row, cell), 2); /* expected and actual */
        assert_non_null(strstr(row, "&#10003; ok"));
        /* the table's own section says the same */
        snprintf(key, sizeof key, "<article class=\"table\" id=\"t-%s\">", want[i].table);
        row = between(f->html, key, "</article>");
        snprintf(cell, sizeof cell, "%s rows &middot; expected %s", want[i].rows, want[i].rows);
        assert_non_null(strstr(row, cell));
        assert_non_null(strstr(row, "First 10 rows"));
        assert_int_equal(count_of(between(row, "<table class=\"preview\">", "</table>"), "<tr>"), 11);
    }
    assert_null(strstr(f->html, "FAIL"));
}

static void test_zones_columns_runs(void **state)
{
    fixture *f = REAL_FIXTURE(state);
    const char *l = strstr(f->html, "<section id=\"zone-landing\">");
    const char *t = strstr(f->html, "<section id=\"zone-trusted\">");
    const char *c = strstr(f->html, "<section id=\"zone-curated\">");
    const char *art, *runs;
    assert_non_null(l);
    assert_non_null(t);
    assert_non_null(c);
    assert_true(l < t && t < c);
    art = between(f->html, "id=\"t-stedi.customer_landing\"", "</article>");
    assert_non_null(strstr(art, "<td><code>sharewithresearchasofdate</code></td><td><code>bigint</code></td>"));
    assert_non_null(strstr(art, "from deserializer"));
    assert_non_null(strstr(art, "external table"));
    art = between(f->html, "id=\"t-stedi.accelerometer_landing\"", "</article>");
    assert_non_null(strstr(art, "<td><code>x</code></td><td><code>double</code></td>"));
    assert_non_null(strstr(art, "the customer&#39;s email")); /* comment with a quote, escaped */
    runs = between(f->html, "<section id=\"runs\">", "</section>");
    assert_int_equal(count_of(runs, "<h3>"), 5);
    assert_int_equal(count_of(runs, "&#10003; succeeded"), 5);
    assert_non_null(strstr(runs, "<h3>machine_learning_curated"));
    assert_non_null(strstr(runs, "<td class=\"num\">43,681</td>"));
    assert_non_null(strstr(f->html, "last runs: 5 of 5 jobs succeeded"));
}

static void test_graph_nodes(void **state)
{
    fixture *f = REAL_FIXTURE(state);
    const char *sec = between(f->html, "<section id=\"graph\">", "</section>");
    /* the standalone SVG */
    assert_non_null(strstr(f->svg, "<svg"));
    assert_int_equal(count_of(f->svg, "class=\"node table\""), 8);
    assert_int_equal(count_of(f->svg, "class=\"node job succeeded\""), 5);
    assert_int_equal(count_of(f->svg, "<g id=\"table_"), 8);
    assert_int_equal(count_of(f->svg, "<g id=\"job_"), 5);
    assert_int_equal(count_of(f->svg, "class=\"edge read\""), 9);
    assert_int_equal(count_of(f->svg, "class=\"edge write\""), 5);
    assert_non_null(strstr(f->svg, "<g id=\"job_machine_learning_curated\" class=\"node job succeeded\">"));
    assert_non_null(strstr(f->svg, " rows in, 43,681 out</text>"));
    /* inline in the page, without the XML prolog */
    assert_non_null(strstr(sec, "<svg"));
    assert_null(strstr(f->html, "<?xml"));
    assert_null(strstr(f->html, "<!DOCTYPE svg"));
    assert_int_equal(count_of(sec, "<g id=\"table_"), 8);
    assert_int_equal(count_of(sec, "<g id=\"job_"), 5);
    /* DOT: zone clusters left to right, jobs with their last run */
    assert_non_null(strstr(f->dot, "rankdir=LR"));
    assert_true(strstr(f->dot, "label=\"landing\"") < strstr(f->dot, "label=\"trusted\""));
    assert_true(strstr(f->dot, "label=\"trusted\"") < strstr(f->dot, "label=\"curated\""));
    assert_int_equal(count_of(f->dot, "\\nsucceeded in "), 5);
    assert_non_null(strstr(f->dot, "\"table:stedi.customer_curated\" -> \"job:step_trainer_trusted\""));
    assert_non_null(strstr(f->dot, "\"job:machine_learning_curated\" -> \"table:stedi.machine_learning_curated\""));
}

static const char *fact_value(const char *html, const char *id)
{
    char key[128];
    static char val[64];
    const char *row, *v, *end;
    snprintf(key, sizeof key, "<tr id=\"fact-%s\"", id);
    row = between(html, key, "</tr>");
    v = strstr(row, "class=\"num value\">");
    if (!v)
        return "";
    v += strlen("class=\"num value\">");
    end = strchr(v, '<');
    snprintf(val, sizeof val, "%.*s", (int)(end ? end - v : 0), v);
    return val;
}

static void test_consent_facts(void **state)
{
    fixture *f = REAL_FIXTURE(state);
    assert_string_equal(fact_value(f->html, "consented"), "482");
    assert_string_equal(fact_value(f->html, "customer-trusted-no-consent"), "0");
    assert_string_equal(fact_value(f->html, "customer-curated-no-consent"), "0");
    assert_string_equal(fact_value(f->html, "accelerometer-trusted-no-consent"), "0");
    assert_string_equal(fact_value(f->html, "step-trainer-trusted-no-consent"), "0");
    assert_string_equal(fact_value(f->html, "ml-device-no-consent"), "0");
    assert_string_equal(fact_value(f->html, "ml-reading-no-consent"), "0");
    assert_string_equal(fact_value(f->html, "ml-cross-customer"), "2,700");
    assert_string_equal(fact_value(f->html, "readings-before-consent"), "8,956");
    assert_int_equal(count_of(between(f->html, "<section id=\"consent\">", "</section>"), "&#10003; ok (must be 0)"),
                     6);
    /* the queries are the report's own, not the jobs' */
    assert_non_null(strstr(f->html, "max(CASE WHEN sharewithresearchasofdate IS NOT NULL THEN 1 ELSE 0 END)"));
}

static void test_self_contained(void **state)
{
    fixture *f = REAL_FIXTURE(state);
    const char *p = f->html;
    assert_int_equal(strncmp(f->html, "<!DOCTYPE html>", 15), 0);
    assert_null(strstr(f->html, "<script"));
    assert_null(strstr(f->html, "<link"));
    assert_null(strstr(f->html, " src="));
    assert_null(strstr(f->html, "url("));
    assert_non_null(strstr(f->html, "@media print"));
    assert_non_null(strstr(f->html, "@media (max-width:"));
    assert_non_null(strstr(f->html, "name=\"viewport\""));
    while ((p = strstr(p, "href=\"")) != NULL) { /* only in-page links */
        p += 6;
        assert_int_equal(*p, '#');
    }
    assert_non_null(strstr(f->html, "2024-01-01 00:00:00 UTC"));
}

static void test_escape_function(void **state)
{
    lh_buf b;
    const char in[] = "a&b<c>\"d'e\x01" "f\tg";
    (void)state;
    lh_buf_init(&b, 0);
    assert_int_equal(lh_html_escape(&b, in, sizeof in - 1, NULL), LH_OK);
    assert_string_equal(lh_buf_cstr(&b), "a&amp;b&lt;c&gt;&quot;d&#39;e\xEF\xBF\xBD" "f\tg");
    lh_buf_reset(&b);
    assert_int_equal(lh_html_escape(&b, "<b>", 2, NULL), LH_OK); /* only n bytes */
    assert_string_equal(lh_buf_cstr(&b), "&lt;b");
    lh_buf_free(&b);
}

static int write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "wb");
    if (!fp)
        return -1;
    fputs(text, fp);
    return fclose(fp);
}

/* A pipeline over hostile data: a customer named <script>, a column comment
 * with quotes and ampersands, a job that fails with markup in its error. */
static void test_hostile_names_escaped(void **state)
{
    fixture *f = *state;
    lake h;
    lh_err err = {0};
    lh_ingest_stats st;
    lh_buf b;
    char *base = lh_aprintf("%s/hostile", f->tmp), *path = NULL;
    const char *html, *row;
    assert_non_null(base);
    assert_int_equal(mkdir(base, 0755), 0);
    path = lh_aprintf("%s/data", base);
    assert_int_equal(mkdir(path, 0755), 0);
    lh_free(path);
    path = lh_aprintf("%s/data/customers.json", base);
    assert_int_equal(write_file(path,
                                "{\"customerName\":\"<script>alert(1)</script>\",\"email\":\"evil@x.test\","
                                "\"serialNumber\":\"s-1\",\"shareWithResearchAsOfDate\":1600000000000}\n"
                                "{\"customerName\":\"Tom & Jerry's \\\"shop\\\"\",\"email\":\"tj@x.test\","
                                "\"serialNumber\":\"<img src=x onerror=alert(2)>\",\"shareWithResearchAsOfDate\":null}\n"),
                     0);
    lh_free(path);
    path = lh_aprintf("%s/pipe", base);
    assert_int_equal(mkdir(path, 0755), 0);
    lh_free(path);
    path = lh_aprintf("%s/pipe/ddl", base);
    assert_int_equal(mkdir(path, 0755), 0);
    lh_free(path);
    path = lh_aprintf("%s/pipe/jobs", base);
    assert_int_equal(mkdir(path, 0755), 0);
    lh_free(path);
    path = lh_aprintf("%s/pipe/ddl/customer_landing.sql", base);
    assert_int_equal(
        write_file(path, "CREATE DATABASE IF NOT EXISTS hostile;\n"
                         "CREATE EXTERNAL TABLE IF NOT EXISTS hostile.customer_landing (\n"
                         "  customername string COMMENT 'it''s \"quoted\" & <b>bold</b>',\n"
                         "  email string, serialnumber string, sharewithresearchasofdate bigint)\n"
                         "ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'\n"
                         "LOCATION 's3://hostile/customer/landing/'\n"
                         "TBLPROPERTIES ('classification'='json');\n"),
        0);
    lh_free(path);
    path = lh_aprintf("%s/pipe/jobs/customer_trusted.sql", base);
    assert_int_equal(write_file(path, "CREATE TABLE hostile.customer_trusted WITH (format='JSON', "
                                      "external_location='s3://hostile/customer/trusted/') AS\n"
                                      "SELECT \"<script>x</script>\" FROM hostile.customer_landing;\n"),
                     0);
    lh_free(path);
    path = lh_aprintf("%s/pipe/expected_counts.csv", base);
    assert_int_equal(write_file(path, "zone,table,rows\nlanding,hostile.customer_landing,2\n"
                                      "trusted,hostile.customer_trusted,1\n"),
                     0);
    lh_free(path);
    path = lh_aprintf("%s/lake", base);
    assert_int_equal(lake_open(&h, path), 0);
    lh_free(path);
    path = lh_aprintf("%s/data/customers.json", base);
    assert_int_equal(lh_ingest(h.store, path, "s3://hostile/customer/landing/", &st, &err), LH_OK);
    lh_free(path);
    path = lh_aprintf("%s/pipe", base);
    assert_int_equal(lh_pipeline_load(path, &h.p, &err), LH_OK);
    lh_free(path);
    assert_int_not_equal(lh_pipeline_run(h.p, h.e, NULL, NULL, &err), LH_OK); /* the job fails */

    lh_buf_init(&b, 0);
    assert_int_equal(lh_report_write(h.e, h.p, &b, &k_opts, &err), LH_OK);
    html = lh_buf_cstr(&b);
    assert_null(strstr(html, "<script"));
    assert_null(strstr(html, "<img"));
    assert_null(strstr(html, "<b>"));
    assert_non_null(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_non_null(strstr(html, "&lt;img src=x onerror=alert(2)&gt;"));
    assert_non_null(strstr(html, "Tom &amp; Jerry&#39;s &quot;shop&quot;"));
    assert_non_null(strstr(html, "it&#39;s &quot;quoted&quot; &amp; &lt;b&gt;bold&lt;/b&gt;"));
    /* the failed job: its error text is shown, escaped; its table is n/a */
    row = between(html, "<section id=\"runs\">", "</section>");
    assert_non_null(strstr(row, "&#10007; failed"));
    assert_non_null(strstr(row, "&lt;script&gt;x&lt;/script&gt;"));
    row = between(html, "<tr class=\"fail\" data-table=\"hostile.customer_trusted\">", "</tr>");
    assert_non_null(strstr(row, "<span class=\"na\">n/a</span>"));
    assert_non_null(strstr(row, "&#10007; FAIL"));
    assert_non_null(strstr(html, "1 of 2 tables differ"));
    /* consent facts: the one that can run does; the others say n/a with the error */
    assert_string_equal(fact_value(html, "consented"), "1");
    row = between(html, "<tr id=\"fact-ml-cross-customer\"", "</tr>");
    assert_non_null(strstr(row, "<span class=\"na\">n/a</span>"));
    assert_non_null(strstr(row, "machine_learning_curated"));
    /* the graph still draws: 2 tables, 1 job that failed */
    row = between(html, "<section id=\"graph\">", "</section>");
    assert_int_equal(count_of(row, "<g id=\"table_"), 2);
    assert_int_equal(count_of(row, "<g id=\"job_"), 1);
    assert_non_null(strstr(row, "failed in "));
    lh_buf_free(&b);

    /* fault injection: every early allocation failure is an error or a page, never a crash or leak */
    {
        long n, total;
        lh_buf_init(&b, 0);
        lh_fault_alloc_set(0);
        assert_int_equal(lh_report_write(h.e, h.p, &b, &k_opts, &err), LH_OK);
        total = lh_fault_alloc_count();
        lh_buf_free(&b);
        for (n = 1; n <= total; n += n < 200 ? 1 : n / 20) {
            lh_err ferr = {0};
            lh_rc rc;
            lh_buf_init(&b, 0);
            lh_fault_alloc_set(n);
            rc = lh_report_write(h.e, h.p, &b, &k_opts, &ferr);
            lh_fault_alloc_set(0);
            if (rc)
                assert_true(ferr.msg[0] != 0);
            else
                assert_non_null(strstr(lh_buf_cstr(&b), "</html>"));
            lh_buf_free(&b);
        }
    }
    lake_close(&h);
    lh_free(base);
}

static void test_write_file_and_errors(void **state)
{
    fixture *f = REAL_FIXTURE(state);
    lh_err err = {0};
    char *path = lh_aprintf("%s/out.html", f->tmp), *bad = lh_aprintf("%s/no/such/dir/r.html", f->tmp);
    char head[16] = {0};
    FILE *fp;
    lh_buf b;
    assert_int_equal(lh_report_write_file(f->real.e, f->real.p, path, NULL, &err), LH_OK);
    fp = fopen(path, "rb");
    assert_non_null(fp);
    assert_int_equal(fread(head, 1, 15, fp), 15);
    fclose(fp);
    assert_string_equal(head, "<!DOCTYPE html>");
    assert_int_not_equal(lh_report_write_file(f->real.e, f->real.p, bad, NULL, &err), LH_OK);
    assert_non_null(strstr(err.msg, "no/such/dir/r.html"));
    /* bad DOT text is a parse error naming Graphviz */
    lh_buf_init(&b, 0);
    assert_int_equal(lh_graph_render_svg("digraph { a -> ", 15, &b, &err), LH_EPARSE);
    assert_non_null(strstr(err.msg, "graphviz"));
    assert_int_equal(b.len, 0);
    lh_buf_free(&b);
    lh_free(path);
    lh_free(bad);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts_first_with_marks), cmocka_unit_test(test_zones_columns_runs),
        cmocka_unit_test(test_graph_nodes),             cmocka_unit_test(test_consent_facts),
        cmocka_unit_test(test_self_contained),          cmocka_unit_test(test_escape_function),
        cmocka_unit_test(test_hostile_names_escaped),   cmocka_unit_test(test_write_file_and_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
