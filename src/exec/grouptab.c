/* exec/grouptab.c — the group hash table (see grouptab.h). */
#include "exec/grouptab.h"

#include <string.h>

#include "exec/hash.h"
#include "exec/kernels.h"

#define GTAB_MAX_GROUPS (1u << 31)

static lh_rc nomem(lh_err *err) { return lh_errf(err, LH_ENOMEM, "out of memory growing a hash table"); }

lh_rc lh_gtab_create(const lh_sqltype *types, uint32_t nkeys, lh_gtab **out, lh_err *err)
{
    lh_gtab *t;
    uint32_t k;
    *out = NULL;
    t = lh_calloc(1, sizeof *t);
    if (!t)
        return nomem(err);
    t->nkeys = nkeys;
    lh_arena_init(&t->arena, 0);
    if (nkeys) {
        t->phys = lh_calloc(nkeys, 1);
        t->width = lh_calloc(nkeys, 1);
        t->kdata = lh_calloc(nkeys, sizeof *t->kdata);
        t->knull = lh_calloc(nkeys, sizeof *t->knull);
        if (!t->phys || !t->width || !t->kdata || !t->knull) {
            lh_gtab_free(t);
            return nomem(err);
        }
        for (k = 0; k < nkeys; k++) {
            t->phys[k] = (uint8_t)lh_phys_of(types[k]);
            t->width[k] = (uint8_t)lh_phys_width((lh_phys)t->phys[k]);
        }
    }
    t->bytes = sizeof *t;
    *out = t;
    return LH_OK;
}

void lh_gtab_free(lh_gtab *t)
{
    uint32_t k;
    if (!t)
        return;
    for (k = 0; k < t->nkeys; k++) {
        if (t->kdata)
            lh_free(t->kdata[k]);
        if (t->knull)
            lh_free(t->knull[k]);
    }
    lh_free(t->kdata);
    lh_free(t->knull);
    lh_free(t->phys);
    lh_free(t->width);
    lh_free(t->ghash);
    lh_free(t->slots);
    lh_arena_free(&t->arena);
    lh_free(t);
}

/* Room for `need` groups in the per-group arrays. */
static lh_rc grow_groups(lh_gtab *t, uint64_t need, lh_err *err)
{
    uint32_t k, ncap;
    if (need <= t->gcap)
        return LH_OK;
    if (need > GTAB_MAX_GROUPS)
        return lh_errf(err, LH_ELIMIT, "more than %u groups in one hash table", GTAB_MAX_GROUPS);
    ncap = t->gcap ? t->gcap : 1024;
    while (ncap < need)
        ncap *= 2;
    {
        uint64_t *h = lh_realloc(t->ghash, (size_t)ncap * sizeof *h);
        if (!h)
            return nomem(err);
        t->ghash = h;
    }
    t->bytes += (size_t)(ncap - t->gcap) * sizeof(uint64_t);
    for (k = 0; k < t->nkeys; k++) {
        char *d = lh_realloc(t->kdata[k], (size_t)ncap * t->width[k]);
        uint8_t *nl;
        if (!d)
            return nomem(err);
        t->kdata[k] = d;
        nl = lh_realloc(t->knull[k], ncap);
        if (!nl)
            return nomem(err);
        t->knull[k] = nl;
        t->bytes += (size_t)(ncap - t->gcap) * (t->width[k] + 1u);
    }
    t->gcap = ncap;
    return LH_OK;
}

size_t lh_gtab_grow_bytes(const lh_gtab *t, uint32_t rows)
{
    uint64_t need = (uint64_t)t->ngroups + rows, gc = t->gcap, sc = t->scap;
    size_t per = sizeof(uint64_t), b = 0;
    uint32_t k;
    if (t->nkeys == 0 || need > GTAB_MAX_GROUPS)
        return 0;
    for (k = 0; k < t->nkeys; k++)
        per += t->width[k] + 1u;
    if (need > gc) {
        uint64_t nc = gc ? gc : 1024;
        while (nc < need)
            nc *= 2;
        b += (size_t)(nc - gc) * per;
    }
    if (sc < 2 * need) {
        uint64_t nc = sc ? sc : 2048;
        while (nc < 2 * need)
            nc *= 2;
        b += (size_t)(nc - sc) * sizeof(uint32_t);
    }
    return b;
}

