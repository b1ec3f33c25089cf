// `urllib.parse.unquote(f or "")` (unquoted.ts): tests on the decoded text, evaluated as Python
// decodes it; and `C in sep.join(f)` of a field of a parsed JSON text (joined-texts.ts).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadPython, modelFires, modelRule } from './model-harness.js';
import { pyUnquote } from './unquoted.js';

before(loadPython);

const log = 'Custom.Log';

describe('unquote of a field', () => {
  const code =
    'from urllib.parse import unquote\n' +
    'PATHS = {"/var/run/secrets", "serviceaccount/token"}\n' +
    'def rule(event):\n' +
    '    uri = event.get("requestURI") or ""\n' +
    '    decoded = unquote(uri).lower()\n' +
    '    return any(p.lower() in decoded for p in PATHS)\n';

  it('decodes the escapes before the test, a missing field the empty text', () => {
    const rule = modelRule(code, log);
    assert.equal(modelFires(rule, { requestURI: '/exec?command=cat&command=%2Fvar%2Frun%2Fsecrets%2Fx' }, log), 'yes');
    assert.equal(modelFires(rule, { requestURI: '/exec?command=cat%20ServiceAccount%2FToken' }, log), 'yes');
    assert.equal(modelFires(rule, { requestURI: '/exec?command=ls' }, log), 'no');
    assert.equal(modelFires(rule, {}, log), 'no');
    assert.equal(modelFires(rule, { requestURI: null }, log), 'no');
    // unquote() of a number raises TypeError.
    assert.equal(modelFires(rule, { requestURI: 5 }, log), 'unknown');
  });

  it("a function of the rule's own named unquote is not the library's", () => {
    const own = modelRule(code.replace('from urllib.parse import unquote\n', 'def unquote(x):\n    return x\n'), log);
    assert.equal(modelFires(own, { requestURI: '/var/run/secrets' }, log), 'yes');
    assert.equal(modelFires(own, { requestURI: '%2Fvar%2Frun%2Fsecrets' }, log), 'no');
  });

  it('a field that can be None is not read: unquote(None) raises', () => {
    const rule = modelRule(code.replace(' or ""', ''), log);
    assert.equal(modelFires(rule, { requestURI: '%2Fvar%2Frun%2Fsecrets' }, log), 'unknown');
  });

  it('a text lowered before it is decoded is not read', () => {
    const rule = modelRule(code.replace('unquote(uri).lower()', 'unquote(uri.lower())'), log);
    assert.equal(modelFires(rule, { requestURI: '%2Fvar%2Frun%2Fsecrets' }, log), 'unknown');
  });

  it("Python's decoding: bad escapes kept, UTF-8 decoded per ASCII run, invalid bytes replaced", () => {
    assert.equal(pyUnquote('%41%zz%e2%82%ac%4'), 'A%zz€%4');
    assert.equal(pyUnquote('a%ffb'), 'a\ufffdb');
    assert.equal(pyUnquote('é%C3%A9'), 'éé');
    assert.equal(pyUnquote('plain'), 'plain');
  });
});

describe('a joined list of a parsed JSON text', () => {
  it('C in sep.join(f) with f read through json.loads', () => {
    const rule = modelRule(
      'import json\n' +
        'def rule(event):\n' +
        '    log = json.loads(event.get("log", "{}"))\n' +
        '    command = " ".join(str(c) for c in log.get("command", [])).lower()\n' +
        '    return "/token" in command\n',
      log,
    );
    assert.equal(modelFires(rule, { log: '{"command": ["cat", "/var/TOKEN"]}' }, log), 'yes');
    assert.equal(modelFires(rule, { log: '{"command": ["cat", "/var/x"]}' }, log), 'no');
    // A text joins its characters: no element holds "/token".
    assert.equal(modelFires(rule, { log: '{"command": "cat /token"}' }, log), 'no');
  });
});
