/* pipeline/pipeline.c — see pipeline.h. */
#include "pipeline/pipeline.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sql/ddl.h"
#include "util/filekind.h"
#include "util/mem.h"
#include "util/names.h"

typedef struct job {
    lh_job_info info;
    char *name, *path, *target;
    char **reads;
    size_t nreads;
    char *text;
    size_t len;
    int skip; /* not selected (lh_pipeline_select) */
} job;

struct lh_pipeline {
    char *dir;
    char **ddl;
    size_t nddl;
    char **sources;
    size_t nsources;
    job *jobs; /* in run order after load */
    size_t njobs;
    lh_expected *exp;
    char **exp_strings;
    size_t nexp;
};

/* 1 if path (resolved) is root (resolved) or below it. */
static int path_inside(const char *path, const char *root)
{
    size_t n = strlen(root);
    if (n == 1 && root[0] == '/')
        return 1;
    return !strncmp(path, root, n) && (path[n] == 0 || path[n] == '/');
}

/* Read a pipeline file (a script or expected_counts.csv) of the pipeline
 * folder root.  Only a regular file is read: a FIFO would block the load
 * until someone writes to it, and a socket or device is no script.  A
 * symbolic link is followed only to a file inside the pipeline folder.
 * lstat refuses those before anything is opened; the open itself is
 * O_NONBLOCK | O_NOFOLLOW and fstat checks what was opened, so a file
 * swapped in between cannot block or redirect the read. */
static lh_rc read_file(const char *root, const char *path, char **out, size_t *len, lh_err *err)
{
    const int flags = O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC;
    char *real = NULL, *rroot = NULL, chunk[65536];
    const char *open_path = path;
    struct stat sb;
    int fd = -1;
    lh_buf b;
    lh_rc rc = LH_OK;
    lh_buf_init(&b, (size_t)64 << 20);
    *out = NULL;
    *len = 0;
    if (lstat(path, &sb) != 0) {
        rc = lh_errf(err, errno == ENOENT ? LH_ENOTFOUND : LH_EIO, "%s: cannot open: %s", path, strerror(errno));
        goto out;
    }
    if (S_ISLNK(sb.st_mode)) {
        real = realpath(path, NULL);
        rroot = realpath(root, NULL);
        if (!real || !rroot) {
            rc = lh_errf(err, LH_EINVAL, "%s: a symbolic link that does not resolve (%s); replace it by the file",
                         path, strerror(errno));
            goto out;
        }
        if (!path_inside(real, rroot)) {
            rc = lh_errf(err, LH_EINVAL,
                         "%s: a symbolic link to %s, outside the pipeline folder %s; copy the file into the pipeline "
                         "instead",
                         path, real, rroot);
            goto out;
        }
        open_path = real;
    } else if (!S_ISREG(sb.st_mode)) {
        rc = lh_errf(err, LH_EINVAL, "%s: not a regular file (%s); remove it", path, lh_file_kind(sb.st_mode));
        goto out;
    }
    fd = open(open_path, flags);
    if (fd < 0) {
        rc = lh_errf(err, errno == ENOENT ? LH_ENOTFOUND : LH_EIO, "%s: cannot open: %s", path, strerror(errno));
        goto out;
    }
    if (fstat(fd, &sb) != 0) {
        rc = lh_errf(err, LH_EIO, "%s: cannot stat: %s", path, strerror(errno));
        goto out;
    }
    if (!S_ISREG(sb.st_mode)) {
        rc = lh_errf(err, LH_EINVAL, "%s: not a regular file (%s); remove it", path, lh_file_kind(sb.st_mode));
        goto out;
    }
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = lh_errf(err, LH_EIO, "%s: read failed: %s", path, strerror(errno));
            goto out;
        }
        if (n == 0)
            break;
        rc = lh_buf_append(&b, chunk, (size_t)n, err);
        if (rc)
            goto out;
    }
    *len = b.len;
    *out = lh_buf_detach(&b);
    if (!*out)
        rc = lh_errf(err, LH_ENOMEM, "out of memory");
out:
    if (fd >= 0)
        close(fd);
    lh_buf_free(&b);
    free(real); /* realpath's, from malloc */
    free(rroot);
    return rc;
}

