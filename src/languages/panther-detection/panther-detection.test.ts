import assert from 'node:assert/strict';
import { test } from 'node:test';
import { predicatesOf } from '../../model/predicates.js';
import { testContext, conditionText } from '../test-support.js';
import { pantherDetection } from './index.js';

const show = conditionText;

test('a simple detection: one stage per item, exact item text, Key/Condition/Value', () => {
  const query = `Detection:
  - Key: action
    Condition: Equals
    Value: repo.archived
  - KeyPath: actor_location.country_code
    Condition: IsNotIn
    Values:
      - US
      - CA`;
  const a = pantherDetection.analyse(query, testContext);
  assert.equal(a.parsed, true);
  assert.deepEqual(
    a.stages.map((s) => s.kind),
    ['detection', 'detection'],
  );
  assert.equal(a.stages[0]!.text, '  - Key: action\n    Condition: Equals\n    Value: repo.archived');
  assert.equal(show(a.stages[0]!.condition), 'action eq ["repo.archived"]');
  assert.equal(show(a.stages[1]!.condition), 'actor_location.country_code !in ["US","CA"]');
  const p = predicatesOf(a.stages[0]!.condition)[0]!;
  assert.equal(p.nativeOp, 'Equals');
  assert.equal(p.caseSensitive, true);
  assert.equal(p.text, '{Key: action, Condition: Equals, Value: repo.archived}');
});

test('combinators, key specifiers and conditions', () => {
  const query = `Detection:
  - Any:
      - DeepKey: [requestParameters, bucketName]
        Condition: IContains
        Value: backup
      - KeyPath: resources[*].arn
        Condition: StartsWith
        Value: "arn:aws:s3"
  - None:
      - Key: errorCode
        Condition: Exists
      - Key: userAgent
        Condition: IsNull
  - OnlyOne:
      - Key: count
        Condition: IsGreaterThan
        Value: 10
      - Key: sourceIPAddress
        Condition: IsIPAddressInCIDR
        Value: 10.0.0.0/8
      - Key: sourceIPAddress
        Condition: IsIPAddressPublic
  - Condition: Equals
    Values:
      - Key: src
      - KeyPath: dst.ip
  - KeyPath: entity.moons
    Condition: AnyElement
    Expressions:
      - Key: name
        Condition: DoesNotEqual
        Value: Charon
  - Enrichment:
      Table: ipinfo_location
      Selector: sourceIPAddress
      FieldPath: country
    Condition: Equals
    Value: RU
  - Condition: AlwaysTrue`;
  const a = pantherDetection.analyse(query, testContext);
  assert.equal(a.parsed, true);
  assert.deepEqual(
    a.stages.map((s) => show(s.condition)),
    [
      '(requestParameters.bucketName contains~ ["backup"] or resources.arn startswith ["arn:aws:s3"])',
      'not (errorCode exists [] or userAgent !exists [])',
      '(count gt [10] or sourceIPAddress cidr ["10.0.0.0/8"] or sourceIPAddress other [])',
      'src fieldref ["dst.ip"]',
      'entity.moons.name !eq ["Charon"]',
      'p_enrichment.ipinfo_location.sourceIPAddress.country eq ["RU"]',
      '(none)',
    ],
  );
  assert.deepEqual(
    a.diagnostics.map((d) => [d.severity, d.message]),
    [['info', 'OnlyOne (exactly one of) is kept as or']],
  );
});

test('correlation rules: a correlation stage, one step per rule, transitions', () => {
  const query = `Detection:
  - Sequence:
      - ID: Created
        RuleID: Crowdstrike.NewUserCreated
      - ID: Deleted
        RuleID: Crowdstrike.UserDeleted
        MinMatchCount: 2
    Transitions:
      - ID: Created FOLLOWED BY Deleted
        From: Created
        To: Deleted
        WithinTimeFrameMinutes: 720
        Match:
          - On: p_alert_context.target_name
    LookbackWindowMinutes: 2160
    Schedule:
      RateMinutes: 1440
      TimeoutMinutes: 1`;
  const a = pantherDetection.analyse(query, testContext);
  assert.equal(a.parsed, true);
  assert.deepEqual(
    a.stages.map((s) => [s.kind, s.kind === 'correlation' ? s.text.split('\n')[0] : s.text]),
    [
      ['correlation', '  - Sequence:'],
      ['step', 'Created: Crowdstrike.NewUserCreated'],
      ['step', 'Deleted: Crowdstrike.UserDeleted (min 2)'],
      ['transition', 'Created → Deleted within 720 min on p_alert_context.target_name'],
    ],
  );
  assert.ok(a.stages.every((s) => s.condition === undefined));
  assert.deepEqual(a.inheritsEventsFrom, ['Crowdstrike.NewUserCreated', 'Crowdstrike.UserDeleted']);
  const absent = pantherDetection.analyse(
    `Detection:
  - Group:
      - ID: Sso
        RuleID: Okta.SSO
        Absence: true
      - ID: SignIn
        RuleID: AWS.Console.SignIn`,
    testContext,
  );
  // An absent step's rule must not happen: its events are not watched.
  assert.deepEqual(absent.inheritsEventsFrom, ['AWS.Console.SignIn']);

  const group = pantherDetection.analyse(
    `Detection:
  - Group:
      - ID: A
        RuleID: Rule.A
      - ID: B
        RuleID: Rule.B
        Absence: true
    LookbackWindowMinutes: 60`,
    testContext,
  );
  assert.deepEqual(group.stages.map((s) => s.text).slice(1), ['A: Rule.A', 'B: Rule.B (absent)']);
});

test('bad YAML and empty blocks do not parse', () => {
  const bad = pantherDetection.analyse('Detection:\n  - Key: a\n   Condition: [', testContext);
  assert.equal(bad.parsed, false);
  assert.equal(bad.diagnostics[0]!.severity, 'error');
  assert.ok(bad.diagnostics[0]!.line);
  const empty = pantherDetection.analyse('Detection: []', testContext);
  assert.equal(empty.parsed, false);
});
