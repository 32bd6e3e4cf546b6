/* libFuzzer target: the SQL lexer, script splitter and Athena DDL/CTAS
 * parser.  A parsed CREATE EXTERNAL TABLE must render back to DDL that
 * parses again. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sql/ddl.h"
#include "util/mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lh_script *sc = NULL;
    lh_err err;
    size_t i;
    if (lh_script_parse((const char *)data, size, "fuzz.sql", &sc, &err) != LH_OK)
        return 0;
    for (i = 0; i < lh_script_count(sc); i++) {
        const lh_stmt *st = lh_script_stmt(sc, i);
        if (st->kind == LH_STMT_CREATE_EXTERNAL_TABLE) {
            char *text = lh_ddl_render_create(&st->def);
            lh_script *again = NULL;
            if (!text)
                abort();
            if (lh_script_parse(text, strlen(text), "render.sql", &again, &err) != LH_OK)
                abort(); /* rendered DDL must parse */
            lh_script_free(again);
            lh_free(text);
        }
    }
    lh_script_free(sc);
    return 0;
}
