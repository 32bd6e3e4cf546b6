/* formats/pq_read.c — the Parquet reader (see parquet.h for the contract).
 *
 * Shape: files are opened one at a time (footer via explicit ranges); for
 * each row group that the statistics do not rule out, the column chunk of
 * every projected column is read whole, then decoded page by page: each
 * page yields its definition levels and its non-null values (pq_pv), and
 * rows are assembled from those cursors.  Everything a file states is
 * checked before it is used.
 */
#include "formats/parquet.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "formats/codec.h"
#include "formats/pq_encode.h"
#include "formats/pq_meta.h"

#define TRY(x)                                                                                                         \
    do {                                                                                                               \
        rc = (x);                                                                                                      \
        if (rc)                                                                                                        \
            goto out;                                                                                                  \
    } while (0)

#define MAX_FOOTER ((size_t)256 << 20)
#define MAX_PAGE_VALUES ((size_t)1 << 24)

typedef union pq_pv {
    int64_t i;
    double d;
    pq_ba b;
} pq_pv;

/* source kinds (what the Parquet column holds, logically) */
enum { SRC_NONE = 0, SRC_BOOL, SRC_INT, SRC_UINT, SRC_FLOAT, SRC_DECIMAL, SRC_STRING, SRC_DATE, SRC_TS, SRC_F16 };

typedef struct colmap {
    int leaf; /* leaf index in the row group, -1 when absent */
    int nested;
    const pq_schema_el *el;
    int max_def;
    int src;
    int ts_div;   /* SRC_TS: divisor to ms (1, 1000, 1000000); 0 = INT96 */
    int bits;     /* SRC_INT/UINT width */
    int scale;    /* SRC_DECIMAL */
    int precision;
} colmap;

typedef struct colcur {
    int active;
    lh_buf chunk;
    size_t pos;
    int64_t values_left; /* values of the chunk not yet in a page */
    int seen_data;
    lh_buf dict_buf;
    pq_pv *dict;
    size_t n_dict;
    int has_dict;
    lh_buf page_buf;
    lh_buf page_store;
    uint32_t *defs;
    size_t defs_cap;
    pq_pv *vals;
    size_t vals_cap;
    uint32_t *idx;
    size_t idx_cap;
    int64_t *t1, *t2;
    size_t t_cap;
    pq_ba *bas;
    size_t bas_cap;
    size_t page_n, page_i, val_i, page_nn;
    int cur_null;
    pq_pv cur;
    char txt[96];
} colcur;

typedef struct pq_constraint {
    size_t col;
    lh_pq_op op;
    lh_value *vals;
    size_t n;
} pq_constraint;

struct lh_pq_reader {
    lh_store *s;
    int exact_decimals; /* lh_pq_reader_exact_decimals */
    char **uris;
    size_t n_uris;
    char **cols;
    lh_type *types;
    size_t n_cols;
    unsigned char *used;
    pq_constraint *cons;
    size_t n_cons;
    size_t next_file;
    int cur_file; /* index of the open file, -1 none */
    lh_pq_meta *meta;
    uint64_t file_size, footer_start;
    colmap *map;
    size_t next_rg;
    int64_t rg_rows_left;
    pq_rowgroup *rg;
    colcur *cur;
    lh_pq_stats stats;
    int failed;
    char what[512];
};

/* ---------------- small helpers ---------------- */

static uint32_t le32(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }
static uint64_t le64(const uint8_t *p) { return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32; }

static int64_t floordiv64(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        q--;
    return q;
}

static lh_rc grow(void **p, size_t *cap, size_t need, size_t elem, lh_err *err)
{
    void *n;
    if (need <= *cap)
        return LH_OK;
    if (need > SIZE_MAX / elem)
        return lh_errf(err, LH_ELIMIT, "allocation too large");
    n = lh_realloc(*p, need * elem);
    if (!n)
        return lh_errf(err, LH_ENOMEM, "out of memory");
    *p = n;
    *cap = need;
    return LH_OK;
}

static const char *colwhat(lh_pq_reader *r, size_t col)
{
    snprintf(r->what, sizeof r->what, "%s: column '%s'", r->uris[r->cur_file], r->cols[col]);
    return r->what;
}

/* ---------------- footer ---------------- */

static lh_rc read_footer(lh_store *s, const char *uri, lh_pq_meta **out, uint64_t *size, uint64_t *footer_start,
                         lh_err *err)
{
    lh_rc rc;
    lh_obj_info info;
    lh_buf b;
    size_t got = 0;
    uint32_t flen;
    memset(&info, 0, sizeof info);
    lh_buf_init(&b, MAX_FOOTER + 16);
    *out = NULL;
    TRY(lh_store_head(s, uri, &info, err));
    *size = info.size;
    if (info.size < 12)
        TRY(lh_errf(err, LH_ECORRUPT, "%s: not a Parquet file (%llu bytes, too small)", uri,
                    (unsigned long long)info.size));
    TRY(lh_store_get_range(s, uri, 0, 4, &b, &got, err));
    if (got != 4 || memcmp(b.data, "PAR1", 4) != 0)
        TRY(lh_errf(err, LH_ECORRUPT, "%s: not a Parquet file (wrong magic at the start)", uri));
    lh_buf_reset(&b);
    TRY(lh_store_get_range(s, uri, info.size - 8, 8, &b, &got, err));
    if (got != 8)
        TRY(lh_errf(err, LH_ECORRUPT, "%s: short read of the footer", uri));
    if (memcmp(b.data + 4, "PARE", 4) == 0)
        TRY(lh_errf(err, LH_EUNSUPPORTED, "%s: encrypted Parquet footer is not supported", uri));
    if (memcmp(b.data + 4, "PAR1", 4) != 0)
        TRY(lh_errf(err, LH_ECORRUPT, "%s: not a Parquet file (wrong magic at the end)", uri));
    flen = le32((const uint8_t *)b.data);
    if ((uint64_t)flen > info.size - 12)
        TRY(lh_errf(err, LH_ECORRUPT, "%s: footer length %u runs past the start of the file (%llu bytes)", uri,
                    (unsigned)flen, (unsigned long long)info.size));
    if (flen > MAX_FOOTER)
        TRY(lh_errf(err, LH_ELIMIT, "%s: footer of %u bytes exceeds the %zu-byte limit", uri, (unsigned)flen,
                    MAX_FOOTER));
    *footer_start = info.size - 8 - flen;
    lh_buf_reset(&b);
    TRY(lh_store_get_range(s, uri, *footer_start, flen, &b, &got, err));
    if (got != flen)
        TRY(lh_errf(err, LH_ECORRUPT, "%s: short read of the footer", uri));
    TRY(pq_meta_decode(b.data, flen, uri, out, err));
out:
    lh_obj_info_free(&info);
    lh_buf_free(&b);
    return rc;
}

/* Index of the top-level fields: for each top-level child, the schema index
 * and its first leaf index.  Validates the tree shape. */
typedef struct topfield {
    size_t el;
    int leaf;   /* first leaf index */
    int nested; /* a group or a repeated field */
} topfield;