/* Slot array of at least 2 * need entries, rehashing the groups. */
static lh_rc grow_slots(lh_gtab *t, uint64_t need, lh_err *err)
{
    uint32_t ncap, g, mask, *s;
    if ((uint64_t)t->scap >= 2 * need)
        return LH_OK;
    ncap = t->scap ? t->scap : 2048;
    while ((uint64_t)ncap < 2 * need)
        ncap *= 2;
    s = lh_calloc(ncap, sizeof *s);
    if (!s)
        return nomem(err);
    mask = ncap - 1;
    for (g = 0; g < t->ngroups; g++) {
        uint32_t i = (uint32_t)t->ghash[g] & mask;
        while (s[i])
            i = (i + 1) & mask;
        s[i] = g + 1;
    }
    t->bytes += (size_t)(ncap - t->scap) * sizeof *s;
    lh_free(t->slots);
    t->slots = s;
    t->scap = ncap;
    return LH_OK;
}

/* Append the keys of input row r as group ngroups. */
static lh_rc new_group(lh_gtab *t, lh_vector **keys, uint32_t r, uint64_t h, uint32_t *g_out, lh_err *err)
{
    uint32_t g = t->ngroups, k;
    for (k = 0; k < t->nkeys; k++) {
        const lh_vector *v = keys[k];
        uint32_t pr = v->kind == LH_VEC_CONST ? 0 : r, w = t->width[k];
        char *dst = t->kdata[k] + (size_t)g * w;
        if (v->phys == LH_P_NONE || !lh_vector_is_valid(v, pr)) {
            t->knull[k][g] = 1;
            memset(dst, 0, w);
            continue;
        }
        t->knull[k][g] = 0;
        memcpy(dst, (const char *)v->data + (size_t)pr * w, w);
        if (t->phys[k] == LH_P_STR) {
            lh_str *s = (lh_str *)dst;
            uint32_t n = lh_str_len(s);
            if (n > LH_STR_INLINE) {
                char *p = lh_arena_alloc(&t->arena, n);
                if (!p)
                    return lh_errf(err, LH_ENOMEM, "out of memory copying a group key of %u bytes", n);
                memcpy(p, s->out.ptr, n);
                s->out.ptr = p;
                t->bytes += n;
            }
        }
    }
    t->ghash[g] = h;
    t->ngroups++;
    *g_out = g;
    return LH_OK;
}

static inline int f64_same(double a, double b) { return a == b || (a != a && b != b); }

/* match[r] &= (key k of group gids[r]) IS NOT DISTINCT FROM (row r of v), over cand[0..nc). */
#define CMP_LOOP(T, EQ)                                                                                               \
    do {                                                                                                              \
        const T *kd_ = (const T *)(const void *)t->kdata[k];                                                          \
        const T *vd_ = (const T *)v->data;                                                                            \
        for (uint32_t j_ = 0; j_ < nc; j_++) {                                                                        \
            uint32_t r_ = t->cand[j_], g_ = gids[r_], pr_ = r_ & m;                                                   \
            int vn_ = nulls && !lh_vector_is_valid(v, pr_), gn_ = kn[g_];                                             \
            t->match[r_] &= vn_ ? gn_ : (!gn_ && EQ(kd_[g_], vd_[pr_]));                                               \
        }                                                                                                             \
    } while (0)

#define EQ_PLAIN(a, b) ((a) == (b))
#define EQ_F(a, b) f64_same((a), (b))
#define EQ_TSTZ(a, b) ((a).utc_us == (b).utc_us)
#define EQ_STR(a, b) lh_str_eq(&(a), &(b))

static void compare_keys(lh_gtab *t, lh_vector **keys, uint32_t nc, const uint32_t *gids)
{
    uint32_t k;
    for (k = 0; k < t->nkeys; k++) {
        lh_vector *v = keys[k];
        const uint8_t *kn = t->knull[k];
        uint32_t m = v->kind == LH_VEC_CONST ? 0 : 0xffffffffu;
        int nulls = v->may_null;
        switch (v->phys) {
        case LH_P_U8:
        case LH_P_I8:
            CMP_LOOP(uint8_t, EQ_PLAIN);
            break;
        case LH_P_I16:
            CMP_LOOP(int16_t, EQ_PLAIN);
            break;
        case LH_P_I32:
            CMP_LOOP(int32_t, EQ_PLAIN);
            break;
        case LH_P_I64:
            CMP_LOOP(int64_t, EQ_PLAIN);
            break;
        case LH_P_I128:
            CMP_LOOP(lh_i128, EQ_PLAIN);
            break;
        case LH_P_F32:
            CMP_LOOP(float, EQ_F);
            break;
        case LH_P_F64:
            CMP_LOOP(double, EQ_F);
            break;
        case LH_P_TSTZ:
            CMP_LOOP(lh_tstz, EQ_TSTZ);
            break;
        case LH_P_STR:
            CMP_LOOP(lh_str, EQ_STR);
            break;
        default: /* unknown: every value NULL, every group's key NULL */
            break;
        }
    }
}

