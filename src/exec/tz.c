/* exec/tz.c — a TZif (RFC 8536) reader and the zone registry. */
#include "exec/tz.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/mem.h"

#define TZIF_MAX_BYTES (1 << 20)

typedef struct rule_end {
    int month, week, dow; /* Mm.w.d */
    int jday;             /* Jn (1..365, no Feb 29) when > 0 */
    int nday;             /* n (0..365, counts Feb 29) when >= 0 and jday == 0 && month == 0 */
    int32_t time;         /* seconds after local midnight (may be negative or > 24h) */
} rule_end;

typedef struct zone_data {
    char name[LH_ZONE_NAME_MAX];
    size_t ntrans;
    int64_t *trans;   /* transition instants, UTC seconds, ascending */
    int32_t *off;     /* offset in force from trans[i] on */
    int32_t off0;     /* offset before the first transition */
    int has_rule, rule_dst;
    int32_t std_off, dst_off; /* seconds east */
    rule_end start, end;
} zone_data;

static zone_data *g_zones[LH_ZONE_MAX_NAMED + 1]; /* index = key; 0 unused (UTC) */
static int g_nzones;                              /* published count, atomic */
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;

/* ---- calendar (local copy: tz sits below datetime) ---- */

static int64_t days_from_civil(int64_t y, int m, int d)
{
    int64_t era, yoe, doy, doe;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int64_t floordiv(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

static int64_t year_of_seconds(int64_t s)
{
    int64_t z = floordiv(s, 86400) + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097, yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    return yoe + era * 400 + (m <= 2);
}

/* Local seconds (since the epoch, in local time) of a rule's moment in year y. */
static int64_t rule_local(const rule_end *r, int64_t y)
{
    int64_t day;
    if (r->month) {
        int64_t first = days_from_civil(y, r->month, 1);
        int dow_first = (int)((first % 7 + 11) % 7); /* 1970-01-01 was a Thursday (4) */
        int d = 1 + (r->dow - dow_first + 7) % 7 + (r->week - 1) * 7;
        int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        int dim = mdays[r->month - 1] + (r->month == 2 && is_leap(y));
        while (d > dim)
            d -= 7;
        day = first + d - 1;
    } else if (r->jday) {
        day = days_from_civil(y, 1, 1) + r->jday - 1 + (is_leap(y) && r->jday >= 60);
    } else {
        day = days_from_civil(y, 1, 1) + r->nday;
    }
    return day * 86400 + r->time;
}

static int32_t rule_offset(const zone_data *z, int64_t utc)
{
    int64_t y, s, e;
    if (!z->rule_dst)
        return z->std_off;
    y = year_of_seconds(utc + z->std_off);
    s = rule_local(&z->start, y) - z->std_off; /* start is given in standard time */
    e = rule_local(&z->end, y) - z->dst_off;   /* end is given in daylight time */
    if (s < e)
        return (utc >= s && utc < e) ? z->dst_off : z->std_off;
    return (utc >= e && utc < s) ? z->std_off : z->dst_off; /* southern hemisphere */
}

/* ---- POSIX TZ string (the TZif footer) ---- */

static const char *posix_name(const char *p)
{
    if (*p == '<') {
        while (*p && *p != '>')
            p++;
        return *p ? p + 1 : NULL;
    }
    while (isalpha((unsigned char)*p))
        p++;
    return p;
}

/* [+-]hh[:mm[:ss]] -> seconds; returns the end or NULL. */
static const char *posix_time(const char *p, int32_t *out)
{
    int neg = 0, h = 0, m = 0, s = 0;
    if (*p == '+' || *p == '-')
        neg = *p++ == '-';
    if (!isdigit((unsigned char)*p))
        return NULL;
    while (isdigit((unsigned char)*p))
        h = h * 10 + (*p++ - '0');
    if (*p == ':') {
        p++;
        while (isdigit((unsigned char)*p))
            m = m * 10 + (*p++ - '0');
        if (*p == ':') {
            p++;
            while (isdigit((unsigned char)*p))
                s = s * 10 + (*p++ - '0');
        }
    }
    if (h > 167)
        return NULL;
    *out = (int32_t)((h * 3600 + m * 60 + s) * (neg ? -1 : 1));
    return p;
}

static const char *posix_rule(const char *p, rule_end *r)
{
    memset(r, 0, sizeof *r);
    r->time = 7200;
    if (*p == 'M') {
        p++;
        r->month = (int)strtol(p, (char **)&p, 10);
        if (*p++ != '.')
            return NULL;
        r->week = (int)strtol(p, (char **)&p, 10);
        if (*p++ != '.')
            return NULL;
        r->dow = (int)strtol(p, (char **)&p, 10);
        if (r->month < 1 || r->month > 12 || r->week < 1 || r->week > 5 || r->dow < 0 || r->dow > 6)
            return NULL;
    } else if (*p == 'J') {
        p++;
        r->jday = (int)strtol(p, (char **)&p, 10);
        if (r->jday < 1 || r->jday > 365)
            return NULL;
    } else if (isdigit((unsigned char)*p)) {
        r->nday = (int)strtol(p, (char **)&p, 10);
        if (r->nday > 365)
            return NULL;
    } else
        return NULL;
    if (*p == '/') {
        p = posix_time(p + 1, &r->time);
        if (!p)
            return NULL;
    }
    return p;
}

/* Parse "STD off [DST [off] [,start[/time],end[/time]]]"; 0 ok. */
static int parse_posix(zone_data *z, const char *p)
{
    int32_t o;
    p = posix_name(p);
    if (!p || !(p = posix_time(p, &o)))
        return -1;
    z->std_off = -o; /* POSIX offsets are west-positive */
    z->has_rule = 1;
    if (!*p)
        return 0;
    p = posix_name(p);
    if (!p)
        return -1;
    z->dst_off = z->std_off + 3600;
    if (*p && *p != ',') {
        if (!(p = posix_time(p, &o)))
            return -1;
        z->dst_off = -o;
    }
    if (*p != ',')
        return -1; /* DST without rules: not used by tzdata */
    if (!(p = posix_rule(p + 1, &z->start)) || *p != ',' || !(p = posix_rule(p + 1, &z->end)))
        return -1;
    z->rule_dst = 1;
    return *p ? -1 : 0;
}

/* ---- TZif ---- */

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
    return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

/* 0 ok, -1 malformed, -2 out of memory. */
static int parse_tzif(zone_data *z, const unsigned char *b, size_t n)
{
    size_t cnt[6], off = 0, v1, i, need;
    const unsigned char *h, *d, *types, *tt;
    int ver;
    if (n < 44 || memcmp(b, "TZif", 4) != 0)
        return -1;
    ver = b[4];
    for (i = 0; i < 6; i++)
        cnt[i] = be32(b + 20 + 4 * i); /* isut, isstd, leap, time, type, char */
    v1 = 44 + cnt[3] * 5 + cnt[4] * 6 + cnt[5] + cnt[2] * 8 + cnt[1] + cnt[0];
    if (ver < '2') { /* version 1 only: 32-bit data */
        return -1;   /* tzdata has shipped v2+ since 2005; refusing is simpler than two code paths */
    }
    if (v1 + 44 > n)
        return -1;
    h = b + v1;
    if (memcmp(h, "TZif", 4) != 0)
        return -1;
    for (i = 0; i < 6; i++)
        cnt[i] = be32(h + 20 + 4 * i);
    if (cnt[4] == 0 || cnt[4] > 256 || cnt[3] > 100000)
        return -1;
    d = h + 44;
    need = cnt[3] * 9 + cnt[4] * 6 + cnt[5] + cnt[2] * 12 + cnt[1] + cnt[0];
    if ((size_t)(d - b) + need > n)
        return -1;
    types = d + cnt[3] * 8;
    tt = types + cnt[3];
    z->ntrans = cnt[3];
    if (cnt[3]) {
        z->trans = lh_malloc(cnt[3] * sizeof *z->trans);
        z->off = lh_malloc(cnt[3] * sizeof *z->off);
        if (!z->trans || !z->off)
            return -2;
    }
    for (i = 0; i < cnt[3]; i++) {
        unsigned t = types[i];
        if (t >= cnt[4])
            return -1;
        z->trans[i] = be64(d + 8 * i);
        z->off[i] = (int32_t)be32(tt + 6 * t);
        if (i && z->trans[i] <= z->trans[i - 1])
            return -1;
    }
    /* RFC 8536: before the first transition, type 0 applies */
    z->off0 = (int32_t)be32(tt);
    off = (size_t)(d - b) + need;
    if (off < n && b[off] == '\n') {
        const unsigned char *e = memchr(b + off + 1, '\n', n - off - 1);
        char foot[128];
        size_t fl = e ? (size_t)(e - (b + off + 1)) : 0;
        if (e && fl > 0 && fl < sizeof foot) {
            memcpy(foot, b + off + 1, fl);
            foot[fl] = 0;
            if (parse_posix(z, foot) != 0) {
                z->has_rule = 0;
                z->rule_dst = 0;
            }
        }
    }
    return 0;
}

static void zone_free(zone_data *z)
{
    if (z) {
        lh_free(z->trans);
        lh_free(z->off);
        lh_free(z);
    }
}

static int safe_name(const char *s, size_t n)
{
    size_t i;
    if (n == 0 || n >= LH_ZONE_NAME_MAX - 1 || s[0] == '/' || s[0] == '.')
        return 0;
    for (i = 0; i < n; i++) {
        char c = s[i];
        if (!(isalnum((unsigned char)c) || c == '/' || c == '_' || c == '-' || c == '+'))
            return 0;
        if (c == '/' && i + 1 < n && s[i + 1] == '.')
            return 0;
    }
    return 1;
}

static lh_rc load_zone(const char *name, size_t n, zone_data **out, lh_err *err)
{
    const char *dir = getenv("TZDIR");
    char path[4096];
    FILE *f = NULL;
    unsigned char *buf = NULL;
    size_t len = 0;
    zone_data *z = NULL;
    lh_rc rc = LH_OK;
    int r;
    snprintf(path, sizeof path, "%s/%.*s", dir && *dir ? dir : "/usr/share/zoneinfo", (int)n, name);
    f = fopen(path, "rb");
    if (!f) {
        rc = lh_errf(err, LH_EDATA, "Time zone not supported: %.*s", (int)n, name);
        goto out;
    }
    {
        long sz;
        if (fseek(f, 0, SEEK_END) != 0 || (sz = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0 || sz > TZIF_MAX_BYTES) {
            rc = lh_errf(err, LH_EDATA, "Time zone not supported: %.*s (%s is not a TZif file)", (int)n, name, path);
            goto out;
        }
        len = (size_t)sz;
    }
    buf = lh_malloc(len ? len : 1);
    z = lh_calloc(1, sizeof *z);
    if (!buf || !z) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory loading time zone %.*s", (int)n, name);
        goto out;
    }
    len = fread(buf, 1, len, f);
    r = parse_tzif(z, buf, len);
    if (r == -2) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory loading time zone %.*s", (int)n, name);
        goto out;
    }
    if (r != 0) {
        rc = lh_errf(err, LH_EDATA, "Time zone not supported: %.*s (%s is not a TZif file)", (int)n, name, path);
        goto out;
    }
    memcpy(z->name, name, n);
    z->name[n] = 0;
    *out = z;
    z = NULL;
out:
    if (f)
        fclose(f);
    lh_free(buf);
    zone_free(z);
    return rc;
}

static int is_utc_alias(const char *s, size_t n)
{
    static const char *const a[] = {"UTC",     "Z",       "GMT",     "UT",        "UCT",      "Zulu",     "Universal",
                                    "Etc/UTC", "Etc/GMT", "Etc/UCT", "Etc/Zulu", "Etc/Universal", "GMT0", "Etc/GMT0",
                                    "Etc/GMT+0", "Etc/GMT-0", "Greenwich", "Etc/Greenwich"};
    size_t i;
    for (i = 0; i < sizeof a / sizeof a[0]; i++)
        if (strlen(a[i]) == n && strncasecmp(a[i], s, n) == 0)
            return 1;
    return 0;
}

/* [+-]H[H][[:]MM] -> minutes; 0 ok.  Also UTC+8, GMT-08:30, UT+5 (the
 * offset after the prefix, as Trino's TimeZoneKey normalizes them) and
 * Etc/GMT+8 (POSIX's inverted sign: 8 hours west, -08:00). */
static int parse_fixed(const char *s, size_t n, int *minutes)
{
    int h, m = 0, neg, invert = 0;
    if (n > 4 && strncasecmp(s, "Etc/", 4) == 0)
        s += 4, n -= 4, invert = 1;
    if (n > 3 && (s[3] == '+' || s[3] == '-') &&
        (strncasecmp(s, "UTC", 3) == 0 || strncasecmp(s, "GMT", 3) == 0 || strncasecmp(s, "UCT", 3) == 0))
        s += 3, n -= 3;
    else if (n > 2 && (s[2] == '+' || s[2] == '-') && strncasecmp(s, "UT", 2) == 0)
        s += 2, n -= 2;
    else if (invert)
        return -1; /* Etc/ names other than offsets are files */
    if (n < 2 || (s[0] != '+' && s[0] != '-'))
        return -1;
    neg = (s[0] == '-') != invert;
    s++, n--;
    if (n < 1 || !isdigit((unsigned char)s[0]))
        return -1;
    if (n >= 2 && isdigit((unsigned char)s[1]) && !(n == 3)) { /* "+8" and "+830" have a one-digit hour */
        h = (s[0] - '0') * 10 + (s[1] - '0');
        s += 2, n -= 2;
    } else {
        h = s[0] - '0';
        s++, n--;
    }
    if (n > 0 && *s == ':')
        s++, n--;
    if (n == 2 && isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]))
        m = (s[0] - '0') * 10 + (s[1] - '0');
    else if (n != 0)
        return -1;
    if (m > 59 || h * 60 + m > 14 * 60)
        return -1;
    *minutes = (h * 60 + m) * (neg ? -1 : 1);
    return 0;
}

