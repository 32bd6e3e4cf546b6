/* tests/unit/test_gen.c — the STEDI generator: the pipeline counts are
 * recomputed from the generated files with hash maps (independently of the
 * construction), plus format quirks, determinism and errors. */
#include "testutil.h"

#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>

#include "pipeline/gen.h"
#include "util/mem.h"

/* ---- tiny hash maps (test-only) ---- */
static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h ^ (h >> 29);
}

static uint64_t hash_pair(int64_t a, int64_t b)
{
    uint64_t z = (uint64_t)a * 0x9E3779B97F4A7C15ULL ^ ((uint64_t)b + 0x632BE59BD9B4E019ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* string -> int (index); fixed capacity, linear probing */
typedef struct strmap {
    char **key;
    int *val;
    size_t cap, n;
} strmap;

static void strmap_init(strmap *m, size_t expect)
{
    m->cap = 16;
    while (m->cap < 2 * expect)
        m->cap *= 2;
    m->key = calloc(m->cap, sizeof *m->key);
    m->val = calloc(m->cap, sizeof *m->val);
    m->n = 0;
    assert_non_null(m->key);
    assert_non_null(m->val);
}

static void strmap_free(strmap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->key[i]);
    free(m->key);
    free(m->val);
}

/* Slot of key (len n); *found says whether it is there. */
static size_t strmap_slot(const strmap *m, const char *k, size_t n, int *found)
{
    size_t i = hash_bytes(k, n) & (m->cap - 1);
    while (m->key[i]) {
        if (strlen(m->key[i]) == n && memcmp(m->key[i], k, n) == 0) {
            *found = 1;
            return i;
        }
        i = (i + 1) & (m->cap - 1);
    }
    *found = 0;
    return i;
}

/* Insert; returns 0 if the key was already present. */
static int strmap_put(strmap *m, const char *k, size_t n, int v)
{
    int found;
    size_t i = strmap_slot(m, k, n, &found);
    if (found)
        return 0;
    assert_true(m->n + 1 < m->cap);
    m->key[i] = strndup(k, n);
    assert_non_null(m->key[i]);
    m->val[i] = v;
    m->n++;
    return 1;
}

static int strmap_get(const strmap *m, const char *k, size_t n)
{
    int found;
    size_t i = strmap_slot(m, k, n, &found);
    return found ? m->val[i] : -1;
}

/* (int64, int64) -> count */
typedef struct pairmap {
    int64_t *a, *b, *cnt;
    unsigned char *used;
    size_t cap, n;
} pairmap;

static void pairmap_init(pairmap *m, size_t expect)
{
    m->cap = 16;
    while (m->cap < 2 * expect)
        m->cap *= 2;
    m->a = calloc(m->cap, sizeof *m->a);
    m->b = calloc(m->cap, sizeof *m->b);
    m->cnt = calloc(m->cap, sizeof *m->cnt);
    m->used = calloc(m->cap, 1);
    m->n = 0;
    assert_true(m->a && m->b && m->cnt && m->used);
}

static void pairmap_free(pairmap *m)
{
    free(m->a);
    free(m->b);
    free(m->cnt);
    free(m->used);
}

static int64_t *pairmap_at(pairmap *m, int64_t a, int64_t b, int create)
{
    size_t i = hash_pair(a, b) & (m->cap - 1);
    while (m->used[i]) {
        if (m->a[i] == a && m->b[i] == b)
            return &m->cnt[i];
        i = (i + 1) & (m->cap - 1);
    }
    if (!create)
        return NULL;
    assert_true(m->n + 1 < m->cap);
    m->used[i] = 1;
    m->a[i] = a;
    m->b[i] = b;
    m->n++;
    return &m->cnt[i];
}

static int64_t pairmap_get(pairmap *m, int64_t a, int64_t b)
{
    int64_t *p = pairmap_at(m, a, b, 0);
    return p ? *p : 0;
}

/* ---- reading the generated files ---- */
typedef struct flist {
    char **path;
    size_t n;
} flist;

static int cmp_str(const void *x, const void *y) { return strcmp(*(char *const *)x, *(char *const *)y); }

/* Files of dir in name order; hidden files (temporaries) are counted in *hidden. */
static flist list_dir(const char *dir, int *hidden)
{
    flist f = {NULL, 0};
    DIR *d = opendir(dir);
    struct dirent *e;
    assert_non_null(d);
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        if (e->d_name[0] == '.') {
            if (hidden)
                (*hidden)++;
            continue;
        }
        f.path = realloc(f.path, (f.n + 1) * sizeof *f.path);
        assert_non_null(f.path);
        f.path[f.n] = malloc(strlen(dir) + strlen(e->d_name) + 2);
        assert_non_null(f.path[f.n]);
        sprintf(f.path[f.n], "%s/%s", dir, e->d_name);
        f.n++;
    }
    closedir(d);
    if (f.n > 1)
        qsort(f.path, f.n, sizeof *f.path, cmp_str);
    return f;
}

