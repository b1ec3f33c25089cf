import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { predicatesOf } from '../../model/predicates.js';
import { correlationsOf, indicatorsOf } from '../../analysis/indicators.js';
import type { Predicate, PredicateNode, QueryAnalysis } from '../../model/types.js';
import {
  conditionText,
  testContext,
  parsedAnalysis,
  parseFailure,
  pred as p,
  predNode as node,
  singlePredicate,
  stageOfKind,
} from '../test-support.js';
import { yaral } from './index.js';

const ok = (query: string): QueryAnalysis => parsedAnalysis('yaral', query);
const error = (query: string) => parseFailure('yaral', query);

/** A rule whose events section is `events` (and optional further sections before condition). */
function rule(events: string, more = ''): string {
  return `rule t {\n  meta:\n    author = "a"\n  events:\n    ${events}\n${more}  condition:\n    $e\n}`;
}

function cond(events: string): PredicateNode {
  const c = ok(rule(events)).stages[0]!.condition;
  assert.ok(c, 'no condition');
  return c;
}

const pred = (statement: string): Predicate => singlePredicate(cond(statement));

describe('yaral: language', () => {
  it('has id and name', () => {
    assert.equal(yaral.id, 'yaral');
    assert.equal(yaral.name, 'YARA-L 2.0');
  });
});

describe('yaral: whole rule', () => {
  const q = `rule okta_many_failures {
  meta:
    author = "someone"
    severity = "Medium"

  events:
    $login.metadata.log_type = "OKTA"
    $login.metadata.product_event_type = "user.session.start"
    $login.security_result.action = "BLOCK" // failed
    $login.principal.ip = $ip

  match:
    $ip over 15m

  outcome:
    $risk_score = max(if($login.security_result.severity = "HIGH", 50, 10))
    $users = array_distinct($login.target.user.userid)

  condition:
    #login > 5

  options:
    allow_zero_values = true
}`;

  it('gives one stage per section (meta excepted) with exact texts, outputs and sources', () => {
    assert.deepEqual(yaral.analyse(q, testContext), {
      stages: [
        {
          kind: 'events',
          text: `events:
    $login.metadata.log_type = "OKTA"
    $login.metadata.product_event_type = "user.session.start"
    $login.security_result.action = "BLOCK" // failed
    $login.principal.ip = $ip`,
          condition: {
            kind: 'and',
            children: [
              node(p('metadata.log_type', 'eq', ['OKTA'], false, true, '=', '$login.metadata.log_type = "OKTA"')),
              node(
                p(
                  'metadata.product_event_type',
                  'eq',
                  ['user.session.start'],
                  false,
                  true,
                  '=',
                  '$login.metadata.product_event_type = "user.session.start"',
                ),
              ),
              node(p('security_result.action', 'eq', ['BLOCK'], false, true, '=', '$login.security_result.action = "BLOCK"')),
              node(p('principal.ip', 'fieldref', ['$ip'], false, true, '=', '$login.principal.ip = $ip')),
            ],
          },
          sources: ['log_type:OKTA'],
          variable: '$login',
        },
        { kind: 'match', text: 'match:\n    $ip over 15m' },
        {
          kind: 'outcome',
          text: `outcome:
    $risk_score = max(if($login.security_result.severity = "HIGH", 50, 10))
    $users = array_distinct($login.target.user.userid)`,
        },
        {
          kind: 'condition',
          text: 'condition:\n    #login > 5',
          thresholds: [{ of: '#login', op: 'gt', value: 5, negated: false, text: '#login > 5' }],
        },
        { kind: 'options', text: 'options:\n    allow_zero_values = true' },
      ],
      outputFields: [
        { field: 'ip', source: 'match' },
        { field: 'risk_score', source: 'outcome' },
        { field: 'users', source: 'outcome' },
      ],
      sources: ['log_type:OKTA'],
      diagnostics: [],
      parsed: true,
    });
  });

  it('accepts comments before and after the rule, and a rule without meta, match or outcome', () => {
    const r = ok(
      '/* licence\n */\n// note\nrule t {\n events:\n  $e.metadata.event_type = "PROCESS_LAUNCH"\n condition:\n  $e\n}\n// end\n',
    );
    assert.deepEqual(
      r.stages.map((s) => s.kind),
      ['events', 'condition'],
    );
    assert.deepEqual(r.sources, ['event_type:PROCESS_LAUNCH']);
    assert.deepEqual(r.outputFields, []);
  });
});

