import assert from 'node:assert/strict';
import { test } from 'node:test';
import { combine, negate, predicate } from '../model/predicates.js';
import type { Operator, PredicateNode, Stage } from '../model/types.js';
import type { ProviderSpec } from '../providers/types.js';
import { ruleEventsOf } from './events.js';
import { expandEventPatterns } from './event-patterns.js';
import { entraIdAudit } from '../providers/entra-id-audit.js';
import { okta } from '../providers/okta.js';
import { windowsSecurity } from '../providers/windows-security.js';

const p = (field: string, op: Operator, values: string[], nativeOp = op) =>
  predicate(field, op, values, { nativeOp, text: `${field} ${op} ${values.join(',')}` });
const stage = (condition: PredicateNode): Stage[] => [{ kind: 'where', text: '| where ...', condition }];

const trail: ProviderSpec = { id: 'trail', name: 'Trail', selectors: { s: [{ sources: ['Trail'], eventFields: ['eventName'] }] } };
const kube: ProviderSpec = {
  id: 'kube',
  name: 'Kube',
  selectors: {
    s: [
      {
        sources: ['Kube'],
        eventFields: [],
        eventParts: [
          { fields: ['verb'], missing: 'any' },
          { fields: ['resource'] },
          { fields: ['subresource'], before: '/', missing: 'omit' },
        ],
      },
    ],
  },
};
const ps: ProviderSpec = {
  id: 'ps',
  name: 'PS',
  selectors: { s: [{ sources: ['category:ps_script'], eventFields: [], events: ['4104'] }] },
};

test('pattern operators over an event field are kept as patterns, with the patterns anded to them', () => {
  const cond = combine('and', [
    p('eventName', 'startswith', ['Delete']),
    combine('or', [p('eventName', 'wildcard', ['*Trail*']), p('eventName', 'wildcard', ['*Logging*'])]),
    p('eventName', 'eq', ['StopLogging']),
  ]);
  const { events, patterns } = ruleEventsOf(stage(cond), ['Trail'], 's', [trail]);
  assert.deepEqual(events, [{ provider: 'trail', event: 'StopLogging' }]);
  assert.deepEqual(patterns[0], {
    provider: 'trail',
    op: 'startswith',
    value: 'Delete',
    nativeOp: 'startswith',
    and: [
      [
        { op: 'wildcard', value: '*Trail*', nativeOp: 'wildcard' },
        { op: 'wildcard', value: '*Logging*', nativeOp: 'wildcard' },
      ],
    ],
  });
  assert.equal(patterns.length, 3);
});

test('consecutive filters of one pipeline and their patterns on the event field; other pipelines and steps do not', () => {
  const where = (condition: PredicateNode, depth = 1, kind = 'where'): Stage => ({ kind, text: '| where ...', condition, depth });
  const removed = p('eventName', 'has_any', ['Remove', 'Disable']);
  const phish = combine('or', [p('eventName', 'contains', ['Phish']), p('eventName', 'contains', ['Dlp'])]);
  const stages: Stage[] = [{ kind: 'source', text: 'T', depth: 1 }, where(removed), where(phish)];
  const { patterns } = ruleEventsOf(stages, ['Trail'], 's', [trail]);
  assert.deepEqual(
    patterns.map((x) => `${x.op} ${x.value} and ${JSON.stringify((x.and ?? []).map((g) => g.map((m) => m.value)))}`),
    [
      'has Remove and [["Phish","Dlp"]]',
      'has Disable and [["Phish","Dlp"]]',
      'contains Phish and [["Remove","Disable"]]',
      'contains Dlp and [["Remove","Disable"]]',
    ],
  );
  const known = {
    events: ['Remove-PhishRule', 'Remove-MalwarePolicy', 'Set-DlpRule', 'Disable-DlpRule'].map((event) => ({ provider: 'trail', event })),
  };
  const rule = { events: [], eventPatterns: patterns };
  expandEventPatterns([known, rule], [trail]);
  assert.deepEqual(rule.events.map((e: { event: string }) => e.event).sort(), ['Disable-DlpRule', 'Remove-PhishRule']);
  // Filters of separate pipelines (a stage of another depth between them), or separate steps, are not anded.
  const apart: Stage[] = [where(removed), { kind: 'let', text: 'let', depth: 0 }, where(phish)];
  assert.ok(ruleEventsOf(apart, ['Trail'], 's', [trail]).patterns.every((x) => !x.and));
  const steps: Stage[] = [where(removed, 0, 'step'), where(phish, 0, 'step')];
  assert.ok(ruleEventsOf(steps, ['Trail'], 's', [trail]).patterns.every((x) => !x.and));
});

