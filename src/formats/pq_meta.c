/* formats/pq_meta.c — Parquet metadata decode/encode (Thrift compact). */
#include "formats/pq_meta.h"

#include <stdio.h>
#include <string.h>

#define TRY(x)                                                                                                         \
    do {                                                                                                               \
        rc = (x);                                                                                                      \
        if (rc)                                                                                                        \
            goto out;                                                                                                  \
    } while (0)

typedef struct dec {
    lh_thr_r r;
    lh_arena *a;
} dec;

static lh_rc nomem(dec *d) { return lh_errf(d->r.err, LH_ENOMEM, "%s: out of memory decoding metadata", d->r.what); }

static void *dalloc(dec *d, size_t count, size_t size)
{
    void *p;
    if (size && count > SIZE_MAX / size)
        return NULL;
    p = lh_arena_alloc(d->a, count * size > 0 ? count * size : 1);
    if (p)
        memset(p, 0, count * size);
    return p;
}

static lh_rc rd_str(dec *d, int t, char **out)
{
    const uint8_t *p;
    size_t n;
    lh_rc rc = lh_thr_binary(&d->r, t, &p, &n);
    if (rc)
        return rc;
    *out = lh_arena_strndup(d->a, (const char *)p, n);
    return *out ? LH_OK : nomem(d);
}

static lh_rc rd_bin(dec *d, int t, pq_bin *b)
{
    const uint8_t *p;
    size_t n;
    uint8_t *c;
    lh_rc rc = lh_thr_binary(&d->r, t, &p, &n);
    if (rc)
        return rc;
    c = lh_arena_alloc(d->a, n ? n : 1);
    if (!c)
        return nomem(d);
    memcpy(c, p, n);
    b->p = c;
    b->n = n;
    b->set = 1;
    return LH_OK;
}

static lh_rc rd_enum(dec *d, int t, int lo, int hi, int *v, const char *name)
{
    int32_t x;
    lh_rc rc = lh_thr_i32(&d->r, t, &x);
    if (rc)
        return rc;
    if (x < lo || x > hi) {
        char why[96];
        snprintf(why, sizeof why, "%s value %d out of range", name, (int)x);
        return lh_thr_corrupt(&d->r, why);
    }
    *v = x;
    return LH_OK;
}

static lh_rc rd_nonneg64(dec *d, int t, int64_t *v, const char *name)
{
    lh_rc rc = lh_thr_i64(&d->r, t, v);
    if (rc)
        return rc;
    if (*v < 0) {
        char why[96];
        snprintf(why, sizeof why, "negative %s", name);
        return lh_thr_corrupt(&d->r, why);
    }
    return LH_OK;
}

static lh_rc rd_stats(dec *d, pq_stats *s)
{
    lh_rc rc;
    int t;
    int16_t id;
    TRY(lh_thr_struct_begin(&d->r));
    s->set = 1;
    for (;;) {
        TRY(lh_thr_field(&d->r, &t, &id));
        if (t == LH_THR_STOP)
            break;
        switch (id) {
        case 1: TRY(rd_bin(d, t, &s->max)); break;
        case 2: TRY(rd_bin(d, t, &s->min)); break;
        case 3:
            TRY(lh_thr_i64(&d->r, t, &s->null_count));
            s->has_null_count = s->null_count >= 0;
            break;
        case 5: TRY(rd_bin(d, t, &s->max_value)); break;
        case 6: TRY(rd_bin(d, t, &s->min_value)); break;
        default: TRY(lh_thr_skip(&d->r, t)); break;
        }
    }
    lh_thr_struct_end(&d->r);
out:
    return rc;
}

/* Struct with a single field id of interest; used for unions. Returns the
 * id of the (first) set member in *which and calls back for its body. */
static lh_rc rd_timeunit(dec *d, int *unit)
{
    lh_rc rc;
    int t;
    int16_t id;
    TRY(lh_thr_struct_begin(&d->r));
    for (;;) {
        TRY(lh_thr_field(&d->r, &t, &id));
        if (t == LH_THR_STOP)
            break;
        if (id >= 1 && id <= 3 && t == LH_THR_STRUCT)
            *unit = id;
        TRY(lh_thr_skip(&d->r, t));
    }
    lh_thr_struct_end(&d->r);
out:
    return rc;
}

