/* formats/pq_write_batch.c — lh_pq_writer_batch: a batch of column arrays
 * (formats/colvals.h) straight into the writer's row-group buffers
 * (formats/pq_write_int.h).
 *
 * Each column is appended over a run of rows in one typed loop: the
 * definition levels, then one cell per present value, strings and wide
 * decimals into the column's bytes with one reservation.  No value passes
 * through lh_value or text.  The run ends on the row where the row
 * group's size estimate reaches row_group_bytes, exactly where
 * lh_pq_writer_row would flush (the estimate is added up per row first),
 * so a batch gives the same file as its rows given one at a time.
 *
 * Column kinds that map directly (bool -> boolean, integers -> integer
 * types, float/double -> float/double, decimals -> decimal, date -> date,
 * timestamp -> timestamp, strings -> string/varchar/char) take the typed
 * loops.  Any other pairing, and columns whose type is still to be
 * inferred, send the batch row by row through lh_pq_writer_row with the
 * values as the SQL layer used to give them (integers and booleans as
 * INT, floats as REAL, decimals, dates and timestamps as their text): the
 * cold path, never taken by a CREATE TABLE AS whose types come from its
 * query.
 */
#include <string.h>

#include "formats/colvals.h"
#include "formats/pq_write_int.h"

#define TRY(x)                                                                                                         \
    do {                                                                                                               \
        rc = (x);                                                                                                      \
        if (rc)                                                                                                        \
            goto out;                                                                                                  \
    } while (0)

static int is_int_kind(lh_kind k) { return k == LH_T_TINYINT || k == LH_T_SMALLINT || k == LH_T_INT || k == LH_T_BIGINT; }

/* Does view kind cv go straight into a column of type t? */
static int direct(const lh_type *t, lh_colkind cv)
{
    switch (cv) {
    case LH_CV_BOOL: return t->kind == LH_T_BOOLEAN;
    case LH_CV_I8:
    case LH_CV_I16:
    case LH_CV_I32:
    case LH_CV_I64: return is_int_kind(t->kind);
    case LH_CV_F32:
    case LH_CV_F64: return t->kind == LH_T_FLOAT || t->kind == LH_T_DOUBLE;
    case LH_CV_DEC64:
    case LH_CV_DEC128: return t->kind == LH_T_DECIMAL;
    case LH_CV_DATE: return t->kind == LH_T_DATE;
    case LH_CV_TS_US: return t->kind == LH_T_TIMESTAMP;
    case LH_CV_STR: return t->kind == LH_T_STRING || t->kind == LH_T_VARCHAR || t->kind == LH_T_CHAR;
    default: return 0;
    }
}

/* Bytes of a string value once padded to char_len characters. */
static inline size_t str_bytes(const lh_colstr *s, uint32_t char_len)
{
    uint32_t cp = 0, i;
    if (!char_len || s->n >= (size_t)char_len * 4)
        return s->n;
    for (i = 0; i < s->n; i++)
        cp += ((unsigned char)s->p[i] & 0xC0) != 0x80;
    return cp < char_len ? s->n + (char_len - cp) : s->n;
}

#define ROW(k) (sel ? sel[k] : (k))
#define AT(r) (cv->is_const ? 0 : cv->idx ? cv->idx[r] : (r))

/* Add each row's share of the size estimate (sizeof(cell) + the value's
 * bytes when present; the 1 per row and column is in the base). */
static void add_est(const wcol *wc, const lh_colvals *cv, const uint16_t *sel, uint32_t n, uint64_t *est)
{
    uint32_t k;
    uint64_t per = sizeof(cell) + (wc->phys == PQ_FLBA ? (uint64_t)wc->type_length : 0);
    if (cv->kind == LH_CV_STR) {
        const lh_colstr *s = cv->data;
        for (k = 0; k < n; k++) {
            uint32_t r = ROW(k);
            if (lh_colvals_valid(cv, r))
                est[k] += sizeof(cell) + str_bytes(&s[AT(r)], cv->char_len);
        }
        return;
    }
    if (!cv->valid) {
        for (k = 0; k < n; k++)
            est[k] += per;
        return;
    }
    for (k = 0; k < n; k++)
        if (lh_colvals_valid(cv, ROW(k)))
            est[k] += per;
}

/* A decimal that does not fit: the message shows its digits. */
static lh_rc dec_error(lh_pq_writer *w, size_t col, i128 u, int scale, lh_err *err)
{
    char txt[LH_CV_TEXT_MAX + 1];
    lh_value v;
    memset(&v, 0, sizeof v);
    v.t = LH_V_TEXT;
    v.n = lh_cv_decimal_text(u, scale, txt);
    v.s = txt;
    return pq_w_bad_decimal(w, col, &v, err);
}

