/* formats/jsonl.c — JSON-lines reader and writer (see jsonl.h).
 *
 * The reader works in batches.  A batch is up to about one chunk of raw
 * bytes (several small objects, or one chunk of a large one), with the
 * partial line the previous batch ended on carried to its front, so it
 * never holds more than max_line + 2 * chunk bytes.  Filling a batch is
 * all the store I/O (head, get_range), always on the calling thread.
 * Scanning it splits lines (CRLF, a first-line BOM, blank lines, a last
 * line without '\n', the max_line limit) and runs lh_json_scan_object on
 * each, leaving per record its object, line number and one span per
 * column; a batch stops after a bounded number of records (the rest of its
 * bytes go on in the next one), so span arrays stay small too.
 *
 * Once THREAD_AFTER chunks have been read, and lh_threads_enabled(), a
 * second thread scans batch k+1 while the caller consumes batch k: two
 * batches, one consumed, one scanned; the caller fills the free one as it
 * moves on.  The thread touches only the batch it was handed and the
 * reader's immutable fields.  Errors (a line too long, a store error, out
 * of memory in the thread) end a batch and are raised after its records,
 * in order; a bad line is scanned again on the calling thread for its
 * message and the on_malformed call.  Without the thread the same batches
 * are filled and scanned inline, one at a time.
 *
 * Values are converted lazily in lh_jsonl_reader_value from the spans;
 * text a value needs to own (unescaped strings, formatted timestamps) goes
 * into a per-row scratch area of stable segments, reset by next().
 */
#include "formats/jsonl.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "formats/json.h"
#include "util/threads.h"

#define DEFAULT_MAX_LINE ((size_t)64 << 20)
#define DEFAULT_CHUNK ((size_t)1 << 20)
#define SCRATCH_SEG ((size_t)64 << 10)
#define SHOW_MAX 60 /* bytes of an invalid value quoted in an error */
#define REC_BUDGET ((size_t)4 << 20) /* bytes of records and spans per batch */
#define MIN_RECS 64
#define MAX_SEGS 1024 /* objects per batch */
/* The thread starts once this many chunks have been read: on a smaller
 * table its start and second batch cost more than it saves (measured on
 * the 2.9 MB STEDI customer table: +3 ms, +400 page faults). */
#define THREAD_AFTER 4

typedef struct scratch_seg {
    char *data;
    size_t cap, used;
} scratch_seg;

/* A run of bytes of one object inside a batch's data. */
typedef struct seg {
    size_t uri;      /* index into uris */
    size_t off, len; /* [off, off + len) of the batch's data */
    size_t nl_free;  /* leading bytes known to hold no '\n' (a carried partial line) */
    uint64_t line0;  /* lines of the object before this run */
    int eof;         /* the object ends with this run */
} seg;

/* What scanning needs from the reader, copied per batch. */
typedef struct scan_cfg {
    const lh_json_keys *keys;
    size_t n_cols, max_line, max_recs;
    lh_json_span *spare; /* out spans when there are no columns (nothing is written) */
} scan_cfg;

/* One non-blank line, CR and first-line BOM stripped. */
typedef struct rec {
    size_t uri;
    uint64_t line;
    size_t off, n; /* in the batch's data */
    lh_rc rc;      /* of lh_json_scan_object; the caller re-scans a bad line for its message */
} rec;

enum { STOP_DONE, STOP_CAP, STOP_ERR };

typedef struct batch {
    lh_buf data;
    seg *segs;
    size_t n_segs, cap_segs;
    rec *recs;
    size_t n_recs, cap_recs;
    lh_json_span *spans; /* n_cols per record */
    /* where the scan stopped: STOP_DONE (everything split; a partial last
     * line is left at end_*), STOP_CAP (record cap hit at end_*) or STOP_ERR
     * (rc/err, raised after the records) */
    int stop;
    size_t end_seg, end_off;
    uint64_t end_line;
    lh_rc rc;
    lh_err err;
    lh_rc fill_rc; /* a store error met while filling: raised after the data read before it */
    lh_err fill_err;
} batch;

struct lh_jsonl_reader {
    lh_store *store;
    char **uris;
    size_t n_uris;
    lh_jsonl_col *cols; /* names owned */
    size_t n_cols;
    lh_jsonl_opts opts; /* defaults resolved */
    lh_json_keys *keys;
    lh_json_span *spans; /* re-scan of a malformed line */
    size_t max_recs;     /* records per batch */
    lh_jsonl_stats stats;

    /* store reading state (calling thread only) */
    size_t cur;        /* next object to open, or the open one */
    int obj_open;      /* head done for uris[cur] */
    uint64_t obj_size; /* from lh_store_head */
    uint64_t obj_off;  /* next byte to read */
    uint64_t bytes_read;
    int at_eof; /* nothing follows cur_b */

    /* batches: cur_b is consumed; pending (the other one) is being scanned */
    batch b[2];
    batch *cur_b, *pending;
    size_t ri; /* next record of cur_b */

    /* current record */
    int have_row;
    size_t rec_uri;
    uint64_t rec_line;
    const lh_json_span *rec_spans;

