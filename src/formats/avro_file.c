/* formats/avro_file.c — Avro object container files: writer and reader
 * over memory, codecs null / deflate (raw, zlib) / snappy (+ CRC32) /
 * zstandard, every length checked against the bytes that remain. */
#include <snappy-c.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <zlib.h>
#include <zstd.h>

#include "formats/avro_int.h"

static const char *const codec_names[] = {"null", "deflate", "snappy", "zstandard"};

const char *lh_avro_codec_name(lh_avro_codec c)
{
    return (unsigned)c < 4 ? codec_names[c] : "?";
}

static lh_rc put_long(lh_buf *out, int64_t x, lh_err *err)
{
    uint8_t b[10];
    size_t n = 0;
    uint64_t z = ((uint64_t)x << 1) ^ (uint64_t)(x >> 63);
    while (z >= 0x80) {
        b[n++] = (uint8_t)(z | 0x80);
        z >>= 7;
    }
    b[n++] = (uint8_t)z;
    return lh_buf_append(out, b, n, err);
}

static lh_rc put_bytes(lh_buf *out, const void *p, size_t n, lh_err *err)
{
    lh_rc rc = put_long(out, (int64_t)n, err);
    return rc ? rc : n ? lh_buf_append(out, p, n, err) : LH_OK;
}

static voidpf z_alloc(voidpf o, uInt items, uInt size)
{
    (void)o;
    return lh_calloc(items, size);
}
static void z_free(voidpf o, voidpf p)
{
    (void)o;
    lh_free(p);
}

/* ---- compression ---- */
static lh_rc compress_block(lh_avro_codec codec, const lh_buf *in, lh_buf *out, lh_err *err)
{
    lh_rc rc;
    out->len = 0;
    switch (codec) {
    case LH_AVRO_CODEC_NULL:
        return lh_buf_append(out, in->data, in->len, err);
    case LH_AVRO_CODEC_DEFLATE: {
        z_stream z;
        int zr;
        memset(&z, 0, sizeof z);
        z.zalloc = z_alloc;
        z.zfree = z_free;
        if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
            return lh_errf(err, LH_ENOMEM, "avro: deflate: cannot start the compressor");
        if ((rc = lh_buf_reserve(out, deflateBound(&z, (uLong)in->len), err))) {
            deflateEnd(&z);
            return rc;
        }
        z.next_in = (Bytef *)in->data;
        z.avail_in = (uInt)in->len;
        z.next_out = (Bytef *)out->data;
        z.avail_out = (uInt)(out->alloc - out->len);
        zr = deflate(&z, Z_FINISH);
        out->len = z.total_out;
        deflateEnd(&z);
        if (zr != Z_STREAM_END)
            return lh_errf(err, LH_EINTERNAL, "avro: deflate failed (%d)", zr);
        return LH_OK;
    }
    case LH_AVRO_CODEC_SNAPPY: {
        size_t cl = snappy_max_compressed_length(in->len);
        uLong crc = crc32(0L, (const Bytef *)in->data, (uInt)in->len);
        uint8_t be[4] = {(uint8_t)(crc >> 24), (uint8_t)(crc >> 16), (uint8_t)(crc >> 8), (uint8_t)crc};
        if ((rc = lh_buf_reserve(out, cl + 4, err)))
            return rc;
        if (snappy_compress(in->data ? in->data : "", in->len, out->data, &cl) != SNAPPY_OK)
            return lh_errf(err, LH_EINTERNAL, "avro: snappy compression failed");
        out->len = cl;
        return lh_buf_append(out, be, 4, err);
    }
    case LH_AVRO_CODEC_ZSTD: {
        size_t cl = ZSTD_compressBound(in->len), r;
        if ((rc = lh_buf_reserve(out, cl, err)))
            return rc;
        r = ZSTD_compress(out->data, cl, in->data ? in->data : "", in->len, 3);
        if (ZSTD_isError(r))
            return lh_errf(err, LH_EINTERNAL, "avro: zstd: %s", ZSTD_getErrorName(r));
        out->len = r;
        return LH_OK;
    }
    }
    return lh_errf(err, LH_EINVAL, "avro: unknown codec %d", (int)codec);
}

