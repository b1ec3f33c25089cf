import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventsOf } from '../../analysis/events.js';
import { indicatorsOf } from '../../analysis/indicators.js';
import { predicatesOf } from '../../model/predicates.js';
import type { Predicate, PredicateNode, QueryAnalysis } from '../../model/types.js';
import { providers } from '../../providers/registry.js';
import { conditionText, testContext, stageOfKind } from '../test-support.js';
import { spl } from './index.js';
import { captureGroups } from './outputs.js';

function analysed(query: string): QueryAnalysis {
  const result = spl.analyse(query, testContext);
  assert.equal(result.parsed, true, `did not parse: ${JSON.stringify(result.diagnostics)}`);
  assert.deepEqual(result.diagnostics, []);
  return result;
}

/** A search-language predicate node: case-insensitive. */
function pred(
  field: string,
  op: Predicate['op'],
  values: Predicate['values'],
  nativeOp: string,
  text: string,
  extra: Partial<Predicate> = {},
): PredicateNode {
  return { kind: 'pred', predicate: { field, op, values, negated: false, caseSensitive: false, nativeOp, text, ...extra } };
}

/** An eval-language (`where`) predicate node: case-sensitive. */
function evalPred(
  field: string,
  op: Predicate['op'],
  values: Predicate['values'],
  nativeOp: string,
  text: string,
  extra: Partial<Predicate> = {},
): PredicateNode {
  return pred(field, op, values, nativeOp, text, { caseSensitive: true, ...extra });
}

const stage = stageOfKind;

test('id and name', () => {
  assert.equal(spl.id, 'spl');
  assert.equal(spl.name, 'Splunk SPL');
});

test('a leading macro becomes its own stage; the rest of the search, stats, where and filter macro follow', () => {
  const query =
    '`cloudtrail` eventName=CreateUser OR eventName IN ("a","b*") NOT userAgent="*aws*" | rename userIdentity.arn as arn | stats count by arn, eventName | where count > 5 AND like(arn, "%root%") | `x_filter`';
  assert.deepEqual(analysed(query), {
    stages: [
      { kind: 'macro', text: '`cloudtrail`', sources: ['sourcetype:aws:cloudtrail'] },
      {
        kind: 'search',
        text: 'eventName=CreateUser OR eventName IN ("a","b*") NOT userAgent="*aws*"',
        condition: {
          kind: 'and',
          children: [
            {
              kind: 'or',
              children: [
                pred('eventName', 'eq', ['CreateUser'], '=', 'eventName=CreateUser'),
                pred('eventName', 'eq', ['a'], 'IN', 'eventName IN ("a","b*")'),
                pred('eventName', 'wildcard', ['b*'], 'IN', 'eventName IN ("a","b*")'),
              ],
            },
            { kind: 'not', child: pred('userAgent', 'wildcard', ['*aws*'], '=', 'userAgent="*aws*"') },
          ],
        },
      },
      { kind: 'rename', text: '| rename userIdentity.arn as arn' },
      { kind: 'stats', text: '| stats count by arn, eventName' },
      {
        kind: 'where',
        text: '| where count > 5 AND like(arn, "%root%")',
        condition: {
          kind: 'and',
          children: [
            evalPred('count', 'gt', [5], '>', 'count > 5'),
            evalPred('arn', 'wildcard', ['*root*'], 'like', 'like(arn, "%root%")'),
          ],
        },
      },
      { kind: 'macro', text: '| `x_filter`' },
    ],
    outputFields: [
      { field: 'count', source: 'stats' },
      { field: 'arn', source: 'stats' },
      { field: 'eventName', source: 'stats' },
    ],
    sources: ['sourcetype:aws:cloudtrail'],
    diagnostics: [],
    parsed: true,
  });
});