    /* the scanning thread: 0 not started, 1 running, -1 not used */
    int thr_state;
    pthread_t thr;
    pthread_mutex_t mu;
    pthread_cond_t cv_work, cv_done;
    batch *job; /* under mu: the batch being scanned, NULL when done */
    int quit;   /* under mu */
    atomic_int cancel, worker_dead;

    /* per-row scratch */
    scratch_seg *segs;
    size_t n_segs, cur_seg;
    lh_buf tmp; /* unescape staging */
};

/* ---- scratch ---- */

static void scratch_reset(lh_jsonl_reader *r)
{
    size_t i;
    for (i = 0; i < r->n_segs; i++)
        r->segs[i].used = 0;
    r->cur_seg = 0;
}

static char *scratch_alloc(lh_jsonl_reader *r, size_t n, lh_err *err)
{
    scratch_seg *segs, *s;
    size_t cap;
    for (; r->cur_seg < r->n_segs; r->cur_seg++) {
        s = &r->segs[r->cur_seg];
        if (s->cap - s->used >= n) {
            char *p = s->data + s->used;
            s->used += n;
            return p;
        }
    }
    segs = lh_realloc(r->segs, (r->n_segs + 1) * sizeof *segs);
    if (!segs) {
        lh_errf(err, LH_ENOMEM, "out of memory for row scratch");
        return NULL;
    }
    r->segs = segs;
    cap = n > SCRATCH_SEG ? n : SCRATCH_SEG;
    s = &segs[r->n_segs];
    s->data = lh_malloc(cap);
    if (!s->data) {
        lh_errf(err, LH_ENOMEM, "out of memory for row scratch (%zu bytes)", cap);
        return NULL;
    }
    s->cap = cap;
    s->used = n;
    r->cur_seg = r->n_segs++;
    return s->data;
}

/* ---- the scanning thread ---- */

static void batch_scan(lh_jsonl_reader *r, batch *b);

static void *worker_main(void *arg)
{
    lh_jsonl_reader *r = arg;
    for (;;) {
        batch *b;
        if (pthread_mutex_lock(&r->mu))
            break;
        while (!r->job && !r->quit)
            if (pthread_cond_wait(&r->cv_work, &r->mu)) {
                (void)pthread_mutex_unlock(&r->mu);
                goto dead;
            }
        b = r->quit ? NULL : r->job;
        if (pthread_mutex_unlock(&r->mu))
            goto dead;
        if (!b)
            return NULL;
        batch_scan(r, b);
        if (pthread_mutex_lock(&r->mu))
            break;
        r->job = NULL;
        if (pthread_cond_signal(&r->cv_done) | pthread_mutex_unlock(&r->mu))
            break;
    }
dead: /* cannot happen with default mutexes; the caller reports it instead of waiting forever */
    atomic_store(&r->worker_dead, 1);
    (void)pthread_cond_broadcast(&r->cv_done);
    return NULL;
}

/* Start the thread; on any failure the reader stays inline (thr_state -1). */
static void worker_start(lh_jsonl_reader *r)
{
    r->thr_state = -1;
    if (pthread_mutex_init(&r->mu, NULL))
        return;
    if (pthread_cond_init(&r->cv_work, NULL))
        goto no_work;
    if (pthread_cond_init(&r->cv_done, NULL))
        goto no_done;
    if (pthread_create(&r->thr, NULL, worker_main, r))
        goto no_thread;
    r->thr_state = 1;
    return;
no_thread: /* destroy cannot fail on objects nobody waits on */
    (void)pthread_cond_destroy(&r->cv_done);
no_done:
    (void)pthread_cond_destroy(&r->cv_work);
no_work:
    (void)pthread_mutex_destroy(&r->mu);
}

/* Stop and join the thread; 0 when it is gone (or never ran). */
static int worker_stop(lh_jsonl_reader *r)
{
    int bad = 0;
    if (r->thr_state != 1)
        return 0;
    atomic_store(&r->cancel, 1);
    if (pthread_mutex_lock(&r->mu) == 0) {
        r->quit = 1;
        bad |= pthread_cond_signal(&r->cv_work);
        bad |= pthread_mutex_unlock(&r->mu);
    } else {
        bad = 1;
    }
    if (bad && !atomic_load(&r->worker_dead))
        return -1; /* it may still be running: better to leak than to free under it */
    if (pthread_join(r->thr, NULL))
        return -1;
    (void)pthread_cond_destroy(&r->cv_done);
    (void)pthread_cond_destroy(&r->cv_work);
    (void)pthread_mutex_destroy(&r->mu);
    r->thr_state = -1;
    return 0;
}

static lh_rc worker_submit(lh_jsonl_reader *r, batch *b, lh_err *err)
{
    int bad;
    if (pthread_mutex_lock(&r->mu))
        return lh_errf(err, LH_EINTERNAL, "JSON-lines reader: pthread_mutex_lock failed");
    r->job = b;
    bad = pthread_cond_signal(&r->cv_work);
    bad |= pthread_mutex_unlock(&r->mu);
    return bad ? lh_errf(err, LH_EINTERNAL, "JSON-lines reader: cannot wake the scanning thread") : LH_OK;
}