/* room to decompress into: out->data[out->len .. *lim), never past the cap */
static lh_rc out_room(lh_buf *out, size_t *lim, const char *where, const char *codec, lh_err *err)
{
    size_t l = out->alloc < LH_AVRO_MAX_BLOCK ? out->alloc : LH_AVRO_MAX_BLOCK;
    if (l < out->len + 4096 && l < LH_AVRO_MAX_BLOCK) {
        size_t want = out->alloc ? out->alloc : 65536;
        lh_rc rc;
        if (out->len + want > LH_AVRO_MAX_BLOCK)
            want = LH_AVRO_MAX_BLOCK - out->len;
        if ((rc = lh_buf_reserve(out, want, err)))
            return rc;
        l = out->alloc < LH_AVRO_MAX_BLOCK ? out->alloc : LH_AVRO_MAX_BLOCK;
    }
    if (l == out->len)
        return lh_errf(err, LH_ELIMIT, "%s: %s: a block inflates past %zu bytes", where, codec, LH_AVRO_MAX_BLOCK);
    *lim = l;
    return LH_OK;
}

/* out: decompressed bytes, never more than LH_AVRO_MAX_BLOCK */
static lh_rc decompress_block(lh_avro_codec codec, const uint8_t *p, size_t n, lh_buf *out, const char *where,
                              lh_err *err)
{
    lh_rc rc;
    out->len = 0;
    switch (codec) {
    case LH_AVRO_CODEC_NULL:
        return LH_OK; /* the caller reads in place */
    case LH_AVRO_CODEC_DEFLATE: {
        z_stream z;
        int zr = Z_OK;
        memset(&z, 0, sizeof z);
        z.zalloc = z_alloc;
        z.zfree = z_free;
        if (inflateInit2(&z, -15) != Z_OK)
            return lh_errf(err, LH_ENOMEM, "%s: deflate: cannot start the decompressor", where);
        z.next_in = (Bytef *)p;
        z.avail_in = (uInt)n;
        while (zr != Z_STREAM_END) {
            size_t lim;
            if ((rc = out_room(out, &lim, where, "deflate", err))) {
                inflateEnd(&z);
                return rc;
            }
            z.next_out = (Bytef *)out->data + out->len;
            z.avail_out = (uInt)(lim - out->len);
            zr = inflate(&z, Z_NO_FLUSH);
            out->len = (size_t)((char *)z.next_out - out->data);
            if (zr == Z_MEM_ERROR) {
                inflateEnd(&z);
                return lh_errf(err, LH_ENOMEM, "%s: deflate: out of memory", where);
            }
            if (zr != Z_OK && zr != Z_STREAM_END && !(zr == Z_BUF_ERROR && z.avail_out == 0)) {
                inflateEnd(&z);
                return lh_errf(err, LH_ECORRUPT, "%s: deflate: %s", where,
                               zr == Z_BUF_ERROR ? "the compressed data ends early" : z.msg ? z.msg : "bad data");
            }
        }
        inflateEnd(&z);
        if (z.avail_in)
            return lh_errf(err, LH_ECORRUPT, "%s: deflate: %u bytes after the end of the stream", where, z.avail_in);
        return LH_OK;
    }
    case LH_AVRO_CODEC_SNAPPY: {
        size_t ul;
        uint32_t crc, want;
        if (n < 4)
            return lh_errf(err, LH_ECORRUPT, "%s: snappy: a block shorter than its 4-byte CRC", where);
        if (snappy_uncompressed_length((const char *)p, n - 4, &ul) != SNAPPY_OK)
            return lh_errf(err, LH_ECORRUPT, "%s: snappy: bad length header", where);
        if (ul > LH_AVRO_MAX_BLOCK)
            return lh_errf(err, LH_ELIMIT, "%s: snappy: a block claims %zu bytes (cap %zu)", where, ul, LH_AVRO_MAX_BLOCK);
        if ((rc = lh_buf_reserve(out, ul + 1, err)))
            return rc;
        if (snappy_uncompress((const char *)p, n - 4, out->data, &ul) != SNAPPY_OK)
            return lh_errf(err, LH_ECORRUPT, "%s: snappy: bad compressed data", where);
        out->len = ul;
        crc = (uint32_t)crc32(0L, (const Bytef *)out->data, (uInt)ul);
        want = (uint32_t)p[n - 4] << 24 | (uint32_t)p[n - 3] << 16 | (uint32_t)p[n - 2] << 8 | p[n - 1];
        if (crc != want)
            return lh_errf(err, LH_ECORRUPT, "%s: snappy: CRC32 %08x of the data, the block says %08x", where, crc, want);
        return LH_OK;
    }
    case LH_AVRO_CODEC_ZSTD: {
        ZSTD_DCtx *d = ZSTD_createDCtx();
        ZSTD_inBuffer ib = {p, n, 0};
        size_t r = 1;
        if (!d)
            return lh_errf(err, LH_ENOMEM, "%s: zstd: out of memory", where);
        while (ib.pos < ib.size || r != 0) {
            ZSTD_outBuffer ob;
            size_t lim;
            if ((rc = out_room(out, &lim, where, "zstd", err))) {
                ZSTD_freeDCtx(d);
                return rc;
            }
            ob.dst = out->data;
            ob.size = lim;
            ob.pos = out->len;
            r = ZSTD_decompressStream(d, &ob, &ib);
            out->len = ob.pos;
            if (ZSTD_isError(r)) {
                ZSTD_freeDCtx(d);
                return lh_errf(err, LH_ECORRUPT, "%s: zstd: %s", where, ZSTD_getErrorName(r));
            }
            if (ib.pos == ib.size && r != 0 && ob.pos < ob.size) {
                ZSTD_freeDCtx(d);
                return lh_errf(err, LH_ECORRUPT, "%s: zstd: the compressed data ends early", where);
            }
        }
        ZSTD_freeDCtx(d);
        return LH_OK;
    }
    }
    return lh_errf(err, LH_EINTERNAL, "avro: unknown codec");
}