lh_rc lh_gtab_lookup(lh_gtab *t, lh_vector **keys, lh_rows rows, int insert, uint32_t *gids, uint8_t *is_new,
                     lh_err *err)
{
    lh_rc rc;
    uint32_t i, np, mask;
    if (rows.n == 0)
        return LH_OK;
    if (t->nkeys == 0) {
        int created = 0;
        if (t->ngroups == 0 && insert) {
            uint32_t g;
            if ((rc = grow_groups(t, 1, err)) || (rc = new_group(t, keys, 0, 0, &g, err)))
                return rc;
            created = 1;
        }
        for (i = 0; i < rows.n; i++) {
            uint32_t r = rows.sel ? rows.sel[i] : i;
            gids[r] = t->ngroups ? 0 : LH_GTAB_NONE;
            if (is_new)
                is_new[r] = (uint8_t)(created && i == 0);
        }
        return LH_OK;
    }
    if (insert && ((rc = grow_groups(t, (uint64_t)t->ngroups + rows.n, err)) ||
                   (rc = grow_slots(t, (uint64_t)t->ngroups + rows.n, err))))
        return rc;
    if (!t->scap && (rc = grow_slots(t, 1, err)))
        return rc;
    if ((rc = lh_hash_columns(keys, t->nkeys, rows, t->hashes, err)))
        return rc;
    mask = t->scap - 1;
    for (i = 0; i < rows.n; i++) {
        uint32_t r = rows.sel ? rows.sel[i] : i;
        t->slot[r] = (uint32_t)t->hashes[r] & mask;
        t->pend[i] = (uint16_t)r;
        if (is_new)
            is_new[r] = 0;
    }
    np = rows.n;
    while (np) {
        uint32_t nnp = 0, nc = 0, j;
        for (j = 0; j < np; j++) {
            uint32_t r = t->pend[j], s = t->slot[r], e = t->slots[s];
            if (!e) {
                if (insert) {
                    uint32_t g;
                    if ((rc = new_group(t, keys, r, t->hashes[r], &g, err)))
                        return rc;
                    t->slots[s] = g + 1;
                    gids[r] = g;
                    if (is_new)
                        is_new[r] = 1;
                } else {
                    gids[r] = LH_GTAB_NONE;
                }
            } else if (t->ghash[e - 1] == t->hashes[r]) {
                gids[r] = e - 1;
                t->match[r] = 1;
                t->cand[nc++] = (uint16_t)r;
            } else {
                t->slot[r] = (s + 1) & mask;
                t->pend[nnp++] = (uint16_t)r;
            }
        }
        if (nc) {
            compare_keys(t, keys, nc, gids);
            for (j = 0; j < nc; j++) {
                uint32_t r = t->cand[j];
                if (!t->match[r]) {
                    t->slot[r] = (t->slot[r] + 1) & mask;
                    t->pend[nnp++] = (uint16_t)r;
                }
            }
        }
        np = nnp;
    }
    return LH_OK;
}

static void emit_nulls(lh_vector *o, const uint8_t *kn, uint32_t n)
{
    uint32_t i;
    for (i = 0; i < n; i++)
        if (kn[i])
            lh_vector_set_null(o, i);
}

void lh_gtab_emit(const lh_gtab *t, uint32_t g0, uint32_t n, lh_vector **out)
{
    uint32_t k;
    for (k = 0; k < t->nkeys; k++) {
        lh_vector *o = out[k];
        uint32_t w = t->width[k];
        if (n)
            memcpy(o->data, t->kdata[k] + (size_t)g0 * w, (size_t)n * w);
        emit_nulls(o, t->knull[k] + g0, n);
    }
}

void lh_gtab_emit_row(const lh_gtab *t, uint32_t g, lh_vector **out, uint32_t r)
{
    uint32_t k;
    for (k = 0; k < t->nkeys; k++) {
        lh_vector *o = out[k];
        uint32_t w = t->width[k];
        memcpy((char *)o->data + (size_t)r * w, t->kdata[k] + (size_t)g * w, w);
        if (t->knull[k][g])
            lh_vector_set_null(o, r);
    }
}
