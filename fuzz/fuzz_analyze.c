/* libFuzzer target: the analyzer (src/plan/) over the parser's trees.
 *
 * Any input that parses is analyzed against the in-memory STEDI schema
 * (tests/unit/analyze_schema.h): the analyzer returns LH_OK with a bound
 * tree whose dump succeeds and is the same on a second analysis, or an
 * error code with a "file:line:col: " message and no tree; it never
 * crashes and never leaks (ASan). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../tests/unit/analyze_schema.h"
#include "sql/parse.h"
#include "util/mem.h"

static char *analyze(const lh_ast *ast, lh_rc *rc)
{
    lh_bound *b = NULL;
    lh_err err;
    *rc = lh_analyze(ast, &MEM_SCHEMA, "fuzz.sql", &b, &err);
    if (*rc != LH_OK) {
        if (b || !err.msg[0])
            abort(); /* an error always comes with its message and no tree */
        if (*rc != LH_ENOMEM && strncmp(err.msg, "fuzz.sql:", 9) != 0)
            abort(); /* and names its position */
        return NULL;
    }
    if (!b)
        abort();
    for (size_t i = 0; i < lh_bound_ncols(b); i++)
        if (!lh_bound_col_name(b, i))
            abort();
    lh_buf buf;
    lh_buf_init(&buf, 0);
    if (lh_bound_dump(b, &buf, &err) != LH_OK)
        abort();
    char *out = lh_buf_detach(&buf);
    lh_buf_free(&buf);
    lh_bound_free(b);
    if (!out)
        abort();
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lh_ast *ast = NULL;
    lh_err err;
    if (lh_parse_query((const char *)data, size, "fuzz.sql", &ast, &err) != LH_OK)
        return 0;
    lh_rc rc1, rc2;
    char *a = analyze(ast, &rc1), *b = analyze(ast, &rc2);
    if (rc1 != rc2 || (a && (!b || strcmp(a, b) != 0)))
        abort(); /* analysis is deterministic */
    lh_free(a);
    lh_free(b);
    lh_ast_free(ast);
    return 0;
}
