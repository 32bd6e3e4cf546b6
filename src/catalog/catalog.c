/* catalog/catalog.c — the Glue Data Catalog's role, kept in SQLite.
 *
 * Layout: helpers (errors, statements, transactions, time), schema
 * creation and checking, open/close, databases, tables, job runs, the
 * commit transaction, and the struct helpers (free/copy).  See
 * docs/catalog.md for the schema and the commit transaction.
 */
#include "catalog/catalog.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "catalog/cat_int.h"
#include "util/mem.h"
#include "util/types.h"

#define CAT_SCHEMA_VERSION 2 /* 2: job_runs.status adds cancelled/abandoned, job_runs.boot_id */
#define CAT_SCHEMA_MIN 1     /* oldest version this build opens (and migrates) */
#define CAT_APP_ID 0x4c48434c /* "LHCL": marks a lakehouse catalog file */
#define CAT_BUSY_MS 10000
#define CAT_N_TABLES 7

struct lh_catalog {
    sqlite3 *db;
    char *path;
    char *ro;    /* NULL, or why the catalog is open read-only */
    int version; /* schema version of the file (older ones only when read-only) */
};

sqlite3 *lh_catalog_db_(lh_catalog *c) { return c->db; }
int lh_catalog_version_(const lh_catalog *c) { return c->version; }
const char *lh_catalog_readonly(const lh_catalog *c) { return c ? c->ro : NULL; }

/* ---- Errors ---- */

static lh_rc map_sqlite(int src)
{
    switch (src & 0xff) {
    case SQLITE_OK:
    case SQLITE_ROW:
    case SQLITE_DONE: return LH_OK;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return LH_EBUSY;
    case SQLITE_NOMEM: return LH_ENOMEM;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return LH_ECORRUPT;
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_PROTOCOL: return LH_EIO;
    default: return LH_ESQL;
    }
}

/* Report SQLite result src (not OK) for what the caller was doing. */
static lh_rc sql_fail(const lh_catalog *c, int src, const char *what, lh_err *err)
{
    lh_rc code = map_sqlite(src);
    const char *msg = c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(src);
    if (code == LH_OK)
        code = LH_EINTERNAL;
    if ((src & 0xff) == SQLITE_FULL || (c->db && sqlite3_system_errno(c->db) == ENOSPC))
        return lh_errf(err, LH_ENOSPC, "catalog %s: %s: no space left on the device holding %s (%s); free space there "
                       "and retry", c->path, what, c->path, msg);
    switch (code) {
    case LH_EBUSY:
        return lh_errf(err, code, "catalog %s: %s: locked by another process for more than %d ms (%s)", c->path, what,
                       CAT_BUSY_MS, msg);
    case LH_ECORRUPT:
        return lh_errf(err, code, "catalog %s: %s: not a readable lakehouse catalog (%s)", c->path, what, msg);
    default: return lh_errf(err, code, "catalog %s: %s: %s", c->path, what, msg);
    }
}


static lh_rc nomem(const lh_catalog *c, const char *what, lh_err *err)
{
    return lh_errf(err, LH_ENOMEM, "catalog %s: out of memory %s", c ? c->path : "?", what);
}

/* Every write goes through exec() or a BEGIN IMMEDIATE: both ask here. */
static lh_rc writable(const lh_catalog *c, lh_err *err)
{
    if (!c->ro)
        return LH_OK;
    return lh_errf(err, LH_EPERM,
                   "catalog %s is read-only (%s): DDL, CREATE TABLE AS, run, ingest and vacuum need write access; "
                   "reading works",
                   c->path, c->ro);
}

/* ---- Small helpers ---- */

static char *lc_dup(const char *s)
{
    char *d = lh_strdup(s);
    if (d)
        for (char *p = d; *p; p++)
            *p = (char)tolower((unsigned char)*p);
    return d;
}

/* Lower-cased copies of a db name and (if name != NULL) a table name. */
static lh_rc lower_names(const lh_catalog *c, const char *db, const char *name, char **ldb, char **lname, lh_err *err)
{
    *ldb = NULL;
    if (lname)
        *lname = NULL;
    if (!db || !*db)
        return lh_errf(err, LH_EINVAL, "catalog %s: database name is empty", c->path);
    if (lname && (!name || !*name))
        return lh_errf(err, LH_EINVAL, "catalog %s: table name in database %s is empty", c->path, db);
    *ldb = lc_dup(db);
    if (!*ldb)
        return nomem(c, "copying a database name", err);
    if (lname) {
        *lname = lc_dup(name);
        if (!*lname) {
            lh_free(*ldb);
            *ldb = NULL;
            return nomem(c, "copying a table name", err);
        }
    }
    return LH_OK;
}

/* Grow an array to hold need elements; returns the (possibly moved) array
 * or NULL (the old array is untouched then). */
static void *arr_grow(void *arr, size_t *cap, size_t need, size_t elsz)
{
    size_t ncap;
    void *p;
    if (need <= *cap)
        return arr;
    ncap = *cap ? *cap : 8;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2)
            return NULL;
        ncap *= 2;
    }
    if (ncap > SIZE_MAX / elsz)
        return NULL;
    p = lh_realloc(arr, ncap * elsz);
    if (!p)
        return NULL;
    *cap = ncap;
    return p;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
        return (int64_t)time(NULL) * 1000;
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* "2026-11-27T10:44:39.123Z" */
static void fmt_iso(int64_t ms, char *buf, size_t bufsz)
{
    int64_t days = ms / 86400000, rem, y;
    unsigned m, d;
    if (ms % 86400000 < 0)
        days--;
    rem = ms - days * 86400000;
    lh_civil_from_days(days, &y, &m, &d);
    snprintf(buf, bufsz, "%04lld-%02u-%02uT%02d:%02d:%02d.%03dZ", (long long)y, m, d, (int)(rem / 3600000),
             (int)(rem / 60000 % 60), (int)(rem / 1000 % 60), (int)(rem % 1000));
}

/* ---- Statements ---- */

/* Bind by format: 't' const char * (NULL binds NULL), 'i' int64_t,
 * 'n' int64_t where a negative value binds NULL.  Callers must pass
 * int64_t for 'i'/'n' (cast literals). */
static int bind_va(sqlite3_stmt *st, const char *fmt, va_list ap)
{
    int src = SQLITE_OK;
    for (int i = 0; fmt[i] && src == SQLITE_OK; i++) {
        if (fmt[i] == 't') {
            const char *s = va_arg(ap, const char *);
            src = s ? sqlite3_bind_text(st, i + 1, s, -1, SQLITE_STATIC) : sqlite3_bind_null(st, i + 1);
        } else if (fmt[i] == 'i') {
            src = sqlite3_bind_int64(st, i + 1, va_arg(ap, int64_t));
        } else if (fmt[i] == 'n') {
            int64_t v = va_arg(ap, int64_t);
            src = v < 0 ? sqlite3_bind_null(st, i + 1) : sqlite3_bind_int64(st, i + 1, v);
        } else {
            src = SQLITE_MISUSE;
        }
    }
    return src;
}

static lh_rc prepare(lh_catalog *c, const char *sql, sqlite3_stmt **st, lh_err *err)
{
    int src = sqlite3_prepare_v2(c->db, sql, -1, st, NULL);
    if (src != SQLITE_OK) {
        *st = NULL;
        return sql_fail(c, src, "preparing a statement", err);
    }
    return LH_OK;
}