static lh_rc schema_top(const lh_pq_meta *m, const char *uri, topfield **out, size_t *n_out, size_t *n_leaves,
                        lh_err *err)
{
    size_t nt = (size_t)m->schema[0].num_children, i = 1, k = 0, leaves = 0;
    topfield *t;
    *out = NULL;
    if (m->schema[0].type >= 0 || nt > m->n_schema - 1)
        return lh_errf(err, LH_ECORRUPT, "%s: schema root is not a group of %zu fields", uri, nt);
    t = lh_calloc(nt ? nt : 1, sizeof *t);
    if (!t)
        return lh_errf(err, LH_ENOMEM, "%s: out of memory", uri);
    for (k = 0; k < nt; k++) {
        size_t remaining = 1;
        if (i >= m->n_schema)
            goto bad;
        t[k].el = i;
        t[k].leaf = (int)leaves;
        t[k].nested = m->schema[i].type < 0 || m->schema[i].repetition == PQ_REPEATED;
        while (remaining) {
            const pq_schema_el *e;
            if (i >= m->n_schema)
                goto bad;
            e = &m->schema[i++];
            remaining--;
            if (e->type < 0) {
                if ((size_t)e->num_children > m->n_schema)
                    goto bad;
                remaining += (size_t)e->num_children;
            } else {
                leaves++;
            }
        }
        if (leaves > INT32_MAX)
            goto bad;
    }
    if (i != m->n_schema)
        goto bad;
    *out = t;
    *n_out = nt;
    *n_leaves = leaves;
    return LH_OK;
bad:
    lh_free(t);
    return lh_errf(err, LH_ECORRUPT, "%s: schema tree is malformed (children counts disagree with the elements)",
                   uri);
}

/* Classify a primitive element. */
static void classify(const pq_schema_el *e, colmap *c)
{
    int ct = e->converted, lt = e->lt;
    c->src = SRC_NONE;
    c->bits = 64;
    c->ts_div = 1;
    if (lt == PQ_LT_DECIMAL || ct == PQ_CT_DECIMAL) {
        c->scale = lt == PQ_LT_DECIMAL ? e->lt_scale : e->scale;
        c->precision = lt == PQ_LT_DECIMAL ? e->lt_precision : e->precision;
        if (e->type == PQ_INT32 || e->type == PQ_INT64 || e->type == PQ_FLBA || e->type == PQ_BYTE_ARRAY) {
            c->src = SRC_DECIMAL;
            return;
        }
    }
    switch (e->type) {
    case PQ_BOOLEAN: c->src = SRC_BOOL; return;
    case PQ_INT32:
    case PQ_INT64:
        c->bits = e->type == PQ_INT32 ? 32 : 64;
        if (lt == PQ_LT_DATE || ct == PQ_CT_DATE) {
            c->src = SRC_DATE;
        } else if (lt == PQ_LT_TIMESTAMP && e->type == PQ_INT64) {
            c->src = SRC_TS;
            c->ts_div = e->lt_unit == PQ_UNIT_MILLIS ? 1 : e->lt_unit == PQ_UNIT_MICROS ? 1000 : 1000000;
        } else if (ct == PQ_CT_TS_MILLIS || ct == PQ_CT_TS_MICROS) {
            c->src = SRC_TS;
            c->ts_div = ct == PQ_CT_TS_MILLIS ? 1 : 1000;
        } else if (lt == PQ_LT_INTEGER) {
            c->src = e->lt_signed ? SRC_INT : SRC_UINT;
            c->bits = e->lt_bits > 0 && e->lt_bits <= 64 ? e->lt_bits : c->bits;
        } else if (ct >= PQ_CT_UINT_8 && ct <= PQ_CT_UINT_64) {
            c->src = SRC_UINT;
            c->bits = 8 << (ct - PQ_CT_UINT_8);
        } else if (ct >= PQ_CT_INT_8 && ct <= PQ_CT_INT_64) {
            c->src = SRC_INT;
            c->bits = 8 << (ct - PQ_CT_INT_8);
        } else {
            c->src = SRC_INT; /* TIME and plain integers */
        }
        return;
    case PQ_INT96: c->src = SRC_TS; c->ts_div = 0; return;
    case PQ_FLOAT:
    case PQ_DOUBLE: c->src = SRC_FLOAT; return;
    case PQ_FLBA:
        if (lt == PQ_LT_FLOAT16 && e->type_length == 2) {
            c->src = SRC_F16;
            return;
        }
        c->src = SRC_STRING;
        return;
    default: c->src = SRC_STRING; return;
    }
}

static const char *hive_of(const colmap *c, char *buf, size_t n)
{
    if (c->nested)
        return "string";
    switch (c->src) {
    case SRC_BOOL: return "boolean";
    case SRC_INT:
        return c->bits <= 8 ? "tinyint" : c->bits <= 16 ? "smallint" : c->bits <= 32 ? "int" : "bigint";
    case SRC_UINT: return c->bits <= 8 ? "smallint" : c->bits <= 16 ? "int" : "bigint";
    case SRC_FLOAT: return c->el->type == PQ_FLOAT ? "float" : "double";
    case SRC_F16: return "float";
    case SRC_DECIMAL:
        if (c->precision >= 1 && c->precision <= 38 && c->scale >= 0 && c->scale <= c->precision) {
            snprintf(buf, n, "decimal(%d,%d)", c->precision, c->scale);
            return buf;
        }
        return "double";
    case SRC_DATE: return "date";
    case SRC_TS: return "timestamp";
    default: return "string";
    }
}

static int is_int_kind(lh_kind k) { return k == LH_T_TINYINT || k == LH_T_SMALLINT || k == LH_T_INT || k == LH_T_BIGINT; }
static int is_real_kind(lh_kind k) { return k == LH_T_FLOAT || k == LH_T_DOUBLE || k == LH_T_DECIMAL; }
static int is_text_kind(lh_kind k) { return k == LH_T_STRING || k == LH_T_VARCHAR || k == LH_T_CHAR; }

static int convertible(int src, lh_kind k)
{
    if (is_text_kind(k))
        return 1;
    switch (src) {
    case SRC_BOOL: return is_int_kind(k) || k == LH_T_BOOLEAN || is_real_kind(k);
    case SRC_INT:
    case SRC_UINT: return is_int_kind(k) || k == LH_T_BOOLEAN || is_real_kind(k);
    case SRC_FLOAT:
    case SRC_F16:
    case SRC_DECIMAL: return is_real_kind(k);
    case SRC_DATE:
    case SRC_TS: return k == LH_T_DATE || k == LH_T_TIMESTAMP;
    default: return 0;
    }
}

/* ---------------- file open/close ---------------- */

static void cur_free(colcur *c)
{
    lh_buf_free(&c->chunk);
    lh_buf_free(&c->dict_buf);
    lh_buf_free(&c->page_buf);
    lh_buf_free(&c->page_store);
    lh_free(c->dict);
    lh_free(c->defs);
    lh_free(c->vals);
    lh_free(c->idx);
    lh_free(c->t1);
    lh_free(c->t2);
    lh_free(c->bas);
    memset(c, 0, sizeof *c);
}

static void close_file(lh_pq_reader *r)
{
    size_t i;
    if (r->cur)
        for (i = 0; i < r->n_cols; i++)
            cur_free(&r->cur[i]);
    pq_meta_free(r->meta);
    r->meta = NULL;
    lh_free(r->map);
    r->map = NULL;
    r->rg = NULL;
    r->rg_rows_left = 0;
}

