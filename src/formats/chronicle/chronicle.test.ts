import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RawRule } from '../../model/types.js';
import { platformInfo } from '../../platforms/registry.js';
import { parseContainer } from '../containers.js';
import { chronicleFormat, mask } from './index.js';

const okta = `/*
 * Licence header with a rule word { in it
 */

rule okta_push_fatigue {

  meta:
    author = "Alice Example, Bob Example"
    description = "Many \\"push\\" rejections\\nthen a success."
    rule_id = "mr_0000"
    rule_name = "Okta Push Fatigue"
    mitre_attack_tactic = "Credential Access, Initial Access"
    mitre_attack_technique = "Multi-Factor Authentication Request Generation"
    mitre_attack_url = "https://attack.mitre.org/techniques/T1621/"
    reference = "https://example.com/a, https://example.com/b"
    type = "Alert"
    data_source = "Okta, Okta Verify"
    platform = "Okta"
    severity = "Medium"  // adjust to taste
    priority = "High"
    tags = "mfa, push"
    created = "2024/03/05"
    rule_version = "1.2"
    false_positives = "users who mistap"
    false_positives = "testing"

  events:
    $push.metadata.product_name = "Okta"
    $push.metadata.product_event_type = "system.push.send_factor_verify_push"
    $push.target.user.userid = $user

  match:
    $user over 1h

  condition:
    #push > 5
}
`;

function read(text: string, path = 'rules/okta/push.yaral'): RawRule[] {
  const doc = parseContainer('text', text);
  assert.equal(chronicleFormat.detect(doc, { path, text }), true);
  return chronicleFormat.read(doc, { path, text });
}

