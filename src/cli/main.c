/* cli/main.c — the lakehouse command line.  Only main() decides how the
 * process exits; every library call returns lh_rc. */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <stddef.h>
#include <ftw.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "catalog/lock.h"
#include "cli/cli.h"
#include "cli/cmd_report.h"
#include "pipeline/gen.h"
#include "pipeline/ingest.h"
#include "pipeline/pipeline.h"
#include "pipeline/vacuum.h"
#include "store/s3.h"
#include "util/mem.h"
#include "util/names.h"

#define VERSION "0.1.0"

static const char *g_prog = "lakehouse";
static const char *g_argv0 = "lakehouse"; /* as invoked, for hints the user can paste */
static char g_lake_root[4096];             /* the opened lake, for the disk-full hint */

static int fail(const lh_err *err)
{
    const char *msg = err->msg[0] ? err->msg : lh_strerror(err->code);
    fprintf(stderr, "%s: error: %s\n", g_prog, msg);
    /* the catalog's SQLite files fill up too ("database or disk is full") */
    if ((err->code == LH_ENOSPC || strstr(msg, "database or disk is full") || strstr(msg, strerror(ENOSPC))) &&
        !strstr(msg, "no space left on the device holding"))
        fprintf(stderr, "%s: no space left on the device holding %s: free space there and retry\n", g_prog,
                g_lake_root[0] ? g_lake_root : "the lake");
    return err->code == LH_EVERIFY ? 1 : 2;
}

