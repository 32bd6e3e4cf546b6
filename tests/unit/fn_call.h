/* tests/unit/fn_call.h — the harness of test_fn_string.c and test_fn_regex.c:
 * calls a scalar implementation found through lh_scalar_find on one value
 * held in real vectors, twice (FLAT arguments in row 1 of three, rows 0 and
 * 2 NULL and unselected, which must stay untouched; then CONST arguments
 * passed to init as constants), checks both runs agree, and compares the
 * result or the error text.  STR/INT/ERR/NUL name the file and line of a
 * failing case.  Test-only code (static functions in the including file). */
#ifndef LH_TESTS_FN_CALL_H
#define LH_TESTS_FN_CALL_H

#include "testutil.h"

#include "functions/scalar.h"

/* ---- calling a function on one value ---- */

typedef struct arg {
    char k; /* S varchar, C char(n), B varbinary, I bigint; n/b/j: NULL varchar/varbinary/bigint */
    const char *s;
    size_t n;
    int64_t i;
} arg;
#define S(x) ((arg){'S', (x), sizeof(x) - 1, 0})
#define C(x, len) ((arg){'C', (x), sizeof(x) - 1, (len)})
#define B(x) ((arg){'B', (x), sizeof(x) - 1, 0})
#define I(x) ((arg){'I', NULL, 0, (x)})
#define NS ((arg){'n', NULL, 0, 0})
#define NB ((arg){'b', NULL, 0, 0})
#define NI ((arg){'j', NULL, 0, 0})

typedef struct res {
    lh_rc rc;
    int null;
    char s[8192];
    size_t n;
    int64_t i;
    lh_err err;
} res;

static lh_sqltype VC, VB, BI, BO, IN;

static lh_sqltype arg_type(const arg *a)
{
    switch (a->k) {
    case 'S': case 'n': return VC;
    case 'C': return lh_sqltype_char((uint32_t)a->i);
    case 'B': case 'b': return VB;
    default: return BI;
    }
}

static lh_vector *mkv(lh_sqltype t)
{
    lh_vector *v = NULL;
    lh_err e;
    assert_int_equal(lh_vector_create(t, 0, &v, &e), LH_OK);
    return v;
}

/* value of a into row of v (arena NULL: long strings keep pointing at the test's bytes) */
static void put_arg(lh_vector *v, uint32_t row, const arg *a)
{
    lh_err e;
    if (a->k == 'n' || a->k == 'b' || a->k == 'j') {
        lh_vector_set_null(v, row);
        return;
    }
    if (a->k == 'I')
        lh_vector_set_i64(v, row, a->i);
    else
        assert_int_equal(lh_vector_set_str(v, row, a->s, a->n, NULL, &e), LH_OK);
}

static res *run1(const char *name, lh_sqltype ret, const arg *a, size_t na, int as_const)
{
    static res r[2];
    res *o = &r[as_const];
    lh_sqltype ts[8] = {{0}};
    lh_vector *v[8], *cv[8], *out;
    const lh_scalar_impl *impl;
    lh_fn_call call;
    lh_xenv env = {0, 0};
    lh_arena ar;
    uint16_t sel[1] = {1};
    lh_rows rows = {sel, 1};
    size_t k;
    memset(o, 0, sizeof *o);
    for (k = 0; k < na; k++)
        ts[k] = arg_type(&a[k]);
    impl = lh_scalar_find(name, ts, na, ret);
    if (!impl)
        fail_msg("no implementation of %s for these %zu arguments", name, na);
    for (k = 0; k < na; k++) {
        v[k] = mkv(ts[k]);
        if (as_const) {
            lh_vector_set_const(v[k], 0);
            put_arg(v[k], 0, &a[k]);
            if (a[k].k == 'n' || a[k].k == 'b' || a[k].k == 'j')
                lh_vector_set_const(v[k], 1);
            cv[k] = v[k];
        } else {
            lh_vector_set_null(v[k], 0);
            put_arg(v[k], 1, &a[k]);
            lh_vector_set_null(v[k], 2);
            cv[k] = NULL;
        }
    }
    out = mkv(ret);
    lh_vector_set_null(out, 0);
    lh_vector_set_null(out, 2);
    lh_arena_init(&ar, 0);
    memset(&call, 0, sizeof call);
    call.arg_types = ts;
    call.nargs = na;
    call.ret = ret;
    call.arena = &ar;
    call.env = &env;
    lh_err_clear(&o->err);
    o->rc = impl->init ? impl->init(&call, cv, &o->err) : LH_OK;
    if (!o->rc)
        o->rc = impl->eval(&call, v, out, rows, &o->err);
    if (impl->done)
        impl->done(&call);
    assert_null(call.state);
    if (!o->rc) {
        assert_false(lh_vector_is_valid(out, 0)); /* unselected rows untouched */
        assert_false(lh_vector_is_valid(out, 2));
        o->null = !lh_vector_is_valid(out, 1);
        if (!o->null) {
            if (out->phys == LH_P_STR) {
                lh_str s = lh_vector_get_str(out, 1);
                assert_true(lh_str_len(&s) < sizeof o->s);
                o->n = lh_str_len(&s);
                memcpy(o->s, lh_str_ptr(&s), o->n);
                o->s[o->n] = 0;
            } else if (out->phys == LH_P_U8) {
                o->i = ((uint8_t *)out->data)[1];
            } else {
                o->i = lh_vector_get_i64(out, 1);
            }
        }
    }
    lh_arena_free(&ar);
    for (k = 0; k < na; k++)
        lh_vector_free(v[k]);
    lh_vector_free(out);
    return o;
}