/* Reset st and bind new arguments. */
static lh_rc bind(lh_catalog *c, sqlite3_stmt *st, lh_err *err, const char *fmt, ...)
{
    va_list ap;
    int src = sqlite3_reset(st);
    if (src != SQLITE_OK)
        return sql_fail(c, src, "resetting a statement", err);
    src = sqlite3_clear_bindings(st);
    if (src != SQLITE_OK)
        return sql_fail(c, src, "clearing bindings", err);
    va_start(ap, fmt);
    src = bind_va(st, fmt, ap);
    va_end(ap);
    if (src != SQLITE_OK)
        return sql_fail(c, src, "binding arguments", err);
    return LH_OK;
}

/* Step once: *row = 1 for a row, 0 when done. */
static lh_rc step(lh_catalog *c, sqlite3_stmt *st, int *row, const char *what, lh_err *err)
{
    int src = sqlite3_step(st);
    if (src == SQLITE_ROW) {
        *row = 1;
        return LH_OK;
    }
    *row = 0;
    if (src == SQLITE_DONE)
        return LH_OK;
    return sql_fail(c, src, what, err);
}

/* Prepare, bind, run to completion a statement returning no rows. */
static lh_rc exec(lh_catalog *c, lh_err *err, const char *what, const char *sql, const char *fmt, ...)
{
    sqlite3_stmt *st = NULL;
    va_list ap;
    int src;
    lh_rc rc = writable(c, err);
    if (!rc)
        rc = prepare(c, sql, &st, err);
    if (rc)
        goto out;
    va_start(ap, fmt);
    src = bind_va(st, fmt, ap);
    va_end(ap);
    if (src != SQLITE_OK) {
        rc = sql_fail(c, src, what, err);
        goto out;
    }
    do
        src = sqlite3_step(st);
    while (src == SQLITE_ROW);
    if (src != SQLITE_DONE)
        rc = sql_fail(c, src, what, err);
out:
    (void)sqlite3_finalize(st); /* repeats the last step's code, already handled */
    return rc;
}

/* A one-row query whose column 0 is an integer; *found = 0 (and *val = 0)
 * when there is no row.  found may be NULL. */
static lh_rc query_int(lh_catalog *c, lh_err *err, int64_t *val, int *found, const char *sql, const char *fmt, ...)
{
    sqlite3_stmt *st = NULL;
    va_list ap;
    int src, row = 0;
    lh_rc rc = prepare(c, sql, &st, err);
    *val = 0;
    if (found)
        *found = 0;
    if (rc)
        goto out;
    va_start(ap, fmt);
    src = bind_va(st, fmt, ap);
    va_end(ap);
    if (src != SQLITE_OK) {
        rc = sql_fail(c, src, "binding arguments", err);
        goto out;
    }
    rc = step(c, st, &row, "querying", err);
    if (rc || !row)
        goto out;
    *val = sqlite3_column_int64(st, 0);
    if (found)
        *found = 1;
out:
    (void)sqlite3_finalize(st); /* repeats the last step's code, already handled */
    return rc;
}

/* Copy text column i (NULL stays NULL). */
static lh_rc col_text(lh_catalog *c, sqlite3_stmt *st, int i, char **out, lh_err *err)
{
    const unsigned char *t;
    *out = NULL;
    if (sqlite3_column_type(st, i) == SQLITE_NULL)
        return LH_OK;
    t = sqlite3_column_text(st, i);
    if (!t)
        return sql_fail(c, SQLITE_NOMEM, "reading a text column", err);
    *out = lh_strdup((const char *)t);
    if (!*out)
        return nomem(c, "copying a text column", err);
    return LH_OK;
}

static int64_t col_int_or(sqlite3_stmt *st, int i, int64_t dflt)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? dflt : sqlite3_column_int64(st, i);
}

/* Collect text column 0 of every row of sql into a string vector. */
static lh_rc query_strv(lh_catalog *c, lh_err *err, char ***out, size_t *n_out, const char *sql, const char *fmt,
                        ...)
{
    sqlite3_stmt *st = NULL;
    char **v = NULL;
    size_t n = 0, cap = 0;
    va_list ap;
    int src, row;
    lh_rc rc = prepare(c, sql, &st, err);
    if (rc)
        goto out;
    va_start(ap, fmt);
    src = bind_va(st, fmt, ap);
    va_end(ap);
    if (src != SQLITE_OK) {
        rc = sql_fail(c, src, "binding arguments", err);
        goto out;
    }
    for (;;) {
        char **nv;
        rc = step(c, st, &row, "listing", err);
        if (rc || !row)
            break;
        nv = arr_grow(v, &cap, n + 1, sizeof *v);
        if (!nv) {
            rc = nomem(c, "growing a name list", err);
            break;
        }
        v = nv;
        rc = col_text(c, st, 0, &v[n], err);
        if (rc)
            break;
        if (!v[n]) {
            rc = lh_errf(err, LH_ECORRUPT, "catalog %s: a listed name is NULL", c->path);
            break;
        }
        n++;
    }
out:
    (void)sqlite3_finalize(st); /* repeats the last step's code, already handled */
    if (rc) {
        lh_strv_free(v, n);
        v = NULL;
        n = 0;
    }
    *out = v;
    *n_out = n;
    return rc;
}

/* ---- Transactions ---- */

/* sql: "BEGIN" (read) or "BEGIN IMMEDIATE" (write). */
static lh_rc txn_begin(lh_catalog *c, const char *sql, lh_err *err)
{
    int src;
    lh_rc rc = strcmp(sql, "BEGIN") != 0 ? writable(c, err) : LH_OK;
    if (rc)
        return rc;
    src = sqlite3_exec(c->db, sql, NULL, NULL, NULL);
    if (src != SQLITE_OK)
        return sql_fail(c, src, "starting a transaction", err);
    return LH_OK;
}

/* COMMIT when rc is LH_OK, else (or if COMMIT fails) ROLLBACK.  Returns
 * the first error. */
static lh_rc txn_end(lh_catalog *c, lh_rc rc, lh_err *err)
{
    int src;
    if (rc == LH_OK) {
        src = sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL);
        if (src == SQLITE_OK)
            return LH_OK;
        rc = sql_fail(c, src, "committing", err);
    }
    if (!sqlite3_get_autocommit(c->db)) {
        src = sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
        /* The first error is the one to report; if even ROLLBACK fails,
         * SQLite rolls the transaction back when the handle is closed. */
        (void)src;
    }
    return rc;
}

/* ---- Schema ---- */

#define K_JOB_RUNS_COLS                                                                                     \
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"                                                                   \
    " job TEXT NOT NULL,"                                                                                      \
    " target TEXT,"                                                                                            \
    " status TEXT NOT NULL CHECK(status IN ('running','succeeded','failed','cancelled','abandoned')),"          \
    " started_at TEXT NOT NULL, ended_at TEXT,"                                                                \
    " started_ms INTEGER NOT NULL, ended_ms INTEGER,"                                                          \
    " pid INTEGER,"                                                                                            \
    " rows_read INTEGER, rows_written INTEGER,"                                                                \
    " snapshot_id INTEGER,"                                                                                    \
    " error TEXT,"                                                                                             \
    " boot_id TEXT"

/* Version 1 -> 2: SQLite cannot change a CHECK constraint in place, so
 * job_runs is rebuilt (ids and the AUTOINCREMENT counter kept).  Runs with
 * foreign keys off (snapshots.run_id points at job_runs). */