/* Write commands (run, ingest, vacuum) refuse a read-only lake at once. */
static lh_rc lake_need_write(const lh_lake *lake, const char *cmd, lh_err *err)
{
    const char *why = lh_catalog_readonly(lake->cat);
    if (!why)
        return LH_OK;
    return lh_errf(err, LH_EPERM,
                   "%s: lake %s is read-only (%s): run, ingest, vacuum, DDL and CREATE TABLE AS need write access; "
                   "SELECT, SHOW, DESCRIBE, verify, runs and report work",
                   cmd, lake->root, why);
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* ---- interrupts (run, sql scripts) ---- */

/* Ctrl-C or SIGTERM while statements run: the engine cancels the running
 * one (a job ends 'cancelled', its objects deleted) and nothing further
 * runs; the command then exits 128 + the signal. */
static lh_engine *volatile g_sig_engine;
static volatile sig_atomic_t g_sig;

static void on_stop_signal(int sig)
{
    if (g_sig) {
        /* a second signal while the first one's cleanup runs: stop now
         * (what is left, vacuum removes) */
        struct sigaction dfl;
        memset(&dfl, 0, sizeof dfl);
        sigemptyset(&dfl.sa_mask);
        dfl.sa_handler = SIG_DFL;
        sigaction(sig, &dfl, NULL);
        raise(sig);
        return;
    }
    g_sig = sig;
    if (g_sig_engine)
        lh_engine_interrupt(g_sig_engine); /* an atomic store */
}

static void stop_signals(lh_engine *e)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sa.sa_handler = e ? on_stop_signal : SIG_DFL;
    g_sig_engine = e;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

/* The exit status once statements have stopped: 128 + signal if one
 * stopped them (a signal after the last statement finished changes nothing). */
static int sig_status(int status) { return g_sig && status ? 128 + g_sig : status; }

/* ---- the lake ---- */

lh_rc lh_lake_open(const lh_global_opts *g, lh_lake *lake, lh_err *err)
{
    const char *root = g->lake ? g->lake : getenv("LAKEHOUSE_LAKE");
    lh_rc rc;
    memset(lake, 0, sizeof *lake);
    if (!root || !*root)
        root = "./lake";
    lake->root = lh_strdup(root);
    lake->catalog_path = g->catalog ? lh_strdup(g->catalog) : lh_aprintf("%s/.lakehouse/catalog.db", root);
    if (!lake->root || !lake->catalog_path) {
        lh_lake_close(lake);
        return lh_errf(err, LH_ENOMEM, "out of memory");
    }
    if (g->s3) {
        lh_s3_opts so;
        memset(&so, 0, sizeof so);
        so.endpoint = g->endpoint;
        so.region = g->region;
        so.profile = g->profile;
        rc = lh_store_open_s3(&so, &lake->store, err);
        if (!rc && mkdir(root, 0777) != 0 && errno != EEXIST)
            rc = lh_errf(err, LH_EIO, "%s: cannot create the lake folder for the catalog: %s", root, strerror(errno));
    } else
        rc = lh_store_open_local(root, &lake->store, err);
    snprintf(g_lake_root, sizeof g_lake_root, "%s", root);
    if (!rc)
        rc = lh_catalog_open(lake->catalog_path, &lake->cat, err);
    if (!rc && lh_catalog_readonly(lake->cat)) {
        static int noticed;
        if (!noticed++)
            fprintf(stderr, "%s: lake %s is read-only (%s): reading only\n", g_prog, root,
                    lh_catalog_readonly(lake->cat));
    }
    if (!rc)
        rc = lh_engine_open(lake->store, lake->cat, &lake->engine, err);
    if (!rc) {
        /* spill files: the lake's own scratch folder, or the system's when
         * the lake is read-only */
        long pages = sysconf(_SC_PHYS_PAGES), psz = sysconf(_SC_PAGESIZE);
        uint64_t ram = pages > 0 && psz > 0 ? (uint64_t)pages * (uint64_t)psz : 0, lim = 0;
        const char *sys = getenv("TMPDIR");
        char *tmp = lh_catalog_readonly(lake->cat) ? lh_aprintf("%s/lakehouse-spill", sys && *sys ? sys : "/tmp")
                                                   : lh_aprintf("%s/.lakehouse/tmp", root);
        if (!tmp)
            rc = lh_errf(err, LH_ENOMEM, "out of memory");
        else if (g->memory_limit && (rc = lh_parse_mem_size(g->memory_limit, ram, &lim, err)))
            lh_err_prefix(err, "--memory-limit");
        if (!rc)
            rc = lh_engine_set_memory(lake->engine, (size_t)lim, tmp, err);
        lh_free(tmp);
    }
    if (rc)
        lh_lake_close(lake);
    return rc;
}

void lh_lake_close(lh_lake *lake)
{
    lh_engine_close(lake->engine);
    lh_catalog_close(lake->cat);
    lh_store_close(lake->store);
    lh_free(lake->root);
    lh_free(lake->catalog_path);
    memset(lake, 0, sizeof *lake);
}

/* ---- help ---- */

static void usage(FILE *f)
{
    fprintf(f,
            "usage: lakehouse [--lake DIR] [--catalog PATH] COMMAND [ARGS]\n"
            "\n"
            "A lakehouse on one machine: Athena DDL and CTAS jobs over a local folder\n"
            "standing in for S3: a SQLite catalog, and its own SQL engine with Athena's\n"
            "types, functions and errors.\n"
            "\n"
            "commands:\n"
            "  ingest SRC URI          copy a file or folder into the lake (like aws s3 cp --recursive)\n"
            "  sql [--format F] (-e SQL | FILE.sql)...   run statements; no args: interactive shell\n"
            "  run PIPELINE_DIR        run the DDL, then the jobs in dependency order\n"
            "  verify PIPELINE_DIR     compare every table's row count with expected_counts.csv\n"
            "  runs [JOB]              show the job-run history\n"
            "  vacuum [--dry-run]      remove what failed or killed commands left behind\n"
            "  demo                    generate STEDI data, run the pipeline in a fresh lake, verify\n"
            "  report PIPELINE_DIR [-o FILE]   write the run report (HTML: counts, previews, graph)\n"
            "  graph PIPELINE_DIR [--format dot|svg]   print the pipeline graph\n"
            "  gen stedi [--scale N] [--seed S] OUT_DIR   generate STEDI landing data\n"
            "\n"
            "The lake is --lake DIR, else $LAKEHOUSE_LAKE, else ./lake; s3://BUCKET/KEY is the\n"
            "file LAKE/BUCKET/KEY.  The catalog is LAKE/.lakehouse/catalog.db unless --catalog.\n"
            "With --s3 (or LAKEHOUSE_S3=1) every s3:// URI goes to S3 instead: --endpoint URL\n"
            "(or AWS_ENDPOINT_URL) for an S3-compatible server, else AWS's regional endpoint;\n"
            "--region, --profile and the AWS credential chain (env, ~/.aws) as the aws-cli uses\n"
            "them.  The catalog stays local, in the lake folder.\n"
            "Global options (--lake, --catalog, --s3, --endpoint, --region, --profile,\n"
            "--memory-limit) may come before or after the command.\n"
            "--memory-limit SIZE (4GB, 512MB, 50%%; else $LH_MEMORY_LIMIT, else 60%% of RAM) caps\n"
            "what one statement keeps in memory; sorts, aggregates and joins past it spill to\n"
            "LAKE/.lakehouse/tmp (files without names, gone when the process ends).\n"
            "'lakehouse COMMAND --help' describes one command.\n");
}

static const char *cmd_help(const char *cmd)
{
    if (!strcmp(cmd, "ingest"))
        return "usage: lakehouse [--lake DIR] ingest SRC URI\n"
               "Copy the file or folder tree SRC to the object-store URI, e.g.\n"
               "  lakehouse ingest ../shared/stedi s3://stedi-lakehouse/\n"
               "Objects already holding identical bytes are left alone.  Takes the lake's writer\n"
               "lock; an object that would land inside a managed table's location is refused.\n";
    if (!strcmp(cmd, "sql"))
        return "usage: lakehouse [--lake DIR] sql [--format table|csv|json] [-q] (-e SQL | FILE.sql)...\n"
               "Run the statements in order; stop at the first error (exit 2).\n"
               "Athena DDL (CREATE DATABASE, CREATE EXTERNAL TABLE, CREATE TABLE AS, DROP TABLE,\n"
               "SHOW DATABASES/TABLES/CREATE TABLE/COLUMNS, DESCRIBE) and SELECT/WITH queries.\n"
               "  --format table   aligned grid (default)\n"
               "  --format csv     RFC 4180, header row, NULL as an empty field\n"
               "  --format json    one JSON object per row\n"
               "  -q               no notices or row counts on stderr\n"
               "  --stats          after each query, what it scanned (rows; Parquet pages, bytes,\n"
               "                   row groups skipped on statistics) on stderr\n"
               "With no -e or FILE: an interactive shell on a terminal, else a script on stdin.\n";
    if (!strcmp(cmd, "run"))
        return "usage: lakehouse [--lake DIR] run [--wait SECONDS] [--job NAME | --from NAME] [--dry-run] PIPELINE_DIR\n"
               "Run PIPELINE_DIR/ddl/*.sql, then PIPELINE_DIR/jobs/*.sql in the order their\n"
               "reads and writes require.  Prints rows in, rows out and time per job.\n"
               "--job NAME runs only jobs/NAME.sql (recorded as that job); --from NAME runs it\n"
               "and every job downstream of it; --dry-run prints the order and what each job\n"
               "reads and writes, and runs nothing.  After a failure, names the jobs not run.\n"
               "One writer at a time: if another run holds the lake, fail at once, or wait\n"
               "up to --wait SECONDS for it.\n";
    if (!strcmp(cmd, "verify"))
        return "usage: lakehouse [--lake DIR] verify [--scale N] PIPELINE_DIR\n"
               "Count every table of PIPELINE_DIR/expected_counts.csv (times N) and print\n"
               "zone, table, expected, actual, ok.  Exit 1 if any count differs.\n";
    if (!strcmp(cmd, "runs"))
        return "usage: lakehouse [--lake DIR] runs [--limit N] [JOB]\n"
               "The job-run history, newest first: status, times, rows and errors.\n";
    if (!strcmp(cmd, "report"))
        return lh_cmd_report_help();
    if (!strcmp(cmd, "graph"))
        return lh_cmd_graph_help();
    if (!strcmp(cmd, "vacuum"))
        return "usage: lakehouse [--lake DIR] vacuum [--dry-run]\n"
               "Remove what failed or killed commands left behind: objects in a managed table's\n"
               "own run-*/ layout that no snapshot references, and .lh-tmp-* temporary files of\n"
               "dead writers anywhere in the lake's buckets; mark abandoned runs failed.  Never\n"
               "touches an EXTERNAL table's objects.  --dry-run lists them, with sizes, without\n"
               "removing anything.\n";
    if (!strcmp(cmd, "demo"))
        return "usage: lakehouse demo [--dir DIR] [--scale N] [--seed S] [--pipeline DIR]\n"
               "Generate STEDI sample data into DIR/data (default ./stedi-demo), run the STEDI\n"
               "pipeline into a fresh lake DIR/lake and print the verification table.\n";
    if (!strcmp(cmd, "gen"))
        return "usage: lakehouse gen stedi [--scale N] [--seed S] OUT_DIR\n"
               "Write deterministic STEDI landing data (N times the real data's counts).\n";
    return NULL;
}

static int wants_help(int argc, char **argv)
{
    int i;
    for (i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
            return 1;
    return 0;
}

/* ---- ingest ---- */

/* ingest: each entry it does not copy because it is no regular file. */
static void warn_skipped(void *ctx, const char *path, const char *kind)
{
    (void)ctx;
    fprintf(stderr, "lakehouse: warning: skipped %s: %s (not a regular file; not followed or read)\n", path, kind);
}

static int cmd_ingest(const lh_global_opts *g, int argc, char **argv)
{
    lh_lake lake;
    lh_err err = {0};
    lh_ingest_stats st;
    double t0 = now_ms();
    if (argc != 3) {
        fputs(cmd_help("ingest"), stderr);
        return 2;
    }
    if (lh_lake_open(g, &lake, &err))
        return fail(&err);
    if (lake_need_write(&lake, "ingest", &err) ||
        lh_ingest_lake(lake.store, lake.cat, argv[1], argv[2], warn_skipped, NULL, &st, &err)) {
        lh_lake_close(&lake);
        return fail(&err);
    }
    printf("ingested %s -> %s: %llu file%s copied (%llu bytes), %llu unchanged", argv[1], argv[2],
           (unsigned long long)st.files_copied, st.files_copied == 1 ? "" : "s", (unsigned long long)st.bytes_copied,
           (unsigned long long)st.files_unchanged);
    if (st.files_skipped)
        printf(", %llu skipped (not regular files)", (unsigned long long)st.files_skipped);
    printf(", %.0f ms\n", now_ms() - t0);
    lh_lake_close(&lake);
    return 0;
}

/* ---- sql ---- */

static char *slurp(FILE *f, size_t *len, lh_err *err)
{
    lh_buf b;
    char chunk[65536];
    size_t n;
    lh_buf_init(&b, (size_t)256 << 20);
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (lh_buf_append(&b, chunk, n, err)) {
            lh_buf_free(&b);
            return NULL;
        }
    if (ferror(f)) {
        lh_buf_free(&b);
        lh_errf(err, LH_EIO, "read failed: %s", strerror(errno));
        return NULL;
    }
    *len = b.len;
    return lh_buf_detach(&b);
}

static int cmd_sql(const lh_global_opts *g, int argc, char **argv)
{
    lh_lake lake;
    lh_err err = {0};
    lh_printer *pr = NULL;
    int fmt = LH_OUT_TABLE, quiet = 0, stats = 0, i, nscripts = 0, status = 0;
    /* first pass: options */
    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--format") || !strcmp(argv[i], "-f")) {
            if (i + 1 >= argc || (fmt = lh_outfmt_parse(argv[i + 1])) < 0) {
                fprintf(stderr, "%s: error: --format takes table, csv or json\n", g_prog);
                return 2;
            }
            i++;
        } else if (!strncmp(argv[i], "--format=", 9)) {
            if ((fmt = lh_outfmt_parse(argv[i] + 9)) < 0) {
                fprintf(stderr, "%s: error: --format takes table, csv or json\n", g_prog);
                return 2;
            }
        } else if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet"))
            quiet = 1;
        else if (!strcmp(argv[i], "--stats"))
            stats = 1;
        else if (!strcmp(argv[i], "-e")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "%s: error: -e needs a SQL text\n", g_prog);
                return 2;
            }
            i++;
            nscripts++;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "%s: error: unknown option %s for sql\n%s", g_prog, argv[i], cmd_help("sql"));
            return 2;
        } else
            nscripts++;
    }
    if (lh_lake_open(g, &lake, &err))
        return fail(&err);
    lh_engine_set_stats(lake.engine, stats);
    if (nscripts == 0 && isatty(0)) {
        status = lh_shell(&lake, (lh_outfmt)fmt);
        lh_lake_close(&lake);
        return status;
    }
    if (lh_printer_new((lh_outfmt)fmt, stdout, quiet ? NULL : stderr, &pr, &err)) {
        lh_lake_close(&lake);
        return fail(&err);
    }
    stop_signals(lake.engine);
    if (nscripts == 0) {
        size_t len = 0;
        char *text = slurp(stdin, &len, &err);
        if (!text || lh_engine_exec(lake.engine, text, len, "<stdin>", lh_printer_sink(pr), NULL, &err))
            status = fail(&err);
        lh_free(text);
    }
    for (i = 1; i < argc && !status; i++) {
        if (!strcmp(argv[i], "--format") || !strcmp(argv[i], "-f")) {
            i++;
            continue;
        }
        if (argv[i][0] == '-' && strcmp(argv[i], "-e"))
            continue;
        if (!strcmp(argv[i], "-e")) {
            i++;
            if (lh_engine_exec(lake.engine, argv[i], strlen(argv[i]), "<-e>", lh_printer_sink(pr), NULL, &err))
                status = fail(&err);
        } else {
            FILE *f = fopen(argv[i], "rb");
            size_t len = 0;
            char *text;
            if (!f) {
                lh_errf(&err, LH_ENOTFOUND, "%s: cannot open: %s", argv[i], strerror(errno));
                status = fail(&err);
                break;
            }
            text = slurp(f, &len, &err);
            fclose(f);
            if (!text || lh_engine_exec(lake.engine, text, len, argv[i], lh_printer_sink(pr), NULL, &err))
                status = fail(&err);
            lh_free(text);
        }
    }
    stop_signals(NULL);
    lh_printer_free(pr);
    lh_lake_close(&lake);
    return sig_status(status);
}

