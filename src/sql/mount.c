/* sql/mount.c — catalog tables mounted as virtual tables, on demand.
 *
 * A statement mounts only the tables it names.  lh_engine_prepare asks
 * SQLite to prepare the statement; every "no such table: X" it answers is
 * looked up in the catalog, mounted (its database ATTACHed as an in-memory
 * schema, the table created there as a `lakehouse` virtual table) and the
 * statement prepared again.  So one table that cannot be mounted fails
 * only the statements that read it, DROP never needs a mount, and the
 * number of catalog databases is not bounded by SQLite's attach limit
 * (10): when a statement needs a database and all slots are taken, every
 * database is detached and the statement mounts again what it needs.
 *
 * Every statement built here quotes its identifiers (%w) and strings (%Q)
 * and is prepared and stepped one statement at a time: a name cannot
 * become SQL.  Those statements run "trusted"; everything else (user SQL)
 * passes the engine's authorizer, which allows reading and nothing else:
 * no ATTACH/DETACH, PRAGMA, writes, schema changes or transactions.
 */
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "sql/engine_int.h"
#include "sql/lexer.h"
#include "util/mem.h"
#include "util/names.h"

/* One statement, trusted, with no tail: never sqlite3_exec of composed text. */
lh_rc lh_engine_exec1(lh_engine *e, const char *sql, lh_err *err)
{
    sqlite3_stmt *q = NULL;
    const char *tail = NULL;
    lh_rc rc = LH_OK;
    int src;
    e->trusted++;
    if (sqlite3_prepare_v2(e->db, sql, -1, &q, &tail) != SQLITE_OK) {
        rc = lh_errf(err, (sqlite3_errcode(e->db) & 0xff) == SQLITE_NOMEM ? LH_ENOMEM : LH_ESQL, "%s",
                     sqlite3_errmsg(e->db));
        goto out;
    }
    if (!q || (tail && *tail)) {
        rc = lh_errf(err, LH_EINTERNAL, "internal statement is not exactly one statement");
        goto out;
    }
    while ((src = sqlite3_step(q)) == SQLITE_ROW)
        ;
    if (src != SQLITE_DONE)
        rc = lh_errf(err, (src & 0xff) == SQLITE_NOMEM ? LH_ENOMEM : LH_ESQL, "%s", sqlite3_errmsg(e->db));
out:
    sqlite3_finalize(q);
    e->trusted--;
    return rc;
}

/* sqlite3_mprintf, then exec1 */
static lh_rc exec_fmt(lh_engine *e, lh_err *err, const char *fmt, ...)
{
    va_list ap;
    char *sql;
    lh_rc rc;
    va_start(ap, fmt);
    sql = sqlite3_vmprintf(fmt, ap);
    va_end(ap);
    if (!sql)
        return lh_errf(err, LH_ENOMEM, "out of memory");
    rc = lh_engine_exec1(e, sql, err);
    sqlite3_free(sql);
    return rc;
}

static void mount_forget(lh_engine *e, size_t j)
{
    lh_free(e->mounts[j].db);
    lh_free(e->mounts[j].name);
    lh_free(e->mounts[j].sig);
    e->mounts[j] = e->mounts[--e->nmounts];
}

static lh_rc detach_at(lh_engine *e, size_t i, lh_err *err)
{
    size_t j;
    lh_rc rc = exec_fmt(e, err, "DETACH DATABASE \"%w\"", e->attached[i]);
    if (rc)
        return rc;
    for (j = 0; j < e->nmounts;) {
        if (!strcmp(e->mounts[j].db, e->attached[i]))
            mount_forget(e, j);
        else
            j++;
    }
    lh_free(e->attached[i]);
    e->attached[i] = e->attached[--e->nattached];
    return LH_OK;
}

static lh_rc unmount_at(lh_engine *e, size_t j, lh_err *err)
{
    lh_rc rc = exec_fmt(e, err, "DROP TABLE \"%w\".\"%w\"", e->mounts[j].db, e->mounts[j].name);
    if (rc)
        return rc;
    mount_forget(e, j);
    return LH_OK;
}