test('tstats: datamodel source, where clause, condition macro expansion, by fields through drop_dm_object_name', () => {
  const query = `| tstats \`security_content_summariesonly\` count min(_time) as firstTime from datamodel=Endpoint.Processes where \`process_cmd\` Processes.process IN ("*/c*", "*/k*") Processes.user!=SYSTEM by Processes.dest Processes.user span=1h
| \`drop_dm_object_name(Processes)\`
| \`security_content_ctime(firstTime)\``;
  const result = analysed(query);
  const call = '`process_cmd`';
  const inText = 'Processes.process IN ("*/c*", "*/k*")';
  assert.deepEqual(result.stages[0], {
    kind: 'tstats',
    text: query.split('\n')[0],
    sources: ['datamodel:Endpoint.Processes'],
    condition: {
      kind: 'and',
      children: [
        {
          kind: 'or',
          children: [
            pred('Processes.process_name', 'eq', ['cmd.exe'], '=', call),
            pred('Processes.original_file_name', 'eq', ['Cmd.Exe'], '=', call),
          ],
        },
        {
          kind: 'or',
          children: [
            pred('Processes.process', 'wildcard', ['*/c*'], 'IN', inText),
            pred('Processes.process', 'wildcard', ['*/k*'], 'IN', inText),
          ],
        },
        pred('Processes.user', 'eq', ['SYSTEM'], '!=', 'Processes.user!=SYSTEM', { negated: true }),
      ],
    },
  });
  assert.deepEqual(
    result.stages.map((s) => [s.kind, s.text]),
    [
      ['tstats', query.split('\n')[0]],
      ['macro', '| `drop_dm_object_name(Processes)`'],
      ['macro', '| `security_content_ctime(firstTime)`'],
    ],
  );
  assert.deepEqual(result.outputFields, [
    { field: 'count', source: 'tstats' },
    { field: 'firstTime', source: 'tstats' },
    { field: 'dest', source: 'tstats' },
    { field: 'user', source: 'tstats' },
  ]);
  assert.deepEqual(result.sources, ['datamodel:Endpoint.Processes']);
});

test('search language: OR binds tighter than implicit AND; exists, ranges, terms, phrases, TERM(), time modifiers', () => {
  const query =
    'index=main sourcetype="WinEventLog" EventCode=4688 OR EventCode=4689 New_Process_Name=* count>=3 mimikatz "sekurlsa logon" TERM(10.0.0.1) earliest=-24h NOT sourcetype=noise *';
  const result = analysed(query);
  assert.deepEqual(result.stages, [
    {
      kind: 'search',
      text: query,
      sources: ['index:main', 'sourcetype:WinEventLog'],
      condition: {
        kind: 'and',
        children: [
          pred('index', 'eq', ['main'], '=', 'index=main'),
          pred('sourcetype', 'eq', ['WinEventLog'], '=', 'sourcetype="WinEventLog"'),
          {
            kind: 'or',
            children: [pred('EventCode', 'eq', ['4688'], '=', 'EventCode=4688'), pred('EventCode', 'eq', ['4689'], '=', 'EventCode=4689')],
          },
          pred('New_Process_Name', 'exists', [], '=', 'New_Process_Name=*'),
          pred('count', 'gte', ['3'], '>=', 'count>=3'),
          pred('_raw', 'has', ['mimikatz'], 'term', 'mimikatz'),
          pred('_raw', 'has', ['sekurlsa logon'], 'term', '"sekurlsa logon"'),
          pred('_raw', 'has', ['10.0.0.1'], 'TERM', 'TERM(10.0.0.1)'),
          { kind: 'other', text: 'earliest=-24h' },
          { kind: 'not', child: pred('sourcetype', 'eq', ['noise'], '=', 'sourcetype=noise') },
          { kind: 'other', text: '*' },
        ],
      },
    },
  ]);
  assert.deepEqual(result.sources, ['index:main', 'sourcetype:WinEventLog']);
  assert.deepEqual(result.outputFields, []);
});

test('search values: an address block is matched as one (cidr), in the search command only', () => {
  const preds = predicatesOf(
    analysed('index=net src_ip=10.0.0.0/8 NOT dest_ip=192.168.1.0/24 dest_port=443 v6=fe80::/10 path=a/b').stages[0]!.condition,
  );
  assert.deepEqual(
    preds.map((p) => [p.field, p.op, p.values, p.negated]),
    [
      ['index', 'eq', ['net'], false],
      ['src_ip', 'cidr', ['10.0.0.0/8'], false],
      ['dest_ip', 'cidr', ['192.168.1.0/24'], false],
      ['dest_port', 'eq', ['443'], false],
      ['v6', 'cidr', ['fe80::/10'], false],
      ['path', 'eq', ['a/b'], false],
    ],
  );
  // `where` compares strings: the same text there is an equality.
  const where = predicatesOf(stage(analysed('index=net | where src_ip="10.0.0.0/8"'), 'where').condition);
  assert.deepEqual(
    where.map((p) => [p.field, p.op]),
    [['src_ip', 'eq']],
  );
});