/* ---- writer ---- */
struct lh_avro_writer {
    const lh_avro_schema *schema;
    lh_avro_writer_opts o;
    uint8_t sync[16];
    char **keys;
    lh_buf *vals;
    size_t nmeta, capmeta;
    lh_buf file, block, cbuf;
    size_t count;
    int started, failed;
};

static lh_rc wfail(lh_avro_writer *w, lh_rc rc)
{
    if (rc)
        w->failed = 1;
    return rc;
}

lh_rc lh_avro_writer_open(const lh_avro_schema *s, const lh_avro_writer_opts *opts, lh_avro_writer **out, lh_err *err)
{
    lh_avro_writer *w;
    *out = NULL;
    if (!s)
        return lh_errf(err, LH_EINVAL, "avro writer: no schema");
    if (!(w = lh_calloc(1, sizeof *w)))
        return lh_errf(err, LH_ENOMEM, "avro writer: out of memory");
    if (opts)
        w->o = *opts;
    if ((unsigned)w->o.codec > LH_AVRO_CODEC_ZSTD) {
        lh_free(w);
        return lh_errf(err, LH_EINVAL, "avro writer: unknown codec %d", (int)w->o.codec);
    }
    if (!w->o.block_objects)
        w->o.block_objects = 4096;
    if (!w->o.block_bytes)
        w->o.block_bytes = (size_t)1 << 20;
    if (w->o.block_bytes > LH_AVRO_MAX_BLOCK / 2)
        w->o.block_bytes = LH_AVRO_MAX_BLOCK / 2;
    if (w->o.sync) {
        memcpy(w->sync, w->o.sync, 16);
    } else if (getrandom(w->sync, 16, 0) != 16) {
        uint64_t x = (uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)w;
        for (int i = 0; i < 16; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            w->sync[i] = (uint8_t)x;
        }
    }
    w->o.sync = NULL;
    w->schema = s;
    lh_buf_init(&w->file, 0);
    lh_buf_init(&w->block, LH_AVRO_MAX_BLOCK);
    lh_buf_init(&w->cbuf, 0);
    *out = w;
    return LH_OK;
}