/* u at scale `from` to the column's scale, rounding half away from zero
 * (as the text path did); 0, or -1 when it does not fit decimal(p,s). */
static int rescale(i128 *u, int from, const lh_type *t, i128 lim)
{
    i128 v = *u, a = v < 0 ? -v : v;
    int ds = t->s - from;
    if (ds > 0) {
        i128 f = pq_w_p10(ds);
        if (ds > t->p ? v != 0 : a >= lim / f)
            return -1;
        v *= f;
    } else if (ds < 0) {
        i128 f = pq_w_p10(-ds), q = a / f, r = a % f;
        if (2 * r >= f)
            q++;
        v = v < 0 ? -q : q;
    }
    if (v >= lim || v <= -lim)
        return -1;
    *u = v;
    return 0;
}

/* Rows [from, to) of the batch into column col's buffers. */
static lh_rc put_col(lh_pq_writer *w, size_t col, const lh_colvals *cv, const uint16_t *sel, uint32_t from,
                     uint32_t to, lh_err *err)
{
    wcol *wc = &w->cols[col];
    uint32_t m = to - from, k, nv = 0;
    uint8_t *defs;
    cell *out;
    lh_rc rc;
    if ((rc = pq_w_grow((void **)&wc->defs, &wc->defs_cap, wc->n_rows + m, 1, err)) ||
        (rc = pq_w_grow((void **)&wc->cells, &wc->cells_cap, wc->n_cells + m, sizeof *wc->cells, err)))
        return rc;
    defs = wc->defs + wc->n_rows;
    out = wc->cells + wc->n_cells;
    if (!cv->valid) {
        memset(defs, 1, m);
    } else if (cv->is_const) {
        memset(defs, lh_colvals_valid(cv, 0) ? 1 : 0, m);
    } else {
        for (k = from; k < to; k++) {
            uint32_t r = ROW(k);
            defs[k - from] = (uint8_t)((cv->valid[r >> 6] >> (r & 63)) & 1);
        }
    }
/* for each present row k: i is its element index, c its cell */
#define EACH(...)                                                                                                      \
    for (k = from; k < to; k++) {                                                                                      \
        if (defs[k - from]) {                                                                                          \
            uint32_t r_ = ROW(k), i = AT(r_);                                                                          \
            cell *c = &out[nv++];                                                                                      \
            (void)i;                                                                                                   \
            __VA_ARGS__                                                                                                \
        }                                                                                                              \
    }
#define INT_CELL(x) (*c = (cell){.u.i = (x), .tag = LH_V_INT})
    switch (cv->kind) {
    case LH_CV_BOOL: {
        const uint8_t *d = cv->data;
        EACH(INT_CELL(d[i] != 0);)
        break;
    }
    case LH_CV_I8:
    case LH_CV_I16:
    case LH_CV_I32:
    case LH_CV_I64: {
        lh_kind kd = wc->type.kind;
        int64_t lo = kd == LH_T_TINYINT ? INT8_MIN : kd == LH_T_SMALLINT ? INT16_MIN : kd == LH_T_INT ? INT32_MIN : INT64_MIN;
        int64_t hi = kd == LH_T_TINYINT ? INT8_MAX : kd == LH_T_SMALLINT ? INT16_MAX : kd == LH_T_INT ? INT32_MAX : INT64_MAX;
        int bad = 0;
        if (cv->kind == LH_CV_I8) {
            const int8_t *d = cv->data;
            EACH(int64_t x = d[i]; bad |= x < lo || x > hi; INT_CELL(x);)
        } else if (cv->kind == LH_CV_I16) {
            const int16_t *d = cv->data;
            EACH(int64_t x = d[i]; bad |= x < lo || x > hi; INT_CELL(x);)
        } else if (cv->kind == LH_CV_I32) {
            const int32_t *d = cv->data;
            EACH(int64_t x = d[i]; bad |= x < lo || x > hi; INT_CELL(x);)
        } else {
            const int64_t *d = cv->data;
            EACH(int64_t x = d[i]; bad |= x < lo || x > hi; INT_CELL(x);)
        }
        if (bad)
            return pq_w_bad_value(w, col, "integer out of range", err);
        break;
    }
    case LH_CV_F32: {
        const float *d = cv->data;
        EACH(*c = (cell){.u.d = (double)d[i], .tag = LH_V_REAL};)
        break;
    }
    case LH_CV_F64: {
        const double *d = cv->data;
        EACH(*c = (cell){.u.d = d[i], .tag = LH_V_REAL};)
        break;
    }
    case LH_CV_DATE: {
        const int32_t *d = cv->data;
        EACH(INT_CELL(d[i]);)
        break;
    }
    case LH_CV_TS_US: {
        const int64_t *d = cv->data;
        if (w->ts_micros) {
            EACH(INT_CELL(d[i]);)
        } else {
            EACH(INT_CELL(lh_cv_us_to_ms(d[i]));)
        }
        break;
    }
    case LH_CV_DEC64:
    case LH_CV_DEC128: {
        i128 lim = pq_w_p10(wc->type.p);
        if (wc->phys != PQ_FLBA && cv->kind == LH_CV_DEC64 && cv->scale == wc->type.s) { /* the common case */
            const int64_t *d = cv->data;
            int64_t l64 = (int64_t)lim;
            EACH(int64_t x = d[i]; if (x >= l64 || x <= -l64) return dec_error(w, col, x, cv->scale, err);
                 INT_CELL(x);)
            break;
        }
        if (wc->phys != PQ_FLBA) {
            EACH(i128 u = cv->kind == LH_CV_DEC64 ? (i128)((const int64_t *)cv->data)[i] : ((const i128 *)cv->data)[i];
                 if (rescale(&u, cv->scale, &wc->type, lim)) return dec_error(w, col, u, cv->scale, err);
                 INT_CELL((int64_t)u);)
            break;
        }
        {
            size_t L = (size_t)wc->type_length, cnt = 0;
            uint8_t *p;
            for (k = 0; k < m; k++)
                cnt += defs[k];
            if (cnt * L > UINT32_MAX || wc->bytes.len > UINT32_MAX - cnt * L)
                return pq_w_bad_value(w, col, "row group text exceeds 4 GiB", err);
            if ((rc = lh_buf_reserve(&wc->bytes, cnt * L, err)))
                return rc;
            p = (uint8_t *)wc->bytes.data + wc->bytes.len;
            EACH(i128 u = cv->kind == LH_CV_DEC64 ? (i128)((const int64_t *)cv->data)[i] : ((const i128 *)cv->data)[i];
                 if (rescale(&u, cv->scale, &wc->type, lim)) return dec_error(w, col, u, cv->scale, err);
                 for (size_t b = 0; b < L; b++) p[L - 1 - b] = (uint8_t)(u >> (8 * b));
                 *c = (cell){.off = (uint32_t)wc->bytes.len, .len = (uint32_t)L, .tag = LH_V_TEXT};
                 wc->bytes.len += L; p += L;)
            wc->bytes.data[wc->bytes.len] = 0;
        }
        break;
    }
    case LH_CV_STR: {
        const lh_colstr *s = cv->data;
        size_t total = 0;
        char *p;
        for (k = from; k < to; k++)
            if (defs[k - from]) {
                uint32_t r = ROW(k);
                total += str_bytes(&s[AT(r)], cv->char_len);
            }
        if (total > UINT32_MAX || wc->bytes.len > UINT32_MAX - total)
            return pq_w_bad_value(w, col, "row group text exceeds 4 GiB", err);
        if ((rc = lh_buf_reserve(&wc->bytes, total, err)))
            return rc;
        p = wc->bytes.data + wc->bytes.len;
        EACH(const lh_colstr *v = &s[i]; size_t len = str_bytes(v, cv->char_len);
             if (v->n) memcpy(p, v->p, v->n);
             if (len > v->n) memset(p + v->n, ' ', len - v->n);
             *c = (cell){.off = (uint32_t)wc->bytes.len, .len = (uint32_t)len, .tag = LH_V_TEXT};
             wc->bytes.len += len; p += len;)
        wc->bytes.data[wc->bytes.len] = 0;
        break;
    }
    default: return pq_w_bad_value(w, col, "unknown column batch kind", err);
    }
#undef EACH
#undef INT_CELL
    wc->n_rows += m;
    wc->n_cells += nv;
    return LH_OK;
}

