import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deflateRawSync } from 'node:zlib';
import { FAST_LEVEL, pack, unpack, unpackBytes } from './codec.js';

test('short text is stored as is, longer text deflated, and both read back unchanged', () => {
  assert.equal(pack('{"a":1}'), '{"a":1}');
  const long = `${'detection: selection: Image|endswith: \\certutil.exe — ünïcode '.repeat(40)}`;
  const packed = pack(long);
  assert.ok(Buffer.isBuffer(packed) && packed.length < Buffer.byteLength(long) / 4, `${packed.length} bytes`);
  assert.equal(unpack(packed), long);
  assert.equal(unpack(pack('{"a":1}')), '{"a":1}');
  assert.deepEqual(unpackBytes(packed), Buffer.from(long));
});

test('text packed against a dictionary is smaller, and reads back only with that dictionary', () => {
  const lines = Array.from({ length: 30 }, (_, i) => `    - 'value-${(i * 7919) % 997}-${(i * 104729) % 991}'`).join('\n');
  const file = Buffer.from(`title: Certutil download\ndetection:\n  selection:\n    CommandLine|contains:\n${lines}\n`);
  const json = JSON.stringify({
    name: 'Certutil download',
    query: file.toString(),
    stages: [{ text: "CommandLine|contains: 'urlcache'" }],
  });
  const alone = pack(json) as Buffer;
  const against = pack(json, file) as Buffer;
  assert.ok(against.length < alone.length * 0.75, `${against.length} against ${alone.length}`);
  assert.equal(unpack(against, file), json);
  assert.notEqual(
    (() => {
      try {
        return unpack(against);
      } catch {
        return undefined;
      }
    })(),
    json,
  );
});

test('a value is deflated to the very bytes of zlib with its default window, with and without a dictionary, at every size', () => {
  // Text that repeats at every distance (a window too small would miss matches), multi-byte characters included.
  let seed = 7;
  const word = () => ((seed = (seed * 48271) % 2147483647), `w${seed % 4093}é`);
  const text = (n: number) => {
    let out = '';
    while (out.length < n) out += `${word()} ${out.slice(-((seed % 4000) + 1), -((seed % 4000) + 1) + 40)} `;
    return out.slice(0, n);
  };
  const dictionary = Buffer.from(text(3000));
  for (const n of [64, 200, 249, 250, 251, 500, 760, 1786, 1787, 3800, 8000, 16_100, 16_200, 33_000, 70_000]) {
    const t = text(n);
    assert.deepEqual(pack(t), deflateRawSync(t), `${n} characters`);
    assert.deepEqual(pack(t, dictionary), deflateRawSync(t, { dictionary }), `${n} characters against a dictionary`);
    const fast = deflateRawSync(t, { dictionary, level: FAST_LEVEL });
    assert.deepEqual(pack(t, dictionary, undefined, FAST_LEVEL), fast, `${n} characters at level ${FAST_LEVEL}`);
    assert.equal(unpack(pack(t, dictionary), dictionary), t);
  }
});