void lh_avro_writer_free(lh_avro_writer *w)
{
    size_t i;
    if (!w)
        return;
    for (i = 0; i < w->nmeta; i++) {
        lh_free(w->keys[i]);
        lh_buf_free(&w->vals[i]);
    }
    lh_free(w->keys);
    lh_free(w->vals);
    lh_buf_free(&w->file);
    lh_buf_free(&w->block);
    lh_buf_free(&w->cbuf);
    lh_free(w);
}

lh_rc lh_avro_writer_meta(lh_avro_writer *w, const char *key, const void *val, size_t n, lh_err *err)
{
    size_t i;
    lh_rc rc;
    if (w->failed || w->started)
        return lh_errf(err, LH_EINVAL, "avro writer: metadata must come before the first value (or the writer failed)");
    if (!strncmp(key, "avro.", 5))
        return lh_errf(err, LH_EINVAL, "avro writer: metadata key \"%s\" is reserved", key);
    for (i = 0; i < w->nmeta; i++)
        if (!strcmp(w->keys[i], key)) {
            w->vals[i].len = 0;
            return wfail(w, lh_buf_append(&w->vals[i], val, n, err));
        }
    if (w->nmeta == w->capmeta) {
        size_t nc = w->capmeta ? w->capmeta * 2 : 8;
        char **k = lh_realloc(w->keys, nc * sizeof *k);
        lh_buf *v;
        if (!k)
            return wfail(w, lh_errf(err, LH_ENOMEM, "avro writer: out of memory"));
        w->keys = k;
        if (!(v = lh_realloc(w->vals, nc * sizeof *v)))
            return wfail(w, lh_errf(err, LH_ENOMEM, "avro writer: out of memory"));
        w->vals = v;
        w->capmeta = nc;
    }
    if (!(w->keys[w->nmeta] = lh_strdup(key)))
        return wfail(w, lh_errf(err, LH_ENOMEM, "avro writer: out of memory"));
    lh_buf_init(&w->vals[w->nmeta], 0);
    w->nmeta++;
    rc = lh_buf_append(&w->vals[w->nmeta - 1], val, n, err);
    return wfail(w, rc);
}

lh_rc lh_avro_writer_meta_str(lh_avro_writer *w, const char *key, const char *val, lh_err *err)
{
    return lh_avro_writer_meta(w, key, val, strlen(val), err);
}

static lh_rc write_header(lh_avro_writer *w, lh_err *err)
{
    lh_buf js;
    lh_rc rc;
    size_t i;
    const char *cn = codec_names[w->o.codec];
    lh_buf_init(&js, 0);
    if ((rc = lh_avro_schema_json(w->schema, &js, err)))
        goto out;
    if ((rc = lh_buf_append(&w->file, "Obj\x01", 4, err)) || (rc = put_long(&w->file, (int64_t)(w->nmeta + 2), err)) ||
        (rc = put_bytes(&w->file, "avro.schema", 11, err)) || (rc = put_bytes(&w->file, js.data, js.len, err)) ||
        (rc = put_bytes(&w->file, "avro.codec", 10, err)) || (rc = put_bytes(&w->file, cn, strlen(cn), err)))
        goto out;
    for (i = 0; i < w->nmeta; i++)
        if ((rc = put_bytes(&w->file, w->keys[i], strlen(w->keys[i]), err)) ||
            (rc = put_bytes(&w->file, w->vals[i].data, w->vals[i].len, err)))
            goto out;
    if ((rc = lh_buf_putc(&w->file, 0, err)) || (rc = lh_buf_append(&w->file, w->sync, 16, err)))
        goto out;
    w->started = 1;
out:
    lh_buf_free(&js);
    return rc;
}