static lh_rc rd_logical(dec *d, pq_schema_el *e)
{
    lh_rc rc;
    int t, t2;
    int16_t id, id2;
    TRY(lh_thr_struct_begin(&d->r));
    for (;;) {
        TRY(lh_thr_field(&d->r, &t, &id));
        if (t == LH_THR_STOP)
            break;
        if (t != LH_THR_STRUCT) {
            TRY(lh_thr_skip(&d->r, t));
            continue;
        }
        e->lt = id;
        if (id != PQ_LT_DECIMAL && id != PQ_LT_TIME && id != PQ_LT_TIMESTAMP && id != PQ_LT_INTEGER) {
            TRY(lh_thr_skip(&d->r, t));
            continue;
        }
        TRY(lh_thr_struct_begin(&d->r));
        for (;;) {
            int b;
            int32_t v;
            TRY(lh_thr_field(&d->r, &t2, &id2));
            if (t2 == LH_THR_STOP)
                break;
            if (id == PQ_LT_DECIMAL && id2 == 1) {
                TRY(lh_thr_i32(&d->r, t2, &e->lt_scale));
            } else if (id == PQ_LT_DECIMAL && id2 == 2) {
                TRY(lh_thr_i32(&d->r, t2, &e->lt_precision));
            } else if ((id == PQ_LT_TIME || id == PQ_LT_TIMESTAMP) && id2 == 1) {
                TRY(lh_thr_bool(&d->r, t2, &b));
                e->lt_utc = b;
            } else if ((id == PQ_LT_TIME || id == PQ_LT_TIMESTAMP) && id2 == 2 && t2 == LH_THR_STRUCT) {
                TRY(rd_timeunit(d, &e->lt_unit));
            } else if (id == PQ_LT_INTEGER && id2 == 1) {
                TRY(lh_thr_i32(&d->r, t2, &v));
                e->lt_bits = v;
            } else if (id == PQ_LT_INTEGER && id2 == 2) {
                TRY(lh_thr_bool(&d->r, t2, &b));
                e->lt_signed = b;
            } else {
                TRY(lh_thr_skip(&d->r, t2));
            }
        }
        lh_thr_struct_end(&d->r);
    }
    lh_thr_struct_end(&d->r);
out:
    return rc;
}

static lh_rc rd_schema_el(dec *d, pq_schema_el *e)
{
    lh_rc rc;
    int t;
    int16_t id;
    int has_name = 0;
    e->type = -1;
    e->repetition = -1;
    e->converted = -1;
    TRY(lh_thr_struct_begin(&d->r));
    for (;;) {
        TRY(lh_thr_field(&d->r, &t, &id));
        if (t == LH_THR_STOP)
            break;
        switch (id) {
        case 1: TRY(rd_enum(d, t, 0, 7, &e->type, "physical type")); break;
        case 2: TRY(lh_thr_i32(&d->r, t, &e->type_length)); break;
        case 3: TRY(rd_enum(d, t, 0, 2, &e->repetition, "repetition type")); break;
        case 4:
            TRY(rd_str(d, t, &e->name));
            has_name = 1;
            break;
        case 5:
            TRY(lh_thr_i32(&d->r, t, &e->num_children));
            if (e->num_children < 0)
                TRY(lh_thr_corrupt(&d->r, "negative num_children"));
            break;
        case 6: TRY(rd_enum(d, t, 0, 1000, &e->converted, "converted type")); break;
        case 7: TRY(lh_thr_i32(&d->r, t, &e->scale)); break;
        case 8: TRY(lh_thr_i32(&d->r, t, &e->precision)); break;
        case 10:
            if (t == LH_THR_STRUCT)
                TRY(rd_logical(d, e));
            else
                TRY(lh_thr_skip(&d->r, t));
            break;
        default: TRY(lh_thr_skip(&d->r, t)); break;
        }
    }
    lh_thr_struct_end(&d->r);
    if (!has_name)
        rc = lh_thr_corrupt(&d->r, "schema element without a name");
out:
    return rc;
}