describe('yaral: predicates', () => {
  it('= and != on strings, with and without nocase', () => {
    assert.deepEqual(
      pred('$e.target.user.userid = "Admin"'),
      p('target.user.userid', 'eq', ['Admin'], false, true, '=', '$e.target.user.userid = "Admin"'),
    );
    assert.deepEqual(
      pred('$e.target.user.userid != "Admin"'),
      p('target.user.userid', 'eq', ['Admin'], true, true, '!=', '$e.target.user.userid != "Admin"'),
    );
    assert.deepEqual(
      pred('$e.target.user.userid = "Admin" nocase'),
      p('target.user.userid', 'eq', ['Admin'], false, false, '= nocase', '$e.target.user.userid = "Admin" nocase'),
    );
  });

  it('empty strings: = "" is a negated exists, != "" an exists', () => {
    assert.deepEqual(pred('$e.principal.ip = ""'), p('principal.ip', 'exists', [], true, true, '=', '$e.principal.ip = ""'));
    assert.deepEqual(pred('$e.principal.ip != ""'), p('principal.ip', 'exists', [], false, true, '!=', '$e.principal.ip != ""'));
  });

  it('numbers, booleans and comparisons; a literal on the left is swapped', () => {
    assert.deepEqual(pred('$e.target.port >= 1024'), p('target.port', 'gte', [1024], false, true, '>=', '$e.target.port >= 1024'));
    assert.deepEqual(pred('$e.target.port < -1'), p('target.port', 'lt', [-1], false, true, '<', '$e.target.port < -1'));
    assert.deepEqual(pred('100 > $e.target.port'), p('target.port', 'lt', [100], false, true, '>', '100 > $e.target.port'));
    assert.deepEqual(
      pred('$e.network.sent_bytes != 0'),
      p('network.sent_bytes', 'eq', [0], true, true, '!=', '$e.network.sent_bytes != 0'),
    );
    assert.deepEqual(
      pred('$e.about.labels.value = true'),
      p('about.labels.value', 'eq', [true], false, true, '=', '$e.about.labels.value = true'),
    );
  });

  it('regular expressions: /re/ literals and re.regex, with nocase', () => {
    assert.deepEqual(
      pred('$e.target.process.command_line = /-enc\\s+[a-z]{4}/ nocase'),
      p(
        'target.process.command_line',
        'regex',
        ['-enc\\s+[a-z]{4}'],
        false,
        false,
        '= nocase',
        '$e.target.process.command_line = /-enc\\s+[a-z]{4}/ nocase',
      ),
    );
    assert.deepEqual(pred('$e.target.url != /a\\/b/'), p('target.url', 'regex', ['a\\/b'], true, true, '!=', '$e.target.url != /a\\/b/'));
    assert.deepEqual(
      pred('re.regex($e.target.process.command_line, `\\\\cmd\\.exe$`) nocase'),
      p(
        'target.process.command_line',
        'regex',
        ['\\\\cmd\\.exe$'],
        false,
        false,
        're.regex nocase',
        're.regex($e.target.process.command_line, `\\\\cmd\\.exe$`) nocase',
      ),
    );
    assert.deepEqual(
      pred('re.regex($e.target.hostname, "^a\\\\.b$")'),
      p('target.hostname', 'regex', ['^a\\.b$'], false, true, 're.regex', 're.regex($e.target.hostname, "^a\\\\.b$")'),
    );
  });

  it('a regular expression may span lines', () => {
    const text = '$e.target.url = /first|\nsecond/';
    assert.deepEqual(pred(text), p('target.url', 'regex', ['first|\nsecond'], false, true, '=', text));
  });

  it('string functions; strings.to_lower around the field makes it case-insensitive', () => {
    assert.deepEqual(
      pred('strings.contains(strings.to_lower($e.target.process.command_line), "-nop")'),
      p(
        'target.process.command_line',
        'contains',
        ['-nop'],
        false,
        false,
        'strings.contains',
        'strings.contains(strings.to_lower($e.target.process.command_line), "-nop")',
      ),
    );
    assert.deepEqual(
      pred('strings.starts_with($e.target.url, "http://")'),
      p('target.url', 'startswith', ['http://'], false, true, 'strings.starts_with', 'strings.starts_with($e.target.url, "http://")'),
    );
    assert.deepEqual(
      pred('strings.ends_with($e.target.file.full_path, ".ps1")'),
      p(
        'target.file.full_path',
        'endswith',
        ['.ps1'],
        false,
        true,
        'strings.ends_with',
        'strings.ends_with($e.target.file.full_path, ".ps1")',
      ),
    );
    assert.deepEqual(
      pred('net.ip_in_range_cidr($e.principal.ip, "10.0.0.0/8")'),
      p('principal.ip', 'cidr', ['10.0.0.0/8'], false, true, 'net.ip_in_range_cidr', 'net.ip_in_range_cidr($e.principal.ip, "10.0.0.0/8")'),
    );
    assert.deepEqual(
      pred('strings.to_upper($e.principal.hostname) = "DC01"'),
      p('principal.hostname', 'eq', ['DC01'], false, false, '=', 'strings.to_upper($e.principal.hostname) = "DC01"'),
    );
  });

  it('reference lists: in, in regex, in cidr, not in', () => {
    assert.deepEqual(pred('$e.principal.ip in %bad_ips'), {
      ...p('principal.ip', 'in', ['%bad_ips'], false, true, 'in', '$e.principal.ip in %bad_ips'),
      transform: 'reference list',
    });
    assert.deepEqual(pred('$e.principal.ip IN cidr %internal'), {
      ...p('principal.ip', 'cidr', ['%internal'], false, true, 'in cidr', '$e.principal.ip IN cidr %internal'),
      transform: 'reference list',
    });
    assert.deepEqual(pred('$e.target.file.full_path in regex %tools nocase'), {
      ...p(
        'target.file.full_path',
        'regex',
        ['%tools'],
        false,
        false,
        'in regex nocase',
        '$e.target.file.full_path in regex %tools nocase',
      ),
      transform: 'reference list',
    });
    assert.deepEqual(pred('$e.target.user.userid not in %vips'), {
      ...p('target.user.userid', 'in', ['%vips'], true, true, 'not in', '$e.target.user.userid not in %vips'),
      transform: 'reference list',
    });
  });

  it('placeholders and joins: fieldref with the other side as value', () => {
    assert.deepEqual(
      pred('$e.principal.hostname = $host'),
      p('principal.hostname', 'fieldref', ['$host'], false, true, '=', '$e.principal.hostname = $host'),
    );
    assert.deepEqual(
      pred('$user = $e.target.user.userid'),
      p('target.user.userid', 'fieldref', ['$user'], false, true, '=', '$user = $e.target.user.userid'),
    );
    assert.deepEqual(
      pred('$e1.principal.ip != $e2.target.ip'),
      p('principal.ip', 'fieldref', ['$e2.target.ip'], true, true, '!=', '$e1.principal.ip != $e2.target.ip'),
    );
  });

  it('any / all over repeated fields; map and index access in paths', () => {
    assert.deepEqual(
      pred('any $e.target.resource.attribute.labels.value = "ADD"'),
      p(
        'target.resource.attribute.labels.value',
        'eq',
        ['ADD'],
        false,
        true,
        'any =',
        'any $e.target.resource.attribute.labels.value = "ADD"',
      ),
    );
    assert.deepEqual(
      pred('all $e.about.ip != "1.2.3.4"'),
      p('about.ip', 'eq', ['1.2.3.4'], true, true, 'all !=', 'all $e.about.ip != "1.2.3.4"'),
    );
    assert.deepEqual(
      pred('$e.security_result.detection_fields[ "status code" ] = "7"'),
      p(
        'security_result.detection_fields["status code"]',
        'eq',
        ['7'],
        false,
        true,
        '=',
        '$e.security_result.detection_fields[ "status code" ] = "7"',
      ),
    );
    assert.deepEqual(
      pred('$e.about[0].labels[1].value = "x"'),
      p('about[0].labels[1].value', 'eq', ['x'], false, true, '=', '$e.about[0].labels[1].value = "x"'),
    );
  });

  it('keeps what is not a field test as other nodes', () => {
    assert.deepEqual(cond('re.capture($e.target.url, `id=(.*)`) = $id'), {
      kind: 'other',
      text: 're.capture($e.target.url, `id=(.*)`) = $id',
    });
    assert.deepEqual(cond('$e1.metadata.event_timestamp.seconds < $e2.metadata.event_timestamp.seconds'), {
      kind: 'other',
      text: '$e1.metadata.event_timestamp.seconds < $e2.metadata.event_timestamp.seconds',
    });
    assert.deepEqual(cond('86400 > timestamp.current_seconds() - $e.graph.entity.artifact.first_seen_time.seconds'), {
      kind: 'other',
      text: '86400 > timestamp.current_seconds() - $e.graph.entity.artifact.first_seen_time.seconds',
    });
    assert.deepEqual(cond('$a != $b'), { kind: 'other', text: '$a != $b' });
  });
});

