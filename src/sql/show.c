/* sql/show.c — the catalog statements: CREATE/DROP DATABASE, CREATE
 * EXTERNAL TABLE, DROP TABLE, SHOW DATABASES/TABLES/CREATE TABLE/COLUMNS,
 * DESCRIBE.  Results are rows shaped like Athena's. */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec/kernels.h"
#include "plan/functions.h"
#include "sql/engine_int.h"
#include "util/mem.h"

/* Emit a one-or-more column result of text rows. */
typedef struct rows_out {
    const lh_sink *sink;
    size_t ncols;
    uint64_t n;
} rows_out;

static lh_rc rows_begin(rows_out *r, const lh_sink *sink, size_t ncols, const char *const *names, lh_err *err)
{
    const char *types[8] = {"string", "string", "string", "string", "string", "string", "string", "string"};
    r->sink = sink;
    r->ncols = ncols;
    r->n = 0;
    if (sink && sink->begin)
        return sink->begin(sink->ctx, ncols, names, types, err);
    return LH_OK;
}

static lh_rc rows_add(rows_out *r, const char *const *cells, lh_err *err)
{
    lh_value v[8];
    size_t i;
    for (i = 0; i < r->ncols && i < 8; i++) {
        memset(&v[i], 0, sizeof v[i]);
        if (cells[i]) {
            v[i].t = LH_V_TEXT;
            v[i].s = cells[i];
            v[i].n = strlen(cells[i]);
        }
    }
    r->n++;
    if (r->sink && r->sink->row)
        return r->sink->row(r->sink->ctx, v, err);
    return LH_OK;
}

static lh_rc rows_end(rows_out *r, lh_stmt_stats *stats, lh_err *err)
{
    stats->rows_out = r->n;
    if (r->sink && r->sink->end)
        return r->sink->end(r->sink->ctx, r->n, err);
    return LH_OK;
}

static int like_match(const char *pattern, const char *name)
{
    /* Athena's SHOW ... LIKE takes a Hive regex-ish pattern with * and |. */
    char buf[512];
    const char *p = pattern;
    if (!pattern)
        return 1;
    while (*p) {
        size_t n = strcspn(p, "|");
        if (n < sizeof buf) {
            memcpy(buf, p, n);
            buf[n] = 0;
            if (fnmatch(buf, name, FNM_CASEFOLD) == 0)
                return 1;
        }
        p += n;
        if (*p == '|')
            p++;
    }
    return 0;
}

static lh_rc show_names(char **names, size_t n, const char *like, const char *colname, const lh_sink *sink,
                        lh_stmt_stats *stats, lh_err *err)
{
    rows_out r;
    size_t i;
    const char *cn[1] = {colname};
    lh_rc rc = rows_begin(&r, sink, 1, cn, err);
    for (i = 0; !rc && i < n; i++)
        if (like_match(like, names[i])) {
            const char *cell[1] = {names[i]};
            rc = rows_add(&r, cell, err);
        }
    if (!rc)
        rc = rows_end(&r, stats, err);
    return rc;
}

static int fn_cmp(const void *a, const void *b)
{
    return strcmp(lh_fn_name(*(const lh_fn *const *)a), lh_fn_name(*(const lh_fn *const *)b));
}

/* SHOW FUNCTIONS [LIKE 'pattern']: the analyzer's registry, one row per
 * signature, with Trino's columns.  The pattern is SQL LIKE, as in Trino. */
