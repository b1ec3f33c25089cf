// A prefix, a substring or a pattern tested on the last piece of a split field: the evaluator cuts
// the piece off the field's text as Python does (last-pieces.ts), a missing field read as the
// code's default and a None that `split` would raise on left unknown.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { EvaluatedRule, Fires } from '../../evaluate/types.js';
import { isLastPiece, lastPieceText, parseLastPiece } from './last-pieces.js';
import { loadPython, modelFires, modelRule } from './model-harness.js';

before(loadPython);

const ruleOf = (lines: string[]): EvaluatedRule => modelRule([...lines, ''].join('\n'), 'Custom.Log');
const fires = (rule: EvaluatedRule, event: Record<string, unknown>): Fires => modelFires(rule, event, 'Custom.Log');

describe('a test on the last piece of a split field', () => {
  it('matches a compiled pattern against the piece, not the whole field', () => {
    const rule = ruleOf([
      'import re',
      'NOTE = re.compile(r"(?i)read[_-]?me.*\\.txt$")',
      '',
      'def rule(event):',
      '    name = event.get("key", "").split("/objects/")[-1]',
      '    return bool(NOTE.match(name))',
    ]);
    assert.equal(fires(rule, { key: 'b/objects/READ_ME.txt' }), 'yes');
    assert.equal(fires(rule, { key: 'readme/objects/report.txt' }), 'no');
    assert.equal(fires(rule, { key: 'b/objects/x/objects/readme.txt' }), 'yes');
    assert.equal(fires(rule, { key: 'readme.txt' }), 'yes');
    assert.equal(fires(rule, {}), 'no');
  });

  it('reads a substring and a prefix of the piece', () => {
    const rule = ruleOf([
      'def rule(event):',
      '    domain = event.get("email", "").split("@")[-1]',
      '    return "corp" in domain and not domain.startswith("mail.")',
    ]);
    assert.equal(fires(rule, { email: 'a@corp.example' }), 'yes');
    assert.equal(fires(rule, { email: 'corp@example.com' }), 'no');
    assert.equal(fires(rule, { email: 'a@mail.corp.example' }), 'no');
  });

  it('leaves a field holding None, which split() raises on, unknown', () => {
    const rule = ruleOf(['def rule(event):', '    return "corp" in event.get("email").split("@")[-1]']);
    assert.equal(fires(rule, { email: 'a@corp' }), 'yes');
    assert.equal(fires(rule, { email: null }), 'unknown');
    assert.equal(fires(rule, { email: 3 }), 'unknown');
  });
});

describe('the last-piece transform', () => {
  it('cuts as str.split(sep)[-1] and reads a missing field as its default piece', () => {
    const spec = parseLastPiece('last:{"separator":"aa","missing":"x/aay","onNull":true}')!;
    assert.equal(lastPieceText(spec, 'aaa'), 'a');
    assert.equal(lastPieceText(spec, 'none here'), 'none here');
    assert.equal(lastPieceText(spec, undefined), 'y');
    assert.equal(lastPieceText(spec, null), 'y');
    assert.equal(lastPieceText({ separator: '/' }, null), undefined);
    assert.equal(parseLastPiece('last:{"separator":""}'), undefined);
    assert.ok(isLastPiece('last:{}') && !isLastPiece('len'));
  });
});
