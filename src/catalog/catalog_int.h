/* catalog/catalog_int.h — internal: what the catalog's own source files
 * (catalog.c, locations.c) share.  Nothing outside src/catalog includes it.
 */
#ifndef LH_CATALOG_CATALOG_INT_H
#define LH_CATALOG_CATALOG_INT_H

#include <sqlite3.h>

#include "catalog/catalog.h"

/* The connection and its path (for messages). */
sqlite3 *lh_catalog_sqlite_(lh_catalog *c);
/* Report SQLite result src (not OK) for what the caller was doing, naming the catalog. */
lh_rc lh_catalog_sql_fail_(const lh_catalog *c, int src, const char *what, lh_err *err);

/* The commit-time check behind lh_catalog_create_table and
 * lh_catalog_commit_snapshot, run inside their transaction: LH_EEXIST,
 * naming the other table, when location (may be NULL: no check) equals,
 * contains or lies inside the location of any table but ldb.lname. */
lh_rc lh_catalog_check_location_(lh_catalog *c, const char *location, const char *ldb, const char *lname,
                                 lh_err *err) LH_MUST_CHECK;

#endif