/* ---- run / verify ---- */

static void on_progress(void *ctx, const lh_job_result *r)
{
    size_t *jobs_seen = ctx;
    if (r->job && jobs_seen)
        (*jobs_seen)++;
    if (!r->job) {
        if (r->rc)
            fprintf(stderr, "  ddl  %-36s FAILED\n", r->script);
        else
            printf("  ddl  %-36s ok %8.1f ms\n", strrchr(r->script, '/') ? strrchr(r->script, '/') + 1 : r->script,
                   r->stats.ms);
        return;
    }
    if (r->rc == LH_ECANCELLED)
        fprintf(stderr, "  job  %-36s CANCELLED (previous snapshot of %s kept)\n", r->job->name, r->job->target);
    else if (r->rc)
        fprintf(stderr, "  job  %-36s FAILED (previous snapshot of %s kept)\n", r->job->name, r->job->target);
    else {
        printf("  job  %-36s %9llu rows in %9llu rows out %8.1f ms  -> %s\n", r->job->name,
               (unsigned long long)r->stats.rows_read, (unsigned long long)r->stats.rows_out, r->stats.ms,
               r->job->target);
        if (r->stats.malformed)
            printf("       %-36s %9llu malformed lines quarantined -> %s_quarantine\n", "",
                   (unsigned long long)r->stats.malformed, r->job->target);
    }
    fflush(stdout);
}

