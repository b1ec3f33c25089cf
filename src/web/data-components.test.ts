// ATT&CK data components over the coverage fixture: which rules consume each (a provider event a log source of the
// component names), their events and log sources per platform, the techniques they detect; JSON, CSV, escaping.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { componentEvents, logSourceProvider } from '../coverage/data-components.js';
import { fixtureThreats } from './coverage-fixture.js';
import { coverageTestServer } from './coverage-test-server.js';
import { xss } from './fixture-catalog.js';

const web = coverageTestServer();
const { get } = web;

interface Counted {
  value: string;
  rules: number;
}
interface ComponentJson {
  id: string;
  name: string;
  rules: number;
  byPlatform: Record<string, number>;
  events: Counted[];
  reads: Counted[];
  providers: string[];
  platforms?: { platform: string; rules: number; events: Counted[]; reads: Counted[] }[];
  techniques?: { id: string; name: string; rules: number }[];
  ruleList?: { name: string; events: string[] }[];
}

test('a log source names its provider by its name and events by its channel, without case', () => {
  assert.equal(logSourceProvider('WinEventLog:Security'), 'windows-security');
  assert.equal(logSourceProvider('CloudTrail:GetObject'), 'aws-cloudtrail');
  assert.equal(logSourceProvider('auditd:SYSCALL'), 'linux-auditd');
  assert.equal(logSourceProvider('NSM:Flow'), undefined);
  const events = componentEvents({
    id: 'DC1',
    name: 'x',
    logSources: [
      { name: 'WinEventLog:Security', channel: 'EventCode=4103, 4104' },
      { name: 'CloudTrail:GetObject', channel: 'sensitive files' },
      { name: 'NSM:Flow', channel: 'StopLogging' },
    ],
  });
  assert.deepEqual([...events.keys()].sort(), ['aws-cloudtrail', 'windows-security']);
  assert.ok(events.get('windows-security')!.has('4104'));
  assert.ok(!events.get('windows-security')!.has('eventcode=4104'));
  assert.ok(events.get('aws-cloudtrail')!.has('getobject'));
});

test('/api/data-components: each component with the rules consuming it, their events and what they read', async () => {
  const index = JSON.parse((await get('/api/data-components')).text) as ComponentJson[];
  assert.deepEqual(
    index.map((c) => [c.id, c.rules, c.byPlatform]),
    [
      // The Sentinel and Elastic Okta rules (the older copy of the Sentinel one is a duplicate, left out).
      ['DC0002', 2, { elastic: 1, sentinel: 1 }],
      ['DC0061', 1, { sentinel: 1 }],
      // NSM:Flow names StopLogging, but no provider: no rule consumes it.
      ['DC0078', 0, {}],
      // The hostile rule's event (the hostile text) is no word of the hostile channel.
      ['DC0099', 0, {}],
    ],
  );
  const auth = index[0]!;
  assert.deepEqual(auth.events, [{ value: 'okta/user.session.impersonation.initiate', rules: 2 }]);
  assert.deepEqual(auth.reads.map((r) => r.value).sort(), ['index:filebeat-*', 'index:logs-okta*', 'table:OktaSSO']);
  assert.deepEqual(auth.providers, ['okta', 'windows-security']);
  assert.equal(auth.ruleList, undefined, 'the index leaves the rule lists to the component');
  assert.equal(index.length, fixtureThreats.dataComponents.length);
});

test('/api/data-components/<id>: per platform, the techniques its rules detect, by id or name, filtered as Explore', async () => {
  const c = JSON.parse((await get('/api/data-components/dc0002')).text) as ComponentJson;
  assert.equal(c.name, 'User Account Authentication');
  assert.deepEqual(
    c.platforms!.map((p) => [p.platform, p.rules, p.events.map((e) => e.value), p.reads.map((r) => r.value)]),
    [
      ['elastic', 1, ['okta/user.session.impersonation.initiate'], ['index:filebeat-*', 'index:logs-okta*']],
      ['sentinel', 1, ['okta/user.session.impersonation.initiate'], ['table:OktaSSO']],
    ],
  );
  assert.deepEqual(
    c.techniques!.map((t) => [t.id, t.rules]),
    // The Sentinel rule says T1134.003, the Elastic one T1078, T1078.004 and T1134.
    [
      ['T1078', 1],
      ['T1078.004', 1],
      ['T1134', 1],
      ['T1134.003', 1],
    ],
  );
  const byName = JSON.parse((await get('/api/data-components/cloud%20service%20disable')).text) as ComponentJson;
  assert.deepEqual(
    byName.ruleList!.map((r) => [r.name, r.events]),
    [['CloudTrail logging stopped', ['aws-cloudtrail/StopLogging']]],
  );
  assert.deepEqual(
    byName.techniques!.map((t) => [t.id, t.name]),
    [['T1562.008', 'Impair Defenses: Disable or Modify Cloud Logs']],
  );
  const elasticOnly = JSON.parse((await get('/api/data-components/DC0002?platform=elastic')).text) as ComponentJson;
  assert.equal(elasticOnly.rules, 1);
  const csv = (await get('/api/data-components/DC0002?format=csv')).text;
  assert.match(csv, /^kind,platform,value,name,rules\r\nevent,elastic,okta\/user\.session\.impersonation\.initiate,,1\r\n/);
  assert.match(csv, /\r\ntechnique,,T1134\.003,Access Token Manipulation: Make and Impersonate Token,1\r\n$/);
  assert.match(
    (await get('/api/data-components?format=csv')).text,
    /^component,name,rules,[^\r]*\r\nDC0002,User Account Authentication,2,/,
  );
  assert.equal((await get('/api/data-components/DC9999')).res.status, 404);
  assert.equal((await get('/data-components/DC9999')).res.status, 404);
});

test('data component pages escape what the bundle names', async () => {
  for (const path of ['/data-components', '/data-components/DC0099', '/data-components/DC0002']) {
    const { res, text } = await get(path);
    assert.equal(res.status, 200, path);
    assert.ok(!text.includes(xss), path);
  }
  assert.match((await get('/data-components/DC0099')).text, /Hostile &lt;script&gt;/);
});
