/* libFuzzer target: DDL and queries through the whole engine, mounting
 * included, in a scratch lake.  Whatever the input names its databases,
 * tables and columns, and whatever SQL it runs, SQLite must never open a
 * file outside the lake (a wrapping VFS aborts on any such open), and
 * nothing may appear beside the lake folder.  Every table the input left
 * in the catalog is then mounted and read, and dropped, so stored names
 * pass through every statement the engine builds.
 *
 * The input is a script (statements separated by ';'); the first line,
 * if it starts with "--name ", also becomes a raw catalog name written
 * without the DDL checks, as a catalog older than the name rules may hold.
 */
#include <dirent.h>
#include <ftw.h>
#include <sys/stat.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "catalog/catalog.h"
#include "sql/engine.h"
#include "store/store.h"
#include "util/mem.h"

static char g_parent[256], g_lake[300];
static sqlite3_vfs g_vfs, *g_real;
static int g_selftest;

static int guarded_open(sqlite3_vfs *v, const char *name, sqlite3_file *f, int flags, int *out)
{
    (void)v;
    if (name && strncmp(name, g_lake, strlen(g_lake)) != 0) {
        if (g_selftest)
            return SQLITE_CANTOPEN;
        fprintf(stderr, "fuzz_mount: SQLite opened a file outside the lake: %s\n", name);
        abort();
    }
    return g_real->xOpen(g_real, name, f, flags, out);
}

static void setup(void)
{
    if (g_real)
        return;
    snprintf(g_parent, sizeof g_parent, "/dev/shm/lh-fuzz-mount-%d", (int)getpid());
    snprintf(g_lake, sizeof g_lake, "%s/lake", g_parent);
    g_real = sqlite3_vfs_find(NULL);
    g_vfs = *g_real;
    g_vfs.zName = "lh-guarded";
    g_vfs.xOpen = guarded_open;
    sqlite3_vfs_register(&g_vfs, 1);
    { /* the guard must see an open outside the lake */
        sqlite3 *db = NULL;
        g_selftest = 1;
        if (sqlite3_open_v2("/dev/shm/lh-fuzz-mount-selftest.db", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                            NULL) == SQLITE_OK)
            abort();
        sqlite3_close(db);
        g_selftest = 0;
    }
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path) != 0;
}

static void rm_rf(const char *path)
{
    if (nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS) != 0 && access(path, F_OK) == 0)
        abort();
    if (mkdir(path, 0700) != 0)
        abort();
}

/* only "lake" may be in the parent folder */
static void check_parent(void)
{
    DIR *d = opendir(g_parent);
    struct dirent *de;
    if (!d)
        abort();
    while ((de = readdir(d)))
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") && strcmp(de->d_name, "lake")) {
            fprintf(stderr, "fuzz_mount: '%s' appeared beside the lake\n", de->d_name);
            abort();
        }
    closedir(d);
}

static lh_rc drain(void *ctx, const lh_value *vals, lh_err *err)
{
    (void)ctx;
    (void)vals;
    (void)err;
    return LH_OK;
}

static void read_and_drop_all(lh_engine *e, lh_catalog *cat)
{
    char **dbs = NULL, **tabs = NULL;
    size_t ndbs = 0, ntabs = 0, i, j;
    lh_sink sink;
    lh_err err;
    memset(&sink, 0, sizeof sink);
    sink.row = drain;
    if (lh_catalog_list_databases(cat, &dbs, &ndbs, &err))
        return;
    for (i = 0; i < ndbs; i++) {
        if (lh_catalog_list_tables(cat, dbs[i], &tabs, &ntabs, &err))
            continue;
        for (j = 0; j < ntabs; j++) {
            /* quoted as the engine's own statements quote: a backtick in a
             * name is doubled */
            lh_buf b;
            int64_t rows;
            const char *p;
            lh_buf_init(&b, 0);
            if (!lh_buf_puts(&b, "SELECT * FROM `", NULL)) {
                for (p = dbs[i]; *p; p++)
                    (void)(lh_buf_putc(&b, *p, NULL) || (*p == '`' && lh_buf_putc(&b, '`', NULL)));
                (void)(lh_buf_puts(&b, "`.`", NULL));
                for (p = tabs[j]; *p; p++)
                    (void)(lh_buf_putc(&b, *p, NULL) || (*p == '`' && lh_buf_putc(&b, '`', NULL)));
                (void)(lh_buf_puts(&b, "` LIMIT 3", NULL));
                if (b.data)
                    (void)lh_engine_exec(e, b.data, b.len, "read.sql", &sink, NULL, &err);
            }
            lh_buf_free(&b);
            (void)lh_engine_count(e, dbs[i], tabs[j], &rows, &err);
            (void)lh_catalog_drop_table(cat, dbs[i], tabs[j], 1, &err);
        }
        lh_strv_free(tabs, ntabs);
        tabs = NULL;
        ntabs = 0;
    }
    lh_strv_free(dbs, ndbs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lh_store *store = NULL;
    lh_catalog *cat = NULL;
    lh_engine *e = NULL;
    lh_sink sink;
    lh_err err;
    char catpath[400], rawname[256] = "";
    const char *src = (const char *)data;
    size_t len = size;
    setup();
    rm_rf(g_parent);
    snprintf(catpath, sizeof catpath, "%s/.lakehouse/catalog.db", g_lake);
    if (size > 7 && !memcmp(data, "--name ", 7)) {
        const char *nl = memchr(data, '\n', size);
        size_t n = (nl ? (size_t)(nl - src) : size) - 7;
        if (n >= sizeof rawname)
            n = sizeof rawname - 1;
        memcpy(rawname, src + 7, n);
        rawname[n] = 0;
        rawname[strcspn(rawname, "\r")] = 0;
    }
    memset(&sink, 0, sizeof sink);
    sink.row = drain;
    if (lh_store_open_local(g_lake, &store, &err) || lh_catalog_open(catpath, &cat, &err) ||
        lh_engine_open(store, cat, &e, &err))
        goto out;
    if (rawname[0] && strlen(rawname) == strnlen(rawname, sizeof rawname)) {
        /* a stored name that never passed the DDL checks */
        lh_table_def d;
        lh_column col = {rawname, "string", NULL};
        memset(&d, 0, sizeof d);
        d.db = "default";
        d.name = rawname;
        d.location = "s3://fuzz-bucket/raw/";
        d.format = "json";
        d.cols = &col;
        d.n_cols = 1;
        (void)lh_catalog_create_database(cat, rawname, 1, NULL, &err);
        (void)lh_catalog_create_table(cat, &d, 1, &err);
        d.db = rawname;
        (void)lh_catalog_create_table(cat, &d, 1, &err);
        (void)lh_store_put(store, "s3://fuzz-bucket/raw/x.json", "{\"a\":1}\n", 8, &err);
    }
    (void)lh_engine_exec(e, src, len, "fuzz.sql", &sink, NULL, &err);
    read_and_drop_all(e, cat);
    check_parent();
out:
    lh_engine_close(e);
    lh_catalog_close(cat);
    lh_store_close(store);
    check_parent();
    return 0;
}