char *lh_table_sig(const lh_table_def *d)
{
    lh_buf b;
    size_t i;
    lh_buf_init(&b, 0);
    if (lh_buf_printf(&b, NULL, "%s|", d->format))
        goto fail;
    for (i = 0; i < d->n_cols; i++)
        if (lh_buf_printf(&b, NULL, "%s %s,", d->cols[i].name, d->cols[i].type))
            goto fail;
    return lh_buf_detach(&b);
fail:
    lh_buf_free(&b);
    return NULL;
}

lh_rc lh_mounts_refresh(lh_engine *e, lh_err *err)
{
    size_t j;
    lh_rc rc = LH_OK;
    for (j = 0; j < e->nmounts;) {
        lh_pin *p = NULL;
        char *sig = NULL;
        lh_err ignored;
        int keep = lh_engine_pin_def(e, e->mounts[j].db, e->mounts[j].name, &p, &ignored) == LH_OK &&
                   (sig = lh_table_sig(&p->def)) != NULL && !strcmp(sig, e->mounts[j].sig);
        lh_free(sig);
        if (keep) {
            j++;
            continue;
        }
        rc = unmount_at(e, j, err);
        if (rc)
            return rc;
    }
    /* databases left with no mounted table free their slot */
    for (j = 0; j < e->nattached;) {
        size_t k;
        int used = 0;
        for (k = 0; k < e->nmounts && !used; k++)
            used = !strcmp(e->mounts[k].db, e->attached[j]);
        if (used) {
            j++;
            continue;
        }
        rc = detach_at(e, j, err);
        if (rc)
            return rc;
    }
    return LH_OK;
}

void lh_mounts_free(lh_engine *e)
{
    size_t i;
    for (i = 0; i < e->nmounts; i++) {
        lh_free(e->mounts[i].db);
        lh_free(e->mounts[i].name);
        lh_free(e->mounts[i].sig);
    }
    lh_free(e->mounts);
    e->mounts = NULL;
    e->nmounts = e->amounts = 0;
    for (i = 0; i < e->nattached; i++)
        lh_free(e->attached[i]);
    lh_free(e->attached);
    e->attached = NULL;
    e->nattached = 0;
}

static int is_mounted(const lh_engine *e, const char *db, const char *name)
{
    size_t k;
    for (k = 0; k < e->nmounts; k++)
        if (!strcmp(e->mounts[k].db, db) && !strcmp(e->mounts[k].name, name))
            return 1;
    return 0;
}

/* Mount db.name.  LH_ENOTFOUND: no such table in the catalog (err says
 * so); LH_ELIMIT: every attach slot is taken by other databases. */