describe('yaral: and / or / not', () => {
  it('statements on separate lines are and-ed; or, not and parentheses nest, in any case', () => {
    const events = `$e.metadata.event_type = "PROCESS_LAUNCH"
    (
      $e.target.process.file.full_path = /\\\\cmd\\.exe$/ nocase OR
      $e.target.process.file.full_path = /\\\\powershell\\.exe$/ nocase
    )
    NOT $e.principal.user.userid = "system"
    not (strings.contains($e.target.process.command_line, "a") and $e.target.port > 1)`;
    assert.deepEqual(cond(events), {
      kind: 'and',
      children: [
        node(p('metadata.event_type', 'eq', ['PROCESS_LAUNCH'], false, true, '=', '$e.metadata.event_type = "PROCESS_LAUNCH"')),
        {
          kind: 'or',
          children: [
            node(
              p(
                'target.process.file.full_path',
                'regex',
                ['\\\\cmd\\.exe$'],
                false,
                false,
                '= nocase',
                '$e.target.process.file.full_path = /\\\\cmd\\.exe$/ nocase',
              ),
            ),
            node(
              p(
                'target.process.file.full_path',
                'regex',
                ['\\\\powershell\\.exe$'],
                false,
                false,
                '= nocase',
                '$e.target.process.file.full_path = /\\\\powershell\\.exe$/ nocase',
              ),
            ),
          ],
        },
        { kind: 'not', child: node(p('principal.user.userid', 'eq', ['system'], false, true, '=', '$e.principal.user.userid = "system"')) },
        {
          kind: 'not',
          child: {
            kind: 'and',
            children: [
              node(
                p(
                  'target.process.command_line',
                  'contains',
                  ['a'],
                  false,
                  true,
                  'strings.contains',
                  'strings.contains($e.target.process.command_line, "a")',
                ),
              ),
              node(p('target.port', 'gt', [1], false, true, '>', '$e.target.port > 1')),
            ],
          },
        },
      ],
    });
  });

  it('an or may continue on the next line, with the operator at its start', () => {
    const c = cond('$e.metadata.product_event_type = "a"\n    or $e.metadata.product_event_type = "b"\n    $e.x = 1');
    assert.equal(c.kind, 'and');
    assert.deepEqual(
      predicatesOf(c).map((x) => x.values[0]),
      ['a', 'b', 1],
    );
    assert.equal(c.children[0]!.kind, 'or');
  });

  it('precedence: not binds tighter than and, and tighter than or', () => {
    const c = cond('$e.a = 1 or not $e.b = 2 and $e.c = 3');
    assert.deepEqual(c, {
      kind: 'or',
      children: [
        node(p('a', 'eq', [1], false, true, '=', '$e.a = 1')),
        {
          kind: 'and',
          children: [
            { kind: 'not', child: node(p('b', 'eq', [2], false, true, '=', '$e.b = 2')) },
            node(p('c', 'eq', [3], false, true, '=', '$e.c = 3')),
          ],
        },
      ],
    });
  });
});

