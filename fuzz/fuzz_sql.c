/* libFuzzer target: the Trino query parser (sql/parse.c, sql/parse_expr.c)
 * and the AST dump (sql/ast.c).
 *
 * Any input: the parser returns LH_OK with a tree or an error code with a
 * message, never crashes, never leaks (ASan).  When it parses, the dump
 * must be stable: parsing the same input again gives the same dump, with
 * and without positions, and the tree's height is within LH_AST_MAX_DEPTH.
 * And it must round-trip: lh_ast_format's SQL text parses to a tree with
 * the same dump (unless the text hits a limit the input did not: the
 * formatter adds parentheses, so nesting and token counts may grow). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sql/parse.h"
#include "util/mem.h"

static int height_ok(const lh_ast_node *n, int depth)
{
    size_t i, j;
    if (!n)
        return 1;
    if (depth > LH_AST_MAX_DEPTH || n->height > LH_AST_MAX_DEPTH)
        return 0;
    for (i = 0; i < 4; i++)
        if (n->kid[i] && (n->kid[i]->height >= n->height || !height_ok(n->kid[i], depth + 1)))
            return 0;
    for (j = 0; j < 2; j++)
        for (i = 0; i < n->list[j].n; i++)
            if (!n->list[j].items[i] || n->list[j].items[i]->height >= n->height ||
                !height_ok(n->list[j].items[i], depth + 1))
                return 0;
    return 1;
}

static char *dump(const char *src, size_t len, unsigned flags, lh_rc *rc, char **sql)
{
    lh_ast *ast = NULL;
    lh_err err;
    lh_buf b;
    char *out = NULL;
    *rc = lh_parse_query(src, len, "fuzz.sql", &ast, &err);
    if (*rc != LH_OK) {
        if (ast || err.code != *rc || !err.msg[0])
            abort(); /* an error always comes with its message and no tree */
        return NULL;
    }
    if (!ast || !lh_ast_root(ast) || !height_ok(lh_ast_root(ast), 1))
        abort();
    lh_buf_init(&b, 0);
    if (lh_ast_dump(lh_ast_root(ast), flags, &b, &err) != LH_OK)
        abort();
    out = lh_buf_detach(&b);
    lh_buf_free(&b);
    if (!out)
        abort();
    if (sql) {
        lh_buf_init(&b, 0);
        if (lh_ast_format(lh_ast_root(ast), &b, &err) != LH_OK || !(*sql = lh_buf_detach(&b)))
            abort();
        lh_buf_free(&b);
    }
    lh_ast_free(ast);
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lh_rc rc, rc2;
    char *a, *b, *sql = NULL;
    unsigned flags;
    for (flags = 0; flags <= LH_AST_DUMP_POS; flags++) {
        a = dump((const char *)data, size, flags, &rc, NULL);
        if (rc != LH_OK)
            return 0;
        b = dump((const char *)data, size, flags, &rc2, NULL);
        if (rc2 != LH_OK || strcmp(a, b) != 0)
            abort(); /* parse -> dump is a function of the input */
        lh_free(a);
        lh_free(b);
    }
    /* parse -> format -> parse: the same tree */
    a = dump((const char *)data, size, 0, &rc, &sql);
    b = dump(sql, strlen(sql), 0, &rc2, NULL);
    if (rc2 == LH_ELIMIT) {
        /* more parentheses than the input had */
    } else if (rc2 != LH_OK || strcmp(a, b) != 0) {
        abort();
    }
    lh_free(a);
    lh_free(b);
    lh_free(sql);
    return 0;
}
