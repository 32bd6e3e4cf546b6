// tests/interop/avro_check.mjs — Avro interop with avsc (an independent
// JavaScript implementation).  Driven by tests/interop/avro.sh:
//   node avro_check.mjs read-ours DIR     avsc reads DIR/ours.<codec>.avro; rows must equal DIR/ours.json
//   node avro_check.mjs write-theirs DIR  avsc writes DIR/theirs.<codec>.avro + .json (its own decoding)
//   node avro_check.mjs compare A B       JSON lines of A and B equal (numbers compared as values)
// Codecs: null, deflate (avsc's own), snappy through avsc's codec hook with
// a small snappy coder below (decoder complete; encoder literal-only, which
// is valid snappy).  avsc has no zstandard.  Prints PASS/FAIL lines.
import avro from 'avsc';
import fs from 'node:fs';
import zlib from 'node:zlib';

function snappyDecode(buf) {
  let pos = 0, len = 0, shift = 0, b;
  do { b = buf[pos++]; len |= (b & 0x7f) << shift; shift += 7; } while (b & 0x80);
  const out = Buffer.alloc(len);
  let o = 0;
  while (pos < buf.length) {
    const tag = buf[pos++];
    const t = tag & 3;
    if (t === 0) {
      let n = tag >> 2;
      if (n >= 60) { const k = n - 59; n = 0; for (let i = 0; i < k; i++) n |= buf[pos++] << (8 * i); }
      n += 1;
      buf.copy(out, o, pos, pos + n); pos += n; o += n;
    } else {
      let n, off;
      if (t === 1) { n = ((tag >> 2) & 7) + 4; off = ((tag >> 5) << 8) | buf[pos++]; }
      else if (t === 2) { n = (tag >> 2) + 1; off = buf[pos] | (buf[pos + 1] << 8); pos += 2; }
      else { n = (tag >> 2) + 1; off = buf.readUInt32LE(pos); pos += 4; }
      if (off === 0 || off > o) throw new Error('snappy: bad offset');
      for (let i = 0; i < n; i++, o++) out[o] = out[o - off];
    }
  }
  if (o !== len) throw new Error('snappy: length mismatch');
  return out;
}

function snappyEncodeLiteral(buf) {
  const parts = [];
  let n = buf.length;
  const hdr = [];
  do { let b = n & 0x7f; n = Math.floor(n / 128); if (n) b |= 0x80; hdr.push(b); } while (n);
  parts.push(Buffer.from(hdr));
  for (let p = 0; p < buf.length; p += 65536) {
    const chunk = buf.subarray(p, Math.min(p + 65536, buf.length));
    const m = chunk.length - 1;
    parts.push(m < 60 ? Buffer.from([m << 2]) : m < 256 ? Buffer.from([60 << 2, m]) : Buffer.from([61 << 2, m & 255, m >> 8]));
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}

function crcBE(buf) { const b = Buffer.alloc(4); b.writeUInt32BE(zlib.crc32(buf) >>> 0); return b; }

const decCodecs = {
  null: (buf, cb) => cb(null, buf),
  deflate: zlib.inflateRaw,
  snappy(buf, cb) {
    try {
      const data = snappyDecode(buf.subarray(0, buf.length - 4));
      if (!crcBE(data).equals(buf.subarray(buf.length - 4))) return cb(new Error('snappy: bad CRC'));
      cb(null, data);
    } catch (e) { cb(e); }
  },
};
const encCodecs = {
  null: (buf, cb) => cb(null, buf),
  deflate: zlib.deflateRaw,
  snappy(buf, cb) { cb(null, Buffer.concat([snappyEncodeLiteral(buf), crcBE(buf)])); },
};

const parseHook = (schema) => avro.Type.forSchema(schema, {wrapUnions: false});

function canon(v) {
  if (Buffer.isBuffer(v)) return v.toString('hex');
  if (Array.isArray(v)) return v.map(canon);
  if (v && typeof v === 'object') { const o = {}; for (const k of Object.keys(v)) o[k] = canon(v[k]); return o; }
  return v;
}

function decodeFile(path) {
  return new Promise((resolve, reject) => {
    const rows = []; let meta = null;
    const d = new avro.streams.BlockDecoder({codecs: decCodecs, parseHook});
    d.on('metadata', (type, codec, header) => { meta = {type, codec, header}; });
    d.on('data', (v) => rows.push(v));
    d.on('end', () => resolve({rows, meta}));
    d.on('error', reject);
    d.end(fs.readFileSync(path));
  });
}

function encode(type, rows, codec, metadata) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    const e = new avro.streams.BlockEncoder(type, {codec, codecs: encCodecs, blockSize: 512, metadata});
    e.on('data', (c) => chunks.push(c));
    e.on('end', () => resolve(Buffer.concat(chunks)));
    e.on('error', reject);
    for (const r of rows) e.write(r);
    e.end();
  });
}

