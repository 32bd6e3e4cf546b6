/* catalog/readonly.c — opening a catalog that cannot be written: a lake on
 * a read-only mount, another user's folder, an archived copy.  See
 * docs/catalog.md ("Read-only lakes"). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog/cat_int.h"
#include "util/mem.h"

/* The file, or the folder that must take its -wal, -shm and journal, is
 * not writable: SQLite needs both. */
char *lh_catalog_readonly_reason_(const char *path)
{
    char *dir = NULL, *slash, *why = NULL;
    if (access(path, F_OK) != 0)
        return NULL; /* a new catalog: creating it reports its own error */
    if (access(path, W_OK) != 0)
        return lh_aprintf("%s: %s", path, strerror(errno));
    dir = lh_strdup(path);
    if (!dir)
        return NULL;
    slash = strrchr(dir, '/');
    if (slash == dir)
        dir[1] = 0;
    else if (slash)
        *slash = 0;
    else
        strcpy(dir, ".");
    if (access(dir, W_OK) != 0)
        why = lh_aprintf("folder %s: %s", dir, strerror(errno));
    lh_free(dir);
    return why;
}

/* sqlite3 URI for path: "file:" + path with '%', '?', '#' and control
 * characters escaped, then query. */
static char *file_uri(const char *path, const char *query)
{
    lh_buf b;
    lh_err e = {0};
    const char *p;
    lh_buf_init(&b, 0);
    if (lh_buf_append(&b, "file:", 5, &e))
        goto fail;
    for (p = path; *p; p++) {
        char esc[4];
        if (*p == '%' || *p == '?' || *p == '#' || (unsigned char)*p < 0x20) {
            snprintf(esc, sizeof esc, "%%%02X", (unsigned char)*p);
            if (lh_buf_append(&b, esc, 3, &e))
                goto fail;
        } else if (lh_buf_append(&b, p, 1, &e))
            goto fail;
    }
    if (lh_buf_append(&b, query, strlen(query) + 1, &e))
        goto fail;
    return lh_buf_detach(&b);
fail:
    lh_buf_free(&b);
    return NULL;
}

/* With no write-ahead log to recover the file is opened immutable (SQLite
 * then needs no -shm, which a read-only folder could not take); with one,
 * plain read-only, which needs its -shm.  The first read happens here, so
 * a failure is reported as what it is. */
lh_rc lh_catalog_open_readonly_(const char *path, const char *why, sqlite3 **db, lh_err *err)
{
    char *wal = lh_aprintf("%s-wal", path), *uri = NULL;
    struct stat sb;
    int src, has_wal;
    lh_rc rc = LH_OK;
    if (!wal)
        return lh_errf(err, LH_ENOMEM, "catalog %s: out of memory opening read-only", path);
    has_wal = stat(wal, &sb) == 0 && sb.st_size > 0;
    uri = file_uri(path, has_wal ? "?mode=ro" : "?mode=ro&immutable=1");
    if (!uri) {
        rc = lh_errf(err, LH_ENOMEM, "catalog %s: out of memory opening read-only", path);
        goto out;
    }
    src = sqlite3_open_v2(uri, db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
    if (src == SQLITE_OK)
        src = sqlite3_exec(*db, "PRAGMA query_only=ON; SELECT count(*) FROM sqlite_master", NULL, NULL, NULL);
    if (src != SQLITE_OK) {
        const char *msg = *db ? sqlite3_errmsg(*db) : sqlite3_errstr(src);
        if (has_wal)
            rc = lh_errf(err, LH_EIO,
                         "catalog %s is read-only (%s) and has a write-ahead log (%s) that only a writer can "
                         "recover: open the lake once with write access, or copy it (%s)",
                         path, why, wal, msg);
        else
            rc = lh_errf(err, (src & 0xff) == SQLITE_NOTADB || (src & 0xff) == SQLITE_CORRUPT ? LH_ECORRUPT : LH_EIO,
                         "catalog %s: cannot open read-only (%s): %s", path, why, msg);
    }
out:
    lh_free(wal);
    lh_free(uri);
    return rc;
}
