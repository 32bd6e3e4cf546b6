/* exec/op_window_fn.c — frames and window functions (window_int.h).
 *
 * Each function is computed over one partition: sorted positions [ps, pe)
 * of the operator's index, peer groups in peer_start/peer_end, results
 * written at the same positions of w->res[f].
 *
 * Frames (inclusive [s, e], empty when s > e):
 *   ROWS   offsets are counts of rows, read from the offset column at the
 *          current row; clipped to the partition.
 *   GROUPS offsets count peer groups from the current row's (group and
 *          group_pos number them); CURRENT ROW is the peer group's edge;
 *          bounds past the partition clip to it.
 *   RANGE  CURRENT ROW is the peer group's edge; n PRECEDING/FOLLOWING
 *          (one ORDER BY key: integers, decimals, real/double, and date,
 *          timestamp, timestamp with time zone with interval offsets)
 *          binary-searches the partition for key -/+ n.  NULL keys sort
 *          at one end: for a NULL current row an offset bound is its peer
 *          group's edge; for a non-NULL row the NULLs fall inside or
 *          outside by where they sort (Trino's RangeFraming).
 *
 * Complexity per partition of n rows:
 *   ranking functions, lag/lead, first/last/nth_value   O(n) (RANGE offset
 *       frames find their bounds by galloping from the previous row's:
 *       O(1) amortised for constant offsets, O(log n) otherwise)
 *   aggregates: a window [cs, ce) slides while both frame edges move
 *       forward (every constant-offset frame: running, whole partition,
 *       sliding ROWS/RANGE): rows are added at the end and removed at the
 *       start, so O(n) in all; min/max/min_by/max_by keep a monotonic
 *       deque (amortised O(1)), arbitrary a queue; count/count_if/sum/
 *       avg/bool_and/bool_or subtract, and so does variance of integers
 *       below 2^31 (exact sums of x and x^2).  Variance of other values
 *       (Welford) cannot subtract without drift, so a frame whose start
 *       moves is recomputed: O(n * frame).  A frame that moves backwards
 *       (an offset that varies by row) recomputes that frame too.
 *   IGNORE NULLS uses a prefix count of non-NULL values: O(n).
 * Sums of doubles slide by subtraction, with NaN and infinities counted
 * apart so that a departing Infinity leaves no NaN; a sliding double sum
 * may differ from a fresh one in the last bits.
 */
#include <math.h>
#include <string.h>

#include "exec/intmath.h"
#include "exec/window_int.h"

/* ---- names ---- */

const char *lh_win_fn_name(const lh_win_spec *f)
{
    static const char *const names[] = {
        [LH_WIN_ROW_NUMBER] = "row_number", [LH_WIN_RANK] = "rank",           [LH_WIN_DENSE_RANK] = "dense_rank",
        [LH_WIN_PERCENT_RANK] = "percent_rank", [LH_WIN_CUME_DIST] = "cume_dist", [LH_WIN_NTILE] = "ntile",
        [LH_WIN_LAG] = "lag",               [LH_WIN_LEAD] = "lead",           [LH_WIN_FIRST_VALUE] = "first_value",
        [LH_WIN_LAST_VALUE] = "last_value", [LH_WIN_NTH_VALUE] = "nth_value"};
    if (f->kind == LH_WIN_AGG)
        return lh_agg_name(f->agg.kind);
    if (f->kind >= LH_WIN_ROW_NUMBER && f->kind <= LH_WIN_NTH_VALUE)
        return names[f->kind];
    return "window function";
}

/* ---- results ---- */

static inline void res_null(lh_wcol *r, size_t p)
{
    r->null[p] = 1;
    r->has_null = 1;
    memset(r->data + p * r->width, 0, r->width);
}

static inline void res_i64(lh_wcol *r, size_t p, int64_t v)
{
    char *d = r->data + p * r->width;
    r->null[p] = 0;
    switch (r->phys) {
    case LH_P_U8:
        *(uint8_t *)d = v != 0;
        break;
    case LH_P_I8:
        *(int8_t *)d = (int8_t)v;
        break;
    case LH_P_I16: {
        int16_t x = (int16_t)v;
        memcpy(d, &x, 2);
        break;
    }
    case LH_P_I32: {
        int32_t x = (int32_t)v;
        memcpy(d, &x, 4);
        break;
    }
    case LH_P_I128: {
        lh_i128 x = v;
        memcpy(d, &x, 16);
        break;
    }
    default:
        memcpy(d, &v, 8);
        break;
    }
}

static inline void res_i128(lh_wcol *r, size_t p, lh_i128 v)
{
    if (r->phys == LH_P_I128) {
        r->null[p] = 0;
        memcpy(r->data + p * 16, &v, 16);
    } else {
        res_i64(r, p, (int64_t)v);
    }
}

static inline void res_f64(lh_wcol *r, size_t p, double v)
{
    r->null[p] = 0;
    if (r->phys == LH_P_F32) {
        float x = (float)v;
        memcpy(r->data + p * 4, &x, 4);
    } else {
        memcpy(r->data + p * 8, &v, 8);
    }
}

static inline void res_copy(lh_wcol *r, size_t p, const lh_wcol *c, uint32_t row)
{
    if (c->null[row]) {
        res_null(r, p);
        return;
    }
    r->null[p] = 0;
    memcpy(r->data + p * r->width, c->data + (size_t)row * c->width, r->width);
}

static int periodic(size_t i) { return (i & (LH_WIN_CHECK_EVERY - 1)) == LH_WIN_CHECK_EVERY - 1; }

/* ---- validation ---- */

static int is_int(lh_sqltype t) { return lh_sqltype_is_integer(t); }

static lh_rc bad_plan(lh_err *err, const lh_win_spec *f, const char *what)
{
    return lh_errf(err, LH_EINTERNAL, "%s: %s(): %s", LH_WIN_NAME, lh_win_fn_name(f), what);
}

static int col_ok(const lh_window *w, uint32_t c) { return c < w->in_cols; }

/* ROWS and GROUPS offsets: Trino's "exact numeric type with scale 0". */
static int is_groups_offset(lh_sqltype t) { return is_int(t) || (t.id == LH_SQL_DECIMAL && t.s == 0); }

static lh_rc check_range_offset(const lh_window *w, const lh_win_spec *f, uint32_t off, lh_err *err)
{
    lh_sqltype k, o;
    char a[LH_SQLTYPE_NAME_MAX], b[LH_SQLTYPE_NAME_MAX];
    if (w->norder != 1)
        return lh_errf(err, LH_EINVAL,
                       "Window frame of type RANGE PRECEDING or FOLLOWING requires single sort item in ORDER BY "
                       "(actual: %zu)",
                       w->norder);
    if (!col_ok(w, off))
        return bad_plan(err, f, "frame offset column out of range");
    k = w->cols[w->order[0].col].type;
    o = w->cols[off].type;
    if ((lh_sqltype_is_exact(k) && lh_sqltype_is_exact(o)) ||
        ((k.id == LH_SQL_REAL || k.id == LH_SQL_DOUBLE) && lh_sqltype_is_numeric(o)) ||
        ((k.id == LH_SQL_DATE || k.id == LH_SQL_TIMESTAMP || k.id == LH_SQL_TIMESTAMP_TZ) && lh_sqltype_is_interval(o)))
        return LH_OK;
    return lh_errf(err, LH_EUNSUPPORTED, "RANGE frame offset of type %s over ORDER BY of type %s is not supported yet",
                   lh_sqltype_name(o, a, sizeof a), lh_sqltype_name(k, b, sizeof b));
}