test('search values: backslash escapes, quoted field names, IN lists with stray commas and list macros, attached parentheses', () => {
  const query =
    'Image="*\\\\Windows\\\\*" CommandLine=*\\Temp\\* "result.status" IN (,"A",, B,) Processes.process=*GetCurrent()* x=a\\"b parent IN (`uacbypass_process_name`)';
  const preds = predicatesOf(analysed(query).stages[0]!.condition);
  assert.deepEqual(
    preds.slice(0, 5).map((p) => [p.field, p.op, p.values]),
    [
      ['Image', 'wildcard', ['*\\Windows\\*']],
      ['CommandLine', 'wildcard', ['*\\Temp\\*']],
      ['result.status', 'in', ['A', 'B']],
      ['Processes.process', 'wildcard', ['*GetCurrent()*']],
      ['x', 'eq', ['a"b']],
    ],
  );
  const listed = preds[5]!;
  assert.equal(listed.field, 'parent');
  assert.equal(listed.op, 'in');
  assert.equal(listed.values.length, 36);
  assert.equal(listed.values[0], 'BitlockerWizardElev.exe');
  assert.equal(listed.text, 'parent IN (`uacbypass_process_name`)');
});

test('where: case-sensitive comparisons and the eval functions that filter', () => {
  const query =
    '| where a == "x" AND b != "y" AND "z" = c AND lower(d) = "q" AND e = f AND NOT match(g, "^a.*") AND isnull(h) AND isnotnull(i) AND j IN ("1", "2") AND in(k, 3, 4) AND cidrmatch("10.0.0.0/8", src) AND l LIKE "ab%" AND len(m) > 5 OR n < -1';
  const result = analysed(query);
  assert.deepEqual(result.stages[0]!.condition, {
    kind: 'or',
    children: [
      {
        kind: 'and',
        children: [
          evalPred('a', 'eq', ['x'], '==', 'a == "x"'),
          evalPred('b', 'eq', ['y'], '!=', 'b != "y"', { negated: true }),
          evalPred('c', 'eq', ['z'], '=', '"z" = c'),
          evalPred('d', 'eq', ['q'], '=', 'lower(d) = "q"', { caseSensitive: false }),
          evalPred('e', 'fieldref', ['f'], '=', 'e = f'),
          { kind: 'not', child: evalPred('g', 'regex', ['^a.*'], 'match', 'match(g, "^a.*")') },
          evalPred('h', 'exists', [], 'isnull', 'isnull(h)', { negated: true }),
          evalPred('i', 'exists', [], 'isnotnull', 'isnotnull(i)'),
          evalPred('j', 'in', ['1', '2'], 'IN', 'j IN ("1", "2")'),
          evalPred('k', 'in', [3, 4], 'in', 'in(k, 3, 4)'),
          evalPred('src', 'cidr', ['10.0.0.0/8'], 'cidrmatch', 'cidrmatch("10.0.0.0/8", src)'),
          evalPred('l', 'wildcard', ['ab*'], 'LIKE', 'l LIKE "ab%"'),
          { kind: 'other', text: 'len(m) > 5' },
        ],
      },
      evalPred('n', 'lt', [-1], '<', 'n < -1'),
    ],
  });
});

