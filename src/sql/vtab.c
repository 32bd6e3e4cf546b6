/* sql/vtab.c — the "lakehouse" virtual-table module (see vtab.h). */
#include "sql/vtab.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "formats/jsonl.h"
#include "util/mem.h"
#include "util/types.h"

#define PATH_COL_NAME "$path"

typedef struct lh_vt {
    sqlite3_vtab base; /* must be first */
    const lh_vtab_host *host;
    char *db, *name;
    size_t ncols;   /* real columns; column index ncols is "$path" */
    char **names;   /* lower-case keys */
    lh_type *types;
    unsigned char *text_aff;
    double est_rows;
} lh_vt;

/* A hash key, normalised so that values SQLite calls equal hash equal. */
typedef struct vkey {
    int cls; /* 0 none/NULL, 1 int, 2 real, 3 text */
    int64_t i;
    double d;
    const char *s;
    size_t n;
} vkey;

enum { MODE_SCAN = 0, MODE_PROBE = 1, MODE_INDEX = 2 };
#define IDX_JOIN 0x100000 /* idxNum flag: the EQ value comes from another table */

typedef struct irow {
    lh_value *vals; /* one per real column; only projected ones are set */
    size_t file;    /* index into the pinned uri list */
} irow;

typedef struct lh_vcur {
    sqlite3_vtab_cursor base; /* must be first */
    lh_vt *vt;
    uint64_t mask; /* bit c: column c used (bit 63: c >= 63) */
    int mode;
    int eqcol;
    int nprobes;
    vkey probe;
    lh_buf probe_text;
    const lh_table_def *def;
    const char *const *uris;
    size_t nuris;
    lh_jsonl_reader *rd;
    int eof;
    int64_t rowid;
    /* index mode */
    int indexed;
    lh_arena arena;
    irow *rows;
    size_t nrows, arows;
    uint32_t *buckets; /* head+1 per bucket, 0 = empty */
    uint32_t *next;    /* next+1 per row */
    size_t nbuckets;
    uint32_t cur; /* current row + 1 in index mode; 0 = none */
} lh_vcur;

const char *lh_vtab_decltype(const char *hive_type, char *buf, size_t bufsz)
{
    lh_type t;
    if (lh_type_parse(hive_type, strlen(hive_type), &t, NULL) != LH_OK) {
        snprintf(buf, bufsz, "%s", hive_type);
        return buf;
    }
    if (t.kind == LH_T_STRING || t.kind == LH_T_DATE || t.kind == LH_T_TIMESTAMP)
        snprintf(buf, bufsz, "%s TEXT", hive_type);
    else
        snprintf(buf, bufsz, "%s", hive_type);
    return buf;
}

static int is_text_kind(lh_kind k)
{
    return k == LH_T_STRING || k == LH_T_VARCHAR || k == LH_T_CHAR || k == LH_T_DATE || k == LH_T_TIMESTAMP;
}

static void vt_set_error(lh_vt *vt, const char *msg)
{
    sqlite3_free(vt->base.zErrMsg);
    vt->base.zErrMsg = sqlite3_mprintf("%s", msg);
}

static void vt_free(lh_vt *vt)
{
    size_t i;
    if (!vt)
        return;
    for (i = 0; i < vt->ncols; i++)
        lh_free(vt->names ? vt->names[i] : NULL);
    lh_free(vt->names);
    lh_free(vt->types);
    lh_free(vt->text_aff);
    lh_free(vt->db);
    lh_free(vt->name);
    lh_free(vt);
}

static char *unquote_arg(const char *a)
{
    size_t n = strlen(a);
    if (n >= 2 && (a[0] == '\'' || a[0] == '"') && a[n - 1] == a[0])
        return lh_strndup(a + 1, n - 2);
    return lh_strdup(a);
}