static void flist_free(flist *f)
{
    for (size_t i = 0; i < f->n; i++)
        free(f->path[i]);
    free(f->path);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    char *buf;
    long n;
    assert_non_null(fp);
    assert_int_equal(fseek(fp, 0, SEEK_END), 0);
    n = ftell(fp);
    assert_true(n >= 0);
    rewind(fp);
    buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
    buf[n] = 0;
    fclose(fp);
    *len = (size_t)n;
    return buf;
}

/* The string value after `key` (which ends with the opening quote). */
static const char *str_after(const char *line, const char *key, size_t *n)
{
    const char *p = strstr(line, key), *q;
    assert_non_null(p);
    p += strlen(key);
    q = strchr(p, '"');
    assert_non_null(q);
    *n = (size_t)(q - p);
    return p;
}

static int64_t int_after(const char *line, const char *key)
{
    const char *p = strstr(line, key);
    char *end;
    long long v;
    assert_non_null(p);
    errno = 0;
    v = strtoll(p + strlen(key), &end, 10);
    assert_int_equal(errno, 0);
    assert_true(end > p + strlen(key));
    return (int64_t)v;
}

/* Calls fn on every line (NUL-terminated in place) of every file in dir. */
typedef void (*line_fn)(void *ctx, char *line);

typedef struct scan_info {
    size_t files, lines, max_rows_per_file, hidden, nulls;
    size_t min_full_size, max_full_size; /* sizes of files with 10,000 rows */
} scan_info;

static void scan_dir(const char *out, const char *kind, line_fn fn, void *ctx, scan_info *si)
{
    char dir[4096];
    int hidden = 0;
    flist f;
    snprintf(dir, sizeof dir, "%s/%s/landing", out, kind);
    f = list_dir(dir, &hidden);
    memset(si, 0, sizeof *si);
    si->hidden = (size_t)hidden;
    si->min_full_size = SIZE_MAX;
    for (size_t i = 0; i < f.n; i++) {
        size_t len, rows = 0;
        char *buf = slurp(f.path[i], &len), *p = buf;
        assert_true(strncmp(strrchr(f.path[i], '/') + 1, kind, strlen(kind)) == 0);
        assert_true(len > 0);
        assert_int_equal(buf[len - 1], '\n'); /* trailing newline */
        if (strstr(buf, "null"))
            si->nulls++;
        while (p < buf + len) {
            char *nl = strchr(p, '\n');
            assert_non_null(nl);
            *nl = 0;
            assert_int_equal(p[0], '{');
            assert_int_equal(nl[-1], '}');
            fn(ctx, p);
            rows++;
            p = nl + 1;
        }
        si->lines += rows;
        if (rows > si->max_rows_per_file)
            si->max_rows_per_file = rows;
        if (rows == 10000) {
            if (len < si->min_full_size)
                si->min_full_size = len;
            if (len > si->max_full_size)
                si->max_full_size = len;
        }
        free(buf);
    }
    si->files = f.n;
    flist_free(&f);
}