describe('yaral: sources', () => {
  it('come from positive equalities on log type, product, vendor, event type and entity graph metadata', () => {
    const r = ok(
      rule(`$e.metadata.log_type = "WINEVTLOG"
    $e.metadata.vendor_name = "Microsoft" nocase
    ($e.metadata.event_type = "USER_LOGIN" or $e.metadata.event_type = "USER_LOGOUT")
    $e.metadata.product_name != "Sysmon"
    not $e.metadata.log_type = "OTHER"
    $e.metadata.product_name = /okta/
    $e.principal.hostname = $host
    $g.graph.metadata.entity_type = "ASSET"
    $g.graph.metadata.source_type = "ENTITY_CONTEXT"
    $g.graph.metadata.product_name = "Inventory"
    $g.graph.entity.hostname = $host
    $e.metadata.log_type = "WINEVTLOG"`),
    );
    const expected = [
      'log_type:WINEVTLOG',
      'vendor:Microsoft',
      'event_type:USER_LOGIN',
      'event_type:USER_LOGOUT',
      'entity_type:ASSET',
      'source_type:ENTITY_CONTEXT',
      'product:Inventory',
    ];
    assert.deepEqual(r.sources, expected);
    // Each event variable reads its own log.
    assert.deepEqual(
      r.stages.map((s) => [s.variable, s.sources]),
      [
        [undefined, undefined],
        ['$e', ['log_type:WINEVTLOG', 'vendor:Microsoft', 'event_type:USER_LOGIN', 'event_type:USER_LOGOUT']],
        ['$g', ['entity_type:ASSET', 'source_type:ENTITY_CONTEXT', 'product:Inventory']],
        [undefined, undefined],
      ],
    );
  });
});