static lh_rc show_functions(const lh_stmt *st, const char *filename, const lh_sink *sink, lh_stmt_stats *stats,
                            lh_err *err)
{
    static const char *const cn[6] = {"Function", "Return Type", "Argument Types", "Function Type", "Deterministic",
                                      "Description"};
    static const char *const kinds[] = {"", "scalar", "aggregate", "window"};
    rows_out r;
    lh_like *m = NULL;
    size_t i, k;
    lh_rc rc;
    if (st->like && (rc = lh_like_compile(st->like, strlen(st->like), NULL, 0, &m, err)))
        return lh_err_prefix(err, "%s:%d:%d: SHOW FUNCTIONS LIKE", filename, st->line, st->col);
    /* sorted by name, as Trino lists them */
    const lh_fn **order = lh_calloc(lh_fn_count() + 1, sizeof *order);
    if (!order) {
        lh_like_free(m);
        return lh_errf(err, LH_ENOMEM, "out of memory");
    }
    for (i = 0; i < lh_fn_count(); i++)
        order[i] = lh_fn_at(i);
    qsort(order, lh_fn_count(), sizeof *order, fn_cmp);
    rc = rows_begin(&r, sink, 6, cn, err);
    for (i = 0; !rc && i < lh_fn_count(); i++) {
        const lh_fn *f = order[i];
        const char *name = lh_fn_name(f);
        if (lh_fn_refused(f) || (m && !lh_like_match(m, name, strlen(name))))
            continue;
        for (k = 0; !rc && k < lh_fn_nsigs(f); k++) {
            char args[256], ret[128];
            const char *cell[6];
            lh_fn_sig_text(f, k, args, sizeof args, ret, sizeof ret);
            cell[0] = name;
            cell[1] = ret;
            cell[2] = args;
            cell[3] = kinds[lh_fn_kind_of(f) <= LH_FN_WINDOW ? lh_fn_kind_of(f) : 0];
            cell[4] = lh_fn_is_session(f) ? "false" : "true";
            cell[5] = "";
            rc = rows_add(&r, cell, err);
        }
    }
    if (!rc)
        rc = rows_end(&r, stats, err);
    lh_like_free(m);
    lh_free(order);
    return rc;
}

static lh_rc need_table(lh_engine *e, const lh_stmt *st, const char *filename, lh_table_def *def, lh_err *err)
{
    const char *db = st->db ? st->db : lh_engine_database(e);
    lh_rc rc = lh_catalog_get_table(e->cat, db, st->name, def, err);
    if (rc == LH_ENOTFOUND)
        return lh_errf(err, rc, "%s:%d:%d: table %s.%s does not exist", filename, st->line, st->col, db, st->name);
    return rc;
}

static lh_rc describe(lh_engine *e, const lh_stmt *st, const char *filename, const lh_sink *sink,
                      lh_stmt_stats *stats, int columns_only, lh_err *err)
{
    lh_table_def def;
    rows_out r;
    size_t i;
    lh_rc rc;
    const char *names3[3] = {"col_name", "data_type", "comment"};
    const char *names1[1] = {"field"};
    memset(&def, 0, sizeof def);
    rc = need_table(e, st, filename, &def, err);
    if (rc)
        goto out;
    rc = rows_begin(&r, sink, columns_only ? 1 : 3, columns_only ? names1 : names3, err);
    for (i = 0; !rc && i < def.n_cols; i++) {
        const char *cells[3] = {def.cols[i].name, def.cols[i].type, def.cols[i].comment ? def.cols[i].comment : ""};
        rc = rows_add(&r, cells, err);
    }
    if (!rc)
        rc = rows_end(&r, stats, err);
out:
    lh_table_def_free(&def);
    return rc;
}

static lh_rc show_create(lh_engine *e, const lh_stmt *st, const char *filename, const lh_sink *sink,
                         lh_stmt_stats *stats, lh_err *err)
{
    lh_table_def def;
    rows_out r;
    char *text = NULL, *line;
    lh_rc rc;
    const char *names[1] = {"createtab_stmt"};
    memset(&def, 0, sizeof def);
    rc = need_table(e, st, filename, &def, err);
    if (rc)
        goto out;
    text = lh_ddl_render_create(&def);
    if (!text) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory");
        goto out;
    }
    rc = rows_begin(&r, sink, 1, names, err);
    line = text;
    while (!rc && line && *line) {
        char *nl = strchr(line, '\n');
        const char *cell[1];
        if (nl)
            *nl = 0;
        cell[0] = line;
        rc = rows_add(&r, cell, err);
        line = nl ? nl + 1 : NULL;
    }
    if (!rc)
        rc = rows_end(&r, stats, err);
out:
    lh_free(text);
    lh_table_def_free(&def);
    return rc;
}

