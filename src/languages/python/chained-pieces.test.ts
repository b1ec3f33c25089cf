// A piece of a piece (chained-pieces.ts): `desc.split(" ")[2].split("@")[1]` compared with another
// field's piece, with Python's meaning; where no test is written for it, the test stays unknown.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadPython, modelFires, modelRule } from './model-harness.js';
import { stepped } from './chained-pieces.js';

before(loadPython);

const log = 'Custom.Log';

describe('a piece of a piece', () => {
  it("the domain of a description's third word against the domain of the actor", () => {
    const rule = modelRule(
      'def rule(event):\n' +
        '    desc = event.get("description", "")\n' +
        '    if not desc.startswith("Added user "):\n' +
        '        return False\n' +
        '    src_domain = event.get("login", "").split("@")[1]\n' +
        '    dst_user = desc.split(" ")[2]\n' +
        '    dst_domain = dst_user.split("@")[1]\n' +
        '    if src_domain != dst_domain:\n' +
        '        return True\n' +
        '    return False\n',
      log,
    );
    const fires = (description: string, login: string) => modelFires(rule, { description, login }, log);
    assert.equal(fires('Added user b@corp.com to org', 'a@corp.com'), 'no');
    assert.equal(fires('Added user b@evil.com to org', 'a@corp.com'), 'yes');
    // The third word holds no "@": its piece 1 is not there, Python raises.
    assert.equal(fires('Added user bob to org', 'a@corp.com'), 'unknown');
    // Another description: the guard decides, no piece read.
    assert.equal(fires('Removed user b@evil.com', 'a@corp.com'), 'no');
  });

  it('chained in one expression, with the last piece of the piece', () => {
    const rule = modelRule(
      'def rule(event):\n' + '    return event.get("path", "").split("/")[1].split(".")[-1] == event.get("kind", "")\n',
      log,
    );
    assert.equal(modelFires(rule, { path: 'a/b.c.txt/d', kind: 'txt' }, log), 'yes');
    assert.equal(modelFires(rule, { path: 'a/b.c.txt/d', kind: 'c' }, log), 'no');
    assert.equal(modelFires(rule, { path: 'a/btxt', kind: 'btxt' }, log), 'yes');
    assert.equal(modelFires(rule, { path: 'a', kind: 'a' }, log), 'unknown');
  });

  it('a piece of a piece against a constant is not written as a test of the first piece', () => {
    const rule = modelRule('def rule(event):\n    return event.get("desc", "").split(" ")[2].split("@")[1] == "corp.com"\n', log);
    // Read as the third word itself, "corp.com" would not match "b@corp.com": the test stays unknown.
    assert.equal(modelFires(rule, { desc: 'Added user b@corp.com' }, log), 'unknown');
  });

  it("the count of pieces of a piece is not read as the count of the field's pieces", () => {
    const rule = modelRule('def rule(event):\n    return len(event.get("d", "").split(" ")[1].split("@")) == 2\n', log);
    // Python: "b@c" has 2 pieces (holds); the field has 3 (would not).
    assert.equal(modelFires(rule, { d: 'a b@c d' }, log), 'unknown');
  });

  it('the steps kept of a text, none past the last piece', () => {
    assert.equal(
      stepped('b@corp.com', [
        { separator: '@', index: 1 },
        { separator: '.', index: 0 },
      ]),
      'corp',
    );
    assert.equal(stepped('bob', [{ separator: '@', index: 1 }]), undefined);
    assert.equal(stepped('bob', [{ separator: '@', index: -1 }]), 'bob');
  });
});
