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

/* Path of the shared STEDI data (../shared/stedi relative to the repo, or $STEDI_DIR). */
static inline const char *lh_test_stedi_dir(void)
{
    const char *d = getenv("STEDI_DIR");
    return d && *d ? d : "../shared/stedi";
}

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
