/* Unit tests: exec/op_window.c on random data (ties and NULLs in keys and
 * values, many partitions, partitions larger than a batch, selections,
 * CONST and DICT inputs) checked against a naive reference computed here:
 * every frame by brute force from the SQL definition, every function over
 * it. */
#include "window_test.h"

#define RC_P 0  /* partition key (NULLs) */
#define RC_K 1  /* order key (ties, NULLs) */
#define RC_K2 2 /* second order key */
#define RC_X 3  /* value (NULLs) */
#define RC_ID 4 /* unique row id */
#define RC_O1 5 /* CONST 1 */
#define RC_O2 6 /* CONST 2 */
#define RC_O3 7 /* CONST 3 */
#define RC_OV 8 /* varying 0..3 */
#define RC_N 9
#define RC_NT 10 /* ntile buckets: 3 */
#define RC_B 11  /* boolean (NULLs) */
#define RC_Y 12  /* min_by/max_by key (ties, NULLs) */
#define RC_NCOL 13


typedef struct nrow {
    int64_t v[RC_NCOL];
} nrow;

static const nrow *g_rows;
static const lh_sort_key *g_ord;
static size_t g_nord;

static int ncmp_key(int64_t a, int64_t b, int desc, int nf)
{
    if (a == NUL || b == NUL)
        return a == b ? 0 : a == NUL ? (nf ? -1 : 1) : (nf ? 1 : -1);
    return desc ? (a < b) - (a > b) : (a > b) - (a < b);
}

static int ncmp_order(const nrow *a, const nrow *b)
{
    size_t k;
    for (k = 0; k < g_nord; k++) {
        int c = ncmp_key(a->v[g_ord[k].col], b->v[g_ord[k].col], g_ord[k].desc, g_ord[k].nulls_first);
        if (c)
            return c;
    }
    return 0;
}

static int ncmp_all(const nrow *a, const nrow *b)
{
    int c = ncmp_key(a->v[RC_P], b->v[RC_P], 0, 0);
    if (c)
        return c;
    c = ncmp_order(a, b);
    return c ? c : (a->v[RC_ID] > b->v[RC_ID]) - (a->v[RC_ID] < b->v[RC_ID]);
}

static int qs_cmp(const void *x, const void *y) { return ncmp_all(&g_rows[*(const size_t *)x], &g_rows[*(const size_t *)y]); }

/* Peer group numbers by sorted position (a new number at every change of
 * the order keys; within one partition their differences count groups). */
static int64_t *g_grp;

static void number_groups(const nrow *s, size_t n)
{
    size_t y;
    for (y = 0; y < n; y++)
        g_grp[y] = y == 0 ? 0 : g_grp[y - 1] + (ncmp_order(&s[y - 1], &s[y]) != 0);
}

