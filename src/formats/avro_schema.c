/* formats/avro_schema.c — Avro schema JSON: parse (jansson), validate,
 * print back with the attributes it did not interpret. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "formats/avro_int.h"

struct lh_avro_schema {
    lh_avro_node *root;
    lh_avro_node **all; /* every node, for free */
    size_t nall, capall;
    lh_avro_node **named;
    size_t nnamed, capnamed;
};

typedef struct pctx {
    lh_avro_schema *s;
    lh_err *err;
    char path[512];
} pctx;

static const char *const type_names[] = {"null", "boolean", "int", "long", "float", "double", "bytes",
                                         "string", "record", "enum", "array", "map", "union", "fixed"};

const char *lh_avro_type_name(lh_avro_type t)
{
    return (unsigned)t < sizeof type_names / sizeof *type_names ? type_names[t] : "?";
}

static const char *const lt_names[] = {NULL, "decimal", "date", "time-millis", "time-micros",
                                       "timestamp-millis", "timestamp-micros", "local-timestamp-millis",
                                       "local-timestamp-micros", "uuid"};

static lh_rc perr(pctx *c, const char *fmt, const char *a)
{
    char m[600];
    snprintf(m, sizeof m, fmt, a ? a : "");
    return lh_errf(c->err, LH_EPARSE, "avro schema: %s: %s", c->path[0] ? c->path : "<root>", m);
}

static size_t path_push(pctx *c, const char *seg)
{
    size_t old = strlen(c->path);
    snprintf(c->path + old, sizeof c->path - old, "%s%s", old ? "." : "", seg);
    return old;
}

static lh_rc node_new(pctx *c, lh_avro_type t, lh_avro_node **out)
{
    lh_avro_node *n;
    if (c->s->nall == c->s->capall) {
        size_t nc = c->s->capall ? c->s->capall * 2 : 16;
        lh_avro_node **a = lh_realloc(c->s->all, nc * sizeof *a);
        if (!a)
            return lh_errf(c->err, LH_ENOMEM, "avro schema: out of memory");
        c->s->all = a;
        c->s->capall = nc;
    }
    n = lh_calloc(1, sizeof *n);
    if (!n)
        return lh_errf(c->err, LH_ENOMEM, "avro schema: out of memory");
    n->type = t;
    n->null_branch = -1;
    c->s->all[c->s->nall++] = n;
    *out = n;
    return LH_OK;
}

static void node_free(lh_avro_node *n)
{
    size_t i;
    for (i = 0; i < n->n; i++) {
        if (n->names)
            lh_free(n->names[i]);
        if (n->fattr && n->fattr[i])
            json_decref(n->fattr[i]);
    }
    lh_free(n->names);
    lh_free(n->fattr);
    lh_free(n->kids);
    lh_free(n->name);
    if (n->attr)
        json_decref(n->attr);
    lh_free(n);
}

void lh_avro_schema_free(lh_avro_schema *s)
{
    size_t i;
    if (!s)
        return;
    for (i = 0; i < s->nall; i++)
        node_free(s->all[i]);
    lh_free(s->all);
    lh_free(s->named);
    lh_free(s);
}

static int prim_type(const char *t)
{
    int i;
    for (i = 0; i <= LH_AVRO_STRING; i++)
        if (!strcmp(t, type_names[i]))
            return i;
    return -1;
}

static int name_part_ok(const char *p, size_t n)
{
    size_t i;
    if (n == 0 || !((p[0] >= 'A' && p[0] <= 'Z') || (p[0] >= 'a' && p[0] <= 'z') || p[0] == '_'))
        return 0;
    for (i = 1; i < n; i++)
        if (!((p[i] >= 'A' && p[i] <= 'Z') || (p[i] >= 'a' && p[i] <= 'z') || (p[i] >= '0' && p[i] <= '9') ||
              p[i] == '_'))
            return 0;
    return 1;
}

static int fullname_ok(const char *s)
{
    const char *d;
    while ((d = strchr(s, '.'))) {
        if (!name_part_ok(s, (size_t)(d - s)))
            return 0;
        s = d + 1;
    }
    return name_part_ok(s, strlen(s));
}