/* What `run` was asked: one job (--job), a job and what depends on it
 * (--from), or only the plan (--dry-run). */
typedef struct run_opts {
    const char *job;
    int downstream;
    int dry;
} run_opts;

static lh_rc load_selected(const char *dir, const run_opts *o, lh_pipeline **p, lh_err *err)
{
    lh_rc rc = lh_pipeline_load(dir, p, err);
    if (!rc && o->job && (rc = lh_pipeline_select(*p, o->job, o->downstream, err))) {
        lh_pipeline_free(*p);
        *p = NULL;
    }
    return rc;
}

/* run --dry-run: the order, and what each job reads and writes. */
static int do_dry_run(const char *dir, const run_opts *o)
{
    lh_pipeline *p = NULL;
    lh_err err = {0};
    size_t i, k;
    if (load_selected(dir, o, &p, &err))
        return fail(&err);
    printf("pipeline %s (dry run: nothing is read or written)\n", dir);
    for (i = 0; i < lh_pipeline_ddl_count(p); i++)
        printf("  ddl  %s\n", lh_pipeline_ddl(p, i));
    for (i = 0; i < lh_pipeline_job_count(p); i++) {
        const lh_job_info *j = lh_pipeline_job(p, i);
        printf("  job  %-36s %s  writes %s  reads", j->name, lh_pipeline_job_selected(p, i) ? "runs   " : "skipped",
               j->target);
        for (k = 0; k < j->n_reads; k++)
            printf("%s %s", k ? "," : "", j->reads[k]);
        printf("\n");
    }
    lh_pipeline_free(p);
    return 0;
}

static int do_run(lh_lake *lake, const char *dir, const run_opts *o)
{
    lh_pipeline *p = NULL;
    lh_err err = {0};
    double t0 = now_ms();
    size_t i, nsel = 0, seen = 0;
    if (load_selected(dir, o, &p, &err))
        return fail(&err);
    for (i = 0; i < lh_pipeline_job_count(p); i++)
        nsel += lh_pipeline_job_selected(p, i) != 0;
    printf("pipeline %s: %zu DDL script%s, %zu job%s in order:", dir, lh_pipeline_ddl_count(p),
           lh_pipeline_ddl_count(p) == 1 ? "" : "s", nsel, nsel == 1 ? "" : "s");
    for (i = 0, nsel = 0; i < lh_pipeline_job_count(p); i++)
        if (lh_pipeline_job_selected(p, i))
            printf("%s %s", nsel++ ? "," : "", lh_pipeline_job(p, i)->name);
    printf("\n");
    if (lh_pipeline_run(p, lake->engine, on_progress, &seen, &err)) {
        /* the jobs that never started (the failed one reported itself) */
        size_t left = 0;
        char names[1024] = "";
        for (i = 0, nsel = 0; i < lh_pipeline_job_count(p); i++)
            if (lh_pipeline_job_selected(p, i) && nsel++ >= seen) {
                if (strlen(names) + strlen(lh_pipeline_job(p, i)->name) + 3 < sizeof names)
                    snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", left ? ", " : "",
                             lh_pipeline_job(p, i)->name);
                left++;
            }
        if (left)
            fprintf(stderr, "  not run: %s\n", names);
        lh_pipeline_free(p);
        if (err.code == LH_ECANCELLED) {
            fprintf(stderr, "%s: run cancelled%s after %.1f ms: the running job was recorded cancelled and its objects "
                            "deleted; no further job ran\n",
                    g_prog, g_sig == SIGTERM ? " (SIGTERM)" : g_sig == SIGINT ? " (Ctrl-C)" : "", now_ms() - t0);
            return 2;
        }
        return fail(&err);
    }
    printf("pipeline done in %.1f ms\n", now_ms() - t0);
    lh_pipeline_free(p);
    return 0;
}