static const char k_migrate_1_2[] =
    "CREATE TABLE job_runs_v2(" K_JOB_RUNS_COLS ");"
    "INSERT INTO job_runs_v2(id, job, target, status, started_at, ended_at, started_ms, ended_ms, pid, rows_read,"
    " rows_written, snapshot_id, error) SELECT id, job, target, status, started_at, ended_at, started_ms, ended_ms,"
    " pid, rows_read, rows_written, snapshot_id, error FROM job_runs ORDER BY id;"
    "DELETE FROM sqlite_sequence WHERE name='job_runs_v2';"
    "UPDATE sqlite_sequence SET name='job_runs_v2' WHERE name='job_runs';"
    "DROP TABLE job_runs;"
    "ALTER TABLE job_runs_v2 RENAME TO job_runs;"
    "CREATE INDEX job_runs_job ON job_runs(job, id);"
    "PRAGMA user_version=2;";

static const char k_schema[] =
    "CREATE TABLE databases("
    " name TEXT PRIMARY KEY NOT NULL,"
    " comment TEXT,"
    " created_at TEXT NOT NULL);"
    "CREATE TABLE tables("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " db TEXT NOT NULL REFERENCES databases(name),"
    " name TEXT NOT NULL,"
    " managed INTEGER NOT NULL CHECK(managed IN (0,1)),"
    " location TEXT, format TEXT, serde TEXT, input_format TEXT, output_format TEXT, comment TEXT,"
    " current_snapshot_id INTEGER,"
    " created_at TEXT NOT NULL,"
    " updated_at TEXT NOT NULL,"
    " UNIQUE(db, name));"
    "CREATE TABLE columns("
    " table_id INTEGER NOT NULL REFERENCES tables(id) ON DELETE CASCADE,"
    " pos INTEGER NOT NULL,"
    " name TEXT NOT NULL,"
    " type TEXT NOT NULL,"
    " comment TEXT,"
    " PRIMARY KEY(table_id, pos),"
    " UNIQUE(table_id, name));"
    "CREATE TABLE table_props("
    " table_id INTEGER NOT NULL REFERENCES tables(id) ON DELETE CASCADE,"
    " kind TEXT NOT NULL CHECK(kind IN ('serde','table')),"
    " pos INTEGER NOT NULL,"
    " key TEXT NOT NULL,"
    " value TEXT,"
    " PRIMARY KEY(table_id, kind, pos));"
    "CREATE TABLE job_runs(" K_JOB_RUNS_COLS ");"
    "CREATE INDEX job_runs_job ON job_runs(job, id);"
    "CREATE TABLE snapshots("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " table_id INTEGER NOT NULL REFERENCES tables(id) ON DELETE CASCADE,"
    " run_id INTEGER REFERENCES job_runs(id),"
    " created_at TEXT NOT NULL,"
    " row_count INTEGER NOT NULL,"
    " prefix TEXT NOT NULL);"
    "CREATE INDEX snapshots_table ON snapshots(table_id);"
    "CREATE TABLE snapshot_files("
    " snapshot_id INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,"
    " uri TEXT NOT NULL,"
    " size INTEGER NOT NULL,"
    " rows INTEGER NOT NULL,"
    " PRIMARY KEY(snapshot_id, uri));"
    "CREATE INDEX snapshot_files_uri ON snapshot_files(uri);";

/* Create the schema in an empty file (another process may be doing the same). */
static lh_rc create_schema(lh_catalog *c, lh_err *err)
{
    int64_t ver = 0, nobj = 0;
    char pragmas[128];
    int src;
    lh_rc rc = txn_begin(c, "BEGIN IMMEDIATE", err);
    if (rc)
        return rc;
    rc = query_int(c, err, &ver, NULL, "PRAGMA user_version", "");
    if (rc)
        goto out;
    rc = query_int(c, err, &nobj, NULL, "SELECT count(*) FROM sqlite_master", "");
    if (rc || ver != 0 || nobj != 0)
        goto out; /* someone else created it meanwhile; the caller checks it */
    src = sqlite3_exec(c->db, k_schema, NULL, NULL, NULL);
    if (src != SQLITE_OK) {
        rc = sql_fail(c, src, "creating the catalog schema", err);
        goto out;
    }
    snprintf(pragmas, sizeof pragmas, "PRAGMA application_id=%d; PRAGMA user_version=%d;", CAT_APP_ID,
             CAT_SCHEMA_VERSION);
    src = sqlite3_exec(c->db, pragmas, NULL, NULL, NULL);
    if (src != SQLITE_OK)
        rc = sql_fail(c, src, "setting the schema version", err);
out:
    return txn_end(c, rc, err);
}

/* A file is ours when it is empty (new) or carries our application id and
 * schema version; anything else is refused before anything is written. */
static lh_rc check_identity(lh_catalog *c, int64_t *ver, lh_err *err)
{
    int64_t nobj = 0, app = 0;
    lh_rc rc = query_int(c, err, ver, NULL, "PRAGMA user_version", "");
    if (!rc)
        rc = query_int(c, err, &app, NULL, "PRAGMA application_id", "");
    if (!rc)
        rc = query_int(c, err, &nobj, NULL, "SELECT count(*) FROM sqlite_master", "");
    if (rc || (*ver == 0 && app == 0 && nobj == 0))
        return rc;
    if (app != CAT_APP_ID)
        return lh_errf(err, LH_ECORRUPT,
                       "catalog %s: not a lakehouse catalog (an SQLite database with %lld objects and application id "
                       "0x%llx, expected 0x%x); choose another catalog path",
                       c->path, (long long)nobj, (unsigned long long)app, CAT_APP_ID);
    if (*ver < CAT_SCHEMA_MIN || *ver > CAT_SCHEMA_VERSION)
        return lh_errf(err, LH_ECORRUPT, "catalog %s: schema version %lld, this build reads versions %d to %d",
                       c->path, (long long)*ver, CAT_SCHEMA_MIN, CAT_SCHEMA_VERSION);
    return LH_OK;
}

/* Bring an older schema up to CAT_SCHEMA_VERSION in one transaction (a
 * second process migrating at the same time finds it done). */
static lh_rc migrate(lh_catalog *c, lh_err *err)
{
    int64_t ver = 0;
    int src;
    lh_rc rc;
    src = sqlite3_exec(c->db, "PRAGMA foreign_keys=OFF", NULL, NULL, NULL);
    if (src != SQLITE_OK)
        return sql_fail(c, src, "migrating the schema (foreign keys off)", err);
    rc = txn_begin(c, "BEGIN IMMEDIATE", err);
    if (!rc)
        rc = query_int(c, err, &ver, NULL, "PRAGMA user_version", "");
    if (!rc && ver == 1) {
        src = sqlite3_exec(c->db, k_migrate_1_2, NULL, NULL, NULL);
        if (src != SQLITE_OK)
            rc = sql_fail(c, src, "migrating the schema from version 1 to 2", err);
    }
    if (!rc || !sqlite3_get_autocommit(c->db))
        rc = txn_end(c, rc, err);
    src = sqlite3_exec(c->db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL);
    if (!rc && src != SQLITE_OK)
        rc = sql_fail(c, src, "migrating the schema (foreign keys on)", err);
    return rc;
}