describe('yaral: multi-event rules', () => {
  const spray = `rule spray_then_success {
  events:
    $fail.metadata.event_type = "USER_LOGIN"
    $fail.security_result.action = "BLOCK"
    $fail.principal.ip = $ip
    $ok.metadata.log_type = "OKTA"
    $ok.security_result.action = "ALLOW"
    $ok.principal.ip = $ip
    $fail.target.user.userid != $ok.target.user.userid
    $review.metadata.product_event_type = "review"
    $review.principal.ip = $ip
  match:
    $ip over 30m
  condition:
    #fail >= 20 and $ok and !$review
}`;

  it('gives each event variable a stage of its own predicates and sources; joining statements stay in events', () => {
    const r = ok(spray);
    assert.deepEqual(
      r.stages.map((s) => [s.kind, s.variable, conditionText(s.condition), s.sources]),
      [
        ['events', undefined, 'target.user.userid !fieldref ["$ok.target.user.userid"]', undefined],
        [
          'event',
          '$fail',
          '(metadata.event_type eq ["USER_LOGIN"] and security_result.action eq ["BLOCK"] and principal.ip fieldref ["$ip"])',
          ['event_type:USER_LOGIN'],
        ],
        [
          'event',
          '$ok',
          '(metadata.log_type eq ["OKTA"] and security_result.action eq ["ALLOW"] and principal.ip fieldref ["$ip"])',
          ['log_type:OKTA'],
        ],
        // An event that must not occur: one `not` over all it says.
        ['event', '$review', 'not (metadata.product_event_type eq ["review"] and principal.ip fieldref ["$ip"])', []],
        ['match', undefined, '(none)', undefined],
        ['condition', undefined, '(none)', undefined],
      ],
    );
    assert.equal(
      r.stages[1]!.text,
      '$fail.metadata.event_type = "USER_LOGIN"\n$fail.security_result.action = "BLOCK"\n$fail.principal.ip = $ip',
    );
    assert.deepEqual(r.sources, ['event_type:USER_LOGIN', 'log_type:OKTA']);
  });

  it('reads counts in the condition as thresholds, not values, on either side and under not', () => {
    assert.deepEqual(stageOfKind(ok(spray), 'condition').thresholds, [
      { of: '#fail', op: 'gte', value: 20, negated: false, text: '#fail >= 20' },
    ]);
    const r = ok(
      rule('$e.principal.ip = $ip', '  outcome:\n    $n = count($e.metadata.id)\n').replace(
        '    $e\n}',
        '    5 < #e and not #ip > 3 and $n != 2\n}',
      ),
    );
    assert.deepEqual(stageOfKind(r, 'condition').thresholds, [
      { of: '#e', op: 'gt', value: 5, negated: false, text: '5 < #e' },
      { of: '#ip', op: 'gt', value: 3, negated: true, text: '#ip > 3' },
      { of: '$n', op: 'eq', value: 2, negated: true, text: '$n != 2' },
    ]);
    assert.deepEqual(indicatorsOf(r.stages), []);
  });

  it('an event variable negated in one branch and counted in another is watched, not excluded', () => {
    const r = ok(`rule t {
  events:
    $a.metadata.event_type = "USER_LOGIN"
    $a.principal.ip = $ip
    $b.metadata.event_type = "USER_LOGOUT"
    $b.principal.ip = $ip
  match:
    $ip over 1h
  condition:
    ($a and !$b) or #b >= 3
}`);
    assert.deepEqual(
      r.stages.filter((s) => s.variable).map((s) => conditionText(s.condition)),
      [
        '(metadata.event_type eq ["USER_LOGIN"] and principal.ip fieldref ["$ip"])',
        '(metadata.event_type eq ["USER_LOGOUT"] and principal.ip fieldref ["$ip"])',
      ],
    );
  });

  it('a reference list is named, not a value: its own indicator, never plaintext', () => {
    const r = ok(rule('$e.principal.ip in cidr %corp\n    not $e.target.user.userid in %vips'));
    assert.deepEqual(
      indicatorsOf(r.stages).map((i) => [i.field, i.op, i.value, i.negated, i.transform]),
      [
        ['principal.ip', 'cidr', '%corp', false, 'reference list'],
        ['target.user.userid', 'eq', '%vips', true, 'reference list'],
      ],
    );
  });
});

