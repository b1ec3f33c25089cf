// A regex match bound to a name and compared with None; constants compared with None / True / False by identity.
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
  return conditionText(a.stages.find((s) => s.kind === 'rule' || s.kind === 'policy')?.condition);
};

test('m = PATTERN.match(f): `m is not None` is the match, `m is None` its negation, in a module global too', () => {
  assert.equal(
    ruleOf(
      'import re\nP = re.compile(r"^copy")\nM = ""\n\ndef rule(event):\n    global M\n    M = P.match(event.get("q", ""))\n    return all((event.get("t") == "U", M is not None))\n',
    ),
    '(t eq ["U"] and q regex ["^copy"])',
  );
  assert.equal(
    ruleOf(
      'import re\n\ndef rule(event):\n    m = re.search(r"ab", event.get("q", ""))\n    if m is None:\n        return False\n    return True\n',
    ),
    'q regex ["ab"]',
  );
  assert.equal(ruleOf('import re\n\ndef rule(event):\n    return re.search(r"ab", event.get("q", "")) is None\n'), 'q !regex ["ab"]');
});

test('a name bound to a helper bool is never None: not read as its condition', () => {
  assert.equal(
    ruleOf('def f(e):\n    return e.get("a") == 1\n\ndef rule(event):\n    x = f(event)\n    return x is not None\n'),
    '«x is not None»',
  );
});

test('a module constant None compared with `is None` is decided', () => {
  assert.equal(
    ruleOf('M = None\n\ndef policy(resource):\n    if M is None:\n        return True\n    return resource["a"] == 1\n'),
    '(none)',
  );
  assert.equal(
    ruleOf('M = "123"\n\ndef policy(resource):\n    if M is None:\n        return True\n    return resource["a"] == 1\n'),
    'a eq [1]',
  );
});
