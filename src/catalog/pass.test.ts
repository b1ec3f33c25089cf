import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalKey, canonicalText } from '../analysis/canonical.js';
import { MemoryDictionary } from './pass.js';

describe('MemoryDictionary', () => {
  it('gives back every text it was given, whether or not its key spells it out', () => {
    const dict = new MemoryDictionary();
    const excluded = { field: 'process.name', op: 'eq' as const, value: 'a\u0000b c', negated: true };
    const plain = { field: 'hash.md5', op: 'contains' as const, value: '00ff', negated: false };
    const given: [Parameters<MemoryDictionary['id']>, string][] = [
      [['c', canonicalKey(excluded), canonicalText(excluded)], canonicalText(excluded)],
      [['c', canonicalKey(plain), canonicalText(plain)], canonicalText(plain)],
      // A text its key does not spell out.
      [['c', canonicalKey({ ...plain, value: 'x' }), 'shown otherwise'], 'shown otherwise'],
      [['f', 'hash.md5', 'hash.md5'], 'hash.md5'],
      [['t', 'T1059', 'T1059'], 'T1059'],
      [['i', 'Hashes\u0000contains\u00000\u000000ff'], ''],
    ];
    const ids = given.map(([args]) => dict.id(...args));
    assert.deepEqual(
      ids.map((id) => dict.text(id)),
      given.map(([, text]) => text),
    );
    // The same key again is the same number.
    assert.equal(dict.id('c', canonicalKey(plain), canonicalText(plain)), ids[1]);
  });
});