static lh_rc check_frame(const lh_window *w, const lh_win_spec *f, lh_err *err)
{
    lh_rc rc;
    if (f->start < LH_FB_UNBOUNDED_PRECEDING || f->start > LH_FB_UNBOUNDED_FOLLOWING ||
        f->end < LH_FB_UNBOUNDED_PRECEDING || f->end > LH_FB_UNBOUNDED_FOLLOWING)
        return bad_plan(err, f, "bad frame bound");
    if (f->start == LH_FB_UNBOUNDED_FOLLOWING)
        return lh_errf(err, LH_EINVAL, "Window frame start cannot be UNBOUNDED FOLLOWING");
    if (f->end == LH_FB_UNBOUNDED_PRECEDING)
        return lh_errf(err, LH_EINVAL, "Window frame end cannot be UNBOUNDED PRECEDING");
    if (f->start == LH_FB_CURRENT_ROW && f->end == LH_FB_PRECEDING)
        return lh_errf(err, LH_EINVAL, "Window frame starting from CURRENT ROW cannot end with PRECEDING");
    if (f->start == LH_FB_FOLLOWING && f->end == LH_FB_PRECEDING)
        return lh_errf(err, LH_EINVAL, "Window frame starting from FOLLOWING cannot end with PRECEDING");
    if (f->start == LH_FB_FOLLOWING && f->end == LH_FB_CURRENT_ROW)
        return lh_errf(err, LH_EINVAL, "Window frame starting from FOLLOWING cannot end with CURRENT ROW");
    if (f->groups) {
        if (f->rows)
            return bad_plan(err, f, "a frame cannot be both ROWS and GROUPS");
        if ((f->start == LH_FB_PRECEDING || f->start == LH_FB_FOLLOWING) &&
            (!col_ok(w, f->start_off) || !is_groups_offset(w->cols[f->start_off].type)))
            return bad_plan(err, f, "GROUPS frame start offset must be an integer column");
        if ((f->end == LH_FB_PRECEDING || f->end == LH_FB_FOLLOWING) &&
            (!col_ok(w, f->end_off) || !is_groups_offset(w->cols[f->end_off].type)))
            return bad_plan(err, f, "GROUPS frame end offset must be an integer column");
        if ((f->start == LH_FB_PRECEDING || f->start == LH_FB_FOLLOWING || f->end == LH_FB_PRECEDING ||
             f->end == LH_FB_FOLLOWING) &&
            !w->norder)
            return lh_errf(err, LH_EINVAL, "Window frame of type GROUPS PRECEDING or FOLLOWING requires ORDER BY");
        return LH_OK;
    }
    if (f->start == LH_FB_PRECEDING || f->start == LH_FB_FOLLOWING) {
        if (f->rows ? !col_ok(w, f->start_off) || !is_groups_offset(w->cols[f->start_off].type) : 0)
            return bad_plan(err, f, "ROWS frame start offset must be an integer column");
        if (!f->rows && (rc = check_range_offset(w, f, f->start_off, err)))
            return rc;
    }
    if (f->end == LH_FB_PRECEDING || f->end == LH_FB_FOLLOWING) {
        if (f->rows ? !col_ok(w, f->end_off) || !is_groups_offset(w->cols[f->end_off].type) : 0)
            return bad_plan(err, f, "ROWS frame end offset must be an integer column");
        if (!f->rows && (rc = check_range_offset(w, f, f->end_off, err)))
            return rc;
    }
    return LH_OK;
}

static lh_rc check_agg(const lh_window *w, const lh_win_spec *f, lh_err *err)
{
    const lh_agg_spec *a = &f->agg;
    lh_sqltype t, r = f->ret;
    if (a->kind < LH_AGG_COUNT_STAR || (a->kind > LH_AGG_VAR_POP && a->kind != LH_AGG_GEOMEAN))
        return lh_errf(err, LH_EUNSUPPORTED, "%s() is not supported as a window function yet", lh_agg_name(a->kind));
    if (a->distinct)
        return lh_errf(err, LH_EUNSUPPORTED, "%s(DISTINCT ...) is not supported as a window function yet",
                       lh_agg_name(a->kind));
    if (a->filter != LH_AGG_NO_ARG && (!col_ok(w, a->filter) || w->cols[a->filter].type.id != LH_SQL_BOOLEAN))
        return bad_plan(err, f, "FILTER must be a boolean column");
    if (a->kind == LH_AGG_COUNT_STAR)
        return r.id == LH_SQL_BIGINT ? LH_OK : bad_plan(err, f, "count returns bigint");
    if (!col_ok(w, a->arg[0]))
        return bad_plan(err, f, "argument column out of range");
    t = w->cols[a->arg[0]].type;
    switch (a->kind) {
    case LH_AGG_COUNT:
        return r.id == LH_SQL_BIGINT ? LH_OK : bad_plan(err, f, "count returns bigint");
    case LH_AGG_COUNT_IF:
        return r.id == LH_SQL_BIGINT && t.id == LH_SQL_BOOLEAN ? LH_OK
                                                               : bad_plan(err, f, "count_if(boolean) returns bigint");
    case LH_AGG_BOOL_AND:
    case LH_AGG_BOOL_OR:
        return r.id == LH_SQL_BOOLEAN && t.id == LH_SQL_BOOLEAN ? LH_OK
                                                                : bad_plan(err, f, "takes and returns boolean");
    case LH_AGG_ARBITRARY:
        return lh_phys_of(t) == lh_phys_of(r) ? LH_OK : bad_plan(err, f, "returns the argument's type");
    case LH_AGG_MIN_BY:
    case LH_AGG_MAX_BY:
        if (!col_ok(w, a->arg[1]) || lh_phys_of(t) != lh_phys_of(r))
            return bad_plan(err, f, "min_by/max_by(x, y) return x's type");
        if (lh_phys_of(w->cols[a->arg[1]].type) != LH_P_NONE)
            return LH_OK;
        t = w->cols[a->arg[1]].type;
        break;
    case LH_AGG_STDDEV_SAMP:
    case LH_AGG_STDDEV_POP:
    case LH_AGG_VAR_SAMP:
    case LH_AGG_VAR_POP:
    case LH_AGG_GEOMEAN:
        if (lh_sqltype_is_numeric(t))
            return r.id == LH_SQL_DOUBLE ? LH_OK : bad_plan(err, f, "returns double");
        break;
    case LH_AGG_SUM:
        if (is_int(t))
            return r.id == LH_SQL_BIGINT ? LH_OK : bad_plan(err, f, "sum of integers returns bigint");
        if (t.id == LH_SQL_DECIMAL)
            return r.id == LH_SQL_DECIMAL && r.p == LH_DEC_MAX_PRECISION && r.s == t.s
                       ? LH_OK
                       : bad_plan(err, f, "sum(decimal(p,s)) is decimal(38,s)");
        if (t.id == LH_SQL_REAL || t.id == LH_SQL_DOUBLE)
            return r.id == t.id ? LH_OK : bad_plan(err, f, "sum of real/double keeps the type");
        break;
    case LH_AGG_AVG:
        if (is_int(t))
            return r.id == LH_SQL_DOUBLE ? LH_OK : bad_plan(err, f, "avg of integers returns double");
        if (t.id == LH_SQL_DECIMAL)
            return r.id == LH_SQL_DECIMAL && r.s == t.s ? LH_OK : bad_plan(err, f, "avg(decimal(p,s)) is decimal(p,s)");
        if (t.id == LH_SQL_REAL || t.id == LH_SQL_DOUBLE)
            return r.id == t.id ? LH_OK : bad_plan(err, f, "avg of real/double keeps the type");
        break;
    default: /* min, max: any orderable type */
        if (lh_phys_of(t) != lh_phys_of(r))
            return bad_plan(err, f, "min/max return the argument's type");
        if (lh_phys_of(t) != LH_P_NONE)
            return LH_OK;
        break;
    }
    {
        char b[LH_SQLTYPE_NAME_MAX];
        return lh_errf(err, LH_EUNSUPPORTED, "%s(%s) is not supported as a window function yet",
                       lh_agg_name(a->kind), lh_sqltype_name(t, b, sizeof b));
    }
}