test('subsearches become deeper stages; inputlookup reads a lookup; join and append keep their own stage', () => {
  const query =
    '`okta` eventType=user.session.start NOT [| inputlookup allowed_users | fields user] | join type=outer user [ search `wineventlog_security` EventCode=4624 | stats count by user ] | append [ inputlookup extra.csv where risk>5 ]';
  const result = analysed(query);
  assert.deepEqual(
    result.stages.map((s) => [s.kind, s.depth ?? 0, s.text, s.sources ?? []]),
    [
      ['macro', 0, '`okta`', ['eventtype:okta_log', 'sourcetype:OktaIM2:log']],
      ['search', 0, 'eventType=user.session.start NOT [| inputlookup allowed_users | fields user]', []],
      ['inputlookup', 1, '| inputlookup allowed_users', ['lookup:allowed_users']],
      ['fields', 1, '| fields user', []],
      ['join', 0, '| join type=outer user [ search `wineventlog_security` EventCode=4624 | stats count by user ]', []],
      ['macro', 1, 'search `wineventlog_security`', ['eventtype:wineventlog_security', 'source:XmlWinEventLog:Security']],
      ['search', 1, 'EventCode=4624', []],
      ['stats', 1, '| stats count by user', []],
      ['append', 0, '| append [ inputlookup extra.csv where risk>5 ]', []],
      ['inputlookup', 1, 'inputlookup extra.csv where risk>5', ['lookup:extra.csv']],
    ],
  );
  assert.deepEqual(stage(result, 'search').condition, {
    kind: 'and',
    children: [
      pred('eventType', 'eq', ['user.session.start'], '=', 'eventType=user.session.start'),
      { kind: 'not', child: { kind: 'other', text: '[| inputlookup allowed_users | fields user]' } },
    ],
  });
  assert.deepEqual(stage(result, 'inputlookup', 1).condition, pred('risk', 'gt', ['5'], '>', 'risk>5'));
  assert.deepEqual(result.sources, [
    'eventtype:okta_log',
    'sourcetype:OktaIM2:log',
    'lookup:allowed_users',
    'eventtype:wineventlog_security',
    'source:XmlWinEventLog:Security',
    'lookup:extra.csv',
  ]);
  // The subsearch's stats does not decide the outer outputs.
  assert.deepEqual(result.outputFields, []);
});

test('outputs follow eval, rex, lookup, spath, rename (with patterns), table and fields -', () => {
  const query = `\`azure_monitor_aad\` category=AuditLogs
| rename properties.* as *
| eval user=upper(userPrincipalName), n = 1
| rex field=x "(?<domain>[^@]+)@(?P<tld>\\w+)"
| rex mode=sed field=y "s/a/b/g"
| lookup update=true users_lookup user OUTPUT department AS dept, title
| spath input=raw output=payload path=a.b
| table _time, user, dept, title, domain, tld, payload, n
| rename dept as department
| fields - n`;
  const result = analysed(query);
  assert.deepEqual(result.outputFields, [
    { field: '_time', source: 'table' },
    { field: 'user', source: 'eval' },
    { field: 'department', source: 'rename' },
    { field: 'title', source: 'lookup' },
    { field: 'domain', source: 'rex' },
    { field: 'tld', source: 'rex' },
    { field: 'payload', source: 'spath' },
  ]);
  assert.deepEqual(
    result.stages.map((s) => s.kind),
    ['macro', 'search', 'rename', 'eval', 'rex', 'rex', 'lookup', 'spath', 'table', 'rename', 'fields'],
  );
});

test('outputs without a fixing command are the fields commands add', () => {
  assert.deepEqual(analysed('`sysmon` EventCode=1 | eval a=1 | rename b as c | eventstats dc(x) as dx by y').outputFields, [
    { field: 'a', source: 'eval' },
    { field: 'c', source: 'rename' },
    { field: 'dx', source: 'eventstats' },
  ]);
});

test('regex, mstats, from datamodel, unknown commands, comments and a trailing pipe', () => {
  const query =
    '| mstats avg(cpu.*) as cpu.* where `kubernetes_metrics` AND host=web* by host span=10s ```a comment | with a pipe``` | regex process!="(?i)^c:\\\\\\\\windows" | frobnicate a=1 [search x=1] "q|r" | ';
  const result = analysed(query);
  assert.deepEqual(
    result.stages.map((s) => [s.kind, s.depth ?? 0, s.text]),
    [
      ['mstats', 0, '| mstats avg(cpu.*) as cpu.* where `kubernetes_metrics` AND host=web* by host span=10s'],
      ['regex', 0, '| regex process!="(?i)^c:\\\\\\\\windows"'],
      ['frobnicate', 0, '| frobnicate a=1 [search x=1] "q|r"'],
      ['search', 1, 'search x=1'],
    ],
  );
  assert.deepEqual(stage(result, 'mstats').condition, {
    kind: 'and',
    children: [{ kind: 'other', text: '`kubernetes_metrics`' }, pred('host', 'wildcard', ['web*'], '=', 'host=web*')],
  });
  assert.deepEqual(
    stage(result, 'regex').condition,
    evalPred('process', 'regex', ['(?i)^c:\\\\windows'], '!=', 'process!="(?i)^c:\\\\\\\\windows"', { negated: true }),
  );
  assert.deepEqual(result.sources, ['index:kubernetes_metrics']);
  assert.deepEqual(result.outputFields, [
    { field: 'cpu.*', source: 'mstats' },
    { field: 'host', source: 'mstats' },
  ]);

  const from = analysed('| from datamodel Identity_Management.All_Identities | search status=active');
  assert.deepEqual(from.stages[0], {
    kind: 'from',
    text: '| from datamodel Identity_Management.All_Identities',
    sources: ['datamodel:Identity_Management.All_Identities'],
  });
});

