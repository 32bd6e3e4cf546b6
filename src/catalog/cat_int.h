/* catalog/cat_int.h — what catalog.c shares with runs.c (the run history,
 * runs whose process is gone), readonly.c (opening a catalog that cannot
 * be written) and locations.c (tables never share a prefix).  Not part of
 * the library's interface: nothing outside src/catalog includes it. */
#ifndef LH_CATALOG_CAT_INT_H
#define LH_CATALOG_CAT_INT_H

#include <stdint.h>

#include <sqlite3.h>

#include "catalog/catalog.h"

/* catalog.c */
sqlite3 *lh_catalog_db_(lh_catalog *c);
int lh_catalog_version_(const lh_catalog *c);
/* Report SQLite result src (not OK) for what the caller was doing, naming the catalog. */
lh_rc lh_catalog_fail_(const lh_catalog *c, int src, const char *what, lh_err *err);
lh_rc lh_catalog_writable_(lh_catalog *c, lh_err *err);
lh_rc lh_catalog_txn_begin_(lh_catalog *c, lh_err *err); /* BEGIN IMMEDIATE */
lh_rc lh_catalog_txn_end_(lh_catalog *c, lh_rc rc, lh_err *err);

/* locations.c: the commit-time check behind lh_catalog_create_table and
 * lh_catalog_commit_snapshot, run inside their transaction: LH_EEXIST,
 * naming the other table, when location (may be NULL: no check) equals,
 * contains or lies inside the location of any table but ldb.lname. */
lh_rc lh_catalog_check_location_(lh_catalog *c, const char *location, const char *ldb, const char *lname,
                                 lh_err *err) LH_MUST_CHECK;

/* readonly.c */
/* Why the existing catalog at path cannot be opened for writing (lh_free),
 * or NULL when it can (or does not exist yet). */
char *lh_catalog_readonly_reason_(const char *path);
/* Open path read-only (immutable when no write-ahead log is left); why is
 * the reason, for messages.  On failure *db may be set: close it. */
lh_rc lh_catalog_open_readonly_(const char *path, const char *why, sqlite3 **db, lh_err *err);

/* runs.c */
/* This boot's id (/proc/sys/kernel/random/boot_id), or NULL if unknown. */
const char *lh_boot_id_(void);
/* 1 when a run recorded 'running' by pid during boot (NULL: unknown)
 * cannot still be running: the pid is dead, it is another boot, or the pid
 * is alive but does not hold the lake lock of catalog_path (every running
 * job holds it).  0 when it may be running, or when that cannot be told. */
int lh_run_process_gone_(const char *catalog_path, int64_t pid, const char *boot);

#endif