static lh_rc worker_wait(lh_jsonl_reader *r, lh_err *err)
{
    int bad = 0;
    if (pthread_mutex_lock(&r->mu))
        return lh_errf(err, LH_EINTERNAL, "JSON-lines reader: pthread_mutex_lock failed");
    while (r->job && !atomic_load(&r->worker_dead) && !bad)
        bad = pthread_cond_wait(&r->cv_done, &r->mu);
    bad |= r->job != NULL;
    bad |= pthread_mutex_unlock(&r->mu);
    return bad ? lh_errf(err, LH_EINTERNAL, "JSON-lines reader: the scanning thread failed") : LH_OK;
}

/* ---- open / close ---- */

static void batch_free(batch *b)
{
    lh_buf_free(&b->data);
    lh_free(b->segs);
    lh_free(b->recs);
    lh_free(b->spans);
}

void lh_jsonl_reader_close(lh_jsonl_reader *r)
{
    size_t i;
    if (!r)
        return;
    if (worker_stop(r))
        return; /* cannot happen; see worker_stop */
    batch_free(&r->b[0]);
    batch_free(&r->b[1]);
    if (r->uris)
        for (i = 0; i < r->n_uris; i++)
            lh_free(r->uris[i]);
    lh_free(r->uris);
    if (r->cols)
        for (i = 0; i < r->n_cols; i++)
            lh_free((char *)r->cols[i].name);
    lh_free(r->cols);
    lh_json_keys_free(r->keys);
    lh_free(r->spans);
    lh_buf_free(&r->tmp);
    for (i = 0; i < r->n_segs; i++)
        lh_free(r->segs[i].data);
    lh_free(r->segs);
    lh_free(r);
}

lh_rc lh_jsonl_reader_open(lh_store *store, const char *const *uris, size_t n_uris, const lh_jsonl_col *cols,
                           size_t n_cols, const lh_jsonl_opts *opts, lh_jsonl_reader **out, lh_err *err)
{
    lh_rc rc = LH_OK;
    lh_jsonl_reader *r = NULL;
    const char **names = NULL;
    size_t i;
    *out = NULL;
    r = lh_calloc(1, sizeof *r);
    if (!r) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory opening a JSON-lines reader");
        goto out;
    }
    r->store = store;
    atomic_init(&r->cancel, 0);
    atomic_init(&r->worker_dead, 0);
    if (opts)
        r->opts = *opts;
    if (!r->opts.max_line)
        r->opts.max_line = DEFAULT_MAX_LINE;
    if (!r->opts.chunk)
        r->opts.chunk = DEFAULT_CHUNK;
    if (r->opts.max_line > ((size_t)1 << 40) || r->opts.chunk > ((size_t)1 << 30)) {
        rc = lh_errf(err, LH_EINVAL, "JSON-lines reader: max_line %zu / chunk %zu too large", r->opts.max_line,
                     r->opts.chunk);
        goto out;
    }
    /* a batch holds a carried partial line and under two chunks read after it */
    for (i = 0; i < 2; i++)
        lh_buf_init(&r->b[i].data, r->opts.max_line + 2 * r->opts.chunk + 16);
    lh_buf_init(&r->tmp, 0);
    r->max_recs = REC_BUDGET / (n_cols * sizeof(lh_json_span) + sizeof(rec));
    if (r->max_recs < MIN_RECS)
        r->max_recs = MIN_RECS;
    r->uris = lh_calloc(n_uris, sizeof *r->uris);
    r->cols = lh_calloc(n_cols, sizeof *r->cols);
    r->spans = lh_calloc(n_cols, sizeof *r->spans);
    names = lh_calloc(n_cols, sizeof *names);
    if (!r->uris || !r->cols || !r->spans || !names) {
        rc = lh_errf(err, LH_ENOMEM, "out of memory opening a JSON-lines reader");
        goto out;
    }
    for (i = 0; i < n_uris; i++) {
        r->uris[i] = lh_strdup(uris[i]);
        if (!r->uris[i]) {
            rc = lh_errf(err, LH_ENOMEM, "out of memory opening a JSON-lines reader");
            goto out;
        }
        r->n_uris = i + 1;
    }
    for (i = 0; i < n_cols; i++) {
        r->cols[i].type = cols[i].type;
        r->cols[i].name = lh_strdup(cols[i].name);
        if (!r->cols[i].name) {
            rc = lh_errf(err, LH_ENOMEM, "out of memory opening a JSON-lines reader");
            goto out;
        }
        names[i] = r->cols[i].name;
        r->n_cols = i + 1;
    }
    rc = lh_json_keys_new(names, n_cols, !r->opts.case_sensitive, &r->keys, err);
    if (rc)
        goto out;
    *out = r;
    r = NULL;
out:
    lh_free(names);
    lh_jsonl_reader_close(r);
    return rc;
}

const char *lh_jsonl_reader_file(const lh_jsonl_reader *r)
{
    return r && r->have_row ? r->uris[r->rec_uri] : NULL;
}

uint64_t lh_jsonl_reader_line(const lh_jsonl_reader *r) { return r && r->have_row ? r->rec_line : 0; }

const lh_jsonl_stats *lh_jsonl_reader_stats(const lh_jsonl_reader *r) { return &r->stats; }

/* ---- filling a batch (calling thread: all store I/O) ---- */

