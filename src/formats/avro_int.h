/* formats/avro_int.h — internals shared by avro_schema.c, avro_value.c and
 * avro_file.c.  Not for other modules: use formats/avro.h. */
#ifndef LH_FORMATS_AVRO_INT_H
#define LH_FORMATS_AVRO_INT_H

#include <jansson.h>

#include "formats/avro.h"

struct lh_avro_node {
    lh_avro_type type;
    lh_avro_logical logical;
    int precision, scale;
    char *name;            /* fullname of a named type */
    size_t n;              /* fields, branches or symbols */
    lh_avro_node **kids;   /* field types, branches; kids[0] = items / values */
    char **names;          /* field names or symbols */
    json_t **fattr;        /* per field: its other attributes (an object) */
    json_t *attr;          /* the node's other attributes (an object) or NULL */
    size_t fixed;          /* fixed size */
    size_t minsize;        /* fewest bytes one encoded value takes */
    int null_branch;       /* union: index of "null" or -1 */
};

/* Strict UTF-8 (no overlongs, surrogates or code points past U+10FFFF). */
int lh_avro_utf8_ok(const uint8_t *p, size_t n);

/* lh_avro_decode, with base added to the offsets in error messages and a
 * budget of zero-byte items shared by the caller's calls (a reader's file):
 * so no input makes more than that many iterations that consume no byte. */
lh_rc lh_avro_decode_at(const lh_avro_node *node, const uint8_t *data, size_t n, size_t *pos, size_t base,
                        int64_t *zero_budget, lh_arena *a, lh_avro_value **out, lh_err *err) LH_MUST_CHECK;

#endif
