/* exec/op_exchange.c — Exchange: the batches of several producer subtrees,
 * each driven by a thread of its own, handed to one consumer.
 *
 * Each producer has one slot.  Its thread pulls a batch from its subtree,
 * puts it in the slot and waits; the consumer takes a ready slot (round
 * robin), and the batch stays valid until the consumer's next call, which
 * gives the slot back, so the producer then pulls its next batch while the
 * consumer works on another's.  This keeps the batch contract of
 * exec/operator.h (a batch lives until the next pull of its operator) with
 * no copy.  Order: batches come as producers finish them; rows of one
 * producer keep their order.
 *
 * Errors: the first producer error is the exchange's; the others stop at
 * their next batch.  Freeing the exchange stops and joins every thread
 * before the subtrees are freed.
 */
#include <pthread.h>
#include <string.h>

#include "exec/operator.h"

#define WHO "Exchange"

enum { S_FREE = 0, S_READY, S_TAKEN, S_DONE, S_FAILED };

typedef struct xslot {
    struct xop *x;
    lh_op *kid;
    lh_batch *b;
    int state;
    lh_rc rc;
    lh_err err;
    pthread_t th;
    int started;
    uint64_t rows;
} xslot;

typedef struct xop {
    lh_op base;
    xslot *s;
    size_t n, next; /* next: where the round robin looks first */
    int taken;      /* the slot handed out last, or -1 */
    int stop;
    int begun;
    pthread_mutex_t mu;
    pthread_cond_t to_consumer, to_producers;
    int sync_ok;
} xop;

static void *producer(void *arg)
{
    xslot *s = arg;
    xop *x = s->x;
    for (;;) {
        lh_batch *b = NULL;
        lh_err err;
        lh_rc rc;
        lh_err_clear(&err);
        rc = lh_op_next(s->kid, &b, &err);
        pthread_mutex_lock(&x->mu);
        if (rc) {
            s->rc = rc;
            s->err = err;
            s->state = S_FAILED;
        } else if (!b) {
            s->state = S_DONE;
        } else {
            s->b = b;
            s->state = S_READY;
            s->rows += lh_batch_rows(b).n;
        }
        pthread_cond_broadcast(&x->to_consumer);
        if (s->state == S_DONE || s->state == S_FAILED) {
            pthread_mutex_unlock(&x->mu);
            return NULL;
        }
        while ((s->state == S_READY || s->state == S_TAKEN) && !x->stop)
            pthread_cond_wait(&x->to_producers, &x->mu);
        if (x->stop) {
            pthread_mutex_unlock(&x->mu);
            return NULL;
        }
        pthread_mutex_unlock(&x->mu);
    }
}

static lh_rc start(xop *x, lh_err *err)
{
    size_t i;
    x->begun = 1;
    for (i = 0; i < x->n; i++) {
        if (pthread_create(&x->s[i].th, NULL, producer, &x->s[i]) != 0) {
            pthread_mutex_lock(&x->mu);
            x->stop = 1;
            pthread_cond_broadcast(&x->to_producers);
            pthread_mutex_unlock(&x->mu);
            return lh_errf(err, LH_ENOMEM, "%s: cannot start a worker thread", WHO);
        }
        x->s[i].started = 1;
    }
    return LH_OK;
}

static lh_rc xchg_next(lh_op *op, lh_batch **out, lh_err *err)
{
    xop *x = (xop *)op;
    lh_rc rc = LH_OK;
    *out = NULL;
    if (!x->begun && (rc = start(x, err)))
        return rc;
    pthread_mutex_lock(&x->mu);
    if (x->taken >= 0) { /* the consumer is done with that batch: its producer may go on */
        x->s[x->taken].state = S_FREE;
        x->s[x->taken].b = NULL;
        x->taken = -1;
        pthread_cond_broadcast(&x->to_producers);
    }
    for (;;) {
        size_t k, done = 0;
        for (k = 0; k < x->n; k++) {
            xslot *s = &x->s[(x->next + k) % x->n];
            if (s->state == S_FAILED) {
                rc = s->rc;
                if (err)
                    *err = s->err;
                goto out;
            }
            if (s->state == S_DONE)
                done++;
        }
        for (k = 0; k < x->n; k++) {
            size_t i = (x->next + k) % x->n;
            if (x->s[i].state == S_READY) {
                x->s[i].state = S_TAKEN;
                x->taken = (int)i;
                x->next = (i + 1) % x->n;
                *out = x->s[i].b;
                goto out;
            }
        }
        if (done == x->n)
            goto out; /* every producer is finished */
        pthread_cond_wait(&x->to_consumer, &x->mu);
    }
out:
    pthread_mutex_unlock(&x->mu);
    return rc;
}