static lh_rc add_seg(batch *b, const seg *s, lh_err *err)
{
    if (b->n_segs == b->cap_segs) {
        size_t nc = b->cap_segs ? b->cap_segs * 2 : 8;
        seg *ns = lh_realloc(b->segs, nc * sizeof *ns);
        if (!ns)
            return lh_errf(err, LH_ENOMEM, "out of memory for a JSON-lines batch");
        b->segs = ns;
        b->cap_segs = nc;
    }
    b->segs[b->n_segs++] = *s;
    return LH_OK;
}

/* Move what src left unscanned to the front of dst (dst may be src: then
 * in place).  src's records are not touched, except that its bytes may be
 * taken when it has none. */
static lh_rc carry_over(batch *dst, batch *src, lh_err *err)
{
    lh_rc rc = LH_OK;
    const seg *last = &src->segs[src->n_segs - 1];
    size_t from = src->end_off, upto = last->off + last->len, i, n = src->n_segs, k = 0;
    int partial = src->stop == STOP_DONE;
    if (dst == src) {
        memmove(dst->data.data, dst->data.data + from, upto - from);
        dst->data.len = upto - from;
    } else if (src->n_recs == 0 && from == 0) { /* a line longer than a chunk goes on: take the bytes */
        lh_buf t = dst->data;
        dst->data = src->data;
        dst->data.len = upto;
        src->data = t;
        dst->n_segs = 0;
    } else {
        lh_buf_reset(&dst->data);
        dst->n_segs = 0;
        rc = lh_buf_append(&dst->data, src->data.data + from, upto - from, err);
        if (rc)
            return rc;
    }
    for (i = src->end_seg; i < n && !rc; i++) {
        seg s = src->segs[i];
        if (i == src->end_seg) {
            s.len = s.off + s.len - from;
            s.line0 = src->end_line;
            s.nl_free = partial ? s.len : 0; /* a partial line has no '\n' */
        } else {
            s.nl_free = 0;
        }
        s.off = s.off >= from ? s.off - from : 0;
        if (dst == src)
            dst->segs[k++] = s; /* k <= i */
        else
            rc = add_seg(dst, &s, err);
    }
    if (dst == src)
        dst->n_segs = k;
    return rc;
}

/* Fill dst: what src left, then (unless src stopped at its record cap) the
 * next objects' bytes, one chunk per read as lh_store_get_range gives them,
 * until a chunk is read or an object is left open.  Store calls happen in
 * the same order as a line-at-a-time reader's; an error is kept in dst and
 * raised after the records read before it. */
static void batch_fill(lh_jsonl_reader *r, batch *dst, batch *src)
{
    size_t got_total = 0;
    lh_rc rc;
    int capped = src && src->stop == STOP_CAP;
    if (capped && dst != src) {
        dst->fill_rc = src->fill_rc; /* still after the bytes left */
        dst->fill_err = src->fill_err;
    } else if (!capped) {
        dst->fill_rc = LH_OK;
    }
    if (src && src->end_seg < src->n_segs) {
        rc = carry_over(dst, src, &dst->fill_err);
        if (rc)
            dst->fill_rc = rc;
    } else {
        lh_buf_reset(&dst->data);
        dst->n_segs = 0;
    }
    dst->n_recs = 0;
    dst->stop = STOP_DONE;
    dst->rc = LH_OK;
    if (capped || dst->fill_rc)
        return;
    for (;;) {
        seg *s;
        size_t g = 0;
        if (!r->obj_open) {
            lh_obj_info info;
            seg ns;
            if (got_total >= r->opts.chunk || r->cur >= r->n_uris || dst->n_segs >= MAX_SEGS)
                return;
            memset(&info, 0, sizeof info);
            rc = lh_store_head(r->store, r->uris[r->cur], &info, &dst->fill_err);
            if (rc)
                goto fail;
            r->obj_size = info.size;
            lh_obj_info_free(&info);
            r->obj_off = 0;
            if (r->obj_size == 0) {
                r->cur++;
                continue;
            }
            memset(&ns, 0, sizeof ns);
            ns.uri = r->cur;
            ns.off = dst->data.len;
            rc = add_seg(dst, &ns, &dst->fill_err);
            if (rc)
                goto fail;
            r->obj_open = 1;
        } else if (got_total) {
            return;
        }
        s = &dst->segs[dst->n_segs - 1]; /* the open object */
        {
            uint64_t left = r->obj_size - r->obj_off;
            size_t want = left < r->opts.chunk ? (size_t)left : r->opts.chunk;
            rc = lh_store_get_range(r->store, r->uris[r->cur], r->obj_off, want, &dst->data, &g, &dst->fill_err);
            if (rc)
                goto fail;
        }
        if (g == 0)
            r->obj_size = r->obj_off; /* the object shrank under us: stop at what we have */
        r->obj_off += g;
        s->len += g;
        got_total += g;
        r->bytes_read += g;
        if (r->obj_off < r->obj_size)
            return; /* one read of an object per batch: it is split before the next */
        s->eof = 1;
        r->obj_open = 0;
        r->cur++;
    }
fail:
    dst->fill_rc = rc;
}

/* ---- scanning a batch (the scanning thread, or inline) ---- */

static int is_blank(const char *p, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n')
            return 0;
    return 1;
}

/* One raw line (without '\n'): strip CR and a first-line BOM, skip it if
 * blank, else scan it into a new record.  0, or -1 when out of memory. */