/* Sorted paths of the .sql files in dir; a missing folder is an empty list. */
static lh_rc list_sql(const char *dir, char ***out, size_t *n, lh_err *err)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    size_t a = 0;
    *out = NULL;
    *n = 0;
    if (!d)
        return errno == ENOENT ? LH_OK : lh_errf(err, LH_EIO, "%s: cannot open folder: %s", dir, strerror(errno));
    while ((de = readdir(d)) != NULL) {
        size_t l = strlen(de->d_name);
        if (de->d_name[0] == '.' || l < 5 || strcmp(de->d_name + l - 4, ".sql"))
            continue;
        if (*n == a) {
            size_t na = a ? a * 2 : 8;
            char **nv = lh_realloc(*out, na * sizeof *nv);
            if (!nv)
                goto nomem;
            *out = nv;
            a = na;
        }
        (*out)[*n] = lh_aprintf("%s/%s", dir, de->d_name);
        if (!(*out)[*n])
            goto nomem;
        (*n)++;
    }
    closedir(d);
    if (*n)
        qsort(*out, *n, sizeof **out, lh_strp_cmp);
    return LH_OK;
nomem:
    closedir(d);
    return lh_errf(err, LH_ENOMEM, "out of memory");
}

static int strv_has(char **v, size_t n, const char *s)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (!strcmp(v[i], s))
            return 1;
    return 0;
}

static lh_rc strv_push(char ***v, size_t *n, const char *s, lh_err *err)
{
    char **nv = lh_realloc(*v, (*n + 1) * sizeof *nv);
    if (!nv)
        return lh_errf(err, LH_ENOMEM, "out of memory");
    *v = nv;
    nv[*n] = lh_strdup(s);
    if (!nv[*n])
        return lh_errf(err, LH_ENOMEM, "out of memory");
    (*n)++;
    return LH_OK;
}

/* Read one identifier (bare, "quoted" or `quoted`) at *pp into buf, lower-cased. */
static int read_ident(const char **pp, const char *end, char *buf, size_t bufsz)
{
    const char *p = *pp;
    size_t n = 0;
    if (p < end && (*p == '"' || *p == '`')) {
        char q = *p++;
        while (p < end && *p != q) {
            if (n + 1 < bufsz)
                buf[n++] = (char)tolower((unsigned char)*p);
            p++;
        }
        if (p < end)
            p++;
    } else if (p < end && (isalpha((unsigned char)*p) || *p == '_')) {
        while (p < end && (isalnum((unsigned char)*p) || *p == '_')) {
            if (n + 1 < bufsz)
                buf[n++] = (char)tolower((unsigned char)*p);
            p++;
        }
    } else
        return 0;
    buf[n] = 0;
    *pp = p;
    return 1;
}

/* Tables a query mentions: qualified names db.t that are known, and bare
 * names that match exactly one known table. */
static lh_rc find_reads(job *j, const char *q, size_t len, char **known, size_t nknown, lh_err *err)
{
    const char *p = q, *end = q + len;
    char a[256], b[256], full[520];
    lh_rc rc;
    size_t i;
    while (p < end) {
        if (*p == '\'') { /* string literal */
            p++;
            while (p < end && !(*p == '\'' && (p + 1 >= end || p[1] != '\''))) {
                if (*p == '\'')
                    p++;
                p++;
            }
            p++;
            continue;
        }
        if (*p == '-' && p + 1 < end && p[1] == '-') {
            while (p < end && *p != '\n')
                p++;
            continue;
        }
        if (*p == '/' && p + 1 < end && p[1] == '*') {
            p += 2;
            while (p + 1 < end && !(*p == '*' && p[1] == '/'))
                p++;
            p += 2;
            continue;
        }
        if (read_ident(&p, end, a, sizeof a)) {
            const char *save = p;
            full[0] = 0;
            if (p < end && *p == '.') {
                p++;
                if (read_ident(&p, end, b, sizeof b))
                    snprintf(full, sizeof full, "%s.%s", a, b);
                else
                    p = save;
            }
            if (full[0]) {
                if (strv_has(known, nknown, full) && !strv_has(j->reads, j->nreads, full) &&
                    (rc = strv_push(&j->reads, &j->nreads, full, err)))
                    return rc;
            } else {
                const char *hit = NULL;
                int hits = 0;
                for (i = 0; i < nknown; i++) {
                    const char *dot = strchr(known[i], '.');
                    if (dot && !strcmp(dot + 1, a)) {
                        hit = known[i];
                        hits++;
                    }
                }
                if (hits == 1 && !strv_has(j->reads, j->nreads, hit) && (rc = strv_push(&j->reads, &j->nreads, hit, err)))
                    return rc;
            }
            continue;
        }
        p++;
    }
    return LH_OK;
}