static lh_rc flush_block(lh_avro_writer *w, lh_err *err)
{
    lh_rc rc;
    if (!w->count)
        return LH_OK;
    if ((rc = compress_block(w->o.codec, &w->block, &w->cbuf, err)))
        return rc;
    if ((rc = put_long(&w->file, (int64_t)w->count, err)) || (rc = put_bytes(&w->file, w->cbuf.data, w->cbuf.len, err)) ||
        (rc = lh_buf_append(&w->file, w->sync, 16, err)))
        return rc;
    w->count = 0;
    w->block.len = 0;
    return LH_OK;
}

lh_rc lh_avro_writer_append(lh_avro_writer *w, const lh_avro_value *v, lh_err *err)
{
    lh_rc rc;
    size_t before;
    if (w->failed)
        return lh_errf(err, LH_EINVAL, "avro writer: used after a failure");
    if (!v || v->node != lh_avro_schema_root(w->schema))
        return lh_errf(err, LH_EINVAL, "avro writer: the value is not of the file's schema");
    if (!w->started && (rc = write_header(w, err)))
        return wfail(w, rc);
    before = w->block.len;
    if ((rc = lh_avro_encode(v, &w->block, err))) {
        w->block.len = before; /* the value is refused; the writer stays usable */
        return rc == LH_ENOMEM ? wfail(w, rc) : rc;
    }
    w->count++;
    if (w->count >= w->o.block_objects || w->block.len >= w->o.block_bytes)
        return wfail(w, flush_block(w, err));
    return LH_OK;
}

lh_rc lh_avro_writer_finish(lh_avro_writer *w, lh_buf *out, lh_err *err)
{
    lh_rc rc;
    if (w->failed)
        return lh_errf(err, LH_EINVAL, "avro writer: used after a failure");
    if ((!w->started && (rc = write_header(w, err))) || (rc = flush_block(w, err)) ||
        (rc = lh_buf_append(out, w->file.data, w->file.len, err)))
        return wfail(w, rc);
    w->failed = 1; /* finished: no more appends */
    return LH_OK;
}

/* ---- reader ---- */
struct lh_avro_reader {
    const uint8_t *d;
    size_t n, pos;
    char *name;
    lh_avro_schema *schema;
    lh_avro_codec codec;
    char **keys;
    const uint8_t **vals;
    size_t *vlen;
    size_t nmeta;
    uint8_t sync[16];
    lh_buf dbuf;           /* decompressed block */
    const uint8_t *blk;    /* current block's bytes */
    size_t blen, bpos, bstart;
    int64_t left;          /* objects left in the block */
    lh_arena arena;
    int64_t zero_left;     /* zero-byte items and objects the file may still have */
    int failed, done;
};

void lh_avro_reader_close(lh_avro_reader *r)
{
    size_t i;
    if (!r)
        return;
    for (i = 0; i < r->nmeta; i++)
        lh_free(r->keys[i]);
    lh_free(r->keys);
    lh_free(r->vals);
    lh_free(r->vlen);
    lh_free(r->name);
    lh_avro_schema_free(r->schema);
    lh_buf_free(&r->dbuf);
    lh_arena_free(&r->arena);
    lh_free(r);
}