lh_rc lh_zone_lookup(const char *name, size_t n, lh_zone *out, lh_err *err)
{
    int i, cnt, fixed;
    zone_data *z = NULL;
    lh_rc rc;
    if (is_utc_alias(name, n)) {
        *out = LH_ZONE_UTC;
        return LH_OK;
    }
    if (parse_fixed(name, n, &fixed) == 0) {
        *out = fixed == 0 ? LH_ZONE_UTC : LH_ZONE_FIXED(fixed);
        return LH_OK;
    }
    if (!safe_name(name, n))
        return lh_errf(err, LH_EDATA, "Time zone not supported: %.*s", (int)n, name);
    cnt = __atomic_load_n(&g_nzones, __ATOMIC_ACQUIRE);
    for (i = 1; i <= cnt; i++)
        if (strlen(g_zones[i]->name) == n && memcmp(g_zones[i]->name, name, n) == 0) {
            *out = i;
            return LH_OK;
        }
    pthread_mutex_lock(&g_lock);
    cnt = g_nzones;
    for (i = 1; i <= cnt; i++)
        if (strlen(g_zones[i]->name) == n && memcmp(g_zones[i]->name, name, n) == 0) {
            *out = i;
            rc = LH_OK;
            goto out;
        }
    if (cnt >= LH_ZONE_MAX_NAMED) {
        rc = lh_errf(err, LH_ELIMIT, "too many time zones in use (%d)", LH_ZONE_MAX_NAMED);
        goto out;
    }
    rc = load_zone(name, n, &z, err);
    if (rc)
        goto out;
    g_zones[cnt + 1] = z;
    __atomic_store_n(&g_nzones, cnt + 1, __ATOMIC_RELEASE);
    *out = cnt + 1;
out:
    pthread_mutex_unlock(&g_lock);
    return rc;
}