/* ---- the pipeline, recomputed ---- */
typedef struct counts {
    uint64_t customers, trusted, accel, accel_trusted, curated, step, step_trusted, ml;
    uint64_t same_customer, before_consent, no_research, no_public, no_friends, three_digit_years;
    uint64_t canonical_order, other_order, fractional, max_rows_per_ts, user_runs;
    int emails_unique, serials_unique;
} counts;

typedef struct state {
    counts c;
    strmap email, serial;
    size_t ncust, cap;
    int64_t *research; /* 0 = absent */
    unsigned char *trusted, *has_accel;
    int64_t *acc_idx, *acc_ts; /* trusted accelerometer rows */
    size_t nacc;
    pairmap step_ts;   /* (ts, -1) -> trusted step rows */
    pairmap step_same; /* (customer, ts) -> step rows */
    pairmap acc_per_ts; /* (customer, ts) -> accelerometer rows */
    char last_user[128];
} pstate;

static void on_customer(void *ctx, char *line)
{
    pstate *s = ctx;
    size_t en, sn;
    const char *email = str_after(line, "\"email\": \"", &en);
    const char *serial = str_after(line, "\"serialNumber\": \"", &sn);
    const char *bd = strstr(line, "\"birthDay\": \"");
    size_t i = s->ncust++;
    assert_true(i < s->cap);
    s->c.customers++;
    if (!strmap_put(&s->email, email, en, (int)i))
        s->c.emails_unique = 0;
    if (!strmap_put(&s->serial, serial, sn, (int)i))
        s->c.serials_unique = 0;
    if (strstr(line, "\"shareWithResearchAsOfDate\": ")) {
        s->research[i] = int_after(line, "\"shareWithResearchAsOfDate\": ");
        s->trusted[i] = 1;
        s->c.trusted++;
    } else {
        s->c.no_research++;
    }
    if (!strstr(line, "\"shareWithPublicAsOfDate\""))
        s->c.no_public++;
    if (!strstr(line, "\"shareWithFriendsAsOfDate\""))
        s->c.no_friends++;
    assert_non_null(bd);
    bd += strlen("\"birthDay\": \"");
    if (bd[0] >= '0' && bd[0] <= '9' && bd[3] == '-')
        s->c.three_digit_years++;
    if (strncmp(line, "{\"customerName\": ", 17) == 0)
        s->c.canonical_order++;
    else
        s->c.other_order++;
    assert_non_null(strstr(line, "\"registrationDate\": "));
    assert_non_null(strstr(line, "\"lastUpdateDate\": "));
    assert_non_null(strstr(line, "\"phone\": \""));
    assert_non_null(strstr(line, "\"customerName\": \""));
}

static void on_accel(void *ctx, char *line)
{
    pstate *s = ctx;
    size_t un;
    const char *user = str_after(line, "{\"user\":\"", &un);
    int64_t ts = int_after(line, "\"timestamp\":");
    int idx = strmap_get(&s->email, user, un);
    int64_t *per_ts;
    assert_true(un < sizeof s->last_user);
    if (strlen(s->last_user) != un || memcmp(s->last_user, user, un) != 0) {
        s->c.user_runs++;
        memcpy(s->last_user, user, un);
        s->last_user[un] = 0;
    }
    s->c.accel++;
    assert_true(idx >= 0); /* every user is a customer */
    if (strstr(line, ":0.") || strstr(line, ":-0."))
        s->c.fractional++;
    per_ts = pairmap_at(&s->acc_per_ts, idx, ts, 1);
    if ((uint64_t)++*per_ts > s->c.max_rows_per_ts)
        s->c.max_rows_per_ts = (uint64_t)*per_ts;
    if (!s->trusted[idx])
        return;
    s->c.accel_trusted++;
    s->has_accel[idx] = 1;
    if (ts < s->research[idx])
        s->c.before_consent++;
    s->acc_idx[s->nacc] = idx;
    s->acc_ts[s->nacc] = ts;
    s->nacc++;
}