static int do_verify(lh_lake *lake, const char *dir, int64_t scale)
{
    lh_pipeline *p = NULL;
    lh_err err = {0};
    lh_verify_row *rows = NULL;
    int ok = 0, status;
    size_t i, n;
    char **cells = NULL;
    const char *names[5] = {"zone", "table", "expected", "actual", "ok"};
    if (lh_pipeline_load(dir, &p, &err))
        return fail(&err);
    if (lh_pipeline_verify(p, lake->engine, scale, &rows, &ok, &err)) {
        lh_pipeline_free(p);
        return fail(&err);
    }
    n = lh_pipeline_expected_count(p);
    cells = lh_calloc(n * 5 + 1, sizeof *cells);
    if (!cells) {
        lh_errf(&err, LH_ENOMEM, "out of memory");
        status = fail(&err);
        goto out;
    }
    for (i = 0; i < n; i++) {
        cells[i * 5] = lh_strdup(rows[i].exp->zone);
        cells[i * 5 + 1] = lh_strdup(rows[i].exp->table);
        cells[i * 5 + 2] = lh_aprintf("%lld", (long long)rows[i].expected);
        cells[i * 5 + 3] = rows[i].actual < 0 ? lh_strdup("error") : lh_aprintf("%lld", (long long)rows[i].actual);
        cells[i * 5 + 4] = lh_strdup(rows[i].ok ? "ok" : "FAIL");
    }
    for (i = 0; i < n * 5; i++)
        if (!cells[i]) {
            lh_errf(&err, LH_ENOMEM, "out of memory");
            status = fail(&err);
            goto out;
        }
    if (lh_print_grid(stdout, 5, names, (const char *const *)cells, n, &err)) {
        status = fail(&err);
        goto out;
    }
    for (i = 0; i < n; i++)
        if (rows[i].error[0])
            fprintf(stderr, "%s: %s\n", rows[i].exp->table, rows[i].error);
    if (ok)
        printf("verify: all %zu tables have the expected row counts\n", n);
    else {
        /* the two mistakes people make: the wrong --scale (every count off
         * by one factor), and tables with nothing in them */
        int64_t num = 0, den = 0;
        int same = n > 0;
        char empty[512] = "";
        size_t ne = 0, nerr = 0;
        for (i = 0; i < n; i++) {
            nerr += rows[i].actual < 0;
            if (rows[i].actual == 0 && ne++ < 8)
                snprintf(empty + strlen(empty), sizeof empty - strlen(empty), "%s%s", ne > 1 ? ", " : "",
                         rows[i].exp->table);
            if (rows[i].actual <= 0 || rows[i].expected <= 0)
                same = 0;
            else if (!den)
                num = rows[i].actual, den = rows[i].expected;
            else if ((__int128)rows[i].actual * den != (__int128)num * rows[i].expected)
                same = 0;
        }
        fprintf(stderr, "verify: FAILED: some row counts differ from %s/expected_counts.csv\n", dir);
        if (same && den && num != den && ((__int128)scale * num) % den == 0) {
            long long want = (long long)(((__int128)scale * num) / den);
            if (num > den)
                fprintf(stderr, "verify: every count is %.4g times the expected at --scale %lld: did you mean --scale %lld?\n",
                        (double)num / (double)den, (long long)scale, want);
            else
                fprintf(stderr, "verify: every count is 1/%.4g of the expected at --scale %lld: did you mean --scale %lld?\n",
                        (double)den / (double)num, (long long)scale, want);
        }
        if (ne)
            fprintf(stderr, "verify: %zu table%s empty: %s%s (was the landing data ingested, and the pipeline run?)\n",
                    ne, ne == 1 ? " is" : "s are", empty, ne > 8 ? ", ..." : "");
        if (nerr == n)
            fprintf(stderr, "verify: no table could be counted: is this the lake the pipeline ran in (--lake)?\n");
    }
    status = ok ? 0 : 1;
out:
    for (i = 0; cells && i < n * 5; i++)
        lh_free(cells[i]);
    lh_free(cells);
    lh_free(rows);
    lh_pipeline_free(p);
    return status;
}

static int parse_int_opt(const char *name, const char *v, long long lo, long long hi, long long *out);

static int cmd_run(const lh_global_opts *g, int argc, char **argv)
{
    lh_lake lake;
    lh_err err = {0};
    lh_lake_lock *lock = NULL;
    long long wait_s = 0;
    const char *dir = NULL;
    int status, i;
    char what[600];
    run_opts o = {0};
    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--wait") && i + 1 < argc) {
            if (parse_int_opt("--wait", argv[++i], 0, 86400, &wait_s))
                return 2;
        } else if ((!strcmp(argv[i], "--job") || !strcmp(argv[i], "--from")) && i + 1 < argc && !o.job) {
            o.downstream = !strcmp(argv[i], "--from");
            o.job = argv[++i];
        } else if (!strcmp(argv[i], "--dry-run"))
            o.dry = 1;
        else if (!dir && argv[i][0] != '-')
            dir = argv[i];
        else {
            fputs(cmd_help("run"), stderr);
            return 2;
        }
    }
    if (!dir) {
        fputs(cmd_help("run"), stderr);
        return 2;
    }
    if (o.dry)
        return do_dry_run(dir, &o);
    if (lh_lake_open(g, &lake, &err))
        return fail(&err);
    snprintf(what, sizeof what, "lakehouse run %s", dir);
    if (lake_need_write(&lake, "run", &err) ||
        lh_lake_lock_acquire(lake.catalog_path, what, (int)wait_s * 1000, &lock, &err)) {
        lh_lake_close(&lake);
        return fail(&err);
    }
    stop_signals(lake.engine);
    status = sig_status(do_run(&lake, dir, &o));
    stop_signals(NULL);
    lh_lake_lock_release(lock);
    lh_lake_close(&lake);
    return status;
}

static int parse_int_opt(const char *name, const char *v, long long lo, long long hi, long long *out)
{
    char *end;
    long long x;
    errno = 0;
    x = strtoll(v, &end, 10);
    if (errno || *end || end == v || x < lo || x > hi) {
        fprintf(stderr, "%s: error: %s must be an integer in %lld..%lld, got '%s'\n", g_prog, name, lo, hi, v);
        return -1;
    }
    *out = x;
    return 0;
}