static lh_rc check_schema(lh_catalog *c, lh_err *err)
{
    int64_t ver = 0, ntab = 0;
    int src;
    /* The first statement reads the file header: a file that is not
     * SQLite fails here with SQLITE_NOTADB (-> LH_ECORRUPT). */
    lh_rc rc = check_identity(c, &ver, err);
    if (rc)
        return rc;
    c->version = (int)ver;
    if (c->ro) {
        /* Read as it is: no WAL switch, no schema creation or migration. */
        if (ver == 0)
            return lh_errf(err, LH_ENOTFOUND, "catalog %s is empty and read-only (%s): nothing to read", c->path,
                           c->ro);
        goto tables;
    }
    src = sqlite3_exec(c->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
    if (src != SQLITE_OK)
        return sql_fail(c, src, "setting WAL mode", err);
    if (ver > 0 && ver < CAT_SCHEMA_VERSION) {
        rc = migrate(c, err);
        if (!rc)
            rc = check_identity(c, &ver, err);
        if (rc)
            return rc;
        c->version = (int)ver;
    }
    if (ver == 0) {
        rc = create_schema(c, err);
        if (!rc)
            rc = check_identity(c, &ver, err);
        if (rc)
            return rc;
        if (ver != CAT_SCHEMA_VERSION)
            return lh_errf(err, LH_ECORRUPT, "catalog %s: schema creation left version %lld", c->path,
                           (long long)ver);
        c->version = (int)ver;
    }
tables:
    rc = query_int(c, err, &ntab, NULL,
                   "SELECT count(*) FROM sqlite_master WHERE type='table' AND name IN "
                   "('databases','tables','columns','table_props','job_runs','snapshots','snapshot_files')",
                   "");
    if (rc)
        return rc;
    if (ntab != CAT_N_TABLES)
        return lh_errf(err, LH_ECORRUPT, "catalog %s: schema version %d but only %lld of its %d tables exist",
                       c->path, c->version, (long long)ntab, CAT_N_TABLES);
    return LH_OK;
}

/* ---- Open / close ---- */

/* mkdir -p of the folder holding path. */
static lh_rc make_parents(const char *path, lh_err *err)
{
    lh_rc rc = LH_OK;
    char *p = lh_strdup(path);
    if (!p)
        return lh_errf(err, LH_ENOMEM, "out of memory opening catalog %s", path);
    for (char *s = p + 1; *s; s++) {
        struct stat sb;
        if (*s != '/')
            continue;
        *s = 0;
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            rc = lh_errf(err, LH_EIO, "catalog %s: cannot create folder %s: %s", path, p, strerror(errno));
            goto out;
        }
        if (stat(p, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
            rc = lh_errf(err, LH_EIO, "catalog %s: %s exists but is not a folder", path, p);
            goto out;
        }
        *s = '/';
    }
out:
    lh_free(p);
    return rc;
}

lh_rc lh_catalog_open(const char *path, lh_catalog **out, lh_err *err)
{
    lh_catalog *c = NULL;
    lh_rc rc = LH_OK;
    int src;
    if (!out)
        return lh_errf(err, LH_EINVAL, "lh_catalog_open: out is NULL");
    *out = NULL;
    if (!path || !*path)
        return lh_errf(err, LH_EINVAL, "catalog path is empty");
    c = lh_calloc(1, sizeof *c);
    if (!c) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory opening catalog %s", path);
        goto out;
    }
    c->path = lh_strdup(path);
    if (!c->path) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory opening catalog %s", path);
        goto out;
    }
    c->ro = lh_catalog_readonly_reason_(path);
    if (c->ro) {
        rc = lh_catalog_open_readonly_(path, c->ro, &c->db, err);
        if (rc)
            goto out;
    } else {
        rc = make_parents(path, err);
        if (rc)
            goto out;
        src = sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
        if (src != SQLITE_OK) {
            rc = sql_fail(c, src, "cannot open", err);
            goto out;
        }
    }
    src = sqlite3_busy_timeout(c->db, CAT_BUSY_MS);
    if (src != SQLITE_OK) {
        rc = sql_fail(c, src, "setting the busy timeout", err);
        goto out;
    }
    /* The catalog file may come from anyone who could write the lake
     * folder: never trust what its schema could call, never load code. */
    {
        int on = -1;
        if (sqlite3_db_config(c->db, SQLITE_DBCONFIG_DEFENSIVE, 1, &on) != SQLITE_OK || on != 1 ||
            sqlite3_db_config(c->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, &on) != SQLITE_OK || on != 0 ||
            sqlite3_db_config(c->db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, &on) != SQLITE_OK || on != 0 ||
            sqlite3_db_config(c->db, SQLITE_DBCONFIG_ENABLE_FTS3_TOKENIZER, 0, &on) != SQLITE_OK || on != 0) {
            rc = lh_errf(err, LH_ESQL, "%s: cannot switch off SQLite features the catalog never uses: %s", path,
                         sqlite3_errmsg(c->db));
            goto out;
        }
    }
    src = sqlite3_exec(c->db, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON", NULL, NULL, NULL);
    if (src != SQLITE_OK) {
        rc = sql_fail(c, src, "setting pragmas", err);
        goto out;
    }
    rc = check_schema(c, err);
out:
    if (rc) {
        lh_catalog_close(c);
        c = NULL;
    }
    *out = c;
    return rc;
}

void lh_catalog_close(lh_catalog *c)
{
    if (!c)
        return;
    if (c->db) {
        /* All statements are finalized by the functions that made them, so
         * close cannot be refused for open statements. */
        int src = sqlite3_close(c->db);
        (void)src;
    }
    lh_free(c->path);
    lh_free(c->ro);
    lh_free(c);
}

const char *lh_catalog_path(const lh_catalog *c) { return c ? c->path : NULL; }

/* ---- Databases ---- */

static lh_rc db_exists(lh_catalog *c, const char *ldb, int *exists, lh_err *err)
{
    int64_t one;
    return query_int(c, err, &one, exists, "SELECT 1 FROM databases WHERE name=?1", "t", ldb);
}

lh_rc lh_catalog_create_database(lh_catalog *c, const char *name, int if_not_exists, const char *comment,
                                 lh_err *err)
{
    char *ldb = NULL, ts[64];
    lh_rc rc = lower_names(c, name, NULL, &ldb, NULL, err);
    if (rc)
        goto out;
    fmt_iso(now_ms(), ts, sizeof ts);
    rc = exec(c, err, "creating a database",
              "INSERT OR IGNORE INTO databases(name, comment, created_at) VALUES(?1,?2,?3)", "ttt", ldb, comment, ts);
    if (rc)
        goto out;
    if (sqlite3_changes(c->db) == 0 && !if_not_exists)
        rc = lh_errf(err, LH_EEXIST, "database %s already exists (use IF NOT EXISTS to ignore)", ldb);
out:
    lh_free(ldb);
    return rc;
}

lh_rc lh_catalog_drop_database(lh_catalog *c, const char *name, int if_exists, lh_err *err)
{
    return lh_catalog_drop_database_ex(c, name, if_exists, 0, NULL, err);
}