static lh_avro_node *find_named(const lh_avro_schema *s, const char *full)
{
    size_t i;
    for (i = 0; i < s->nnamed; i++)
        if (!strcmp(s->named[i]->name, full))
            return s->named[i];
    return NULL;
}

/* attrs of o other than the listed keys, as a new object (or NULL if none) */
static lh_rc other_attrs(pctx *c, json_t *o, const char *const *skip, json_t **out)
{
    const char *k;
    json_t *v;
    json_t *r = NULL;
    *out = NULL;
    json_object_foreach(o, k, v) {
        const char *const *s;
        int known = 0;
        for (s = skip; *s; s++)
            if (!strcmp(*s, k))
                known = 1;
        if (known)
            continue;
        if (!r && !(r = json_object()))
            return lh_errf(c->err, LH_ENOMEM, "avro schema: out of memory");
        if (json_object_set(r, k, v)) {
            json_decref(r);
            return lh_errf(c->err, LH_ENOMEM, "avro schema: out of memory");
        }
    }
    *out = r;
    return LH_OK;
}

static lh_rc parse_node(pctx *c, json_t *j, const char *ns, int depth, lh_avro_node **out);

static lh_rc named_register(pctx *c, lh_avro_node *n, json_t *o, const char *ns, char **own_ns)
{
    json_t *jn = json_object_get(o, "name"), *jns = json_object_get(o, "namespace");
    const char *name, *space;
    *own_ns = NULL;
    if (!json_is_string(jn))
        return perr(c, "a %s needs a string \"name\"", lh_avro_type_name(n->type));
    name = json_string_value(jn);
    if (!fullname_ok(name))
        return perr(c, "bad name \"%s\" (want [A-Za-z_][A-Za-z0-9_]* parts joined by dots)", name);
    if (strchr(name, '.')) {
        n->name = lh_strdup(name);
    } else {
        space = json_is_string(jns) ? json_string_value(jns) : ns;
        if (jns && !json_is_string(jns) && !json_is_null(jns))
            return perr(c, "\"namespace\" must be a string%s", NULL);
        if (space && space[0] && !fullname_ok(space))
            return perr(c, "bad namespace \"%s\"", space);
        n->name = space && space[0] ? lh_aprintf("%s.%s", space, name) : lh_strdup(name);
    }
    if (!n->name)
        return lh_errf(c->err, LH_ENOMEM, "avro schema: out of memory");
    {
        const char *last = strrchr(n->name, '.');
        if (prim_type(last ? last + 1 : n->name) >= 0)
            return perr(c, "name \"%s\" is a primitive type's name", n->name);
    }
    if (find_named(c->s, n->name))
        return perr(c, "type \"%s\" is defined twice", n->name);
    if (c->s->nnamed == c->s->capnamed) {
        size_t nc = c->s->capnamed ? c->s->capnamed * 2 : 8;
        lh_avro_node **a = lh_realloc(c->s->named, nc * sizeof *a);
        if (!a)
            return lh_errf(c->err, LH_ENOMEM, "avro schema: out of memory");
        c->s->named = a;
        c->s->capnamed = nc;
    }
    c->s->named[c->s->nnamed++] = n;
    {
        const char *last = strrchr(n->name, '.');
        if (last && !(*own_ns = lh_strndup(n->name, (size_t)(last - n->name))))
            return lh_errf(c->err, LH_ENOMEM, "avro schema: out of memory");
    }
    return LH_OK;
}

