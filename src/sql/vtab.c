/* sql/vtab.c — the "lakehouse" virtual-table module (see vtab.h). */
#include "sql/vtab.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "formats/jsonl.h"
#include "formats/parquet.h"
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
    int parquet; /* format: parquet (statistics, row groups) or JSON lines */
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
#define IDX_JOIN 0x100000     /* idxNum flag: the EQ value comes from another table */
#define IDX_DISTINCT 0x200000 /* idxNum flag: emit each value of the one used column once */
#define IDX_FLAGS (IDX_JOIN | IDX_DISTINCT | (63 << 22)) /* bits 22..27: the DISTINCT column */
#define JOIN_ALPHA 1e-6   /* planner cost of building a join index, per row squared (see vt_best_index) */

/* A constraint pushed into the scan besides the probe: row groups are
 * skipped on it (Parquet) and rows filtered on it (EQ, IN) while streaming.
 * Never used to build the hash index, whose constraints may vary between
 * filter calls. */
typedef struct xcon {
    int col;
    lh_pq_op op;
    lh_value *vals; /* text copied into the cursor's xarena */
    size_t n;
    vkey *keys;      /* normalised values (EQ, IN) */
    int filter;      /* 1: rows can be filtered on keys */
    uint32_t *set;   /* IN: open-addressing index into keys (+1), size setcap */
    size_t setcap;
} xcon;

/* One value of the join index, 16 bytes (an lh_value is 40): the index is
 * probed once per outer row at random, so its size is its speed. */
typedef struct icell {
    union {
        int64_t i;
        double d;
        const char *s; /* TEXT: in the cursor's arena */
    } u;
    uint32_t n; /* TEXT length */
    uint8_t t;  /* lh_vtype */
} icell;

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
    lh_pq_reader *pq;
    xcon *xc;
    size_t nxc;
    lh_arena xarena;
    int eof;
    int64_t rowid;
    int last_idxnum;         /* the plan of the previous filter call */
    const char *last_idxstr;
    /* index mode */
    int indexed;
    lh_arena arena;   /* text of indexed values */
    icell *cells;     /* nrows x npcols, row-major: the projected columns only */
    uint32_t *rowfile; /* per row: index into the pinned uri list */
    int *pmap;        /* column -> its place among the projected columns, or -1 */
    size_t npcols;
    size_t nrows, arows;
    uint32_t *buckets; /* head+1 per bucket, 0 = empty */
    uint32_t *next;    /* next+1 per row */
    size_t nbuckets;
    uint32_t cur; /* current row + 1 in index mode; 0 = none */
    /* DISTINCT pushed into the scan (IDX_DISTINCT): the values seen */
    int dcol;        /* column, or -1 */
    vkey *dset;      /* open addressing, cls 0 = empty slot */
    size_t dcap, dn; /* slots, values */
    int dnull;       /* NULL already emitted */
    lh_arena darena; /* text of the values seen */
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

/* A module argument as the engine wrote it ('name', quotes doubled). */
static char *unquote_arg(const char *a)
{
    size_t n = strlen(a), i, k = 0;
    char *v;
    if (n < 2 || (a[0] != '\'' && a[0] != '"') || a[n - 1] != a[0])
        return lh_strdup(a);
    v = lh_malloc(n);
    if (!v)
        return NULL;
    for (i = 1; i + 1 < n; i++) {
        v[k++] = a[i];
        if (a[i] == a[0] && a[i + 1] == a[0] && i + 2 < n)
            i++;
    }
    v[k] = 0;
    return v;
}

