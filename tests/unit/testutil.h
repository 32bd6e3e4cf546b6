/* tests/unit/testutil.h — shared helpers for the cmocka unit tests. */
#ifndef LH_TESTUTIL_H
#define LH_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h> /* program_invocation_short_name */
#include <unistd.h>

#include <cmocka.h>

/* A fresh empty folder under $TMPDIR (or /tmp); caller frees the string. */
static inline char *lh_test_tmpdir(void)
{
    const char *base = getenv("TMPDIR");
    char *tmpl = malloc(4096);
    if (!tmpl)
        return NULL;
    snprintf(tmpl, 4096, "%s/lhtest-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(tmpl)) {
        free(tmpl);
        return NULL;
    }
    return tmpl;
}

/* rm -rf path (test cleanup only). */
static inline void lh_test_rmrf(const char *path)
{
    char cmd[4300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    if (system(cmd) != 0)
        fprintf(stderr, "warning: could not remove %s\n", path);
}

/* Outside test data.  Everything a unit test reads from outside this
 * repository lives under one folder: $LAKEHOUSE_TEST_DATA, default ../shared
 * beside the repository (the Makefile compiles that path in as
 * LH_TEST_DATA_DEFAULT; tests/testdata.sh says the same for the shell
 * tests).  What is looked for there:
 *   "stedi"            stedi/{customer,accelerometer,step_trainer}/landing/ (JSON lines):
 *                      the real STEDI Human Balance Analytics landing JSON
 *                      (Udacity's nd027-Data-Engineering-Data-Lakes-AWS-Exercises
 *                      repository, folder project/starter); test_report,
 *                      test_functions and test_jsonl read it;
 *   "jsontestsuite"    corpora/JSONTestSuite/test_parsing/: the public
 *                      nst/JSONTestSuite repository's test_parsing/ (test_json);
 *   "parquet-testing"  corpora/parquet-testing/{tier1,tier2,bad_data,expected-duckdb}/:
 *                      the public apache/parquet-testing repository's files,
 *                      with DuckDB's reading of each (test_pq_corpus).
 * A test whose data is absent calls LH_TEST_NEED and is reported by cmocka
 * as SKIPPED, with a line naming the missing path, never as passed.
 * STEDI_DIR, if set, still names the stedi folder itself. */
#ifndef LH_TEST_DATA_DEFAULT
#define LH_TEST_DATA_DEFAULT "../shared"
#endif

/* The data folder, absolute when it exists (resolved once). */
static inline const char *lh_test_data_dir(void)
{
    static char dir[4096];
    if (!dir[0]) {
        const char *d = getenv("LAKEHOUSE_TEST_DATA");
        char *abs;
        if (!d || !*d)
            d = LH_TEST_DATA_DEFAULT;
        abs = realpath(d, NULL);
        snprintf(dir, sizeof dir, "%s", abs ? abs : d);
        free(abs);
    }
    return dir;
}

/* Where data set `name` (see above) lives: a static string. */
static inline const char *lh_test_data_root(const char *name)
{
    static char path[3][4352];
    static int k;
    const char *sub = !strcmp(name, "stedi")           ? "stedi"
                      : !strcmp(name, "jsontestsuite") ? "corpora/JSONTestSuite/test_parsing"
                                                       : "corpora/parquet-testing";
    const char *sd = getenv("STEDI_DIR");
    k = (k + 1) % 3;
    if (!strcmp(name, "stedi") && sd && *sd)
        snprintf(path[k], sizeof path[k], "%s", sd);
    else
        snprintf(path[k], sizeof path[k], "%s/%s", lh_test_data_dir(), sub);
    return path[k];
}

/* Path of the STEDI landing data (LAKEHOUSE_TEST_DATA/stedi). */
static inline const char *lh_test_stedi_dir(void)
{
    return lh_test_data_root("stedi");
}

/* NULL when `rel` (a file or folder inside data set `name`; NULL: the
 * files that say the set is there) exists; else the first missing path (a
 * static string). */
static inline const char *lh_test_missing(const char *name, const char *rel)
{
    static const char *const stedi_parts[] = {"customer/landing/customer-1691348231425.json", "accelerometer/landing",
                                              "step_trainer/landing", NULL};
    static const char *const json_parts[] = {"y_structure_lonely_true.json", NULL};
    static const char *const pq_parts[] = {"tier1/alltypes_plain.parquet", "expected-duckdb", NULL};
    const char *const *parts = !strcmp(name, "stedi")           ? stedi_parts
                               : !strcmp(name, "jsontestsuite") ? json_parts
                                                                : pq_parts;
    const char *root = lh_test_data_root(name);
    static char path[4608];
    size_t i;
    for (i = 0; rel ? i == 0 : parts[i] != NULL; i++) {
        snprintf(path, sizeof path, "%s/%s", root, rel ? rel : parts[i]);
        if (access(path, R_OK) != 0)
            return path;
    }
    return NULL;
}

/* Nonzero when lh_test_missing(name, rel) finds nothing missing; else
 * prints which path is missing and where to get it, and notes the skip of
 * `test` in $LAKEHOUSE_SKIP_LOG (when set). */
static inline int lh_test_have(const char *name, const char *rel, const char *test)
{
    const char *path = lh_test_missing(name, rel), *from, *log;
    if (path) {
        from = !strcmp(name, "stedi") ? "the real STEDI landing JSON: get it from Udacity's "
                                        "nd027-Data-Engineering-Data-Lakes-AWS-Exercises repository, folder project/starter"
               : !strcmp(name, "jsontestsuite") ? "get test_parsing/ from the public nst/JSONTestSuite repository"
                                                : "the files come from the public apache/parquet-testing repository";
        print_message("skip %s: needs %s (LAKEHOUSE_TEST_DATA=%s); %s\n", test, path, lh_test_data_dir(), from);
        log = getenv("LAKEHOUSE_SKIP_LOG");
        if (log && *log) {
            FILE *fp = fopen(log, "a");
            if (fp) {
                fprintf(fp, "unit %s/%s (needs %s; %s)\n", program_invocation_short_name, test, path, from);
                fclose(fp);
            }
        }
        return 0;
    }
    return 1;
}

/* Skip the calling test unless data set `name` (and `rel` inside it, when
 * not NULL) is there. */
#define LH_TEST_NEED(name, rel)                                                                                        \
    do {                                                                                                               \
        if (!lh_test_have((name), (rel), __func__))                                                                    \
            skip();                                                                                                    \
    } while (0)

#ifdef LH_TESTUTIL_STORE_FIXTURE
#include "store/store.h"

/* A local object store in a fresh temporary folder, for cmocka setup and
 * teardown (define LH_TESTUTIL_STORE_FIXTURE before including). */
typedef struct fixture {
    char *root;
    lh_store *st;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    lh_err err;
    assert_non_null(f);
    f->root = lh_test_tmpdir();
    assert_non_null(f->root);
    assert_int_equal(lh_store_open_local(f->root, &f->st, &err), LH_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    lh_store_close(f->st);
    lh_test_rmrf(f->root);
    free(f->root);
    free(f);
    return 0;
}
#endif

#endif