describe('yaral: match, outcome, condition, options', () => {
  it('reads several match variables and sliding windows; outcome expressions of every kind', () => {
    const r = ok(`rule t {
  meta:
  events:
    $e1.principal.hostname = $host
    $e1.target.user.userid = $user
    $e2.principal.hostname = $host
  match:
    $host, $user over 1h after $e1
  outcome:
    $score = max(35 + if($e1.target.port > 1000 and $e1.x = /y/ nocase, 10, 0) * 2 - 1)
    $first = min($e1.metadata.event_timestamp.seconds)
    $ips = array_distinct(strings.concat($e1.principal.ip[0], "/", $e2.target.labels["k"]))
    $n = count_distinct($e2.metadata.id) / 2
    $hour = timestamp.get_hour($e1.metadata.event_timestamp.seconds, "UTC")
    $in_list = if($e1.principal.ip in %vip, "yes", "")
  condition:
    ($e1 and !$e2) or (#e2 >= 3 and $score > 10)
}`);
    assert.deepEqual(
      r.stages.map((s) => [s.kind, s.text.split('\n')[0]]),
      [
        ['events', 'events:'],
        ['event', '$e1.principal.hostname = $host'],
        ['event', '$e2.principal.hostname = $host'],
        ['match', 'match:'],
        ['outcome', 'outcome:'],
        ['condition', 'condition:'],
      ],
    );
    assert.equal(r.stages[3]!.text, 'match:\n    $host, $user over 1h after $e1');
    assert.equal(r.stages[5]!.condition, undefined);
    assert.deepEqual(r.stages[5]!.thresholds, [
      { of: '#e2', op: 'gte', value: 3, negated: false, text: '#e2 >= 3' },
      { of: '$score', op: 'gt', value: 10, negated: false, text: '$score > 10' },
    ]);
    assert.deepEqual(
      r.outputFields.map((o) => `${o.field}:${o.source}`),
      ['host:match', 'user:match', 'score:outcome', 'first:outcome', 'ips:outcome', 'n:outcome', 'hour:outcome', 'in_list:outcome'],
    );
  });

  it('tumbling windows, window bounds and duration options', () => {
    const r = ok(`rule t {
  events:
    $e.principal.user.userid = $user
  match:
    $user by 30m
  outcome:
    $start = window_start
  condition:
    #e = 0 and window_end > 0
  options:
    suppression_window = 1h
    allow_zero_values = true
}`);
    assert.deepEqual(
      r.stages.map((s) => s.text),
      [
        'events:\n    $e.principal.user.userid = $user',
        'match:\n    $user by 30m',
        'outcome:\n    $start = window_start',
        'condition:\n    #e = 0 and window_end > 0',
        'options:\n    suppression_window = 1h\n    allow_zero_values = true',
      ],
    );
    assert.match(error(rule('$e.x = $u', '  match:\n    $u by 5m after $e\n')).message, /^expected /);
  });

  it('an empty meta or outcome section is fine', () => {
    const r = ok('rule t {\n meta:\n events:\n  $e.x = 1\n outcome:\n condition:\n  $e\n}');
    assert.deepEqual(
      r.stages.map((s) => s.text),
      ['events:\n  $e.x = 1', 'outcome:', 'condition:\n  $e'],
    );
  });
});