/* The cold path: row by row through lh_pq_writer_row. */
static lh_rc slow_rows(lh_pq_writer *w, const lh_colvals *cols, const uint16_t *sel, uint32_t n, lh_err *err)
{
    size_t nc = w->n_cols, c;
    lh_value *vals = lh_calloc(nc, sizeof *vals);
    size_t *offs = lh_calloc(nc, sizeof *offs);
    lh_buf txt;
    uint32_t k;
    lh_rc rc = LH_OK;
    lh_buf_init(&txt, 0);
    if (!vals || !offs)
        TRY(pq_w_nomem(err));
    for (k = 0; k < n; k++) {
        uint32_t r = ROW(k);
        lh_buf_reset(&txt);
        for (c = 0; c < nc; c++) {
            const lh_colvals *cv = &cols[c];
            uint32_t i = AT(r);
            lh_value *x = &vals[c];
            char tb[LH_CV_TEXT_MAX + 1];
            size_t tn = 0;
            memset(x, 0, sizeof *x);
            offs[c] = (size_t)-1;
            if (!lh_colvals_valid(cv, r))
                continue;
            x->t = LH_V_INT;
            switch (cv->kind) {
            case LH_CV_BOOL: x->i = ((const uint8_t *)cv->data)[i] != 0; break;
            case LH_CV_I8: x->i = ((const int8_t *)cv->data)[i]; break;
            case LH_CV_I16: x->i = ((const int16_t *)cv->data)[i]; break;
            case LH_CV_I32: x->i = ((const int32_t *)cv->data)[i]; break;
            case LH_CV_I64: x->i = ((const int64_t *)cv->data)[i]; break;
            case LH_CV_F32: x->t = LH_V_REAL; x->d = ((const float *)cv->data)[i]; break;
            case LH_CV_F64: x->t = LH_V_REAL; x->d = ((const double *)cv->data)[i]; break;
            case LH_CV_DEC64: tn = lh_cv_decimal_text(((const int64_t *)cv->data)[i], cv->scale, tb); break;
            case LH_CV_DEC128: tn = lh_cv_decimal_text(((const i128 *)cv->data)[i], cv->scale, tb); break;
            case LH_CV_DATE: tn = lh_cv_date_text(((const int32_t *)cv->data)[i], tb); break;
            case LH_CV_TS_US:
                tn = lh_cv_timestamp_ms_text(lh_cv_us_to_ms(((const int64_t *)cv->data)[i]), tb);
                break;
            case LH_CV_STR: {
                const lh_colstr *s = &((const lh_colstr *)cv->data)[i];
                size_t len = str_bytes(s, cv->char_len);
                offs[c] = txt.len;
                if ((s->n && (rc = lh_buf_append(&txt, s->p, s->n, err))))
                    goto out;
                for (; len > s->n; len--)
                    TRY(lh_buf_putc(&txt, ' ', err));
                x->t = LH_V_TEXT;
                x->n = txt.len - offs[c];
                continue;
            }
            default: TRY(pq_w_bad_value(w, c, "unknown column batch kind", err));
            }
            if (tn) {
                offs[c] = txt.len;
                TRY(lh_buf_append(&txt, tb, tn, err));
                x->t = LH_V_TEXT;
                x->n = tn;
            }
        }
        for (c = 0; c < nc; c++)
            if (offs[c] != (size_t)-1)
                vals[c].s = txt.data ? txt.data + offs[c] : "";
        TRY(lh_pq_writer_row(w, vals, err));
    }
out:
    lh_buf_free(&txt);
    lh_free(vals);
    lh_free(offs);
    return rc;
}