describe('chronicle: format', () => {
  it('is a text format of the chronicle platform on the udm schema', () => {
    assert.equal(chronicleFormat.id, 'chronicle');
    assert.equal(chronicleFormat.container, 'text');
    assert.equal(chronicleFormat.platform, 'chronicle');
    const { id, name, schema } = platformInfo(chronicleFormat.platform)!;
    assert.deepEqual({ id, name, schema }, { id: 'chronicle', name: 'Google SecOps (Chronicle)', schema: 'udm' });
  });

  it('detects rules by content, not in comments or strings, and not other text files', () => {
    const yes = (t: unknown) => chronicleFormat.detect(t, { path: 'x.txt', text: String(t) });
    assert.equal(yes(okta), true);
    assert.equal(yes('rule r\n{\n events:\n  $e.x = 1\n condition:\n  $e\n}'), true);
    assert.equal(yes('// rule r { meta: }\n'), false);
    assert.equal(yes('/* rule r {\n meta:\n */'), false);
    assert.equal(yes('title: "rule r { events: }"\n'), false);
    assert.equal(yes('rule r { strings: $a = "x" condition: $a }'), false);
    assert.equal(yes('rule yara_classic {\n meta:\n  author = "x"\n strings:\n  $a = "MZ"\n condition:\n  $a\n}'), false);
    assert.equal(yes('import "pe"\nrule yara_pe {\n meta:\n  author = "x"\n condition:\n  pe.is_dll()\n}'), false);
    assert.equal(yes('# Example\n\nrule r {\n events:\n  $e.x = 1\n condition:\n  $e\n}'), false);
    assert.equal(yes('rule no_events {\n meta:\n  author = "x"\n condition:\n  $e\n}'), true);
    assert.equal(yes('SecurityEvent | where EventID == 4625'), false);
    assert.equal(yes({ rule: 'r' }), false);
  });

  it('reads every metadata field of a rule', () => {
    const [rule, ...rest] = read(okta);
    assert.equal(rest.length, 0);
    assert.ok(rule);
    const start = okta.indexOf('rule okta_push_fatigue');
    assert.deepEqual(rule, {
      nativeId: 'okta_push_fatigue',
      platform: 'chronicle',
      format: 'chronicle',
      language: 'yaral',
      name: 'Okta Push Fatigue',
      description: 'Many "push" rejections\nthen a success.',
      severity: 'medium',
      type: 'alert',
      status: '',
      authors: ['Alice Example', 'Bob Example'],
      created: '2024-03-05',
      updated: undefined,
      version: '1.2',
      references: ['https://example.com/a', 'https://example.com/b'],
      tags: ['mfa', 'push'],
      dataSources: ['Okta', 'Okta Verify'],
      attackRaw: {
        tactics: ['Credential Access', 'Initial Access'],
        techniques: ['Multi-Factor Authentication Request Generation', 'T1621'],
      },
      query: okta.slice(start, okta.lastIndexOf('}') + 1),
      queryLine: 5,
      queryRange: { start, end: okta.lastIndexOf('}') + 1 },
      declaredOutputs: [],
      declaredSources: [],
      extra: {
        rule_id: 'mr_0000',
        mitre_attack_url: 'https://attack.mitre.org/techniques/T1621/',
        platform: 'Okta',
        priority: 'High',
        false_positives: ['users who mistap', 'testing'],
      },
      diagnostics: [],
    });
    assert.ok(rule.query.startsWith('rule okta_push_fatigue {'));
    assert.ok(rule.query.endsWith('#push > 5\n}'));
  });

  it('reads ids from tactic/technique keys, ATT&CK links and the technique id outcome, sub-techniques included', () => {
    const [rule] = read(`rule r {
  meta:
    tactic = "TA0005"
    technique = "T1562.001"
    mitre_attack_url = "https://attack.mitre.org/techniques/T1562/008/"
    sigma_status = "Experimental"
    rule_type = "Hunt"
  events:
    $e.x = 1
  outcome:
    $mitre_attack_technique_id = array_distinct("T1078.004")
  condition:
    $e
}`);
    assert.ok(rule);
    assert.deepEqual(rule.attackRaw, { tactics: ['TA0005'], techniques: ['T1562.001', 'T1562.008', 'T1078.004'] });
    assert.equal(rule.status, 'experimental');
    assert.equal(rule.type, 'hunt');
    assert.equal(rule.name, 'r');
    assert.equal(rule.severity, 'unknown');
  });

  it('reads several rules of one file, each with its own text and line', () => {
    const text = `// two rules
rule first {
  meta:
    severity = "Low"
  events:
    $e.target.url = /a{2}\\}/
  condition:
    $e
}

rule second {
  meta:
    severity = "High"
  events:
    $e.x = "}"
  condition:
    $e
}
`;
    const rules = read(text);
    assert.deepEqual(
      rules.map((r) => [r.nativeId, r.severity, r.queryLine, r.type]),
      [
        ['first', 'low', 2, 'detection'],
        ['second', 'high', 11, 'detection'],
      ],
    );
    assert.equal(rules[0]!.query, text.slice(text.indexOf('rule first'), text.indexOf('\n\nrule second')));
    assert.ok(rules[1]!.query.endsWith('$e\n}'));
  });

  it('warns about a missing meta section and meta lines it cannot read', () => {
    const [bare] = read('rule r {\n events:\n  $e.x = 1\n condition:\n  $e\n}');
    assert.ok(bare);
    assert.deepEqual(bare.diagnostics, [{ message: 'the rule has no meta section', severity: 'warning', scope: 'metadata' }]);
    assert.equal(bare.description, '');
    const [odd] = read('rule r {\n meta:\n  author = "a"\n  oops here\n  severity = "High"\n events:\n  $e.x = 1\n condition:\n  $e\n}');
    assert.ok(odd);
    assert.deepEqual(odd.diagnostics, [{ message: 'meta line not read: oops here', severity: 'warning', scope: 'metadata', fileLine: 4 }]);
    assert.deepEqual([odd.authors, odd.severity], [['a'], 'high']);
  });
});

describe('chronicle: mask', () => {
  it('blanks comments, strings, backquoted strings and regular expressions, keeping length and lines', () => {
    const text = 'a = "x{" // c }\n/* rule r { */ b = /"{/ c = `}` d(/x/)';
    const masked = mask(text);
    assert.equal(masked.length, text.length);
    assert.equal(masked, 'a =            \n               b =      c =     d(   )');
  });
});
