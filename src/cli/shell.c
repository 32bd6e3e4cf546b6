/* cli/shell.c — the interactive SQL shell (readline: editing, history). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "cli/cli.h"
#include "util/mem.h"

/* A statement is complete when a ';' ends it outside quotes and comments. */
static int complete(const char *s)
{
    char q = 0;
    int last_semi = 0;
    for (; *s; s++) {
        if (q) {
            if (*s == q)
                q = 0;
            continue;
        }
        if (*s == '-' && s[1] == '-') {
            while (*s && *s != '\n')
                s++;
            if (!*s)
                break;
            continue;
        }
        if (*s == '\'' || *s == '"' || *s == '`') {
            q = *s;
            last_semi = 0;
        } else if (*s == ';')
            last_semi = 1;
        else if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            last_semi = 0;
    }
    return !q && last_semi;
}

int lh_shell(lh_lake *lake, lh_outfmt fmt)
{
    char *histfile = NULL;
    const char *home = getenv("HOME");
    lh_buf stmt;
    lh_printer *pr = NULL;
    lh_err err = {0};
    int status = 0;

    lh_buf_init(&stmt, 0);
    if (lh_printer_new(fmt, stdout, stderr, &pr, &err)) {
        fprintf(stderr, "lakehouse: %s\n", err.msg);
        return 1;
    }
    if (home)
        histfile = lh_aprintf("%s/.lakehouse_history", home);
    using_history();
    if (histfile)
        read_history(histfile);
    printf("lakehouse SQL shell — lake %s. End statements with ';'. Ctrl-D quits.\n", lake->root);
    for (;;) {
        char *line = readline(stmt.len ? "      -> " : "lakehouse> ");
        if (!line) {
            putchar('\n');
            break;
        }
        if (!stmt.len && (!strcmp(line, "quit") || !strcmp(line, "exit") || !strcmp(line, "\\q"))) {
            free(line);
            break;
        }
        if (lh_buf_puts(&stmt, line, &err) || lh_buf_putc(&stmt, '\n', &err)) {
            fprintf(stderr, "lakehouse: %s\n", err.msg);
            free(line);
            status = 1;
            break;
        }
        free(line);
        if (!complete(lh_buf_cstr(&stmt)))
            continue;
        {
            char *h = lh_strndup(stmt.data, stmt.len - 1);
            if (h) {
                add_history(h);
                lh_free(h);
            }
        }
        if (lh_engine_exec(lake->engine, stmt.data, stmt.len, "<shell>", lh_printer_sink(pr), NULL, &err))
            fprintf(stderr, "error: %s\n", err.msg);
        lh_buf_reset(&stmt);
    }
    if (histfile) {
        write_history(histfile);
        lh_free(histfile);
    }
    lh_buf_free(&stmt);
    lh_printer_free(pr);
    return status;
}