/* *exists = whether db.name is in the catalog; a failure to ask is an error. */
static lh_rc table_exists(lh_engine *e, const char *db, const char *name, int *exists, lh_err *err)
{
    lh_table_def t;
    lh_rc rc;
    memset(&t, 0, sizeof t);
    rc = lh_catalog_get_table(e->cat, db, name, &t, err);
    lh_table_def_free(&t);
    *exists = rc == LH_OK;
    if (rc == LH_ENOTFOUND) {
        lh_err_clear(err);
        rc = LH_OK;
    }
    return rc;
}

/* A new table's LOCATION may not equal, contain or lie inside another
 * table's (CREATE ... IF NOT EXISTS of an existing table stays a no-op). */
static lh_rc check_own_location(lh_engine *e, const lh_table_def *def, const char *filename, const lh_stmt *st,
                                lh_err *err)
{
    char *odb = NULL, *oname = NULL, *oloc = NULL;
    int exists = 0;
    lh_rc rc = table_exists(e, def->db, def->name, &exists, err);
    if (rc || exists)
        return rc; /* the catalog answers "exists" (or nothing, under IF NOT EXISTS) */
    rc = lh_catalog_location_owner(e->cat, def->location, 0, def->db, def->name, &odb, &oname, &oloc, err);
    if (!rc && odb)
        rc = lh_errf(err, LH_EEXIST,
                     "%s:%d:%d: LOCATION '%s' overlaps the location of table %s.%s (%s); choose a prefix of its own",
                     filename, st->line, st->col, def->location, odb, oname, oloc);
    lh_free(odb);
    lh_free(oname);
    lh_free(oloc);
    return rc;
}