static int vt_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out, char **errmsg)
{
    const lh_vtab_host *host = aux;
    lh_vt *vt = NULL;
    const lh_table_def *def;
    const char *const *uris;
    size_t nuris, i;
    lh_err err = {0};
    lh_buf sql;
    int rc = SQLITE_NOMEM;
    char tb[128];

    lh_buf_init(&sql, 0);
    if (argc != 5) {
        *errmsg = sqlite3_mprintf("lakehouse module: expected (db, table) arguments");
        return SQLITE_ERROR;
    }
    vt = lh_calloc(1, sizeof *vt);
    if (!vt)
        goto out;
    vt->host = host;
    vt->db = unquote_arg(argv[3]);
    vt->name = unquote_arg(argv[4]);
    if (!vt->db || !vt->name)
        goto out;
    if (host->pin(host->engine, vt->db, vt->name, &def, &uris, &nuris, &err)) {
        *errmsg = sqlite3_mprintf("%s", err.msg);
        rc = SQLITE_ERROR;
        goto out;
    }
    vt->ncols = def->n_cols;
    vt->names = lh_calloc(def->n_cols + 1, sizeof *vt->names);
    vt->types = lh_calloc(def->n_cols + 1, sizeof *vt->types);
    vt->text_aff = lh_calloc(def->n_cols + 1, 1);
    if (!vt->names || !vt->types || !vt->text_aff)
        goto out;
    vt->est_rows = def->snapshot_id ? (double)def->snapshot_rows + 1 : 1e6;
    if (lh_buf_puts(&sql, "CREATE TABLE x(", &err))
        goto out;
    for (i = 0; i < def->n_cols; i++) {
        vt->names[i] = lh_strdup(def->cols[i].name);
        if (!vt->names[i])
            goto out;
        if (lh_type_parse(def->cols[i].type, strlen(def->cols[i].type), &vt->types[i], &err)) {
            *errmsg = sqlite3_mprintf("table %s.%s column '%s': %s", vt->db, vt->name, def->cols[i].name, err.msg);
            rc = SQLITE_ERROR;
            goto out;
        }
        vt->text_aff[i] = (unsigned char)is_text_kind(vt->types[i].kind);
        if (lh_buf_printf(&sql, &err, "\"%s\" %s, ", def->cols[i].name,
                          lh_vtab_decltype(def->cols[i].type, tb, sizeof tb)))
            goto out;
    }
    if (lh_buf_puts(&sql, "\"" PATH_COL_NAME "\" TEXT HIDDEN)", &err))
        goto out;
    rc = sqlite3_declare_vtab(db, lh_buf_cstr(&sql));
    if (rc != SQLITE_OK) {
        *errmsg = sqlite3_mprintf("table %s.%s: cannot declare columns: %s", vt->db, vt->name, sqlite3_errmsg(db));
        goto out;
    }
    *out = &vt->base;
    vt = NULL;
    rc = SQLITE_OK;
out:
    lh_buf_free(&sql);
    vt_free(vt);
    return rc;
}

static int vt_disconnect(sqlite3_vtab *base)
{
    vt_free((lh_vt *)base);
    return SQLITE_OK;
}

static int vt_best_index(sqlite3_vtab *base, sqlite3_index_info *info)
{
    lh_vt *vt = (lh_vt *)base;
    int i, eq = -1;
    for (i = 0; i < info->nConstraint; i++) {
        const struct sqlite3_index_constraint *c = &info->aConstraint[i];
        if (!c->usable || c->op != SQLITE_INDEX_CONSTRAINT_EQ || c->iColumn < 0 || (size_t)c->iColumn >= vt->ncols)
            continue;
        eq = i;
        break;
    }
    if (eq >= 0) {
        sqlite3_value *rhs = NULL;
        info->aConstraintUsage[eq].argvIndex = 1;
        info->aConstraintUsage[eq].omit = 0; /* SQLite re-checks: our filter is a superset */
        info->idxNum = info->aConstraint[eq].iColumn + 1;
        /* A literal right-hand side means one probe: stream and filter.
         * Otherwise (a join key) expect many: index on the first. */
        if (sqlite3_vtab_rhs_value(info, eq, &rhs) != SQLITE_OK)
            info->idxNum |= IDX_JOIN;
        info->estimatedCost = 10.0 + log(vt->est_rows + 1);
        info->estimatedRows = 10;
    } else {
        info->idxNum = 0;
        info->estimatedCost = vt->est_rows * 2.0;
        info->estimatedRows = (sqlite3_int64)vt->est_rows;
    }
    info->idxStr = sqlite3_mprintf("%016" PRIx64, (uint64_t)info->colUsed);
    if (!info->idxStr)
        return SQLITE_NOMEM;
    info->needToFreeIdxStr = 1;
    return SQLITE_OK;
}