static void on_step(void *ctx, char *line)
{
    pstate *s = ctx;
    size_t sn;
    int64_t ts = int_after(line, "{\"sensorReadingTime\":");
    const char *serial = str_after(line, "\"serialNumber\":\"", &sn);
    int idx = strmap_get(&s->serial, serial, sn);
    assert_non_null(strstr(line, "\"distanceFromObject\":"));
    s->c.step++;
    assert_true(idx >= 0);
    if (!(s->trusted[idx] && s->has_accel[idx])) /* serial of a curated customer? */
        return;
    s->c.step_trusted++;
    ++*pairmap_at(&s->step_ts, ts, -1, 1);
    ++*pairmap_at(&s->step_same, idx, ts, 1);
}

/* Recompute the eight pipeline counts of the data set in out. */
static counts recompute(const char *out, int scale, scan_info si[3])
{
    pstate s;
    size_t ncust = 956 * (size_t)scale, nacc = 81273 * (size_t)scale, nstep = 28680 * (size_t)scale;
    memset(&s, 0, sizeof s);
    s.c.emails_unique = s.c.serials_unique = 1;
    s.cap = ncust;
    strmap_init(&s.email, ncust);
    strmap_init(&s.serial, ncust);
    s.research = calloc(ncust, sizeof *s.research);
    s.trusted = calloc(ncust, 1);
    s.has_accel = calloc(ncust, 1);
    s.acc_idx = calloc(nacc, sizeof *s.acc_idx);
    s.acc_ts = calloc(nacc, sizeof *s.acc_ts);
    assert_true(s.research && s.trusted && s.has_accel && s.acc_idx && s.acc_ts);
    pairmap_init(&s.step_ts, nstep);
    pairmap_init(&s.step_same, nstep);
    pairmap_init(&s.acc_per_ts, nacc);

    scan_dir(out, "customer", on_customer, &s, &si[0]);
    scan_dir(out, "accelerometer", on_accel, &s, &si[1]);
    for (size_t i = 0; i < s.ncust; i++)
        s.c.curated += s.trusted[i] && s.has_accel[i];
    scan_dir(out, "step_trainer", on_step, &s, &si[2]);
    for (size_t i = 0; i < s.nacc; i++) { /* accelerometer_trusted JOIN step_trainer_trusted ON time */
        s.c.ml += (uint64_t)pairmap_get(&s.step_ts, s.acc_ts[i], -1);
        s.c.same_customer += (uint64_t)pairmap_get(&s.step_same, s.acc_idx[i], s.acc_ts[i]);
    }

    strmap_free(&s.email);
    strmap_free(&s.serial);
    free(s.research);
    free(s.trusted);
    free(s.has_accel);
    free(s.acc_idx);
    free(s.acc_ts);
    pairmap_free(&s.step_ts);
    pairmap_free(&s.step_same);
    pairmap_free(&s.acc_per_ts);
    return s.c;
}