lh_rc lh_catalog_drop_database_ex(lh_catalog *c, const char *name, int if_exists, int cascade, int64_t *n_tables,
                                  lh_err *err)
{
    /* Each statement deletes what hangs off every table of the database;
     * all run in the one transaction below. */
    static const char *const k_cascade[][2] = {
        {"dropping snapshot files", "DELETE FROM snapshot_files WHERE snapshot_id IN (SELECT s.id FROM snapshots s"
                                    " JOIN tables t ON t.id = s.table_id WHERE t.db=?1)"},
        {"dropping snapshots", "DELETE FROM snapshots WHERE table_id IN (SELECT id FROM tables WHERE db=?1)"},
        {"dropping columns", "DELETE FROM columns WHERE table_id IN (SELECT id FROM tables WHERE db=?1)"},
        {"dropping table properties", "DELETE FROM table_props WHERE table_id IN (SELECT id FROM tables WHERE db=?1)"},
        {"dropping tables", "DELETE FROM tables WHERE db=?1"},
    };
    char *ldb = NULL;
    int exists = 0, in_txn = 0;
    int64_t ntab = 0;
    size_t i;
    lh_rc rc = lower_names(c, name, NULL, &ldb, NULL, err);
    if (n_tables)
        *n_tables = 0;
    if (rc)
        goto out;
    if (!strcmp(ldb, "default")) {
        rc = lh_errf(err, LH_EINVAL, "database default cannot be dropped (Hive and Athena keep it); drop its tables "
                                     "one by one instead");
        goto out;
    }
    rc = txn_begin(c, "BEGIN IMMEDIATE", err);
    if (rc)
        goto out;
    in_txn = 1;
    rc = db_exists(c, ldb, &exists, err);
    if (rc)
        goto out;
    if (!exists) {
        if (!if_exists)
            rc = lh_errf(err, LH_ENOTFOUND, "database %s not found", ldb);
        goto out;
    }
    rc = query_int(c, err, &ntab, NULL, "SELECT count(*) FROM tables WHERE db=?1", "t", ldb);
    if (rc)
        goto out;
    if (ntab > 0 && !cascade) {
        rc = lh_errf(err, LH_EINVAL,
                     "Database %s is not empty. One or more tables exist (%lld); drop them first, or use DROP "
                     "DATABASE %s CASCADE",
                     ldb, (long long)ntab, ldb);
        goto out;
    }
    for (i = 0; ntab > 0 && i < sizeof k_cascade / sizeof k_cascade[0] && !rc; i++)
        rc = exec(c, err, k_cascade[i][0], k_cascade[i][1], "t", ldb);
    if (!rc)
        rc = exec(c, err, "dropping a database", "DELETE FROM databases WHERE name=?1", "t", ldb);
out:
    if (in_txn)
        rc = txn_end(c, rc, err);
    if (!rc && n_tables)
        *n_tables = ntab;
    lh_free(ldb);
    return rc;
}

lh_rc lh_catalog_database_exists(lh_catalog *c, const char *name, int *exists, lh_err *err)
{
    char *ldb = NULL;
    lh_rc rc;
    *exists = 0;
    rc = lower_names(c, name, NULL, &ldb, NULL, err);
    if (rc)
        goto out;
    rc = db_exists(c, ldb, exists, err);
out:
    lh_free(ldb);
    return rc;
}

lh_rc lh_catalog_list_databases(lh_catalog *c, char ***names, size_t *n, lh_err *err)
{
    return query_strv(c, err, names, n, "SELECT name FROM databases ORDER BY name", "");
}

lh_rc lh_catalog_list_tables(lh_catalog *c, const char *db, char ***names, size_t *n, lh_err *err)
{
    char *ldb = NULL;
    int exists = 0;
    lh_rc rc;
    *names = NULL;
    *n = 0;
    rc = lower_names(c, db, NULL, &ldb, NULL, err);
    if (rc)
        goto out;
    rc = db_exists(c, ldb, &exists, err);
    if (rc)
        goto out;
    if (!exists) {
        rc = lh_errf(err, LH_ENOTFOUND, "database %s not found", ldb);
        goto out;
    }
    rc = query_strv(c, err, names, n, "SELECT name FROM tables WHERE db=?1 ORDER BY name", "t", ldb);
out:
    lh_free(ldb);
    return rc;
}

void lh_strv_free(char **v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        lh_free(v[i]);
    lh_free(v);
}

/* ---- Tables ---- */

/* LH_ENOTFOUND naming the database when it is missing, else the table. */
static lh_rc table_not_found(lh_catalog *c, const char *ldb, const char *lname, lh_err *err)
{
    int exists = 0;
    lh_rc rc = db_exists(c, ldb, &exists, err);
    if (rc)
        return rc;
    if (!exists)
        return lh_errf(err, LH_ENOTFOUND, "database %s not found (looking for table %s.%s)", ldb, ldb, lname);
    return lh_errf(err, LH_ENOTFOUND, "table %s.%s not found", ldb, lname);
}

static lh_rc validate_def(lh_catalog *c, const lh_table_def *def, lh_err *err)
{
    if (!def)
        return lh_errf(err, LH_EINVAL, "catalog %s: table definition is NULL", c->path);
    if (!def->db || !*def->db || !def->name || !*def->name)
        return lh_errf(err, LH_EINVAL, "catalog %s: table definition without a database or table name", c->path);
    if ((def->n_cols && !def->cols) || (def->n_serde_props && !def->serde_props) ||
        (def->n_tbl_props && !def->tbl_props))
        return lh_errf(err, LH_EINVAL, "table %s.%s: a column or property count is set without its array", def->db,
                       def->name);
    for (size_t i = 0; i < def->n_cols; i++) {
        const lh_column *col = &def->cols[i];
        if (!col->name || !*col->name || !col->type || !*col->type)
            return lh_errf(err, LH_EINVAL, "table %s.%s: column %zu has no name or no type", def->db, def->name,
                           i + 1);
        for (size_t j = 0; j < i; j++)
            if (strcasecmp(def->cols[j].name, col->name) == 0)
                return lh_errf(err, LH_EINVAL, "table %s.%s: duplicate column %s", def->db, def->name, col->name);
    }
    for (size_t i = 0; i < def->n_serde_props; i++)
        if (!def->serde_props[i].key)
            return lh_errf(err, LH_EINVAL, "table %s.%s: SerDe property %zu has no key", def->db, def->name, i + 1);
    for (size_t i = 0; i < def->n_tbl_props; i++)
        if (!def->tbl_props[i].key)
            return lh_errf(err, LH_EINVAL, "table %s.%s: table property %zu has no key", def->db, def->name, i + 1);
    return LH_OK;
}

static lh_rc write_props(lh_catalog *c, int64_t tid, const char *kind, const lh_prop *props, size_t n, lh_err *err)
{
    sqlite3_stmt *st = NULL;
    int row;
    lh_rc rc = LH_OK;
    if (n == 0)
        return LH_OK;
    rc = prepare(c, "INSERT INTO table_props(table_id, kind, pos, key, value) VALUES(?1,?2,?3,?4,?5)", &st, err);
    for (size_t i = 0; !rc && i < n; i++) {
        rc = bind(c, st, err, "ititt", tid, kind, (int64_t)i, props[i].key, props[i].value);
        if (!rc)
            rc = step(c, st, &row, "storing a table property", err);
    }
    (void)sqlite3_finalize(st); /* repeats the last step's code, already handled */
    return rc;
}

/* Insert the columns and properties of def for table tid. */
static lh_rc write_children(lh_catalog *c, int64_t tid, const lh_table_def *def, lh_err *err)
{
    sqlite3_stmt *st = NULL;
    char *lcol = NULL;
    int row;
    lh_rc rc = prepare(c, "INSERT INTO columns(table_id, pos, name, type, comment) VALUES(?1,?2,?3,?4,?5)", &st, err);
    for (size_t i = 0; !rc && i < def->n_cols; i++) {
        lcol = lc_dup(def->cols[i].name);
        if (!lcol) {
            rc = nomem(c, "copying a column name", err);
            break;
        }
        rc = bind(c, st, err, "iittt", tid, (int64_t)i, lcol, def->cols[i].type, def->cols[i].comment);
        if (!rc)
            rc = step(c, st, &row, "storing a column", err);
        lh_free(lcol);
        lcol = NULL;
    }
    (void)sqlite3_finalize(st); /* repeats the last step's code, already handled */
    if (rc)
        return rc;
    rc = write_props(c, tid, "serde", def->serde_props, def->n_serde_props, err);
    if (rc)
        return rc;
    return write_props(c, tid, "table", def->tbl_props, def->n_tbl_props, err);
}