static void job_free(job *j)
{
    size_t i;
    lh_free(j->name);
    lh_free(j->path);
    lh_free(j->target);
    for (i = 0; i < j->nreads; i++)
        lh_free(j->reads[i]);
    lh_free(j->reads);
    lh_free(j->text);
}

void lh_pipeline_free(lh_pipeline *p)
{
    size_t i;
    if (!p)
        return;
    lh_strv_free(p->ddl, p->nddl);
    lh_strv_free(p->sources, p->nsources);
    for (i = 0; i < p->njobs; i++)
        job_free(&p->jobs[i]);
    lh_free(p->jobs);
    lh_strv_free(p->exp_strings, p->nexp * 2);
    lh_free(p->exp);
    lh_free(p->dir);
    lh_free(p);
}

static lh_rc load_sources(lh_pipeline *p, lh_err *err)
{
    size_t i, k;
    lh_rc rc = LH_OK;
    for (i = 0; i < p->nddl && !rc; i++) {
        char *text = NULL;
        size_t len = 0;
        lh_script *sc = NULL;
        rc = read_file(p->dir, p->ddl[i], &text, &len, err);
        if (!rc)
            rc = lh_script_parse(text, len, p->ddl[i], &sc, err);
        for (k = 0; !rc && k < lh_script_count(sc); k++) {
            const lh_stmt *st = lh_script_stmt(sc, k);
            if (st->kind == LH_STMT_CREATE_EXTERNAL_TABLE) {
                char full[520];
                snprintf(full, sizeof full, "%s.%s", st->def.db ? st->def.db : "default", st->def.name);
                if (!strv_has(p->sources, p->nsources, full))
                    rc = strv_push(&p->sources, &p->nsources, full, err);
            }
        }
        lh_script_free(sc);
        lh_free(text);
    }
    return rc;
}

static lh_rc load_job(lh_pipeline *p, const char *path, job *j, lh_err *err)
{
    lh_script *sc = NULL;
    const lh_stmt *st;
    const char *base = strrchr(path, '/');
    lh_rc rc;
    char full[520];
    memset(j, 0, sizeof *j);
    base = base ? base + 1 : path;
    j->name = lh_strndup(base, strlen(base) - 4);
    j->path = lh_strdup(path);
    if (!j->name || !j->path)
        return lh_errf(err, LH_ENOMEM, "out of memory");
    rc = read_file(p->dir, path, &j->text, &j->len, err);
    if (rc)
        return rc;
    rc = lh_script_parse(j->text, j->len, path, &sc, err);
    if (rc)
        return rc;
    if (lh_script_count(sc) != 1 || lh_script_stmt(sc, 0)->kind != LH_STMT_CTAS) {
        rc = lh_errf(err, LH_EINVAL,
                     "%s: a job must be exactly one CREATE TABLE ... AS SELECT statement (found %zu statement%s)", path,
                     lh_script_count(sc), lh_script_count(sc) == 1 ? "" : "s");
        goto out;
    }
    st = lh_script_stmt(sc, 0);
    snprintf(full, sizeof full, "%s.%s", st->db ? st->db : "default", st->name);
    j->target = lh_strdup(full);
    if (!j->target) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory");
        goto out;
    }
    (void)p;
out:
    lh_script_free(sc);
    return rc;
}

static lh_rc job_reads(lh_pipeline *p, job *j, lh_err *err)
{
    char **known = NULL;
    size_t nknown = 0, i;
    lh_script *sc = NULL;
    lh_rc rc = LH_OK;
    for (i = 0; i < p->nsources && !rc; i++)
        rc = strv_push(&known, &nknown, p->sources[i], err);
    for (i = 0; i < p->njobs && !rc; i++)
        if (&p->jobs[i] != j && !strv_has(known, nknown, p->jobs[i].target))
            rc = strv_push(&known, &nknown, p->jobs[i].target, err);
    if (!rc)
        rc = lh_script_parse(j->text, j->len, j->path, &sc, err);
    if (!rc) {
        const lh_stmt *st = lh_script_stmt(sc, 0);
        rc = find_reads(j, st->query, st->query_len, known, nknown, err);
    }
    lh_script_free(sc);
    lh_strv_free(known, nknown);
    return rc;
}

