// Text tests on a piece of a split field and on a slice of it (piece-texts.ts): one anchored regular
// expression over the field, evaluated on events as Python's code would answer.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadPython, modelFires, modelRule } from './model-harness.js';

before(loadPython);

const log = 'Custom.Log';

describe('a piece of a split tested as a text', () => {
  it("a piece's prefix, then a keyword in the rest of it lowered", () => {
    const rule = modelRule(
      'KEYWORDS = {"owner", "admin"}\n' +
        'def rule(event):\n' +
        '    assignment = event.get("id", "")\n' +
        '    parts = assignment.split("_")\n' +
        '    if len(parts) > 2 and parts[0] == "role":\n' +
        '        role_part = parts[2]\n' +
        '        if role_part.startswith("role-"):\n' +
        '            name = role_part[5:].lower()\n' +
        '            return any(k in name for k in KEYWORDS)\n' +
        '    return False\n',
      log,
    );
    const fires = (id: string) => modelFires(rule, { id }, log);
    assert.equal(fires('role_x_role-api-organization-OWNER_user-1'), 'yes');
    assert.equal(fires('role_x_role-admin'), 'yes');
    assert.equal(fires('role_x_role-reader_user-1'), 'no');
    // The keyword must be in the piece, after its first five characters.
    assert.equal(fires('role_x_role-reader_admin'), 'no');
    assert.equal(fires('role_x_admin-reader'), 'no');
    assert.equal(fires('role_x'), 'no');
    assert.equal(fires('user_x_role-owner'), 'no');
  });

  it("a piece's end, a substring of a piece, negated", () => {
    const rule = modelRule(
      'def rule(event):\n' +
        '    parts = event.get("path", "").split("/")\n' +
        '    if len(parts) < 3:\n' +
        '        return False\n' +
        '    return parts[1].endswith(".exe") and "tmp" not in parts[2]\n',
      log,
    );
    const fires = (path: string) => modelFires(rule, { path }, log);
    assert.equal(fires('c/run.exe/home'), 'yes');
    assert.equal(fires('c/run.exe/tmpdir'), 'no');
    assert.equal(fires('c/run.exe/home/tmp'), 'yes');
    assert.equal(fires('c/run.ex/home'), 'no');
    assert.equal(fires('c/run.exe'), 'no');
  });

  it('a value holding the separator is never in a piece', () => {
    const rule = modelRule('def rule(event):\n    return event.get("p", "").split("/")[1].startswith("a/b")\n', log);
    assert.equal(modelFires(rule, { p: 'x/a/b' }, log), 'no');
  });

  it('a constant among the pieces: one piece equal to it, a default read for a missing field', () => {
    const rule = modelRule(
      'SUSPICIOUS = {"cl", "clear-log"}\n' +
        'def rule(event):\n' +
        '    args = event.get("cmd", "").split(" ")\n' +
        '    return any(s in args for s in SUSPICIOUS) and "" not in args\n',
      log,
    );
    const fires = (cmd?: string) => modelFires(rule, cmd === undefined ? {} : { cmd }, log);
    assert.equal(fires('wevtutil cl System'), 'yes');
    assert.equal(fires('cl'), 'yes');
    assert.equal(fires('wevtutil clear-log'), 'yes');
    assert.equal(fires('wevtutil clear System'), 'no');
    assert.equal(fires('wevtutil.cl System'), 'no');
    // Two spaces together, or one at an end, make an empty piece.
    assert.equal(fires('wevtutil  cl'), 'no');
    assert.equal(fires('wevtutil cl '), 'no');
    assert.equal(fires(), 'no');
    // "" in "".split(" ") holds: a missing field reads the default's one empty piece.
    const empty = modelRule('def rule(event):\n    return "" in event.get("cmd", "").split(" ")\n', log);
    assert.equal(modelFires(empty, {}, log), 'yes');
    assert.equal(modelFires(empty, { cmd: 'a b' }, log), 'no');
  });
});