lh_rc lh_catalog_create_table(lh_catalog *c, const lh_table_def *def, int if_not_exists, lh_err *err)
{
    char *ldb = NULL, *lname = NULL, ts[64];
    int in_txn = 0, exists = 0, found = 0;
    int64_t tid = 0;
    lh_rc rc = validate_def(c, def, err);
    if (rc)
        goto out;
    rc = lower_names(c, def->db, def->name, &ldb, &lname, err);
    if (rc)
        goto out;
    rc = txn_begin(c, "BEGIN IMMEDIATE", err);
    if (rc)
        goto out;
    in_txn = 1;
    rc = db_exists(c, ldb, &exists, err);
    if (rc)
        goto out;
    if (!exists) {
        rc = lh_errf(err, LH_ENOTFOUND, "database %s not found (creating table %s.%s)", ldb, ldb, lname);
        goto out;
    }
    rc = query_int(c, err, &tid, &found, "SELECT id FROM tables WHERE db=?1 AND name=?2", "tt", ldb, lname);
    if (rc)
        goto out;
    if (found) {
        if (!if_not_exists)
            rc = lh_errf(err, LH_EEXIST, "table %s.%s already exists (use IF NOT EXISTS to ignore)", ldb, lname);
        goto out;
    }
    rc = lh_catalog_check_location_(c, def->location, ldb, lname, err); /* locations never overlap */
    if (rc)
        goto out;
    fmt_iso(now_ms(), ts, sizeof ts);
    rc = exec(c, err, "creating a table",
              "INSERT INTO tables(db, name, managed, location, format, serde, input_format, output_format, comment,"
              " current_snapshot_id, created_at, updated_at) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,NULL,?10,?10)",
              "ttittttttt", ldb, lname, (int64_t)(def->managed ? 1 : 0), def->location, def->format, def->serde,
              def->input_format, def->output_format, def->comment, ts);
    if (rc)
        goto out;
    tid = sqlite3_last_insert_rowid(c->db);
    rc = write_children(c, tid, def, err);
out:
    if (in_txn)
        rc = txn_end(c, rc, err);
    lh_free(ldb);
    lh_free(lname);
    return rc;
}

static lh_rc load_columns(lh_catalog *c, int64_t tid, lh_table_def *t, lh_err *err)
{
    sqlite3_stmt *st = NULL;
    size_t cap = 0;
    int row;
    lh_rc rc = prepare(c, "SELECT name, type, comment FROM columns WHERE table_id=?1 ORDER BY pos", &st, err);
    if (!rc)
        rc = bind(c, st, err, "i", tid);
    while (!rc) {
        lh_column *nc, *col;
        rc = step(c, st, &row, "reading columns", err);
        if (rc || !row)
            break;
        nc = arr_grow(t->cols, &cap, t->n_cols + 1, sizeof *nc);
        if (!nc) {
            rc = nomem(c, "reading columns", err);
            break;
        }
        t->cols = nc;
        col = &t->cols[t->n_cols++];
        memset(col, 0, sizeof *col);
        rc = col_text(c, st, 0, &col->name, err);
        if (!rc)
            rc = col_text(c, st, 1, &col->type, err);
        if (!rc)
            rc = col_text(c, st, 2, &col->comment, err);
    }
    (void)sqlite3_finalize(st); /* repeats the last step's code, already handled */
    return rc;
}

static lh_rc load_props(lh_catalog *c, int64_t tid, const char *kind, lh_prop **props, size_t *n, lh_err *err)
{
    sqlite3_stmt *st = NULL;
    size_t cap = 0;
    int row;
    lh_rc rc = prepare(c, "SELECT key, value FROM table_props WHERE table_id=?1 AND kind=?2 ORDER BY pos", &st, err);
    if (!rc)
        rc = bind(c, st, err, "it", tid, kind);
    while (!rc) {
        lh_prop *np, *p;
        rc = step(c, st, &row, "reading table properties", err);
        if (rc || !row)
            break;
        np = arr_grow(*props, &cap, *n + 1, sizeof *np);
        if (!np) {
            rc = nomem(c, "reading table properties", err);
            break;
        }
        *props = np;
        p = &np[(*n)++];
        memset(p, 0, sizeof *p);
        rc = col_text(c, st, 0, &p->key, err);
        if (!rc)
            rc = col_text(c, st, 1, &p->value, err);
    }
    (void)sqlite3_finalize(st); /* repeats the last step's code, already handled */
    return rc;
}

/* Snapshot sid's fields and files into t (inside the caller's transaction). */
static lh_rc load_snapshot(lh_catalog *c, int64_t sid, lh_table_def *t, lh_err *err)
{
    sqlite3_stmt *st = NULL;
    size_t cap = 0;
    int row;
    lh_rc rc = prepare(c, "SELECT run_id, created_at, row_count, prefix FROM snapshots WHERE id=?1", &st, err);
    if (!rc)
        rc = bind(c, st, err, "i", sid);
    if (!rc)
        rc = step(c, st, &row, "reading the current snapshot", err);
    if (rc)
        goto out;
    if (!row) {
        rc = lh_errf(err, LH_ECORRUPT, "catalog %s: table %s.%s points at snapshot %lld, which does not exist",
                     c->path, t->db, t->name, (long long)sid);
        goto out;
    }
    t->snapshot_id = sid;
    t->snapshot_run_id = col_int_or(st, 0, 0);
    t->snapshot_rows = col_int_or(st, 2, 0);
    rc = col_text(c, st, 1, &t->snapshot_time, err);
    if (!rc)
        rc = col_text(c, st, 3, &t->snapshot_prefix, err);
    (void)sqlite3_finalize(st); /* repeats the last step's code, already handled */
    st = NULL;
    if (rc)
        goto out;
    rc = prepare(c, "SELECT uri, size, rows FROM snapshot_files WHERE snapshot_id=?1 ORDER BY uri", &st, err);
    if (!rc)
        rc = bind(c, st, err, "i", sid);
    while (!rc) {
        lh_data_file *nf, *f;
        rc = step(c, st, &row, "reading snapshot files", err);
        if (rc || !row)
            break;
        nf = arr_grow(t->files, &cap, t->n_files + 1, sizeof *nf);
        if (!nf) {
            rc = nomem(c, "reading snapshot files", err);
            break;
        }
        t->files = nf;
        f = &t->files[t->n_files++];
        memset(f, 0, sizeof *f);
        f->size = (uint64_t)sqlite3_column_int64(st, 1);
        f->rows = sqlite3_column_int64(st, 2);
        rc = col_text(c, st, 0, &f->uri, err);
    }
out:
    (void)sqlite3_finalize(st); /* repeats the last step's code, already handled */
    return rc;
}

