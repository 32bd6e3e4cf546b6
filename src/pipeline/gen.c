/* pipeline/gen.c — the deterministic STEDI sample-data generator (see gen.h
 * for the contract and docs/generator.md for the construction).
 *
 * The data set is N independent blocks of 956 customers.  A block is built
 * in memory (about 300 KB), written out, and forgotten, so memory does not
 * grow with the scale.  Each block draws from its own xoshiro256** stream
 * seeded from (seed, block), which makes block b identical at every scale
 * and the whole output a pure function of (scale, seed).
 *
 * The counts are guaranteed by construction, not by rejection sampling:
 *   - 482 of 956 customers consent (shuffled into the file order);
 *   - every customer has 30 step-trainer slots with timestamps that lie in
 *     disjoint per-customer, per-slot windows, so they are unique...
 *   - ...except for the designed collisions: the 482 consenting customers
 *     form 241 pairs (A, B) sharing 900 slots per block (177 pairs share 4,
 *     64 share 3).  In a shared slot B's step timestamp equals A's, A has
 *     2 accelerometer rows there and B has 1, so the join on time alone
 *     pairs them 2 x 2 + 1 x 1 same-customer plus 3 cross-customer times;
 *   - every accelerometer row sits on one of its own customer's step
 *     timestamps, so it matches exactly one same-customer step row.
 * gen_block() re-checks the per-block sums and reports LH_EINTERNAL if the
 * construction ever disagrees with the facts.
 */
#include "pipeline/gen.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/mem.h"

/* ---- the facts of one scale unit (the real STEDI data) ---- */
enum {
    BLOCK_CUSTOMERS = 956,
    BLOCK_CONSENTING = 482,
    BLOCK_OTHERS = BLOCK_CUSTOMERS - BLOCK_CONSENTING, /* 474 */
    SLOTS = 30,                                        /* step readings per customer */
    BLOCK_PAIRS = BLOCK_CONSENTING / 2,                /* 241 */
    BLOCK_SHARED = 900,                                /* shared slots per block */
    PAIRS_SHARING_4 = BLOCK_SHARED - 3 * BLOCK_PAIRS,  /* 177; the other 64 share 3 */
    ACCEL_BASE = 85,                                   /* accelerometer rows per customer */
    ACCEL_EXTRA_CONSENTING = 11,                       /* consenting customers with 86 */
    ACCEL_EXTRA_OTHERS = 2,                            /* others with 86 */
    BLOCK_ACCEL_CONSENTING = BLOCK_CONSENTING * ACCEL_BASE + ACCEL_EXTRA_CONSENTING, /* 40,981 */
    BLOCK_ACCEL = BLOCK_ACCEL_CONSENTING + BLOCK_OTHERS * ACCEL_BASE + ACCEL_EXTRA_OTHERS, /* 81,273 */
    BLOCK_STEPS = BLOCK_CUSTOMERS * SLOTS,             /* 28,680 */
    BLOCK_CROSS = 3 * BLOCK_SHARED,                    /* 2,700 */
    MAX_SCALE = 100000
};
_Static_assert(BLOCK_CONSENTING % 2 == 0, "consenting customers are paired");
_Static_assert(PAIRS_SHARING_4 >= 0 && PAIRS_SHARING_4 <= BLOCK_PAIRS, "3 or 4 shared slots per pair");
_Static_assert(BLOCK_ACCEL_CONSENTING == 40981, "accelerometer_trusted per block");
_Static_assert(BLOCK_ACCEL == 81273, "accelerometer_landing per block");
_Static_assert(BLOCK_STEPS == 28680, "step_trainer_landing per block");
_Static_assert(BLOCK_ACCEL_CONSENTING + BLOCK_CROSS == 43681, "machine_learning_curated per block");