static int vt_open(sqlite3_vtab *base, sqlite3_vtab_cursor **out)
{
    lh_vcur *c = lh_calloc(1, sizeof *c);
    if (!c)
        return SQLITE_NOMEM;
    c->vt = (lh_vt *)base;
    c->eqcol = -1;
    lh_buf_init(&c->probe_text, 0);
    lh_arena_init(&c->arena, 0);
    *out = &c->base;
    return SQLITE_OK;
}

static void cur_report(lh_vcur *c)
{
    if (c->rd) {
        const lh_jsonl_stats *st = lh_jsonl_reader_stats(c->rd);
        c->vt->host->count(c->vt->host->engine, st->rows, st->malformed,
                           st->malformed ? st->first_malformed : NULL);
        lh_jsonl_reader_close(c->rd);
        c->rd = NULL;
    }
}

static int vt_close(sqlite3_vtab_cursor *base)
{
    lh_vcur *c = (lh_vcur *)base;
    cur_report(c);
    lh_buf_free(&c->probe_text);
    lh_arena_free(&c->arena);
    lh_free(c->rows);
    lh_free(c->buckets);
    lh_free(c->next);
    lh_free(c);
    return SQLITE_OK;
}

static int col_used(const lh_vcur *c, size_t col)
{
    return col >= 63 ? (c->mask >> 63) & 1 : (c->mask >> col) & 1;
}

static lh_rc on_malformed(void *ctx, const char *uri, uint64_t line, const char *reason, const char *raw, size_t n,
                          lh_err *err)
{
    lh_vt *vt = ctx;
    return vt->host->quarantine(vt->host->engine, vt->db, vt->name, uri, line, reason, raw, n, err);
}

static lh_rc reader_open(lh_vcur *c, lh_err *err)
{
    lh_vt *vt = c->vt;
    lh_jsonl_col *cols = NULL;
    lh_jsonl_opts o;
    size_t i;
    lh_rc rc;
    const char *v;
    memset(&o, 0, sizeof o);
    if (strcmp(c->def->format, "json") != 0)
        return lh_errf(err, LH_EUNSUPPORTED, "table %s.%s: format '%s' cannot be read yet", vt->db, vt->name,
                       c->def->format);
    v = lh_props_get(c->def->serde_props, c->def->n_serde_props, "ignore.malformed.json");
    o.ignore_malformed = v && !strcasecmp(v, "true");
    o.on_malformed = on_malformed;
    o.malformed_ctx = vt;
    v = lh_props_get(c->def->serde_props, c->def->n_serde_props, "use.null.for.invalid.data");
    o.null_for_invalid = v && !strcasecmp(v, "true");
    v = lh_props_get(c->def->serde_props, c->def->n_serde_props, "case.insensitive");
    o.case_sensitive = v && !strcasecmp(v, "false");
    cols = lh_calloc(vt->ncols + 1, sizeof *cols);
    if (!cols)
        return lh_errf(err, LH_ENOMEM, "out of memory opening %s.%s", vt->db, vt->name);
    for (i = 0; i < vt->ncols; i++) {
        char key[300];
        const char *m;
        snprintf(key, sizeof key, "mapping.%s", vt->names[i]);
        m = lh_props_get(c->def->serde_props, c->def->n_serde_props, key);
        cols[i].name = m ? m : vt->names[i];
        cols[i].type = vt->types[i];
    }
    rc = lh_jsonl_reader_open(vt->host->store, c->uris, c->nuris, cols, vt->ncols, &o, &c->rd, err);
    lh_free(cols);
    if (rc)
        lh_err_prefix(err, "table %s.%s", vt->db, vt->name);
    return rc;
}

/* ---- keys ---- */

static int parse_number_text(const char *s, size_t n, vkey *k)
{
    char tmp[64], *end;
    double d;
    if (n == 0 || n >= sizeof tmp)
        return 0;
    memcpy(tmp, s, n);
    tmp[n] = 0;
    d = strtod(tmp, &end);
    if (end != tmp + n || !isfinite(d))
        return 0;
    if (d == floor(d) && fabs(d) < 9.2e18) {
        k->cls = 1;
        k->i = (int64_t)d;
    } else {
        k->cls = 2;
        k->d = d;
    }
    return 1;
}