static lh_rc open_file(lh_pq_reader *r, size_t fi, lh_err *err)
{
    lh_rc rc;
    topfield *top = NULL;
    size_t nt = 0, nleaves = 0, i, j;
    int64_t sum = 0;
    const char *uri = r->uris[fi];
    r->cur_file = (int)fi;
    TRY(read_footer(r->s, uri, &r->meta, &r->file_size, &r->footer_start, err));
    TRY(schema_top(r->meta, uri, &top, &nt, &nleaves, err));
    for (i = 0; i < r->meta->n_rgs; i++) {
        if (r->meta->rgs[i].n_cols != nleaves)
            TRY(lh_errf(err, LH_ECORRUPT, "%s: row group %zu has %zu column chunks, the schema has %zu leaves", uri,
                        i, r->meta->rgs[i].n_cols, nleaves));
        if (r->meta->rgs[i].num_rows > INT64_MAX - sum)
            TRY(lh_errf(err, LH_ECORRUPT, "%s: row counts overflow", uri));
        sum += r->meta->rgs[i].num_rows;
    }
    r->map = lh_calloc(r->n_cols ? r->n_cols : 1, sizeof *r->map);
    if (!r->map)
        TRY(lh_errf(err, LH_ENOMEM, "%s: out of memory", uri));
    for (i = 0; i < r->n_cols; i++) {
        colmap *c = &r->map[i];
        c->leaf = -1;
        for (j = 0; j < nt; j++)
            if (strcasecmp(r->meta->schema[top[j].el].name, r->cols[i]) == 0)
                break;
        if (j == nt)
            continue;
        c->el = &r->meta->schema[top[j].el];
        c->leaf = top[j].leaf;
        c->nested = top[j].nested;
        c->max_def = c->el->repetition == PQ_OPTIONAL ? 1 : 0;
        if (!c->nested)
            classify(c->el, c);
        if (!r->used[i])
            continue;
        if (c->nested)
            TRY(lh_errf(err, LH_EUNSUPPORTED,
                        "%s: column '%s' is nested (LIST, MAP, struct or repeated); nested columns are not supported",
                        uri, r->cols[i]));
        if (c->el->type == PQ_FLBA && c->el->type_length <= 0)
            TRY(lh_errf(err, LH_ECORRUPT, "%s: column '%s' is FIXED_LEN_BYTE_ARRAY of length %d", uri, r->cols[i],
                        (int)c->el->type_length));
        if (!convertible(c->src, r->types[i].kind)) {
            char tb[64], hb[64];
            TRY(lh_errf(err, LH_EDATA, "%s: column '%s' holds %s values, which cannot be read as the declared type %s",
                        uri, r->cols[i], hive_of(c, hb, sizeof hb), lh_type_name(&r->types[i], tb, sizeof tb)));
        }
    }
    r->next_rg = 0;
    r->rg = NULL;
    r->rg_rows_left = 0;
out:
    lh_free(top);
    return rc;
}

/* ---------------- statistics ---------------- */

static lh_rc decode_one(const colmap *c, const uint8_t *p, size_t n, pq_pv *v)
{
    switch (c->el->type) {
    case PQ_BOOLEAN:
        if (n < 1)
            return LH_ECORRUPT;
        v->i = p[0] & 1;
        return LH_OK;
    case PQ_INT32:
        if (n != 4)
            return LH_ECORRUPT;
        v->i = (int32_t)le32(p);
        return LH_OK;
    case PQ_INT64:
        if (n != 8)
            return LH_ECORRUPT;
        v->i = (int64_t)le64(p);
        return LH_OK;
    case PQ_FLOAT: {
        float f;
        uint32_t u;
        if (n != 4)
            return LH_ECORRUPT;
        u = le32(p);
        memcpy(&f, &u, 4);
        v->d = f;
        return LH_OK;
    }
    case PQ_DOUBLE: {
        uint64_t u;
        if (n != 8)
            return LH_ECORRUPT;
        u = le64(p);
        memcpy(&v->d, &u, 8);
        return LH_OK;
    }
    case PQ_BYTE_ARRAY:
    case PQ_FLBA:
        if (n > UINT32_MAX)
            return LH_ECORRUPT;
        v->b.p = p;
        v->b.n = (uint32_t)n;
        return LH_OK;
    default: return LH_ECORRUPT;
    }
}

static lh_rc convert(lh_pq_reader *r, size_t col, const pq_pv *pv, char *txt, size_t txtn, lh_value *out,
                     lh_err *err);

/* -1/0/1 into *res; returns 0 when a and b are comparable the way SQLite
 * would compare them. */
static int vcmp(const lh_value *a, const lh_value *b, int *res)
{
    if ((a->t == LH_V_INT || a->t == LH_V_REAL) && (b->t == LH_V_INT || b->t == LH_V_REAL)) {
        if (a->t == LH_V_INT && b->t == LH_V_INT) {
            *res = a->i < b->i ? -1 : a->i > b->i;
            return 0;
        }
        long double x = a->t == LH_V_INT ? (long double)a->i : (long double)a->d;
        long double y = b->t == LH_V_INT ? (long double)b->i : (long double)b->d;
        if (isnan(x) || isnan(y))
            return -1;
        *res = x < y ? -1 : x > y;
        return 0;
    }
    if (a->t == LH_V_TEXT && b->t == LH_V_TEXT) {
        size_t m = a->n < b->n ? a->n : b->n;
        int c = m ? memcmp(a->s, b->s, m) : 0;
        *res = c ? (c < 0 ? -1 : 1) : (a->n < b->n ? -1 : a->n > b->n);
        return 0;
    }
    return -1;
}

/* 1 when the statistics prove no row of the row group matches. */
static int rg_excluded(lh_pq_reader *r, const pq_rowgroup *g)
{
    size_t k, j;
    for (k = 0; k < r->n_cons; k++) {
        const pq_constraint *cn = &r->cons[k];
        const colmap *c = &r->map[cn->col];
        const pq_colmeta *cm;
        const pq_stats *st;
        const pq_bin *mn, *mx;
        pq_pv pmin, pmax;
        lh_value vmin, vmax;
        char tmin[96], tmax[96];
        lh_kind kind = r->types[cn->col].kind;
        int usable;
        if (c->leaf < 0) { /* absent column: all NULL */
            if (cn->op != LH_PQ_ISNULL)
                return 1;
            continue;
        }
        if (c->nested)
            continue;
        cm = &g->cols[c->leaf];
        st = &cm->stats;
        if (!cm->has_meta || !st->set)
            continue;
        if (cn->op == LH_PQ_ISNULL) {
            if (st->has_null_count && st->null_count == 0)
                return 1;
            continue;
        }
        if (st->has_null_count && st->null_count == g->num_rows && g->num_rows > 0)
            return 1;
        mn = st->min_value.set ? &st->min_value : NULL;
        mx = st->max_value.set ? &st->max_value : NULL;
        if (!mn || !mx) {
            /* legacy min/max: only where the sort order is signed */
            if (cm->type == PQ_BYTE_ARRAY || cm->type == PQ_FLBA || c->src == SRC_UINT || !st->min.set ||
                !st->max.set)
                continue;
            mn = &st->min;
            mx = &st->max;
        }
        {
            int num_src = c->src == SRC_INT || c->src == SRC_BOOL || c->src == SRC_FLOAT || c->src == SRC_DECIMAL ||
                          (c->src == SRC_UINT && c->bits < 64);
            int num_dst = is_int_kind(kind) || is_real_kind(kind) || kind == LH_T_BOOLEAN;
            int str_ok = c->src == SRC_STRING && cm->type == PQ_BYTE_ARRAY && is_text_kind(kind);
            int time_ok = (c->src == SRC_DATE || (c->src == SRC_TS && c->ts_div)) &&
                          (kind == LH_T_DATE || kind == LH_T_TIMESTAMP);
            usable = (num_src && num_dst) || str_ok || time_ok;
        }
        if (!usable || cm->type != c->el->type)
            continue;
        if (decode_one(c, mn->p, mn->n, &pmin) || decode_one(c, mx->p, mx->n, &pmax))
            continue;
        if (convert(r, cn->col, &pmin, tmin, sizeof tmin, &vmin, NULL) ||
            convert(r, cn->col, &pmax, tmax, sizeof tmax, &vmax, NULL))
            continue;
        if ((vmin.t == LH_V_REAL && isnan(vmin.d)) || (vmax.t == LH_V_REAL && isnan(vmax.d)))
            continue;
        {
            size_t nv = cn->op == LH_PQ_IN ? cn->n : 1;
            int all_out = 1;
            for (j = 0; j < nv && all_out; j++) {
                const lh_value *v = &cn->vals[j];
                int a, b, out = 0;
                if (v->t == LH_V_NULL) {
                    continue; /* "= NULL" never matches */
                }
                if (vcmp(v, &vmin, &a) || vcmp(v, &vmax, &b)) {
                    all_out = 0;
                    break;
                }
                switch (cn->op) {
                case LH_PQ_EQ:
                case LH_PQ_IN: out = a < 0 || b > 0; break;
                case LH_PQ_LT: out = a <= 0; break;  /* min >= v */
                case LH_PQ_LE: out = a < 0; break;   /* min > v */
                case LH_PQ_GT: out = b >= 0; break;  /* max <= v */
                case LH_PQ_GE: out = b > 0; break;   /* max < v */
                default: out = 0; break;
                }
                if (!out)
                    all_out = 0;
            }
            if (all_out)
                return 1;
        }
    }
    return 0;
}

