/* bench/kernels.c — values per second of the executor's vectorized
 * kernels against the same work done one row at a time through the scalar
 * functions (an interpreter's shape: per row, test NULL, call the
 * operator's function through a pointer, store).  Prints figures; it is
 * not a timed test.
 *
 *   make build/bench/kernels && build/bench/kernels [millions of values, default 50]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "exec/decimal.h"
#include "exec/intmath.h"
#include "exec/kernels.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static lh_vector *mk(lh_sqltype t)
{
    lh_vector *v = NULL;
    lh_err e;
    if (lh_vector_create(t, 0, &v, &e)) {
        fprintf(stderr, "%s\n", e.msg);
        exit(1);
    }
    return v;
}

/* the scalar path, called through pointers so nothing is inlined */
static lh_rc row_add(int64_t a, int64_t b, int64_t *o, lh_err *e) { return lh_int_add(LH_I64, a, b, o, e); }
static lh_rc (*volatile p_add)(int64_t, int64_t, int64_t *, lh_err *) = row_add;
static lh_rc (*volatile p_mul)(lh_i128, int, lh_i128, int, lh_i128 *, lh_err *) = lh_dec_mul;
static int row_streq(const lh_str *a, const lh_str *b)
{
    return lh_str_len(a) == lh_str_len(b) && memcmp(lh_str_ptr(a), lh_str_ptr(b), lh_str_len(a)) == 0;
}
static int (*volatile p_streq)(const lh_str *, const lh_str *) = row_streq;
static int row_true(const uint8_t *p, const uint64_t *valid, uint32_t i)
{
    return ((valid[i >> 6] >> (i & 63)) & 1) && p[i];
}
static int (*volatile p_true)(const uint8_t *, const uint64_t *, uint32_t) = row_true;

static void report(const char *name, double vec_s, double row_s, double values)
{
    printf("%-24s vectorized %8.1f M values/s   row-at-a-time %8.1f M values/s   ratio %5.1fx\n", name,
           values / vec_s / 1e6, values / row_s / 1e6, row_s / vec_s);
}