static void key_from_real(double d, vkey *k)
{
    if (d == floor(d) && fabs(d) < 9.2e18) {
        k->cls = 1;
        k->i = (int64_t)d;
    } else {
        k->cls = 2;
        k->d = d;
    }
}

static void key_from_value(const lh_value *v, vkey *k)
{
    memset(k, 0, sizeof *k);
    switch (v->t) {
    case LH_V_NULL: break;
    case LH_V_INT:
        k->cls = 1;
        k->i = v->i;
        break;
    case LH_V_REAL: key_from_real(v->d, k); break;
    case LH_V_TEXT:
        k->cls = 3;
        k->s = v->s;
        k->n = v->n;
        break;
    }
}

static int key_eq(const vkey *a, const vkey *b)
{
    if (a->cls != b->cls || a->cls == 0)
        return 0;
    if (a->cls == 1)
        return a->i == b->i;
    if (a->cls == 2)
        return a->d == b->d;
    return a->n == b->n && memcmp(a->s, b->s, a->n) == 0;
}

static uint64_t key_hash(const vkey *k)
{
    uint64_t h = 1469598103934665603ULL;
    size_t i;
    if (k->cls == 1)
        h = (uint64_t)k->i * 0x9E3779B97F4A7C15ULL;
    else if (k->cls == 2) {
        uint64_t b;
        memcpy(&b, &k->d, sizeof b);
        h = b * 0x9E3779B97F4A7C15ULL;
    } else
        for (i = 0; i < k->n; i++)
            h = (h ^ (unsigned char)k->s[i]) * 1099511628211ULL;
    return h ^ (h >> 29);
}

/* The probe key for `col = value`; returns 0 when the index cannot decide
 * (SQLite's affinity rules would compare differently): scan everything. */
static int probe_key(lh_vcur *c, sqlite3_value *v, vkey *k, lh_err *err, int *fail)
{
    int numeric_col = !c->vt->text_aff[c->eqcol];
    memset(k, 0, sizeof *k);
    *fail = 0;
    switch (sqlite3_value_type(v)) {
    case SQLITE_NULL: return 1; /* cls 0: matches nothing */
    case SQLITE_INTEGER:
        if (!numeric_col)
            return 0;
        k->cls = 1;
        k->i = sqlite3_value_int64(v);
        return 1;
    case SQLITE_FLOAT:
        if (!numeric_col)
            return 0;
        key_from_real(sqlite3_value_double(v), k);
        return 1;
    default: {
        const char *s = (const char *)sqlite3_value_text(v);
        size_t n = (size_t)sqlite3_value_bytes(v);
        if (!s)
            return 1;
        if (numeric_col) {
            if (parse_number_text(s, n, k))
                return 1;
            return 0;
        }
        lh_buf_reset(&c->probe_text);
        if (lh_buf_append(&c->probe_text, s, n, err)) {
            *fail = 1;
            return 0;
        }
        k->cls = 3;
        k->s = c->probe_text.data;
        k->n = n;
        return 1;
    }
    }
}

/* ---- reading ---- */

static int cur_error(lh_vcur *c, const lh_err *err)
{
    vt_set_error(c->vt, err->msg);
    return err->code == LH_ENOMEM ? SQLITE_NOMEM : SQLITE_ERROR;
}

/* Advance the stream to the next row matching the probe (or any row). */
static lh_rc stream_next(lh_vcur *c, lh_err *err)
{
    for (;;) {
        int eof = 0;
        lh_rc rc = lh_jsonl_reader_next(c->rd, &eof, err);
        if (rc)
            return rc;
        if (eof) {
            c->eof = 1;
            return LH_OK;
        }
        c->rowid++;
        if (c->mode == MODE_PROBE) {
            lh_value v;
            vkey k;
            rc = lh_jsonl_reader_value(c->rd, (size_t)c->eqcol, &v, err);
            if (rc)
                return rc;
            key_from_value(&v, &k);
            if (!key_eq(&k, &c->probe))
                continue;
        }
        return LH_OK;
    }
}

static size_t file_index(lh_vcur *c, const char *uri, size_t hint)
{
    size_t i;
    if (hint < c->nuris && strcmp(c->uris[hint], uri) == 0)
        return hint;
    for (i = 0; i < c->nuris; i++)
        if (strcmp(c->uris[i], uri) == 0)
            return i;
    return 0;
}