lh_rc lh_win_check_fn(const lh_window *w, const lh_win_spec *f, lh_err *err)
{
    lh_rc rc;
    lh_sqltype r = f->ret;
    switch (f->kind) {
    case LH_WIN_ROW_NUMBER:
    case LH_WIN_RANK:
    case LH_WIN_DENSE_RANK:
        return r.id == LH_SQL_BIGINT ? LH_OK : bad_plan(err, f, "returns bigint");
    case LH_WIN_PERCENT_RANK:
    case LH_WIN_CUME_DIST:
        return r.id == LH_SQL_DOUBLE ? LH_OK : bad_plan(err, f, "returns double");
    case LH_WIN_NTILE:
        if (r.id != LH_SQL_BIGINT || !col_ok(w, f->arg[0]) || !is_int(w->cols[f->arg[0]].type))
            return bad_plan(err, f, "takes an integer column and returns bigint");
        return LH_OK;
    case LH_WIN_LAG:
    case LH_WIN_LEAD:
        if (!col_ok(w, f->arg[0]) || lh_phys_of(w->cols[f->arg[0]].type) != lh_phys_of(r))
            return bad_plan(err, f, "returns its argument's type");
        if (f->arg[1] != LH_AGG_NO_ARG && (!col_ok(w, f->arg[1]) || !is_int(w->cols[f->arg[1]].type)))
            return bad_plan(err, f, "offset must be an integer column");
        if (f->arg[2] != LH_AGG_NO_ARG &&
            (f->arg[1] == LH_AGG_NO_ARG || !col_ok(w, f->arg[2]) || lh_phys_of(w->cols[f->arg[2]].type) != lh_phys_of(r)))
            return bad_plan(err, f, "default must have the value's type");
        return LH_OK;
    case LH_WIN_FIRST_VALUE:
    case LH_WIN_LAST_VALUE:
    case LH_WIN_NTH_VALUE:
        if (!col_ok(w, f->arg[0]) || lh_phys_of(w->cols[f->arg[0]].type) != lh_phys_of(r))
            return bad_plan(err, f, "returns its argument's type");
        if (f->kind == LH_WIN_NTH_VALUE && (!col_ok(w, f->arg[1]) || !is_int(w->cols[f->arg[1]].type)))
            return bad_plan(err, f, "offset must be an integer column");
        return check_frame(w, f, err);
    case LH_WIN_AGG:
        if ((rc = check_agg(w, f, err)))
            return rc;
        return check_frame(w, f, err);
    }
    return lh_errf(err, LH_EINTERNAL, "%s: unknown window function kind %d", LH_WIN_NAME, (int)f->kind);
}

/* ---- frames ---- */

typedef struct wpart {
    lh_window *w;
    const lh_win_spec *f;
    size_t ps, pe;
    int s_const, e_const; /* ROWS, GROUPS: the offset column holds one value, soff / eoff */
    int64_t soff, eoff;
    size_t hint_s, hint_e; /* RANGE offsets: the previous row's search answers */
} wpart;

static lh_rc bad_offset(lh_err *err)
{
    return lh_errf(err, LH_EDATA, "Window frame offset value must not be negative or null");
}

static lh_rc rows_offset(const lh_window *w, uint32_t col, uint32_t row, int64_t *off, lh_err *err)
{
    const lh_wcol *c = &w->cols[col];
    lh_i128 v;
    *off = 0;
    if (c->null[row] || (v = lh_wget_i128(c, row)) < 0)
        return bad_offset(err);
    *off = v > INT64_MAX ? INT64_MAX : (int64_t)v; /* decimal(p, 0) offsets past any partition */
    return LH_OK;
}

/* A GROUPS offset at row: a count of peer groups (Trino's GROUPS messages,
 * which name the bound, or the negative value). */
static lh_rc groups_offset(const lh_window *w, uint32_t col, uint32_t row, int start, int64_t *off, lh_err *err)
{
    const lh_wcol *c = &w->cols[col];
    lh_i128 v;
    *off = 0;
    if (c->null[row])
        return lh_errf(err, LH_EDATA, "Window frame %s offset must not be null", start ? "starting" : "ending");
    v = lh_wget_i128(c, row);
    if (v < 0)
        return lh_errf(err, LH_EDATA, "Window frame %lld offset must not be negative",
                       (long long)(v < INT64_MIN ? INT64_MIN : (int64_t)v));
    *off = v > INT64_MAX ? INT64_MAX : (int64_t)v;
    return LH_OK;
}

/* The frame of position p under GROUPS: offsets count peer groups from
 * p's own (group numbers run across partitions, so a partition's groups
 * are group[ps] .. group[pe - 1]); bounds past the partition clip to it,
 * and a frame wholly outside it is empty. */
static lh_rc groups_frame(wpart *x, size_t p, int64_t *s, int64_t *e, lh_err *err)
{
    const lh_window *w = x->w;
    const lh_win_spec *f = x->f;
    uint32_t row = w->idx[p];
    int64_t g = w->group[p], g0 = w->group[x->ps], g1 = w->group[x->pe - 1], off = 0;
    lh_rc rc;
    if (f->start == LH_FB_PRECEDING || f->start == LH_FB_FOLLOWING) {
        if (x->s_const)
            off = x->soff;
        else if ((rc = groups_offset(w, f->start_off, row, 1, &off, err)))
            return rc;
    }
    switch (f->start) {
    case LH_FB_PRECEDING:
        *s = w->group_pos[off > g - g0 ? g0 : g - off];
        break;
    case LH_FB_FOLLOWING:
        *s = off > g1 - g ? (int64_t)x->pe : w->group_pos[g + off];
        break;
    case LH_FB_CURRENT_ROW:
        *s = w->peer_start[p];
        break;
    default:
        *s = (int64_t)x->ps;
    }
    if (f->end == LH_FB_PRECEDING || f->end == LH_FB_FOLLOWING) {
        if (x->e_const)
            off = x->eoff;
        else if ((rc = groups_offset(w, f->end_off, row, 0, &off, err)))
            return rc;
    }
    switch (f->end) {
    case LH_FB_PRECEDING:
        *e = off > g - g0 ? (int64_t)x->ps - 1 : (int64_t)w->group_pos[g - off + 1] - 1;
        break;
    case LH_FB_FOLLOWING:
        *e = (int64_t)w->group_pos[(off > g1 - g ? g1 : g + off) + 1] - 1;
        break;
    case LH_FB_UNBOUNDED_FOLLOWING:
        *e = (int64_t)x->pe - 1;
        break;
    default:
        *e = (int64_t)w->peer_end[p] - 1;
    }
    return LH_OK;
}