describe('yaral: errors', () => {
  it('a syntax error says what was expected, with its line and column', () => {
    const d = error(rule('$e.metadata.event_type = '));
    assert.deepEqual(d, { message: 'expected a value but found "condition"', line: 6, column: 3, severity: 'error', scope: 'query' });
  });

  it('== is rejected with a hint', () => {
    const d = error(rule('$e.x == "a"'));
    assert.equal(d.message, 'use `=` to compare, not `==`');
    assert.equal(d.line, 5);
  });

  it('an events statement must be a test, not a bare value', () => {
    const d = error(rule('$e.x = 1\n    ($e.y = 2 or $e.principal.ip)'));
    assert.deepEqual([d.message, d.line, d.column], ['`$e.principal.ip` is not a condition: compare it with something', 6, 18]);
    assert.equal(error(rule('not "x"')).message, '`"x"` is not a condition: compare it with something');
  });

  it('nocase must follow a comparison or a call', () => {
    assert.equal(error(rule('$e.x nocase')).message, '`nocase` must follow a comparison or a function call');
  });

  it('unknown window units', () => {
    assert.equal(error(rule('$e.x = $h', '  match:\n    $h over 5w\n')).message, 'unknown time unit `w` in `5w`; use s, m, h or d');
  });

  it('missing, repeated and misplaced sections', () => {
    assert.equal(error('rule t {\n meta:\n  a = "b"\n events:\n  $e.x = 1\n}').message, 'the rule has no condition section');
    assert.equal(error('rule t {\n meta:\n  a = "b"\n condition:\n  $e\n}').message, 'the rule has no events section');
    const twice = error('rule t {\n events:\n  $e.x = 1\n events:\n  $e.y = 1\n condition:\n  $e\n}');
    assert.deepEqual([twice.message, twice.line], ['the events section appears twice', 4]);
    const order = error('rule t {\n events:\n  $e.x = 1\n condition:\n  $e\n outcome:\n  $a = 1\n}');
    assert.deepEqual([order.message, order.line], ['the outcome section must come before the condition section', 6]);
  });

  it('unterminated comments, strings and trailing text', () => {
    assert.equal(error(rule('$e.x = 1 /* open')).message, 'unterminated /* comment');
    assert.match(error(rule('$e.x = "open')).message, /^expected /);
    assert.match(error(`${rule('$e.x = 1')}\nrule u {}`).message, /^expected end of rule but found "rule"$/);
  });

  it('an empty text is an error, not an exception', () => {
    assert.match(error('').message, /^expected "rule"/);
  });
});

describe('yaral: events the condition requires absent', () => {
  const q = `rule new_admin_without_ticket {
  events:
    $grant.metadata.event_type = "USER_CHANGE_PERMISSIONS"
    $grant.target.user.userid = $user
    $ticket.metadata.product_name = "ServiceNow"
    $ticket.metadata.product_event_type = "change.approved"
    $ticket.principal.user.userid = $user
  match:
    $user over 1h
  condition:
    $grant and !$ticket
}`;

  it('reads every statement about a negated event variable as an exclusion', () => {
    const r = ok(q);
    assert.deepEqual(
      indicatorsOf(r.stages).map((i) => [i.field, i.value, i.negated]),
      [
        ['metadata.event_type', 'USER_CHANGE_PERMISSIONS', false],
        ['metadata.product_name', 'ServiceNow', true],
        ['metadata.product_event_type', 'change.approved', true],
      ],
    );
    assert.deepEqual(
      correlationsOf(r.stages).map((c) => [c.field, c.with, c.negated]),
      [
        ['target.user.userid', '$user', false],
        ['principal.user.userid', '$user', true],
      ],
    );
  });

  it('keeps the excluded event log among the sources', () => {
    assert.deepEqual(ok(q).sources, ['event_type:USER_CHANGE_PERMISSIONS', 'product:ServiceNow']);
  });

  it('a variable negated twice is required', () => {
    const r = ok(q.replace('$grant and !$ticket', '$grant and not (not $ticket)'));
    assert.ok(indicatorsOf(r.stages).every((i) => !i.negated));
  });
});