/* Kahn's algorithm; ties broken by file name so the order is stable. */
static lh_rc order_jobs(lh_pipeline *p, lh_err *err)
{
    job *sorted;
    unsigned char *done;
    size_t n = p->njobs, placed = 0, i, k, r;
    sorted = lh_calloc(n + 1, sizeof *sorted);
    done = lh_calloc(n + 1, 1);
    if (!sorted || !done) {
        lh_free(sorted);
        lh_free(done);
        return lh_errf(err, LH_ENOMEM, "out of memory");
    }
    while (placed < n) {
        int progress = 0;
        for (i = 0; i < n; i++) {
            int ready = 1;
            if (done[i])
                continue;
            for (r = 0; r < p->jobs[i].nreads && ready; r++)
                for (k = 0; k < n; k++)
                    if (k != i && !done[k] && !strcmp(p->jobs[k].target, p->jobs[i].reads[r]))
                        ready = 0;
            if (ready) {
                sorted[placed++] = p->jobs[i];
                done[i] = 1;
                progress = 1;
                break;
            }
        }
        if (!progress) {
            for (i = 0; i < n && done[i]; i++)
                ;
            lh_free(sorted);
            lh_free(done);
            return lh_errf(err, LH_EINVAL, "%s: jobs depend on each other in a cycle (involving %s, which writes %s)",
                           p->dir, p->jobs[i].name, p->jobs[i].target);
        }
    }
    lh_free(p->jobs);
    p->jobs = sorted;
    lh_free(done);
    return LH_OK;
}

static lh_rc load_expected(lh_pipeline *p, lh_err *err)
{
    char *path = lh_aprintf("%s/expected_counts.csv", p->dir), *text = NULL, *line, *save = NULL;
    size_t len = 0, lineno = 0;
    lh_rc rc;
    if (!path)
        return lh_errf(err, LH_ENOMEM, "out of memory");
    rc = read_file(p->dir, path, &text, &len, err);
    if (rc == LH_ENOTFOUND) {
        rc = LH_OK;
        goto out;
    }
    if (rc)
        goto out;
    for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char zone[64], table[256];
        long long rows;
        char extra;
        lh_expected *ne;
        char **ns;
        lineno++;
        line[strcspn(line, "\r")] = 0;
        if (!*line || *line == '#' || (lineno == 1 && !strncmp(line, "zone,", 5)))
            continue;
        if (sscanf(line, "%63[^,],%255[^,],%lld%c", zone, table, &rows, &extra) != 3 || rows < 0 || !strchr(table, '.')) {
            rc = lh_errf(err, LH_EPARSE, "%s:%zu: expected 'zone,db.table,rows', got '%s'", path, lineno, line);
            goto out;
        }
        ne = lh_realloc(p->exp, (p->nexp + 1) * sizeof *ne);
        if (ne)
            p->exp = ne;
        ns = lh_realloc(p->exp_strings, (p->nexp + 1) * 2 * sizeof *ns);
        if (ns)
            p->exp_strings = ns;
        if (!ne || !ns) {
            rc = lh_errf(err, LH_ENOMEM, "out of memory");
            goto out;
        }
        ns[p->nexp * 2] = lh_strdup(zone);
        ns[p->nexp * 2 + 1] = lh_strdup(table);
        ne[p->nexp].zone = ns[p->nexp * 2];
        ne[p->nexp].table = ns[p->nexp * 2 + 1];
        ne[p->nexp].rows = rows;
        p->nexp++;
        if (!ns[p->nexp * 2 - 2] || !ns[p->nexp * 2 - 1]) {
            rc = lh_errf(err, LH_ENOMEM, "out of memory");
            goto out;
        }
    }
out:
    lh_free(path);
    lh_free(text);
    return rc;
}