/* A RANGE bound value: key -/+ offset, in the key's terms. */
enum { RB_DEC, RB_F64, RB_I64 };
typedef struct rbound {
    int kind;
    int scale;
    lh_i128 i;
    double d;
} rbound;

static lh_rc range_bound(const lh_window *w, uint32_t row, uint32_t offcol, int add, rbound *b, lh_err *err)
{
    const lh_wcol *k = &w->cols[w->order[0].col], *o = &w->cols[offcol];
    lh_sqltype kt = k->type, ot = o->type;
    lh_rc rc;
    if (o->null[row])
        return bad_offset(err);
    if (lh_sqltype_is_exact(kt)) {
        int sk = kt.id == LH_SQL_DECIMAL ? kt.s : 0, so = ot.id == LH_SQL_DECIMAL ? ot.s : 0;
        lh_i128 v = lh_wget_i128(k, row), off = lh_wget_i128(o, row);
        if (off < 0)
            return bad_offset(err);
        b->kind = RB_DEC;
        b->scale = sk > so ? sk : so;
        if (lh_sqltype_is_integer(kt) && lh_sqltype_is_integer(ot)) {
            /* Trino adds in the wider of the two integer types: overflow is its error */
            int bits = lh_sqltype_int_bits(kt) > lh_sqltype_int_bits(ot) ? lh_sqltype_int_bits(kt)
                                                                          : lh_sqltype_int_bits(ot);
            int64_t r = 0;
            rc = add ? lh_int_add((lh_intw)bits, (int64_t)v, (int64_t)off, &r, err)
                     : lh_int_sub((lh_intw)bits, (int64_t)v, (int64_t)off, &r, err);
            b->i = r;
            return rc;
        }
        return add ? lh_dec_add(v, sk, off, so, &b->i, err) : lh_dec_sub(v, sk, off, so, &b->i, err);
    }
    if (kt.id == LH_SQL_REAL || kt.id == LH_SQL_DOUBLE) {
        double off = lh_wget_f64(o, row), v = lh_wget_f64(k, row);
        if (!(off >= 0))
            return bad_offset(err);
        b->kind = RB_F64;
        b->d = add ? v + off : v - off;
        if (kt.id == LH_SQL_REAL && ot.id != LH_SQL_DOUBLE)
            b->d = (float)b->d; /* real arithmetic, as Trino's real + real */
        return LH_OK;
    }
    b->kind = RB_I64;
    if (ot.id == LH_SQL_INTERVAL_YM) {
        int32_t m = (int32_t)lh_wget_i64(o, row);
        if (m < 0)
            return bad_offset(err);
        if (!add)
            m = -m;
        if (kt.id == LH_SQL_DATE) {
            int32_t d;
            rc = lh_date_plus_ym((int32_t)lh_wget_i64(k, row), m, &d, err);
            b->i = d;
        } else if (kt.id == LH_SQL_TIMESTAMP) {
            int64_t t;
            rc = lh_ts_plus_ym(lh_wget_i64(k, row), m, &t, err);
            b->i = t;
        } else {
            lh_tstz t, v;
            memcpy(&v, lh_wptr(k, row), sizeof v);
            rc = lh_tstz_plus_ym(v, m, &t, err);
            b->i = t.utc_us;
        }
        return rc;
    } else {
        int64_t us = lh_wget_i64(o, row);
        if (us < 0)
            return bad_offset(err);
        if (!add)
            us = -us;
        if (kt.id == LH_SQL_DATE) {
            int32_t d;
            rc = lh_date_plus_ds((int32_t)lh_wget_i64(k, row), us, &d, err);
            b->i = d;
        } else if (kt.id == LH_SQL_TIMESTAMP) {
            int64_t t;
            rc = lh_ts_plus_ds(lh_wget_i64(k, row), us, &t, err);
            b->i = t;
        } else {
            lh_tstz t, v;
            memcpy(&v, lh_wptr(k, row), sizeof v);
            rc = lh_tstz_plus_ds(v, us, &t, err);
            b->i = t.utc_us;
        }
        return rc;
    }
}

static int cmp_bound(const lh_wcol *k, uint32_t row, const rbound *b)
{
    switch (b->kind) {
    case RB_DEC: {
        int sk = k->type.id == LH_SQL_DECIMAL ? k->type.s : 0;
        lh_i128 v = lh_wget_i128(k, row);
        if (sk == b->scale)
            return v < b->i ? -1 : v > b->i;
        return lh_dec_cmp(v, sk, b->i, b->scale);
    }
    case RB_F64:
        return lh_win_cmp_f64(lh_wget_f64(k, row), b->d);
    default: {
        lh_i128 v = lh_wget_i64(k, row);
        return v < b->i ? -1 : v > b->i;
    }
    }
}

/* Is position q at or after (strict: after) the bound in sort order?  NULL
 * keys are before or after everything, as they sort.  Monotone in q. */
static inline int range_pred(const lh_window *w, size_t q, const rbound *b, int strict)
{
    const lh_wcol *k = &w->cols[w->order[0].col];
    uint32_t r = w->idx[q];
    int c;
    if (k->null[r])
        return !w->order[0].nulls_first;
    c = cmp_bound(k, r, b);
    if (w->order[0].desc)
        c = -c;
    return strict ? c > 0 : c >= 0;
}

/* The first position in [ps, pe) where range_pred holds (pe if none),
 * galloping forward from *hint (the previous row's answer) and keeping
 * the answer there: O(1) amortised when the bounds move forward, as they
 * do for a constant offset; O(log n) otherwise. */
static size_t range_search(const wpart *x, const rbound *b, int strict, size_t *hint)
{
    const lh_window *w = x->w;
    size_t lo = x->ps, hi = x->pe, h = *hint;
    if (h < lo || h > hi)
        h = lo;
    if (h > lo && range_pred(w, h - 1, b, strict)) {
        hi = h - 1; /* the answer is at or before h - 1 */
    } else {
        size_t step = 1;
        lo = h; /* every position before h fails */
        while (lo + step <= x->pe && !range_pred(w, lo + step - 1, b, strict)) {
            lo += step;
            step *= 2;
        }
        hi = lo + step - 1 < x->pe ? lo + step - 1 : x->pe; /* holds at hi, or hi = pe */
    }
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (range_pred(w, mid, b, strict))
            hi = mid;
        else
            lo = mid + 1;
    }
    *hint = lo;
    return lo;
}

