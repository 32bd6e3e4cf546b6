/* tests/unit/op_testsrc.h — a test-only source operator and result
 * helpers for the operator tests (test_op_join.c, test_op_sort.c).
 *
 * tsrc: an operator that hands out batches the test built, one per pull
 * (it owns them).  Rows are filled by a callback per row; a source may put
 * every k-th batch behind a selection (dropped rows are marked by the
 * callback's return value) and turn columns into CONST or DICT vectors.
 * drain_lines: every live output row as text "a|b|NULL", in order.
 */
#ifndef LH_OP_TESTSRC_H
#define LH_OP_TESTSRC_H

#include "testutil.h"

#include <inttypes.h>
#include <math.h>

#include "exec/operator.h"
#include "exec/vector.h"

typedef struct tsrc {
    lh_op base;
    lh_batch **b;
    size_t n, pos;
} tsrc;

static lh_rc tsrc_next(lh_op *op, lh_batch **out, lh_err *err)
{
    tsrc *s = (tsrc *)op;
    (void)err;
    *out = s->pos < s->n ? s->b[s->pos++] : NULL;
    return LH_OK;
}

static void tsrc_free(lh_op *op)
{
    tsrc *s = (tsrc *)op;
    size_t i;
    for (i = 0; i < s->n; i++)
        lh_batch_free(s->b[i]);
    free(s->b);
}

static const lh_op_vt tsrc_vt = {"TestSource", tsrc_next, tsrc_free, NULL, NULL};

/* fill row `r` (global row number g) of b; return 0 to drop the row
 * (it is left out through a selection). */
typedef int (*tsrc_fill)(lh_batch *b, uint32_t r, size_t g, void *arg);

/* nrows rows in batches of `per` rows (<= LH_BATCH); fill may drop rows. */
static lh_op *tsrc_make(lh_exec_ctx *ctx, const lh_sqltype *types, uint32_t ncols, size_t nrows, uint32_t per,
                        tsrc_fill fill, void *arg)
{
    lh_op *op = NULL;
    tsrc *s;
    lh_err e;
    size_t g = 0;
    assert_int_equal(lh_op_alloc(sizeof(tsrc), &tsrc_vt, ctx, types, ncols, &op, &e), LH_OK);
    s = (tsrc *)op;
    s->b = calloc(nrows / (per ? per : 1) + 2, sizeof *s->b);
    assert_non_null(s->b);
    while (g < nrows) {
        lh_batch *b = NULL;
        uint16_t sel[LH_BATCH];
        uint32_t r, ns = 0, cnt = nrows - g < per ? (uint32_t)(nrows - g) : per;
        assert_int_equal(lh_batch_create(types, ncols, 0, &b, &e), LH_OK);
        for (r = 0; r < cnt; r++, g++)
            if (fill(b, r, g, arg))
                sel[ns++] = (uint16_t)r;
        b->n = cnt;
        if (ns < cnt)
            lh_batch_select(b, sel, ns);
        if (ns == 0) {
            lh_batch_free(b);
            continue;
        }
        s->b[s->n++] = b;
    }
    return op;
}

/* Append a batch the test built (owned by the source from now on). */
static __attribute__((unused)) void tsrc_push(lh_op *op, lh_batch *b)
{
    tsrc *s = (tsrc *)op;
    s->b = realloc(s->b, (s->n + 1) * sizeof *s->b);
    assert_non_null(s->b);
    s->b[s->n++] = b;
}

/* ---- bigint tables: vals row-major, TNULL = NULL ---- */
#define TNULL INT64_MIN

typedef struct i64tab {
    const int64_t *vals;
    uint32_t ncols;
} i64tab;

static int fill_i64(lh_batch *b, uint32_t r, size_t g, void *arg)
{
    const i64tab *t = arg;
    uint32_t c;
    for (c = 0; c < t->ncols; c++) {
        int64_t x = t->vals[g * t->ncols + c];
        if (x == TNULL)
            lh_vector_set_null(b->cols[c], r);
        else
            lh_vector_set_i64(b->cols[c], r, x);
    }
    return 1;
}

static lh_op *src_i64(lh_exec_ctx *ctx, uint32_t ncols, size_t nrows, const int64_t *vals, uint32_t per)
{
    lh_sqltype ts[16];
    i64tab t;
    uint32_t c;
    for (c = 0; c < ncols; c++)
        ts[c] = lh_sqltype_of(LH_SQL_BIGINT);
    t.vals = vals;
    t.ncols = ncols;
    return tsrc_make(ctx, ts, ncols, nrows, per, fill_i64, &t);
}

/* ---- reading results ---- */