lh_rc lh_catalog_get_table(lh_catalog *c, const char *db, const char *name, lh_table_def *out, lh_err *err)
{
    lh_table_def t;
    sqlite3_stmt *st = NULL;
    int in_txn = 0, row = 0;
    int64_t tid = 0, sid = 0;
    lh_rc rc;
    memset(&t, 0, sizeof t);
    memset(out, 0, sizeof *out);
    rc = lower_names(c, db, name, &t.db, &t.name, err);
    if (rc)
        goto out;
    /* One read transaction: in WAL mode it pins one committed state of the
     * file, so the definition, snapshot and files below agree. */
    rc = txn_begin(c, "BEGIN", err);
    if (rc)
        goto out;
    in_txn = 1;
    rc = prepare(c,
                 "SELECT id, managed, location, format, serde, input_format, output_format, comment,"
                 " current_snapshot_id FROM tables WHERE db=?1 AND name=?2",
                 &st, err);
    if (!rc)
        rc = bind(c, st, err, "tt", t.db, t.name);
    if (!rc)
        rc = step(c, st, &row, "reading a table", err);
    if (rc)
        goto out;
    if (!row) {
        rc = table_not_found(c, t.db, t.name, err);
        goto out;
    }
    tid = sqlite3_column_int64(st, 0);
    t.managed = sqlite3_column_int(st, 1) != 0;
    sid = col_int_or(st, 8, 0);
    rc = col_text(c, st, 2, &t.location, err);
    if (!rc)
        rc = col_text(c, st, 3, &t.format, err);
    if (!rc)
        rc = col_text(c, st, 4, &t.serde, err);
    if (!rc)
        rc = col_text(c, st, 5, &t.input_format, err);
    if (!rc)
        rc = col_text(c, st, 6, &t.output_format, err);
    if (!rc)
        rc = col_text(c, st, 7, &t.comment, err);
    (void)sqlite3_finalize(st); /* repeats the last step's code, already handled */
    st = NULL;
    if (rc)
        goto out;
    rc = load_columns(c, tid, &t, err);
    if (rc)
        goto out;
    rc = load_props(c, tid, "serde", &t.serde_props, &t.n_serde_props, err);
    if (rc)
        goto out;
    rc = load_props(c, tid, "table", &t.tbl_props, &t.n_tbl_props, err);
    if (rc)
        goto out;
    if (sid > 0)
        rc = load_snapshot(c, sid, &t, err);
out:
    (void)sqlite3_finalize(st); /* repeats the last step's code, already handled */
    if (in_txn)
        rc = txn_end(c, rc, err);
    if (rc)
        lh_table_def_free(&t);
    else
        *out = t;
    return rc;
}

/* Delete table tid and every row that hangs off it (inside a transaction). */
static lh_rc delete_table_rows(lh_catalog *c, int64_t tid, lh_err *err)
{
    lh_rc rc = exec(c, err, "dropping snapshot files",
                    "DELETE FROM snapshot_files WHERE snapshot_id IN (SELECT id FROM snapshots WHERE table_id=?1)",
                    "i", tid);
    if (!rc)
        rc = exec(c, err, "dropping snapshots", "DELETE FROM snapshots WHERE table_id=?1", "i", tid);
    if (!rc)
        rc = exec(c, err, "dropping columns", "DELETE FROM columns WHERE table_id=?1", "i", tid);
    if (!rc)
        rc = exec(c, err, "dropping table properties", "DELETE FROM table_props WHERE table_id=?1", "i", tid);
    if (!rc)
        rc = exec(c, err, "dropping a table", "DELETE FROM tables WHERE id=?1", "i", tid);
    return rc;
}

lh_rc lh_catalog_drop_table(lh_catalog *c, const char *db, const char *name, int if_exists, lh_err *err)
{
    char *ldb = NULL, *lname = NULL;
    int in_txn = 0, found = 0;
    int64_t tid = 0;
    lh_rc rc = lower_names(c, db, name, &ldb, &lname, err);
    if (rc)
        goto out;
    rc = txn_begin(c, "BEGIN IMMEDIATE", err);
    if (rc)
        goto out;
    in_txn = 1;
    rc = query_int(c, err, &tid, &found, "SELECT id FROM tables WHERE db=?1 AND name=?2", "tt", ldb, lname);
    if (rc)
        goto out;
    if (!found) {
        if (!if_exists)
            rc = table_not_found(c, ldb, lname, err);
        goto out;
    }
    rc = delete_table_rows(c, tid, err);
out:
    if (in_txn)
        rc = txn_end(c, rc, err);
    lh_free(ldb);
    lh_free(lname);
    return rc;
}

/* ---- Job runs ---- */

lh_rc lh_catalog_run_begin(lh_catalog *c, const char *job, int64_t *run_id, lh_err *err)
{
    char ts[64];
    int64_t ms = now_ms();
    lh_rc rc;
    *run_id = 0;
    if (!job || !*job)
        return lh_errf(err, LH_EINVAL, "catalog %s: job run without a job name", c->path);
    fmt_iso(ms, ts, sizeof ts);
    rc = exec(c, err, "recording a job run start",
              "INSERT INTO job_runs(job, status, started_at, started_ms, pid, boot_id) "
              "VALUES(?1,'running',?2,?3,?4,?5)",
              "ttiit", job, ts, ms, (int64_t)getpid(), lh_boot_id_());
    if (rc)
        return rc;
    *run_id = sqlite3_last_insert_rowid(c->db);
    return LH_OK;
}

/* LH_OK when run_id exists and is still running (inside a transaction). */
static lh_rc check_running(lh_catalog *c, int64_t run_id, lh_err *err)
{
    int64_t running = 0;
    int found = 0;
    lh_rc rc = query_int(c, err, &running, &found, "SELECT status='running' FROM job_runs WHERE id=?1", "i", run_id);
    if (rc)
        return rc;
    if (!found)
        return lh_errf(err, LH_ENOTFOUND, "catalog %s: job run %lld not found", c->path, (long long)run_id);
    if (!running)
        return lh_errf(err, LH_EINVAL, "catalog %s: job run %lld has already ended", c->path, (long long)run_id);
    return LH_OK;
}

/* End run_id (which must be running) with status and the given fields. */
static lh_rc run_end(lh_catalog *c, int64_t run_id, const char *status, int64_t rows_read, int64_t rows_written,
                     const char *error, const char *target, int64_t snapshot_id, lh_err *err)
{
    char ts[64];
    int64_t ms = now_ms();
    lh_rc rc = check_running(c, run_id, err);
    if (rc)
        return rc;
    fmt_iso(ms, ts, sizeof ts);
    return exec(c, err, "recording a job run end",
                "UPDATE job_runs SET status=?2, ended_at=?3, ended_ms=?4, rows_read=?5, rows_written=?6, error=?7,"
                " target=?8, snapshot_id=?9 WHERE id=?1",
                "ittinnttn", run_id, status, ts, ms, rows_read, rows_written, error, target,
                snapshot_id > 0 ? snapshot_id : (int64_t)-1);
}

static lh_rc run_finish(lh_catalog *c, int64_t run_id, const char *status, int64_t rows_read, int64_t rows_written,
                        const char *error, lh_err *err)
{
    lh_rc rc = txn_begin(c, "BEGIN IMMEDIATE", err);
    if (rc)
        return rc;
    rc = run_end(c, run_id, status, rows_read, rows_written, error, NULL, 0, err);
    return txn_end(c, rc, err);
}

lh_rc lh_catalog_run_fail(lh_catalog *c, int64_t run_id, int64_t rows_read, const char *error, lh_err *err)
{
    return run_finish(c, run_id, "failed", rows_read, -1, error && *error ? error : "unknown error", err);
}

lh_rc lh_catalog_run_cancel(lh_catalog *c, int64_t run_id, int64_t rows_read, const char *why, lh_err *err)
{
    return run_finish(c, run_id, "cancelled", rows_read, -1, why && *why ? why : "cancelled", err);
}

lh_rc lh_catalog_run_succeed(lh_catalog *c, int64_t run_id, int64_t rows_read, int64_t rows_written, lh_err *err)
{
    return run_finish(c, run_id, "succeeded", rows_read, rows_written, NULL, err);
}

/* ---- The commit transaction ---- */