lh_rc lh_engine_ddl(lh_engine *e, const lh_stmt *st, const char *filename, const lh_sink *sink,
                    lh_stmt_stats *stats, lh_err *err)
{
    char **names = NULL;
    size_t n = 0;
    lh_rc rc = LH_OK;
    const char *db = st->db ? st->db : lh_engine_database(e);

    switch (st->kind) {
    case LH_STMT_CREATE_DATABASE:
        if (!strcmp(st->name, "main") || !strcmp(st->name, "temp"))
            return lh_errf(err, LH_EINVAL, "%s:%d:%d: database name '%s' is reserved by the SQL engine", filename,
                           st->line, st->col, st->name);
        /* IF NOT EXISTS is handled here, so the notice can say what happened. */
        rc = lh_catalog_create_database(e->cat, st->name, 0, st->comment, err);
        if (rc == LH_EEXIST && st->if_not_exists) {
            lh_engine_notice(sink, "Database %s already exists; nothing changed (IF NOT EXISTS)", st->name);
            lh_err_clear(err);
            return LH_OK;
        }
        if (rc == LH_EEXIST)
            return lh_errf(err, rc, "%s:%d:%d: database %s already exists (use IF NOT EXISTS)", filename, st->line,
                           st->col, st->name);
        if (!rc)
            lh_engine_notice(sink, "Database %s ready", st->name);
        break;
    case LH_STMT_DROP_DATABASE: {
        int64_t ntab = 0;
        rc = lh_catalog_drop_database_ex(e->cat, st->name, 0, st->cascade, &ntab, err);
        if (rc == LH_ENOTFOUND && st->if_exists) {
            lh_engine_notice(sink, "Database %s does not exist; nothing dropped", st->name);
            lh_err_clear(err);
            return LH_OK;
        }
        if (rc)
            return lh_err_prefix(err, "%s:%d:%d", filename, st->line, st->col);
        if (ntab > 0)
            lh_engine_notice(sink, "Dropped database %s and its %lld table%s (their data objects are kept, as in Athena)",
                             st->name, (long long)ntab, ntab == 1 ? "" : "s");
        else
            lh_engine_notice(sink, "Dropped database %s", st->name);
        break;
    }
    case LH_STMT_CREATE_EXTERNAL_TABLE: {
        lh_table_def def = st->def; /* shallow: only db changes */
        int exists = 0;
        if (def.db)
            db = def.db;
        def.db = (char *)db;
        rc = lh_catalog_database_exists(e->cat, db, &exists, err);
        if (rc)
            return rc;
        if (!exists)
            return lh_errf(err, LH_ENOTFOUND, "%s:%d:%d: database '%s' does not exist; CREATE DATABASE %s first",
                           filename, st->line, st->col, db, db);
        rc = lh_uri_parse(def.location, NULL, NULL, err); /* refuse a LOCATION that escapes the lake */
        if (rc)
            return lh_err_prefix(err, "%s:%d:%d: LOCATION", filename, st->line, st->col);
        rc = check_own_location(e, &def, filename, st, err);
        if (rc)
            return rc;
        rc = lh_catalog_create_table(e->cat, &def, 0, err);
        if (rc == LH_EEXIST) { /* the table itself, or (the catalog checks too) a location overlap */
            int there = 0;
            lh_err why = *err;
            lh_rc xrc = table_exists(e, db, def.name, &there, err);
            if (xrc)
                return xrc;
            *err = why;
            if (!there)
                return rc;
            if (st->if_not_exists) {
                lh_engine_notice(sink, "Table %s.%s already exists; nothing changed (IF NOT EXISTS)", db, def.name);
                lh_err_clear(err);
                return LH_OK;
            }
        }
        if (rc == LH_EEXIST)
            return lh_errf(err, rc, "%s:%d:%d: table %s.%s already exists (use IF NOT EXISTS, or DROP TABLE first)",
                           filename, st->line, st->col, db, def.name);
        if (!rc)
            lh_engine_notice(sink, "Table %s.%s ready", db, def.name);
        break;
    }
    case LH_STMT_DROP_TABLE:
        rc = lh_catalog_drop_table(e->cat, db, st->name, 0, err);
        if (rc == LH_ENOTFOUND && st->if_exists) {
            lh_engine_notice(sink, "Table %s.%s does not exist; nothing dropped", db, st->name);
            lh_err_clear(err);
            return LH_OK;
        }
        if (rc == LH_ENOTFOUND)
            return lh_errf(err, rc, "%s:%d:%d: table %s.%s does not exist (use IF EXISTS)", filename, st->line,
                           st->col, db, st->name);
        if (!rc)
            lh_engine_notice(sink, "Dropped table %s.%s (its data objects are kept, as in Athena)", db, st->name);
        break;
    case LH_STMT_USE:
        rc = lh_engine_use(e, st->name, err);
        if (rc)
            return lh_err_prefix(err, "%s:%d:%d", filename, st->line, st->col);
        break;
    case LH_STMT_SHOW_DATABASES:
        rc = lh_catalog_list_databases(e->cat, &names, &n, err);
        if (!rc)
            rc = show_names(names, n, st->like, "database_name", sink, stats, err);
        break;
    case LH_STMT_SHOW_TABLES: {
        const char *in = st->name ? st->name : (st->db ? st->db : lh_engine_database(e));
        int exists = 0;
        rc = lh_catalog_database_exists(e->cat, in, &exists, err);
        if (!rc && !exists)
            return lh_errf(err, LH_ENOTFOUND, "%s:%d:%d: database '%s' does not exist", filename, st->line, st->col,
                           in);
        if (!rc)
            rc = lh_catalog_list_tables(e->cat, in, &names, &n, err);
        if (!rc)
            rc = show_names(names, n, st->like, "tab_name", sink, stats, err);
        break;
    }
    case LH_STMT_DESCRIBE: rc = describe(e, st, filename, sink, stats, 0, err); break;
    case LH_STMT_SHOW_COLUMNS: rc = describe(e, st, filename, sink, stats, 1, err); break;
    case LH_STMT_SHOW_CREATE_TABLE: rc = show_create(e, st, filename, sink, stats, err); break;
    case LH_STMT_SHOW_FUNCTIONS: rc = show_functions(st, filename, sink, stats, err); break;
    default:
        rc = lh_errf(err, LH_EINTERNAL, "%s:%d:%d: statement kind %d not handled", filename, st->line, st->col,
                     (int)st->kind);
    }
    lh_strv_free(names, n);
    return rc;
}