static lh_rc rd_long(lh_avro_reader *r, int64_t *out, const char *what, lh_err *err)
{
    uint64_t z = 0;
    int shift = 0;
    size_t start = r->pos;
    for (;;) {
        uint8_t b;
        if (r->pos >= r->n)
            return lh_errf(err, LH_ECORRUPT, "%s: offset %zu: expected %s, found the end of the file", r->name, start, what);
        b = r->d[r->pos++];
        if (shift == 63 && b > 1)
            return lh_errf(err, LH_ECORRUPT, "%s: offset %zu: %s: a varint overflows 64 bits", r->name, start, what);
        z |= (uint64_t)(b & 0x7F) << shift;
        if (!(b & 0x80))
            break;
        shift += 7;
    }
    *out = (int64_t)(z >> 1) ^ -(int64_t)(z & 1);
    return LH_OK;
}

static lh_rc rd_len(lh_avro_reader *r, size_t *out, const char *what, lh_err *err)
{
    size_t start = r->pos;
    int64_t l;
    lh_rc rc = rd_long(r, &l, what, err);
    if (rc)
        return rc;
    if (l < 0 || (uint64_t)l > r->n - r->pos)
        return lh_errf(err, LH_ECORRUPT, "%s: offset %zu: %s: length %lld, but %zu bytes are left", r->name, start, what,
                       (long long)l, r->n - r->pos);
    *out = (size_t)l;
    return LH_OK;
}

static lh_rc read_header(lh_avro_reader *r, lh_err *err)
{
    lh_rc rc;
    size_t cap = 0, i;
    const uint8_t *schema = NULL, *codec = NULL;
    size_t slen = 0, clen = 0;
    if (r->n < 4 || memcmp(r->d, "Obj\x01", 4))
        return lh_errf(err, LH_ECORRUPT, "%s: offset 0: not an Avro container file (expected the magic Obj\\x01)", r->name);
    r->pos = 4;
    for (;;) {
        int64_t cnt;
        if ((rc = rd_long(r, &cnt, "the metadata block count", err)))
            return rc;
        if (cnt == 0)
            break;
        if (cnt < 0) {
            size_t bs;
            if (cnt == INT64_MIN)
                return lh_errf(err, LH_ECORRUPT, "%s: offset %zu: a metadata block count overflows", r->name, r->pos);
            cnt = -cnt;
            if ((rc = rd_len(r, &bs, "the metadata block size", err)))
                return rc;
        }
        if ((uint64_t)cnt > (r->n - r->pos) / 2)
            return lh_errf(err, LH_ECORRUPT, "%s: offset %zu: %lld metadata entries cannot fit in the %zu bytes left",
                           r->name, r->pos, (long long)cnt, r->n - r->pos);
        if (r->nmeta + (size_t)cnt > cap) {
            size_t nc = r->nmeta + (size_t)cnt;
            char **k = lh_realloc(r->keys, nc * sizeof *k);
            const uint8_t **v;
            size_t *vl;
            if (!k)
                return lh_errf(err, LH_ENOMEM, "%s: out of memory", r->name);
            r->keys = k;
            if (!(v = lh_realloc(r->vals, nc * sizeof *v)))
                return lh_errf(err, LH_ENOMEM, "%s: out of memory", r->name);
            r->vals = v;
            if (!(vl = lh_realloc(r->vlen, nc * sizeof *vl)))
                return lh_errf(err, LH_ENOMEM, "%s: out of memory", r->name);
            r->vlen = vl;
            cap = nc;
        }
        for (i = 0; i < (size_t)cnt; i++) {
            size_t kl, vlen, kpos = r->pos;
            if ((rc = rd_len(r, &kl, "a metadata key", err)))
                return rc;
            if (!lh_avro_utf8_ok(r->d + r->pos, kl) || memchr(r->d + r->pos, 0, kl))
                return lh_errf(err, LH_ECORRUPT, "%s: offset %zu: a metadata key is not valid UTF-8 text", r->name, kpos);
            if (!(r->keys[r->nmeta] = lh_strndup((const char *)r->d + r->pos, kl)))
                return lh_errf(err, LH_ENOMEM, "%s: out of memory", r->name);
            r->nmeta++;
            r->pos += kl;
            if ((rc = rd_len(r, &vlen, "a metadata value", err)))
                return rc;
            r->vals[r->nmeta - 1] = r->d + r->pos;
            r->vlen[r->nmeta - 1] = vlen;
            r->pos += vlen;
            if (!strcmp(r->keys[r->nmeta - 1], "avro.schema"))
                schema = r->vals[r->nmeta - 1], slen = vlen;
            else if (!strcmp(r->keys[r->nmeta - 1], "avro.codec"))
                codec = r->vals[r->nmeta - 1], clen = vlen;
        }
    }
    if (r->n - r->pos < 16)
        return lh_errf(err, LH_ECORRUPT, "%s: offset %zu: expected the 16-byte sync marker, found the end of the file",
                       r->name, r->pos);
    memcpy(r->sync, r->d + r->pos, 16);
    r->pos += 16;
    if (!schema)
        return lh_errf(err, LH_ECORRUPT, "%s: the metadata has no avro.schema", r->name);
    r->codec = LH_AVRO_CODEC_NULL;
    if (codec) {
        int c, found = 0;
        for (c = 0; c < 4; c++)
            if (clen == strlen(codec_names[c]) && !memcmp(codec, codec_names[c], clen))
                r->codec = (lh_avro_codec)c, found = 1;
        if (!found)
            return lh_errf(err, LH_EUNSUPPORTED, "%s: codec \"%.*s\" is not supported (null, deflate, snappy, zstandard)",
                           r->name, (int)(clen > 40 ? 40 : clen), (const char *)codec);
    }
    if ((rc = lh_avro_schema_parse((const char *)schema, slen, &r->schema, err)))
        return lh_err_prefix(err, "%s: avro.schema", r->name);
    return LH_OK;
}