/* ---- layout of the output ---- */
#define ROWS_PER_FILE 10000u       /* like the real accelerometer/step files */
#define ROW_MAX ((size_t)1024)     /* longest possible line (customer: < 400 bytes) */
#define CHUNK (((size_t)1 << 20) - 2 * ROW_MAX) /* write() granularity: the buffer stays 1 MiB */
#define READ_BASE_MS 1655500000000LL /* first reading: June 2022 */
#define CUSTOMER_STRIDE_MS 120000LL  /* each customer owns a 2-minute window */
#define SLOT_STRIDE_MS 4000LL        /* each slot owns 4 s of it ... */
#define SLOT_JITTER_MS 3000u         /* ... and its reading lies in the first 3 s */
#define FILE_MS_BASE 1691400000000LL /* <ms> in the file names */
_Static_assert(SLOTS * SLOT_STRIDE_MS == CUSTOMER_STRIDE_MS, "slot windows tile the customer window");
_Static_assert(SLOT_JITTER_MS < SLOT_STRIDE_MS, "slot windows are disjoint");

/* Invented name lists: a block takes 956 distinct (first, last) pairs. */
static const char *const FIRST[] = {
    "Ada",    "Amir",   "Anna",   "Arjun",  "Bea",    "Boris",  "Carla",  "Chen",   "Dara",
    "Dmitri", "Elena",  "Emeka",  "Farah",  "Felix",  "Gita",   "Gus",    "Hana",   "Hugo",
    "Ines",   "Ivan",   "Jada",   "Jonas",  "Kai",    "Kira",   "Lars",   "Lena",   "Malik",
    "Mira",   "Nadia",  "Nico",   "Olga",   "Omar",   "Paula",  "Pedro",  "Quinn",  "Rosa",
    "Rui",    "Sana",   "Theo",   "Uma",    "Vera",   "Wes",    "Yara",   "Zane",
};
static const char *const LAST[] = {
    "Abara",   "Berg",    "Castillo", "Dahl",   "Eze",     "Fontaine", "Gallo",  "Haas",
    "Ibsen",   "Jovanic", "Kowal",    "Lindqvist", "Moreau", "Nakamura", "Okafor", "Pires",
    "Quist",   "Rahman",  "Silva",    "Tanaka", "Ueda",    "Varga",    "Weller", "Xu",
    "Yilmaz",  "Zeller",  "Ahlberg",  "Brandt", "Cortez",  "Dunmore",  "Engel",  "Fischer",
    "Grady",   "Holm",    "Ivers",    "Jansen",
};
#define N_FIRST (sizeof FIRST / sizeof FIRST[0])
#define N_LAST (sizeof LAST / sizeof LAST[0])
_Static_assert(N_FIRST * N_LAST >= BLOCK_CUSTOMERS, "enough distinct names for a block");

/* ---- PRNG: splitmix64 for seeding, xoshiro256** for the streams ---- */
typedef struct rng {
    uint64_t s[4];
} rng;

