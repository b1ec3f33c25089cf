import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pack, unpack, unpackBytes } from './codec.js';

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