static lh_rc rd_kvlist(dec *d, int t, pq_kv **out, size_t *n)
{
    lh_rc rc;
    int et, t2;
    int16_t id;
    size_t cnt, i;
    TRY(lh_thr_list(&d->r, t, &et, &cnt));
    if (et != LH_THR_STRUCT)
        TRY(lh_thr_corrupt(&d->r, "key-value list of non-structures"));
    *out = dalloc(d, cnt, sizeof **out);
    if (!*out)
        TRY(nomem(d));
    *n = cnt;
    for (i = 0; i < cnt; i++) {
        TRY(lh_thr_struct_begin(&d->r));
        for (;;) {
            TRY(lh_thr_field(&d->r, &t2, &id));
            if (t2 == LH_THR_STOP)
                break;
            if (id == 1)
                TRY(rd_str(d, t2, &(*out)[i].key));
            else if (id == 2)
                TRY(rd_str(d, t2, &(*out)[i].value));
            else
                TRY(lh_thr_skip(&d->r, t2));
        }
        lh_thr_struct_end(&d->r);
        if (!(*out)[i].key)
            TRY(lh_thr_corrupt(&d->r, "key-value without a key"));
    }
out:
    return rc;
}

static lh_rc rd_colmeta(dec *d, pq_colmeta *c)
{
    lh_rc rc;
    int t, et;
    int16_t id;
    size_t cnt, i;
    unsigned seen = 0;
    c->dictionary_page_offset = -1;
    TRY(lh_thr_struct_begin(&d->r));
    for (;;) {
        TRY(lh_thr_field(&d->r, &t, &id));
        if (t == LH_THR_STOP)
            break;
        if (id >= 1 && id <= 9)
            seen |= 1u << id;
        switch (id) {
        case 1: TRY(rd_enum(d, t, 0, 7, &c->type, "physical type")); break;
        case 2:
            TRY(lh_thr_list(&d->r, t, &et, &cnt));
            c->encodings = dalloc(d, cnt, sizeof *c->encodings);
            if (!c->encodings)
                TRY(nomem(d));
            c->n_encodings = cnt;
            for (i = 0; i < cnt; i++)
                TRY(lh_thr_elem_i32(&d->r, et, &c->encodings[i]));
            break;
        case 3:
            TRY(lh_thr_list(&d->r, t, &et, &cnt));
            c->path = dalloc(d, cnt, sizeof *c->path);
            if (!c->path)
                TRY(nomem(d));
            c->n_path = cnt;
            for (i = 0; i < cnt; i++)
                TRY(rd_str(d, et, &c->path[i]));
            break;
        case 4: TRY(rd_enum(d, t, 0, 100, &c->codec, "compression codec")); break;
        case 5: TRY(rd_nonneg64(d, t, &c->num_values, "num_values")); break;
        case 6: TRY(rd_nonneg64(d, t, &c->total_uncompressed, "total_uncompressed_size")); break;
        case 7: TRY(rd_nonneg64(d, t, &c->total_compressed, "total_compressed_size")); break;
        case 9: TRY(rd_nonneg64(d, t, &c->data_page_offset, "data_page_offset")); break;
        case 11: TRY(rd_nonneg64(d, t, &c->dictionary_page_offset, "dictionary_page_offset")); break;
        case 12:
            if (t == LH_THR_STRUCT)
                TRY(rd_stats(d, &c->stats));
            else
                TRY(lh_thr_skip(&d->r, t));
            break;
        default: TRY(lh_thr_skip(&d->r, t)); break;
        }
    }
    lh_thr_struct_end(&d->r);
    if ((seen & 0x2fe) != 0x2fe) /* fields 1..7 and 9 */
        TRY(lh_thr_corrupt(&d->r, "column metadata lacks a required field"));
    c->has_meta = 1;
out:
    return rc;
}