test('foreach templates are kept as text; stats aggregates keep their names', () => {
  const result = analysed(
    '| tstats count from datamodel=Web by Web.src | foreach * [ eval <<FIELD>> = if(<<FIELD>>="null",null(),<<FIELD>>)] | stats values(src) count(eval(x="y")) as hits perc95(b) by c',
  );
  assert.deepEqual(result.stages[1], { kind: 'foreach', text: '| foreach * [ eval <<FIELD>> = if(<<FIELD>>="null",null(),<<FIELD>>)]' });
  assert.deepEqual(result.outputFields, [
    { field: 'values(src)', source: 'stats' },
    { field: 'hits', source: 'stats' },
    { field: 'perc95(b)', source: 'stats' },
    { field: 'c', source: 'stats' },
  ]);
});

test('syntax errors: a known command that does not fit its syntax fails, with line and column', () => {
  const result = spl.analyse('`sysmon` EventCode=1\n| where (a = 1', testContext);
  assert.equal(result.parsed, false);
  assert.deepEqual(result.stages, []);
  assert.equal(result.diagnostics.length, 1);
  const d = result.diagnostics[0]!;
  assert.equal(d.severity, 'error');
  assert.equal(d.scope, 'query');
  assert.equal(d.line, 2);
  assert.equal(d.column, 15);
  assert.match(d.message, /^expected .*"\)".* but found end of query$/);

  assert.equal(spl.analyse('index=a | stats count by', testContext).parsed, false);
  assert.equal(spl.analyse('x IN ("a" | table x', testContext).parsed, false);
  const empty = spl.analyse('   ', testContext);
  assert.deepEqual(empty, {
    stages: [],
    outputFields: [],
    sources: [],
    diagnostics: [{ message: 'empty query', severity: 'error', scope: 'query' }],
    parsed: false,
  });
});

test('capture group names of rex patterns', () => {
  assert.deepEqual(captureGroups('(?<a>x)(?P<b_1>y)(?:z)(?<=w)'), ['a', 'b_1']);
});

test('events: the splunk selectors of the providers read macro and sourcetype sources', () => {
  const events = (query: string) => {
    const r = analysed(query);
    return eventsOf(r.stages, r.sources, 'splunk', providers);
  };
  assert.deepEqual(events('`cloudtrail` eventName IN (StopLogging, DeleteTrail) | stats count by src'), [
    { provider: 'aws-cloudtrail', event: 'StopLogging' },
    { provider: 'aws-cloudtrail', event: 'DeleteTrail' },
  ]);
  assert.deepEqual(events('sourcetype=aws:cloudtrail:lake api.operation=CreateUser'), [
    { provider: 'aws-cloudtrail', event: 'CreateUser' },
  ]);
  assert.deepEqual(events('`wineventlog_security` EventCode=4624 NOT EventCode=4625 | where EventID=1'), [
    { provider: 'windows-security', event: '4624' },
  ]);
  assert.deepEqual(events('`okta` eventType=user.mfa.factor.deactivate'), [{ provider: 'okta', event: 'user.mfa.factor.deactivate' }]);
  assert.deepEqual(events('`o365_management_activity` Operation="New-InboxRule"'), [{ provider: 'microsoft-365', event: 'New-InboxRule' }]);
  assert.deepEqual(events('`google_gcp_pubsub_message` data.protoPayload.methodName=SetIamPolicy'), [
    { provider: 'gcp-audit', event: 'SetIamPolicy' },
  ]);
  assert.deepEqual(events('`azure_audit` operationName.localizedValue="Create or Update an Azure Automation account"'), [
    { provider: 'azure-activity', event: 'Create or Update an Azure Automation account' },
  ]);
  assert.deepEqual(events('`azure_monitor_aad` operationName="Add member to role" OR operationName="Sign-in activity"'), [
    { provider: 'entra-id-audit', event: 'Add member to role' },
  ]);
  // The Sysmon log's ids are Sysmon events, never Security ones.
  assert.deepEqual(events('`sysmon` EventCode=1'), [{ provider: 'sysmon', event: '1' }]);
  assert.deepEqual(events('`powershell` EventCode=4104'), [{ provider: 'windows-powershell', event: '4104' }]);
});