static lh_rc logical(pctx *c, lh_avro_node *n, json_t *o)
{
    json_t *lt = json_object_get(o, "logicalType");
    const char *t;
    int i;
    if (!lt)
        return LH_OK;
    if (!json_is_string(lt))
        return perr(c, "\"logicalType\" must be a string%s", NULL);
    t = json_string_value(lt);
    for (i = 1; i < (int)(sizeof lt_names / sizeof *lt_names); i++)
        if (!strcmp(t, lt_names[i]))
            break;
    if (i == (int)(sizeof lt_names / sizeof *lt_names))
        return LH_OK; /* unknown: kept as an attribute, ignored (spec) */
    if (i == LH_AVRO_LT_DECIMAL) {
        json_t *p = json_object_get(o, "precision"), *s = json_object_get(o, "scale");
        json_int_t pv, sv = 0;
        if (n->type != LH_AVRO_BYTES && n->type != LH_AVRO_FIXED)
            return perr(c, "decimal must annotate bytes or fixed, not %s", lh_avro_type_name(n->type));
        if (!json_is_integer(p) || (pv = json_integer_value(p)) <= 0 || pv > 1000)
            return perr(c, "decimal needs an integer \"precision\" > 0%s", NULL);
        if (s && (!json_is_integer(s) || (sv = json_integer_value(s)) < 0))
            return perr(c, "decimal \"scale\" must be an integer >= 0%s", NULL);
        if (sv > pv)
            return perr(c, "decimal scale is greater than its precision%s", NULL);
        if (n->type == LH_AVRO_FIXED) {
            double maxd = floor(((double)n->fixed * 8 - 1) * log10(2.0));
            if ((double)pv > maxd)
                return perr(c, "decimal precision does not fit the fixed size%s", NULL);
        }
        n->precision = (int)pv;
        n->scale = (int)sv;
    } else {
        lh_avro_type want = (i == LH_AVRO_LT_DATE || i == LH_AVRO_LT_TIME_MILLIS) ? LH_AVRO_INT
                            : i == LH_AVRO_LT_UUID                              ? LH_AVRO_STRING
                                                                                : LH_AVRO_LONG;
        int ok = n->type == want || (i == LH_AVRO_LT_UUID && n->type == LH_AVRO_FIXED && n->fixed == 16);
        if (!ok)
            return LH_OK; /* a mismatched logical type is ignored (spec) and kept as an attribute */
    }
    n->logical = (lh_avro_logical)i;
    return LH_OK;
}

static lh_rc parse_union(pctx *c, json_t *j, const char *ns, int depth, lh_avro_node **out)
{
    lh_avro_node *n;
    size_t i, k, cnt = json_array_size(j);
    lh_rc rc = node_new(c, LH_AVRO_UNION, &n);
    if (rc)
        return rc;
    if (cnt && !(n->kids = lh_calloc(cnt, sizeof *n->kids)))
        return lh_errf(c->err, LH_ENOMEM, "avro schema: out of memory");
    n->minsize = 1;
    for (i = 0; i < cnt; i++) {
        char seg[32];
        size_t old;
        lh_avro_node *b;
        snprintf(seg, sizeof seg, "union[%zu]", i);
        old = path_push(c, seg);
        if (json_is_array(json_array_get(j, i))) {
            rc = perr(c, "a union may not contain a union%s", NULL);
            goto out;
        }
        if ((rc = parse_node(c, json_array_get(j, i), ns, depth + 1, &b)))
            goto out;
        for (k = 0; k < i; k++) {
            lh_avro_node *o = n->kids[k];
            if (o->type == b->type && (!o->name || !strcmp(o->name, b->name))) {
                rc = perr(c, "the union already has a branch of type %s", o->name ? o->name : lh_avro_type_name(o->type));
                goto out;
            }
        }
        n->kids[i] = b;
        n->n = i + 1;
        if (b->type == LH_AVRO_NULL)
            n->null_branch = (int)i;
        c->path[old] = 0;
    }
    *out = n;
    return LH_OK;
out:
    return rc;
}

static const char *const rec_keys[] = {"type", "name", "namespace", "fields", NULL};
static const char *const field_keys[] = {"name", "type", NULL};
static const char *const enum_keys[] = {"type", "name", "namespace", "symbols", NULL};
static const char *const arr_keys[] = {"type", "items", NULL};
static const char *const map_keys[] = {"type", "values", NULL};
static const char *const fixed_keys[] = {"type", "name", "namespace", "size", "logicalType", "precision", "scale", NULL};
static const char *const fixed_keys_nolt[] = {"type", "name", "namespace", "size", NULL};
static const char *const type_key[] = {"type", NULL};
static const char *const prim_keys[] = {"type", "logicalType", "precision", "scale", NULL};