/* Is row q inside the frame of row p (both positions in sorted s[] of one partition [ps, pe))? */
static int in_frame(const lh_win_spec *f, const nrow *s, size_t ps, size_t pe, size_t p, size_t q)
{
    int64_t ip = (int64_t)p, iq = (int64_t)q;
    int start_ok, end_ok;
    (void)pe;
    if (f->groups) { /* offsets count peer groups */
        int64_t gp = g_grp[p], gq = g_grp[q];
        int64_t so = f->start_off < RC_N ? s[p].v[f->start_off] : 0, eo = f->end_off < RC_N ? s[p].v[f->end_off] : 0;
        start_ok = f->start == LH_FB_UNBOUNDED_PRECEDING ? 1
                   : f->start == LH_FB_PRECEDING         ? gq >= gp - so
                   : f->start == LH_FB_CURRENT_ROW       ? gq >= gp
                                                         : gq >= gp + so;
        end_ok = f->end == LH_FB_UNBOUNDED_FOLLOWING ? 1
                 : f->end == LH_FB_FOLLOWING         ? gq <= gp + eo
                 : f->end == LH_FB_CURRENT_ROW       ? gq <= gp
                                                     : gq <= gp - eo;
        return start_ok && end_ok;
    }
    if (f->rows) {
        int64_t so = f->start_off < RC_N ? s[p].v[f->start_off] : 0, eo = f->end_off < RC_N ? s[p].v[f->end_off] : 0;
        start_ok = f->start == LH_FB_UNBOUNDED_PRECEDING ? 1
                   : f->start == LH_FB_PRECEDING         ? iq >= ip - so
                   : f->start == LH_FB_CURRENT_ROW       ? iq >= ip
                                                         : iq >= ip + so;
        end_ok = f->end == LH_FB_UNBOUNDED_FOLLOWING ? 1
                 : f->end == LH_FB_FOLLOWING         ? iq <= ip + eo
                 : f->end == LH_FB_CURRENT_ROW       ? iq <= ip
                                                     : iq <= ip - eo;
        return start_ok && end_ok;
    }
    /* RANGE on the one order key (or peers without one) */
    {
        int64_t kp = g_nord ? s[p].v[g_ord[0].col] : 0, kq = g_nord ? s[q].v[g_ord[0].col] : 0;
        int desc = g_nord ? g_ord[0].desc : 0, nf = g_nord ? g_ord[0].nulls_first : 0;
        int peer = ncmp_order(&s[p], &s[q]) == 0;
        int before = ncmp_order(&s[q], &s[p]) < 0; /* q sorts before p's peers */
        int after = ncmp_order(&s[q], &s[p]) > 0;
        /* start */
        if (f->start == LH_FB_UNBOUNDED_PRECEDING)
            start_ok = 1;
        else if (f->start == LH_FB_CURRENT_ROW || kp == NUL)
            start_ok = peer || after;
        else {
            int64_t off = s[p].v[f->start_off], bound = (f->start == LH_FB_PRECEDING) != desc ? kp - off : kp + off;
            if (kq == NUL)
                start_ok = !nf;
            else
                start_ok = desc ? kq <= bound : kq >= bound;
        }
        if (f->end == LH_FB_UNBOUNDED_FOLLOWING)
            end_ok = 1;
        else if (f->end == LH_FB_CURRENT_ROW || kp == NUL)
            end_ok = peer || before;
        else {
            int64_t off = s[p].v[f->end_off], bound = (f->end == LH_FB_FOLLOWING) != desc ? kp + off : kp - off;
            if (kq == NUL)
                end_ok = nf;
            else
                end_ok = desc ? kq >= bound : kq <= bound;
        }
        return start_ok && end_ok;
    }
}