static uint64_t mix64(uint64_t z) /* a bijection on 64 bits */
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static uint64_t splitmix64(uint64_t *x)
{
    *x += 0x9E3779B97F4A7C15ULL;
    return mix64(*x);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t rng_next(rng *r)
{
    uint64_t *s = r->s;
    uint64_t out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return out;
}

static void rng_seed(rng *r, uint64_t seed, uint64_t stream)
{
    uint64_t x = seed ^ mix64(stream + 0x6A09E667F3BCC909ULL);
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

/* Uniform in [0, n), n >= 1 (multiply-shift; the bias is below 2^-32). */
static uint32_t rng_below(rng *r, uint32_t n) { return (uint32_t)(((rng_next(r) >> 32) * n) >> 32); }

static void shuffle16(rng *r, uint16_t *a, uint32_t n)
{
    for (uint32_t i = n; i > 1; i--) {
        uint32_t j = rng_below(r, i);
        uint16_t t = a[i - 1];
        a[i - 1] = a[j];
        a[j] = t;
    }
}

/* ---- one output stream: a kind of file, rotated every ROWS_PER_FILE rows ---- */
typedef struct sink {
    const char *kind; /* "customer", "accelerometer", "step_trainer" */
    char *dir;        /* OUT/<kind>/landing */
    char *path, *tmp; /* names of the file being written (preallocated) */
    size_t path_cap;
    int fd;           /* -1 when no file is open */
    int64_t ms_base, ms_step;
    uint64_t file_no, rows;
    lh_buf buf;
} sink;

typedef struct cust {
    int64_t t[SLOTS];    /* step-trainer timestamps */
    int64_t reg, upd, research, pub, friends; /* 0 = key absent */
    uint32_t shared;     /* bit s: slot s is a designed collision */
    uint16_t first, last;
    int16_t birth_year;
    uint8_t birth_month, birth_day;
    uint8_t cnt[SLOTS];  /* accelerometer rows at t[s] */
    uint8_t consent, total;
    char serial[37];
    char phone[11];
} cust;

typedef struct gen {
    cust *c; /* BLOCK_CUSTOMERS */
    sink out[3];
    uint64_t seed, serial_key;
    lh_gen_stats st;
} gen;

enum { OUT_CUSTOMER, OUT_ACCEL, OUT_STEP };

static lh_rc mkdir_p(const char *path, lh_err *err)
{
    lh_rc rc = LH_OK;
    char *p = lh_strdup(path);
    struct stat sb;
    if (!p)
        return lh_errf(err, LH_ENOMEM, "out of memory copying path %s", path);
    for (char *q = p + 1;; q++) {
        if (*q != '/' && *q != 0)
            continue;
        char c = *q;
        *q = 0;
        if (mkdir(p, 0755) != 0) {
            int e = errno;
            if (e != EEXIST) {
                rc = lh_errf(err, LH_EIO, "cannot create directory %s: %s", p, strerror(e));
                goto out;
            }
            if (stat(p, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
                rc = lh_errf(err, LH_EIO, "cannot create directory %s: exists and is not a directory", p);
                goto out;
            }
        }
        *q = c;
        if (!c)
            break;
    }
out:
    lh_free(p);
    return rc;
}

static lh_rc sink_init(sink *s, const char *out_dir, const char *kind, int64_t ms_base, int64_t ms_step,
                       lh_err *err)
{
    lh_rc rc;
    s->kind = kind;
    s->fd = -1;
    s->ms_base = ms_base;
    s->ms_step = ms_step;
    s->dir = lh_aprintf("%s/%s/landing", out_dir, kind);
    if (!s->dir)
        return lh_errf(err, LH_ENOMEM, "out of memory naming %s/%s/landing", out_dir, kind);
    s->path_cap = strlen(s->dir) + strlen(kind) + 48;
    s->path = lh_malloc(s->path_cap);
    s->tmp = lh_malloc(s->path_cap);
    if (!s->path || !s->tmp)
        return lh_errf(err, LH_ENOMEM, "out of memory naming files in %s", s->dir);
    rc = lh_buf_reserve(&s->buf, CHUNK + ROW_MAX, err);
    if (rc)
        return rc;
    return mkdir_p(s->dir, err);
}

/* Close and remove a half-written file; release everything. */
static void sink_free(sink *s)
{
    if (s->fd >= 0) {
        (void)close(s->fd);
        (void)unlink(s->tmp);
        s->fd = -1;
    }
    lh_free(s->dir);
    lh_free(s->path);
    lh_free(s->tmp);
    lh_buf_free(&s->buf);
    s->dir = s->path = s->tmp = NULL;
}

static lh_rc sink_open(sink *s, lh_err *err)
{
    long long ms = (long long)(s->ms_base + (int64_t)s->file_no * s->ms_step);
    snprintf(s->path, s->path_cap, "%s/%s-%lld.json", s->dir, s->kind, ms);
    snprintf(s->tmp, s->path_cap, "%s/.%s-%lld.json.tmp", s->dir, s->kind, ms);
    s->fd = open(s->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (s->fd < 0)
        return lh_errf(err, LH_EIO, "cannot create %s: %s", s->tmp, strerror(errno));
    s->rows = 0;
    return LH_OK;
}

static lh_rc sink_flush(sink *s, gen *g, lh_err *err)
{
    size_t off = 0;
    while (off < s->buf.len) {
        ssize_t n = write(s->fd, s->buf.data + off, s->buf.len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return lh_errf(err, LH_EIO, "cannot write %s: %s", s->tmp, n < 0 ? strerror(errno) : "no progress");
        off += (size_t)n;
    }
    g->st.bytes += s->buf.len;
    lh_buf_reset(&s->buf);
    return LH_OK;
}

static lh_rc sink_close(sink *s, gen *g, lh_err *err)
{
    lh_rc rc = sink_flush(s, g, err);
    int fd = s->fd;
    if (rc)
        return rc; /* sink_free removes the temp file */
    s->fd = -1;
    if (close(fd) != 0) {
        rc = lh_errf(err, LH_EIO, "cannot close %s: %s", s->tmp, strerror(errno));
        (void)unlink(s->tmp);
        return rc;
    }
    if (rename(s->tmp, s->path) != 0) {
        rc = lh_errf(err, LH_EIO, "cannot rename %s to %s: %s", s->tmp, s->path, strerror(errno));
        (void)unlink(s->tmp);
        return rc;
    }
    g->st.files++;
    s->file_no++;
    return LH_OK;
}

/* Where the next row goes: at least ROW_MAX free bytes. */
static lh_rc sink_row(sink *s, gen *g, char **p, lh_err *err)
{
    lh_rc rc;
    if (s->fd < 0 && (rc = sink_open(s, err)))
        return rc;
    if (s->buf.len >= CHUNK && (rc = sink_flush(s, g, err)))
        return rc;
    *p = s->buf.data + s->buf.len;
    return LH_OK;
}

static lh_rc sink_row_done(sink *s, gen *g, char *end, lh_err *err)
{
    size_t len = (size_t)(end - s->buf.data);
    if (len - s->buf.len > ROW_MAX)
        return lh_errf(err, LH_EINTERNAL, "generated %s row longer than %zu bytes", s->kind, ROW_MAX);
    s->buf.len = len;
    if (++s->rows == ROWS_PER_FILE)
        return sink_close(s, g, err);
    return LH_OK;
}

/* ---- text helpers (no printf on the hot path) ---- */
static char *put(char *p, const char *s)
{
    size_t n = strlen(s);
    memcpy(p, s, n);
    return p + n;
}

static char *put_u64(char *p, uint64_t v)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        *p++ = tmp[--n];
    return p;
}

static char *put_email(char *p, const cust *c, uint64_t block)
{
    p = put(p, FIRST[c->first]);
    *p++ = '.';
    p = put(p, LAST[c->last]);
    if (block) /* names are letters only, so the digits make it unique */
        p = put_u64(p, block);
    return put(p, "@test.com");
}

/* Mostly -1.0/0.0/1.0 like the real data, sometimes a fraction like -0.5. */
static char *put_axis(char *p, rng *r)
{
    static const char *const UNIT[] = {"-1.0", "0.0", "1.0"};
    uint32_t k = rng_below(r, 100);
    if (k < 96)
        return put(p, UNIT[k % 3]);
    uint32_t d = 1 + rng_below(r, 9999), div = 1000;
    if (k & 1)
        *p++ = '-';
    p = put(p, "0.");
    while (d % 10 == 0) {
        d /= 10;
        div /= 10;
    }
    for (; div; div /= 10)
        *p++ = (char)('0' + (d / div) % 10);
    return p;
}

static char *put_birth(char *p, const cust *c)
{
    char tmp[16];
    int n = snprintf(tmp, sizeof tmp, "%d-%02u-%02u", c->birth_year, c->birth_month, c->birth_day);
    memcpy(p, tmp, (size_t)n);
    return p + n;
}

static void make_serial(char *out, uint64_t unique, rng *r)
{
    static const char HEX[] = "0123456789abcdef";
    char d[32];
    uint64_t rnd = rng_next(r);
    for (int i = 0; i < 12; i++) /* 48 bits of the unique value */
        d[i] = HEX[(unique >> (60 - 4 * i)) & 15];
    d[12] = '4'; /* version 4 */
    for (int i = 0; i < 3; i++) /* 12 more bits */
        d[13 + i] = HEX[(unique >> (8 - 4 * i)) & 15];
    d[16] = HEX[8 + (rnd & 3)]; /* RFC 4122 variant */
    d[17] = HEX[unique & 15];   /* the last 4 bits */
    rnd >>= 2;
    for (int i = 18; i < 32; i++) {
        d[i] = HEX[rnd & 15];
        rnd >>= 4;
    }
    int o = 0;
    for (int i = 0; i < 32; i++) {
        if (i == 8 || i == 12 || i == 16 || i == 20)
            out[o++] = '-';
        out[o++] = d[i];
    }
    out[o] = 0;
}

static uint32_t gcd32(uint32_t a, uint32_t b)
{
    while (b) {
        uint32_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* ---- building one block ---- */
static void build_block(gen *g, uint64_t block, rng *r)
{
    cust *c = g->c;
    uint16_t order[BLOCK_CUSTOMERS], cons[BLOCK_CONSENTING], others[BLOCK_OTHERS];
    uint16_t pairs[BLOCK_PAIRS], slots[SLOTS];
    uint32_t nc = 0, no = 0;
    const uint32_t M = (uint32_t)(N_FIRST * N_LAST);
    uint32_t a, b;

    memset(c, 0, sizeof *c * BLOCK_CUSTOMERS);

    /* Who consents: 482 of 956, spread over the file order. */
    for (uint32_t i = 0; i < BLOCK_CUSTOMERS; i++)
        order[i] = (uint16_t)i;
    shuffle16(r, order, BLOCK_CUSTOMERS);
    for (uint32_t i = 0; i < BLOCK_CONSENTING; i++)
        c[order[i]].consent = 1;
    for (uint32_t i = 0; i < BLOCK_CUSTOMERS; i++) {
        if (c[i].consent)
            cons[nc++] = (uint16_t)i;
        else
            others[no++] = (uint16_t)i;
    }

    /* Names: i -> (a*i + b) mod M with gcd(a, M) = 1 is injective. */
    a = 1 + rng_below(r, M - 1);
    while (gcd32(a, M) != 1)
        a = a % (M - 1) + 1;
    b = rng_below(r, M);

    for (uint32_t i = 0; i < BLOCK_CUSTOMERS; i++) {
        cust *k = &c[i];
        uint64_t gi = block * BLOCK_CUSTOMERS + i;
        int64_t t0 = READ_BASE_MS + (int64_t)gi * CUSTOMER_STRIDE_MS;
        uint32_t name = (uint32_t)(((uint64_t)a * i + b) % M);
        k->first = (uint16_t)(name / N_LAST);
        k->last = (uint16_t)(name % N_LAST);
        for (int s = 0; s < SLOTS; s++)
            k->t[s] = t0 + s * SLOT_STRIDE_MS + rng_below(r, SLOT_JITTER_MS);
        make_serial(k->serial, mix64(gi ^ g->serial_key), r);
        snprintf(k->phone, sizeof k->phone, "801555%04u", rng_below(r, 10000));
        uint32_t y = rng_below(r, 100);
        k->birth_year = (int16_t)(y < 6 ? 900 + rng_below(r, 100) : y < 30 ? 1900 + rng_below(r, 100)
                                                                            : 1000 + rng_below(r, 900));
        k->birth_month = k->birth_day = 1;
        if (rng_below(r, 5) == 0) {
            k->birth_month = (uint8_t)(1 + rng_below(r, 12));
            k->birth_day = (uint8_t)(1 + rng_below(r, 28));
        }
        /* Registration precedes the readings by up to a day. */
        k->reg = t0 - 60000 - rng_below(r, 86400000u);
        k->upd = k->reg;
        if (k->consent) {
            /* 30% consent in the middle of their readings: the rows before
             * the consent date are still trusted (as in the real data). */
            k->research = rng_below(r, 10) < 3 ? t0 + rng_below(r, (uint32_t)CUSTOMER_STRIDE_MS) : k->reg;
            k->upd = k->research;
        }
        if (rng_below(r, 10) == 0)
            k->upd += 1 + rng_below(r, 3600000u);
        if (rng_below(r, 2))
            k->pub = rng_below(r, 2) ? k->reg : k->upd;
        if (rng_below(r, 20) < 11)
            k->friends = rng_below(r, 2) ? k->reg : k->upd;
        k->total = ACCEL_BASE;
    }

    /* Pairs of consenting customers and their shared slots. */
    shuffle16(r, cons, BLOCK_CONSENTING);
    for (uint32_t p = 0; p < BLOCK_PAIRS; p++)
        pairs[p] = (uint16_t)p;
    shuffle16(r, pairs, BLOCK_PAIRS);
    for (uint32_t q = 0; q < BLOCK_PAIRS; q++) {
        uint32_t p = pairs[q], nshare = q < PAIRS_SHARING_4 ? 4 : 3;
        cust *A = &c[cons[2 * p]], *B = &c[cons[2 * p + 1]];
        for (uint32_t s = 0; s < SLOTS; s++)
            slots[s] = (uint16_t)s;
        for (uint32_t j = 0; j < nshare; j++) { /* partial Fisher-Yates */
            uint32_t m = j + rng_below(r, SLOTS - j);
            uint16_t t = slots[j];
            slots[j] = slots[m];
            slots[m] = t;
            B->t[slots[j]] = A->t[slots[j]];
            A->cnt[slots[j]] = 2;
            B->cnt[slots[j]] = 1;
            A->shared |= 1u << slots[j];
            B->shared |= 1u << slots[j];
        }
    }

    /* 11 consenting and 2 other customers get an 86th accelerometer row. */
    shuffle16(r, cons, BLOCK_CONSENTING);
    for (uint32_t i = 0; i < ACCEL_EXTRA_CONSENTING; i++)
        c[cons[i]].total++;
    shuffle16(r, others, BLOCK_OTHERS);
    for (uint32_t i = 0; i < ACCEL_EXTRA_OTHERS; i++)
        c[others[i]].total++;

    /* The rest of each customer's rows go to random non-shared slots. */
    for (uint32_t i = 0; i < BLOCK_CUSTOMERS; i++) {
        cust *k = &c[i];
        uint8_t free_slots[SLOTS];
        uint32_t nfree = 0, fixed = 0;
        for (uint32_t s = 0; s < SLOTS; s++) {
            if (k->shared & (1u << s))
                fixed += k->cnt[s];
            else
                free_slots[nfree++] = (uint8_t)s;
        }
        for (uint32_t j = fixed; j < k->total; j++)
            k->cnt[free_slots[rng_below(r, nfree)]]++;
    }
}

/* Count what the block will produce and compare with the facts. */
static lh_rc check_block(const gen *g, uint64_t block, lh_err *err)
{
    uint64_t consenting = 0, accel = 0, accel_cons = 0, shared = 0;
    for (uint32_t i = 0; i < BLOCK_CUSTOMERS; i++) {
        const cust *k = &g->c[i];
        uint64_t n = 0;
        for (int s = 0; s < SLOTS; s++)
            n += k->cnt[s];
        accel += n;
        if (k->consent) {
            consenting++;
            accel_cons += n;
            shared += (uint64_t)__builtin_popcount(k->shared);
        }
    }
    if (consenting != BLOCK_CONSENTING || accel != BLOCK_ACCEL || accel_cons != BLOCK_ACCEL_CONSENTING ||
        shared != 2 * BLOCK_SHARED)
        return lh_errf(err, LH_EINTERNAL,
                       "block %llu: built %llu consenting, %llu accelerometer rows (%llu consenting), %llu "
                       "shared slots; expected %d, %d (%d), %d",
                       (unsigned long long)block, (unsigned long long)consenting, (unsigned long long)accel,
                       (unsigned long long)accel_cons, (unsigned long long)shared, BLOCK_CONSENTING,
                       BLOCK_ACCEL, BLOCK_ACCEL_CONSENTING, 2 * BLOCK_SHARED);
    return LH_OK;
}

/* ---- writing one block ---- */
enum { K_NAME, K_EMAIL, K_PHONE, K_BIRTH, K_SERIAL, K_REG, K_UPD, K_RESEARCH, K_PUBLIC, K_FRIENDS, K_COUNT };

static char *put_customer(char *p, const cust *k, uint64_t block, rng *r)
{
    uint8_t keys[K_COUNT];
    uint32_t n = 0;
    for (uint8_t key = 0; key < K_COUNT; key++) {
        if ((key == K_RESEARCH && !k->research) || (key == K_PUBLIC && !k->pub) ||
            (key == K_FRIENDS && !k->friends))
            continue; /* absent, never null */
        keys[n++] = key;
    }
    if (rng_below(r, 6) == 0) { /* some lines list their keys in another order */
        for (uint32_t i = n; i > 1; i--) {
            uint32_t j = rng_below(r, i);
            uint8_t t = keys[i - 1];
            keys[i - 1] = keys[j];
            keys[j] = t;
        }
    }
    *p++ = '{';
    for (uint32_t i = 0; i < n; i++) {
        if (i)
            p = put(p, ", ");
        switch (keys[i]) {
        case K_NAME:
            p = put(p, "\"customerName\": \"");
            p = put(p, FIRST[k->first]);
            *p++ = ' ';
            p = put(p, LAST[k->last]);
            *p++ = '"';
            break;
        case K_EMAIL:
            p = put(p, "\"email\": \"");
            p = put_email(p, k, block);
            *p++ = '"';
            break;
        case K_PHONE:
            p = put(p, "\"phone\": \"");
            p = put(p, k->phone);
            *p++ = '"';
            break;
        case K_BIRTH:
            p = put(p, "\"birthDay\": \"");
            p = put_birth(p, k);
            *p++ = '"';
            break;
        case K_SERIAL:
            p = put(p, "\"serialNumber\": \"");
            p = put(p, k->serial);
            *p++ = '"';
            break;
        case K_REG:
            p = put_u64(put(p, "\"registrationDate\": "), (uint64_t)k->reg);
            break;
        case K_UPD:
            p = put_u64(put(p, "\"lastUpdateDate\": "), (uint64_t)k->upd);
            break;
        case K_RESEARCH:
            p = put_u64(put(p, "\"shareWithResearchAsOfDate\": "), (uint64_t)k->research);
            break;
        case K_PUBLIC:
            p = put_u64(put(p, "\"shareWithPublicAsOfDate\": "), (uint64_t)k->pub);
            break;
        default:
            p = put_u64(put(p, "\"shareWithFriendsAsOfDate\": "), (uint64_t)k->friends);
            break;
        }
    }
    return put(p, "}\n");
}

static lh_rc write_block(gen *g, uint64_t block, rng *r, lh_err *err)
{
    lh_rc rc = LH_OK;
    char *p;
    sink *sc = &g->out[OUT_CUSTOMER], *sa = &g->out[OUT_ACCEL], *ss = &g->out[OUT_STEP];

    for (uint32_t i = 0; i < BLOCK_CUSTOMERS; i++) {
        if ((rc = sink_row(sc, g, &p, err)))
            return rc;
        p = put_customer(p, &g->c[i], block, r);
        if ((rc = sink_row_done(sc, g, p, err)))
            return rc;
    }
    /* Accelerometer rows grouped by user, newest slot first, like the real files. */
    for (uint32_t i = 0; i < BLOCK_CUSTOMERS; i++) {
        const cust *k = &g->c[i];
        for (int s = SLOTS - 1; s >= 0; s--) {
            for (uint32_t j = 0; j < k->cnt[s]; j++) {
                if ((rc = sink_row(sa, g, &p, err)))
                    return rc;
                p = put_email(put(p, "{\"user\":\""), k, block);
                p = put_u64(put(p, "\",\"timestamp\":"), (uint64_t)k->t[s]);
                p = put_axis(put(p, ",\"x\":"), r);
                p = put_axis(put(p, ",\"y\":"), r);
                p = put_axis(put(p, ",\"z\":"), r);
                p = put(p, "}\n");
                if ((rc = sink_row_done(sa, g, p, err)))
                    return rc;
            }
        }
    }
    for (uint32_t i = 0; i < BLOCK_CUSTOMERS; i++) {
        const cust *k = &g->c[i];
        for (int s = SLOTS - 1; s >= 0; s--) {
            if ((rc = sink_row(ss, g, &p, err)))
                return rc;
            p = put_u64(put(p, "{\"sensorReadingTime\":"), (uint64_t)k->t[s]);
            p = put(put(p, ",\"serialNumber\":\""), k->serial);
            p = put_u64(put(p, "\",\"distanceFromObject\":"), 200 + rng_below(r, 101));
            p = put(p, "}\n");
            if ((rc = sink_row_done(ss, g, p, err)))
                return rc;
        }
    }
    g->st.customers += BLOCK_CUSTOMERS;
    g->st.consenting += BLOCK_CONSENTING;
    g->st.accel_rows += BLOCK_ACCEL;
    g->st.accel_consenting_rows += BLOCK_ACCEL_CONSENTING;
    g->st.step_rows += BLOCK_STEPS;
    g->st.cross_pairs += BLOCK_CROSS;
    return LH_OK;
}

lh_rc lh_gen_stedi(const char *out_dir, int scale, uint64_t seed, lh_gen_stats *stats, lh_err *err)
{
    lh_rc rc = LH_OK;
    gen g;
    rng r;
    static const char *const KINDS[3] = {"customer", "accelerometer", "step_trainer"};
    /* <ms> bases and steps per kind: customers first, then accelerometer,
     * then step trainer, increasing like the real upload times. */
    static const int64_t MS_BASE[3] = {FILE_MS_BASE, FILE_MS_BASE + 20, FILE_MS_BASE + 613};
    static const int64_t MS_STEP[3] = {13, 53, 47};

    memset(&g, 0, sizeof g);
    for (int i = 0; i < 3; i++) {
        g.out[i].fd = -1;
        lh_buf_init(&g.out[i].buf, CHUNK + 2 * ROW_MAX);
    }
    if (stats)
        memset(stats, 0, sizeof *stats);
    if (!out_dir || !*out_dir) {
        rc = lh_errf(err, LH_EINVAL, "generator: no output folder given");
        goto out;
    }
    if (scale < 1 || scale > MAX_SCALE) {
        rc = lh_errf(err, LH_EINVAL, "generator: scale %d is out of range; expected 1 to %d", scale, MAX_SCALE);
        goto out;
    }
    g.seed = seed;
    g.serial_key = mix64(seed ^ 0x243F6A8885A308D3ULL);
    g.c = lh_calloc(BLOCK_CUSTOMERS, sizeof *g.c);
    if (!g.c) {
        rc = lh_errf(err, LH_ENOMEM, "generator: out of memory for a block of %d customers", BLOCK_CUSTOMERS);
        goto out;
    }
    for (int i = 0; i < 3; i++)
        if ((rc = sink_init(&g.out[i], out_dir, KINDS[i], MS_BASE[i], MS_STEP[i], err)))
            goto out;
    for (uint64_t block = 0; block < (uint64_t)scale; block++) {
        rng_seed(&r, seed, block);
        build_block(&g, block, &r);
        if ((rc = check_block(&g, block, err)) || (rc = write_block(&g, block, &r, err)))
            goto out;
    }
    for (int i = 0; i < 3; i++)
        if (g.out[i].fd >= 0 && (rc = sink_close(&g.out[i], &g, err)))
            goto out;
out:
    for (int i = 0; i < 3; i++)
        sink_free(&g.out[i]);
    lh_free(g.c);
    if (stats)
        *stats = g.st;
    return rc;
}