/* The frame of position p: [*s, *e], empty when *s > *e. */
static lh_rc frame_at(wpart *x, size_t p, int64_t *s, int64_t *e, lh_err *err)
{
    const lh_window *w = x->w;
    const lh_win_spec *f = x->f;
    int64_t ps = (int64_t)x->ps, pe = (int64_t)x->pe, ip = (int64_t)p, off = 0;
    uint32_t row = w->idx[p];
    lh_rc rc;
    if (f->groups)
        return groups_frame(x, p, s, e, err);
    if (f->rows) {
        switch (f->start) {
        case LH_FB_PRECEDING:
            if (x->s_const)
                off = x->soff;
            else if ((rc = rows_offset(w, f->start_off, row, &off, err)))
                return rc;
            *s = off > ip - ps ? ps : ip - off;
            break;
        case LH_FB_CURRENT_ROW:
            *s = ip;
            break;
        case LH_FB_FOLLOWING:
            if (x->s_const)
                off = x->soff;
            else if ((rc = rows_offset(w, f->start_off, row, &off, err)))
                return rc;
            *s = off > pe - 1 - ip ? pe : ip + off;
            break;
        default:
            *s = ps;
        }
        switch (f->end) {
        case LH_FB_PRECEDING:
            if (x->e_const)
                off = x->eoff;
            else if ((rc = rows_offset(w, f->end_off, row, &off, err)))
                return rc;
            *e = off > ip - ps ? ps - 1 : ip - off;
            break;
        case LH_FB_FOLLOWING:
            if (x->e_const)
                off = x->eoff;
            else if ((rc = rows_offset(w, f->end_off, row, &off, err)))
                return rc;
            *e = off > pe - 1 - ip ? pe - 1 : ip + off;
            break;
        case LH_FB_UNBOUNDED_FOLLOWING:
            *e = pe - 1;
            break;
        default:
            *e = ip;
        }
        return LH_OK;
    }
    /* RANGE */
    {
        int key_null = w->norder && w->cols[w->order[0].col].null[row];
        rbound b;
        switch (f->start) {
        case LH_FB_PRECEDING:
        case LH_FB_FOLLOWING:
            if (key_null) {
                *s = w->peer_start[p];
                break;
            }
            if ((rc = range_bound(w, row, f->start_off, (f->start == LH_FB_FOLLOWING) != w->order[0].desc, &b, err)))
                return rc;
            *s = (int64_t)range_search(x, &b, 0, &x->hint_s);
            break;
        case LH_FB_CURRENT_ROW:
            *s = w->peer_start[p];
            break;
        default:
            *s = ps;
        }
        switch (f->end) {
        case LH_FB_PRECEDING:
        case LH_FB_FOLLOWING:
            if (key_null) {
                *e = (int64_t)w->peer_end[p] - 1;
                break;
            }
            if ((rc = range_bound(w, row, f->end_off, (f->end == LH_FB_FOLLOWING) != w->order[0].desc, &b, err)))
                return rc;
            *e = (int64_t)range_search(x, &b, 1, &x->hint_e) - 1;
            break;
        case LH_FB_UNBOUNDED_FOLLOWING:
            *e = pe - 1;
            break;
        default:
            *e = (int64_t)w->peer_end[p] - 1;
        }
    }
    return LH_OK;
}

/* ---- ranking ---- */

static lh_rc eval_rank(wpart *x, lh_wcol *r, lh_err *err)
{
    lh_window *w = x->w;
    const lh_win_spec *f = x->f;
    size_t p, ps = x->ps, n = x->pe - x->ps;
    int64_t dense = 0;
    lh_rc rc;
    for (p = ps; p < x->pe; p++) {
        int64_t rank = (int64_t)(w->peer_start[p] - ps) + 1;
        if (periodic(p - ps) && (rc = lh_exec_check(w->base.ctx, err)))
            return rc;
        switch (f->kind) {
        case LH_WIN_ROW_NUMBER:
            res_i64(r, p, (int64_t)(p - ps) + 1);
            break;
        case LH_WIN_RANK:
            res_i64(r, p, rank);
            break;
        case LH_WIN_DENSE_RANK:
            if (w->peer_start[p] == p)
                dense++;
            res_i64(r, p, dense);
            break;
        case LH_WIN_PERCENT_RANK:
            res_f64(r, p, n == 1 ? 0.0 : (double)(rank - 1) / (double)(n - 1));
            break;
        case LH_WIN_CUME_DIST:
            res_f64(r, p, (double)(w->peer_end[p] - ps) / (double)n);
            break;
        default: { /* ntile(buckets) */
            const lh_wcol *c = &w->cols[f->arg[0]];
            uint32_t row = w->idx[p];
            int64_t buckets, cur = (int64_t)(p - ps), cnt = (int64_t)n, bucket;
            if (c->null[row]) {
                res_null(r, p);
                break;
            }
            buckets = lh_wget_i64(c, row);
            if (buckets <= 0)
                return lh_errf(err, LH_EDATA, "Buckets must be greater than 0");
            if (cnt < buckets) {
                bucket = cur;
            } else {
                int64_t per = cnt / buckets, rem = cnt % buckets, big = rem * (per + 1);
                bucket = cur < big ? cur / (per + 1) : rem + (cur - big) / per;
            }
            res_i64(r, p, bucket + 1);
        }
        }
    }
    return LH_OK;
}

/* ---- IGNORE NULLS: prefix counts of non-NULL values ---- */

typedef struct nnidx {
    uint32_t *cnt; /* cnt[i - ps]: non-NULL values in [ps, i), i in [ps, pe] */
    uint32_t *pos; /* pos[k]: position of the k-th non-NULL value */
} nnidx;

static lh_rc nonnull_index(wpart *x, const lh_wcol *c, nnidx *ix, lh_err *err)
{
    lh_window *w = x->w;
    size_t n = x->pe - x->ps, i;
    uint32_t k = 0;
    lh_rc rc = lh_win_scratch(w, (2 * n + 1) * sizeof(uint32_t), err);
    if (rc)
        return rc;
    ix->cnt = (uint32_t *)w->scratch;
    ix->pos = ix->cnt + n + 1;
    for (i = 0; i < n; i++) {
        ix->cnt[i] = k;
        if (!c->null[w->idx[x->ps + i]])
            ix->pos[k++] = (uint32_t)(x->ps + i);
    }
    ix->cnt[n] = k;
    return LH_OK;
}

/* ---- lag, lead ---- */

static lh_rc eval_lag_lead(wpart *x, lh_wcol *r, lh_err *err)
{
    lh_window *w = x->w;
    const lh_win_spec *f = x->f;
    const lh_wcol *v = &w->cols[f->arg[0]];
    const lh_wcol *oc = f->arg[1] != LH_AGG_NO_ARG ? &w->cols[f->arg[1]] : NULL;
    const lh_wcol *dc = f->arg[2] != LH_AGG_NO_ARG ? &w->cols[f->arg[2]] : NULL;
    int lag = f->kind == LH_WIN_LAG;
    size_t p, ps = x->ps, pe = x->pe;
    nnidx ix = {NULL, NULL};
    lh_rc rc;
    if (f->ignore_nulls && (rc = nonnull_index(x, v, &ix, err)))
        return rc;
    int oconst = oc && oc->uniform;
    int64_t coff = oconst ? lh_wget_i64(oc, 0) : 1;
    for (p = ps; p < pe; p++) {
        uint32_t row = w->idx[p];
        int64_t off = coff, target = -1;
        if (periodic(p - ps) && (rc = lh_exec_check(w->base.ctx, err)))
            return rc;
        if (oc && !oconst) {
            if (oc->null[row])
                return lh_errf(err, LH_EDATA, "Offset must not be null");
            off = lh_wget_i64(oc, row);
        }
        if (off < 0)
            return lh_errf(err, LH_EDATA, "Offset must be at least 0");
        if (f->ignore_nulls && off > 0) {
            if (lag) {
                uint32_t c = ix.cnt[p - ps];
                if ((uint64_t)off <= c)
                    target = ix.pos[c - off];
            } else {
                uint32_t c = ix.cnt[p + 1 - ps], total = ix.cnt[pe - ps];
                if ((uint64_t)off <= (uint64_t)(total - c))
                    target = ix.pos[c + off - 1];
            }
        } else if (lag) {
            if ((uint64_t)off <= p - ps)
                target = (int64_t)p - off;
        } else if ((uint64_t)off <= pe - 1 - p) {
            target = (int64_t)p + off;
        }
        if (target >= 0)
            res_copy(r, p, v, w->idx[target]);
        else if (dc)
            res_copy(r, p, dc, row);
        else
            res_null(r, p);
    }
    return LH_OK;
}