static void xchg_free(lh_op *op)
{
    xop *x = (xop *)op;
    size_t i;
    if (x->sync_ok) {
        pthread_mutex_lock(&x->mu);
        x->stop = 1;
        pthread_cond_broadcast(&x->to_producers);
        pthread_mutex_unlock(&x->mu);
    }
    for (i = 0; x->s && i < x->n; i++)
        if (x->s[i].started)
            pthread_join(x->s[i].th, NULL);
    for (i = 0; x->s && i < x->n; i++)
        lh_op_free(x->s[i].kid);
    lh_free(x->s);
    if (x->sync_ok) {
        pthread_cond_destroy(&x->to_consumer);
        pthread_cond_destroy(&x->to_producers);
        pthread_mutex_destroy(&x->mu);
    }
}

static lh_rc xchg_explain(const lh_op *op, lh_buf *out, lh_err *err)
{
    const xop *x = (const xop *)op;
    size_t i;
    lh_rc rc = lh_buf_printf(out, err, "%zu workers", x->n);
    for (i = 0; !rc && x->begun && i < x->n; i++)
        rc = lh_buf_printf(out, err, "%s%llu", i ? ", " : "; rows per worker: ", (unsigned long long)x->s[i].rows);
    return rc;
}

static const lh_op_vt xchg_vt = {WHO, xchg_next, xchg_free, xchg_explain, NULL};

const lh_op *lh_op_exchange_shown(const lh_op *op)
{
    return op && op->vt == &xchg_vt && ((const xop *)op)->n ? ((const xop *)op)->s[0].kid : NULL;
}

lh_rc lh_op_exchange(lh_exec_ctx *ctx, lh_op **kids, size_t n, lh_op **out, lh_err *err)
{
    lh_op *op = NULL;
    xop *x;
    size_t i;
    lh_rc rc;
    *out = NULL;
    if (n < 1 || !kids || !kids[0]) {
        for (i = 0; kids && i < n; i++)
            lh_op_free(kids[i]);
        return lh_errf(err, LH_EINTERNAL, "%s: no producers", WHO);
    }
    for (i = 1; i < n; i++)
        if (!kids[i] || kids[i]->ncols != kids[0]->ncols) {
            size_t j;
            for (j = 0; j < n; j++)
                lh_op_free(kids[j]);
            return lh_errf(err, LH_EINTERNAL, "%s: producers with different schemas", WHO);
        }
    rc = lh_op_alloc(sizeof(xop), &xchg_vt, ctx, kids[0]->types, kids[0]->ncols, &op, err);
    if (rc) {
        for (i = 0; i < n; i++)
            lh_op_free(kids[i]);
        return rc;
    }
    x = (xop *)op;
    x->taken = -1;
    x->s = lh_calloc(n, sizeof *x->s);
    if (!x->s) {
        for (i = 0; i < n; i++)
            lh_op_free(kids[i]);
        lh_op_free(op);
        return lh_errf(err, LH_ENOMEM, "out of memory");
    }
    x->n = n;
    for (i = 0; i < n; i++) {
        x->s[i].x = x;
        x->s[i].kid = kids[i];
    }
    if (pthread_mutex_init(&x->mu, NULL) == 0) {
        if (pthread_cond_init(&x->to_consumer, NULL) == 0) {
            if (pthread_cond_init(&x->to_producers, NULL) == 0)
                x->sync_ok = 1;
            else
                pthread_cond_destroy(&x->to_consumer);
        }
        if (!x->sync_ok)
            pthread_mutex_destroy(&x->mu);
    }
    if (!x->sync_ok) {
        lh_op_free(op);
        return lh_errf(err, LH_ENOMEM, "%s: cannot create its locks", WHO);
    }
    *out = op;
    return LH_OK;
}