/* ---------------- pages ---------------- */

static lh_rc corrupt(lh_pq_reader *r, size_t col, lh_err *err, const char *why)
{
    return lh_errf(err, LH_ECORRUPT, "%s: %s", colwhat(r, col), why);
}

/* PLAIN-decode count values of the column's physical type into out. */
static lh_rc plain_decode(lh_pq_reader *r, size_t col, const uint8_t *p, size_t n, size_t count, pq_pv *out,
                          lh_err *err)
{
    const colmap *c = &r->map[col];
    size_t i, w;
    switch (c->el->type) {
    case PQ_BOOLEAN:
        if (count > n * 8)
            return corrupt(r, col, err, "PLAIN booleans run past the end of the page");
        for (i = 0; i < count; i++)
            out[i].i = p[i >> 3] >> (i & 7) & 1;
        return LH_OK;
    case PQ_INT32:
    case PQ_FLOAT:
        if (count > n / 4)
            return corrupt(r, col, err, "PLAIN values run past the end of the page");
        for (i = 0; i < count; i++) {
            uint32_t u = le32(p + 4 * i);
            if (c->el->type == PQ_INT32) {
                out[i].i = (int32_t)u;
            } else {
                float f;
                memcpy(&f, &u, 4);
                out[i].d = f;
            }
        }
        return LH_OK;
    case PQ_INT64:
    case PQ_DOUBLE:
        if (count > n / 8)
            return corrupt(r, col, err, "PLAIN values run past the end of the page");
        for (i = 0; i < count; i++) {
            uint64_t u = le64(p + 8 * i);
            if (c->el->type == PQ_INT64)
                out[i].i = (int64_t)u;
            else
                memcpy(&out[i].d, &u, 8);
        }
        return LH_OK;
    case PQ_INT96:
    case PQ_FLBA:
        w = c->el->type == PQ_INT96 ? 12 : (size_t)c->el->type_length;
        if (count > n / w)
            return corrupt(r, col, err, "PLAIN values run past the end of the page");
        for (i = 0; i < count; i++) {
            out[i].b.p = p + w * i;
            out[i].b.n = (uint32_t)w;
        }
        return LH_OK;
    case PQ_BYTE_ARRAY: {
        size_t pos = 0;
        for (i = 0; i < count; i++) {
            uint32_t len;
            if (n - pos < 4)
                return corrupt(r, col, err, "PLAIN byte array length runs past the end of the page");
            len = le32(p + pos);
            pos += 4;
            if (len > n - pos)
                return corrupt(r, col, err, "PLAIN byte array runs past the end of the page");
            out[i].b.p = p + pos;
            out[i].b.n = len;
            pos += len;
        }
        return LH_OK;
    }
    default: return corrupt(r, col, err, "unknown physical type");
    }
}

static size_t phys_width(const colmap *c)
{
    switch (c->el->type) {
    case PQ_INT32:
    case PQ_FLOAT: return 4;
    case PQ_INT64:
    case PQ_DOUBLE: return 8;
    case PQ_FLBA: return (size_t)c->el->type_length;
    default: return 0;
    }
}

static lh_rc decode_values(lh_pq_reader *r, size_t col, int enc, const uint8_t *p, size_t n, size_t nn, lh_err *err)
{
    colcur *cc = &r->cur[col];
    const colmap *c = &r->map[col];
    lh_rc rc = LH_OK;
    const char *e = NULL;
    size_t i, used = 0;
    TRY(grow((void **)&cc->vals, &cc->vals_cap, nn, sizeof *cc->vals, err));
    switch (enc) {
    case PQ_ENC_PLAIN:
        TRY(plain_decode(r, col, p, n, nn, cc->vals, err));
        break;
    case PQ_ENC_PLAIN_DICT:
    case PQ_ENC_RLE_DICT: {
        pq_rle d;
        if (!cc->has_dict)
            TRY(corrupt(r, col, err, "dictionary-encoded page without a dictionary page"));
        if (nn == 0)
            break;
        if (n < 1)
            TRY(corrupt(r, col, err, "dictionary-encoded page is empty"));
        if ((e = pq_rle_init(&d, p + 1, n - 1, p[0])))
            break;
        TRY(grow((void **)&cc->idx, &cc->idx_cap, nn, sizeof *cc->idx, err));
        if ((e = pq_rle_get(&d, cc->idx, nn)))
            break;
        for (i = 0; i < nn; i++) {
            if (cc->idx[i] >= cc->n_dict) {
                char why[128];
                snprintf(why, sizeof why, "dictionary index %u out of range (dictionary has %zu entries)",
                         (unsigned)cc->idx[i], cc->n_dict);
                TRY(corrupt(r, col, err, why));
            }
            cc->vals[i] = cc->dict[cc->idx[i]];
        }
        break;
    }
    case PQ_ENC_RLE: {
        pq_rle d;
        uint32_t len;
        if (c->el->type != PQ_BOOLEAN)
            TRY(lh_errf(err, LH_EUNSUPPORTED, "%s: RLE encoding of non-boolean values is not supported",
                        colwhat(r, col)));
        if (n < 4)
            TRY(corrupt(r, col, err, "RLE boolean page lacks its length"));
        len = le32(p);
        if (len > n - 4)
            TRY(corrupt(r, col, err, "RLE boolean data runs past the end of the page"));
        TRY(grow((void **)&cc->idx, &cc->idx_cap, nn, sizeof *cc->idx, err));
        if ((e = pq_rle_init(&d, p + 4, len, 1)) || (e = pq_rle_get(&d, cc->idx, nn)))
            break;
        for (i = 0; i < nn; i++)
            cc->vals[i].i = cc->idx[i];
        break;
    }
    case PQ_ENC_DELTA_BP:
        if (c->el->type != PQ_INT32 && c->el->type != PQ_INT64)
            TRY(corrupt(r, col, err, "DELTA_BINARY_PACKED on a non-integer column"));
        TRY(grow((void **)&cc->t1, &cc->t_cap, nn, sizeof(int64_t), err));
        if ((e = pq_delta_bp_decode(p, n, nn, c->el->type == PQ_INT32, cc->t1, &used)))
            break;
        for (i = 0; i < nn; i++)
            cc->vals[i].i = cc->t1[i];
        break;
    case PQ_ENC_DELTA_LBA:
    case PQ_ENC_DELTA_BA: {
        size_t tcap = cc->t_cap;
        if (c->el->type != PQ_BYTE_ARRAY && !(enc == PQ_ENC_DELTA_BA && c->el->type == PQ_FLBA))
            TRY(corrupt(r, col, err, "DELTA byte-array encoding on a non-byte-array column"));
        TRY(grow((void **)&cc->t1, &tcap, nn, sizeof(int64_t), err));
        tcap = cc->t_cap;
        TRY(grow((void **)&cc->t2, &tcap, nn, sizeof(int64_t), err));
        cc->t_cap = tcap;
        TRY(grow((void **)&cc->bas, &cc->bas_cap, nn, sizeof *cc->bas, err));
        if (enc == PQ_ENC_DELTA_LBA)
            e = pq_delta_lba_decode(p, n, nn, cc->bas, cc->t1, &used);
        else
            e = pq_delta_ba_decode(p, n, nn, cc->bas, cc->t1, cc->t2, &cc->page_store);
        if (e)
            break;
        for (i = 0; i < nn; i++) {
            if (c->el->type == PQ_FLBA && cc->bas[i].n != (uint32_t)c->el->type_length)
                TRY(corrupt(r, col, err, "fixed-length value of the wrong length"));
            cc->vals[i].b = cc->bas[i];
        }
        break;
    }
    case PQ_ENC_BSS: {
        size_t w = phys_width(c);
        uint8_t *dst;
        if (!w)
            TRY(lh_errf(err, LH_EUNSUPPORTED, "%s: BYTE_STREAM_SPLIT on this physical type", colwhat(r, col)));
        if (nn > n / w)
            TRY(corrupt(r, col, err, "BYTE_STREAM_SPLIT data runs past the end of the page"));
        TRY(lh_buf_reserve(&cc->page_store, nn * w + 1, err));
        dst = (uint8_t *)cc->page_store.data;
        if ((e = pq_bss_decode(p, n, nn, w, dst)))
            break;
        cc->page_store.len = nn * w;
        TRY(plain_decode(r, col, dst, nn * w, nn, cc->vals, err));
        break;
    }
    default:
        TRY(lh_errf(err, LH_EUNSUPPORTED, "%s: value encoding %d is not supported", colwhat(r, col), enc));
    }
    if (e)
        rc = corrupt(r, col, err, e);
out:
    return rc;
}