static void check_scale(int scale)
{
    char *dir = lh_test_tmpdir();
    lh_err err = {0};
    lh_gen_stats st;
    scan_info si[3];
    counts c;
    uint64_t n = (uint64_t)scale;
    assert_non_null(dir);
    assert_int_equal(lh_gen_stedi(dir, scale, 42, &st, &err), LH_OK);

    c = recompute(dir, scale, si);
    /* landing */
    assert_int_equal(c.customers, 956 * n);
    assert_int_equal(c.accel, 81273 * n);
    assert_int_equal(c.step, 28680 * n);
    /* trusted and curated */
    assert_int_equal(c.trusted, 482 * n);
    assert_int_equal(c.accel_trusted, 40981 * n);
    assert_int_equal(c.curated, 482 * n);
    assert_int_equal(c.step_trusted, 14460 * n);
    assert_int_equal(c.ml, 43681 * n);
    /* each trusted reading matches exactly one same-customer step reading */
    assert_int_equal(c.same_customer, 40981 * n);
    assert_int_equal(c.ml - c.same_customer, 2700 * n);
    assert_true(c.emails_unique);
    assert_true(c.serials_unique);

    /* quirks of the real data */
    assert_int_equal(c.no_research, 474 * n); /* absent, not null */
    assert_true(c.no_public > 0 && c.no_public < c.customers);
    assert_true(c.no_friends > 0 && c.no_friends < c.customers);
    assert_true(c.canonical_order > 0 && c.other_order > 0);
    assert_true(c.three_digit_years > 0);
    assert_true(c.before_consent > 0 && c.before_consent < c.accel_trusted);
    assert_true(c.fractional > 0);
    assert_true(c.max_rows_per_ts >= 2);
    assert_int_equal(c.user_runs, 956 * n); /* rows grouped by user */
    for (int k = 0; k < 3; k++) {
        assert_int_equal(si[k].nulls, 0);
        assert_int_equal(si[k].hidden, 0); /* no temporaries left */
        assert_true(si[k].max_rows_per_file <= 10000);
    }
    assert_int_equal(si[1].files, (81273 * n + 9999) / 10000);
    assert_int_equal(si[2].files, (28680 * n + 9999) / 10000);
    assert_true(si[1].min_full_size > 700000 && si[1].max_full_size < 1000000); /* ~845 KB */

    /* the stats agree */
    assert_int_equal(st.customers, 956 * n);
    assert_int_equal(st.consenting, 482 * n);
    assert_int_equal(st.step_rows, 28680 * n);
    assert_int_equal(st.accel_rows, 81273 * n);
    assert_int_equal(st.accel_consenting_rows, 40981 * n);
    assert_int_equal(st.cross_pairs, 2700 * n);
    assert_int_equal(st.files, si[0].files + si[1].files + si[2].files);
    assert_true(st.bytes > 10000000 * n);

    lh_test_rmrf(dir);
    free(dir);
}

static void test_scale1_counts(void **state) { check_scale(1); }
static void test_scale2_counts(void **state) { check_scale(2); }

/* ---- determinism ---- */
static int same_tree(const char *a, const char *b)
{
    static const char *const kinds[] = {"customer", "accelerometer", "step_trainer"};
    int same = 1;
    for (int k = 0; k < 3 && same; k++) {
        char da[4096], db[4096];
        flist fa, fb;
        snprintf(da, sizeof da, "%s/%s/landing", a, kinds[k]);
        snprintf(db, sizeof db, "%s/%s/landing", b, kinds[k]);
        fa = list_dir(da, NULL);
        fb = list_dir(db, NULL);
        same = fa.n == fb.n;
        for (size_t i = 0; same && i < fa.n; i++) {
            size_t la, lb;
            char *ca = slurp(fa.path[i], &la), *cb = slurp(fb.path[i], &lb);
            same = strcmp(strrchr(fa.path[i], '/'), strrchr(fb.path[i], '/')) == 0 && la == lb &&
                   memcmp(ca, cb, la) == 0;
            free(ca);
            free(cb);
        }
        flist_free(&fa);
        flist_free(&fb);
    }
    return same;
}

static void test_determinism(void **state)
{
    char *a = lh_test_tmpdir(), *b = lh_test_tmpdir(), *c = lh_test_tmpdir(), *d = lh_test_tmpdir();
    lh_gen_stats sa, sb;
    lh_err err = {0};
    assert_true(a && b && c && d);
    assert_int_equal(lh_gen_stedi(a, 1, 7, &sa, &err), LH_OK);
    assert_int_equal(lh_gen_stedi(b, 1, 7, &sb, &err), LH_OK);
    assert_int_equal(lh_gen_stedi(c, 1, 8, NULL, &err), LH_OK); /* stats may be NULL */
    assert_true(same_tree(a, b));
    assert_memory_equal(&sa, &sb, sizeof sa);
    assert_false(same_tree(a, c));

    /* Block 0 does not depend on the scale: scale 1 is a prefix of scale 2. */
    assert_int_equal(lh_gen_stedi(d, 2, 7, NULL, &err), LH_OK);
    {
        char p1[4096], p2[4096];
        size_t l1, l2;
        flist f1, f2;
        snprintf(p1, sizeof p1, "%s/customer/landing", a);
        snprintf(p2, sizeof p2, "%s/customer/landing", d);
        f1 = list_dir(p1, NULL);
        f2 = list_dir(p2, NULL);
        assert_int_equal(f1.n, 1);
        assert_int_equal(f2.n, 1);
        char *c1 = slurp(f1.path[0], &l1), *c2 = slurp(f2.path[0], &l2);
        assert_true(l2 > l1);
        assert_memory_equal(c1, c2, l1);
        free(c1);
        free(c2);
        flist_free(&f1);
        flist_free(&f2);
    }
    lh_test_rmrf(a);
    lh_test_rmrf(b);
    lh_test_rmrf(c);
    lh_test_rmrf(d);
    free(a);
    free(b);
    free(c);
    free(d);
}