static int cmd_verify(const lh_global_opts *g, int argc, char **argv)
{
    lh_lake lake;
    lh_err err = {0};
    long long scale = 1;
    const char *dir = NULL;
    int i, status;
    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--scale") && i + 1 < argc) {
            if (parse_int_opt("--scale", argv[++i], 1, 1000000, &scale))
                return 2;
        } else if (!dir && argv[i][0] != '-')
            dir = argv[i];
        else {
            fputs(cmd_help("verify"), stderr);
            return 2;
        }
    }
    if (!dir) {
        fputs(cmd_help("verify"), stderr);
        return 2;
    }
    if (lh_lake_open(g, &lake, &err))
        return fail(&err);
    status = do_verify(&lake, dir, scale);
    lh_lake_close(&lake);
    return status;
}

static int cmd_runs(const lh_global_opts *g, int argc, char **argv)
{
    lh_lake lake;
    lh_err err = {0};
    lh_run_info *runs = NULL;
    size_t n = 0, i;
    long long limit = 20;
    const char *job = NULL;
    for (i = 1; i < (size_t)argc; i++) {
        if (!strcmp(argv[i], "--limit") && i + 1 < (size_t)argc) {
            if (parse_int_opt("--limit", argv[++i], 1, 1000000, &limit))
                return 2;
        } else if (!job && argv[i][0] != '-')
            job = argv[i];
        else {
            fputs(cmd_help("runs"), stderr);
            return 2;
        }
    }
    if (lh_lake_open(g, &lake, &err))
        return fail(&err);
    if (lh_catalog_list_runs(lake.cat, job, (int)limit, &runs, &n, &err)) {
        lh_lake_close(&lake);
        return fail(&err);
    }
    if (job && n == 0) { /* a job with no runs: most likely a typo; name the near one */
        lh_run_info *all = NULL;
        size_t na = 0, k, nj = 0;
        const char **jobs = NULL;
        const char *near = NULL;
        if (lh_catalog_list_runs(lake.cat, NULL, 1000000, &all, &na, &err) == LH_OK &&
            (jobs = lh_calloc(na + 1, sizeof *jobs))) {
            for (k = 0; k < na; k++) {
                size_t j;
                for (j = 0; j < nj && strcmp(jobs[j], all[k].job); j++)
                    ;
                if (j == nj)
                    jobs[nj++] = all[k].job;
            }
            near = lh_name_nearest(job, jobs, nj);
        }
        if (near)
            fprintf(stderr, "%s: error: no runs of job '%s' in this lake (did you mean '%s'?)\n", g_prog, job, near);
        else
            fprintf(stderr, "%s: error: no runs of job '%s' in this lake ('lakehouse runs' lists every job's runs)\n",
                    g_prog, job);
        lh_free(jobs);
        lh_run_info_free(all, na);
        lh_run_info_free(runs, n);
        lh_lake_close(&lake);
        return 2;
    }
    printf("%-6s %-34s %-10s %-24s %10s %10s %10s  %s\n", "run", "job", "status", "started", "ms", "rows_in",
           "rows_out", "target / error");
    for (i = 0; i < n; i++)
        printf("%-6lld %-34s %-10s %-24s %10lld %10lld %10lld  %s\n", (long long)runs[i].id, runs[i].job,
               runs[i].status, runs[i].started_at ? runs[i].started_at : "", (long long)runs[i].duration_ms,
               (long long)runs[i].rows_read, (long long)runs[i].rows_written,
               runs[i].error ? runs[i].error : (runs[i].target ? runs[i].target : ""));
    lh_run_info_free(runs, n);
    lh_lake_close(&lake);
    return 0;
}

/* ---- vacuum ---- */

static void on_orphan(void *ctx, const char *uri, uint64_t size, int removed)
{
    (void)ctx;
    printf("%s %s (%llu bytes)\n", removed ? "removed" : "would remove", uri, (unsigned long long)size);
}

static int cmd_vacuum(const lh_global_opts *g, int argc, char **argv)
{
    lh_lake lake;
    lh_err err = {0};
    lh_vacuum_stats st;
    int dry = 0, i;
    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--dry-run") || !strcmp(argv[i], "-n"))
            dry = 1;
        else {
            fputs(cmd_help("vacuum"), stderr);
            return 2;
        }
    }
    if (lh_lake_open(g, &lake, &err))
        return fail(&err);
    if (lake_need_write(&lake, "vacuum", &err) ||
        lh_vacuum(lake.store, lake.cat, dry, on_orphan, NULL, &st, &err)) {
        lh_lake_close(&lake);
        return fail(&err);
    }
    printf("vacuum%s: %llu managed tables, %llu objects, %llu orphaned (%llu bytes) %s; %llu temporary files "
           "(%llu bytes) %s; %llu abandoned runs %s\n",
           dry ? " (dry run)" : "", (unsigned long long)st.tables, (unsigned long long)st.objects,
           (unsigned long long)st.orphans, (unsigned long long)st.orphan_bytes, dry ? "to remove" : "removed",
           (unsigned long long)st.tmp_files, (unsigned long long)st.tmp_bytes, dry ? "to remove" : "removed",
           (unsigned long long)st.runs_abandoned, dry ? "to record" : "recorded");
    if (st.tmp_kept)
        printf("vacuum: kept %llu temporary file%s of live writers\n", (unsigned long long)st.tmp_kept,
               st.tmp_kept == 1 ? "" : "s");
    if (st.foreign)
        printf("vacuum: kept %llu unreferenced object%s under another table's location\n",
               (unsigned long long)st.foreign, st.foreign == 1 ? "" : "s");
    printf("vacuum: %s %llu bytes in total\n", dry ? "would free" : "freed",
           (unsigned long long)(st.orphan_bytes + st.tmp_bytes));
    lh_lake_close(&lake);
    return 0;
}