/* Decompress into buf exactly un bytes. */
static lh_rc inflate_into(lh_pq_reader *r, size_t col, int codec, const uint8_t *src, size_t n, size_t un, lh_buf *buf,
                          lh_err *err)
{
    lh_rc rc;
    static char dummy[1];
    lh_buf_reset(buf);
    if (un > LH_PQ_MAX_PAGE)
        return lh_errf(err, LH_ECORRUPT, "%s: page of %zu bytes uncompressed exceeds the %zu-byte limit",
                       colwhat(r, col), un, LH_PQ_MAX_PAGE);
    if ((rc = lh_buf_reserve(buf, un + 1, err)))
        return rc;
    rc = lh_codec_decompress(codec, src, n, un ? (void *)buf->data : dummy, un, colwhat(r, col), err);
    if (!rc)
        buf->len = un;
    return rc;
}

static lh_rc read_defs(lh_pq_reader *r, size_t col, const uint8_t *p, size_t n, size_t count, lh_err *err)
{
    colcur *cc = &r->cur[col];
    pq_rle d;
    const char *e;
    size_t i;
    lh_rc rc = grow((void **)&cc->defs, &cc->defs_cap, count, sizeof *cc->defs, err);
    if (rc)
        return rc;
    if ((e = pq_rle_init(&d, p, n, 1)) || (e = pq_rle_get(&d, cc->defs, count))) {
        char why[160];
        snprintf(why, sizeof why, "definition levels: %s (fewer levels than the page's %zu values)", e, count);
        return corrupt(r, col, err, why);
    }
    cc->page_nn = 0;
    for (i = 0; i < count; i++) {
        if (cc->defs[i] > (uint32_t)r->map[col].max_def)
            return corrupt(r, col, err, "definition level above the maximum");
        cc->page_nn += cc->defs[i] == (uint32_t)r->map[col].max_def;
    }
    return LH_OK;
}

static lh_rc load_dict(lh_pq_reader *r, size_t col, const pq_page_header *h, const uint8_t *data, int codec,
                       lh_err *err)
{
    colcur *cc = &r->cur[col];
    lh_rc rc;
    size_t un = (size_t)h->uncompressed_size, nv = (size_t)h->num_values;
    if (cc->has_dict || cc->seen_data)
        return corrupt(r, col, err, "a second dictionary page, or one after data pages");
    if (!h->has_sub)
        return corrupt(r, col, err, "dictionary page without its header");
    if (h->encoding != PQ_ENC_PLAIN && h->encoding != PQ_ENC_PLAIN_DICT)
        return lh_errf(err, LH_EUNSUPPORTED, "%s: dictionary page encoding %d is not supported", colwhat(r, col),
                       h->encoding);
    if ((rc = inflate_into(r, col, codec, data, (size_t)h->compressed_size, un, &cc->dict_buf, err)))
        return rc;
    if (r->map[col].el->type == PQ_BOOLEAN ? nv > un * 8 : nv > un / (r->map[col].el->type == PQ_BYTE_ARRAY ? 4 : (phys_width(&r->map[col]) ? phys_width(&r->map[col]) : 12)))
        return corrupt(r, col, err, "dictionary page claims more values than its bytes can hold");
    lh_free(cc->dict);
    cc->dict = lh_calloc(nv ? nv : 1, sizeof *cc->dict);
    if (!cc->dict)
        return lh_errf(err, LH_ENOMEM, "%s: out of memory for the dictionary", colwhat(r, col));
    if ((rc = plain_decode(r, col, (const uint8_t *)cc->dict_buf.data, un, nv, cc->dict, err)))
        return rc;
    cc->n_dict = nv;
    cc->has_dict = 1;
    return LH_OK;
}

