/* cli/cmd_report.c — `lakehouse report` and `lakehouse graph` (see cmd_report.h). */
#include "cli/cmd_report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline/graph.h"
#include "pipeline/pipeline.h"
#include "pipeline/report.h"
#include "util/mem.h"

static const char k_report_help[] =
    "usage: lakehouse [--lake DIR] report PIPELINE_DIR [-o FILE] [--scale N]\n"
    "Write one self-contained HTML page (no scripts, no network) about the pipeline's\n"
    "tables in the lake: the table of row counts (expected vs actual), every table zone\n"
    "by zone with its columns and first rows, the pipeline graph, the run history and\n"
    "the consent facts.  Prints the path of the page.\n"
    "  -o FILE      where to write the page (default report.html)\n"
    "  --scale N    expected counts times N (for generated data, as in verify)\n";

static const char k_graph_help[] =
    "usage: lakehouse [--lake DIR] graph PIPELINE_DIR [--format dot|svg]\n"
    "Print the pipeline graph to stdout: tables grouped by zone left to right, jobs\n"
    "between them with their last run (status, duration, rows in and out), reads and\n"
    "writes as edges.\n"
    "  --format dot   Graphviz DOT text (default)\n"
    "  --format svg   laid out by Graphviz as an SVG document\n";

const char *lh_cmd_report_help(void) { return k_report_help; }
const char *lh_cmd_graph_help(void) { return k_graph_help; }

static int fail(const lh_err *err)
{
    fprintf(stderr, "lakehouse: error: %s\n", err->msg[0] ? err->msg : lh_strerror(err->code));
    return 2;
}

static int usage_error(const char *help, const char *fmt, const char *arg)
{
    fprintf(stderr, "lakehouse: error: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n%s", help);
    return 2;
}

static int is_help(const char *a) { return !strcmp(a, "--help") || !strcmp(a, "-h"); }

int lh_report_lake(lh_lake *lake, const char *pipeline_dir, const char *path, int64_t scale)
{
    lh_pipeline *p = NULL;
    lh_err err = {0};
    lh_report_opts o;
    int status = 0;
    memset(&o, 0, sizeof o);
    o.scale = scale;
    if (lh_pipeline_load(pipeline_dir, &p, &err))
        return fail(&err);
    if (lh_report_write_file(lake->engine, p, path, &o, &err))
        status = fail(&err);
    else
        printf("%s\n", path);
    lh_pipeline_free(p);
    return status;
}

int lh_cmd_report(const lh_global_opts *g, int argc, char **argv)
{
    const char *dir = NULL, *out = "report.html";
    long long scale = 1;
    lh_lake lake;
    lh_err err = {0};
    int i, status;
    for (i = 1; i < argc; i++) {
        if (is_help(argv[i])) {
            fputs(k_report_help, stdout);
            return 0;
        }
    }
    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output")) {
            if (i + 1 >= argc)
                return usage_error(k_report_help, "%s needs a file name", argv[i]);
            out = argv[++i];
        } else if (!strncmp(argv[i], "--output=", 9))
            out = argv[i] + 9;
        else if (!strcmp(argv[i], "--scale")) {
            char *end;
            if (i + 1 >= argc)
                return usage_error(k_report_help, "%s needs a number", argv[i]);
            errno = 0;
            scale = strtoll(argv[++i], &end, 10);
            if (errno || *end || end == argv[i] || scale < 1 || scale > 1000000)
                return usage_error(k_report_help, "--scale must be an integer in 1..1000000, got '%s'", argv[i]);
        } else if (argv[i][0] == '-' && argv[i][1])
            return usage_error(k_report_help, "unknown option %s for report", argv[i]);
        else if (!dir)
            dir = argv[i];
        else
            return usage_error(k_report_help, "unexpected argument '%s'", argv[i]);
    }
    if (!dir)
        return usage_error(k_report_help, "%s", "report needs a PIPELINE_DIR");
    if (!*out)
        return usage_error(k_report_help, "%s", "-o needs a non-empty file name");
    if (lh_lake_open(g, &lake, &err))
        return fail(&err);
    status = lh_report_lake(&lake, dir, out, (int64_t)scale);
    lh_lake_close(&lake);
    return status;
}

int lh_cmd_graph(const lh_global_opts *g, int argc, char **argv)
{
    const char *dir = NULL, *format = "dot";
    lh_lake lake;
    lh_pipeline *p = NULL;
    lh_err err = {0};
    lh_buf b;
    int i, status = 0, opened = 0;
    lh_rc rc;
    for (i = 1; i < argc; i++) {
        if (is_help(argv[i])) {
            fputs(k_graph_help, stdout);
            return 0;
        }
    }
    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--format") || !strcmp(argv[i], "-f")) {
            if (i + 1 >= argc)
                return usage_error(k_graph_help, "%s needs dot or svg", argv[i]);
            format = argv[++i];
        } else if (!strncmp(argv[i], "--format=", 9))
            format = argv[i] + 9;
        else if (argv[i][0] == '-' && argv[i][1])
            return usage_error(k_graph_help, "unknown option %s for graph", argv[i]);
        else if (!dir)
            dir = argv[i];
        else
            return usage_error(k_graph_help, "unexpected argument '%s'", argv[i]);
    }
    if (strcmp(format, "dot") && strcmp(format, "svg"))
        return usage_error(k_graph_help, "--format takes dot or svg, got '%s'", format);
    if (!dir)
        return usage_error(k_graph_help, "%s", "graph needs a PIPELINE_DIR");
    lh_buf_init(&b, 0);
    rc = lh_pipeline_load(dir, &p, &err);
    if (!rc) {
        rc = lh_lake_open(g, &lake, &err);
        opened = !rc;
    }
    if (!rc)
        rc = !strcmp(format, "svg") ? lh_graph_svg(p, lake.cat, &b, &err) : lh_graph_dot(p, lake.cat, &b, &err);
    if (!rc && b.len && (fwrite(b.data, 1, b.len, stdout) != b.len || fflush(stdout) != 0))
        rc = lh_errf(&err, LH_EIO, "cannot write the graph to stdout: %s", strerror(errno));
    if (rc)
        status = fail(&err);
    if (opened)
        lh_lake_close(&lake);
    lh_pipeline_free(p);
    lh_buf_free(&b);
    return status;
}