static int vt_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out, char **errmsg)
{
    const lh_vtab_host *host = aux;
    lh_vt *vt = NULL;
    const lh_table_def *def;
    const char *const *uris;
    size_t nuris, i;
    uint64_t bytes = 0;
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
    if (host->pin(host->engine, vt->db, vt->name, &def, &uris, &nuris, &bytes, &err)) {
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
    /* Row estimate for the planner: exact for a snapshot, else from the
     * bytes under LOCATION (~100 bytes a JSON line, ~20 a Parquet row). */
    vt->est_rows = def->snapshot_id ? (double)def->snapshot_rows + 1
                                    : (double)bytes / (strcmp(def->format, "parquet") ? 100.0 : 20.0) + 1;
    vt->parquet = def->format && !strcmp(def->format, "parquet");
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
        {
            /* quoted with %w: a stored name (from a catalog older than the
             * name rules) can never become SQL */
            char *col = sqlite3_mprintf("\"%w\" %s, ", def->cols[i].name,
                                        lh_vtab_decltype(def->cols[i].type, tb, sizeof tb));
            lh_rc brc = col ? lh_buf_puts(&sql, col, &err) : LH_ENOMEM;
            sqlite3_free(col);
            if (brc)
                goto out;
        }
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

static int pq_op_of(unsigned char op, lh_pq_op *out)
{
    switch (op) {
    case SQLITE_INDEX_CONSTRAINT_EQ: *out = LH_PQ_EQ; return 1;
    case SQLITE_INDEX_CONSTRAINT_LT: *out = LH_PQ_LT; return 1;
    case SQLITE_INDEX_CONSTRAINT_LE: *out = LH_PQ_LE; return 1;
    case SQLITE_INDEX_CONSTRAINT_GT: *out = LH_PQ_GT; return 1;
    case SQLITE_INDEX_CONSTRAINT_GE: *out = LH_PQ_GE; return 1;
    case SQLITE_INDEX_CONSTRAINT_ISNULL: *out = LH_PQ_ISNULL; return 1;
    default: return 0;
    }
}

/* idxNum: the probe column + 1 (0: none) | IDX_JOIN | IDX_DISTINCT.  idxStr: the used-column
 * mask in hex, then "|col:op" per pushed constraint; argv holds the probe
 * value first, then one value (or IN list) per pushed constraint except
 * IS NULL.  Every constraint keeps omit = 0: SQLite re-checks each row, so
 * the module only ever has to return a superset. */
static int vt_best_index(sqlite3_vtab *base, sqlite3_index_info *info)
{
    lh_vt *vt = (lh_vt *)base;
    int i, eq = -1, argv = 0;
    double cost_factor = 1.0;
    char *str;
    for (i = 0; i < info->nConstraint; i++) {
        const struct sqlite3_index_constraint *c = &info->aConstraint[i];
        if (!c->usable || c->op != SQLITE_INDEX_CONSTRAINT_EQ || c->iColumn < 0 || (size_t)c->iColumn >= vt->ncols)
            continue;
        if (sqlite3_vtab_in(info, i, -1))
            continue; /* IN lists are filtered in the scan, below */
        eq = i;
        break;
    }
    str = sqlite3_mprintf("%016" PRIx64, (uint64_t)info->colUsed);
    if (eq >= 0) {
        sqlite3_value *rhs = NULL;
        info->aConstraintUsage[eq].argvIndex = ++argv;
        info->aConstraintUsage[eq].omit = 0;
        info->idxNum = info->aConstraint[eq].iColumn + 1;
        /* A literal right-hand side means one probe: stream and filter.
         * Otherwise (a join key) expect many: index on the first. */
        if (sqlite3_vtab_rhs_value(info, eq, &rhs) != SQLITE_OK)
            info->idxNum |= IDX_JOIN;
    } else
        info->idxNum = 0;
    for (i = 0; str && i < info->nConstraint; i++) {
        const struct sqlite3_index_constraint *c = &info->aConstraint[i];
        lh_pq_op op;
        int is_in;
        if (i == eq || !c->usable || c->iColumn < 0 || (size_t)c->iColumn >= vt->ncols || !pq_op_of(c->op, &op))
            continue;
        is_in = op == LH_PQ_EQ && sqlite3_vtab_in(info, i, -1);
        /* JSON has no statistics: only IN lists (semi-joins) pay off there. */
        if (!vt->parquet && !is_in)
            continue;
        if (is_in) {
            if (!sqlite3_vtab_in(info, i, 1))
                continue;
            op = LH_PQ_IN;
            cost_factor *= 0.5;
        } else
            cost_factor *= 0.9;
        if (op != LH_PQ_ISNULL)
            info->aConstraintUsage[i].argvIndex = ++argv;
        info->aConstraintUsage[i].omit = 0;
        str = sqlite3_mprintf("%z|%d:%d", str, c->iColumn, (int)op);
    }
    if (!str)
        return SQLITE_NOMEM;
    info->idxStr = str;
    info->needToFreeIdxStr = 1;
    /* SELECT DISTINCT col (also inside IN (SELECT DISTINCT ...)): when the
     * query reads no other column of this table, rows with equal values
     * are interchangeable (every WHERE term on this table is about col), so
     * the scan can emit each value once from a hash set and SQLite skips
     * its temporary B-tree (mode 2: no order needed, duplicates optional). */
    if (eq < 0 && sqlite3_vtab_distinct(info) == 2 && info->nOrderBy == 1 && info->aOrderBy[0].iColumn >= 0 &&
        (size_t)info->aOrderBy[0].iColumn < vt->ncols && info->aOrderBy[0].iColumn < 63 &&
        (uint64_t)info->colUsed == ((uint64_t)1 << info->aOrderBy[0].iColumn)) {
        info->idxNum |= IDX_DISTINCT | (info->aOrderBy[0].iColumn << 22);
        info->orderByConsumed = 1;
    }
    if (eq >= 0) {
        /* A probe is a hash lookup, but the first one builds the index:
         * SQLite's nested-loop model only knows per-probe costs, so the
         * build is charged quadratically in the table's size.  With the
         * scan cost below, that makes the planner index the smaller side
         * of a join and stream the bigger one (memory follows the small
         * side).  A literal value is one streamed, filtered scan. */
        if (info->idxNum & IDX_JOIN)
            info->estimatedCost = 1.0 + JOIN_ALPHA * vt->est_rows * vt->est_rows;
        else
            info->estimatedCost = vt->est_rows;
        info->estimatedRows = 10;
    } else {
        /* A scan is charged 2N + 2aN^2: always dearer than the probe plan's
         * 1 + aN^2, so a join never falls back to rescanning the inner
         * table per outer row; and with both terms quadratic, plan
         * "small outer, big inner" costs more than "big outer, small inner"
         * once a*S*B > ~6 (a = 1e-6: from a few hundred by a few tens of
         * thousands of rows up). */
        info->estimatedCost = (vt->est_rows * 2.0 + 2.0 * JOIN_ALPHA * vt->est_rows * vt->est_rows) * cost_factor;
        info->estimatedRows = (sqlite3_int64)(vt->est_rows * cost_factor) + 1;
    }
    return SQLITE_OK;
}

static int vt_open(sqlite3_vtab *base, sqlite3_vtab_cursor **out)
{
    lh_vcur *c = lh_calloc(1, sizeof *c);
    if (!c)
        return SQLITE_NOMEM;
    c->vt = (lh_vt *)base;
    c->eqcol = -1;
    c->dcol = -1;
    lh_arena_init(&c->darena, 0);
    lh_buf_init(&c->probe_text, 0);
    lh_arena_init(&c->arena, 0);
    lh_arena_init(&c->xarena, 0);
    *out = &c->base;
    return SQLITE_OK;
}

static void cur_report(lh_vcur *c)
{
    if (c->pq) {
        const lh_pq_stats *st = lh_pq_reader_stats(c->pq);
        c->vt->host->count(c->vt->host->engine, st->rows, 0, NULL, st->pages_read, st->bytes_read,
                           st->row_groups_skipped);
        lh_pq_reader_close(c->pq);
        c->pq = NULL;
    }
    if (c->rd) {
        const lh_jsonl_stats *st = lh_jsonl_reader_stats(c->rd);
        c->vt->host->count(c->vt->host->engine, st->rows, st->malformed,
                           st->malformed ? st->first_malformed : NULL, 0, 0, 0);
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
    lh_arena_free(&c->xarena);
    lh_arena_free(&c->darena);
    lh_free(c->dset);
    lh_free(c->xc);
    lh_free(c->cells);
    lh_free(c->rowfile);
    lh_free(c->pmap);
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

static lh_value key_value(const vkey *k)
{
    lh_value v;
    memset(&v, 0, sizeof v);
    if (k->cls == 1) {
        v.t = LH_V_INT;
        v.i = k->i;
    } else if (k->cls == 2) {
        v.t = LH_V_REAL;
        v.d = k->d;
    } else if (k->cls == 3) {
        v.t = LH_V_TEXT;
        v.s = k->s;
        v.n = k->n;
    }
    return v;
}

/* Parquet: read only the columns the query uses; skip row groups whose
 * statistics rule out the constraints (when with_constraints). */
static lh_rc pq_open(lh_vcur *c, int with_constraints, lh_err *err)
{
    lh_vt *vt = c->vt;
    unsigned char *used = lh_calloc(vt->ncols + 1, 1);
    size_t i;
    lh_rc rc;
    if (!used)
        return lh_errf(err, LH_ENOMEM, "out of memory opening %s.%s", vt->db, vt->name);
    rc = lh_pq_reader_open(vt->host->store, c->uris, c->nuris, (const char *const *)vt->names, vt->types, vt->ncols,
                           &c->pq, err);
    if (rc) {
        lh_free(used);
        return lh_err_prefix(err, "table %s.%s", vt->db, vt->name);
    }
    for (i = 0; i < vt->ncols; i++)
        used[i] = (unsigned char)(col_used(c, i) || (int)i == c->eqcol);
    for (i = 0; i < c->nxc; i++)
        used[c->xc[i].col] = 1;
    lh_pq_reader_project(c->pq, used);
    lh_free(used);
    if (with_constraints) {
        if (c->mode == MODE_PROBE) {
            lh_value pv = key_value(&c->probe);
            rc = lh_pq_reader_constrain(c->pq, (size_t)c->eqcol, LH_PQ_EQ, &pv, 1, err);
            if (rc)
                return rc;
        }
        for (i = 0; i < c->nxc; i++) {
            /* a comparison with NULL (no value): nothing to prove on statistics */
            if (!c->xc[i].n && c->xc[i].op != LH_PQ_ISNULL && c->xc[i].op != LH_PQ_IN)
                continue;
            rc = lh_pq_reader_constrain(c->pq, (size_t)c->xc[i].col, c->xc[i].op, c->xc[i].vals, c->xc[i].n, err);
            if (rc)
                return rc;
        }
    }
    return LH_OK;
}

static lh_rc reader_open(lh_vcur *c, int with_constraints, lh_err *err)
{
    lh_vt *vt = c->vt;
    lh_jsonl_col *cols = NULL;
    lh_jsonl_opts o;
    size_t i;
    lh_rc rc;
    const char *v;
    memset(&o, 0, sizeof o);
    if (vt->parquet)
        return pq_open(c, with_constraints, err);
    if (strcmp(c->def->format, "json") != 0)
        return lh_errf(err, LH_EUNSUPPORTED, "table %s.%s: format '%s' cannot be read", vt->db, vt->name,
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

static lh_rc src_next(lh_vcur *c, int *eof, lh_err *err)
{
    return c->pq ? lh_pq_reader_next(c->pq, eof, err) : lh_jsonl_reader_next(c->rd, eof, err);
}

static lh_rc src_value(lh_vcur *c, size_t col, lh_value *v, lh_err *err)
{
    return c->pq ? lh_pq_reader_value(c->pq, col, v, err) : lh_jsonl_reader_value(c->rd, col, v, err);
}

static const char *src_file(const lh_vcur *c)
{
    const char *f = c->pq ? lh_pq_reader_file(c->pq) : c->rd ? lh_jsonl_reader_file(c->rd) : NULL;
    return f ? f : "";
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

/* murmur3's 64-bit finaliser: every input bit reaches every output bit,
 * so the low bits used as a bucket index are well mixed. */
static uint64_t fmix64(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    return h ^ (h >> 33);
}

static uint64_t key_hash(const vkey *k)
{
    uint64_t h, w;
    const char *s;
    size_t n;
    if (k->cls == 1)
        return fmix64((uint64_t)k->i);
    if (k->cls == 2) {
        memcpy(&w, &k->d, sizeof w);
        return fmix64(w ^ 0x9E3779B97F4A7C15ULL);
    }
    /* Text: eight bytes per step (join keys are e-mails and serial numbers;
     * byte-at-a-time FNV was 4.5% of the accelerometer job). */
    s = k->s;
    n = k->n;
    h = 0x9E3779B97F4A7C15ULL ^ (uint64_t)n;
    while (n >= 8) {
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdULL;
        h ^= h >> 31;
        s += 8;
        n -= 8;
    }
    if (n) {
        w = 0;
        memcpy(&w, s, n);
        h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
    }
    return fmix64(h);
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
        const char *s = (const char *)sqlite3_value_blob(v); /* no NUL needed: blob skips the copy */
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

/* ---- pushed-down constraints ---- */

/* The key of an IN/EQ value for column col; 0 when the comparison SQLite
 * would make (with its affinity rules) cannot be decided on keys. */
static int xvalue_key(lh_vcur *c, int col, sqlite3_value *sv, lh_value *out, vkey *k, lh_err *err, int *fail)
{
    int numeric_col = !c->vt->text_aff[col];
    memset(out, 0, sizeof *out);
    memset(k, 0, sizeof *k);
    *fail = 0;
    switch (sqlite3_value_type(sv)) {
    case SQLITE_NULL: return 1;
    case SQLITE_INTEGER:
        out->t = LH_V_INT;
        out->i = sqlite3_value_int64(sv);
        key_from_value(out, k);
        return numeric_col;
    case SQLITE_FLOAT:
        out->t = LH_V_REAL;
        out->d = sqlite3_value_double(sv);
        key_from_value(out, k);
        return numeric_col;
    default: {
        const char *t = (const char *)sqlite3_value_blob(sv);
        size_t n = (size_t)sqlite3_value_bytes(sv);
        char *copy;
        if (!t && n)
            return 1;
        if (!t)
            t = ""; /* sqlite3_value_blob is NULL for '' too: an empty text, not "no value" */
        copy = lh_arena_strndup(&c->xarena, t, n);
        if (!copy) {
            *fail = 1;
            lh_errf(err, LH_ENOMEM, "out of memory");
            return 0;
        }
        out->t = LH_V_TEXT;
        out->s = copy;
        out->n = n;
        if (numeric_col) {
            if (!parse_number_text(copy, n, k))
                return 0;
            *out = key_value(k);
            return 1;
        }
        key_from_value(out, k);
        return 1;
    }
    }
}

/* Collect the values of one pushed constraint (argv value, or an IN list). */
static lh_rc xcon_build(lh_vcur *c, xcon *x, sqlite3_value *arg, lh_err *err)
{
    sqlite3_value *v = NULL;
    size_t cap = 0, i;
    int rc, fail = 0;
    x->filter = x->op == LH_PQ_EQ || x->op == LH_PQ_IN;
    if (x->op == LH_PQ_ISNULL)
        return LH_OK;
    if (x->op != LH_PQ_IN) {
        x->vals = lh_arena_alloc(&c->xarena, sizeof *x->vals);
        x->keys = lh_arena_alloc(&c->xarena, sizeof *x->keys);
        if (!x->vals || !x->keys)
            return lh_errf(err, LH_ENOMEM, "out of memory");
        if (!xvalue_key(c, x->col, arg, &x->vals[0], &x->keys[0], err, &fail))
            x->filter = 0;
        if (fail)
            return LH_ENOMEM;
        x->n = x->vals[0].t == LH_V_NULL ? 0 : 1;
        return LH_OK;
    }
    for (rc = sqlite3_vtab_in_first(arg, &v); rc == SQLITE_OK && v; rc = sqlite3_vtab_in_next(arg, &v)) {
        lh_value val;
        vkey k;
        if (!xvalue_key(c, x->col, v, &val, &k, err, &fail)) {
            if (fail)
                return LH_ENOMEM;
            x->filter = 0;
        }
        if (val.t == LH_V_NULL)
            continue;
        if (x->n == cap) {
            size_t nc = cap ? cap * 2 : 16;
            lh_value *nv = lh_arena_alloc(&c->xarena, nc * sizeof *nv);
            vkey *nk = lh_arena_alloc(&c->xarena, nc * sizeof *nk);
            if (!nv || !nk)
                return lh_errf(err, LH_ENOMEM, "out of memory");
            if (x->n) {
                memcpy(nv, x->vals, x->n * sizeof *nv);
                memcpy(nk, x->keys, x->n * sizeof *nk);
            }
            x->vals = nv;
            x->keys = nk;
            cap = nc;
        }
        x->vals[x->n] = val;
        x->keys[x->n] = k;
        x->n++;
    }
    if (rc != SQLITE_OK && rc != SQLITE_DONE)
        return lh_errf(err, rc == SQLITE_NOMEM ? LH_ENOMEM : LH_ESQL, "reading an IN list: %s", sqlite3_errstr(rc));
    if (x->filter && x->n > 8) {
        x->setcap = 16;
        while (x->setcap < x->n * 2)
            x->setcap *= 2;
        x->set = lh_arena_alloc(&c->xarena, x->setcap * sizeof *x->set);
        if (!x->set)
            return lh_errf(err, LH_ENOMEM, "out of memory");
        memset(x->set, 0, x->setcap * sizeof *x->set);
        for (i = 0; i < x->n; i++) {
            size_t j = key_hash(&x->keys[i]) & (x->setcap - 1);
            while (x->set[j])
                j = (j + 1) & (x->setcap - 1);
            x->set[j] = (uint32_t)(i + 1);
        }
    }
    return LH_OK;
}

/* Whether the current row can satisfy every filtering constraint. */
static lh_rc xcon_keep(lh_vcur *c, int *keep, lh_err *err)
{
    size_t i, j;
    *keep = 1;
    for (i = 0; i < c->nxc && *keep; i++) {
        xcon *x = &c->xc[i];
        lh_value v;
        vkey k;
        int hit = 0;
        lh_rc rc;
        if (!x->filter)
            continue;
        rc = src_value(c, (size_t)x->col, &v, err);
        if (rc)
            return rc;
        key_from_value(&v, &k);
        if (!k.cls) {
            *keep = 0; /* NULL = x and NULL IN (...) are never true */
            break;
        }
        if (x->set) {
            for (j = key_hash(&k) & (x->setcap - 1); x->set[j] && !hit; j = (j + 1) & (x->setcap - 1))
                hit = key_eq(&k, &x->keys[x->set[j] - 1]);
        } else
            for (j = 0; j < x->n && !hit; j++)
                hit = key_eq(&k, &x->keys[j]);
        *keep = hit;
    }
    return LH_OK;
}

/* ---- reading ---- */

static int cur_error(lh_vcur *c, const lh_err *err)
{
    vt_set_error(c->vt, err->msg);
    return err->code == LH_ENOMEM ? SQLITE_NOMEM : SQLITE_ERROR;
}

/* IDX_DISTINCT: *fresh = 1 if the current row's value of dcol was not
 * emitted yet (and remember it).  NULLs count as one value, as in
 * DISTINCT. */
static lh_rc distinct_add(lh_vcur *c, int *fresh, lh_err *err)
{
    lh_value v;
    vkey k;
    size_t slot;
    lh_rc rc = src_value(c, (size_t)c->dcol, &v, err);
    *fresh = 0;
    if (rc)
        return rc;
    key_from_value(&v, &k);
    if (k.cls == 0) {
        *fresh = !c->dnull;
        c->dnull = 1;
        return LH_OK;
    }
    if ((c->dn + 1) * 2 > c->dcap) {
        size_t nc = c->dcap ? c->dcap * 2 : 1024, i;
        vkey *ns = lh_calloc(nc, sizeof *ns);
        if (!ns)
            return lh_errf(err, LH_ENOMEM, "out of memory for DISTINCT on %s.%s", c->vt->db, c->vt->name);
        for (i = 0; i < c->dcap; i++)
            if (c->dset[i].cls) {
                slot = key_hash(&c->dset[i]) & (nc - 1);
                while (ns[slot].cls)
                    slot = (slot + 1) & (nc - 1);
                ns[slot] = c->dset[i];
            }
        lh_free(c->dset);
        c->dset = ns;
        c->dcap = nc;
    }
    slot = key_hash(&k) & (c->dcap - 1);
    while (c->dset[slot].cls) {
        if (key_eq(&c->dset[slot], &k))
            return LH_OK;
        slot = (slot + 1) & (c->dcap - 1);
    }
    if (k.cls == 3) {
        char *s = lh_arena_strndup(&c->darena, k.s, k.n);
        if (!s)
            return lh_errf(err, LH_ENOMEM, "out of memory for DISTINCT on %s.%s", c->vt->db, c->vt->name);
        k.s = s;
    }
    c->dset[slot] = k;
    c->dn++;
    *fresh = 1;
    return LH_OK;
}

/* Advance the stream to the next row matching the probe (or any row). */
static lh_rc stream_next(lh_vcur *c, lh_err *err)
{
    for (;;) {
        int eof = 0;
        lh_rc rc = src_next(c, &eof, err);
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
            rc = src_value(c, (size_t)c->eqcol, &v, err);
            if (rc)
                return rc;
            key_from_value(&v, &k);
            if (!key_eq(&k, &c->probe))
                continue;
        }
        if (c->nxc) {
            int keep = 1;
            rc = xcon_keep(c, &keep, err);
            if (rc)
                return rc;
            if (!keep)
                continue;
        }
        if (c->dcol >= 0) {
            int fresh = 0;
            rc = distinct_add(c, &fresh, err);
            if (rc)
                return rc;
            if (!fresh)
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

static void key_from_icell(const icell *ic, vkey *k)
{
    memset(k, 0, sizeof *k);
    switch ((lh_vtype)ic->t) {
    case LH_V_NULL: break;
    case LH_V_INT:
        k->cls = 1;
        k->i = ic->u.i;
        break;
    case LH_V_REAL: key_from_real(ic->u.d, k); break;
    case LH_V_TEXT:
        k->cls = 3;
        k->s = ic->u.s;
        k->n = ic->n;
        break;
    }
}

static lh_value value_of_icell(const icell *ic)
{
    lh_value v;
    memset(&v, 0, sizeof v);
    v.t = (lh_vtype)ic->t;
    if (v.t == LH_V_INT)
        v.i = ic->u.i;
    else if (v.t == LH_V_REAL)
        v.d = ic->u.d;
    else if (v.t == LH_V_TEXT) {
        v.s = ic->u.s;
        v.n = ic->n;
    }
    return v;
}

/* Materialise the projected columns of every row and hash the key column. */
static lh_rc build_index(lh_vcur *c, lh_err *err)
{
    lh_vt *vt = c->vt;
    size_t i, file = 0, keyp;
    lh_rc rc;
    c->eof = 0;
    c->mode = MODE_SCAN;
    lh_free(c->pmap);
    c->pmap = lh_malloc((vt->ncols + 1) * sizeof *c->pmap);
    if (!c->pmap)
        return lh_errf(err, LH_ENOMEM, "out of memory indexing %s.%s", vt->db, vt->name);
    c->npcols = 0;
    for (i = 0; i < vt->ncols; i++)
        c->pmap[i] = (col_used(c, i) || (int)i == c->eqcol) ? (int)c->npcols++ : -1;
    keyp = (size_t)c->pmap[c->eqcol];
    rc = reader_open(c, 0, err);
    if (rc)
        return rc;
    for (;;) {
        int eof = 0;
        icell *r;
        rc = src_next(c, &eof, err);
        if (rc)
            return rc;
        if (eof)
            break;
        if (c->nrows == c->arows) {
            size_t na = c->arows ? c->arows * 2 : 1024;
            icell *nc;
            uint32_t *nf;
            if (na > UINT32_MAX - 1 || na > SIZE_MAX / (c->npcols * sizeof *nc))
                return lh_errf(err, LH_ELIMIT, "table %s.%s: too many rows to index", vt->db, vt->name);
            nc = lh_realloc(c->cells, na * c->npcols * sizeof *nc);
            if (!nc)
                return lh_errf(err, LH_ENOMEM, "out of memory indexing %s.%s", vt->db, vt->name);
            c->cells = nc;
            nf = lh_realloc(c->rowfile, na * sizeof *nf);
            if (!nf)
                return lh_errf(err, LH_ENOMEM, "out of memory indexing %s.%s", vt->db, vt->name);
            c->rowfile = nf;
            c->arows = na;
        }
        r = &c->cells[c->nrows * c->npcols];
        for (i = 0; i < vt->ncols; i++) {
            lh_value v;
            icell *ic;
            if (c->pmap[i] < 0)
                continue;
            rc = src_value(c, i, &v, err);
            if (rc)
                return rc;
            ic = &r[c->pmap[i]];
            memset(ic, 0, sizeof *ic);
            ic->t = (uint8_t)v.t;
            if (v.t == LH_V_INT)
                ic->u.i = v.i;
            else if (v.t == LH_V_REAL)
                ic->u.d = v.d;
            else if (v.t == LH_V_TEXT) {
                char *s;
                if (v.n > UINT32_MAX)
                    return lh_errf(err, LH_ELIMIT, "table %s.%s: a value of %zu bytes is too long to index", vt->db,
                                   vt->name, v.n);
                s = lh_arena_strndup(&c->arena, v.s, v.n);
                if (!s)
                    return lh_errf(err, LH_ENOMEM, "out of memory indexing %s.%s", vt->db, vt->name);
                ic->u.s = s;
                ic->n = (uint32_t)v.n;
            }
        }
        file = file_index(c, src_file(c), file);
        c->rowfile[c->nrows] = (uint32_t)file;
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
        key_from_icell(&c->cells[i * c->npcols + keyp], &k);
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
    size_t keyp = (size_t)c->pmap[c->eqcol];
    while (from) {
        vkey k;
        key_from_icell(&c->cells[(size_t)(from - 1) * c->npcols + keyp], &k);
        if (key_eq(&k, &c->probe))
            break;
        from = c->next[from - 1];
    }
    c->cur = from;
    c->eof = from == 0;
}

/* Rebuild the pushed constraints from idxStr and argv (see vt_best_index). */
static lh_rc xcon_parse(lh_vcur *c, int idxNum, const char *idxStr, int argc, sqlite3_value **argv, lh_err *err)
{
    const char *p = idxStr ? strchr(idxStr, '|') : NULL;
    int arg = (idxNum & ~IDX_FLAGS) > 0 ? 1 : 0;
    size_t n = 0, cap = 0;
    lh_rc rc;
    lh_arena_reset(&c->xarena);
    c->nxc = 0;
    while (p && *p == '|') {
        int col, op;
        xcon *x;
        if (sscanf(p + 1, "%d:%d", &col, &op) != 2 || col < 0 || (size_t)col >= c->vt->ncols)
            return lh_errf(err, LH_EINTERNAL, "bad index string '%s'", idxStr);
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 4;
            xcon *nx = lh_realloc(c->xc, nc * sizeof *nx);
            if (!nx)
                return lh_errf(err, LH_ENOMEM, "out of memory");
            c->xc = nx;
            cap = nc;
        }
        x = &c->xc[n];
        memset(x, 0, sizeof *x);
        x->col = col;
        x->op = (lh_pq_op)op;
        if (x->op != LH_PQ_ISNULL) {
            if (arg >= argc)
                return lh_errf(err, LH_EINTERNAL, "missing constraint value");
            rc = xcon_build(c, x, argv[arg++], err);
            if (rc)
                return rc;
        }
        n++;
        c->nxc = n;
        p = strchr(p + 1, '|');
    }
    return LH_OK;
}

static int vt_filter(sqlite3_vtab_cursor *base, int idxNum, const char *idxStr, int argc, sqlite3_value **argv)
{
    lh_vcur *c = (lh_vcur *)base;
    lh_vt *vt = c->vt;
    lh_err err; /* not zeroed: 1 KiB per call on the hot path; set on failure */
    lh_rc rc;
    int fail = 0;

    /* The inner side of a join is probed once per outer row: once its index
     * exists and the plan is unchanged, go straight to the lookup. */
    if (c->indexed && c->mode == MODE_INDEX && idxNum == c->last_idxnum && idxStr == c->last_idxstr && argc == 1 &&
        c->nxc == 0) {
        if (!probe_key(c, argv[0], &c->probe, &err, &fail)) {
            if (fail)
                return cur_error(c, &err);
        } else {
            c->eof = 0;
            c->rowid = 0;
            if (c->probe.cls == 0)
                c->eof = 1;
            else
                index_seek(c, c->buckets[key_hash(&c->probe) & (c->nbuckets - 1)]);
            return SQLITE_OK;
        }
    }
    c->last_idxnum = idxNum;
    c->last_idxstr = idxStr;
    cur_report(c);
    c->eof = 0;
    c->rowid = 0;
    c->mask = idxStr ? (uint64_t)strtoull(idxStr, NULL, 16) : ~(uint64_t)0;
    rc = xcon_parse(c, idxNum, idxStr, argc, argv, &err);
    if (rc)
        return cur_error(c, &err);
    /* a fresh scan: forget the DISTINCT values of the previous one */
    c->dcol = (idxNum & IDX_DISTINCT) ? (idxNum >> 22) & 63 : -1;
    c->dn = 0;
    c->dnull = 0;
    if (c->dset)
        memset(c->dset, 0, c->dcap * sizeof *c->dset);
    lh_arena_reset(&c->darena);
    if (!c->def) {
        uint64_t bytes;
        rc = vt->host->pin(vt->host->engine, vt->db, vt->name, &c->def, &c->uris, &c->nuris, &bytes, &err);
        if (rc)
            return cur_error(c, &err);
    }
    c->mode = MODE_SCAN;
    if ((idxNum & ~IDX_FLAGS) > 0 && argc >= 1) {
        int join = (idxNum & IDX_JOIN) != 0;
        c->eqcol = (idxNum & ~IDX_FLAGS) - 1;
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
    rc = reader_open(c, 1, &err);
    if (!rc)
        rc = stream_next(c, &err);
    if (rc)
        return cur_error(c, &err);
    return SQLITE_OK;
}

static int vt_next(sqlite3_vtab_cursor *base)
{
    lh_vcur *c = (lh_vcur *)base;
    lh_err err;
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
    lh_err err;
    lh_value v;
    if ((size_t)col == c->vt->ncols) {
        const char *uri = c->mode == MODE_INDEX ? c->uris[c->rowfile[c->cur - 1]] : src_file(c);
        sqlite3_result_text(ctx, uri, -1, SQLITE_TRANSIENT);
        return SQLITE_OK;
    }
    if (c->mode == MODE_INDEX) {
        lh_value iv;
        memset(&iv, 0, sizeof iv);
        if (c->pmap[col] >= 0)
            iv = value_of_icell(&c->cells[(size_t)(c->cur - 1) * c->npcols + (size_t)c->pmap[col]]);
        result_value(ctx, &iv);
        return SQLITE_OK;
    }
    if (src_value(c, (size_t)col, &v, &err)) {
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