/* Load the next data page of column col (skipping dictionary/index pages). */
static lh_rc next_page(lh_pq_reader *r, size_t col, lh_err *err)
{
    colcur *cc = &r->cur[col];
    const colmap *c = &r->map[col];
    const pq_colmeta *cm = &r->rg->cols[c->leaf];
    lh_rc rc = LH_OK;
    for (;;) {
        pq_page_header h;
        size_t used = 0, csz, un, nv;
        const uint8_t *data;
        if (cc->pos >= cc->chunk.len)
            return corrupt(r, col, err, "column chunk ends before all of its values were read");
        if ((rc = pq_page_header_decode(cc->chunk.data + cc->pos, cc->chunk.len - cc->pos, colwhat(r, col), &h, &used,
                                        err)))
            return rc;
        cc->pos += used;
        csz = (size_t)h.compressed_size;
        un = (size_t)h.uncompressed_size;
        if (csz > cc->chunk.len - cc->pos)
            return corrupt(r, col, err, "page runs past the end of the column chunk");
        data = (const uint8_t *)cc->chunk.data + cc->pos;
        cc->pos += csz;
        if (h.has_crc && (uint32_t)crc32(0, data, (uInt)csz) != h.crc)
            return corrupt(r, col, err, "page CRC mismatch (the page is damaged)");
        r->stats.pages_read++;
        if (h.type == PQ_PAGE_DICT) {
            if ((rc = load_dict(r, col, &h, data, cm->codec, err)))
                return rc;
            continue;
        }
        if (h.type != PQ_PAGE_DATA && h.type != PQ_PAGE_DATA_V2)
            continue;
        if (!h.has_sub)
            return corrupt(r, col, err, "data page without its header");
        cc->seen_data = 1;
        nv = (size_t)h.num_values;
        if ((int64_t)nv > cc->values_left)
            return corrupt(r, col, err, "pages hold more values than the column chunk states");
        if (nv > MAX_PAGE_VALUES)
            return lh_errf(err, LH_ELIMIT, "%s: page of %zu values exceeds the limit of %zu", colwhat(r, col), nv,
                           MAX_PAGE_VALUES);
        cc->values_left -= (int64_t)nv;
        lh_buf_reset(&cc->page_store);
        if (h.type == PQ_PAGE_DATA) {
            const uint8_t *p;
            size_t n;
            if ((rc = inflate_into(r, col, cm->codec, data, csz, un, &cc->page_buf, err)))
                return rc;
            p = (const uint8_t *)cc->page_buf.data;
            n = un;
            if (c->max_def > 0) {
                uint32_t len;
                if (h.def_encoding != PQ_ENC_RLE)
                    return lh_errf(err, LH_EUNSUPPORTED, "%s: definition-level encoding %d is not supported",
                                   colwhat(r, col), h.def_encoding);
                if (n < 4)
                    return corrupt(r, col, err, "data page too short for its definition levels");
                len = le32(p);
                if (len > n - 4)
                    return corrupt(r, col, err, "definition levels run past the end of the page");
                if ((rc = read_defs(r, col, p + 4, len, nv, err)))
                    return rc;
                p += 4 + len;
                n -= 4 + (size_t)len;
            } else {
                cc->page_nn = nv;
            }
            if ((rc = decode_values(r, col, h.encoding, p, n, cc->page_nn, err)))
                return rc;
        } else {
            size_t lv = (size_t)h.def_len + (size_t)h.rep_len, vn;
            const uint8_t *vp;
            if (lv > csz || lv > un)
                return corrupt(r, col, err, "v2 page levels longer than the page");
            /* a flat column has no repetition levels; any bytes there are ignored */
            if (c->max_def > 0) {
                if ((rc = read_defs(r, col, data + h.rep_len, (size_t)h.def_len, nv, err)))
                    return rc;
                if ((size_t)h.num_nulls != nv - cc->page_nn)
                    return corrupt(r, col, err, "v2 page num_nulls disagrees with its definition levels");
            } else {
                if (h.num_nulls)
                    return corrupt(r, col, err, "nulls in a required column");
                cc->page_nn = nv;
            }
            vn = un - lv;
            if (h.is_compressed && cm->codec != PQ_C_UNCOMPRESSED && csz - lv > 0) {
                if ((rc = inflate_into(r, col, cm->codec, data + lv, csz - lv, vn, &cc->page_buf, err)))
                    return rc;
                vp = (const uint8_t *)cc->page_buf.data;
            } else {
                if (csz - lv != vn)
                    return corrupt(r, col, err, "v2 page sizes disagree");
                vp = data + lv;
            }
            if ((rc = decode_values(r, col, h.encoding, vp, vn, cc->page_nn, err)))
                return rc;
        }
        cc->page_n = nv;
        cc->page_i = 0;
        cc->val_i = 0;
        if (nv > 0)
            return LH_OK;
    }
}

static lh_rc load_chunk(lh_pq_reader *r, size_t col, lh_err *err)
{
    colcur *cc = &r->cur[col];
    const colmap *c = &r->map[col];
    const pq_colmeta *cm = &r->rg->cols[c->leaf];
    uint64_t start, len;
    size_t got = 0;
    lh_rc rc;
    cur_free(cc);
    cc->active = 1;
    if (!cm->has_meta)
        return corrupt(r, col, err, "column chunk without metadata (external or encrypted chunks are not supported)");
    if (cm->type != c->el->type)
        return corrupt(r, col, err, "column chunk type disagrees with the schema");
    if (cm->num_values != r->rg->num_rows) {
        char why[160];
        snprintf(why, sizeof why, "column chunk has %lld values but the row group has %lld rows",
                 (long long)cm->num_values, (long long)r->rg->num_rows);
        return corrupt(r, col, err, why);
    }
    start = (uint64_t)cm->data_page_offset;
    if (cm->dictionary_page_offset > 0 && (uint64_t)cm->dictionary_page_offset < start)
        start = (uint64_t)cm->dictionary_page_offset;
    len = (uint64_t)cm->total_compressed;
    if (start < 4 || start > r->footer_start || len > r->footer_start - start)
        return corrupt(r, col, err, "column chunk lies outside the file's data");
    if (len > ((uint64_t)2 << 30))
        return lh_errf(err, LH_ELIMIT, "%s: column chunk of %llu bytes exceeds the 2 GiB limit", colwhat(r, col),
                       (unsigned long long)len);
    lh_buf_init(&cc->chunk, (size_t)len + 16);
    lh_buf_init(&cc->dict_buf, LH_PQ_MAX_PAGE + 16);
    lh_buf_init(&cc->page_buf, LH_PQ_MAX_PAGE + 16);
    lh_buf_init(&cc->page_store, LH_PQ_MAX_PAGE + 16);
    if ((rc = lh_store_get_range(r->s, r->uris[r->cur_file], start, (size_t)len, &cc->chunk, &got, err)))
        return rc;
    if (got != len)
        return corrupt(r, col, err, "short read of the column chunk");
    r->stats.bytes_read += len;
    cc->values_left = cm->num_values;
    return LH_OK;
}

/* ---------------- values ---------------- */

static double dec_bytes(const uint8_t *p, size_t n)
{
    double v;
    size_t i;
    if (n == 0)
        return 0;
    v = (int8_t)p[0];
    for (i = 1; i < n; i++)
        v = v * 256.0 + p[i];
    return v;
}

/* The exact text of unscaled value u with `scale` fraction digits. */
static size_t dec_text(__int128 u, int scale, char *txt, size_t txtn)
{
    char d[64];
    size_t nd = 0, k = 0, i;
    int neg = u < 0;
    unsigned __int128 a = neg ? (unsigned __int128)0 - (unsigned __int128)u : (unsigned __int128)u;
    do {
        d[nd++] = (char)('0' + (int)(a % 10));
        a /= 10;
    } while (a && nd < sizeof d);
    while (nd <= (size_t)scale && nd < sizeof d)
        d[nd++] = '0';
    if (txtn < nd + 3)
        return 0;
    if (neg)
        txt[k++] = '-';
    for (i = nd; i-- > 0;) {
        txt[k++] = d[i];
        if (i == (size_t)scale && scale > 0)
            txt[k++] = '.';
    }
    txt[k] = 0;
    return k;
}

/* Big-endian two's complement of at most 16 bytes; 0 when longer. */
static int dec_bytes128(const uint8_t *p, size_t n, __int128 *out)
{
    unsigned __int128 v;
    size_t i;
    if (n == 0 || n > 16)
        return 0;
    v = (p[0] & 0x80) ? ~(unsigned __int128)0 : 0;
    for (i = 0; i < n; i++)
        v = (v << 8) | p[i];
    *out = (__int128)v;
    return 1;
}

static int64_t int96_ms(const uint8_t *p)
{
    int64_t nanos = (int64_t)le64(p);
    int64_t jd = (int32_t)le32(p + 8);
    return (jd - 2440588) * 86400000 + floordiv64(nanos, 1000000);
}

static double f16(uint16_t h)
{
    int e = (h >> 10) & 31, m = h & 1023;
    double v = e == 0 ? ldexp(m, -24) : e == 31 ? (m ? NAN : INFINITY) : ldexp(m + 1024, e - 25);
    return h & 0x8000 ? -v : v;
}

/* 1 if d, rounded to t's scale, fits decimal(p,s) (a file may hold wider
 * decimals, or doubles, than the table declares). */
static int dec_fits(double d, const lh_type *t)
{
    long double lim = powl(10.0L, t->p), x;
    if (!isfinite(d))
        return 0;
    x = roundl(fabsl((long double)d) * powl(10.0L, t->s));
    return x < lim;
}

static lh_rc dec_misfit(lh_pq_reader *r, size_t col, double d, lh_err *err)
{
    char tb[64], max[48];
    lh_decimal_max_text(r->types[col].p, r->types[col].s, max, sizeof max);
    return lh_errf(err, LH_EDATA, "%s: %.17g does not fit %s (%s %s%s)", colwhat(r, col), d,
                   lh_type_name(&r->types[col], tb, sizeof tb), d < 0 ? "at least" : "at most", d < 0 ? "-" : "", max);
}