static lh_rc parse_record(pctx *c, json_t *o, lh_avro_node *n, const char *ns, int depth)
{
    json_t *fields = json_object_get(o, "fields");
    size_t i, k, cnt;
    lh_rc rc;
    if (!json_is_array(fields))
        return perr(c, "a record needs an array \"fields\"%s", NULL);
    cnt = json_array_size(fields);
    if (cnt && (!(n->kids = lh_calloc(cnt, sizeof *n->kids)) || !(n->names = lh_calloc(cnt, sizeof *n->names)) ||
                !(n->fattr = lh_calloc(cnt, sizeof *n->fattr))))
        return lh_errf(c->err, LH_ENOMEM, "avro schema: out of memory");
    for (i = 0; i < cnt; i++) {
        json_t *f = json_array_get(fields, i), *fn, *ft;
        size_t old;
        if (!json_is_object(f) || !json_is_string(fn = json_object_get(f, "name"))) {
            char seg[32];
            snprintf(seg, sizeof seg, "fields[%zu]", i);
            old = path_push(c, seg);
            return perr(c, "a field must be an object with a string \"name\"%s", NULL);
        }
        old = path_push(c, json_string_value(fn));
        if (!name_part_ok(json_string_value(fn), strlen(json_string_value(fn))))
            return perr(c, "bad field name \"%s\"", json_string_value(fn));
        for (k = 0; k < i; k++)
            if (!strcmp(n->names[k], json_string_value(fn)))
                return perr(c, "duplicate field name \"%s\"", json_string_value(fn));
        if (!(ft = json_object_get(f, "type")))
            return perr(c, "a field needs a \"type\"%s", NULL);
        if (!(n->names[i] = lh_strdup(json_string_value(fn))))
            return lh_errf(c->err, LH_ENOMEM, "avro schema: out of memory");
        n->n = i + 1;
        if ((rc = other_attrs(c, f, field_keys, &n->fattr[i])))
            return rc;
        if ((rc = parse_node(c, ft, ns, depth + 1, &n->kids[i])))
            return rc;
        n->minsize += n->kids[i]->minsize;
        c->path[old] = 0;
    }
    return LH_OK;
}