static int batch_line(const scan_cfg *c, batch *b, size_t uri, uint64_t line, size_t off, size_t n)
{
    const char *p = b->data.data + off;
    rec *k;
    if (n && p[n - 1] == '\r')
        n--;
    if (line == 1 && n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) {
        p += 3;
        off += 3;
        n -= 3;
    }
    if (n == 0 || ((*p == ' ' || *p == '\t' || *p == '\r') && is_blank(p, n)))
        return 0;
    if (b->n_recs == b->cap_recs) {
        size_t nc = b->cap_recs ? b->cap_recs * 2 : 256;
        rec *nr;
        if (nc > c->max_recs)
            nc = c->max_recs;
        nr = lh_realloc(b->recs, nc * sizeof *nr);
        if (!nr)
            return -1;
        b->recs = nr;
        if (c->n_cols) {
            lh_json_span *ns = lh_realloc(b->spans, nc * c->n_cols * sizeof *ns);
            if (!ns)
                return -1;
            b->spans = ns;
        }
        b->cap_recs = nc;
    }
    k = &b->recs[b->n_recs];
    k->uri = uri;
    k->line = line;
    k->off = off;
    k->n = n;
    k->rc = lh_json_scan_object(p, n, c->keys, b->spans ? b->spans + b->n_recs * c->n_cols : c->spare, NULL);
    b->n_recs++;
    return 0;
}

static void batch_stop(batch *b, int stop, size_t si, size_t off, uint64_t line)
{
    b->stop = stop;
    b->end_seg = si;
    b->end_off = off;
    b->end_line = line;
}

/* Split the batch's runs into lines and scan each.  Reads the reader's
 * immutable fields once (a copy on the stack: the caller writes fields on
 * the same cache lines for every row) and cancel now and then. */
static void batch_scan(lh_jsonl_reader *r, batch *b)
{
    scan_cfg cfg, *c = &cfg;
    unsigned tick = 0;
    size_t si;
    cfg.keys = r->keys;
    cfg.n_cols = r->n_cols;
    cfg.max_line = r->opts.max_line;
    cfg.max_recs = r->max_recs;
    cfg.spare = r->spans;
    b->n_recs = 0;
    for (si = 0; si < b->n_segs; si++) {
        const seg *s = &b->segs[si];
        size_t pos = s->off, end = s->off + s->len, from = s->off + s->nl_free;
        uint64_t line = s->line0;
        for (;;) {
            const char *nl = NULL;
            if (b->n_recs >= c->max_recs ||
                (++tick % 256 == 0 && atomic_load_explicit(&r->cancel, memory_order_relaxed))) {
                batch_stop(b, STOP_CAP, si, pos, line);
                goto out;
            }
            if (from < end)
                nl = memchr(b->data.data + from, '\n', end - from);
            if (nl) {
                size_t e = (size_t)(nl - b->data.data);
                line++;
                if (e - pos > c->max_line)
                    goto too_long;
                if (batch_line(c, b, s->uri, line, pos, e - pos))
                    goto nomem;
                pos = from = e + 1;
                continue;
            }
            if (end - pos > c->max_line) {
                line++;
                goto too_long;
            }
            if (!s->eof) { /* a partial line: the next batch carries it */
                batch_stop(b, STOP_DONE, si, pos, line);
                goto out;
            }
            if (pos < end && batch_line(c, b, s->uri, line + 1, pos, end - pos)) /* the last line lacks its '\n' */
                goto nomem;
            break;
        }
        continue;
    too_long:
        batch_stop(b, STOP_ERR, si, pos, line);
        b->rc = lh_errf(&b->err, LH_ELIMIT, "%s:%llu: line longer than %zu bytes", r->uris[s->uri],
                        (unsigned long long)line, c->max_line);
        return;
    nomem:
        batch_stop(b, STOP_ERR, si, pos, line);
        b->rc = lh_errf(&b->err, LH_ENOMEM, "%s:%llu: out of memory for a batch of JSON lines", r->uris[s->uri],
                        (unsigned long long)line);
        return;
    }
    batch_stop(b, STOP_DONE, b->n_segs, 0, 0);
out:
    if (b->stop == STOP_DONE && b->fill_rc) {
        b->stop = STOP_ERR;
        b->rc = b->fill_rc;
        b->err = b->fill_err;
    }
}

/* ---- next ---- */

static int more_input(const lh_jsonl_reader *r, const batch *b)
{
    if (b->stop == STOP_ERR)
        return 0;
    return b->stop == STOP_CAP || r->obj_open || r->cur < r->n_uris;
}

/* Make the next batch current: the scanned one the thread was working on,
 * or one filled and scanned here.  Then hand the thread the one after. */
