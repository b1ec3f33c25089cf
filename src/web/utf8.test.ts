import assert from 'node:assert/strict';
import { test } from 'node:test';
import { utf8Bytes } from './utf8.js';

test('utf8Bytes gives the bytes Buffer.from(text, "utf8") gives, whatever the text and its length', () => {
  const texts = [
    '',
    'plain ASCII <a href="/?q=x&amp;y">',
    'Latin-1 · café',
    'two-byte ◆ → “quoted” …',
    'astral 𝒳 and 🙂 emoji',
    'lone surrogates \ud800 x \udc00 and a pair cut at the end \ud83d',
    'é'.repeat(200_000), // past the first scratch size
    '→'.repeat(1_500_000), // past the largest scratch: Buffer.from
  ];
  for (const text of texts) assert.ok(utf8Bytes(text).equals(Buffer.from(text, 'utf8')), text.slice(0, 40));
  // An answer's bytes are its own: the next call does not write over them.
  const first = utf8Bytes('first answer');
  utf8Bytes('second answer, longer than the first');
  assert.equal(first.toString('utf8'), 'first answer');
});