/* ---- first_value, last_value, nth_value ---- */

static lh_rc eval_value(wpart *x, lh_wcol *r, lh_err *err)
{
    lh_window *w = x->w;
    const lh_win_spec *f = x->f;
    const lh_wcol *v = &w->cols[f->arg[0]];
    size_t p, ps = x->ps;
    nnidx ix = {NULL, NULL};
    lh_rc rc;
    if (f->ignore_nulls && (rc = nonnull_index(x, v, &ix, err)))
        return rc;
    for (p = ps; p < x->pe; p++) {
        int64_t s, e, target = -1;
        if (periodic(p - ps) && (rc = lh_exec_check(w->base.ctx, err)))
            return rc;
        if ((rc = frame_at(x, p, &s, &e, err)))
            return rc;
        if (s > e) {
            res_null(r, p);
            continue;
        }
        if (f->kind == LH_WIN_FIRST_VALUE) {
            if (!f->ignore_nulls)
                target = s;
            else if (ix.cnt[s - ps] < ix.cnt[e + 1 - ps])
                target = ix.pos[ix.cnt[s - ps]];
        } else if (f->kind == LH_WIN_LAST_VALUE) {
            if (!f->ignore_nulls)
                target = e;
            else if (ix.cnt[e + 1 - ps] > ix.cnt[s - ps])
                target = ix.pos[ix.cnt[e + 1 - ps] - 1];
        } else {
            const lh_wcol *oc = &w->cols[f->arg[1]];
            uint32_t row = w->idx[p];
            int64_t off;
            if (oc->null[row]) {
                res_null(r, p);
                continue;
            }
            off = lh_wget_i64(oc, row);
            if (off < 1)
                return lh_errf(err, LH_EDATA, "Offset must be at least 1");
            if (!f->ignore_nulls) {
                if (off - 1 <= e - s)
                    target = s + off - 1;
            } else if ((uint64_t)(off - 1) < (uint64_t)(ix.cnt[e + 1 - ps] - ix.cnt[s - ps])) {
                target = ix.pos[ix.cnt[s - ps] + off - 1];
            }
        }
        if (target >= 0)
            res_copy(r, p, v, w->idx[target]);
        else
            res_null(r, p);
    }
    return LH_OK;
}

/* ---- aggregates over frames ---- */

enum { AM_COUNT, AM_SUM_INT, AM_EXACT, AM_F64, AM_MIN, AM_MAX, AM_BOOL, AM_FIRST, AM_VAR, AM_VARX };

#define DEC_B ((lh_i128)10000000000000000000ull * (lh_i128)10000000000000000000ull) /* 10^38 */
#define DEC_H (DEC_B / 2)

typedef struct wacc {
    int mode;
    int64_t cnt; /* contributing rows in the window */
    int64_t si;  /* bigint sum */
    lh_i128 sd;  /* exact sum = ovf * 10^38 + sd, |sd| < 5 * 10^37 */
    int64_t ovf;
    double sf; /* finite part of a double sum */
    int64_t nan, pinf, ninf;
    double mean, m2; /* variance of doubles: Welford's running mean and sum of squared deviations */
    lh_i128 s1, s2;  /* variance of integers below 2^31: exact sums of x and x^2 */
    uint32_t *dq;    /* min/max: positions of a monotonic deque; arbitrary: a queue */
    size_t dh, dt;
    const uint8_t *ok; /* by position - ps: the row contributes */
    const int64_t *vi;
    const lh_i128 *vd;
    const double *vf;
    const lh_wcol *col; /* min/max: the compared column (min_by/max_by: y) */
    const lh_wcol *out; /* the column whose value is the result (min_by/max_by: x) */
    const uint32_t *idx;
    size_t ps;
} wacc;

static void acc_reset(wacc *a)
{
    a->cnt = a->si = a->ovf = a->nan = a->pinf = a->ninf = 0;
    a->sd = a->s1 = a->s2 = 0;
    a->sf = a->mean = a->m2 = 0;
    a->dh = a->dt = 0;
}

static inline void exact_norm(wacc *a)
{
    if (a->sd >= DEC_H) {
        a->sd -= DEC_B;
        a->ovf++;
    } else if (a->sd <= -DEC_H) {
        a->sd += DEC_B;
        a->ovf--;
    }
}

static inline void f64_step(wacc *a, double v, int sign)
{
    if (v != v)
        a->nan += sign;
    else if (isinf(v))
        *(v > 0 ? &a->pinf : &a->ninf) += sign;
    else
        a->sf += sign * v;
    if (a->cnt == a->nan + a->pinf + a->ninf)
        a->sf = 0; /* no finite value left: drop any drift */
}

static lh_rc acc_add(wacc *a, size_t q, lh_err *err)
{
    size_t i = q - a->ps;
    lh_rc rc;
    if (!a->ok[i])
        return LH_OK;
    a->cnt++;
    switch (a->mode) {
    case AM_SUM_INT:
        if ((rc = lh_int_add(LH_I64, a->si, a->vi[i], &a->si, err)))
            return rc;
        break;
    case AM_EXACT:
        a->sd += a->vd[i];
        exact_norm(a);
        break;
    case AM_F64:
        f64_step(a, a->vf[i], 1);
        break;
    case AM_BOOL:
        a->si += a->vi[i];
        break;
    case AM_FIRST:
        a->dq[a->dt++] = (uint32_t)q;
        break;
    case AM_VAR: {
        double x = a->vf[i], d = x - a->mean;
        a->mean += d / (double)a->cnt;
        a->m2 += d * (x - a->mean);
        break;
    }
    case AM_VARX:
        a->s1 += a->vi[i];
        a->s2 += (lh_i128)a->vi[i] * a->vi[i];
        break;
    case AM_MIN:
    case AM_MAX: {
        uint32_t row = a->idx[q];
        int want = a->mode == AM_MIN ? 1 : -1;
        while (a->dt > a->dh && want * lh_win_cmp_val(a->col, a->idx[a->dq[a->dt - 1]], row) > 0)
            a->dt--;
        a->dq[a->dt++] = (uint32_t)q;
        break;
    }
    default:
        break;
    }
    return LH_OK;
}