static lh_rc rd_rowgroup(dec *d, pq_rowgroup *g)
{
    lh_rc rc;
    int t, et, t2;
    int16_t id, id2;
    size_t cnt, i;
    int has_cols = 0, has_rows = 0;
    TRY(lh_thr_struct_begin(&d->r));
    for (;;) {
        TRY(lh_thr_field(&d->r, &t, &id));
        if (t == LH_THR_STOP)
            break;
        switch (id) {
        case 1:
            TRY(lh_thr_list(&d->r, t, &et, &cnt));
            if (et != LH_THR_STRUCT)
                TRY(lh_thr_corrupt(&d->r, "column chunk list of non-structures"));
            g->cols = dalloc(d, cnt, sizeof *g->cols);
            if (!g->cols)
                TRY(nomem(d));
            g->n_cols = cnt;
            has_cols = 1;
            for (i = 0; i < cnt; i++) {
                TRY(lh_thr_struct_begin(&d->r));
                for (;;) {
                    TRY(lh_thr_field(&d->r, &t2, &id2));
                    if (t2 == LH_THR_STOP)
                        break;
                    if (id2 == 3 && t2 == LH_THR_STRUCT)
                        TRY(rd_colmeta(d, &g->cols[i]));
                    else
                        TRY(lh_thr_skip(&d->r, t2));
                }
                lh_thr_struct_end(&d->r);
            }
            break;
        case 2: TRY(lh_thr_i64(&d->r, t, &g->total_byte_size)); break;
        case 3:
            TRY(rd_nonneg64(d, t, &g->num_rows, "row group num_rows"));
            has_rows = 1;
            break;
        default: TRY(lh_thr_skip(&d->r, t)); break;
        }
    }
    lh_thr_struct_end(&d->r);
    if (!has_cols || !has_rows)
        TRY(lh_thr_corrupt(&d->r, "row group lacks columns or num_rows"));
out:
    return rc;
}

lh_rc pq_meta_decode(const void *data, size_t n, const char *what, lh_pq_meta **out, lh_err *err)
{
    lh_rc rc = LH_OK;
    lh_pq_meta *m = lh_calloc(1, sizeof *m);
    dec d;
    int t, et;
    int16_t id;
    size_t cnt, i;
    int has_schema = 0, has_rows = 0, has_rgs = 0;
    *out = NULL;
    if (!m)
        return lh_errf(err, LH_ENOMEM, "%s: out of memory", what);
    lh_arena_init(&m->arena, n * 64 + ((size_t)16 << 20));
    lh_thr_rinit(&d.r, data, n, what, err);
    d.a = &m->arena;
    TRY(lh_thr_struct_begin(&d.r));
    for (;;) {
        TRY(lh_thr_field(&d.r, &t, &id));
        if (t == LH_THR_STOP)
            break;
        switch (id) {
        case 1: TRY(lh_thr_i32(&d.r, t, &m->version)); break;
        case 2:
            TRY(lh_thr_list(&d.r, t, &et, &cnt));
            if (et != LH_THR_STRUCT)
                TRY(lh_thr_corrupt(&d.r, "schema list of non-structures"));
            m->schema = dalloc(&d, cnt, sizeof *m->schema);
            if (!m->schema)
                TRY(nomem(&d));
            m->n_schema = cnt;
            for (i = 0; i < cnt; i++)
                TRY(rd_schema_el(&d, &m->schema[i]));
            has_schema = 1;
            break;
        case 3:
            TRY(rd_nonneg64(&d, t, &m->num_rows, "num_rows"));
            has_rows = 1;
            break;
        case 4:
            TRY(lh_thr_list(&d.r, t, &et, &cnt));
            if (et != LH_THR_STRUCT)
                TRY(lh_thr_corrupt(&d.r, "row group list of non-structures"));
            m->rgs = dalloc(&d, cnt, sizeof *m->rgs);
            if (!m->rgs)
                TRY(nomem(&d));
            m->n_rgs = cnt;
            for (i = 0; i < cnt; i++)
                TRY(rd_rowgroup(&d, &m->rgs[i]));
            has_rgs = 1;
            break;
        case 5: TRY(rd_kvlist(&d, t, &m->kv, &m->n_kv)); break;
        case 6: TRY(rd_str(&d, t, &m->created_by)); break;
        case 7:
            m->has_column_orders = 1;
            TRY(lh_thr_skip(&d.r, t));
            break;
        case 8:
            TRY(lh_errf(err, LH_EUNSUPPORTED, "%s: encrypted Parquet files are not supported", what));
            break;
        default: TRY(lh_thr_skip(&d.r, t)); break;
        }
    }
    lh_thr_struct_end(&d.r);
    if (!has_schema || !has_rows || !has_rgs)
        TRY(lh_thr_corrupt(&d.r, "file metadata lacks schema, num_rows or row_groups"));
    if (m->n_schema < 1)
        TRY(lh_thr_corrupt(&d.r, "empty schema"));
    *out = m;
    m = NULL;
out:
    if (rc && m)
        pq_meta_free(m);
    return rc;
}