static lh_rc parse_object(pctx *c, json_t *o, const char *ns, int depth, lh_avro_node **out)
{
    json_t *jt = json_object_get(o, "type");
    const char *t;
    lh_avro_node *n;
    char *own_ns = NULL;
    lh_rc rc;
    int p;
    if (json_is_array(jt) || json_is_object(jt)) /* {"type": <schema>}: the inner schema */
        return parse_node(c, jt, ns, depth + 1, out);
    if (!json_is_string(jt))
        return perr(c, "a schema object needs a string \"type\"%s", NULL);
    t = json_string_value(jt);
    if ((p = prim_type(t)) >= 0) {
        if ((rc = node_new(c, (lh_avro_type)p, &n)))
            return rc;
        n->minsize = p == LH_AVRO_NULL ? 0 : p == LH_AVRO_FLOAT ? 4 : p == LH_AVRO_DOUBLE ? 8 : 1;
        if ((rc = logical(c, n, o)) || (rc = other_attrs(c, o, n->logical ? prim_keys : type_key, &n->attr)))
            return rc;
        *out = n;
        return LH_OK;
    }
    if (!strcmp(t, "record") || !strcmp(t, "error")) {
        if ((rc = node_new(c, LH_AVRO_RECORD, &n)) || (rc = named_register(c, n, o, ns, &own_ns)))
            goto out;
        if ((rc = other_attrs(c, o, rec_keys, &n->attr)))
            goto out;
        {
            const char *last = strrchr(n->name, '.');
            size_t old = path_push(c, last ? last + 1 : n->name);
            rc = parse_record(c, o, n, own_ns ? own_ns : "", depth);
            if (rc == LH_OK)
                c->path[old] = 0;
        }
    } else if (!strcmp(t, "enum")) {
        json_t *syms = json_object_get(o, "symbols");
        size_t i, k;
        if ((rc = node_new(c, LH_AVRO_ENUM, &n)) || (rc = named_register(c, n, o, ns, &own_ns)))
            goto out;
        n->minsize = 1;
        if ((rc = other_attrs(c, o, enum_keys, &n->attr)))
            goto out;
        if (!json_is_array(syms)) {
            rc = perr(c, "an enum needs an array \"symbols\"%s", NULL);
            goto out;
        }
        if (json_array_size(syms) && !(n->names = lh_calloc(json_array_size(syms), sizeof *n->names))) {
            rc = lh_errf(c->err, LH_ENOMEM, "avro schema: out of memory");
            goto out;
        }
        for (i = 0; i < json_array_size(syms); i++) {
            json_t *s = json_array_get(syms, i);
            if (!json_is_string(s) || !name_part_ok(json_string_value(s), strlen(json_string_value(s)))) {
                rc = perr(c, "bad enum symbol%s", NULL);
                goto out;
            }
            for (k = 0; k < i; k++)
                if (!strcmp(n->names[k], json_string_value(s))) {
                    rc = perr(c, "duplicate enum symbol \"%s\"", n->names[k]);
                    goto out;
                }
            if (!(n->names[i] = lh_strdup(json_string_value(s)))) {
                rc = lh_errf(c->err, LH_ENOMEM, "avro schema: out of memory");
                goto out;
            }
            n->n = i + 1;
        }
    } else if (!strcmp(t, "fixed")) {
        json_t *sz = json_object_get(o, "size");
        if ((rc = node_new(c, LH_AVRO_FIXED, &n)) || (rc = named_register(c, n, o, ns, &own_ns)))
            goto out;
        if (!json_is_integer(sz) || json_integer_value(sz) < 0 || json_integer_value(sz) > (1 << 30)) {
            rc = perr(c, "a fixed needs an integer \"size\" >= 0%s", NULL);
            goto out;
        }
        n->fixed = n->minsize = (size_t)json_integer_value(sz);
        if ((rc = logical(c, n, o)) || (rc = other_attrs(c, o, n->logical ? fixed_keys : fixed_keys_nolt, &n->attr)))
            goto out;
    } else if (!strcmp(t, "array") || !strcmp(t, "map")) {
        int arr = t[0] == 'a';
        json_t *it = json_object_get(o, arr ? "items" : "values");
        size_t old;
        if ((rc = node_new(c, arr ? LH_AVRO_ARRAY : LH_AVRO_MAP, &n)))
            goto out;
        n->minsize = 1;
        if ((rc = other_attrs(c, o, arr ? arr_keys : map_keys, &n->attr)))
            goto out;
        if (!it) {
            rc = perr(c, arr ? "an array needs \"items\"%s" : "a map needs \"values\"%s", NULL);
            goto out;
        }
        if (!(n->kids = lh_calloc(1, sizeof *n->kids))) {
            rc = lh_errf(c->err, LH_ENOMEM, "avro schema: out of memory");
            goto out;
        }
        old = path_push(c, arr ? "items" : "values");
        if ((rc = parse_node(c, it, ns, depth + 1, &n->kids[0])))
            goto out;
        c->path[old] = 0;
    } else {
        rc = perr(c, "unknown type \"%s\"", t);
        goto out;
    }
    if (rc == LH_OK)
        *out = n;
out:
    lh_free(own_ns);
    return rc;
}

static lh_rc parse_node(pctx *c, json_t *j, const char *ns, int depth, lh_avro_node **out)
{
    if (depth > LH_AVRO_MAX_DEPTH)
        return lh_errf(c->err, LH_ELIMIT, "avro schema: %s: nested deeper than %d", c->path, LH_AVRO_MAX_DEPTH);
    if (json_is_string(j)) {
        const char *t = json_string_value(j);
        int p = prim_type(t);
        lh_avro_node *n;
        if (p >= 0) {
            lh_rc rc = node_new(c, (lh_avro_type)p, &n);
            if (rc)
                return rc;
            n->minsize = p == LH_AVRO_NULL ? 0 : p == LH_AVRO_FLOAT ? 4 : p == LH_AVRO_DOUBLE ? 8 : 1;
            *out = n;
            return LH_OK;
        }
        n = NULL;
        if (!strchr(t, '.') && ns && ns[0]) {
            char *full = lh_aprintf("%s.%s", ns, t);
            if (!full)
                return lh_errf(c->err, LH_ENOMEM, "avro schema: out of memory");
            n = find_named(c->s, full);
            lh_free(full);
        }
        if (!n)
            n = find_named(c->s, t);
        if (!n)
            return perr(c, "unknown type \"%s\" (not primitive, not defined before)", t);
        *out = n;
        return LH_OK;
    }
    if (json_is_array(j))
        return parse_union(c, j, ns, depth, out);
    if (json_is_object(j))
        return parse_object(c, j, ns, depth, out);
    return perr(c, "a schema must be a string, an object or an array%s", NULL);
}