lh_rc lh_avro_reader_open(const void *data, size_t n, const char *name, lh_avro_reader **out, lh_err *err)
{
    lh_avro_reader *r;
    lh_rc rc;
    *out = NULL;
    if (!(r = lh_calloc(1, sizeof *r)))
        return lh_errf(err, LH_ENOMEM, "avro reader: out of memory");
    r->d = data;
    r->n = data ? n : 0;
    lh_buf_init(&r->dbuf, LH_AVRO_MAX_BLOCK + 1);
    lh_arena_init(&r->arena, (size_t)256 << 20);
    r->zero_left = LH_AVRO_MAX_ZERO_ITEMS * 16;
    if (!(r->name = lh_strdup(name ? name : "avro"))) {
        lh_avro_reader_close(r);
        return lh_errf(err, LH_ENOMEM, "avro reader: out of memory");
    }
    if ((rc = read_header(r, err))) {
        lh_avro_reader_close(r);
        return rc;
    }
    *out = r;
    return LH_OK;
}

const lh_avro_schema *lh_avro_reader_schema(const lh_avro_reader *r) { return r->schema; }
lh_avro_codec lh_avro_reader_codec(const lh_avro_reader *r) { return r->codec; }
size_t lh_avro_reader_meta_count(const lh_avro_reader *r) { return r->nmeta; }

void lh_avro_reader_meta_at(const lh_avro_reader *r, size_t i, const char **key, const uint8_t **val, size_t *n)
{
    *key = i < r->nmeta ? r->keys[i] : NULL;
    *val = i < r->nmeta ? r->vals[i] : NULL;
    *n = i < r->nmeta ? r->vlen[i] : 0;
}

int lh_avro_reader_meta(const lh_avro_reader *r, const char *key, const uint8_t **val, size_t *n)
{
    size_t i;
    for (i = r->nmeta; i-- > 0;)
        if (!strcmp(r->keys[i], key)) {
            *val = r->vals[i];
            *n = r->vlen[i];
            return 1;
        }
    return 0;
}