test('the conditions of a subsearch under NOT are exclusions, those of join and append are not', () => {
  const r = analysed(
    '`cloudtrail` eventName=ConsoleLogin NOT [ search `cloudtrail` eventName=AssumeRole userIdentity.type=AWSService | fields src ] | join src [ search `cloudtrail` eventName=CreateUser ] | search NOT [| inputlookup trusted where kind=vpn ]',
  );
  assert.deepEqual(
    indicatorsOf(r.stages).map((i) => [i.field, i.value, i.negated]),
    [
      ['eventName', 'ConsoleLogin', false],
      ['eventName', 'AssumeRole', true],
      ['userIdentity.type', 'AWSService', true],
      ['eventName', 'CreateUser', false],
      ['kind', 'vpn', true],
    ],
  );
  assert.deepEqual(eventsOf(r.stages, r.sources, 'splunk', providers), [
    { provider: 'aws-cloudtrail', event: 'ConsoleLogin' },
    { provider: 'aws-cloudtrail', event: 'CreateUser' },
  ]);
});

test('map search: the quoted search is analysed as a subsearch of the map stage, its events with it', () => {
  const r = analysed(
    '`wineventlog_security` EventCode=4742 | stats count by TargetLogonId | appendpipe [| map search="search `wineventlog_security` EventCode=4624 TargetLogonId=$TargetLogonId$ ObjectName=\\"a b\\"" | fields - dest]',
  );
  assert.deepEqual(
    r.stages.map((s) => [s.kind, s.depth ?? 0]),
    [
      ['macro', 0],
      ['search', 0],
      ['stats', 0],
      ['appendpipe', 0],
      ['map', 1],
      ['macro', 2],
      ['search', 2],
      ['fields', 1],
    ],
  );
  assert.deepEqual(
    indicatorsOf(r.stages).map((i) => [i.field, i.value]),
    [
      ['EventCode', '4742'],
      ['EventCode', '4624'],
      ['TargetLogonId', '$TargetLogonId$'],
      ['ObjectName', 'a b'],
    ],
  );
  assert.deepEqual(eventsOf(r.stages, r.sources, 'splunk', providers), [
    { provider: 'windows-security', event: '4742' },
    { provider: 'windows-security', event: '4624' },
  ]);
});

test("CIM data models name Windows and Okta events without a sourcetype: result_id, signature_id, an Okta command's shape", () => {
  const events = (query: string) => {
    const r = analysed(query);
    return eventsOf(r.stages, r.sources, 'splunk', providers);
  };
  assert.deepEqual(
    events('| tstats count from datamodel=Change where All_Changes.result_id=4720 OR All_Changes.result_id="4726" by All_Changes.user'),
    [
      { provider: 'windows-security', event: '4720' },
      { provider: 'windows-security', event: '4726' },
    ],
  );
  assert.deepEqual(events('| tstats count from datamodel=Authentication where Authentication.signature_id=4625 by Authentication.user'), [
    { provider: 'windows-security', event: '4625' },
  ]);
  assert.deepEqual(events('| tstats count from datamodel=Change where All_Changes.action=lockout All_Changes.command=user.account.lock'), [
    { provider: 'okta', event: 'user.account.lock' },
  ]);
  // AWS's console sign-in in the same field is not Okta's; a code outside the Security log's range is no event.
  assert.deepEqual(events('| tstats count from datamodel=Authentication where Authentication.signature=ConsoleLogin'), [
    { provider: 'aws-cloudtrail', event: 'ConsoleLogin' },
  ]);
  assert.deepEqual(events('| tstats count from datamodel=Change where All_Changes.result_id=404'), []);
});