/* The expected value of function f at sorted position p (NUL = NULL; *d for doubles). */
static int64_t naive(const lh_win_spec *f, const nrow *s, size_t ps, size_t pe, size_t p, double *d)
{
    size_t q, n = pe - ps;
    int64_t cnt = 0, cntx = 0, sum = 0, mn = INT64_MAX, mx = INT64_MIN, first = NUL, last = NUL, nth = NUL;
    int64_t firstnn = NUL, lastnn = NUL, seen = 0, nthnn = NUL;
    int64_t cif = 0, nb = 0, ntrue = 0, ybest = 0, byx = NUL, sumsq = 0;
    int have_y = 0;
    int any = 0;
    switch (f->kind) {
    case LH_WIN_ROW_NUMBER:
        return (int64_t)(p - ps) + 1;
    case LH_WIN_RANK:
    case LH_WIN_PERCENT_RANK:
    case LH_WIN_DENSE_RANK:
    case LH_WIN_CUME_DIST: {
        int64_t before = 0, groups = 0, upto = 0;
        for (q = ps; q < pe; q++) {
            if (ncmp_order(&s[q], &s[p]) < 0)
                before++;
            if (ncmp_order(&s[q], &s[p]) <= 0)
                upto++;
            if (q <= p && (q == ps || ncmp_order(&s[q - 1], &s[q]) != 0))
                groups++;
        }
        if (f->kind == LH_WIN_RANK)
            return before + 1;
        if (f->kind == LH_WIN_DENSE_RANK)
            return groups;
        *d = f->kind == LH_WIN_CUME_DIST ? (double)upto / (double)n : n == 1 ? 0 : (double)before / (double)(n - 1);
        return 0;
    }
    case LH_WIN_NTILE: { /* rows assigned one by one: first (n % b) buckets get one more */
        int64_t b = s[p].v[RC_NT], i = (int64_t)(p - ps), acc = 0, k;
        for (k = 0; k < b; k++) {
            int64_t size = (int64_t)n / b + (k < (int64_t)n % b);
            if (i < acc + size)
                return k + 1;
            acc += size;
        }
        return i + 1;
    }
    case LH_WIN_LAG:
    case LH_WIN_LEAD: {
        int64_t off = f->arg[1] == NA ? 1 : s[p].v[f->arg[1]], step = f->kind == LH_WIN_LAG ? -1 : 1, k = 0;
        int64_t i = (int64_t)p;
        if (!f->ignore_nulls || off == 0) {
            i += step * off;
        } else {
            for (i = (int64_t)p + step; i >= (int64_t)ps && i < (int64_t)pe; i += step)
                if (s[i].v[RC_X] != NUL && ++k == off)
                    break;
        }
        if (i >= (int64_t)ps && i < (int64_t)pe)
            return s[i].v[RC_X];
        return f->arg[2] == NA ? NUL : s[p].v[f->arg[2]];
    }
    default:
        break;
    }
    for (q = ps; q < pe; q++) {
        int64_t x = s[q].v[RC_X];
        if (!in_frame(f, s, ps, pe, p, q))
            continue;
        cnt++;
        if (!any)
            first = x;
        any = 1;
        last = x;
        if (++seen == 2)
            nth = x;
        if (s[q].v[RC_B] != NUL) {
            nb++;
            ntrue += s[q].v[RC_B] != 0;
            cif += s[q].v[RC_B] != 0;
        }
        if (s[q].v[RC_Y] != NUL) {
            int64_t y = s[q].v[RC_Y];
            int better = !have_y || (f->agg.kind == LH_AGG_MIN_BY ? y < ybest : y > ybest);
            if (better) {
                ybest = y;
                byx = x;
                have_y = 1;
            }
        }
        if (x != NUL) {
            cntx++;
            sum += x;
            sumsq += x * x;
            mn = x < mn ? x : mn;
            mx = x > mx ? x : mx;
            if (firstnn == NUL)
                firstnn = x;
            if (cntx == 2)
                nthnn = x;
            lastnn = x;
        }
    }
    switch (f->kind) {
    case LH_WIN_FIRST_VALUE:
        return f->ignore_nulls ? firstnn : first;
    case LH_WIN_LAST_VALUE:
        return f->ignore_nulls ? lastnn : last;
    case LH_WIN_NTH_VALUE:
        return f->ignore_nulls ? nthnn : nth;
    default:
        break;
    }
    switch (f->agg.kind) {
    case LH_AGG_COUNT_STAR:
        return cnt;
    case LH_AGG_COUNT:
        return cntx;
    case LH_AGG_SUM:
        return cntx ? sum : NUL;
    case LH_AGG_AVG:
        *d = cntx ? (double)sum / (double)cntx : 0;
        return cntx ? 0 : NUL;
    case LH_AGG_MIN:
        return cntx ? mn : NUL;
    case LH_AGG_MAX:
        return cntx ? mx : NUL;
    case LH_AGG_COUNT_IF:
        return cif;
    case LH_AGG_BOOL_AND:
        return nb ? ntrue == nb : NUL;
    case LH_AGG_BOOL_OR:
        return nb ? ntrue > 0 : NUL;
    case LH_AGG_ARBITRARY:
        return firstnn;
    case LH_AGG_MIN_BY:
    case LH_AGG_MAX_BY:
        return have_y ? byx : NUL;
    case LH_AGG_VAR_SAMP:
        if (cntx < 2)
            return NUL;
        *d = ((double)sumsq - (double)sum * (double)sum / (double)cntx) / (double)(cntx - 1);
        return 0;
    default: /* stddev_pop */
        if (!cntx)
            return NUL;
        *d = sqrt(fmax(0, ((double)sumsq - (double)sum * (double)sum / (double)cntx) / (double)cntx));
        return 0;
    }
}