test('events named by several fields: combinations, a missing verb as a pattern, a missing resource as nothing', () => {
  const exec = combine('and', [p('verb', 'eq', ['create']), p('resource', 'eq', ['pods']), p('subresource', 'eq', ['exec'])]);
  assert.deepEqual(ruleEventsOf(stage(exec), ['Kube'], 's', [kube]).events, [{ provider: 'kube', event: 'create pods/exec' }]);
  const two = combine('and', [p('verb', 'in', ['get', 'list']), p('resource', 'eq', ['secrets'])]);
  assert.deepEqual(
    ruleEventsOf(stage(two), ['Kube'], 's', [kube]).events.map((e) => e.event),
    ['get secrets', 'list secrets'],
  );
  const anyVerb = ruleEventsOf(stage(p('resource', 'eq', ['Secrets'])), ['Kube'], 's', [kube]);
  assert.deepEqual(anyVerb.events, []);
  assert.deepEqual(
    anyVerb.patterns.map((x) => [x.op, x.value]),
    [['wildcard', '* secrets']],
  );
  const verbOnly = ruleEventsOf(stage(p('verb', 'eq', ['get'])), ['Kube'], 's', [kube]);
  assert.deepEqual([verbOnly.events, verbOnly.patterns], [[], []]);
});

test('events named by several fields are composed per way the rule matches, never across its branches', () => {
  const branches = combine('and', [
    p('resource', 'eq', ['csr']),
    p('user', 'eq', ['x']),
    combine('or', [
      combine('and', [p('verb', 'eq', ['create']), p('signer', 'eq', ['client'])]),
      combine('and', [p('verb', 'in', ['update', 'patch']), p('subresource', 'eq', ['approval'])]),
    ]),
  ]);
  assert.deepEqual(
    ruleEventsOf(stage(branches), ['Kube'], 's', [kube]).events.map((e) => e.event),
    ['create csr', 'update csr/approval', 'patch csr/approval'],
  );
  // Stages all apply: a resource in one stage and verbs in the next combine.
  const stages: Stage[] = [
    ...stage(p('resource', 'eq', ['pods'])),
    ...stage(combine('or', [p('verb', 'eq', ['get']), p('user', 'eq', ['y'])])),
  ];
  assert.deepEqual(
    ruleEventsOf(stages, ['Kube'], 's', [kube]).events.map((e) => e.event),
    ['get pods'],
  );
});

test('a branch whose verbs and resources multiply past the bound names each resource for those verbs, its other branch kept', () => {
  const verbs = ['get', 'list', 'watch', 'create', 'patch', 'update'];
  const resources = Array.from({ length: 17 }, (_, i) => `res${i}`);
  const cond = combine('and', [
    p('verb', 'in', verbs),
    combine('or', [
      p('resource', 'in', resources),
      combine('and', [p('resource', 'eq', ['pods']), p('subresource', 'in', ['exec', 'attach'])]),
    ]),
  ]);
  const { events, patterns } = ruleEventsOf(stage(cond), ['Kube'], 's', [kube]);
  assert.equal(events.length, 12);
  assert.ok(events.some((e) => e.event === 'create pods/exec'));
  assert.deepEqual(
    patterns.map((x) => x.value),
    resources.map((r) => `* ${r}`),
  );
  const known = { events: ['delete', ...verbs].map((v) => ({ provider: 'kube', event: `${v} res3` })) };
  const rule = { events, eventPatterns: patterns };
  expandEventPatterns([known, rule], [kube]);
  assert.deepEqual(
    rule.events.filter((e) => e.event.endsWith(' res3')).map((e) => e.event),
    verbs.map((v) => `${v} res3`),
  );
});

test('a selection that implies its event (a Sigma category of one event) gives it without predicates', () => {
  assert.deepEqual(ruleEventsOf(stage(p('ScriptBlockText', 'contains', ['Invoke-'])), ['category:ps_script'], 's', [ps]).events, [
    { provider: 'ps', event: '4104' },
  ]);
});