test('computed columns: a filter on an eval column stands for the conditions that define it', () => {
  const last = (query: string): string => {
    const result = spl.analyse(query, testContext);
    assert.equal(result.parsed, true, JSON.stringify(result.diagnostics));
    return conditionText(result.stages.filter((s) => s.condition).pop()?.condition);
  };
  const flag = 'index=x | eval flag=if(like(cmd,"%-enc%") OR match(cmd,"^-e"),1,0)';
  assert.equal(last(`${flag} | where flag=1`), '(cmd wildcard ["*-enc*"] or cmd regex ["^-e"])');
  assert.equal(last(`${flag} | where flag!=1`), 'not (cmd wildcard ["*-enc*"] or cmd regex ["^-e"])');
  // The search command reads values as text: "0" is the flag's 0.
  assert.equal(last(`${flag} | search flag=0`), 'not (cmd wildcard ["*-enc*"] or cmd regex ["^-e"])');
  assert.equal(last('index=x | eval f=isnotnull(user) | where NOT f'), 'not user exists []');
  const kind = 'index=x | eval k=case(port=22,"ssh", port=3389,"rdp", true(),"other")';
  assert.equal(last(`${kind} | stats count by k | where k!="other"`), '(port eq [22] or port eq [3389])');
  assert.equal(last(`${kind} | where k="rdp"`), '(port eq [3389] and not port eq [22])');
  // A lowercased copy is its field, compared without case.
  assert.equal(last('index=x | eval c=lower(CommandLine) | where c="abc"'), 'CommandLine eq~ ["abc"]');
  assert.equal(last('index=x | eval c=lower(CommandLine) | rename c as d | search d=abc'), 'CommandLine eq~ ["abc"]');
  assert.equal(last(`${flag} | table flag | where flag=1`), '(cmd wildcard ["*-enc*"] or cmd regex ["^-e"])');
  assert.equal(last(`${flag} | fields - flag | where flag=1`), 'flag eq [1]');
  // An untraced computation stays as written, with one info.
  const summed = spl.analyse(
    'index=x | eval a=if(match(_raw,"x"),4,0), b=if(match(_raw,"y"),2,0) | eval s=a+b | where s>3 OR s<1',
    testContext,
  );
  assert.equal(conditionText(stageOfKind(summed, 'where').condition), '(s gt [3] or s lt [1])');
  assert.deepEqual(
    summed.diagnostics.map((d) => [d.severity, d.message]),
    [['info', 'the filter on computed column s is kept as written: its definition (a+b) is not traced to conditions']],
  );
});

test('an aggregate over selected rows (count(eval(c))) that a later filter requires non-zero: its rows are required', () => {
  const last = (query: string): PredicateNode | undefined =>
    spl
      .analyse(query, testContext)
      .stages.filter((s) => s.condition)
      .pop()?.condition;
  const counted =
    'index=z op IN (a, b, c) | stats count(eval(op=="b")) as bs count(eval(op=="c")) as cs, dc(op) as n count as total by src';
  assert.equal(conditionText(last(`${counted} | search bs>4 cs>0`)), '(bs gt~ ["4"] and op eq ["b"] and cs gt~ ["0"] and op eq ["c"])');
  assert.equal(conditionText(last(`${counted} | where cs >= 1`)), '(cs gte [1] and op eq ["c"])');
  // Each is then required, not one of the search's alternatives.
  const roles = indicatorsOf(spl.analyse(`${counted} | search bs>4 cs>0`, testContext).stages).map(
    (i) => `${i.role} ${i.field} ${i.op} ${i.value}`,
  );
  assert.ok(roles.includes('required op eq b'), roles.join('\n'));
  assert.ok(roles.includes('alternative op eq a'), roles.join('\n'));
  // A sum of such counts carries its rows; a filter an empty count passes, or a plain count, says nothing of them.
  assert.equal(conditionText(last(`${counted} | stats sum(bs) as bs by src | search bs>1`)), '(bs gt~ ["1"] and op eq ["b"])');
  assert.equal(conditionText(last(`${counted} | search bs<3`)), 'bs lt~ ["3"]');
  assert.equal(conditionText(last(`${counted} | search total>3 n=3`)), '(total gt~ ["3"] and n eq~ ["3"])');
});