void pq_meta_free(lh_pq_meta *m)
{
    if (!m)
        return;
    lh_arena_free(&m->arena);
    lh_free(m);
}

lh_rc pq_page_header_decode(const void *data, size_t n, const char *what, pq_page_header *h, size_t *used,
                            lh_err *err)
{
    lh_rc rc;
    lh_thr_r r;
    int t, t2;
    int16_t id, id2;
    int32_t v;
    unsigned seen = 0;
    memset(h, 0, sizeof *h);
    h->is_compressed = 1;
    lh_thr_rinit(&r, data, n, what, err);
    TRY(lh_thr_struct_begin(&r));
    for (;;) {
        TRY(lh_thr_field(&r, &t, &id));
        if (t == LH_THR_STOP)
            break;
        switch (id) {
        case 1:
            TRY(lh_thr_i32(&r, t, &v));
            h->type = v;
            seen |= 1;
            break;
        case 2:
            TRY(lh_thr_i32(&r, t, &h->uncompressed_size));
            seen |= 2;
            break;
        case 3:
            TRY(lh_thr_i32(&r, t, &h->compressed_size));
            seen |= 4;
            break;
        case 4:
            TRY(lh_thr_i32(&r, t, &v));
            h->crc = (uint32_t)v;
            h->has_crc = 1;
            break;
        case 5:
        case 7:
        case 8:
            if (t != LH_THR_STRUCT || (id == 5 && h->type != PQ_PAGE_DATA) || (id == 7 && h->type != PQ_PAGE_DICT) ||
                (id == 8 && h->type != PQ_PAGE_DATA_V2)) {
                TRY(lh_thr_skip(&r, t));
                break;
            }
            h->has_sub = 1;
            TRY(lh_thr_struct_begin(&r));
            for (;;) {
                int b;
                TRY(lh_thr_field(&r, &t2, &id2));
                if (t2 == LH_THR_STOP)
                    break;
                if (id2 == 1 && t2 != LH_THR_STRUCT) {
                    TRY(lh_thr_i32(&r, t2, &h->num_values));
                } else if (id2 == 2 && id != 8) {
                    TRY(lh_thr_i32(&r, t2, &v));
                    h->encoding = v;
                } else if (id == 5 && id2 == 3) {
                    TRY(lh_thr_i32(&r, t2, &v));
                    h->def_encoding = v;
                } else if (id == 5 && id2 == 4) {
                    TRY(lh_thr_i32(&r, t2, &v));
                    h->rep_encoding = v;
                } else if (id == 8 && id2 == 2) {
                    TRY(lh_thr_i32(&r, t2, &h->num_nulls));
                } else if (id == 8 && id2 == 3) {
                    TRY(lh_thr_i32(&r, t2, &h->num_rows));
                } else if (id == 8 && id2 == 4) {
                    TRY(lh_thr_i32(&r, t2, &v));
                    h->encoding = v;
                } else if (id == 8 && id2 == 5) {
                    TRY(lh_thr_i32(&r, t2, &h->def_len));
                } else if (id == 8 && id2 == 6) {
                    TRY(lh_thr_i32(&r, t2, &h->rep_len));
                } else if (id == 8 && id2 == 7) {
                    TRY(lh_thr_bool(&r, t2, &b));
                    h->is_compressed = b;
                } else {
                    TRY(lh_thr_skip(&r, t2));
                }
            }
            lh_thr_struct_end(&r);
            break;
        default: TRY(lh_thr_skip(&r, t)); break;
        }
    }
    lh_thr_struct_end(&r);
    if (seen != 7)
        TRY(lh_errf(err, LH_ECORRUPT, "%s: page header lacks type or sizes", what));
    if (h->uncompressed_size < 0 || h->compressed_size < 0)
        TRY(lh_errf(err, LH_ECORRUPT, "%s: page header has a negative size", what));
    if (h->num_values < 0 || h->num_nulls < 0 || h->num_rows < 0 || h->def_len < 0 || h->rep_len < 0)
        TRY(lh_errf(err, LH_ECORRUPT, "%s: page header has a negative count or length", what));
    *used = (size_t)(r.p - r.start);
out:
    return rc;
}

