// A separator written in for another before the split (replaced-separators.ts): the last piece
// after either character, tested as Python does.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadPython, modelFires, modelRule } from './model-harness.js';

before(loadPython);

const log = 'Custom.Log';

describe('a character replaced by the separator before the split', () => {
  it('a file name after either slash, lowered, in a set of names', () => {
    const rule = modelRule(
      'TOOLS = {"mimikatz.exe", "procdump.exe"}\n' +
        'def rule(event):\n' +
        '    name = event.get("image", "")\n' +
        '    if not name:\n' +
        '        return False\n' +
        '    return name.lower().replace("/", "\\\\").split("\\\\")[-1] in TOOLS\n',
      log,
    );
    const fires = (image: string) => modelFires(rule, { image }, log);
    assert.equal(fires('C:\\Temp\\Mimikatz.exe'), 'yes');
    assert.equal(fires('/tmp/x/procdump.exe'), 'yes');
    assert.equal(fires('C:\\Temp/dir\\procdump.exe'), 'yes');
    assert.equal(fires('mimikatz.exe'), 'yes');
    assert.equal(fires('C:\\Temp\\notmimikatz.exe'), 'no');
    assert.equal(fires('C:\\mimikatz.exe\\other.exe'), 'no');
    assert.equal(fires('/tmp/mimikatz.exe/'), 'no');
  });

  it('the last piece read for its truth: not empty after the last of either', () => {
    const rule = modelRule('def rule(event):\n    return bool(event.get("p", "").replace("/", ":").split(":")[-1])\n', log);
    assert.equal(modelFires(rule, { p: 'a:b' }, log), 'yes');
    assert.equal(modelFires(rule, { p: 'a:b/' }, log), 'no');
    assert.equal(modelFires(rule, { p: 'a/b:' }, log), 'no');
  });

  it('a replacement that is not the separator is not read as a split on two', () => {
    const rule = modelRule('def rule(event):\n    return event.get("p", "").replace("/", "-").split(":")[-1] == "x"\n', log);
    // Python: "a:b/x".replace("/", "-") is "a:b-x", whose last piece is "b-x".
    assert.notEqual(modelFires(rule, { p: 'a:b/x' }, log), 'yes');
  });
});