lh_rc lh_avro_schema_parse(const char *json, size_t n, lh_avro_schema **out, lh_err *err)
{
    json_error_t je;
    json_t *j;
    pctx c;
    lh_rc rc;
    *out = NULL;
    j = json_loadb(json, n, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &je);
    if (!j)
        return lh_errf(err, LH_EPARSE, "avro schema: JSON at line %d column %d: %s", je.line, je.column, je.text);
    memset(&c, 0, sizeof c);
    c.err = err;
    if (!(c.s = lh_calloc(1, sizeof *c.s))) {
        json_decref(j);
        return lh_errf(err, LH_ENOMEM, "avro schema: out of memory");
    }
    rc = parse_node(&c, j, "", 0, &c.s->root);
    json_decref(j);
    if (rc) {
        lh_avro_schema_free(c.s);
        return rc;
    }
    *out = c.s;
    return LH_OK;
}

/* ---- printing ---- */
typedef struct prctx {
    const lh_avro_node **done;
    size_t n, cap;
} prctx;

static json_t *print_node(prctx *p, const lh_avro_node *n, int *oom);

static int set_new(json_t *o, const char *k, json_t *v, int *oom)
{
    if (!v || json_object_set_new(o, k, v)) {
        *oom = 1;
        return -1;
    }
    return 0;
}

static void merge_attrs(json_t *o, const json_t *attr, int *oom)
{
    const char *k;
    json_t *v;
    if (!attr)
        return;
    json_object_foreach((json_t *)attr, k, v) if (!json_object_get(o, k) && json_object_set(o, k, v)) *oom = 1;
}

static json_t *print_node(prctx *p, const lh_avro_node *n, int *oom)
{
    json_t *o;
    size_t i;
    if (n->name) {
        for (i = 0; i < p->n; i++)
            if (p->done[i] == n)
                return json_string(n->name);
        if (p->n == p->cap) {
            size_t nc = p->cap ? p->cap * 2 : 8;
            const lh_avro_node **a = lh_realloc(p->done, nc * sizeof *a);
            if (!a) {
                *oom = 1;
                return NULL;
            }
            p->done = a;
            p->cap = nc;
        }
        p->done[p->n++] = n;
    }
    if (n->type <= LH_AVRO_STRING && !n->logical && !n->attr)
        return json_string(type_names[n->type]);
    if (n->type == LH_AVRO_UNION) {
        json_t *a = json_array();
        if (!a)
            return NULL;
        for (i = 0; i < n->n; i++)
            if (json_array_append_new(a, print_node(p, n->kids[i], oom)))
                *oom = 1;
        return a;
    }
    if (!(o = json_object()))
        return NULL;
    set_new(o, "type", json_string(type_names[n->type]), oom);
    if (n->name)
        set_new(o, "name", json_string(n->name), oom);
    switch (n->type) {
    case LH_AVRO_RECORD: {
        json_t *fs = json_array();
        if (set_new(o, "fields", fs, oom))
            break;
        for (i = 0; i < n->n; i++) {
            json_t *f = json_object();
            if (!f || json_array_append_new(fs, f)) {
                *oom = 1;
                break;
            }
            set_new(f, "name", json_string(n->names[i]), oom);
            set_new(f, "type", print_node(p, n->kids[i], oom), oom);
            merge_attrs(f, n->fattr[i], oom);
        }
        break;
    }
    case LH_AVRO_ENUM: {
        json_t *ss = json_array();
        if (set_new(o, "symbols", ss, oom))
            break;
        for (i = 0; i < n->n; i++)
            if (json_array_append_new(ss, json_string(n->names[i])))
                *oom = 1;
        break;
    }
    case LH_AVRO_ARRAY:
    case LH_AVRO_MAP:
        set_new(o, n->type == LH_AVRO_ARRAY ? "items" : "values", print_node(p, n->kids[0], oom), oom);
        break;
    case LH_AVRO_FIXED:
        set_new(o, "size", json_integer((json_int_t)n->fixed), oom);
        break;
    default:
        break;
    }
    if (n->logical) {
        set_new(o, "logicalType", json_string(lt_names[n->logical]), oom);
        if (n->logical == LH_AVRO_LT_DECIMAL) {
            set_new(o, "precision", json_integer(n->precision), oom);
            set_new(o, "scale", json_integer(n->scale), oom);
        }
    }
    merge_attrs(o, n->attr, oom);
    return o;
}