static lh_rc convert(lh_pq_reader *r, size_t col, const pq_pv *pv, char *txt, size_t txtn, lh_value *out, lh_err *err)
{
    const colmap *c = &r->map[col];
    lh_kind k = r->types[col].kind;
    int64_t iv = 0;
    double dv = 0;
    int isint = 0, isreal = 0;
    memset(out, 0, sizeof *out);
    switch (c->src) {
    case SRC_BOOL:
    case SRC_INT:
        iv = pv->i;
        isint = 1;
        break;
    case SRC_UINT:
        iv = c->bits <= 32 ? (int64_t)(uint32_t)pv->i : pv->i;
        isint = 1;
        break;
    case SRC_FLOAT:
        dv = pv->d;
        isreal = 1;
        break;
    case SRC_F16:
        dv = f16((uint16_t)(pv->b.p[0] | pv->b.p[1] << 8));
        isreal = 1;
        break;
    case SRC_DECIMAL: {
        double raw;
        __int128 u;
        if (r->exact_decimals && k == LH_T_DECIMAL && r->types[col].p > 15 &&
            ((c->el->type == PQ_INT32 || c->el->type == PQ_INT64) ? (u = pv->i, 1) : dec_bytes128(pv->b.p, pv->b.n, &u))) {
            /* more digits than a double holds: the exact digits, as text */
            out->n = dec_text(u, c->scale, txt, txtn);
            if (out->n) {
                out->t = LH_V_TEXT;
                out->s = txt;
                return LH_OK;
            }
        }
        raw = c->el->type == PQ_INT32 || c->el->type == PQ_INT64 ? (double)pv->i : dec_bytes(pv->b.p, pv->b.n);
        dv = raw / pow(10.0, c->scale);
        isreal = 1;
        if (is_text_kind(k) && (c->el->type == PQ_INT32 || c->el->type == PQ_INT64) && c->scale > 0 && c->scale < 19) {
            int64_t p10 = 1, ip, fp;
            uint64_t a = pv->i < 0 ? (uint64_t)0 - (uint64_t)pv->i : (uint64_t)pv->i;
            for (int s = 0; s < c->scale; s++)
                p10 *= 10;
            ip = (int64_t)(a / (uint64_t)p10);
            fp = (int64_t)(a % (uint64_t)p10);
            out->t = LH_V_TEXT;
            out->s = txt;
            out->n = (size_t)snprintf(txt, txtn, "%s%lld.%0*lld", pv->i < 0 ? "-" : "", (long long)ip, c->scale,
                                      (long long)fp);
            return LH_OK;
        }
        break;
    }
    case SRC_DATE:
    case SRC_TS: {
        int64_t ms;
        if (c->src == SRC_DATE)
            ms = pv->i * 86400000;
        else if (c->ts_div == 0)
            ms = int96_ms(pv->b.p);
        else
            ms = floordiv64(pv->i, c->ts_div);
        out->t = LH_V_TEXT;
        out->s = txt;
        if (k == LH_T_DATE || (c->src == SRC_DATE && is_text_kind(k)))
            out->n = lh_fmt_date(floordiv64(ms, 86400000), txt, txtn);
        else
            out->n = lh_fmt_timestamp_ms(ms, txt, txtn);
        return LH_OK;
    }
    case SRC_STRING:
        if (!is_text_kind(k))
            goto bad;
        out->t = LH_V_TEXT;
        out->s = (const char *)pv->b.p;
        out->n = pv->b.n;
        return LH_OK;
    default: goto bad;
    }
    if (is_text_kind(k)) {
        out->t = LH_V_TEXT;
        out->s = txt;
        if (c->src == SRC_BOOL)
            out->n = (size_t)snprintf(txt, txtn, "%s", iv ? "true" : "false");
        else if (isint)
            out->n = (size_t)snprintf(txt, txtn, "%lld", (long long)iv);
        else
            out->n = (size_t)snprintf(txt, txtn, "%.17g", dv);
        return LH_OK;
    }
    if (k == LH_T_BOOLEAN && isint) {
        out->t = LH_V_INT;
        out->i = iv != 0;
        return LH_OK;
    }
    if (is_int_kind(k) && isint) {
        out->t = LH_V_INT;
        out->i = iv;
        return LH_OK;
    }
    if (is_real_kind(k) && (isint || isreal)) {
        out->t = LH_V_REAL;
        out->d = isint ? (double)iv : dv;
        if (k == LH_T_FLOAT && isint)
            out->d = (float)out->d;
        if (k == LH_T_DECIMAL && !dec_fits(out->d, &r->types[col]))
            return dec_misfit(r, col, out->d, err);
        return LH_OK;
    }
bad:
    return lh_errf(err, LH_EDATA, "%s: value cannot be converted to the declared type", colwhat(r, col));
}

/* ---------------- public API ---------------- */

lh_rc lh_pq_reader_open(lh_store *s, const char *const *uris, size_t n_uris, const char *const *cols,
                        const lh_type *types, size_t n_cols, lh_pq_reader **out, lh_err *err)
{
    lh_rc rc = LH_OK;
    lh_pq_reader *r;
    size_t i;
    *out = NULL;
    r = lh_calloc(1, sizeof *r);
    if (!r)
        return lh_errf(err, LH_ENOMEM, "parquet reader: out of memory");
    r->s = s;
    r->cur_file = -1;
    r->uris = lh_calloc(n_uris ? n_uris : 1, sizeof *r->uris);
    r->cols = lh_calloc(n_cols ? n_cols : 1, sizeof *r->cols);
    r->types = lh_calloc(n_cols ? n_cols : 1, sizeof *r->types);
    r->used = lh_calloc(n_cols ? n_cols : 1, 1);
    r->cur = lh_calloc(n_cols ? n_cols : 1, sizeof *r->cur);
    if (!r->uris || !r->cols || !r->types || !r->used || !r->cur)
        TRY(lh_errf(err, LH_ENOMEM, "parquet reader: out of memory"));
    r->n_uris = n_uris;
    r->n_cols = n_cols;
    for (i = 0; i < n_uris; i++)
        if (!(r->uris[i] = lh_strdup(uris[i])))
            TRY(lh_errf(err, LH_ENOMEM, "parquet reader: out of memory"));
    for (i = 0; i < n_cols; i++) {
        if (!(r->cols[i] = lh_strdup(cols[i])))
            TRY(lh_errf(err, LH_ENOMEM, "parquet reader: out of memory"));
        r->types[i] = types[i];
        r->used[i] = 1;
    }
    *out = r;
    r = NULL;
out:
    if (r)
        lh_pq_reader_close(r);
    return rc;
}

void lh_pq_reader_exact_decimals(lh_pq_reader *r) { r->exact_decimals = 1; }

void lh_pq_reader_project(lh_pq_reader *r, const unsigned char *used)
{
    size_t i;
    for (i = 0; i < r->n_cols; i++)
        r->used[i] = used[i] ? 1 : 0;
}