static const zone_data *zone_get(lh_zone z)
{
    if (z <= 0 || z > __atomic_load_n(&g_nzones, __ATOMIC_ACQUIRE))
        return NULL;
    return g_zones[z];
}

const char *lh_zone_name(lh_zone z, char *buf, size_t bufsz)
{
    const zone_data *d;
    if (z >= LH_ZONE_FIXED_BASE) {
        int m = z - LH_ZONE_FIXED_BASE - 1000, a = m < 0 ? -m : m;
        snprintf(buf, bufsz, "%c%02d:%02d", m < 0 ? '-' : '+', a / 60, a % 60);
    } else if ((d = zone_get(z)) != NULL)
        snprintf(buf, bufsz, "%s", d->name);
    else
        snprintf(buf, bufsz, "UTC");
    return buf;
}

int32_t lh_zone_offset(lh_zone z, int64_t utc)
{
    const zone_data *d;
    size_t lo, hi;
    if (z >= LH_ZONE_FIXED_BASE)
        return (int32_t)((z - LH_ZONE_FIXED_BASE - 1000) * 60);
    d = zone_get(z);
    if (!d)
        return 0;
    if (d->ntrans == 0)
        return d->has_rule ? rule_offset(d, utc) : d->off0;
    if (utc < d->trans[0])
        return d->off0;
    if (utc >= d->trans[d->ntrans - 1] && d->has_rule)
        return rule_offset(d, utc);
    lo = 0;
    hi = d->ntrans; /* find the last trans <= utc */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (d->trans[mid] <= utc)
            lo = mid;
        else
            hi = mid;
    }
    return d->off[lo];
}

int64_t lh_zone_local_to_utc(lh_zone z, int64_t local)
{
    int32_t before, after;
    int64_t t1, t2;
    int ok1, ok2;
    if (z == LH_ZONE_UTC)
        return local;
    before = lh_zone_offset(z, local - 86400 - 14 * 3600);
    after = lh_zone_offset(z, local + 86400 + 14 * 3600);
    t1 = local - before;
    t2 = local - after;
    ok1 = lh_zone_offset(z, t1) == before;
    ok2 = lh_zone_offset(z, t2) == after;
    if (ok1 && ok2)
        return t1 < t2 ? t1 : t2; /* overlap: the earlier instant */
    if (ok1)
        return t1;
    if (ok2)
        return t2;
    {
        /* A gap, or the two neighbours are not the offsets in force here
         * (several transitions within two days): try the offset at the
         * local time read as UTC, then fall back to the offset before. */
        int32_t o = lh_zone_offset(z, local);
        if (lh_zone_offset(z, local - o) == o)
            return local - o;
        return t1;
    }
}
