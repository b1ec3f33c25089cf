import assert from 'node:assert/strict';
import { isUtf8 } from 'node:buffer';
import { test } from 'node:test';
import { decodeText } from './decode.js';

const utf16le = (text: string) => Buffer.from(text, 'utf16le');
const utf16be = (text: string) => utf16le(text).swap16();
const yaml = 'title: Café rule\ndetection:\n  sel:\n    Image: x.exe\n';

test('UTF-8 reads as it is; a UTF-8 byte order mark is dropped', () => {
  assert.deepEqual(decodeText(Buffer.from(yaml)), { text: yaml });
  assert.deepEqual(decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(yaml)])), { text: yaml });
});

test('UTF-16 with a byte order mark is decoded, either byte order', () => {
  assert.deepEqual(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), utf16le(yaml)])), { text: yaml });
  assert.deepEqual(decodeText(Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(yaml)])), { text: yaml });
});

test('UTF-16 with a broken surrogate is decoded with U+FFFD, and says so', () => {
  const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), utf16le('a: b'), Buffer.from([0x00, 0xd8]), utf16le('\n')]);
  const out = decodeText(bytes);
  assert.equal(out.text, 'a: b\uFFFD\n');
  assert.match(out.note ?? '', /UTF-16LE .*invalid sequences, replaced by U\+FFFD/);
});

test('UTF-32 and UTF-16 without a byte order mark are refused, the encoding named', () => {
  const utf32le = Buffer.from([0xff, 0xfe, 0, 0, 0x61, 0, 0, 0]);
  const utf32be = Buffer.from([0, 0, 0xfe, 0xff, 0, 0, 0, 0x61]);
  assert.deepEqual(decodeText(utf32le), {
    text: '',
    refused: 'the file is UTF-32LE (byte order mark), which is not read: save it as UTF-8',
  });
  assert.match(decodeText(utf32be).refused ?? '', /UTF-32BE/);
  assert.deepEqual(decodeText(utf16le(yaml)), {
    text: '',
    refused: 'the file looks like UTF-16LE without a byte order mark, which is not read: save it as UTF-8',
  });
  assert.match(decodeText(utf16be(yaml)).refused ?? '', /UTF-16BE without a byte order mark/);
});

test('invalid UTF-8 is replaced by U+FFFD and said, with its line', () => {
  const bytes = Buffer.concat([Buffer.from('title: x\ndescription: caf'), Buffer.from([0xe9]), Buffer.from(' au lait\n')]);
  const out = decodeText(bytes);
  assert.equal(out.text, 'title: x\ndescription: caf\uFFFD au lait\n');
  assert.equal(out.note, 'the file is not valid UTF-8 (first at line 2, byte 26): invalid bytes were replaced by U+FFFD');
  // A NUL here and there is not UTF-16: the text is read as it is.
  assert.deepEqual(decodeText(Buffer.from('a: 1\0\nb: 2\n')), { text: 'a: 1\0\nb: 2\n' });
});

test('the position of the first invalid byte agrees with the platform on every kind of sequence', () => {
  // Overlong forms, surrogates, above U+10FFFF, truncated and stray continuation bytes, and valid ones.
  const cases = [
    [0xc0, 0x80],
    [0xc1, 0xbf],
    [0xe0, 0x80, 0x80],
    [0xe0, 0xa0, 0x80],
    [0xed, 0xa0, 0x80],
    [0xed, 0x9f, 0xbf],
    [0xf0, 0x80, 0x80, 0x80],
    [0xf0, 0x90, 0x80, 0x80],
    [0xf4, 0x8f, 0xbf, 0xbf],
    [0xf4, 0x90, 0x80, 0x80],
    [0xf5, 0x80, 0x80, 0x80],
    [0xe2, 0x82],
    [0x80],
    [0xff],
  ];
  for (const seq of cases) {
    const bytes = Buffer.from([0x61, 0x0a, 0x62, ...seq, 0x63]);
    const { note } = decodeText(bytes);
    assert.equal(note === undefined, isUtf8(bytes), `${seq.map((b) => b.toString(16)).join(' ')}`);
    if (note) assert.match(note, /first at line 2, byte 4\)/, `${seq.map((b) => b.toString(16)).join(' ')}`);
  }
});
