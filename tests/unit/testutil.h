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

#endif
