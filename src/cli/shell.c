/* cli/shell.c — the interactive SQL shell (readline: editing, history).
 *
 * Ctrl-C while a statement runs cancels it (lh_engine_interrupt) and
 * returns to the prompt; Ctrl-C at the prompt drops the line (and a
 * half-typed multi-line statement); Ctrl-D quits.  Each statement is
 * appended to the history file as soon as it is entered. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

static lh_engine *volatile g_engine;   /* set while a statement runs */
static volatile sig_atomic_t g_prompt_sigint; /* Ctrl-C at the prompt, for on_rl_event */
static int g_drop_stmt;                     /* on_rl_event dropped a half-typed statement */

static void on_sigint(int sig)
{
    lh_engine *e = g_engine;
    (void)sig;
    if (e)
        lh_engine_interrupt(e); /* async-signal-safe: an atomic store */
    else
        g_prompt_sigint = 1; /* readline's read() returns EINTR and calls on_rl_event */
}

/* readline calls this when a signal interrupts its read(). */
static int on_rl_event(void)
{
    if (!g_prompt_sigint)
        return 0;
    g_prompt_sigint = 0;
    g_drop_stmt = 1;
    rl_free_line_state();
    rl_crlf();
    rl_replace_line("", 0);
    rl_set_prompt("lakehouse> ");
    rl_on_new_line();
    rl_redisplay();
    return 0;
}

int lh_shell(lh_lake *lake, lh_outfmt fmt)
{
    struct sigaction sa, sa_run, old_sa;
    char *histfile = NULL;
    const char *home = getenv("HOME");
    lh_buf stmt;
    lh_printer *pr = NULL;
    lh_err err = {0};
    int status = 0;
    lh_rc rc;

    lh_buf_init(&stmt, 0);
    if (lh_printer_new(fmt, stdout, stderr, &pr, &err)) {
        fprintf(stderr, "lakehouse: %s\n", err.msg);
        return 1;
    }
    if (home)
        histfile = lh_aprintf("%s/.lakehouse_history", home);
    using_history();
    if (histfile) {
        int fd;
        read_history(histfile);
        /* append_history() does not create the file */
        fd = open(histfile, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
        if (fd >= 0)
            close(fd);
    }
    /* our SIGINT handler, not readline's: no SA_RESTART, so a Ctrl-C at the
     * prompt interrupts readline's read() and reaches on_rl_event */
    rl_catch_signals = 0;
    rl_signal_event_hook = on_rl_event;
    /* A Ctrl-C that lands after the prompt is drawn but before readline
     * blocks in read() interrupts nothing: readline also polls this hook
     * while it waits for a key (every 0.1 s), which closes that race. */
    rl_event_hook = on_rl_event;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_sigint;
    sigaction(SIGINT, &sa, &old_sa);
    /* while a statement runs: restart interrupted system calls, so the
     * store's I/O does not fail with EINTR (the engine's flag cancels) */
    sa_run = sa;
    sa_run.sa_flags = SA_RESTART;
    printf("lakehouse SQL shell — lake %s. End statements with ';'. Ctrl-D quits.\n", lake->root);
    for (;;) {
        char *line = readline(stmt.len ? "      -> " : "lakehouse> ");
        if (g_drop_stmt) {
            g_drop_stmt = 0;
            lh_buf_reset(&stmt);
        }
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
                if (histfile)
                    (void)append_history(1, histfile); /* kept even if the shell is killed */
                lh_free(h);
            }
        }
        lh_engine_clear_interrupt(lake->engine);
        g_engine = lake->engine;
        sigaction(SIGINT, &sa_run, NULL);
        rc = lh_engine_exec(lake->engine, stmt.data, stmt.len, "<shell>", lh_printer_sink(pr), NULL, &err);
        sigaction(SIGINT, &sa, NULL);
        g_engine = NULL;
        lh_engine_clear_interrupt(lake->engine);
        g_prompt_sigint = 0;
        if (rc == LH_ECANCELLED)
            fprintf(stderr, "cancelled\n");
        else if (rc)
            fprintf(stderr, "error: %s\n", err.msg);
        fflush(stdout);
        lh_buf_reset(&stmt);
    }
    sigaction(SIGINT, &old_sa, NULL);
    rl_signal_event_hook = NULL;
    rl_event_hook = NULL;
    if (histfile) {
        (void)history_truncate_file(histfile, 5000);
        lh_free(histfile);
    }
    lh_buf_free(&stmt);
    lh_printer_free(pr);
    return status;
}