/* FLAT and CONST runs must agree; returns the FLAT one. */
static res *run(const char *name, lh_sqltype ret, const arg *a, size_t na)
{
    res *f = run1(name, ret, a, na, 0), *c = run1(name, ret, a, na, 1);
    assert_int_equal(f->rc, c->rc);
    if (f->rc) {
        assert_string_equal(f->err.msg, c->err.msg);
        return f;
    }
    assert_int_equal(f->null, c->null);
    assert_int_equal(f->n, c->n);
    assert_memory_equal(f->s, c->s, f->n + 1);
    assert_true(f->i == c->i);
    return f;
}

#define ARGS(...) ((arg[]){__VA_ARGS__}), (sizeof((arg[]){__VA_ARGS__}) / sizeof(arg))

static void str_eq(const char *file, int line, res *r, const char *exp, size_t n)
{
    if (r->rc)
        fail_msg("%s:%d: error %d: %s", file, line, r->rc, r->err.msg);
    if (r->null)
        fail_msg("%s:%d: NULL, expected '%s'", file, line, exp);
    if (r->n != n || memcmp(r->s, exp, n))
        fail_msg("%s:%d: got '%.*s' (%zu bytes), expected '%s' (%zu bytes)", file, line, (int)r->n, r->s, r->n, exp,
                 n);
}
static void int_eq(const char *file, int line, res *r, int64_t exp)
{
    if (r->rc)
        fail_msg("%s:%d: error %d: %s", file, line, r->rc, r->err.msg);
    if (r->null)
        fail_msg("%s:%d: NULL, expected %lld", file, line, (long long)exp);
    if (r->i != exp)
        fail_msg("%s:%d: got %lld, expected %lld", file, line, (long long)r->i, (long long)exp);
}
static void err_eq(const char *file, int line, res *r, const char *msg)
{
    if (!r->rc)
        fail_msg("%s:%d: no error, expected '%s'", file, line, msg);
    if (strcmp(r->err.msg, msg))
        fail_msg("%s:%d: error '%s', expected '%s'", file, line, r->err.msg, msg);
}
static void null_eq(const char *file, int line, res *r)
{
    if (r->rc)
        fail_msg("%s:%d: error %d: %s", file, line, r->rc, r->err.msg);
    if (!r->null)
        fail_msg("%s:%d: got '%.*s' / %lld, expected NULL", file, line, (int)r->n, r->s, (long long)r->i);
}

/* STR(expected, fn, ret, args...) */
#define STR(exp, fn, ret, ...) str_eq(__FILE__, __LINE__, run(fn, ret, ARGS(__VA_ARGS__)), exp, sizeof(exp) - 1)
#define INT(exp, fn, ret, ...) int_eq(__FILE__, __LINE__, run(fn, ret, ARGS(__VA_ARGS__)), exp)
#define ERR(msg, fn, ret, ...) err_eq(__FILE__, __LINE__, run(fn, ret, ARGS(__VA_ARGS__)), msg)
#define NUL(fn, ret, ...) null_eq(__FILE__, __LINE__, run(fn, ret, ARGS(__VA_ARGS__)))

static int setup_types(void **state)
{
    (void)state;
    VC = lh_sqltype_varchar(LH_SQL_UNBOUNDED);
    VB = lh_sqltype_of(LH_SQL_VARBINARY);
    BI = lh_sqltype_of(LH_SQL_BIGINT);
    BO = lh_sqltype_of(LH_SQL_BOOLEAN);
    IN = lh_sqltype_of(LH_SQL_INTEGER);
    return 0;
}

#endif