static void fmt_value(const lh_vector *v, uint32_t row, char *buf, size_t sz)
{
    if (!lh_vector_get_valid(v, row)) {
        snprintf(buf, sz, "NULL");
        return;
    }
    switch (v->type.id) {
    case LH_SQL_BOOLEAN:
        snprintf(buf, sz, "%s", lh_vector_get_i64(v, row) ? "true" : "false");
        break;
    case LH_SQL_REAL:
    case LH_SQL_DOUBLE: {
        double d = lh_vector_get_f64(v, row);
        if (isnan(d))
            snprintf(buf, sz, "NaN");
        else
            snprintf(buf, sz, "%.17g", d);
        break;
    }
    case LH_SQL_DECIMAL: {
        lh_i128 x = lh_vector_get_i128(v, row);
        unsigned __int128 u = x < 0 ? -(unsigned __int128)x : (unsigned __int128)x;
        char tmp[48];
        int i = 47;
        tmp[i] = 0;
        do {
            tmp[--i] = (char)('0' + (int)(u % 10));
            u /= 10;
        } while (u);
        if (x < 0)
            tmp[--i] = '-';
        snprintf(buf, sz, "%s", tmp + i);
        break;
    }
    case LH_SQL_VARCHAR:
    case LH_SQL_CHAR:
    case LH_SQL_VARBINARY: {
        lh_str s = lh_vector_get_str(v, row);
        snprintf(buf, sz, "%.*s", (int)lh_str_len(&s), lh_str_ptr(&s));
        break;
    }
    case LH_SQL_TIMESTAMP_TZ: {
        lh_tstz t = lh_vector_get_tstz(v, row);
        snprintf(buf, sz, "%" PRId64 "@%d", t.utc_us, (int)t.zone);
        break;
    }
    default:
        snprintf(buf, sz, "%" PRId64, lh_vector_get_i64(v, row));
        break;
    }
}

typedef struct lines {
    char **v;
    size_t n, cap;
    size_t batches;
    uint32_t max_batch;
} lines;

static void lines_free(lines *l)
{
    size_t i;
    for (i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

static void lines_add(lines *l, const char *s)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->v = realloc(l->v, l->cap * sizeof *l->v);
        assert_non_null(l->v);
    }
    l->v[l->n] = strdup(s);
    assert_non_null(l->v[l->n]);
    l->n++;
}

/* Pull everything; returns the rc (lines hold what came before an error). */
static lh_rc drain_lines(lh_op *op, lines *l, lh_err *e)
{
    lh_rc rc;
    memset(l, 0, sizeof *l);
    for (;;) {
        lh_batch *b;
        lh_rows rows;
        uint32_t k, c;
        if ((rc = lh_op_next(op, &b, e)))
            return rc;
        if (!b)
            return LH_OK;
        rows = lh_batch_rows(b);
        assert_true(rows.n > 0); /* never an empty batch */
        assert_true(b->n <= LH_BATCH);
        l->batches++;
        if (rows.n > l->max_batch)
            l->max_batch = rows.n;
        for (k = 0; k < rows.n; k++) {
            char line[4096];
            size_t len = 0;
            uint32_t r = rows.sel ? rows.sel[k] : k;
            line[0] = 0;
            for (c = 0; c < b->ncols; c++) {
                char v[1024];
                fmt_value(b->cols[c], r, v, sizeof v);
                len += (size_t)snprintf(line + len, sizeof line - len, "%s%s", c ? "|" : "", v);
            }
            lines_add(l, line);
        }
    }
}

static int cmp_cstr(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The lines sorted (for multiset comparisons). */
static void lines_sort(lines *l)
{
    if (l->n)
        qsort(l->v, l->n, sizeof *l->v, cmp_cstr);
}

/* Assert l (sorted when `sorted`) equals want[0..n). */
static void lines_expect(lines *l, const char *const *want, size_t n, int sorted)
{
    size_t i;
    char **w = malloc((n ? n : 1) * sizeof *w);
    assert_non_null(w);
    for (i = 0; i < n; i++)
        w[i] = (char *)want[i];
    if (sorted) {
        lines_sort(l);
        if (n)
            qsort(w, n, sizeof *w, cmp_cstr);
    }
    if (l->n != n) {
        for (i = 0; i < l->n; i++)
            print_message("got  %s\n", l->v[i]);
        for (i = 0; i < n; i++)
            print_message("want %s\n", w[i]);
    }
    assert_int_equal(l->n, n);
    for (i = 0; i < n; i++) {
        if (strcmp(l->v[i], w[i]))
            print_message("row %zu: got %s, want %s\n", i, l->v[i], w[i]);
        assert_string_equal(l->v[i], w[i]);
    }
    free(w);
}

#endif