/* ---- gen / demo ---- */

static int cmd_gen(int argc, char **argv)
{
    long long scale = 1, seed = 42;
    const char *out = NULL;
    int i;
    lh_err err = {0};
    lh_gen_stats st;
    double t0 = now_ms();
    if (argc < 2 || strcmp(argv[1], "stedi")) {
        fputs(cmd_help("gen"), stderr);
        return 2;
    }
    for (i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--scale") && i + 1 < argc) {
            if (parse_int_opt("--scale", argv[++i], 1, 100000, &scale))
                return 2;
        } else if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
            if (parse_int_opt("--seed", argv[++i], 0, LLONG_MAX, &seed))
                return 2;
        } else if (!out && argv[i][0] != '-')
            out = argv[i];
        else {
            fputs(cmd_help("gen"), stderr);
            return 2;
        }
    }
    if (!out) {
        fputs(cmd_help("gen"), stderr);
        return 2;
    }
    if (lh_gen_stedi(out, (int)scale, (uint64_t)seed, &st, &err))
        return fail(&err);
    printf("generated STEDI scale %lld seed %lld into %s: %llu customers (%llu consenting), %llu accelerometer rows, "
           "%llu step-trainer rows, %llu files, %llu bytes, %.0f ms\n",
           scale, seed, out, (unsigned long long)st.customers, (unsigned long long)st.consenting,
           (unsigned long long)st.accel_rows, (unsigned long long)st.step_rows, (unsigned long long)st.files,
           (unsigned long long)st.bytes, now_ms() - t0);
    if (scale != 1)
        printf("verify and report this data with --scale %lld (the expected counts grow with it)\n", scale);
    return 0;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* The STEDI pipeline shipped beside the binary (build/lakehouse -> pipelines/stedi). */
static char *find_pipeline(void)
{
    char exe[PATH_MAX], *slash;
    const char *rel[] = {"/../pipelines/stedi", "/../share/lakehouse/pipelines/stedi", "/../../pipelines/stedi"};
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    size_t i;
    struct stat sb;
    if (n > 0) {
        exe[n] = 0;
        slash = strrchr(exe, '/');
        if (slash)
            *slash = 0;
        for (i = 0; i < sizeof rel / sizeof rel[0]; i++) {
            char *p = lh_aprintf("%s%s", exe, rel[i]);
            if (p && stat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
                return p;
            lh_free(p);
        }
    }
    if (stat("pipelines/stedi", &sb) == 0)
        return lh_strdup("pipelines/stedi");
    return NULL;
}

static int cmd_demo(const lh_global_opts *g, int argc, char **argv)
{
    const char *dir = "stedi-demo", *pipeline = NULL;
    long long scale = 1, seed = 42;
    char *data = NULL, *lakedir = NULL, *found = NULL;
    lh_global_opts lg = *g;
    lh_lake lake;
    lh_err err = {0};
    lh_gen_stats gs;
    lh_ingest_stats is;
    int i, status = 2;
    struct stat sb;
    double t0 = now_ms(), t;
    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--dir") && i + 1 < argc)
            dir = argv[++i];
        else if (!strcmp(argv[i], "--pipeline") && i + 1 < argc)
            pipeline = argv[++i];
        else if (!strcmp(argv[i], "--scale") && i + 1 < argc) {
            if (parse_int_opt("--scale", argv[++i], 1, 100000, &scale))
                return 2;
        } else if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
            if (parse_int_opt("--seed", argv[++i], 0, LLONG_MAX, &seed))
                return 2;
        } else {
            fputs(cmd_help("demo"), stderr);
            return 2;
        }
    }
    if (!pipeline) {
        found = find_pipeline();
        if (!found) {
            fprintf(stderr, "%s: error: cannot find the STEDI pipeline folder; pass --pipeline DIR\n", g_prog);
            return 2;
        }
        pipeline = found;
    }
    data = lh_aprintf("%s/data", dir);
    lakedir = g->lake ? lh_strdup(g->lake) : lh_aprintf("%s/lake", dir);
    if (!data || !lakedir) {
        fprintf(stderr, "%s: error: out of memory\n", g_prog);
        goto out;
    }
    /* a fresh lake: remove the previous demo lake (only one we made) */
    if (stat(lakedir, &sb) == 0) {
        char *marker = lh_aprintf("%s/.lakehouse/catalog.db", lakedir);
        struct stat ms;
        if (!marker || stat(marker, &ms) != 0) {
            fprintf(stderr, "%s: error: %s exists and is not a lakehouse lake; choose another --dir\n", g_prog, lakedir);
            lh_free(marker);
            goto out;
        }
        lh_free(marker);
        if (nftw(lakedir, rm_entry, 16, FTW_DEPTH | FTW_PHYS) != 0) {
            fprintf(stderr, "%s: error: cannot remove the old demo lake %s: %s\n", g_prog, lakedir, strerror(errno));
            goto out;
        }
    }
    printf("lakehouse demo: STEDI Human Balance Analytics, landing -> trusted -> curated\n");
    t = now_ms();
    if (lh_gen_stedi(data, (int)scale, (uint64_t)seed, &gs, &err)) {
        status = fail(&err);
        goto out;
    }
    printf("1. generated scale-%lld STEDI landing data in %s: %llu files, %.1f MB (%.0f ms)\n", scale, data,
           (unsigned long long)gs.files, (double)gs.bytes / 1e6, now_ms() - t);
    lg.lake = lakedir;
    if (lh_lake_open(&lg, &lake, &err)) {
        status = fail(&err);
        goto out;
    }
    t = now_ms();
    if (lh_ingest_lake(lake.store, lake.cat, data, "s3://stedi-lakehouse/", NULL, NULL, &is, &err)) {
        status = fail(&err);
        lh_lake_close(&lake);
        goto out;
    }
    printf("2. ingested into s3://stedi-lakehouse/ (lake %s): %llu files (%.0f ms)\n", lakedir,
           (unsigned long long)is.files_copied, now_ms() - t);
    printf("3. ran ");
    {
        run_opts all = {0};
        status = do_run(&lake, pipeline, &all);
    }
    if (status == 0) {
        printf("4. verified:\n");
        status = do_verify(&lake, pipeline, scale);
    }
    if (status == 0) {
        char *report = lh_aprintf("%s/report.html", dir);
        printf("5. wrote the run report (counts, previews, job graph, consent facts): ");
        fflush(stdout);
        status = report ? lh_report_lake(&lake, pipeline, report, scale) : 2;
        lh_free(report);
    }
    lh_lake_close(&lake);
    if (status == 0)
        printf("demo done in %.0f ms. Explore: %s --lake %s sql -e 'SELECT * FROM stedi.machine_learning_curated LIMIT 5'\n",
               now_ms() - t0, g_argv0, lakedir);