static lh_rc advance(lh_jsonl_reader *r, lh_err *err)
{
    lh_rc rc;
    batch *nb;
    if (r->pending) {
        rc = worker_wait(r, err);
        if (rc)
            return rc;
        nb = r->pending;
        r->pending = NULL;
    } else { /* inline: one batch, refilled in place */
        nb = r->cur_b ? r->cur_b : &r->b[0];
        batch_fill(r, nb, r->cur_b);
        if (nb->n_segs == 0 && !nb->fill_rc)
            r->at_eof = 1;
        batch_scan(r, nb);
    }
    r->cur_b = nb;
    r->ri = 0;
    if (!more_input(r, nb)) {
        r->at_eof |= nb->stop != STOP_ERR;
        return LH_OK;
    }
    if (r->thr_state == 0 && r->bytes_read >= THREAD_AFTER * (uint64_t)r->opts.chunk) {
        if (lh_threads_enabled())
            worker_start(r);
        else
            r->thr_state = -1;
    }
    if (r->thr_state == 1) {
        batch *nx = nb == &r->b[0] ? &r->b[1] : &r->b[0];
        batch_fill(r, nx, nb);
        if (nx->n_segs == 0 && !nx->fill_rc) {
            r->at_eof = 1;
            return LH_OK;
        }
        rc = worker_submit(r, nx, err);
        if (rc)
            return rc;
        r->pending = nx;
    }
    return LH_OK;
}

lh_rc lh_jsonl_reader_next(lh_jsonl_reader *r, int *eof, lh_err *err)
{
    lh_rc rc = LH_OK;
    *eof = 0;
    r->have_row = 0;
    scratch_reset(r);
    for (;;) {
        batch *b = r->cur_b;
        const rec *k;
        const char *p;
        lh_err jerr;
        if (!b || r->ri >= b->n_recs) {
            if (b && b->stop == STOP_ERR)
                return lh_errf(err, b->rc, "%s", b->err.msg);
            if (r->at_eof) {
                *eof = 1;
                return LH_OK;
            }
            rc = advance(r, err);
            if (rc)
                return rc;
            continue;
        }
        k = &b->recs[r->ri++];
        r->stats.lines++;
        if (k->rc == LH_OK) {
            r->stats.rows++;
            r->have_row = 1;
            r->rec_uri = k->uri;
            r->rec_line = k->line;
            r->rec_spans = b->spans ? b->spans + (size_t)(k - b->recs) * r->n_cols : r->spans;
            return LH_OK;
        }
        /* a bad line: scan it again here for the message */
        p = b->data.data + k->off;
        lh_err_clear(&jerr);
        rc = lh_json_scan_object(p, k->n, r->keys, r->spans, &jerr);
        if (rc == LH_OK)
            return lh_errf(err, LH_EINTERNAL, "%s:%llu: the JSON scan gave two answers", r->uris[k->uri],
                           (unsigned long long)k->line);
        if (rc != LH_EPARSE || !r->opts.ignore_malformed)
            return lh_errf(err, rc, "%s:%llu: %s; expected one JSON object per line", r->uris[k->uri],
                           (unsigned long long)k->line, jerr.msg);
        if (r->stats.malformed++ == 0 &&
            snprintf(r->stats.first_malformed, sizeof r->stats.first_malformed, "%s:%llu: %s", r->uris[k->uri],
                     (unsigned long long)k->line, jerr.msg) < 0)
            r->stats.first_malformed[0] = 0; /* truncation is fine: the text is bounded */
        if (r->opts.on_malformed) {
            rc = r->opts.on_malformed(r->opts.malformed_ctx, r->uris[k->uri], k->line, jerr.msg, p, k->n, err);
            if (rc)
                return rc;
        }
    }
}

/* ---- value conversion ---- */

/* Text of a string span, unescaped when needed (into scratch). */
static lh_rc string_text(lh_jsonl_reader *r, const lh_json_span *sp, const char **s, size_t *n, lh_err *err)
{
    lh_rc rc;
    char *d;
    if (!sp->has_escapes) {
        *s = sp->p;
        *n = sp->n;
        return LH_OK;
    }
    lh_buf_reset(&r->tmp);
    rc = lh_json_unescape(sp, &r->tmp, err);
    if (rc)
        return rc;
    d = scratch_alloc(r, r->tmp.len + 1, err);
    if (!d)
        return LH_ENOMEM;
    memcpy(d, r->tmp.data, r->tmp.len);
    d[r->tmp.len] = 0;
    *s = d;
    *n = r->tmp.len;
    return LH_OK;
}

static void trim(const char **s, size_t *n)
{
    while (*n && (**s == ' ' || **s == '\t' || **s == '\r' || **s == '\n')) {
        (*s)++;
        (*n)--;
    }
    while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t' || (*s)[*n - 1] == '\r' || (*s)[*n - 1] == '\n'))
        (*n)--;
}

/* Strict decimal integer with optional sign; 0 ok, -1 not an integer, -2 overflow. */
static int parse_i64(const char *s, size_t n, int allow_plus, int64_t *out)
{
    size_t i = 0;
    int neg = 0;
    uint64_t v = 0, lim;
    if (n && (s[0] == '-' || (allow_plus && s[0] == '+'))) {
        neg = s[0] == '-';
        i = 1;
    }
    if (i >= n)
        return -1;
    lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; i < n; i++) {
        unsigned dgt;
        if (s[i] < '0' || s[i] > '9')
            return -1;
        dgt = (unsigned)(s[i] - '0');
        if (v > (lim - dgt) / 10)
            return -2;
        v = v * 10 + dgt;
    }
    if (neg)
        *out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
    else
        *out = (int64_t)v;
    return 0;
}

/* Decimal number text -> finite double; 0 ok, -1 otherwise.  Hex, NaN and
 * infinities are refused; JSON numbers always pass the character check. */