/* ---- errors ---- */
static void test_bad_args(void **state)
{
    char *dir = lh_test_tmpdir();
    lh_err err = {0};
    lh_gen_stats st;
    assert_non_null(dir);
    assert_int_equal(lh_gen_stedi(dir, 0, 1, &st, &err), LH_EINVAL);
    assert_non_null(strstr(err.msg, "scale 0"));
    assert_int_equal(lh_gen_stedi(dir, -3, 1, &st, NULL), LH_EINVAL);
    assert_int_equal(lh_gen_stedi(dir, 100001, 1, &st, &err), LH_EINVAL);
    assert_int_equal(lh_gen_stedi(NULL, 1, 1, &st, &err), LH_EINVAL);
    assert_int_equal(lh_gen_stedi("", 1, 1, &st, &err), LH_EINVAL);
    assert_int_equal(st.customers, 0);
    lh_test_rmrf(dir);
    free(dir);
}

static void test_unwritable_dir(void **state)
{
    char *dir = lh_test_tmpdir();
    char file[4200], out[4300];
    lh_err err = {0};
    FILE *fp;
    assert_non_null(dir);
    /* A regular file where a folder should be: works even as root. */
    snprintf(file, sizeof file, "%s/plainfile", dir);
    fp = fopen(file, "w");
    assert_non_null(fp);
    fclose(fp);
    snprintf(out, sizeof out, "%s/out", file);
    assert_int_equal(lh_gen_stedi(out, 1, 1, NULL, &err), LH_EIO);
    assert_int_equal(err.code, LH_EIO);
    assert_non_null(strstr(err.msg, file));
    /* The same through the output folder itself being a file. */
    assert_int_equal(lh_gen_stedi(file, 1, 1, NULL, &err), LH_EIO);
    assert_non_null(strstr(err.msg, file));
    lh_test_rmrf(dir);
    free(dir);
}

/* Every allocation failure is LH_ENOMEM, leaks nothing and leaves no data file. */
static void test_alloc_failures(void **state)
{
    long n;
    lh_rc rc = LH_ENOMEM;
    for (n = 1; n < 100 && rc != LH_OK; n++) {
        char *dir = lh_test_tmpdir();
        lh_err err = {0};
        assert_non_null(dir);
        lh_fault_alloc_set(n);
        rc = lh_gen_stedi(dir, 1, 3, NULL, &err);
        lh_fault_alloc_set(0);
        if (rc != LH_OK) {
            char sub[4200];
            struct stat sb;
            assert_int_equal(rc, LH_ENOMEM);
            assert_int_equal(err.code, LH_ENOMEM);
            snprintf(sub, sizeof sub, "%s/customer/landing", dir);
            if (stat(sub, &sb) == 0) {
                int hidden = 0;
                flist f = list_dir(sub, &hidden);
                assert_int_equal(f.n, 0);
                assert_int_equal(hidden, 0);
                flist_free(&f);
            }
        }
        lh_test_rmrf(dir);
        free(dir);
    }
    assert_int_equal(rc, LH_OK);
    assert_true(n > 2); /* at least one injected failure was exercised */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scale1_counts), cmocka_unit_test(test_scale2_counts),
        cmocka_unit_test(test_determinism),   cmocka_unit_test(test_bad_args),
        cmocka_unit_test(test_unwritable_dir), cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