out:
    lh_free(found);
    lh_free(data);
    lh_free(lakedir);
    return status;
}

/* A global option at argv[i]: how many arguments it took (0: none is
 * there, -1: its value is missing, after saying so). */
static int take_global(lh_global_opts *g, int argc, char **argv, int i)
{
    static const struct {
        const char *name;
        size_t off;
    } vals[] = {
        {"--lake", offsetof(lh_global_opts, lake)},         {"--catalog", offsetof(lh_global_opts, catalog)},
        {"--endpoint", offsetof(lh_global_opts, endpoint)}, {"--region", offsetof(lh_global_opts, region)},
        {"--profile", offsetof(lh_global_opts, profile)},   {"--memory-limit", offsetof(lh_global_opts, memory_limit)},
    };
    const char *a = argv[i];
    size_t k;
    if (!strcmp(a, "--s3")) {
        g->s3 = 1;
        return 1;
    }
    for (k = 0; k < sizeof vals / sizeof vals[0]; k++) {
        size_t n = strlen(vals[k].name);
        const char **dst = (const char **)((char *)g + vals[k].off);
        if (strncmp(a, vals[k].name, n))
            continue;
        if (a[n] == '=')
            *dst = a + n + 1;
        else if (a[n])
            continue;
        else if (i + 1 >= argc) {
            fprintf(stderr, "%s: error: %s needs a value\n", g_prog, vals[k].name);
            return -1;
        } else
            *dst = argv[i + 1];
        if (!strcmp(vals[k].name, "--endpoint"))
            g->s3 = 1;
        return a[n] == '=' ? 1 : 2;
    }
    return 0;
}

int main(int argc, char **argv)
{
    lh_global_opts g = {0};
    int i = 1;
    const char *cmd;
    if (argc > 0 && argv[0][0])
        g_argv0 = argv[0];
    while (i < argc && argv[i][0] == '-') {
        int used = take_global(&g, argc, argv, i);
        if (used < 0)
            return 2;
        if (used) {
            i += used;
            continue;
        }
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(argv[i], "--version")) {
            printf("lakehouse %s (SQLite %s)\n", VERSION, sqlite3_libversion());
            return 0;
        } else {
            fprintf(stderr, "%s: error: unknown option %s\n", g_prog, argv[i]);
            usage(stderr);
            return 2;
        }
    }
    if (getenv("LAKEHOUSE_S3") && !strcmp(getenv("LAKEHOUSE_S3"), "1"))
        g.s3 = 1;
    if (i >= argc) {
        usage(stderr);
        return 2;
    }
    cmd = argv[i];
    argc -= i;
    argv += i;
    { /* global options may follow the command too (sql --lake X ...) */
        int r = 1, w = 1, verbatim = 0;
        while (r < argc) {
            int used = verbatim || !strcmp(argv[r - 1], "-e") ? 0 : take_global(&g, argc, argv, r);
            if (used < 0)
                return 2;
            if (!strcmp(argv[r], "--"))
                verbatim = 1;
            if (used) {
                r += used;
                continue;
            }
            argv[w++] = argv[r++];
        }
        argc = w;
        argv[argc] = NULL;
    }
    if (!strcmp(cmd, "help")) {
        const char *h = argc > 1 ? cmd_help(argv[1]) : NULL;
        if (h)
            fputs(h, stdout);
        else
            usage(stdout);
        return 0;
    }
    if (cmd_help(cmd) && wants_help(argc, argv)) {
        fputs(cmd_help(cmd), stdout);
        return 0;
    }
    if (!strcmp(cmd, "ingest"))
        return cmd_ingest(&g, argc, argv);
    if (!strcmp(cmd, "sql"))
        return cmd_sql(&g, argc, argv);
    if (!strcmp(cmd, "run"))
        return cmd_run(&g, argc, argv);
    if (!strcmp(cmd, "verify"))
        return cmd_verify(&g, argc, argv);
    if (!strcmp(cmd, "runs"))
        return cmd_runs(&g, argc, argv);
    if (!strcmp(cmd, "demo"))
        return cmd_demo(&g, argc, argv);
    if (!strcmp(cmd, "vacuum"))
        return cmd_vacuum(&g, argc, argv);
    if (!strcmp(cmd, "report"))
        return lh_cmd_report(&g, argc, argv);
    if (!strcmp(cmd, "graph"))
        return lh_cmd_graph(&g, argc, argv);
    if (!strcmp(cmd, "gen"))
        return cmd_gen(argc, argv);
    {
        static const char *const cmds[] = {"ingest", "sql", "run", "verify", "runs", "demo",
                                           "vacuum", "report", "graph", "gen", "help"};
        const char *near = lh_name_nearest(cmd, cmds, sizeof cmds / sizeof cmds[0]);
        if (near)
            fprintf(stderr, "%s: error: unknown command '%s' (did you mean '%s'?)\n", g_prog, cmd, near);
        else
            fprintf(stderr, "%s: error: unknown command '%s' (commands: ingest, sql, run, verify, runs, vacuum, "
                            "report, graph, gen, demo; 'lakehouse --help' for more)\n",
                    g_prog, cmd);
    }
    return 2;
}