static lh_rc acc_remove(wacc *a, size_t q, lh_err *err)
{
    size_t i = q - a->ps;
    lh_rc rc;
    if (!a->ok[i])
        return LH_OK;
    a->cnt--;
    switch (a->mode) {
    case AM_SUM_INT:
        if ((rc = lh_int_sub(LH_I64, a->si, a->vi[i], &a->si, err)))
            return rc;
        break;
    case AM_EXACT:
        a->sd -= a->vd[i];
        exact_norm(a);
        break;
    case AM_F64:
        f64_step(a, a->vf[i], -1);
        break;
    case AM_BOOL:
        a->si -= a->vi[i];
        break;
    case AM_VARX:
        a->s1 -= a->vi[i];
        a->s2 -= (lh_i128)a->vi[i] * a->vi[i];
        break;
    default: /* min/max, arbitrary: the deque's front is dropped by position */
        break;
    }
    return LH_OK;
}

/* |ovf * 10^38 + sd| / cnt rounded HALF_UP, with the sign; the quotient
 * fits because an average lies within its values' range. */
static lh_i128 exact_avg(const wacc *a)
{
    int neg;
    lh_u128 lo, hi, q0, q1, rem, c = (lh_u128)(uint64_t)a->cnt;
    if (a->ovf == 0) {
        lh_i128 q = a->sd / a->cnt, r = a->sd % a->cnt;
        if (r < 0)
            r = -r;
        if (2 * r >= (lh_i128)a->cnt)
            q += a->sd < 0 ? -1 : 1;
        return q;
    }
    /* magnitude as hi * 2^128 + lo (192 bits in practice) */
    {
        uint64_t m = (uint64_t)(a->ovf < 0 ? -a->ovf : a->ovf);
        lh_u128 b = (lh_u128)DEC_B, bl = (uint64_t)b, bh = b >> 64;
        lh_u128 p0 = bl * m, p1 = bh * m; /* m * B = p1 * 2^64 + p0 */
        lh_u128 mid = (p0 >> 64) + (uint64_t)p1;
        lo = (mid << 64) | (uint64_t)p0;
        hi = (mid >> 64) + (p1 >> 64);
        neg = a->ovf < 0;
        /* add or subtract |sd| with the sign of ovf: |T| = m * B + sd * sign(ovf) */
        {
            lh_i128 sd = neg ? -a->sd : a->sd;
            if (sd >= 0) {
                lh_u128 t = lo + (lh_u128)sd;
                hi += t < lo;
                lo = t;
            } else {
                lh_u128 d = (lh_u128)(-sd);
                hi -= lo < d;
                lo -= d;
            }
        }
    }
    /* divide (hi, lo) by c, 64 bits at a time */
    {
        uint64_t limbs[4] = {(uint64_t)(hi >> 64), (uint64_t)hi, (uint64_t)(lo >> 64), (uint64_t)lo};
        uint64_t qs[4];
        int i;
        rem = 0;
        for (i = 0; i < 4; i++) {
            lh_u128 cur = (rem << 64) | limbs[i];
            qs[i] = (uint64_t)(cur / c);
            rem = cur % c;
        }
        q1 = qs[2];
        q0 = qs[3];
        {
            lh_u128 q = (q1 << 64) | q0;
            if (2 * rem >= c)
                q++;
            return neg ? -(lh_i128)q : (lh_i128)q;
        }
    }
}

static lh_rc acc_result(const wacc *a, const lh_win_spec *f, lh_wcol *r, size_t p, lh_err *err)
{
    if (f->agg.kind == LH_AGG_COUNT || f->agg.kind == LH_AGG_COUNT_STAR || f->agg.kind == LH_AGG_COUNT_IF) {
        res_i64(r, p, a->cnt);
        return LH_OK;
    }
    if (a->cnt == 0) {
        res_null(r, p);
        return LH_OK;
    }
    switch (a->mode) {
    case AM_SUM_INT:
        res_i64(r, p, a->si);
        break;
    case AM_EXACT:
        if (f->agg.kind == LH_AGG_AVG) {
            if (f->ret.id == LH_SQL_DOUBLE) /* avg of integers: never beyond 10^38 in practice */
                res_f64(r, p, ((double)a->ovf * 1e38 + (double)a->sd) / (double)a->cnt);
            else
                res_i128(r, p, exact_avg(a));
        } else if (a->ovf == 0) {
            res_i128(r, p, a->sd);
        } else if (a->ovf == 1 && a->sd < 0) {
            res_i128(r, p, DEC_B + a->sd);
        } else if (a->ovf == -1 && a->sd > 0) {
            res_i128(r, p, a->sd - DEC_B);
        } else {
            return lh_errf(err, LH_EDATA, "Decimal overflow");
        }
        break;
    case AM_F64: {
        double s = a->nan || (a->pinf && a->ninf) ? NAN : a->pinf ? INFINITY : a->ninf ? -INFINITY : a->sf;
        if (f->agg.kind == LH_AGG_GEOMEAN) /* exp(sum(ln x) / n), as Trino */
            s = exp(s / (double)a->cnt);
        else if (f->agg.kind == LH_AGG_AVG)
            s /= (double)a->cnt;
        res_f64(r, p, s);
        break;
    }
    case AM_BOOL:
        res_i64(r, p, f->agg.kind == LH_AGG_BOOL_AND ? a->si == a->cnt : a->si > 0);
        break;
    case AM_VAR:
    case AM_VARX: {
        int samp = f->agg.kind == LH_AGG_VAR_SAMP || f->agg.kind == LH_AGG_STDDEV_SAMP;
        double v;
        if (samp && a->cnt < 2) {
            res_null(r, p);
            break;
        }
        if (a->mode == AM_VARX) /* (n * S2 - S1^2) / (n * (n or n - 1)), the numerator exact */
            v = (double)((lh_i128)a->cnt * a->s2 - a->s1 * a->s1) / ((double)a->cnt * (double)(samp ? a->cnt - 1 : a->cnt));
        else
            v = a->m2 / (double)(samp ? a->cnt - 1 : a->cnt);
        res_f64(r, p, f->agg.kind == LH_AGG_STDDEV_SAMP || f->agg.kind == LH_AGG_STDDEV_POP ? sqrt(v) : v);
        break;
    }
    default: /* min, max, min_by, max_by, arbitrary */
        if (a->dt > a->dh)
            res_copy(r, p, a->out, a->idx[a->dq[a->dh]]);
        else
            res_null(r, p);
    }
    return LH_OK;
}

static size_t align16(size_t n) { return (n + 15) & ~(size_t)15; }