test('normalisers give one spelling: exact names, and wildcards they make exact', () => {
  const gcp: ProviderSpec = {
    id: 'gcp',
    name: 'GCP',
    normalise: [{ match: '^(?:[\\w*-]+\\.)+(?=[A-Z][a-z0-9]+[A-Z][A-Za-z0-9]*$)', replace: '' }],
    selectors: { s: [{ sources: ['Audit'], eventFields: ['method'], eventPattern: '^(?!io\\.)' }] },
  };
  const cond = combine('or', [
    p('method', 'eq', ['google.iam.v1.IAMPolicy.SetIamPolicy']),
    p('method', 'wildcard', ['google.iam.admin.v*.CreateServiceAccountKey']),
    p('method', 'eq', ['v1.compute.instances.insert']),
    p('method', 'wildcard', ['storage.*']),
    p('method', 'eq', ['io.k8s.core.v1.pods.create']),
  ]);
  const { events, patterns } = ruleEventsOf(stage(cond), ['Audit'], 's', [gcp]);
  assert.deepEqual(
    events.map((e) => e.event),
    ['SetIamPolicy', 'CreateServiceAccountKey', 'v1.compute.instances.insert'],
  );
  assert.deepEqual(
    patterns.map((x) => x.value),
    ['storage.*'],
  );
});

test('anchored parts: a subresource alone names a pattern, a verb alone nothing; rewrites compose names', () => {
  const anchored: ProviderSpec = {
    id: 'k',
    name: 'K',
    normalise: [{ match: '^io\\.k8s\\.(?:[\\w-]+\\.)*?v[\\d*][\\w*]*\\.(\\w+)\\.(\\w+)\\.(\\w+)$', replace: '$3 $1/$2' }],
    selectors: {
      s: [
        {
          sources: ['Kube'],
          eventFields: [],
          eventParts: [
            { fields: ['verb'], missing: 'any' },
            { fields: ['resource'], missing: 'any', anchor: true },
            { fields: ['subresource'], before: '/', missing: 'omit', anchor: true },
          ],
        },
      ],
      gke: [{ sources: ['Gke'], eventFields: ['method'] }],
    },
  };
  const sub = ruleEventsOf(stage(combine('and', [p('verb', 'eq', ['create']), p('subresource', 'eq', ['exec'])])), ['Kube'], 's', [
    anchored,
  ]);
  assert.deepEqual(
    sub.patterns.map((x) => x.value),
    ['create */exec'],
  );
  const anchoredVerb = ruleEventsOf(stage(p('verb', 'eq', ['get'])), ['Kube'], 's', [anchored]);
  assert.deepEqual([anchoredVerb.events, anchoredVerb.patterns], [[], []]);
  const gke = ruleEventsOf(stage(p('method', 'in', ['io.k8s.core.v1.pods.exec.create'])), ['Gke'], 'gke', [anchored]);
  assert.deepEqual(gke.events, [{ provider: 'k', event: 'create pods/exec' }]);
});

test('one log, two providers: a selector pattern tells their event names apart', () => {
  const spec = (id: string, eventPattern: string): ProviderSpec => ({
    id,
    name: id,
    normalise: [{ match: '\\.$', replace: '' }],
    selectors: { s: [{ sources: ['Mgmt'], eventFields: ['Operation'], eventPattern }] },
  });
  const cond = p('Operation', 'in', ['Add member to role.', 'New-InboxRule']);
  const events = ruleEventsOf(stage(cond), ['Mgmt'], 's', [spec('dir', '\\.$'), spec('mail', '(?<!\\.)$')]).events;
  assert.deepEqual(events, [
    { provider: 'dir', event: 'Add member to role' },
    { provider: 'mail', event: 'New-InboxRule' },
  ]);
});

test('tests under a `not` name no events, even doubly negated ones', () => {
  const inner: PredicateNode = {
    kind: 'and',
    children: [p('ua', 'wildcard', ['kubelet*']), { kind: 'not', child: p('eventName', 'eq', ['StopLogging']) }],
  };
  const cond: PredicateNode = { kind: 'and', children: [p('eventName', 'eq', ['DeleteTrail']), { kind: 'not', child: inner }] };
  assert.deepEqual(ruleEventsOf(stage(cond), ['Trail'], 's', [trail]).events, [{ provider: 'trail', event: 'DeleteTrail' }]);
});

test('values a rule excludes first are not its events: `if f in REMOVALS: return False` before `f in ACTIONS`', () => {
  const removals = negate(p('eventName', 'in', ['RemoveAdmin', 'RemoveMember']));
  const removed = p('eventName', 'eq', ['AddMember']);
  const notAdded: PredicateNode = removed.kind === 'pred' ? { kind: 'pred', predicate: { ...removed.predicate, negated: true } } : removed;
  const actions = combine('or', [p('eventName', 'in', ['AddAdmin', 'RemoveAdmin']), p('eventName', 'eq', ['AddMember'])]);
  const cond = combine('and', [p('level', 'eq', ['ACCOUNT']), removals, actions]);
  assert.deepEqual(
    ruleEventsOf(stage(cond), ['Trail'], 's', [trail]).events.map((e) => e.event),
    ['AddAdmin', 'AddMember'],
  );
  // A negated predicate (as Python's `!=` reads) excludes as a `not` does.
  assert.deepEqual(
    ruleEventsOf(stage(combine('and', [notAdded, actions])), ['Trail'], 's', [trail]).events.map((e) => e.event),
    ['AddAdmin', 'RemoveAdmin'],
  );
  // Under an `or`, an exclusion holds on one branch only: the other still names the value.
  const branch = combine('or', [combine('and', [removals, actions]), p('eventName', 'eq', ['RemoveAdmin'])]);
  assert.deepEqual(
    ruleEventsOf(stage(branch), ['Trail'], 's', [trail]).events.map((e) => e.event),
    ['AddAdmin', 'RemoveAdmin', 'AddMember'],
  );
});