lh_rc lh_engine_mount(lh_engine *e, const char *db, const char *name, lh_err *err)
{
    lh_pin *p;
    lh_mount *m;
    char *sig;
    size_t i;
    int attached = 0;
    lh_rc rc;
    if (is_mounted(e, db, name))
        return LH_OK;
    rc = lh_engine_pin_def(e, db, name, &p, err);
    if (rc)
        return rc;
    {
        /* list its objects now, so a failure keeps its own code (the
         * virtual table's constructor can only pass SQLite a message) */
        const lh_table_def *d;
        const char *const *uris;
        const uint64_t *sizes;
        size_t n;
        rc = lh_engine_pin_table(e, db, name, &d, &uris, &sizes, &n, err);
        if (rc)
            return rc;
    }
    for (i = 0; i < e->nattached && !attached; i++)
        attached = !strcmp(e->attached[i], db);
    if (!attached) {
        char **na;
        if (e->nattached >= (size_t)sqlite3_limit(e->db, SQLITE_LIMIT_ATTACHED, -1))
            return lh_errf(err, LH_ELIMIT, "too many databases attached");
        na = lh_realloc(e->attached, (e->nattached + 1) * sizeof *na);
        if (!na)
            return lh_errf(err, LH_ENOMEM, "out of memory");
        e->attached = na;
        if (!(na[e->nattached] = lh_strdup(db)))
            return lh_errf(err, LH_ENOMEM, "out of memory");
        rc = exec_fmt(e, err, "ATTACH DATABASE ':memory:' AS \"%w\"", db);
        if (rc) {
            lh_free(na[e->nattached]);
            return lh_err_prefix(err, "cannot mount database %s", db);
        }
        e->nattached++;
    }
    if (e->nmounts == e->amounts) {
        size_t na = e->amounts ? e->amounts * 2 : 16;
        lh_mount *nm = lh_realloc(e->mounts, na * sizeof *nm);
        if (!nm)
            return lh_errf(err, LH_ENOMEM, "out of memory");
        e->mounts = nm;
        e->amounts = na;
    }
    sig = lh_table_sig(&p->def);
    if (!sig)
        return lh_errf(err, LH_ENOMEM, "out of memory");
    m = &e->mounts[e->nmounts];
    memset(m, 0, sizeof *m);
    m->db = lh_strdup(db);
    m->name = lh_strdup(name);
    m->sig = sig;
    if (!m->db || !m->name) {
        lh_free(m->db);
        lh_free(m->name);
        lh_free(sig);
        return lh_errf(err, LH_ENOMEM, "out of memory");
    }
    rc = exec_fmt(e, err, "CREATE VIRTUAL TABLE \"%w\".\"%w\" USING lakehouse(%Q, %Q)", db, name, db, name);
    if (rc) {
        lh_free(m->db);
        lh_free(m->name);
        lh_free(sig);
        if (rc == LH_ENOMEM)
            return rc;
        {
            char why[sizeof err->msg];
            snprintf(why, sizeof why, "%s", err->msg);
            return lh_errf(err, LH_ECORRUPT,
                           "cannot mount table %s.%s (%s); other tables are not affected: fix its definition or "
                           "DROP TABLE %s.%s",
                           db, name, why, db, name);
        }
    }
    e->nmounts++;
    return LH_OK;
}

static lh_rc detach_all(lh_engine *e, lh_err *err)
{
    while (e->nattached) {
        size_t j;
        for (j = 0; j < e->nmounts;) {
            if (!strcmp(e->mounts[j].db, e->attached[e->nattached - 1])) {
                lh_rc rc = unmount_at(e, j, err);
                if (rc)
                    return rc;
            } else
                j++;
        }
        lh_rc rc = detach_at(e, e->nattached - 1, err);
        if (rc)
            return rc;
    }
    return LH_OK;
}

/* "did you mean" for a table that is not in the catalog */
static void suggest_table(lh_engine *e, const char *db, const char *name)
{
    char **dbs = NULL, **tabs = NULL, **all = NULL;
    size_t ndbs = 0, ntabs = 0, nall = 0, i, j;
    const char *best;
    e->hint[0] = 0;
    if (lh_catalog_list_databases(e->cat, &dbs, &ndbs, NULL))
        return;
    for (i = 0; i < ndbs; i++) {
        char **na;
        if (db && strcmp(db, dbs[i]) && lh_edit_distance(db, dbs[i]) > 2)
            continue;
        if (lh_catalog_list_tables(e->cat, dbs[i], &tabs, &ntabs, NULL))
            continue;
        na = lh_realloc(all, (nall + ntabs + 1) * sizeof *na);
        if (!na)
            break;
        all = na;
        for (j = 0; j < ntabs; j++) {
            char *q = lh_aprintf("%s.%s", dbs[i], tabs[j]);
            if (q)
                all[nall++] = q;
        }
        lh_strv_free(tabs, ntabs);
        tabs = NULL;
        ntabs = 0;
    }
    {
        char want[2 * LH_NAME_MAX + 2];
        snprintf(want, sizeof want, "%s.%s", db ? db : "default", name);
        best = lh_name_nearest(want, (const char *const *)all, nall);
        if (!best && !db) /* unqualified: compare with table names alone */
            for (i = 0; i < nall && !best; i++) {
                const char *t = strchr(all[i], '.');
                if (t && lh_edit_distance(name, t + 1) <= (strlen(name) >= 9 ? strlen(name) / 3 : 2))
                    best = all[i];
            }
        if (best)
            snprintf(e->hint, sizeof e->hint, "did you mean %s?", best);
    }
    lh_strv_free(all, nall);
    lh_strv_free(tabs, ntabs);
    lh_strv_free(dbs, ndbs);
}