/* Clinger's fast path: a decimal with at most 15 significant digits and
 * a power of ten up to 22 converts exactly with one IEEE multiply or
 * divide, so the result is correctly rounded, as strtod's.  (Measured: the
 * STEDI accelerometer scan spent 4% in strtod.)  Returns 0 if it applies. */
static int fast_double(const char *s, size_t n, double *out)
{
    static const double p10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    size_t i = 0;
    uint64_t m = 0;
    int nd = 0, frac = 0, neg = 0, seen_dot = 0, e = 0;
    if (i < n && (s[i] == '-' || s[i] == '+'))
        neg = s[i++] == '-';
    for (; i < n; i++) {
        char ch = s[i];
        if (ch >= '0' && ch <= '9') {
            if (m == 0 && ch == '0') {
                if (seen_dot)
                    frac++;
                continue; /* leading zeros carry no significance */
            }
            if (++nd > 15)
                return -1;
            m = m * 10 + (uint64_t)(ch - '0');
            if (seen_dot)
                frac++;
        } else if (ch == '.' && !seen_dot)
            seen_dot = 1;
        else
            break;
    }
    if (i < n) {
        int en = 0, eneg = 0, ed = 0;
        if (s[i] != 'e' && s[i] != 'E')
            return -1;
        i++;
        if (i < n && (s[i] == '-' || s[i] == '+'))
            eneg = s[i++] == '-';
        for (; i < n; i++) {
            if (s[i] < '0' || s[i] > '9' || ++ed > 3)
                return -1;
            en = en * 10 + (s[i] - '0');
        }
        if (!ed)
            return -1;
        e = eneg ? -en : en;
    }
    e -= frac;
    if (e < -22 || e > 22)
        return -1;
    *out = e < 0 ? (double)m / p10[-e] : (double)m * p10[e];
    if (neg)
        *out = -*out;
    return 0;
}

static int parse_double(lh_jsonl_reader *r, const char *s, size_t n, double *out)
{
    char small[64], *copy = small, *endp;
    size_t i;
    int digits = 0;
    double d;
    if (!n)
        return -1;
    for (i = 0; i < n; i++) {
        char ch = s[i];
        if (ch >= '0' && ch <= '9')
            digits++;
        else if (ch != '+' && ch != '-' && ch != '.' && ch != 'e' && ch != 'E')
            return -1;
    }
    if (!digits)
        return -1;
    if (fast_double(s, n, out) == 0)
        return 0;
    if (n >= sizeof small) {
        copy = scratch_alloc(r, n + 1, NULL);
        if (!copy)
            return -1;
    }
    memcpy(copy, s, n);
    copy[n] = 0;
    d = strtod(copy, &endp);
    if (endp != copy + n || !isfinite(d))
        return -1;
    *out = d;
    return 0;
}

/* Cut s to at most max UTF-8 characters. */
static size_t utf8_truncate(const char *s, size_t n, size_t max)
{
    size_t i, chars = 0;
    for (i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80 && chars++ == max)
            return i;
    return n;
}

/* An invalid value: NULL under use.null.for.invalid.data, else LH_EDATA
 * naming file:line, the column and the JSON text.  range: the value is a
 * number that does not fit the column's decimal(p,s), 1 above, -1 below. */
static lh_rc invalid_value(lh_jsonl_reader *r, size_t col, const lh_json_span *sp, int range, lh_value *out,
                           lh_err *err)
{
    char tname[64], max[48];
    const lh_type *ty = &r->cols[col].type;
    const char *raw = sp->p;
    size_t rn = sp->n, show;
    if (r->opts.null_for_invalid) {
        memset(out, 0, sizeof *out);
        out->t = LH_V_NULL;
        return LH_OK;
    }
    if (sp->kind == LH_J_STRING) { /* show the JSON text, quotes included */
        raw = sp->p - 1;
        rn = sp->n + 2;
    }
    show = rn;
    if (show > SHOW_MAX) {
        show = SHOW_MAX;
        while (show > 0 && ((unsigned char)raw[show] & 0xC0) == 0x80)
            show--;
    }
    lh_type_name(ty, tname, sizeof tname);
    if (range) {
        lh_decimal_max_text(ty->p, ty->s, max, sizeof max);
        return lh_errf(err, LH_EDATA, "%s:%llu: column '%s': %.*s%s does not fit %s (%s %s%s)", r->uris[r->rec_uri],
                       (unsigned long long)r->rec_line, r->cols[col].name, (int)show, raw, show < rn ? "..." : "", tname,
                       range < 0 ? "at least" : "at most", range < 0 ? "-" : "", max);
    }
    return lh_errf(err, LH_EDATA, "%s:%llu: column '%s': expected %s, got %.*s%s", r->uris[r->rec_uri],
                   (unsigned long long)r->rec_line, r->cols[col].name, tname, (int)show, raw, show < rn ? "..." : "");
}

static lh_rc invalid(lh_jsonl_reader *r, size_t col, const lh_json_span *sp, lh_value *out, lh_err *err)
{
    return invalid_value(r, col, sp, 0, out, err);
}