lh_rc lh_pipeline_load(const char *dir, lh_pipeline **out, lh_err *err)
{
    lh_pipeline *p = lh_calloc(1, sizeof *p);
    char *sub = NULL, **jobpaths = NULL;
    size_t njp = 0, i, k;
    lh_rc rc;
    *out = NULL;
    if (!p)
        return lh_errf(err, LH_ENOMEM, "out of memory");
    p->dir = lh_strdup(dir);
    sub = lh_aprintf("%s/ddl", dir);
    if (!p->dir || !sub) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory");
        goto out;
    }
    {
        DIR *d = opendir(dir);
        if (!d) {
            rc = lh_errf(err, errno == ENOENT ? LH_ENOTFOUND : LH_EIO, "%s: cannot open pipeline folder: %s", dir,
                         strerror(errno));
            goto out;
        }
        closedir(d);
    }
    rc = list_sql(sub, &p->ddl, &p->nddl, err);
    if (rc)
        goto out;
    lh_free(sub);
    sub = lh_aprintf("%s/jobs", dir);
    if (!sub) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory");
        goto out;
    }
    rc = list_sql(sub, &jobpaths, &njp, err);
    if (rc)
        goto out;
    if (p->nddl == 0 && njp == 0) {
        rc = lh_errf(err, LH_ENOTFOUND, "%s: no ddl/*.sql or jobs/*.sql files; is this a pipeline folder?", dir);
        goto out;
    }
    rc = load_sources(p, err);
    if (rc)
        goto out;
    p->jobs = lh_calloc(njp + 1, sizeof *p->jobs);
    if (!p->jobs) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory");
        goto out;
    }
    for (i = 0; i < njp; i++) {
        rc = load_job(p, jobpaths[i], &p->jobs[i], err);
        p->njobs++;
        if (rc)
            goto out;
        for (k = 0; k < i; k++)
            if (!strcmp(p->jobs[k].target, p->jobs[i].target)) {
                rc = lh_errf(err, LH_EINVAL, "%s and %s both write %s; one table has one job", p->jobs[k].path,
                             p->jobs[i].path, p->jobs[i].target);
                goto out;
            }
        if (strv_has(p->sources, p->nsources, p->jobs[i].target)) {
            rc = lh_errf(err, LH_EINVAL, "%s writes %s, which a DDL script defines as an external table",
                         p->jobs[i].path, p->jobs[i].target);
            goto out;
        }
    }
    for (i = 0; i < p->njobs && !rc; i++)
        rc = job_reads(p, &p->jobs[i], err);
    if (!rc)
        rc = order_jobs(p, err);
    if (!rc)
        rc = load_expected(p, err);
    for (i = 0; !rc && i < p->njobs; i++) {
        job *j = &p->jobs[i];
        j->info.name = j->name;
        j->info.path = j->path;
        j->info.target = j->target;
        j->info.reads = (const char *const *)j->reads;
        j->info.n_reads = j->nreads;
    }
out:
    lh_free(sub);
    lh_strv_free(jobpaths, njp);
    if (rc) {
        lh_pipeline_free(p);
        return rc;
    }
    *out = p;
    return LH_OK;
}

const char *lh_pipeline_dir(const lh_pipeline *p) { return p->dir; }
size_t lh_pipeline_job_count(const lh_pipeline *p) { return p->njobs; }
const lh_job_info *lh_pipeline_job(const lh_pipeline *p, size_t i) { return &p->jobs[i].info; }
size_t lh_pipeline_ddl_count(const lh_pipeline *p) { return p->nddl; }
const char *lh_pipeline_ddl(const lh_pipeline *p, size_t i) { return p->ddl[i]; }
size_t lh_pipeline_source_count(const lh_pipeline *p) { return p->nsources; }
const char *lh_pipeline_source(const lh_pipeline *p, size_t i) { return p->sources[i]; }
size_t lh_pipeline_expected_count(const lh_pipeline *p) { return p->nexp; }
const lh_expected *lh_pipeline_expected(const lh_pipeline *p, size_t i) { return &p->exp[i]; }