/* ---------------- encoding ---------------- */

lh_rc pq_page_header_encode(lh_buf *b, const pq_page_header *h, lh_err *err)
{
    lh_rc rc;
    lh_thr_w w;
    lh_thr_winit(&w, b, err);
    TRY(lh_thr_wstruct_begin(&w));
    TRY(lh_thr_wf_i32(&w, 1, h->type));
    TRY(lh_thr_wf_i32(&w, 2, h->uncompressed_size));
    TRY(lh_thr_wf_i32(&w, 3, h->compressed_size));
    if (h->has_crc)
        TRY(lh_thr_wf_i32(&w, 4, (int32_t)h->crc));
    if (h->type == PQ_PAGE_DATA) {
        TRY(lh_thr_wfield(&w, LH_THR_STRUCT, 5));
        TRY(lh_thr_wstruct_begin(&w));
        TRY(lh_thr_wf_i32(&w, 1, h->num_values));
        TRY(lh_thr_wf_i32(&w, 2, h->encoding));
        TRY(lh_thr_wf_i32(&w, 3, h->def_encoding));
        TRY(lh_thr_wf_i32(&w, 4, h->rep_encoding));
        TRY(lh_thr_wstop(&w));
    } else if (h->type == PQ_PAGE_DICT) {
        TRY(lh_thr_wfield(&w, LH_THR_STRUCT, 7));
        TRY(lh_thr_wstruct_begin(&w));
        TRY(lh_thr_wf_i32(&w, 1, h->num_values));
        TRY(lh_thr_wf_i32(&w, 2, h->encoding));
        TRY(lh_thr_wstop(&w));
    } else if (h->type == PQ_PAGE_DATA_V2) {
        TRY(lh_thr_wfield(&w, LH_THR_STRUCT, 8));
        TRY(lh_thr_wstruct_begin(&w));
        TRY(lh_thr_wf_i32(&w, 1, h->num_values));
        TRY(lh_thr_wf_i32(&w, 2, h->num_nulls));
        TRY(lh_thr_wf_i32(&w, 3, h->num_rows));
        TRY(lh_thr_wf_i32(&w, 4, h->encoding));
        TRY(lh_thr_wf_i32(&w, 5, h->def_len));
        TRY(lh_thr_wf_i32(&w, 6, h->rep_len));
        TRY(lh_thr_wbool_field(&w, 7, h->is_compressed));
        TRY(lh_thr_wstop(&w));
    }
    TRY(lh_thr_wstop(&w));
out:
    return rc;
}

