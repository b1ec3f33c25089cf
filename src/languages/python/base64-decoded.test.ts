// `base64.b64decode(f).decode(enc)` (base64-decoded.ts): tests on the decoded text, decoded as Python
// decodes it; a `try` around the decoding with a handler of ValueError reads as whether it decodes.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadPython, modelFires, modelRule } from './model-harness.js';
import { pyB64Decode, pyBytesDecode } from './base64-decoded.js';

before(loadPython);

const log = 'Custom.Log';
const text = (r: Uint8Array | string): string => (typeof r === 'string' ? r : new TextDecoder().decode(r));

describe("Python's b64decode and bytes.decode", () => {
  // Each expected value is what CPython 3.11 gives (an error: 'raises').
  it('decodes as binascii does, not validated: other characters skipped, data after padding ignored', () => {
    assert.equal(text(pyB64Decode('YWJj', false)), 'abc');
    assert.equal(text(pyB64Decode('YW Jj', false)), 'abc');
    assert.equal(text(pyB64Decode('YWI=', false)), 'ab');
    assert.equal(text(pyB64Decode('YWI=junk', false)), 'ab');
    assert.equal(pyB64Decode('YWJ', false), 'raises');
    assert.equal(pyB64Decode('Y', false), 'raises');
    assert.equal(pyB64Decode('é', false), 'raises');
  });

  it('validated: any other character, or data after the padding, raises', () => {
    assert.equal(text(pyB64Decode('YWJj', true)), 'abc');
    assert.equal(text(pyB64Decode('YWI=', true)), 'ab');
    assert.equal(pyB64Decode('YW Jj', true), 'raises');
    assert.equal(pyB64Decode('YWI=junk', true), 'raises');
    assert.equal(pyB64Decode('=YWJj', true), 'raises');
    // Padding at the start of a group: read differently by Python versions.
    assert.equal(pyB64Decode('YWJj=', true), 'unsure');
  });

  it('bytes to text, strict: a BOM kept, invalid sequences raise (undefined)', () => {
    assert.equal(pyBytesDecode(Uint8Array.from([0xef, 0xbb, 0xbf, 0x61]), 'utf-8'), '\ufeffa');
    assert.equal(pyBytesDecode(Uint8Array.from([0xff, 0x61]), 'utf-8'), undefined);
    assert.equal(pyBytesDecode(Uint8Array.from([0x61, 0x00, 0x62]), 'utf-16-le'), undefined);
    assert.equal(pyBytesDecode(Uint8Array.from([0x61, 0x00, 0x62, 0x00]), 'utf-16-le'), 'ab');
    assert.equal(pyBytesDecode(Uint8Array.from([0x80]), 'ascii'), undefined);
    assert.equal(pyBytesDecode(Uint8Array.from([0xe9]), 'latin-1'), 'é');
  });
});

describe('a test on the decoded text of a field', () => {
  const code =
    'import base64\n' +
    'def rule(event):\n' +
    '    try:\n' +
    '        decoded = base64.b64decode(event.get("payload")).decode("utf-8")\n' +
    '    except ValueError:\n' +
    '        return False\n' +
    '    return "powershell" in decoded.lower()\n';

  it('decodes the text before the test; a text that does not decode takes the handler', () => {
    const rule = modelRule(code, log);
    assert.equal(modelFires(rule, { payload: 'U3RhcnQgUG93ZXJTaGVsbCAtZW5j' }, log), 'yes');
    assert.equal(modelFires(rule, { payload: 'aGVsbG8=' }, log), 'no');
    // Nine base64 characters once the others are skipped: binascii.Error.
    assert.equal(modelFires(rule, { payload: 'not base64!!' }, log), 'no');
    // Not UTF-8: UnicodeDecodeError, a ValueError too.
    assert.equal(modelFires(rule, { payload: '//5hYg==' }, log), 'no');
    // b64decode(None) raises TypeError, which the handler does not catch.
    assert.equal(modelFires(rule, {}, log), 'unknown');
  });

  it('without the handler, a text that does not decode raises: not evaluated', () => {
    const bare = modelRule(
      'import base64\ndef rule(event):\n    return "powershell" in base64.b64decode(event.get("payload")).decode().lower()\n',
      log,
    );
    assert.equal(modelFires(bare, { payload: 'U3RhcnQgUG93ZXJTaGVsbCAtZW5j' }, log), 'yes');
    assert.equal(modelFires(bare, { payload: 'not base64!!' }, log), 'unknown');
  });

  it('validate=True, b64decode imported by name, and utf-16-le', () => {
    const rule = modelRule(
      'from base64 import b64decode\n' +
        'def rule(event):\n' +
        '    try:\n' +
        '        decoded = b64decode(event.get("payload"), validate=True).decode("utf-16-le")\n' +
        '    except (ValueError, TypeError):\n' +
        '        return False\n' +
        '    return decoded == "abc"\n',
      log,
    );
    assert.equal(modelFires(rule, { payload: 'YQBiAGMA' }, log), 'yes');
    // Not validated this would decode to "abc"; validated, the space raises.
    assert.equal(modelFires(rule, { payload: 'YQBi AGMA' }, log), 'no');
  });

  it('the bytes themselves, and the length of the decoded text, are not read', () => {
    const bytes = modelRule('import base64\ndef rule(event):\n    return b"ab" in base64.b64decode(event.get("payload"))\n', log);
    assert.equal(modelFires(bytes, { payload: 'YWI=' }, log), 'unknown');
    const length = modelRule('import base64\ndef rule(event):\n    return len(base64.b64decode(event.get("payload")).decode()) > 3\n', log);
    // The field's text is 4 characters long, its decoded text 2.
    assert.equal(modelFires(length, { payload: 'YWI=' }, log), 'unknown');
  });
});

describe('str.isascii()', () => {
  it('every character below U+0080, the empty text too; on a decoded text as on a field', () => {
    const plain = modelRule('def rule(event):\n    return event.get("x").isascii()\n', log);
    assert.equal(modelFires(plain, { x: 'plain text ~' }, log), 'yes');
    assert.equal(modelFires(plain, { x: '' }, log), 'yes');
    assert.equal(modelFires(plain, { x: 'café' }, log), 'no');
    assert.equal(modelFires(plain, { x: 'a\u{1F600}' }, log), 'no');
    const decoded = modelRule(
      'import base64\ndef rule(event):\n    return base64.b64decode(event.get("x")).decode("latin-1").isascii()\n',
      log,
    );
    assert.equal(modelFires(decoded, { x: 'YWI=' }, log), 'yes');
    assert.equal(modelFires(decoded, { x: '6Q==' }, log), 'no');
  });

  it('a text lowered first is not read: lowering can make it ASCII (U+212A)', () => {
    const lowered = modelRule('def rule(event):\n    return event.get("x").lower().isascii()\n', log);
    assert.equal(modelFires(lowered, { x: '\u212a' }, log), 'unknown');
  });
});
