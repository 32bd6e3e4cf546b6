/* catalog/catalog.h — the Glue Data Catalog's role, kept in SQLite.
 *
 * Holds databases; tables (location, format, SerDe, SerDe and table
 * properties, columns with Hive types and comments); for tables the engine
 * writes, snapshots (id, time, job run, row count, data files); and job
 * runs (job, start, end, status, rows read and written, error text).
 *
 * Consistency: a reader sees exactly one committed snapshot of a table:
 * lh_catalog_get_table reads the definition, the current snapshot and its
 * file list inside one read transaction.  A commit
 * (lh_catalog_commit_snapshot) is one SQLite transaction: the table
 * definition, the new snapshot and its files, the current-snapshot pointer
 * and the job run's end all change together or not at all.  The database
 * runs in WAL mode so readers never block the writer.
 *
 * Names: database, table and column names are stored lower-case (as Hive
 * and Athena do); lookups are case-insensitive.
 *
 * Ownership: lh_catalog is opaque, lh_catalog_close frees it.  Every struct
 * filled by a getter owns its strings and is released by its *_free.
 * Credentials are never stored here.
 *
 * Errors: LH_ENOTFOUND (no such database/table, message names it),
 * LH_EEXIST, LH_ECORRUPT (not a lakehouse catalog / wrong schema version),
 * LH_EBUSY (locked longer than the busy timeout), LH_EIO, LH_ENOMEM.
 */
#ifndef LH_CATALOG_CATALOG_H
#define LH_CATALOG_CATALOG_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

typedef struct lh_catalog lh_catalog;

typedef struct lh_prop {
    char *key;
    char *value;
} lh_prop;

typedef struct lh_column {
    char *name;    /* lower-case */
    char *type;    /* canonical Hive type text, e.g. "bigint", "decimal(10,2)" */
    char *comment; /* NULL if none */
} lh_column;

typedef struct lh_data_file {
    char *uri;
    uint64_t size;
    int64_t rows;
} lh_data_file;

typedef struct lh_table_def {
    char *db;   /* lower-case */
    char *name; /* lower-case */
    int managed; /* 1: written by the engine (CTAS); 0: EXTERNAL */
    char *location; /* s3://bucket/prefix/ as declared */
    char *format;   /* "json" or "parquet" */
    char *serde;    /* SerDe class, may be NULL */
    char *input_format, *output_format; /* may be NULL */
    lh_prop *serde_props;
    size_t n_serde_props;
    lh_prop *tbl_props;
    size_t n_tbl_props;
    lh_column *cols;
    size_t n_cols;
    char *comment; /* table comment, may be NULL */
    /* Current snapshot (filled by get_table; ignored on create/commit). */
    int64_t snapshot_id; /* 0: none (external tables, or never run) */
    int64_t snapshot_rows;
    char *snapshot_prefix; /* s3://... prefix holding exactly this snapshot */
    char *snapshot_time;   /* ISO-8601 UTC */
    int64_t snapshot_run_id;
    lh_data_file *files;
    size_t n_files;
} lh_table_def;

/* Release every string and array in def and zero it (def itself is not freed). */
void lh_table_def_free(lh_table_def *def);
/* Deep copy; dst is overwritten. */
lh_rc lh_table_def_copy(lh_table_def *dst, const lh_table_def *src, lh_err *err) LH_MUST_CHECK;
/* Value of a property (case-insensitive key) or NULL. */
const char *lh_props_get(const lh_prop *props, size_t n, const char *key);

/* Open (creating if needed, with parent folders) the catalog at path, and
 * migrate an older schema version in one transaction.
 *
 * Read-only lakes: when the file exists but it, or its folder, cannot be
 * written (a read-only mount, another user's lake), it is opened read-only
 * (immutable when no write-ahead log is left to recover), as it is (an
 * older schema is read unmigrated).  Every read works; every write fails
 * with LH_EPERM naming the reason.  A file with a write-ahead log left by
 * a killed writer on a read-only folder cannot be read (LH_EIO, saying
 * so).  Disk-full errors say "no space left on the device holding PATH". */
lh_rc lh_catalog_open(const char *path, lh_catalog **out, lh_err *err) LH_MUST_CHECK;
void lh_catalog_close(lh_catalog *c);
const char *lh_catalog_path(const lh_catalog *c);
/* NULL when writable, else why the catalog was opened read-only (owned by c). */
const char *lh_catalog_readonly(const lh_catalog *c);