lh_rc pq_stats_encode(lh_thr_w *w, const pq_stats *s)
{
    lh_rc rc;
    TRY(lh_thr_wstruct_begin(w));
    if (s->max.set)
        TRY(lh_thr_wf_bin(w, 1, s->max.p, s->max.n));
    if (s->min.set)
        TRY(lh_thr_wf_bin(w, 2, s->min.p, s->min.n));
    if (s->has_null_count)
        TRY(lh_thr_wf_i64(w, 3, s->null_count));
    if (s->max_value.set)
        TRY(lh_thr_wf_bin(w, 5, s->max_value.p, s->max_value.n));
    if (s->min_value.set)
        TRY(lh_thr_wf_bin(w, 6, s->min_value.p, s->min_value.n));
    TRY(lh_thr_wstop(w));
out:
    return rc;
}

static lh_rc wr_schema_el(lh_thr_w *w, const pq_schema_el *e)
{
    lh_rc rc;
    TRY(lh_thr_wstruct_begin(w));
    if (e->type >= 0)
        TRY(lh_thr_wf_i32(w, 1, e->type));
    if (e->type == PQ_FLBA)
        TRY(lh_thr_wf_i32(w, 2, e->type_length));
    if (e->repetition >= 0)
        TRY(lh_thr_wf_i32(w, 3, e->repetition));
    TRY(lh_thr_wf_str(w, 4, e->name));
    if (e->type < 0)
        TRY(lh_thr_wf_i32(w, 5, e->num_children));
    if (e->converted >= 0)
        TRY(lh_thr_wf_i32(w, 6, e->converted));
    if (e->converted == PQ_CT_DECIMAL || e->lt == PQ_LT_DECIMAL) {
        TRY(lh_thr_wf_i32(w, 7, e->scale));
        TRY(lh_thr_wf_i32(w, 8, e->precision));
    }
    if (e->lt) {
        TRY(lh_thr_wfield(w, LH_THR_STRUCT, 10));
        TRY(lh_thr_wstruct_begin(w));
        TRY(lh_thr_wfield(w, LH_THR_STRUCT, (int16_t)e->lt));
        TRY(lh_thr_wstruct_begin(w));
        if (e->lt == PQ_LT_DECIMAL) {
            TRY(lh_thr_wf_i32(w, 1, e->lt_scale));
            TRY(lh_thr_wf_i32(w, 2, e->lt_precision));
        } else if (e->lt == PQ_LT_TIMESTAMP || e->lt == PQ_LT_TIME) {
            TRY(lh_thr_wbool_field(w, 1, e->lt_utc));
            TRY(lh_thr_wfield(w, LH_THR_STRUCT, 2));
            TRY(lh_thr_wstruct_begin(w));
            TRY(lh_thr_wfield(w, LH_THR_STRUCT, (int16_t)e->lt_unit));
            TRY(lh_thr_wstruct_begin(w));
            TRY(lh_thr_wstop(w));
            TRY(lh_thr_wstop(w));
        } else if (e->lt == PQ_LT_INTEGER) {
            TRY(lh_thr_wfield(w, LH_THR_I8, 1));
            TRY(lh_buf_putc(w->b, (char)e->lt_bits, w->err));
            TRY(lh_thr_wbool_field(w, 2, e->lt_signed));
        }
        TRY(lh_thr_wstop(w)); /* inner type struct */
        TRY(lh_thr_wstop(w)); /* LogicalType union */
    }
    TRY(lh_thr_wstop(w));
out:
    return rc;
}