/* The table an unqualified name means: default.name, else the one
 * database that has it.  *db is NULL when no database has it. */
static lh_rc resolve_unqualified(lh_engine *e, const char *name, char **db, lh_err *err)
{
    char **dbs = NULL, **tabs = NULL;
    size_t ndbs = 0, ntabs = 0, i, j, count = 0;
    int in_default = 0;
    const char *first = NULL;
    lh_buf in;
    lh_rc rc;
    *db = NULL;
    lh_buf_init(&in, 4096);
    rc = lh_catalog_list_databases(e->cat, &dbs, &ndbs, err);
    for (i = 0; !rc && i < ndbs; i++) {
        rc = lh_catalog_list_tables(e->cat, dbs[i], &tabs, &ntabs, err);
        for (j = 0; !rc && j < ntabs; j++)
            if (!strcmp(tabs[j], name)) {
                count++;
                in_default |= !strcmp(dbs[i], "default");
                if (!first)
                    first = dbs[i];
                if (lh_buf_printf(&in, NULL, "%s%s", in.len ? ", " : "", dbs[i]))
                    lh_buf_reset(&in); /* the list is for the message only */
            }
        lh_strv_free(tabs, ntabs);
        tabs = NULL;
        ntabs = 0;
    }
    if (!rc && (in_default || count == 1)) {
        if (!(*db = lh_strdup(in_default ? "default" : first)))
            rc = lh_errf(err, LH_ENOMEM, "out of memory");
    } else if (!rc && count > 1)
        rc = lh_errf(err, LH_EINVAL, "table '%s' is in several databases (%s); qualify it, e.g. %s.%s", name,
                     in.data ? lh_buf_cstr(&in) : "", first, name);
    lh_buf_free(&in);
    lh_strv_free(dbs, ndbs);
    return rc;
}

/* 1 if token t of src names s (case-insensitive, quotes undone) */
static int tok_names(const char *src, const lh_token *t, const char *s)
{
    char *v;
    int same;
    if (t->kind != LH_TOK_WORD && t->kind != LH_TOK_QIDENT)
        return 0;
    v = lh_tok_value(src, t);
    same = v && !sqlite3_stricmp(v, s);
    lh_free(v);
    return same;
}

/* Where the statement names [db.]name (SQLite gives no offset for a
 * missing table): e->err_off, or -1. */
static void locate_ref(lh_engine *e, const char *sql, int len, const char *db, const char *name)
{
    lh_lexer lx;
    lh_token t[3];
    size_t n = 0;
    e->err_off = -1;
    lh_lex_init(&lx, sql, len < 0 ? strlen(sql) : (size_t)len, "<sql>");
    for (;;) {
        lh_token tok;
        if (lh_lex_next(&lx, &tok, NULL) != LH_OK || tok.kind == LH_TOK_EOF)
            return;
        if (n == 3) {
            t[0] = t[1];
            t[1] = t[2];
            n = 2;
        }
        t[n++] = tok;
        if (db && n == 3 && tok_names(sql, &t[0], db) && lh_tok_punct(sql, &t[1], '.') &&
            tok_names(sql, &t[2], name)) {
            e->err_off = (int)t[0].off;
            return;
        }
        if (!db && tok_names(sql, &tok, name) && !(n >= 2 && lh_tok_punct(sql, &t[n - 2], '.'))) {
            e->err_off = (int)tok.off;
            return;
        }
    }
}