/* Materialise the projected columns of every row and hash the key column. */
static lh_rc build_index(lh_vcur *c, lh_err *err)
{
    lh_vt *vt = c->vt;
    size_t i, file = 0;
    lh_rc rc;
    c->eof = 0;
    c->mode = MODE_SCAN;
    rc = reader_open(c, err);
    if (rc)
        return rc;
    for (;;) {
        int eof = 0;
        irow *r;
        rc = lh_jsonl_reader_next(c->rd, &eof, err);
        if (rc)
            return rc;
        if (eof)
            break;
        if (c->nrows == c->arows) {
            size_t na = c->arows ? c->arows * 2 : 1024;
            irow *nr;
            if (na > UINT32_MAX - 1)
                return lh_errf(err, LH_ELIMIT, "table %s.%s: too many rows to index", vt->db, vt->name);
            nr = lh_realloc(c->rows, na * sizeof *nr);
            if (!nr)
                return lh_errf(err, LH_ENOMEM, "out of memory indexing %s.%s", vt->db, vt->name);
            c->rows = nr;
            c->arows = na;
        }
        r = &c->rows[c->nrows];
        r->vals = lh_arena_alloc(&c->arena, vt->ncols * sizeof(lh_value));
        if (!r->vals)
            return lh_errf(err, LH_ENOMEM, "out of memory indexing %s.%s", vt->db, vt->name);
        memset(r->vals, 0, vt->ncols * sizeof(lh_value));
        for (i = 0; i < vt->ncols; i++) {
            lh_value v;
            if (!col_used(c, i) && (int)i != c->eqcol)
                continue;
            rc = lh_jsonl_reader_value(c->rd, i, &v, err);
            if (rc)
                return rc;
            if (v.t == LH_V_TEXT) {
                char *s = lh_arena_strndup(&c->arena, v.s, v.n);
                if (!s)
                    return lh_errf(err, LH_ENOMEM, "out of memory indexing %s.%s", vt->db, vt->name);
                v.s = s;
            }
            r->vals[i] = v;
        }
        file = file_index(c, lh_jsonl_reader_file(c->rd), file);
        r->file = file;
        c->nrows++;
    }
    cur_report(c);
    c->nbuckets = 16;
    while (c->nbuckets < c->nrows * 2)
        c->nbuckets *= 2;
    c->buckets = lh_calloc(c->nbuckets, sizeof *c->buckets);
    c->next = lh_calloc(c->nrows + 1, sizeof *c->next);
    if (!c->buckets || !c->next)
        return lh_errf(err, LH_ENOMEM, "out of memory indexing %s.%s", vt->db, vt->name);
    for (i = c->nrows; i-- > 0;) {
        vkey k;
        size_t b;
        key_from_value(&c->rows[i].vals[c->eqcol], &k);
        if (!k.cls)
            continue;
        b = key_hash(&k) & (c->nbuckets - 1);
        c->next[i] = c->buckets[b];
        c->buckets[b] = (uint32_t)(i + 1);
    }
    c->indexed = 1;
    return LH_OK;
}

static void index_seek(lh_vcur *c, uint32_t from)
{
    while (from) {
        vkey k;
        key_from_value(&c->rows[from - 1].vals[c->eqcol], &k);
        if (key_eq(&k, &c->probe))
            break;
        from = c->next[from - 1];
    }
    c->cur = from;
    c->eof = from == 0;
}