lh_rc lh_avro_schema_json(const lh_avro_schema *s, lh_buf *out, lh_err *err)
{
    prctx p = {0};
    int oom = 0;
    json_t *j = print_node(&p, s->root, &oom);
    char *txt;
    lh_rc rc;
    lh_free(p.done);
    if (!j || oom) {
        json_decref(j);
        return lh_errf(err, LH_ENOMEM, "avro schema: out of memory printing the schema");
    }
    txt = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY | JSON_PRESERVE_ORDER);
    json_decref(j);
    if (!txt)
        return lh_errf(err, LH_ENOMEM, "avro schema: out of memory printing the schema");
    rc = lh_buf_puts(out, txt, err);
    free(txt); /* jansson's allocator (left as the default, malloc) */
    return rc;
}

/* ---- accessors ---- */
const lh_avro_node *lh_avro_schema_root(const lh_avro_schema *s) { return s->root; }
lh_avro_type lh_avro_node_type(const lh_avro_node *n) { return n->type; }
lh_avro_logical lh_avro_node_logical(const lh_avro_node *n) { return n->logical; }
const char *lh_avro_node_name(const lh_avro_node *n) { return n->name; }
size_t lh_avro_node_fixed_size(const lh_avro_node *n) { return n->fixed; }
int lh_avro_node_precision(const lh_avro_node *n) { return n->precision; }
int lh_avro_node_scale(const lh_avro_node *n) { return n->scale; }
int lh_avro_union_null_branch(const lh_avro_node *n) { return n->null_branch; }

size_t lh_avro_node_count(const lh_avro_node *n)
{
    return (n->type == LH_AVRO_RECORD || n->type == LH_AVRO_UNION || n->type == LH_AVRO_ENUM) ? n->n : 0;
}

const lh_avro_node *lh_avro_node_child(const lh_avro_node *n, size_t i)
{
    if (n->type == LH_AVRO_ARRAY || n->type == LH_AVRO_MAP)
        return n->kids[0];
    if ((n->type == LH_AVRO_RECORD || n->type == LH_AVRO_UNION) && i < n->n)
        return n->kids[i];
    return NULL;
}

const char *lh_avro_node_field_name(const lh_avro_node *n, size_t i)
{
    return n->type == LH_AVRO_RECORD && i < n->n ? n->names[i] : NULL;
}

const char *lh_avro_node_symbol(const lh_avro_node *n, size_t i)
{
    return n->type == LH_AVRO_ENUM && i < n->n ? n->names[i] : NULL;
}

int lh_avro_node_field_index(const lh_avro_node *n, const char *name)
{
    size_t i;
    if (n->type != LH_AVRO_RECORD)
        return -1;
    for (i = 0; i < n->n; i++)
        if (!strcmp(n->names[i], name))
            return (int)i;
    return -1;
}

int lh_avro_node_attr_int(const lh_avro_node *n, size_t field, const char *key, int64_t *out)
{
    json_t *o, *v;
    if (field == (size_t)-1)
        o = n->attr;
    else
        o = n->type == LH_AVRO_RECORD && field < n->n ? n->fattr[field] : NULL;
    if (!o || !json_is_integer(v = json_object_get(o, key)))
        return 0;
    *out = (int64_t)json_integer_value(v);
    return 1;
}

int lh_avro_utf8_ok(const uint8_t *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint8_t c = p[i];
        size_t k;
        uint32_t cp;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF)
            k = 1, cp = c & 0x1F;
        else if (c >= 0xE0 && c <= 0xEF)
            k = 2, cp = c & 0x0F;
        else if (c >= 0xF0 && c <= 0xF4)
            k = 3, cp = c & 0x07;
        else
            return 0;
        if (n - i <= k)
            return 0;
        for (size_t j = 1; j <= k; j++) {
            if ((p[i + j] & 0xC0) != 0x80)
                return 0;
            cp = (cp << 6) | (p[i + j] & 0x3F);
        }
        if ((k == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (k == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
            return 0;
        i += k + 1;
    }
    return 1;
}