/* stride: check every stride-th row of a partition against the reference (and its first and last 20) */
/* wide: the partition key is varchar (long strings sharing their first
 * bytes), the order keys decimal(38,0) and varchar, as the others' int */
static void random_round(size_t nrows, int nparts, int multi_key, int desc, int nf, size_t stride, int wide)
{
    lh_exec_ctx ctx;
    lh_sqltype ts[RC_NCOL];
    nrow *rows = calloc(nrows, sizeof *rows);
    size_t *perm = calloc(nrows, sizeof *perm);
    nrow *sorted = calloc(nrows, sizeof *sorted);
    lh_win_spec fns[400];
    size_t nf_ = 0, i, fr;
    lh_sort_key ord[2];
    uint32_t part[1] = {RC_P};
    srcop *s;
    lh_op *w;
    lh_err e;
    result r;
    lh_sqltype bi = T(LH_SQL_BIGINT), db = T(LH_SQL_DOUBLE);
    /* frames: rows, start, start off, end, end off */
    static const struct {
        int rows;
        lh_frame_bound s;
        uint32_t so;
        lh_frame_bound e;
        uint32_t eo;
        int range_off; /* needs the single order key */
    } frames[] = {
        {0, LH_FB_UNBOUNDED_PRECEDING, 0, LH_FB_CURRENT_ROW, 0, 0},
        {1, LH_FB_PRECEDING, RC_O2, LH_FB_CURRENT_ROW, 0, 0},
        {1, LH_FB_PRECEDING, RC_O1, LH_FB_FOLLOWING, RC_O2, 0},
        {1, LH_FB_FOLLOWING, RC_O1, LH_FB_FOLLOWING, RC_O3, 0},
        {1, LH_FB_UNBOUNDED_PRECEDING, 0, LH_FB_UNBOUNDED_FOLLOWING, 0, 0},
        {1, LH_FB_PRECEDING, RC_O3, LH_FB_PRECEDING, RC_O1, 0},
        {1, LH_FB_PRECEDING, RC_OV, LH_FB_FOLLOWING, RC_OV, 0}, /* varies by row: recomputes */
        {0, LH_FB_CURRENT_ROW, 0, LH_FB_UNBOUNDED_FOLLOWING, 0, 0},
        {0, LH_FB_CURRENT_ROW, 0, LH_FB_CURRENT_ROW, 0, 0},
        {0, LH_FB_PRECEDING, RC_O2, LH_FB_FOLLOWING, RC_O1, 1},
        {0, LH_FB_FOLLOWING, RC_O1, LH_FB_FOLLOWING, RC_O3, 1},
        {0, LH_FB_UNBOUNDED_PRECEDING, 0, LH_FB_PRECEDING, RC_O2, 1},
        {0, LH_FB_PRECEDING, RC_OV, LH_FB_CURRENT_ROW, 0, 1},
        {0, LH_FB_PRECEDING, RC_O1, LH_FB_UNBOUNDED_FOLLOWING, 0, 1},
        /* GROUPS (rows = 2): offsets count peer groups, any number of keys */
        {2, LH_FB_PRECEDING, RC_O1, LH_FB_FOLLOWING, RC_O2, 0},
        {2, LH_FB_FOLLOWING, RC_O1, LH_FB_FOLLOWING, RC_O3, 0},
        {2, LH_FB_PRECEDING, RC_O3, LH_FB_PRECEDING, RC_O1, 0},
        {2, LH_FB_PRECEDING, RC_OV, LH_FB_FOLLOWING, RC_OV, 0}, /* varies by row */
        {2, LH_FB_UNBOUNDED_PRECEDING, 0, LH_FB_PRECEDING, RC_O1, 0},
        {2, LH_FB_CURRENT_ROW, 0, LH_FB_FOLLOWING, RC_O2, 0},
    };
    assert_non_null(rows);
    assert_non_null(perm);
    assert_non_null(sorted);
    for (i = 0; i < RC_NCOL; i++)
        ts[i] = bi;
    ts[RC_P] = T(LH_SQL_INTEGER);
    ts[RC_X] = T(LH_SQL_INTEGER);
    ts[RC_NT] = T(LH_SQL_SMALLINT);
    ts[RC_B] = T(LH_SQL_BOOLEAN);
    ts[RC_N] = T(LH_SQL_INTEGER); /* lag's default: the value's type */
    if (wide) {
        ts[RC_P] = T(LH_SQL_VARCHAR);
        ts[RC_K] = lh_sqltype_decimal(38, 0);
        ts[RC_K2] = T(LH_SQL_VARCHAR);
    }
    for (i = 0; i < nrows; i++) {
        int64_t *v = rows[i].v;
        v[RC_P] = rnd() % 11 == 0 ? NUL : (int64_t)(rnd() % (uint64_t)nparts);
        v[RC_K] = rnd() % 9 == 0 ? NUL : (int64_t)(rnd() % 25) - 5;
        v[RC_K2] = rnd() % 7 == 0 ? NUL : (int64_t)(rnd() % 3);
        v[RC_X] = rnd() % 4 == 0 ? NUL : (int64_t)(rnd() % 2001) - 1000;
        v[RC_ID] = (int64_t)i;
        v[RC_O1] = 1;
        v[RC_O2] = 2;
        v[RC_O3] = 3;
        v[RC_OV] = (int64_t)(rnd() % 4);
        v[RC_N] = -1;
        v[RC_NT] = 3;
        v[RC_B] = rnd() % 5 == 0 ? NUL : (int64_t)(rnd() % 2);
        v[RC_Y] = rnd() % 6 == 0 ? NUL : (int64_t)(rnd() % 10);
    }
    ord[0] = K(RC_K, desc, nf);
    ord[1] = K(RC_K2, !desc, !nf);
    g_rows = rows;
    g_ord = ord;
    g_nord = multi_key ? 2 : 1;
    /* functions */
    fns[nf_++] = W(LH_WIN_ROW_NUMBER, bi);
    fns[nf_++] = W(LH_WIN_RANK, bi);
    fns[nf_++] = W(LH_WIN_DENSE_RANK, bi);
    fns[nf_++] = W(LH_WIN_PERCENT_RANK, db);
    fns[nf_++] = W(LH_WIN_CUME_DIST, db);
    fns[nf_++] = W1(LH_WIN_NTILE, bi, RC_NT, NA, NA);
    fns[nf_++] = W1(LH_WIN_LAG, T(LH_SQL_INTEGER), RC_X, NA, NA);
    fns[nf_++] = W1(LH_WIN_LEAD, T(LH_SQL_INTEGER), RC_X, RC_O2, RC_N);
    fns[nf_] = W1(LH_WIN_LAG, T(LH_SQL_INTEGER), RC_X, RC_O2, RC_N);
    fns[nf_++].ignore_nulls = 1;
    fns[nf_] = W1(LH_WIN_LEAD, T(LH_SQL_INTEGER), RC_X, RC_OV, NA);
    fns[nf_++].ignore_nulls = 1;
    for (fr = 0; fr < sizeof frames / sizeof frames[0]; fr++) {
        lh_win_spec k[17] = {AGG(LH_AGG_COUNT_STAR, NA, bi),          AGG(LH_AGG_COUNT, RC_X, bi),
                             AGG(LH_AGG_SUM, RC_X, bi),               AGG(LH_AGG_AVG, RC_X, db),
                             AGG(LH_AGG_MIN, RC_X, T(LH_SQL_INTEGER)), AGG(LH_AGG_MAX, RC_X, T(LH_SQL_INTEGER)),
                             W1(LH_WIN_FIRST_VALUE, T(LH_SQL_INTEGER), RC_X, NA, NA),
                             W1(LH_WIN_LAST_VALUE, T(LH_SQL_INTEGER), RC_X, NA, NA),
                             W1(LH_WIN_NTH_VALUE, T(LH_SQL_INTEGER), RC_X, RC_O2, NA),
                             AGG(LH_AGG_COUNT_IF, RC_B, bi),          AGG(LH_AGG_BOOL_AND, RC_B, T(LH_SQL_BOOLEAN)),
                             AGG(LH_AGG_BOOL_OR, RC_B, T(LH_SQL_BOOLEAN)),
                             AGG(LH_AGG_ARBITRARY, RC_X, T(LH_SQL_INTEGER)),
                             AGG(LH_AGG_MIN_BY, RC_X, T(LH_SQL_INTEGER)), AGG(LH_AGG_MAX_BY, RC_X, T(LH_SQL_INTEGER)),
                             AGG(LH_AGG_VAR_SAMP, RC_X, db),          AGG(LH_AGG_STDDEV_POP, RC_X, db)};
        size_t j;
        k[13].agg.arg[1] = RC_Y;
        k[14].agg.arg[1] = RC_Y;
        if (frames[fr].range_off && multi_key)
            continue;
        for (j = 0; j < 17; j++) {
            fns[nf_] = FR(k[j], frames[fr].rows == 1, frames[fr].s, frames[fr].so, frames[fr].e, frames[fr].eo);
            fns[nf_].groups = frames[fr].rows == 2;
            if (j >= 6 && j < 9 && (fr & 1))
                fns[nf_].ignore_nulls = 1;
            nf_++;
        }
    }
    assert_true(nf_ <= 400);
    /* source: batches of random sizes; some with a selection, CONST offsets, DICT partition keys */
    lh_exec_ctx_init(&ctx);
    s = src_new(&ctx, ts, RC_NCOL);
    i = 0;
    while (i < nrows) {
        lh_batch *b = src_add(s);
        uint32_t take = 1 + (uint32_t)(rnd() % (rnd() % 3 == 0 ? 5 : LH_BATCH)), n = 0, c, k = 0;
        int sel = rnd() % 3 == 0, dict = rnd() % 2 == 0;
        uint16_t selv[LH_BATCH];
        lh_vector *dv = NULL;
        if (take > nrows - i)
            take = (uint32_t)(nrows - i);
        if (sel && take > LH_BATCH / 2)
            take = LH_BATCH / 2;
        if (dict) {
            assert_int_equal(lh_vector_set_dict(b->cols[RC_P], (uint32_t)nparts + 1, &dv, &e), LH_OK);
            for (c = 0; c < (uint32_t)nparts; c++)
                if (wide) {
                    char str[64];
                    long_str(str, sizeof str, c);
                    assert_int_equal(lh_vector_set_str(dv, c, str, strlen(str), &b->arena, &e), LH_OK);
                } else {
                    lh_vector_set_i64(dv, c, c);
                }
            lh_vector_set_null(dv, (uint32_t)nparts);
        }
        while (k < take) {
            const int64_t *v = rows[i].v;
            if (sel && rnd() % 2) { /* a junk row */
                for (c = 0; c < RC_NCOL; c++)
                    if (c != RC_P || !dict)
                        set_cell(b, c, n, 999, NULL);
                n++;
            }
            for (c = 0; c < RC_NCOL; c++) {
                if (c == RC_O1 || c == RC_O2 || c == RC_O3 || c == RC_N || c == RC_NT)
                    continue;
                if (c == RC_P && dict) {
                    b->cols[c]->dict_idx[n] = (uint16_t)(v[c] == NUL ? (int64_t)nparts : v[c]);
                    continue;
                }
                set_cell(b, c, n, v[c], NULL);
            }
            selv[k++] = (uint16_t)n++;
            i++;
        }
        lh_vector_set_const(b->cols[RC_O1], 0);
        lh_vector_set_i64(b->cols[RC_O1], 0, 1);
        lh_vector_set_const(b->cols[RC_O2], 0);
        lh_vector_set_i64(b->cols[RC_O2], 0, 2);
        lh_vector_set_const(b->cols[RC_O3], 0);
        lh_vector_set_i64(b->cols[RC_O3], 0, 3);
        lh_vector_set_const(b->cols[RC_N], 0);
        lh_vector_set_i64(b->cols[RC_N], 0, -1);
        lh_vector_set_const(b->cols[RC_NT], 0);
        lh_vector_set_i64(b->cols[RC_NT], 0, 3);
        b->n = n;
        if (sel)
            lh_batch_select(b, selv, k);
    }
    if (lh_op_window(&ctx, &s->base, part, 1, ord, g_nord, fns, nf_, &w, &e) != LH_OK)
        fail_msg("%s", e.msg);
    if (collect(w, &r, &e) != LH_OK)
        fail_msg("%s", e.msg);
    assert_int_equal(r.n, nrows);
    /* the expected order: stable sort by (partition, order keys) */
    for (i = 0; i < nrows; i++)
        perm[i] = i;
    qsort(perm, nrows, sizeof *perm, qs_cmp);
    for (i = 0; i < nrows; i++)
        sorted[i] = rows[perm[i]];
    g_grp = calloc(nrows, sizeof *g_grp);
    assert_non_null(g_grp);
    number_groups(sorted, nrows);
    {
        size_t ps = 0;
        while (ps < nrows) {
            size_t pe = ps + 1, p, f;
            while (pe < nrows && ncmp_key(sorted[pe].v[RC_P], sorted[ps].v[RC_P], 0, 0) == 0)
                pe++;
            for (p = ps; p < pe; p++) {
                if (cell(&r, p, RC_ID)->i != sorted[p].v[RC_ID])
                    fail_msg("row %zu: id %lld, want %lld", p, (long long)cell(&r, p, RC_ID)->i,
                             (long long)sorted[p].v[RC_ID]);
                if ((p - ps) % stride && p - ps >= 20 && pe - p > 20)
                    continue;
                for (f = 0; f < nf_; f++) {
                    const ocell *o = cell(&r, p, (uint32_t)(RC_NCOL + f));
                    double d = 0;
                    int64_t want = naive(&fns[f], sorted, ps, pe, p, &d);
                    int isd = fns[f].ret.id == LH_SQL_DOUBLE;
                    if (want == NUL) {
                        if (!o->null)
                            fail_msg("row %zu fn %zu (%d/%d): want NULL, got %lld / %g", p, f, fns[f].kind,
                                     fns[f].agg.kind, (long long)o->i, o->d);
                    } else if (o->null) {
                        fail_msg("row %zu fn %zu (%d/%d): want %lld / %g, got NULL", p, f, fns[f].kind, fns[f].agg.kind,
                                 (long long)want, d);
                    } else if (isd ? fabs(o->d - d) > 1e-7 * (1 + fabs(d)) : o->i != want) {
                        fail_msg("row %zu fn %zu (%d/%d, frame rows=%d %d..%d): want %lld / %.17g, got %lld / %.17g", p,
                                 f, fns[f].kind, fns[f].agg.kind, fns[f].rows, fns[f].start, fns[f].end,
                                 (long long)want, d, (long long)o->i, o->d);
                    }
                }
            }
            ps = pe;
        }
    }
    result_free(&r);
    lh_op_free(w);
    assert_int_equal(atomic_load(&ctx.mem_used), 0);
    free(rows);
    free(perm);
    free(sorted);
    free(g_grp);
    g_grp = NULL;
}

static void test_random_vs_naive(void **state)
{
    int i;
    (void)state;
    for (i = 0; i < 8; i++)
        random_round(i < 4 ? 400 : 3000, i < 2 ? 1 : i < 6 ? 40 : 1000, i == 3 || i == 7, i & 1, (i >> 1) & 1, 1, 0);
    random_round(3 * LH_BATCH + 17, 3, 0, 0, 0, 29, 0); /* partitions larger than a batch */
    for (i = 0; i < 4; i++) /* string and int128 keys: prefixes that tie on different values */
        random_round(2000, i < 2 ? 30 : 300, i & 1, i & 1, (i >> 1) & 1, 1, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_vs_naive),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