static lh_rc eval_agg(wpart *x, lh_wcol *r, lh_err *err)
{
    lh_window *w = x->w;
    const lh_win_spec *f = x->f;
    const lh_agg_spec *ag = &f->agg;
    size_t n = x->pe - x->ps, p, i, cs = x->ps, ce = x->ps;
    const lh_wcol *v = ag->kind == LH_AGG_COUNT_STAR ? NULL : &w->cols[ag->arg[0]];
    const lh_wcol *fc = ag->filter != LH_AGG_NO_ARG ? &w->cols[ag->filter] : NULL;
    const lh_wcol *key = v; /* the column whose NULLs do not count */
    wacc a;
    uint8_t *ok;
    char *vals;
    lh_rc rc;
    memset(&a, 0, sizeof a);
    if ((rc = lh_win_scratch(w, align16(n * 16) + align16(n * 4) + n, err)))
        return rc;
    vals = w->scratch;
    a.dq = (uint32_t *)(w->scratch + align16(n * 16));
    ok = (uint8_t *)(w->scratch + align16(n * 16) + align16(n * 4));
    a.ok = ok;
    a.idx = w->idx;
    a.ps = x->ps;
    a.col = a.out = v;
    if (ag->kind == LH_AGG_MIN_BY || ag->kind == LH_AGG_MAX_BY) {
        a.col = &w->cols[ag->arg[1]]; /* compare y, return x; rows with a NULL y do not count */
        key = a.col;
    }
    switch (ag->kind) {
    case LH_AGG_GEOMEAN:
        a.mode = AM_F64;
        break;
    case LH_AGG_SUM:
    case LH_AGG_AVG:
        if (v->type.id == LH_SQL_REAL || v->type.id == LH_SQL_DOUBLE)
            a.mode = AM_F64;
        else if (ag->kind == LH_AGG_SUM && v->type.id != LH_SQL_DECIMAL)
            a.mode = AM_SUM_INT;
        else
            a.mode = AM_EXACT;
        break;
    case LH_AGG_MIN:
    case LH_AGG_MIN_BY:
        a.mode = AM_MIN;
        break;
    case LH_AGG_MAX:
    case LH_AGG_MAX_BY:
        a.mode = AM_MAX;
        break;
    case LH_AGG_BOOL_AND:
    case LH_AGG_BOOL_OR:
        a.mode = AM_BOOL;
        break;
    case LH_AGG_ARBITRARY:
        a.mode = AM_FIRST;
        break;
    case LH_AGG_STDDEV_SAMP:
    case LH_AGG_STDDEV_POP:
    case LH_AGG_VAR_SAMP:
    case LH_AGG_VAR_POP:
        a.mode = AM_VAR;
        break;
    default:
        a.mode = AM_COUNT;
    }
    /* the rows that count, and their values in the accumulator's terms */
    for (i = 0; i < n; i++) {
        uint32_t row = w->idx[x->ps + i];
        ok[i] = (!key || !key->null[row]) && (!fc || (!fc->null[row] && *(const uint8_t *)lh_wptr(fc, row)));
        if (ok[i] && ag->kind == LH_AGG_COUNT_IF)
            ok[i] = *(const uint8_t *)lh_wptr(v, row) != 0;
    }
    if (a.mode == AM_VAR && lh_sqltype_is_integer(v->type)) { /* exact when every |x| < 2^31 */
        int64_t *vi = (int64_t *)vals;
        a.mode = AM_VARX;
        for (i = 0; i < n && a.mode == AM_VARX; i++) {
            vi[i] = ok[i] ? lh_wget_i64(v, w->idx[x->ps + i]) : 0;
            if (vi[i] >= INT32_MAX || vi[i] <= -INT32_MAX)
                a.mode = AM_VAR;
        }
        a.vi = vi;
    }
    if (a.mode == AM_SUM_INT || a.mode == AM_BOOL) {
        int64_t *vi = (int64_t *)vals;
        for (i = 0; i < n; i++)
            vi[i] = ok[i] ? lh_wget_i64(v, w->idx[x->ps + i]) : 0;
        a.vi = vi;
    } else if (a.mode == AM_EXACT) {
        lh_i128 *vd = (lh_i128 *)vals;
        for (i = 0; i < n; i++)
            vd[i] = ok[i] ? lh_wget_i128(v, w->idx[x->ps + i]) : 0;
        a.vd = vd;
    } else if (a.mode == AM_F64 || a.mode == AM_VAR) {
        double *vf = (double *)vals;
        for (i = 0; i < n; i++)
            vf[i] = ok[i] ? lh_wget_f64(v, w->idx[x->ps + i]) : 0;
        if (ag->kind == LH_AGG_GEOMEAN)
            for (i = 0; i < n; i++)
                vf[i] = ok[i] ? log(vf[i]) : 0; /* 0 -> -Infinity (result 0), negative -> NaN */
        a.vf = vf;
    }
    acc_reset(&a);
    for (p = x->ps; p < x->pe; p++) {
        int64_t s, e;
        size_t ns, ne, q;
        if (periodic(p - x->ps) && (rc = lh_exec_check(w->base.ctx, err)))
            return rc;
        if ((rc = frame_at(x, p, &s, &e, err)))
            return rc;
        if (s > e) {
            wacc none = a;
            acc_reset(&none);
            if ((rc = acc_result(&none, f, r, p, err)))
                return rc;
            continue;
        }
        ns = (size_t)s;
        ne = (size_t)e + 1;
        if (ns >= cs && ne >= ce && ns <= ce && (a.mode != AM_VAR || ns == cs)) { /* slide forward */
            for (q = ce; q < ne; q++)
                if ((rc = acc_add(&a, q, err)))
                    return rc;
            for (q = cs; q < ns; q++)
                if ((rc = acc_remove(&a, q, err)))
                    return rc;
            while (a.dt > a.dh && a.dq[a.dh] < ns)
                a.dh++;
        } else { /* recompute */
            acc_reset(&a);
            for (q = ns; q < ne; q++)
                if ((rc = acc_add(&a, q, err)))
                    return rc;
        }
        cs = ns;
        ce = ne;
        if ((rc = acc_result(&a, f, r, p, err)))
            return rc;
    }
    return LH_OK;
}

/* A ROWS or GROUPS offset column with one value for every row is read once. */
static lh_rc const_offset(const lh_window *w, const lh_win_spec *f, uint32_t col, int start, int *is_const, int64_t *off,
                          lh_err *err)
{
    *is_const = 0;
    if (!w->cols[col].uniform)
        return LH_OK;
    *is_const = 1;
    return f->groups ? groups_offset(w, col, 0, start, off, err) : rows_offset(w, col, 0, off, err);
}

lh_rc lh_win_eval(lh_window *w, size_t fi, size_t ps, size_t pe, lh_err *err)
{
    wpart x;
    lh_wcol *r = &w->res[fi];
    lh_rc rc;
    memset(&x, 0, sizeof x);
    x.w = w;
    x.f = &w->fns[fi];
    x.ps = ps;
    x.pe = pe;
    if ((x.f->rows || x.f->groups) && (x.f->start == LH_FB_PRECEDING || x.f->start == LH_FB_FOLLOWING) &&
        (rc = const_offset(w, x.f, x.f->start_off, 1, &x.s_const, &x.soff, err)))
        return rc;
    if ((x.f->rows || x.f->groups) && (x.f->end == LH_FB_PRECEDING || x.f->end == LH_FB_FOLLOWING) &&
        (rc = const_offset(w, x.f, x.f->end_off, 0, &x.e_const, &x.eoff, err)))
        return rc;
    switch (x.f->kind) {
    case LH_WIN_LAG:
    case LH_WIN_LEAD:
        return eval_lag_lead(&x, r, err);
    case LH_WIN_FIRST_VALUE:
    case LH_WIN_LAST_VALUE:
    case LH_WIN_NTH_VALUE:
        return eval_value(&x, r, err);
    case LH_WIN_AGG:
        return eval_agg(&x, r, err);
    default:
        return eval_rank(&x, r, err);
    }
}