test('a selector pattern filters composed names too', () => {
  const verbs: ProviderSpec = { ...kube, selectors: { s: [{ ...kube.selectors.s![0]!, eventPattern: '^(?:get|create|\\*) ' }] } };
  const cond = combine('and', [p('verb', 'in', ['create', 'GetSecretValue']), p('resource', 'eq', ['secrets'])]);
  assert.deepEqual(
    ruleEventsOf(stage(cond), ['Kube'], 's', [verbs]).events.map((e) => e.event),
    ['create secrets'],
  );
});

test("aliases: another field's values that stand for events (Elastic names Windows events by action too)", () => {
  const win: ProviderSpec = {
    id: 'win',
    name: 'Win',
    selectors: {
      s: [
        {
          sources: ['winlog'],
          eventFields: ['event.code'],
          aliases: { fields: ['event.action'], names: { 'added-member-to-group': ['4728', '4732', '4756'] } },
        },
      ],
    },
  };
  const byAction = combine('and', [p('event.action', 'eq', ['Added-Member-To-Group']), p('group.name', 'eq', ['Administrators'])]);
  assert.deepEqual(
    ruleEventsOf(stage(byAction), ['winlog'], 's', [win]).events.map((e) => e.event),
    ['4728', '4732', '4756'],
  );
  // Unknown actions, other fields, another log and exclusions name nothing.
  assert.deepEqual(ruleEventsOf(stage(p('event.action', 'eq', ['constructor'])), ['winlog'], 's', [win]).events, []);
  assert.deepEqual(ruleEventsOf(stage(byAction), ['other'], 's', [win]).events, []);
  assert.deepEqual(ruleEventsOf(stage(negate(p('event.action', 'eq', ['added-member-to-group']))), ['winlog'], 's', [win]).events, []);
});

test('KQL `has` terms are patterns, not names; a log many products share names events by the vocabulary only', () => {
  const byTerm = p('eventName', 'has_any', ['Stop', 'Delete Trail']);
  const { events, patterns } = ruleEventsOf(stage(byTerm), ['Trail'], 's', [trail]);
  assert.deepEqual(events, []);
  assert.deepEqual(
    patterns.map((x) => [x.op, x.value]),
    [
      ['has', 'Stop'],
      ['has', 'Delete Trail'],
    ],
  );
  const shared: ProviderSpec = {
    id: 'm365',
    name: 'M365',
    selectors: { s: [{ sources: ['Shared'], eventFields: ['ActionType'], knownOnly: true }] },
  };
  const named = ruleEventsOf(
    stage(combine('or', [p('ActionType', 'eq', ['Mail*Read']), p('ActionType', 'has', ['Send'])])),
    ['Shared'],
    's',
    [shared],
  );
  assert.deepEqual(named.events, []);
  assert.deepEqual(
    named.patterns.map((x) => [x.op, x.value, x.knownOnly ?? false]),
    [
      ['eq', 'Mail*Read', true],
      ['has', 'Send', true],
    ],
  );
});

test('Elastic names Windows Security events by event.action: service installs are 4697', () => {
  const installs = combine('and', [p('event.action', 'eq', ['service-installed']), p('host.os.type', 'eq', ['windows'])]);
  assert.deepEqual(ruleEventsOf(stage(installs), ['logs-system.security*'], 'ecs', [windowsSecurity]).events, [
    { provider: 'windows-security', event: '4697' },
  ]);
});

test('Windows Security events by the other names rules give them: Splunk `signature_id`, Elastic task categories', () => {
  // The Splunk Windows add-on's CIM alias of EventCode.
  assert.deepEqual(
    ruleEventsOf(stage(p('signature_id', 'eq', ['4703'])), ['eventtype:wineventlog_security'], 'splunk', [windowsSecurity]).events,
    [{ provider: 'windows-security', event: '4703' }],
  );
  // Winlogbeat's event.action for an event it has no verb for is the event's task category.
  const adjusted = combine('and', [
    p('event.provider', 'eq', ['Microsoft-Windows-Security-Auditing']),
    p('event.action', 'eq', ['Token Right Adjusted Events']),
  ]);
  assert.deepEqual(ruleEventsOf(stage(adjusted), [], 'ecs', [windowsSecurity]).events, [{ provider: 'windows-security', event: '4703' }]);
});