lh_rc lh_jsonl_reader_value(lh_jsonl_reader *r, size_t col, lh_value *out, lh_err *err)
{
    lh_rc rc = LH_OK;
    const lh_json_span *sp;
    const lh_type *ty;
    const char *s = NULL;
    size_t n = 0;
    memset(out, 0, sizeof *out);
    out->t = LH_V_NULL;
    if (!r->have_row)
        return lh_errf(err, LH_EINVAL, "JSON-lines reader: no current record (call next first)");
    if (col >= r->n_cols)
        return lh_errf(err, LH_EINVAL, "JSON-lines reader: column %zu out of range (%zu columns)", col, r->n_cols);
    sp = &r->rec_spans[col];
    ty = &r->cols[col].type;
    if (sp->kind == LH_J_ABSENT || sp->kind == LH_J_NULL)
        return LH_OK;
    if (sp->kind == LH_J_STRING) {
        rc = string_text(r, sp, &s, &n, err);
        if (rc)
            return rc;
    } else {
        s = sp->p;
        n = sp->n;
    }
    switch (ty->kind) {
    case LH_T_STRING:
    case LH_T_VARCHAR:
    case LH_T_CHAR:
        if ((ty->kind == LH_T_VARCHAR || ty->kind == LH_T_CHAR) && ty->p > 0)
            n = utf8_truncate(s, n, (size_t)ty->p);
        out->t = LH_V_TEXT;
        out->s = s;
        out->n = n;
        return LH_OK;
    case LH_T_TINYINT:
    case LH_T_SMALLINT:
    case LH_T_INT:
    case LH_T_BIGINT: {
        int64_t v, lo = INT64_MIN, hi = INT64_MAX;
        if (sp->kind == LH_J_STRING)
            trim(&s, &n);
        else if (sp->kind != LH_J_NUMBER)
            return invalid(r, col, sp, out, err);
        if (parse_i64(s, n, sp->kind == LH_J_STRING, &v))
            return invalid(r, col, sp, out, err);
        if (ty->kind == LH_T_TINYINT) {
            lo = INT8_MIN;
            hi = INT8_MAX;
        } else if (ty->kind == LH_T_SMALLINT) {
            lo = INT16_MIN;
            hi = INT16_MAX;
        } else if (ty->kind == LH_T_INT) {
            lo = INT32_MIN;
            hi = INT32_MAX;
        }
        if (v < lo || v > hi)
            return invalid(r, col, sp, out, err);
        out->t = LH_V_INT;
        out->i = v;
        return LH_OK;
    }
    case LH_T_FLOAT:
    case LH_T_DOUBLE:
    case LH_T_DECIMAL: {
        double d;
        if (sp->kind == LH_J_STRING)
            trim(&s, &n);
        else if (sp->kind != LH_J_NUMBER)
            return invalid(r, col, sp, out, err);
        if (ty->kind == LH_T_DECIMAL) { /* rounded to the scale and range-checked on the digits */
            int fit = lh_decimal_fit(s, n, ty->p, ty->s, &d);
            if (fit)
                return invalid_value(r, col, sp, fit < 0 ? 0 : n && s[0] == '-' ? -1 : 1, out, err);
            if (r->opts.exact_decimals && ty->p > 15 && !memchr(s, 'e', n) && !memchr(s, 'E', n)) {
                out->t = LH_V_TEXT; /* the digits; the caller rounds them to the scale exactly */
                out->s = s;
                out->n = n;
                return LH_OK;
            }
        } else if (parse_double(r, s, n, &d)) {
            return invalid(r, col, sp, out, err);
        }
        out->t = LH_V_REAL;
        out->d = d;
        return LH_OK;
    }
    case LH_T_BOOLEAN:
        if (sp->kind == LH_J_TRUE || sp->kind == LH_J_FALSE) {
            out->i = sp->kind == LH_J_TRUE;
        } else if (sp->kind == LH_J_STRING && n == 4 && strncasecmp(s, "true", 4) == 0) {
            out->i = 1;
        } else if (sp->kind == LH_J_STRING && n == 5 && strncasecmp(s, "false", 5) == 0) {
            out->i = 0;
        } else {
            return invalid(r, col, sp, out, err);
        }
        out->t = LH_V_INT;
        return LH_OK;
    case LH_T_DATE: {
        int64_t days;
        char *d;
        if (sp->kind != LH_J_STRING || lh_parse_date(s, n, &days))
            return invalid(r, col, sp, out, err);
        d = scratch_alloc(r, 24, err);
        if (!d)
            return LH_ENOMEM;
        out->t = LH_V_TEXT;
        out->s = d;
        out->n = lh_fmt_date(days, d, 24);
        return LH_OK;
    }
    case LH_T_TIMESTAMP: {
        int64_t ms;
        char *d;
        if (sp->kind == LH_J_STRING) {
            if (lh_parse_timestamp_ms(s, n, &ms))
                return invalid(r, col, sp, out, err);
        } else if (sp->kind != LH_J_NUMBER || parse_i64(s, n, 0, &ms)) {
            return invalid(r, col, sp, out, err);
        }
        d = scratch_alloc(r, 40, err);
        if (!d)
            return LH_ENOMEM;
        out->t = LH_V_TEXT;
        out->s = d;
        out->n = lh_fmt_timestamp_ms(ms, d, 40);
        if (out->n >= 40)
            out->n = 39;
        return LH_OK;
    }
    }
    return lh_errf(err, LH_EINTERNAL, "column '%s': unknown type kind %d", r->cols[col].name, (int)ty->kind);
}
