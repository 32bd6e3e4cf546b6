/* catalog/locations.c — table locations never overlap (see catalog.h).
 *
 * A job that could write into another table's prefix would add rows to
 * that table (its readers list the whole prefix) and let vacuum delete
 * the other table's files.  So the catalog refuses, at the commit of a
 * table definition, any location that equals, contains or lies inside
 * another table's; the SQL layer, ingest and vacuum ask the same question
 * earlier through lh_catalog_location_owner.
 */
#include <string.h>
#include <strings.h>

#include "catalog/catalog.h"
#include "catalog/cat_int.h"
#include "util/mem.h"

/* Length of s without its trailing slashes. */
static size_t norm_len(const char *s)
{
    size_t n = strlen(s);
    while (n && s[n - 1] == '/')
        n--;
    return n;
}

lh_loc_rel lh_location_relation(const char *a, const char *b)
{
    size_t na, nb;
    if (!a || !b)
        return LH_LOC_DISJOINT;
    na = norm_len(a);
    nb = norm_len(b);
    if (na == 0 || nb == 0)
        return LH_LOC_DISJOINT;
    if (na == nb)
        return memcmp(a, b, na) == 0 ? LH_LOC_EQUAL : LH_LOC_DISJOINT;
    if (na < nb)
        return memcmp(a, b, na) == 0 && b[na] == '/' ? LH_LOC_CONTAINS : LH_LOC_DISJOINT;
    return memcmp(a, b, nb) == 0 && a[nb] == '/' ? LH_LOC_INSIDE : LH_LOC_DISJOINT;
}

static int excluded(const char *db, const char *name, const char *xdb, const char *xname)
{
    return xdb && xname && !strcasecmp(db, xdb) && !strcasecmp(name, xname);
}

lh_rc lh_catalog_location_owner(lh_catalog *c, const char *uri, int flags, const char *exclude_db,
                                const char *exclude_name, char **owner_db, char **owner_name, char **owner_loc,
                                lh_err *err)
{
    sqlite3 *db = lh_catalog_db_(c);
    sqlite3_stmt *st = NULL;
    char *odb = NULL, *oname = NULL, *oloc = NULL;
    size_t best = 0;
    int src;
    lh_rc rc = LH_OK;
    if (owner_db)
        *owner_db = NULL;
    if (owner_name)
        *owner_name = NULL;
    if (owner_loc)
        *owner_loc = NULL;
    if (!uri || !*uri)
        return LH_OK;
    src = sqlite3_prepare_v2(db,
                             "SELECT db, name, location, managed FROM tables"
                             " WHERE location IS NOT NULL AND (?1 = 0 OR managed = ?2) ORDER BY db, name",
                             -1, &st, NULL);
    if (src != SQLITE_OK) {
        st = NULL;
        rc = lh_catalog_fail_(c, src, "preparing the location check", err);
        goto out;
    }
    src = sqlite3_bind_int(st, 1, (flags & (LH_LOC_MANAGED_ONLY | LH_LOC_EXTERNAL_ONLY)) != 0);
    if (src == SQLITE_OK)
        src = sqlite3_bind_int(st, 2, (flags & LH_LOC_MANAGED_ONLY) != 0);
    if (src != SQLITE_OK) {
        rc = lh_catalog_fail_(c, src, "binding the location check", err);
        goto out;
    }
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        const char *tdb = (const char *)sqlite3_column_text(st, 0);
        const char *tname = (const char *)sqlite3_column_text(st, 1);
        const char *tloc = (const char *)sqlite3_column_text(st, 2);
        lh_loc_rel rel;
        size_t len;
        if (!tdb || !tname || !tloc) {
            rc = sqlite3_errcode(db) == SQLITE_NOMEM ? lh_errf(err, LH_ENOMEM, "catalog %s: out of memory checking "
                                                                               "table locations",
                                                               lh_catalog_path(c))
                                                     : lh_errf(err, LH_ECORRUPT,
                                                               "catalog %s: a table without a database or name",
                                                               lh_catalog_path(c));
            goto out;
        }
        if (excluded(tdb, tname, exclude_db, exclude_name))
            continue;
        rel = lh_location_relation(uri, tloc);
        if (rel == LH_LOC_DISJOINT)
            continue;
        if (flags & LH_LOC_HOLDING) {
            if (rel != LH_LOC_EQUAL && rel != LH_LOC_INSIDE)
                continue;
            len = strlen(tloc);
            if (odb && len <= best)
                continue;
            best = len;
        } else if (odb)
            continue;
        lh_free(odb);
        lh_free(oname);
        lh_free(oloc);
        odb = lh_strdup(tdb);
        oname = lh_strdup(tname);
        oloc = lh_strdup(tloc);
        if (!odb || !oname || !oloc) {
            rc = lh_errf(err, LH_ENOMEM, "catalog %s: out of memory checking table locations", lh_catalog_path(c));
            goto out;
        }
        if (!(flags & LH_LOC_HOLDING))
            break;
    }
    if (src != SQLITE_ROW && src != SQLITE_DONE)
        rc = lh_catalog_fail_(c, src, "checking table locations", err);
out:
    (void)sqlite3_finalize(st); /* repeats the last step's code, already handled */
    if (!rc) {
        if (owner_db) {
            *owner_db = odb;
            odb = NULL;
        }
        if (owner_name) {
            *owner_name = oname;
            oname = NULL;
        }
        if (owner_loc) {
            *owner_loc = oloc;
            oloc = NULL;
        }
    }
    lh_free(odb);
    lh_free(oname);
    lh_free(oloc);
    return rc;
}

lh_rc lh_catalog_check_location_(lh_catalog *c, const char *location, const char *ldb, const char *lname,
                                 lh_err *err)
{
    char *odb = NULL, *oname = NULL, *oloc = NULL;
    lh_rc rc = lh_catalog_location_owner(c, location, 0, ldb, lname, &odb, &oname, &oloc, err);
    if (!rc && odb)
        rc = lh_errf(err, LH_EEXIST,
                     "location '%s' of table %s.%s overlaps the location of table %s.%s (%s); choose a prefix of "
                     "its own",
                     location, ldb, lname, odb, oname, oloc);
    lh_free(odb);
    lh_free(oname);
    lh_free(oloc);
    return rc;
}