int main(int argc, char **argv)
{
    long millions = argc > 1 ? atol(argv[1]) : 50;
    long iters = millions * 1000000L / LH_BATCH, it;
    double values = (double)iters * LH_BATCH, t0, tv, tr;
    lh_err e;
    lh_rows rows = {NULL, LH_BATCH};
    uint32_t i;
    volatile int64_t sink = 0;
    lh_arena ar;

    if (iters < 1)
        iters = 1;
    lh_arena_init(&ar, 0);
    printf("batches of %d values, %.0f M values per kernel, one core\n", LH_BATCH, values / 1e6);

    { /* bigint + bigint */
        lh_vector *a = mk(lh_sqltype_of(LH_SQL_BIGINT)), *b = mk(lh_sqltype_of(LH_SQL_BIGINT)),
                  *o = mk(lh_sqltype_of(LH_SQL_BIGINT));
        int64_t *A = a->data, *B = b->data, *O = o->data;
        for (i = 0; i < LH_BATCH; i++) {
            A[i] = (int64_t)i * 7919 - 5000;
            B[i] = (int64_t)i * 31;
        }
        t0 = now();
        for (it = 0; it < iters; it++)
            if (lh_k_arith(LH_OP_ADD, a, b, o, rows, &e))
                return 1;
        tv = now() - t0;
        sink += O[7];
        t0 = now();
        for (it = 0; it < iters; it++)
            for (i = 0; i < LH_BATCH; i++) {
                if (!lh_vector_is_valid(a, i) || !lh_vector_is_valid(b, i))
                    continue;
                if (p_add(A[i], B[i], &O[i], &e))
                    return 1;
            }
        tr = now() - t0;
        sink += O[7];
        report("bigint add", tv, tr, values);
        lh_vector_free(a);
        lh_vector_free(b);
        lh_vector_free(o);
    }
    { /* decimal(18,2) * decimal(18,2) -> decimal(36,4) */
        int rp, rs;
        lh_vector *a = mk(lh_sqltype_decimal(18, 2)), *b = mk(lh_sqltype_decimal(18, 2)), *o;
        int64_t *A = a->data, *B = b->data;
        lh_i128 *O;
        if (lh_dec_result_type(LH_DEC_MUL, 18, 2, 18, 2, &rp, &rs, &e))
            return 1;
        o = mk(lh_sqltype_decimal(rp, rs));
        O = o->data;
        for (i = 0; i < LH_BATCH; i++) {
            A[i] = (int64_t)i * 123457 - 99999;
            B[i] = (int64_t)(i % 977) * 1013 + 1;
        }
        t0 = now();
        for (it = 0; it < iters; it++)
            if (lh_k_arith(LH_OP_MUL, a, b, o, rows, &e))
                return 1;
        tv = now() - t0;
        sink += (int64_t)O[9];
        t0 = now();
        for (it = 0; it < iters; it++)
            for (i = 0; i < LH_BATCH; i++) {
                if (!lh_vector_is_valid(a, i) || !lh_vector_is_valid(b, i))
                    continue;
                if (p_mul(A[i], 2, B[i], 2, &O[i], &e))
                    return 1;
            }
        tr = now() - t0;
        sink += (int64_t)O[9];
        report("decimal(18,2) multiply", tv, tr, values);
        lh_vector_free(a);
        lh_vector_free(b);
        lh_vector_free(o);
    }
    { /* varchar = varchar, mixed inline / pointer strings, ~1/4 equal */
        lh_vector *a = mk(lh_sqltype_varchar(LH_SQL_UNBOUNDED)), *b = mk(lh_sqltype_varchar(LH_SQL_UNBOUNDED)),
                  *o = mk(lh_sqltype_of(LH_SQL_BOOLEAN));
        const lh_str *A = a->data, *B = b->data;
        uint8_t *O = o->data;
        char buf[64];
        for (i = 0; i < LH_BATCH; i++) {
            int n = snprintf(buf, sizeof buf, i % 2 ? "user%u@example.com" : "u%u", i);
            if (lh_vector_set_str(a, i, buf, (size_t)n, &ar, &e))
                return 1;
            n = snprintf(buf, sizeof buf, i % 2 ? "user%u@example.com" : "u%u", i % 4 < 2 ? i : i + 1);
            if (lh_vector_set_str(b, i, buf, (size_t)n, &ar, &e))
                return 1;
        }
        t0 = now();
        for (it = 0; it < iters; it++)
            if (lh_k_compare(LH_CMP_EQ, a, b, o, rows, &e))
                return 1;
        tv = now() - t0;
        sink += O[5];
        t0 = now();
        for (it = 0; it < iters; it++)
            for (i = 0; i < LH_BATCH; i++) {
                if (!lh_vector_is_valid(a, i) || !lh_vector_is_valid(b, i))
                    continue;
                O[i] = (uint8_t)p_streq(&A[i], &B[i]);
            }
        tr = now() - t0;
        sink += O[5];
        report("varchar equality", tv, tr, values);
        lh_vector_free(a);
        lh_vector_free(b);
        lh_vector_free(o);
    }
    { /* filter: a boolean vector, half true, into a selection */
        lh_vector *p = mk(lh_sqltype_of(LH_SQL_BOOLEAN));
        uint8_t *P = p->data;
        uint16_t sel[LH_BATCH];
        uint32_t n = 0;
        srand(7);
        for (i = 0; i < LH_BATCH; i++)
            P[i] = (uint8_t)(rand() & 1);
        lh_vector_set_null(p, 100); /* a mask to honour */
        t0 = now();
        for (it = 0; it < iters; it++)
            if (lh_k_filter(p, rows, sel, &n, &e))
                return 1;
        tv = now() - t0;
        sink += n;
        t0 = now();
        for (it = 0; it < iters; it++) {
            n = 0;
            for (i = 0; i < LH_BATCH; i++)
                if (p_true(P, p->validity, i))
                    sel[n++] = (uint16_t)i;
        }
        tr = now() - t0;
        sink += n;
        report("filter", tv, tr, values);
        lh_vector_free(p);
    }
    lh_arena_free(&ar);
    return sink == 42 ? 2 : 0;
}