static lh_rc next_block(lh_avro_reader *r, lh_err *err)
{
    lh_rc rc;
    int64_t cnt;
    size_t size, start = r->pos;
    const lh_avro_node *root = lh_avro_schema_root(r->schema);
    char where[300];
    if ((rc = rd_long(r, &cnt, "a block's object count", err)))
        return rc;
    if (cnt < 0)
        return lh_errf(err, LH_ECORRUPT, "%s: offset %zu: a negative block object count (%lld)", r->name, start,
                       (long long)cnt);
    if ((rc = rd_len(r, &size, "a block's byte size", err)))
        return rc;
    if (size > LH_AVRO_MAX_BLOCK)
        return lh_errf(err, LH_ELIMIT, "%s: offset %zu: a block of %zu bytes (cap %zu)", r->name, start, size,
                       LH_AVRO_MAX_BLOCK);
    snprintf(where, sizeof where, "%s: block at offset %zu", r->name, start);
    if (r->codec == LH_AVRO_CODEC_NULL) {
        r->blk = r->d + r->pos;
        r->blen = size;
        r->bstart = r->pos;
    } else {
        if ((rc = decompress_block(r->codec, r->d + r->pos, size, &r->dbuf, where, err)))
            return rc;
        r->blk = (const uint8_t *)r->dbuf.data;
        r->blen = r->dbuf.len;
        r->bstart = 0;
    }
    r->pos += size;
    if (r->n - r->pos < 16)
        return lh_errf(err, LH_ECORRUPT, "%s: offset %zu: expected the block's 16-byte sync marker, found the end of the file",
                       r->name, r->pos);
    if (memcmp(r->d + r->pos, r->sync, 16))
        return lh_errf(err, LH_ECORRUPT, "%s: offset %zu: the sync marker after the block differs from the header's",
                       r->name, r->pos);
    r->pos += 16;
    if (root->minsize ? (uint64_t)cnt > r->blen / root->minsize : cnt > r->zero_left)
        return lh_errf(err, root->minsize ? LH_ECORRUPT : LH_ELIMIT,
                       "%s: offset %zu: a block of %lld objects cannot fit in its %zu bytes%s", r->name, start,
                       (long long)cnt, r->blen, root->minsize ? "" : " (objects of zero bytes: past the cap)");
    if (!root->minsize)
        r->zero_left -= cnt;
    r->left = cnt;
    r->bpos = 0;
    return LH_OK;
}

lh_rc lh_avro_reader_next(lh_avro_reader *r, const lh_avro_value **out, lh_err *err)
{
    lh_rc rc;
    lh_avro_value *v;
    *out = NULL;
    if (r->failed)
        return lh_errf(err, LH_EINVAL, "%s: the reader failed before", r->name);
    if (r->done)
        return LH_OK;
    lh_arena_reset(&r->arena);
    while (r->left == 0) {
        if (r->blk && r->bpos != r->blen) {
            r->failed = 1;
            return lh_errf(err, LH_ECORRUPT, "%s: %s %zu: the block has %zu bytes after its last object", r->name,
                           r->codec ? "decompressed block byte" : "offset", r->bstart + r->bpos, r->blen - r->bpos);
        }
        if (r->pos == r->n) {
            r->done = 1;
            return LH_OK;
        }
        if ((rc = next_block(r, err))) {
            r->failed = 1;
            return rc;
        }
    }
    rc = lh_avro_decode_at(lh_avro_schema_root(r->schema), r->blk, r->blen, &r->bpos, r->bstart, &r->zero_left,
                           &r->arena, &v, err);
    if (rc) {
        r->failed = 1;
        if (r->codec)
            return lh_err_prefix(err, "%s: compressed block (offsets in its decompressed bytes)", r->name);
        return lh_err_prefix(err, "%s", r->name);
    }
    r->left--;
    *out = v;
    return LH_OK;
}