/* Databases. */
lh_rc lh_catalog_create_database(lh_catalog *c, const char *name, int if_not_exists, const char *comment,
                                 lh_err *err) LH_MUST_CHECK;
/* Same as lh_catalog_drop_database_ex(c, name, if_exists, 0, NULL, err). */
lh_rc lh_catalog_drop_database(lh_catalog *c, const char *name, int if_exists, lh_err *err) LH_MUST_CHECK;
/* DROP DATABASE [IF EXISTS] name [CASCADE], as Hive does it, in one
 * transaction: either the database and (with cascade) every table of it
 * are gone, or nothing changed.  Tables go as lh_catalog_drop_table drops
 * them: definitions and snapshot records; data objects stay.
 * *n_tables (may be NULL) gets the number of tables dropped, 0 on error.
 * Errors: LH_EINVAL for "default" (never dropped, IF EXISTS or not) and for
 * a database that still has tables without cascade ("Database d is not
 * empty. One or more tables exist ..."); LH_ENOTFOUND when it is missing
 * and !if_exists (with if_exists: LH_OK, nothing done); LH_EBUSY, LH_EIO,
 * LH_ENOMEM. */
lh_rc lh_catalog_drop_database_ex(lh_catalog *c, const char *name, int if_exists, int cascade, int64_t *n_tables,
                                  lh_err *err) LH_MUST_CHECK;
lh_rc lh_catalog_database_exists(lh_catalog *c, const char *name, int *exists, lh_err *err) LH_MUST_CHECK;
/* Sorted names; free with lh_strv_free. */
lh_rc lh_catalog_list_databases(lh_catalog *c, char ***names, size_t *n, lh_err *err) LH_MUST_CHECK;
lh_rc lh_catalog_list_tables(lh_catalog *c, const char *db, char ***names, size_t *n, lh_err *err) LH_MUST_CHECK;
void lh_strv_free(char **v, size_t n);

/* Tables.  create_table: LH_EEXIST unless if_not_exists (then LH_OK, no
 * change); LH_ENOTFOUND if the database is missing. */
lh_rc lh_catalog_create_table(lh_catalog *c, const lh_table_def *def, int if_not_exists, lh_err *err) LH_MUST_CHECK;
lh_rc lh_catalog_get_table(lh_catalog *c, const char *db, const char *name, lh_table_def *out,
                           lh_err *err) LH_MUST_CHECK;
/* Drops the definition and its snapshot records (data objects stay, as in
 * Athena; vacuum removes unreferenced ones). */
lh_rc lh_catalog_drop_table(lh_catalog *c, const char *db, const char *name, int if_exists, lh_err *err) LH_MUST_CHECK;

/* Job runs.  run_begin records status 'running' with the start time, this
 * process id and the boot id (so a run whose process is gone can be told,
 * see lh_catalog_list_runs).  The caller holds the lake lock (lock.h). */
lh_rc lh_catalog_run_begin(lh_catalog *c, const char *job, int64_t *run_id, lh_err *err) LH_MUST_CHECK;
/* Mark a run failed with its error text (rows may be -1 if unknown). */
lh_rc lh_catalog_run_fail(lh_catalog *c, int64_t run_id, int64_t rows_read, const char *error,
                          lh_err *err) LH_MUST_CHECK;
/* Mark a run cancelled (Ctrl-C, SIGTERM) with why. */
lh_rc lh_catalog_run_cancel(lh_catalog *c, int64_t run_id, int64_t rows_read, const char *why,
                            lh_err *err) LH_MUST_CHECK;
/* Mark a run succeeded without a snapshot (e.g. a DDL-only job). */
lh_rc lh_catalog_run_succeed(lh_catalog *c, int64_t run_id, int64_t rows_read, int64_t rows_written,
                             lh_err *err) LH_MUST_CHECK;

/* The commit point of a job, one transaction: create the table (managed)
 * or replace its definition (columns, format, location) if it exists as a
 * managed table (LH_EEXIST if it exists as an EXTERNAL table); insert a
 * snapshot with the given prefix and files; point the table at it; mark
 * the run succeeded with the row counts.  On any failure nothing changes. */