static lh_rc wr_colchunk(lh_thr_w *w, const pq_colmeta *c)
{
    lh_rc rc;
    size_t i;
    int64_t start = c->dictionary_page_offset >= 0 ? c->dictionary_page_offset : c->data_page_offset;
    TRY(lh_thr_wstruct_begin(w));
    TRY(lh_thr_wf_i64(w, 2, start));
    TRY(lh_thr_wfield(w, LH_THR_STRUCT, 3));
    TRY(lh_thr_wstruct_begin(w));
    TRY(lh_thr_wf_i32(w, 1, c->type));
    TRY(lh_thr_wfield(w, LH_THR_LIST, 2));
    TRY(lh_thr_wlist(w, LH_THR_I32, c->n_encodings));
    for (i = 0; i < c->n_encodings; i++)
        TRY(lh_thr_wi32(w, c->encodings[i]));
    TRY(lh_thr_wfield(w, LH_THR_LIST, 3));
    TRY(lh_thr_wlist(w, LH_THR_BINARY, c->n_path));
    for (i = 0; i < c->n_path; i++)
        TRY(lh_thr_wbinary(w, c->path[i], strlen(c->path[i])));
    TRY(lh_thr_wf_i32(w, 4, c->codec));
    TRY(lh_thr_wf_i64(w, 5, c->num_values));
    TRY(lh_thr_wf_i64(w, 6, c->total_uncompressed));
    TRY(lh_thr_wf_i64(w, 7, c->total_compressed));
    TRY(lh_thr_wf_i64(w, 9, c->data_page_offset));
    if (c->dictionary_page_offset >= 0)
        TRY(lh_thr_wf_i64(w, 11, c->dictionary_page_offset));
    if (c->stats.set) {
        TRY(lh_thr_wfield(w, LH_THR_STRUCT, 12));
        TRY(pq_stats_encode(w, &c->stats));
    }
    TRY(lh_thr_wstop(w));
    TRY(lh_thr_wstop(w));
out:
    return rc;
}

lh_rc pq_meta_encode(lh_buf *b, const lh_pq_meta *m, lh_err *err)
{
    lh_rc rc;
    lh_thr_w w;
    size_t i, j;
    lh_thr_winit(&w, b, err);
    TRY(lh_thr_wstruct_begin(&w));
    TRY(lh_thr_wf_i32(&w, 1, m->version));
    TRY(lh_thr_wfield(&w, LH_THR_LIST, 2));
    TRY(lh_thr_wlist(&w, LH_THR_STRUCT, m->n_schema));
    for (i = 0; i < m->n_schema; i++)
        TRY(wr_schema_el(&w, &m->schema[i]));
    TRY(lh_thr_wf_i64(&w, 3, m->num_rows));
    TRY(lh_thr_wfield(&w, LH_THR_LIST, 4));
    TRY(lh_thr_wlist(&w, LH_THR_STRUCT, m->n_rgs));
    for (i = 0; i < m->n_rgs; i++) {
        const pq_rowgroup *g = &m->rgs[i];
        TRY(lh_thr_wstruct_begin(&w));
        TRY(lh_thr_wfield(&w, LH_THR_LIST, 1));
        TRY(lh_thr_wlist(&w, LH_THR_STRUCT, g->n_cols));
        for (j = 0; j < g->n_cols; j++)
            TRY(wr_colchunk(&w, &g->cols[j]));
        TRY(lh_thr_wf_i64(&w, 2, g->total_byte_size));
        TRY(lh_thr_wf_i64(&w, 3, g->num_rows));
        TRY(lh_thr_wstop(&w));
    }
    if (m->n_kv) {
        TRY(lh_thr_wfield(&w, LH_THR_LIST, 5));
        TRY(lh_thr_wlist(&w, LH_THR_STRUCT, m->n_kv));
        for (i = 0; i < m->n_kv; i++) {
            TRY(lh_thr_wstruct_begin(&w));
            TRY(lh_thr_wf_str(&w, 1, m->kv[i].key));
            if (m->kv[i].value)
                TRY(lh_thr_wf_str(&w, 2, m->kv[i].value));
            TRY(lh_thr_wstop(&w));
        }
    }
    if (m->created_by)
        TRY(lh_thr_wf_str(&w, 6, m->created_by));
    if (m->has_column_orders && m->n_schema > 1) {
        TRY(lh_thr_wfield(&w, LH_THR_LIST, 7));
        TRY(lh_thr_wlist(&w, LH_THR_STRUCT, m->n_schema - 1));
        for (i = 1; i < m->n_schema; i++) {
            TRY(lh_thr_wstruct_begin(&w));
            TRY(lh_thr_wfield(&w, LH_THR_STRUCT, 1));
            TRY(lh_thr_wstruct_begin(&w));
            TRY(lh_thr_wstop(&w));
            TRY(lh_thr_wstop(&w));
        }
    }
    TRY(lh_thr_wstop(&w));
out:
    return rc;
}