static lh_rc validate_files(lh_catalog *c, const lh_table_def *def, const char *prefix, const lh_data_file *files,
                            size_t n_files, lh_err *err)
{
    if (!prefix || !*prefix)
        return lh_errf(err, LH_EINVAL, "table %s.%s: snapshot without a prefix", def->db, def->name);
    if (n_files && !files)
        return lh_errf(err, LH_EINVAL, "table %s.%s: %zu snapshot files but no array", def->db, def->name, n_files);
    for (size_t i = 0; i < n_files; i++) {
        if (!files[i].uri || !*files[i].uri)
            return lh_errf(err, LH_EINVAL, "table %s.%s: snapshot file %zu has no URI", def->db, def->name, i + 1);
        if (files[i].size > (uint64_t)INT64_MAX)
            return lh_errf(err, LH_EINVAL, "table %s.%s: snapshot file %s has an impossible size", def->db,
                           def->name, files[i].uri);
    }
    return LH_OK;
}

/* Create (managed) or replace the definition of ldb.lname; *tid is its id. */
static lh_rc put_managed_def(lh_catalog *c, const lh_table_def *def, const char *ldb, const char *lname,
                             const char *ts, int64_t *tid, lh_err *err)
{
    int64_t managed = 0;
    int found = 0, exists = 0;
    lh_rc rc = query_int(c, err, tid, &found, "SELECT id FROM tables WHERE db=?1 AND name=?2", "tt", ldb, lname);
    if (!rc)
        rc = lh_catalog_check_location_(c, def->location, ldb, lname, err); /* locations never overlap */
    if (rc)
        return rc;
    if (!found) {
        rc = db_exists(c, ldb, &exists, err);
        if (rc)
            return rc;
        if (!exists)
            return lh_errf(err, LH_ENOTFOUND, "database %s not found (committing table %s.%s)", ldb, ldb, lname);
        rc = exec(c, err, "creating a managed table",
                  "INSERT INTO tables(db, name, managed, location, format, serde, input_format, output_format,"
                  " comment, current_snapshot_id, created_at, updated_at) VALUES(?1,?2,1,?3,?4,?5,?6,?7,?8,NULL,?9,?9)",
                  "ttttttttt", ldb, lname, def->location, def->format, def->serde, def->input_format,
                  def->output_format, def->comment, ts);
        if (rc)
            return rc;
        *tid = sqlite3_last_insert_rowid(c->db);
        return write_children(c, *tid, def, err);
    }
    rc = query_int(c, err, &managed, NULL, "SELECT managed FROM tables WHERE id=?1", "i", *tid);
    if (rc)
        return rc;
    if (!managed)
        return lh_errf(err, LH_EEXIST,
                       "table %s.%s exists as an EXTERNAL table; a job can only replace a table it created", ldb,
                       lname);
    rc = exec(c, err, "replacing a table definition",
              "UPDATE tables SET location=?2, format=?3, serde=?4, input_format=?5, output_format=?6, comment=?7,"
              " updated_at=?8 WHERE id=?1",
              "ittttttt", *tid, def->location, def->format, def->serde, def->input_format, def->output_format,
              def->comment, ts);
    if (!rc)
        rc = exec(c, err, "replacing columns", "DELETE FROM columns WHERE table_id=?1", "i", *tid);
    if (!rc)
        rc = exec(c, err, "replacing table properties", "DELETE FROM table_props WHERE table_id=?1", "i", *tid);
    if (!rc)
        rc = write_children(c, *tid, def, err);
    return rc;
}

static lh_rc insert_files(lh_catalog *c, int64_t sid, const lh_data_file *files, size_t n_files, lh_err *err)
{
    sqlite3_stmt *st = NULL;
    int row;
    lh_rc rc;
    if (n_files == 0)
        return LH_OK;
    rc = prepare(c, "INSERT INTO snapshot_files(snapshot_id, uri, size, rows) VALUES(?1,?2,?3,?4)", &st, err);
    for (size_t i = 0; !rc && i < n_files; i++) {
        rc = bind(c, st, err, "itii", sid, files[i].uri, (int64_t)files[i].size, files[i].rows);
        if (!rc)
            rc = step(c, st, &row, "storing a snapshot file", err);
    }
    (void)sqlite3_finalize(st); /* repeats the last step's code, already handled */
    return rc;
}

lh_rc lh_catalog_commit_snapshot(lh_catalog *c, const lh_table_def *def, int64_t run_id, const char *prefix,
                                 const lh_data_file *files, size_t n_files, int64_t rows_read, int64_t rows_written,
                                 int64_t *snapshot_id, lh_err *err)
{
    char *ldb = NULL, *lname = NULL, *target = NULL, ts[64];
    int in_txn = 0;
    int64_t tid = 0, sid = 0;
    lh_rc rc;
    if (snapshot_id)
        *snapshot_id = 0;
    rc = validate_def(c, def, err);
    if (!rc)
        rc = validate_files(c, def, prefix, files, n_files, err);
    if (!rc)
        rc = lower_names(c, def->db, def->name, &ldb, &lname, err);
    if (rc)
        goto out;
    target = lh_aprintf("%s.%s", ldb, lname);
    if (!target) {
        rc = nomem(c, "committing a snapshot", err);
        goto out;
    }
    fmt_iso(now_ms(), ts, sizeof ts);
    rc = txn_begin(c, "BEGIN IMMEDIATE", err);
    if (rc)
        goto out;
    in_txn = 1;
    rc = check_running(c, run_id, err);
    if (!rc)
        rc = put_managed_def(c, def, ldb, lname, ts, &tid, err);
    if (rc)
        goto out;
    rc = exec(c, err, "inserting a snapshot",
              "INSERT INTO snapshots(table_id, run_id, created_at, row_count, prefix) VALUES(?1,?2,?3,?4,?5)", "iitit",
              tid, run_id, ts, rows_written < 0 ? (int64_t)0 : rows_written, prefix);
    if (rc)
        goto out;
    sid = sqlite3_last_insert_rowid(c->db);
    rc = insert_files(c, sid, files, n_files, err);
    if (!rc)
        rc = exec(c, err, "pointing the table at its snapshot",
                  "UPDATE tables SET current_snapshot_id=?2, updated_at=?3 WHERE id=?1", "iit", tid, sid, ts);
    if (!rc)
        rc = run_end(c, run_id, "succeeded", rows_read, rows_written, NULL, target, sid, err);
out:
    if (in_txn)
        rc = txn_end(c, rc, err);
    if (!rc && snapshot_id)
        *snapshot_id = sid;
    lh_free(ldb);
    lh_free(lname);
    lh_free(target);
    return rc;
}

/* ---- Run history, referenced files ---- */

lh_rc lh_catalog_referenced_files(lh_catalog *c, char ***uris, size_t *n, lh_err *err)
{
    return query_strv(c, err, uris, n, "SELECT DISTINCT uri FROM snapshot_files ORDER BY uri", "");
}

/* ---- Struct helpers ---- */

lh_rc lh_catalog_fail_(const lh_catalog *c, int src, const char *what, lh_err *err)
{
    return sql_fail(c, src, what, err);
}
lh_rc lh_catalog_writable_(lh_catalog *c, lh_err *err) { return writable(c, err); }
lh_rc lh_catalog_txn_begin_(lh_catalog *c, lh_err *err) { return txn_begin(c, "BEGIN IMMEDIATE", err); }
lh_rc lh_catalog_txn_end_(lh_catalog *c, lh_rc rc, lh_err *err) { return txn_end(c, rc, err); }