lh_rc lh_pipeline_select(lh_pipeline *p, const char *name, int downstream, lh_err *err)
{
    size_t i, k, at = p->njobs;
    const char **names;
    for (i = 0; i < p->njobs; i++)
        if (!strcmp(p->jobs[i].name, name))
            at = i;
    if (at == p->njobs) {
        const char *near = NULL;
        if ((names = lh_calloc(p->njobs + 1, sizeof *names))) {
            for (i = 0; i < p->njobs; i++)
                names[i] = p->jobs[i].name;
            near = lh_name_nearest(name, names, p->njobs);
            lh_free(names);
        }
        if (near)
            return lh_errf(err, LH_ENOTFOUND, "%s has no job '%s' (did you mean '%s'?)", p->dir, name, near);
        return lh_errf(err, LH_ENOTFOUND, "%s has no job '%s' (its jobs are the files in %s/jobs/)", p->dir, name,
                       p->dir);
    }
    for (i = 0; i < p->njobs; i++)
        p->jobs[i].skip = i != at;
    /* downstream: a job that reads a selected job's table (jobs are in run
     * order, so one pass after `at` finds the closure) */
    for (i = at + 1; downstream && i < p->njobs; i++)
        for (k = 0; k < p->jobs[i].nreads && p->jobs[i].skip; k++) {
            size_t j;
            for (j = at; j < i; j++)
                if (!p->jobs[j].skip && !strcmp(p->jobs[j].target, p->jobs[i].reads[k]))
                    p->jobs[i].skip = 0;
        }
    return LH_OK;
}

int lh_pipeline_job_selected(const lh_pipeline *p, size_t i) { return i < p->njobs && !p->jobs[i].skip; }

lh_rc lh_pipeline_run(lh_pipeline *p, lh_engine *e, lh_progress_fn progress, void *ctx, lh_err *err)
{
    size_t i;
    lh_rc rc = LH_OK;
    for (i = 0; i < p->nddl + p->njobs && !rc; i++) {
        lh_job_result r;
        const char *path = i < p->nddl ? p->ddl[i] : p->jobs[i - p->nddl].path;
        char *text = NULL;
        size_t len = 0;
        memset(&r, 0, sizeof r);
        r.script = path;
        r.job = i < p->nddl ? NULL : &p->jobs[i - p->nddl].info;
        if (i >= p->nddl && p->jobs[i - p->nddl].skip)
            continue;
        if (lh_engine_interrupted(e)) {
            /* cancelled between scripts: nothing of this one ran */
            rc = lh_errf(err, LH_ECANCELLED, "cancelled before %s", path);
            break;
        }
        rc = read_file(p->dir, path, &text, &len, err);
        if (!rc)
            rc = lh_engine_set_job(e, r.job ? r.job->name : "ddl", err);
        if (!rc)
            rc = lh_engine_exec(e, text, len, path, NULL, &r.stats, err);
        lh_free(text);
        r.rc = rc;
        r.error = rc && err ? err->msg : NULL;
        if (progress)
            progress(ctx, &r);
    }
    return rc;
}

lh_rc lh_pipeline_verify(lh_pipeline *p, lh_engine *e, int64_t scale, lh_verify_row **rows, int *all_ok, lh_err *err)
{
    lh_verify_row *v = lh_calloc(p->nexp + 1, sizeof *v);
    size_t i;
    *rows = NULL;
    *all_ok = 1;
    if (!v)
        return lh_errf(err, LH_ENOMEM, "out of memory");
    for (i = 0; i < p->nexp; i++) {
        char db[256];
        const char *dot = strchr(p->exp[i].table, '.');
        lh_err e2 = {0};
        size_t dl = (size_t)(dot - p->exp[i].table);
        v[i].exp = &p->exp[i];
        v[i].expected = p->exp[i].rows * scale;
        v[i].actual = -1;
        snprintf(db, sizeof db, "%.*s", (int)(dl < sizeof db ? dl : sizeof db - 1), p->exp[i].table);
        if (lh_engine_count(e, db, dot + 1, &v[i].actual, &e2) != LH_OK) {
            if (e2.code == LH_ENOMEM) {
                lh_free(v);
                return lh_errf(err, LH_ENOMEM, "out of memory");
            }
            v[i].actual = -1;
            snprintf(v[i].error, sizeof v[i].error, "%s", e2.msg);
        }
        v[i].ok = v[i].actual == v[i].expected;
        if (!v[i].ok)
            *all_ok = 0;
    }
    *rows = v;
    return LH_OK;
}