lh_rc lh_engine_prepare(lh_engine *e, const char *sql, int len, sqlite3_stmt **q, const char **tail, lh_err *err)
{
    int tries, detached = 0;
    *q = NULL;
    e->hint[0] = 0;
    e->err_off = -1;
    for (tries = 0; tries < 256; tries++) {
        const char *msg;
        char ref[2 * LH_NAME_MAX + 8], *dot, *db = NULL;
        const char *name;
        lh_rc rc;
        if (sqlite3_prepare_v2(e->db, sql, len, q, tail) == SQLITE_OK)
            return LH_OK;
        msg = sqlite3_errmsg(e->db);
        if (strncmp(msg, "no such table: ", 15) || strlen(msg + 15) >= sizeof ref)
            return LH_ESQL;
        snprintf(ref, sizeof ref, "%s", msg + 15);
        dot = strchr(ref, '.');
        if (dot) {
            *dot = 0;
            name = dot + 1;
            if (!strcmp(ref, "main") || !strcmp(ref, "temp"))
                return LH_ESQL;
            db = lh_strdup(ref);
            if (!db)
                return lh_errf(err, LH_ENOMEM, "out of memory");
        } else {
            name = ref;
            rc = resolve_unqualified(e, name, &db, err);
            if (rc)
                return rc;
            if (!db) {
                suggest_table(e, NULL, name);
                locate_ref(e, sql, len, NULL, name);
                return LH_ESQL;
            }
        }
        rc = lh_engine_mount(e, db, name, err);
        if (rc == LH_ELIMIT && !detached && !strcmp(err->msg, "too many databases attached")) {
            detached = 1;
            rc = detach_all(e, err);
            if (!rc)
                rc = lh_engine_mount(e, db, name, err);
        }
        if (rc == LH_ENOTFOUND) {
            suggest_table(e, dot ? db : NULL, name);
            locate_ref(e, sql, len, dot ? db : NULL, name);
            lh_free(db);
            /* SQLite's own message (and offset) are gone after the lookups
             * only if a statement ran; none did, so prepare once more to
             * report it. */
            if (sqlite3_prepare_v2(e->db, sql, len, q, tail) == SQLITE_OK)
                return LH_OK;
            return LH_ESQL;
        }
        if (rc == LH_ELIMIT && detached && !strcmp(err->msg, "too many databases attached"))
            rc = lh_errf(err, LH_ELIMIT,
                         "this statement reads tables of more than %d databases; the query engine (SQLite) "
                         "attaches at most %d at once",
                         sqlite3_limit(e->db, SQLITE_LIMIT_ATTACHED, -1),
                         sqlite3_limit(e->db, SQLITE_LIMIT_ATTACHED, -1));
        lh_free(db);
        if (rc)
            return rc;
    }
    return lh_errf(err, LH_ELIMIT, "statement names more than 256 tables");
}

/* ---- the authorizer ---- */

static int authorize(void *ctx, int op, const char *a, const char *b, const char *dbname, const char *inner)
{
    lh_engine *e = ctx;
    if (e->trusted)
        return SQLITE_OK;
    switch (op) {
    case SQLITE_SELECT:
    case SQLITE_RECURSIVE: break;
    case SQLITE_READ:
        if (e->auth_hook)
            e->auth_hook(e->auth_ctx, op, a, b, dbname, inner);
        break;
    case SQLITE_FUNCTION:
        /* a is NULL, b the function name */
        if (b && (!sqlite3_stricmp(b, "load_extension") || !sqlite3_stricmp(b, "fts3_tokenizer") ||
                  !sqlite3_strnicmp(b, "sqlite_", 7) || !sqlite3_stricmp(b, "readfile") ||
                  !sqlite3_stricmp(b, "writefile") || !sqlite3_stricmp(b, "edit")))
            return SQLITE_DENY;
        break;
    default: return SQLITE_DENY; /* ATTACH, DETACH, PRAGMA, writes, schema changes, transactions */
    }
    return SQLITE_OK;
}

lh_rc lh_engine_harden(lh_engine *e, lh_err *err)
{
    int on = -1;
    sqlite3 *db = e->db;
    if (sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_FTS3_TOKENIZER, 0, &on) != SQLITE_OK || on != 0 ||
        sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, &on) != SQLITE_OK || on != 0 ||
        sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, &on) != SQLITE_OK || on != 1 ||
        sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, &on) != SQLITE_OK || on != 0)
        return lh_errf(err, LH_ESQL, "cannot switch off SQLite features the engine never uses: %s",
                       sqlite3_errmsg(db));
    if (sqlite3_set_authorizer(db, authorize, e) != SQLITE_OK)
        return lh_errf(err, LH_ESQL, "cannot install the SQL authorizer: %s", sqlite3_errmsg(db));
    return LH_OK;
}
