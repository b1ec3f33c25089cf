// A key chosen between two constants by a condition: the rest of the block read once per choice.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { conditionText } from '../test-support.js';
import { python } from './index.js';

before(async () => {
  await python.init!();
});

const ruleOf = (code: string) => {
  const a = python.analyse(code, {});
  assert.ok(a.parsed);
  return conditionText(a.stages.find((s) => s.kind === 'rule')?.condition);
};

test('f = "a" if C else "b", then event.deep_get(f, ...): each branch reads its own field', () => {
  assert.equal(
    ruleOf('def rule(event):\n    f = "a" if event.get("type") == "c" else "b"\n    return event.deep_get(f, "scopes") == "all"\n'),
    '((type eq ["c"] and a.scopes eq ["all"]) or (type !eq ["c"] and b.scopes eq ["all"]))',
  );
});

test('a choice not used as a key is read as before: one value standing for either', () => {
  assert.equal(
    ruleOf('def rule(event):\n    level = "high" if event.get("a") else "low"\n    return event.get("b") == "x"\n'),
    'b eq ["x"]',
  );
});