static int vt_filter(sqlite3_vtab_cursor *base, int idxNum, const char *idxStr, int argc, sqlite3_value **argv)
{
    lh_vcur *c = (lh_vcur *)base;
    lh_vt *vt = c->vt;
    lh_err err = {0};
    lh_rc rc;
    int fail = 0;

    cur_report(c);
    c->eof = 0;
    c->rowid = 0;
    c->mask = idxStr ? (uint64_t)strtoull(idxStr, NULL, 16) : ~(uint64_t)0;
    if (!c->def) {
        rc = vt->host->pin(vt->host->engine, vt->db, vt->name, &c->def, &c->uris, &c->nuris, &err);
        if (rc)
            return cur_error(c, &err);
    }
    c->mode = MODE_SCAN;
    if (idxNum > 0 && argc == 1) {
        int join = (idxNum & IDX_JOIN) != 0;
        c->eqcol = (idxNum & ~IDX_JOIN) - 1;
        if (probe_key(c, argv[0], &c->probe, &err, &fail)) {
            if (c->probe.cls == 0) { /* col = NULL is never true */
                c->eof = 1;
                return SQLITE_OK;
            }
            c->nprobes++;
            if (c->indexed) {
                c->mode = MODE_INDEX;
                index_seek(c, c->buckets[key_hash(&c->probe) & (c->nbuckets - 1)]);
                return SQLITE_OK;
            }
            if (join || c->nprobes >= 2) {
                /* The inner side of a join: index it once. */
                rc = build_index(c, &err);
                if (rc)
                    return cur_error(c, &err);
                c->mode = MODE_INDEX;
                index_seek(c, c->buckets[key_hash(&c->probe) & (c->nbuckets - 1)]);
                return SQLITE_OK;
            }
            c->mode = MODE_PROBE;
        } else if (fail)
            return cur_error(c, &err);
    }
    rc = reader_open(c, &err);
    if (!rc)
        rc = stream_next(c, &err);
    if (rc)
        return cur_error(c, &err);
    return SQLITE_OK;
}

static int vt_next(sqlite3_vtab_cursor *base)
{
    lh_vcur *c = (lh_vcur *)base;
    lh_err err = {0};
    if (c->mode == MODE_INDEX) {
        index_seek(c, c->next[c->cur - 1]);
        return SQLITE_OK;
    }
    if (stream_next(c, &err))
        return cur_error(c, &err);
    return SQLITE_OK;
}

static int vt_eof(sqlite3_vtab_cursor *base) { return ((lh_vcur *)base)->eof; }

static void result_value(sqlite3_context *ctx, const lh_value *v)
{
    switch (v->t) {
    case LH_V_NULL: sqlite3_result_null(ctx); break;
    case LH_V_INT: sqlite3_result_int64(ctx, v->i); break;
    case LH_V_REAL: sqlite3_result_double(ctx, v->d); break;
    case LH_V_TEXT: sqlite3_result_text64(ctx, v->s, v->n, SQLITE_TRANSIENT, SQLITE_UTF8); break;
    }
}

static int vt_column(sqlite3_vtab_cursor *base, sqlite3_context *ctx, int col)
{
    lh_vcur *c = (lh_vcur *)base;
    lh_err err = {0};
    lh_value v;
    if ((size_t)col == c->vt->ncols) {
        const char *uri = c->mode == MODE_INDEX ? c->uris[c->rows[c->cur - 1].file] : lh_jsonl_reader_file(c->rd);
        sqlite3_result_text(ctx, uri, -1, SQLITE_TRANSIENT);
        return SQLITE_OK;
    }
    if (c->mode == MODE_INDEX) {
        result_value(ctx, &c->rows[c->cur - 1].vals[col]);
        return SQLITE_OK;
    }
    if (lh_jsonl_reader_value(c->rd, (size_t)col, &v, &err)) {
        sqlite3_result_error(ctx, err.msg, -1);
        if (err.code == LH_ENOMEM)
            sqlite3_result_error_nomem(ctx);
        return SQLITE_ERROR;
    }
    result_value(ctx, &v);
    return SQLITE_OK;
}

static int vt_rowid(sqlite3_vtab_cursor *base, sqlite3_int64 *rowid)
{
    lh_vcur *c = (lh_vcur *)base;
    *rowid = c->mode == MODE_INDEX ? (sqlite3_int64)c->cur : c->rowid;
    return SQLITE_OK;
}

static sqlite3_module g_module = {
    .iVersion = 0,
    .xCreate = vt_connect,
    .xConnect = vt_connect,
    .xBestIndex = vt_best_index,
    .xDisconnect = vt_disconnect,
    .xDestroy = vt_disconnect,
    .xOpen = vt_open,
    .xClose = vt_close,
    .xFilter = vt_filter,
    .xNext = vt_next,
    .xEof = vt_eof,
    .xColumn = vt_column,
    .xRowid = vt_rowid,
};

lh_rc lh_vtab_register(sqlite3 *db, const lh_vtab_host *host, lh_err *err)
{
    int rc = sqlite3_create_module_v2(db, "lakehouse", &g_module, (void *)host, NULL);
    if (rc != SQLITE_OK)
        return lh_errf(err, LH_ESQL, "cannot register the lakehouse module: %s", sqlite3_errstr(rc));
    return LH_OK;
}