lh_rc lh_catalog_commit_snapshot(lh_catalog *c, const lh_table_def *def, int64_t run_id, const char *prefix,
                                 const lh_data_file *files, size_t n_files, int64_t rows_read, int64_t rows_written,
                                 int64_t *snapshot_id, lh_err *err) LH_MUST_CHECK;

typedef struct lh_run_info {
    int64_t id;
    char *job;
    char *status; /* "running", "succeeded", "failed", "cancelled", "abandoned" */
    char *started_at, *ended_at; /* ISO-8601 UTC; ended_at NULL while running */
    int64_t duration_ms;         /* -1 while running */
    int64_t rows_read, rows_written;
    char *error; /* NULL unless failed */
    char *target; /* "db.table" written, or NULL */
    int64_t snapshot_id; /* 0 if none */
} lh_run_info;

/* Most recent first; job NULL for all jobs; limit <= 0 for no limit.  A
 * run recorded 'running' whose process is gone (pid dead, another boot, or
 * the pid alive but not holding the lake lock) comes back as 'abandoned';
 * nothing is written (works read-only). */
lh_rc lh_catalog_list_runs(lh_catalog *c, const char *job, int limit, lh_run_info **out, size_t *n,
                           lh_err *err) LH_MUST_CHECK;
void lh_run_info_free(lh_run_info *runs, size_t n);
/* Record every such run 'abandoned' (with its end time and an error text
 * naming its pid), in one transaction; *marked (may be NULL) = how many.
 * src/catalog/runs.c. */
lh_rc lh_catalog_mark_abandoned_runs(lh_catalog *c, uint64_t *marked, lh_err *err) LH_MUST_CHECK;

/* ---- Locations (catalog/locations.c): no two tables share data ----
 *
 * Two locations overlap when one equals, contains or lies inside the
 * other, compared by path segment with trailing slashes ignored:
 * s3://b/a and s3://b/a/ are equal, s3://b/a/ contains s3://b/a/x/, and
 * s3://b/a does not overlap s3://b/ab/.  Bytes are compared exactly (S3
 * keys are case-sensitive).  lh_catalog_create_table and
 * lh_catalog_commit_snapshot refuse (LH_EEXIST, naming the other table) a
 * location that overlaps another table's; a table may always be replaced
 * at its own location. */
typedef enum lh_loc_rel {
    LH_LOC_DISJOINT = 0,
    LH_LOC_EQUAL = 1,    /* a and b name the same prefix */
    LH_LOC_CONTAINS = 2, /* b lies inside a */
    LH_LOC_INSIDE = 3    /* a lies inside b */
} lh_loc_rel;
/* How location (or object URI) a relates to location b.  NULL: disjoint. */
lh_loc_rel lh_location_relation(const char *a, const char *b);

/* Flags of lh_catalog_location_owner. */
#define LH_LOC_MANAGED_ONLY 1  /* only tables a job writes */
#define LH_LOC_EXTERNAL_ONLY 2 /* only EXTERNAL tables */
#define LH_LOC_HOLDING 4       /* only tables whose location equals or contains uri; the innermost wins */

/* Which table's location overlaps uri (a location or an object URI)?
 * Tables named exclude_db.exclude_name (case-insensitive; either may be
 * NULL to exclude nothing) are skipped.  Without LH_LOC_HOLDING the first
 * overlapping table in (db, name) order is returned; with it, the table
 * with the longest location that equals or contains uri.  On LH_OK the
 * owner's db, name and location are returned as new strings (free with
 * lh_free), or all three NULL when no table overlaps.  Any of the out
 * pointers may be NULL.  One SELECT, bound parameters only; it sees the
 * caller's open transaction if any.  Errors: LH_ENOMEM, LH_EBUSY, LH_EIO,
 * LH_ECORRUPT (a table without a location is not an error: it overlaps
 * nothing). */
lh_rc lh_catalog_location_owner(lh_catalog *c, const char *uri, int flags, const char *exclude_db,
                                const char *exclude_name, char **owner_db, char **owner_name, char **owner_loc,
                                lh_err *err) LH_MUST_CHECK;

/* Every data-file URI referenced by any snapshot (for vacuum); sorted. */
lh_rc lh_catalog_referenced_files(lh_catalog *c, char ***uris, size_t *n, lh_err *err) LH_MUST_CHECK;

#endif