test('YARA-L: a Security log code with no vendor or log type named is a pattern the vocabulary must know', () => {
  const login = combine('and', [p('metadata.event_type', 'eq', ['USER_LOGIN']), p('metadata.product_event_type', 'eq', ['4624'])]);
  const { events, patterns } = ruleEventsOf(stage(login), [], 'udm', [windowsSecurity]);
  assert.deepEqual(events, []);
  assert.deepEqual(
    patterns.map((x) => [x.provider, x.op, x.value, x.knownOnly]),
    [['windows-security', 'eq', '4624', true]],
  );
  // Outside the Security log's range (System's 7045), nothing.
  assert.deepEqual(ruleEventsOf(stage(p('metadata.product_event_type', 'eq', ['7045'])), [], 'udm', [windowsSecurity]).patterns, []);
});

test("a word match on a selector's field selects its log, as an equality does", () => {
  const script: ProviderSpec = {
    id: 'script',
    name: 'Script',
    selectors: { s: [{ where: [{ field: 'script_block_text', values: ['*'] }], eventFields: [], events: ['4104'] }] },
  };
  // Kibana KQL on a text field: `script_block_text:"Invoke-Mimikatz"` is a word match.
  const words = stage(p('script_block_text', 'has', ['Invoke-Mimikatz']));
  assert.deepEqual(ruleEventsOf(words, [], 's', [script]).events, [{ provider: 'script', event: '4104' }]);
  const anyWord = stage(p('script_block_text', 'has_any', ['mimikatz', 'sekurlsa']));
  assert.deepEqual(ruleEventsOf(anyWord, [], 's', [script]).events, [{ provider: 'script', event: '4104' }]);
});

test("Defender's CloudAppEvents names an Entra ID operation by its final period, known elsewhere or not", () => {
  const hardDelete = stage(p('ActionType', 'eq', ['Hard Delete user.']));
  const { events, patterns } = ruleEventsOf(hardDelete, ['CloudAppEvents'], 'azure-monitor', [entraIdAudit]);
  assert.deepEqual([events, patterns], [[{ provider: 'entra-id-audit', event: 'Hard Delete user' }], []]);
  // Without the period, another product's action: no Entra ID event.
  assert.deepEqual(
    ruleEventsOf(stage(p('ActionType', 'eq', ['FileDownloaded'])), ['CloudAppEvents'], 'azure-monitor', [entraIdAudit]).events,
    [],
  );
});

test("a rule of several event variables watches each one's events, read from that variable's own predicates and sources", () => {
  const event = (variable: string, vendor: string, name: string): Stage => ({
    kind: 'event',
    text: variable,
    variable,
    sources: [`vendor:${vendor}`],
    condition: combine('and', [p('metadata.vendor_name', 'eq', [vendor]), p('metadata.product_event_type', 'eq', [name])]),
  });
  const stages = [event('$login', 'Okta', 'user.session.start'), event('$logon', 'Microsoft', '4624')];
  const { events } = ruleEventsOf(stages, ['vendor:Okta', 'vendor:Microsoft'], 'udm', [okta, windowsSecurity]);
  assert.deepEqual(
    events.map((e) => `${e.provider}:${e.event}`),
    ['okta:user.session.start', 'windows-security:4624'],
  );
});

test('an event variable naming no log of its own is read in the logs its rule reads', () => {
  const login: Stage = {
    kind: 'event',
    text: '$login',
    variable: '$login',
    sources: ['vendor:Okta'],
    condition: combine('and', [
      p('metadata.vendor_name', 'eq', ['Okta']),
      p('metadata.product_event_type', 'eq', ['policy.evaluate_sign_on']),
    ]),
  };
  const sso: Stage = {
    kind: 'event',
    text: '$sso',
    variable: '$sso',
    sources: ['event_type:USER_LOGIN'],
    condition: p('metadata.product_event_type', 'eq', ['user.authentication.sso']),
  };
  const { events } = ruleEventsOf([login, sso], ['vendor:Okta', 'event_type:USER_LOGIN'], 'udm', [okta, windowsSecurity]);
  assert.deepEqual(
    events.map((e) => `${e.provider}:${e.event}`),
    ['okta:policy.evaluate_sign_on', 'okta:user.authentication.sso'],
  );
});