lh_rc lh_pq_writer_batch(lh_pq_writer *w, const lh_colvals *cols, const uint16_t *sel, uint32_t n, lh_err *err)
{
    lh_rc rc = LH_OK;
    size_t c;
    uint32_t k, from = 0;
    if (w->failed)
        return lh_errf(err, LH_EINVAL, "%s: parquet writer used after an error", w->uri);
    if (n == 0)
        return LH_OK;
    for (c = 0; c < w->n_cols; c++)
        if (!direct(&w->cols[c].type, cols[c].kind))
            return slow_rows(w, cols, sel, n, err); /* lh_pq_writer_row marks a failure */
    if (w->job.running && atomic_load_explicit(&w->job.done, memory_order_acquire))
        TRY(pq_w_finish_job(w, err)); /* write it now; a worker error surfaces here */
    TRY(pq_w_grow((void **)&w->b_est, &w->b_est_cap, n, sizeof *w->b_est, err));
    for (k = 0; k < n; k++)
        w->b_est[k] = w->n_cols; /* 1 per value or NULL */
    for (c = 0; c < w->n_cols; c++)
        add_est(&w->cols[c], &cols[c], sel, n, w->b_est);
    while (from < n) {
        uint32_t to = from;
        size_t est = w->rg_est;
        while (to < n) { /* up to the row that fills the row group, as the row path flushes */
            est += (size_t)w->b_est[to++];
            if (est >= w->rg_bytes)
                break;
        }
        for (c = 0; c < w->n_cols; c++)
            TRY(put_col(w, c, &cols[c], sel, from, to, err));
        w->rg_rows += to - from;
        w->total_rows += to - from;
        w->rg_est = est;
        if (w->rg_est >= w->rg_bytes)
            TRY(pq_w_flush_rg(w, 0, err));
        from = to;
    }
out:
    if (rc)
        w->failed = 1; /* some columns may hold more rows than others: only abort is left */
    return rc;
}