const lines = (p) => fs.readFileSync(p, 'utf8').split('\n').filter((l) => l.length).map((l) => JSON.stringify(JSON.parse(l)));
let failed = 0;
const report = (ok, what) => { console.log(`${ok ? 'PASS' : 'FAIL'} avro ${what}`); if (!ok) failed++; };

const [mode, a, b] = process.argv.slice(2);
const codecs = ['null', 'deflate', 'snappy'];
if (mode === 'read-ours') {
  const want = lines(`${a}/ours.json`);
  for (const c of codecs) {
    try {
      const {rows, meta} = await decodeFile(`${a}/ours.${c}.avro`);
      const got = rows.map((r) => JSON.stringify(canon(r)));
      const bad = got.findIndex((g, i) => g !== want[i]);
      const fv = meta.header.meta['format-version'];
      report(got.length === want.length && bad < 0 && meta.codec === c && fv && fv.toString() === '2',
        `avsc reads our ${c} file (${got.length} rows)` + (bad >= 0 ? `: row ${bad}: ${got[bad]} != ${want[bad]}` : ''));
    } catch (e) { report(false, `avsc reads our ${c} file: ${e.message}`); }
  }
} else if (mode === 'write-theirs') {
  // avsc's own values (its random generator) for a manifest-like schema, and our rows re-encoded by avsc
  const manifest = avro.Type.forSchema({type: 'record', name: 'manifest_entry', fields: [
    {name: 'status', type: 'int', 'field-id': 0},
    {name: 'snapshot_id', type: ['null', 'long'], default: null, 'field-id': 1},
    {name: 'data_file', 'field-id': 2, type: {type: 'record', name: 'r2', fields: [
      {name: 'file_path', type: 'string', 'field-id': 100},
      {name: 'partition', 'field-id': 102, type: {type: 'record', name: 'r102', fields: [
        {name: 'dt', type: ['null', {type: 'int', logicalType: 'date'}], default: null, 'field-id': 1000}]}},
      {name: 'record_count', type: 'long', 'field-id': 103},
      {name: 'value_counts', type: ['null', {type: 'array', logicalType: 'map', items: {type: 'record', name: 'k119_v120',
        fields: [{name: 'key', type: 'int', 'field-id': 119}, {name: 'value', type: 'long', 'field-id': 120}]}}],
        default: null, 'field-id': 109},
      {name: 'tags', type: {type: 'map', values: 'string'}},
      {name: 'kind', type: {type: 'enum', name: 'kind', symbols: ['DATA', 'DELETES']}},
      {name: 'key', type: ['null', {type: 'fixed', name: 'f16', size: 16}]},
      {name: 'ratio', type: 'float'}, {name: 'score', type: 'double'}, {name: 'flag', type: 'boolean'},
      {name: 'blob', type: 'bytes'}]}}]}, {wrapUnions: false});
  const rnd = [];
  for (let i = 0; i < 60; i++) {
    const v = manifest.random();
    v.data_file.record_count = Math.floor(Math.random() * 2 ** 53) * (i % 2 ? -1 : 1);
    rnd.push(v);
  }
  const ours = await decodeFile(`${a}/ours.null.avro`);
  for (const c of codecs) {
    for (const [name, type, rows] of [['theirs', manifest, rnd], ['theirs_all', ours.meta.type, ours.rows]]) {
      const buf = await encode(type, rows, c, {'format-version': Buffer.from('2')});
      fs.writeFileSync(`${a}/${name}.${c}.avro`, buf);
      const back = await decodeFile(`${a}/${name}.${c}.avro`);
      fs.writeFileSync(`${a}/${name}.${c}.json`, back.rows.map((r) => JSON.stringify(canon(r)) + '\n').join(''));
    }
  }
} else if (mode === 'compare') {
  const x = lines(a), y = lines(b);
  const bad = x.findIndex((g, i) => g !== y[i]);
  report(x.length === y.length && bad < 0, `${b.split('/').pop()}: our reader (${x.length} rows)` +
    (bad >= 0 ? `: row ${bad}: ${x[bad]} != ${y[bad]}` : ''));
} else {
  console.error('usage: avro_check.mjs read-ours DIR | write-theirs DIR | compare A B');
  process.exit(2);
}
process.exit(failed ? 1 : 0);