lh_rc lh_pq_reader_constrain(lh_pq_reader *r, size_t col, lh_pq_op op, const lh_value *vals, size_t n_vals,
                             lh_err *err)
{
    pq_constraint *c, *nc;
    size_t i, nv = op == LH_PQ_ISNULL ? 0 : op == LH_PQ_IN ? n_vals : 1;
    if (col >= r->n_cols)
        return lh_errf(err, LH_EINVAL, "parquet reader: constraint on column %zu of %zu", col, r->n_cols);
    if (op != LH_PQ_ISNULL && op != LH_PQ_IN && n_vals < 1)
        return lh_errf(err, LH_EINVAL, "parquet reader: comparison constraint without a value");
    nc = lh_realloc(r->cons, (r->n_cons + 1) * sizeof *r->cons);
    if (!nc)
        return lh_errf(err, LH_ENOMEM, "parquet reader: out of memory");
    r->cons = nc;
    c = &r->cons[r->n_cons];
    memset(c, 0, sizeof *c);
    c->col = col;
    c->op = op;
    c->vals = lh_calloc(nv ? nv : 1, sizeof *c->vals);
    if (!c->vals)
        return lh_errf(err, LH_ENOMEM, "parquet reader: out of memory");
    r->n_cons++;
    for (i = 0; i < nv; i++) {
        c->vals[i] = vals[i];
        if (vals[i].t == LH_V_TEXT) {
            char *d = lh_strndup(vals[i].s ? vals[i].s : "", vals[i].s ? vals[i].n : 0);
            if (!d) {
                c->n = i;
                return lh_errf(err, LH_ENOMEM, "parquet reader: out of memory");
            }
            c->vals[i].s = d;
        }
        c->n = i + 1;
    }
    return LH_OK;
}

lh_rc lh_pq_reader_next(lh_pq_reader *r, int *eof, lh_err *err)
{
    lh_rc rc = LH_OK;
    size_t i;
    *eof = 0;
    if (r->failed)
        return lh_errf(err, LH_EINVAL, "parquet reader: used after an error");
    for (;;) {
        if (r->rg && r->rg_rows_left > 0) {
            for (i = 0; i < r->n_cols; i++) {
                colcur *cc = &r->cur[i];
                const colmap *c = &r->map[i];
                uint32_t def;
                if (!r->used[i] || c->leaf < 0)
                    continue;
                if (cc->page_i >= cc->page_n)
                    TRY(next_page(r, i, err));
                def = c->max_def ? cc->defs[cc->page_i] : 0;
                cc->page_i++;
                if (def == (uint32_t)c->max_def) {
                    if (cc->val_i >= cc->page_nn)
                        TRY(corrupt(r, i, err, "fewer values than definition levels"));
                    cc->cur = cc->vals[cc->val_i++];
                    cc->cur_null = 0;
                } else {
                    cc->cur_null = 1;
                }
            }
            r->rg_rows_left--;
            r->stats.rows++;
            return LH_OK;
        }
        if (r->meta && r->next_rg < r->meta->n_rgs) {
            pq_rowgroup *g = &r->meta->rgs[r->next_rg++];
            if (g->num_rows == 0)
                continue;
            if (rg_excluded(r, g)) {
                r->stats.row_groups_skipped++;
                continue;
            }
            r->rg = g;
            r->rg_rows_left = g->num_rows;
            r->stats.row_groups_read++;
            for (i = 0; i < r->n_cols; i++)
                if (r->used[i] && r->map[i].leaf >= 0)
                    TRY(load_chunk(r, i, err));
            continue;
        }
        if (r->meta)
            close_file(r);
        if (r->next_file >= r->n_uris) {
            *eof = 1;
            return LH_OK;
        }
        TRY(open_file(r, r->next_file++, err));
    }
out:
    r->failed = 1;
    return rc;
}

lh_rc lh_pq_reader_value(lh_pq_reader *r, size_t col, lh_value *out, lh_err *err)
{
    colcur *cc;
    memset(out, 0, sizeof *out);
    if (col >= r->n_cols)
        return lh_errf(err, LH_EINVAL, "parquet reader: column %zu of %zu", col, r->n_cols);
    if (!r->used[col] || !r->map || !r->rg || r->map[col].leaf < 0)
        return LH_OK;
    cc = &r->cur[col];
    if (cc->cur_null)
        return LH_OK;
    return convert(r, col, &cc->cur, cc->txt, sizeof cc->txt, out, err);
}

const char *lh_pq_reader_file(const lh_pq_reader *r) { return r->cur_file >= 0 ? r->uris[r->cur_file] : ""; }

const lh_pq_stats *lh_pq_reader_stats(const lh_pq_reader *r) { return &r->stats; }

void lh_pq_reader_close(lh_pq_reader *r)
{
    size_t i, j;
    if (!r)
        return;
    close_file(r);
    for (i = 0; i < r->n_uris; i++)
        lh_free(r->uris ? r->uris[i] : NULL);
    for (i = 0; i < r->n_cols; i++)
        lh_free(r->cols ? r->cols[i] : NULL);
    for (i = 0; i < r->n_cons; i++) {
        for (j = 0; j < r->cons[i].n; j++)
            if (r->cons[i].vals[j].t == LH_V_TEXT)
                lh_free((void *)r->cons[i].vals[j].s);
        lh_free(r->cons[i].vals);
    }
    lh_free(r->cons);
    lh_free(r->uris);
    lh_free(r->cols);
    lh_free(r->types);
    lh_free(r->used);
    lh_free(r->cur);
    lh_free(r);
}

lh_rc lh_pq_count_rows(lh_store *s, const char *const *uris, size_t n, int64_t *rows, lh_err *err)
{
    size_t i;
    int64_t total = 0;
    lh_rc rc = LH_OK;
    *rows = 0;
    for (i = 0; i < n; i++) {
        lh_pq_meta *m = NULL;
        uint64_t size, fs;
        int64_t sum = 0;
        size_t g;
        if ((rc = read_footer(s, uris[i], &m, &size, &fs, err)))
            return rc;
        for (g = 0; g < m->n_rgs; g++) {
            if (m->rgs[g].num_rows > INT64_MAX - sum)
                break;
            sum += m->rgs[g].num_rows;
        }
        /* the row groups are authoritative (some writers leave num_rows 0) */
        if (g < m->n_rgs || sum > INT64_MAX - total)
            rc = lh_errf(err, LH_ECORRUPT, "%s: row counts overflow", uris[i]);
        else
            total += sum;
        pq_meta_free(m);
        if (rc)
            return rc;
    }
    *rows = total;
    return LH_OK;
}

void lh_pq_free_columns(char **names, char **hive_types, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        lh_free(names ? names[i] : NULL);
        lh_free(hive_types ? hive_types[i] : NULL);
    }
    lh_free(names);
    lh_free(hive_types);
}

lh_rc lh_pq_file_columns(lh_store *s, const char *uri, char ***names, char ***hive_types, size_t *n, lh_err *err)
{
    lh_rc rc;
    lh_pq_meta *m = NULL;
    topfield *top = NULL;
    size_t nt = 0, nl, i;
    uint64_t size, fs;
    char **nm = NULL, **ty = NULL;
    *names = *hive_types = NULL;
    *n = 0;
    TRY(read_footer(s, uri, &m, &size, &fs, err));
    TRY(schema_top(m, uri, &top, &nt, &nl, err));
    nm = lh_calloc(nt ? nt : 1, sizeof *nm);
    ty = lh_calloc(nt ? nt : 1, sizeof *ty);
    if (!nm || !ty)
        TRY(lh_errf(err, LH_ENOMEM, "%s: out of memory", uri));
    for (i = 0; i < nt; i++) {
        colmap c;
        char buf[64];
        memset(&c, 0, sizeof c);
        c.el = &m->schema[top[i].el];
        c.nested = top[i].nested;
        if (!c.nested)
            classify(c.el, &c);
        nm[i] = lh_strdup(c.el->name);
        ty[i] = lh_strdup(hive_of(&c, buf, sizeof buf));
        if (!nm[i] || !ty[i])
            TRY(lh_errf(err, LH_ENOMEM, "%s: out of memory", uri));
    }
    *names = nm;
    *hive_types = ty;
    *n = nt;
    nm = ty = NULL;
out:
    if (nm || ty)
        lh_pq_free_columns(nm, ty, nt);
    lh_free(top);
    pq_meta_free(m);
    return rc;
}
