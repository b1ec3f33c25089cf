// scripts/multiply-corpus.mjs on a small corpus of every format: per copy a distinct source name,
// native ids (and the references to them) and titles, files that still parse, and a catalog of the
// copies with every rule once per copy and no repeated native id.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { parse as parseToml } from 'smol-toml';
import { captureOutput } from '../cli/capture-output.js';
import { main } from '../cli/main.js';
import type { BuildReport } from '../report/report.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const script = join(repo, 'scripts', 'multiply-corpus.mjs');
const uuid = (n: number) => `0000000${n}-1111-4222-8333-44444444444${n}`;
const fence = '```';

const corpus: Record<string, string> = {
  'sigma/rules/a.yml': `title: Certutil Download
id: ${uuid(1)}
status: test
logsource:
    category: process_creation
    product: windows
detection:
    selection:
        Image|endswith: '\\certutil.exe'
        CommandLine|contains: 'urlcache'
    condition: selection
level: high
`,
  'sigma/rules/b.yml': `title: 'Certutil Decode'
id: ${uuid(2)}
related:
    - id: ${uuid(1)} # the download rule
      type: similar
status: test
logsource:
    category: process_creation
    product: windows
detection:
    selection:
        Image|endswith: '\\certutil.exe'
        CommandLine|contains: 'decode'
    condition: selection
level: medium
`,
  'elastic/rules/x.toml': `[metadata]
creation_date = "2024/01/01"

[rule]
author = ["Elastic"]
description = "Whoami run."
language = "kuery"
name = "Whoami Execution"
risk_score = 21
rule_id = "${uuid(3)}"
severity = "low"
type = "query"
query = 'process.name : "whoami.exe"'

[[rule.threat]]
framework = "MITRE ATT&CK"

[rule.threat.tactic]
id = "TA0007"
name = "Discovery"
reference = "https://attack.mitre.org/tactics/TA0007/"
`,
  'panther/rules/p.yml': `AnalysisType: rule
Filename: p.py
RuleID: "Okta.Push.Fatigue"
DisplayName: Okta Push Fatigue
Enabled: true
LogTypes:
  - Okta.SystemLog
Severity: Medium
`,
  'panther/queries/q.yml': `AnalysisType: scheduled_query
QueryName: Okta Many Pushes
Enabled: true
Query: |
  SELECT actor FROM panther_logs.public.okta_systemlog WHERE eventtype = 'system.push.send_factor_verify_push'
Schedule:
  RateMinutes: 60
  TimeoutMinutes: 5
`,
  'panther/rules/s.yml': `AnalysisType: scheduled_rule
Filename: s.py
RuleID: Okta.Many.Pushes
DisplayName: "Okta Many Pushes Alert"
Enabled: true
ScheduledQueries:
  - Okta Many Pushes
Severity: Low
`,
  'panther/correlation_rules/c.yml': `AnalysisType: correlation_rule
RuleID: "Okta.Push.Then.Login"
DisplayName: "Okta Push Then Login"
Enabled: true
Severity: High
Detection:
  - Sequence:
      - ID: Push
        RuleID: Okta.Push.Fatigue
      - ID: Pushes
        RuleID: Okta.Many.Pushes
    LookbackWindowMinutes: 60
    Schedule:
      RateMinutes: 60
      TimeoutMinutes: 5
`,
  'chronicle/rules/r.yaral': `rule okta_push_fatigue {\r
  meta:\r
    rule_id = "mr_${uuid(4)}"\r
    rule_name = "Okta Push Fatigue"\r
    severity = "Medium"\r
\r
  events:\r
    $push.metadata.product_name = "Okta"\r
\r
  condition:\r
    $push\r
}\r
`,
  'splunk/detections/d.yml': `name: Whoami Run
id: ${uuid(5)}
version: 1
type: TTP
description: Whoami run.
search: '| tstats count from datamodel=Endpoint.Processes where Processes.process_name=whoami.exe by Processes.dest'
tags:
  analytic_story:
  - Discovery Story
`,
  'splunk/stories/s.yml': `name: Discovery Story
id: ${uuid(6)}
version: 1
narrative: Attackers look around.
`,
  'sentinel/Detections/s.yaml': `id: ${uuid(7)}
name: Many Failed Logons
description: Many failed logons.
severity: Medium
query: |
  SecurityEvent
  | where EventID == 4625
  | summarize count() by Account
`,
  'kql-community/bert-janp/q.md': `# Certutil in Defender

## Query Information

#### Description
Finds certutil.

## Defender XDR
${fence}KQL
DeviceProcessEvents
| where FileName =~ "certutil.exe"
${fence}
`,
};

const folders = ['chronicle', 'elastic', 'kql-community', 'panther', 'sentinel', 'sigma', 'splunk'];

async function build(sources: string[], db: string): Promise<BuildReport> {
  const io = captureOutput();
  const status = await main(['build', '--db', db, '--json', ...sources.flatMap((s) => ['--source', s])], io);
  assert.equal(status, 0, io.stderr);
  return JSON.parse(io.stdout) as BuildReport;
}

describe('multiply-corpus', () => {
  const work = mkdtempSync(join(tmpdir(), 'ruleatlas-multiply-'));
  after(() => rmSync(work, { recursive: true, force: true }));
  const src = join(work, 'corpus');
  for (const [path, text] of Object.entries(corpus)) {
    mkdirSync(dirname(join(src, path)), { recursive: true });
    writeFileSync(join(src, path), text);
  }
  const out = join(work, 'x2');
  const made = spawnSync(process.execPath, [script, '--copies', '2', '--out', out, '--corpus', src, '--json'], { encoding: 'utf8' });
  const read = (path: string) => readFileSync(join(out, path), 'utf8');
  const yamlOf = (path: string) => yaml.load(read(path)) as Record<string, unknown>;

  test('writes each folder once per copy under a distinct name and reports what it wrote', () => {
    assert.equal(made.status, 0, made.stderr);
    const result = JSON.parse(made.stdout) as { folders: string[]; files: number; bytes: number };
    assert.deepEqual(
      result.folders,
      folders.flatMap((f) => [`${f}-1`, `${f}-2`]),
    );
    assert.deepEqual(readdirSync(out).sort(), result.folders.slice().sort());
    assert.equal(result.files, 2 * Object.keys(corpus).length);
    assert.ok(result.bytes > 2 * Object.values(corpus).reduce((n, t) => n + t.length, 0));
  });

  test('gives every rule a distinct id and title per copy, and rewrites the references within the copy', () => {
    const a1 = yamlOf('sigma-1/rules/a.yml');
    const a2 = yamlOf('sigma-2/rules/a.yml');
    const b2 = yamlOf('sigma-2/rules/b.yml');
    assert.notEqual(a1.id, uuid(1));
    assert.notEqual(a1.id, a2.id);
    assert.match(String(a2.id), /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(a2.title, 'Certutil Download (copy 2)');
    assert.equal(b2.title, 'Certutil Decode (copy 2)');
    assert.deepEqual(b2.related, [{ id: a2.id, type: 'similar' }]);

    const x2 = parseToml(read('elastic-2/rules/x.toml')) as {
      rule: { name: string; rule_id: string; threat: { tactic: { name: string } }[] };
    };
    assert.equal(x2.rule.name, 'Whoami Execution (copy 2)');
    assert.notEqual(x2.rule.rule_id, uuid(3));
    assert.equal(x2.rule.threat[0]!.tactic.name, 'Discovery', 'only the rule name is retitled');

    const c2 = yamlOf('panther-2/correlation_rules/c.yml') as { RuleID: string; Detection: { Sequence: { RuleID: string }[] }[] };
    assert.equal(c2.RuleID, 'Okta.Push.Then.Login_copy2');
    assert.deepEqual(
      c2.Detection[0]!.Sequence.map((s) => s.RuleID),
      ['Okta.Push.Fatigue_copy2', 'Okta.Many.Pushes_copy2'],
    );
    assert.deepEqual(yamlOf('panther-2/rules/s.yml').ScheduledQueries, ['Okta Many Pushes_copy2']);
    assert.equal(yamlOf('panther-2/queries/q.yml').QueryName, 'Okta Many Pushes_copy2');
    assert.equal(yamlOf('panther-1/rules/p.yml').DisplayName, 'Okta Push Fatigue (copy 1)');

    const r2 = read('chronicle-2/rules/r.yaral');
    assert.match(r2, /^rule okta_push_fatigue_copy2 \{\r$/m);
    assert.match(r2, /rule_name = "Okta Push Fatigue \(copy 2\)"\r$/m);
    assert.doesNotMatch(r2, new RegExp(uuid(4)));
    assert.ok(!/[^\r]\n/.test(r2), 'CRLF line ends kept');

    // A story keeps its name (detections name it); a detection is retitled.
    assert.equal(yamlOf('splunk-2/stories/s.yml').name, 'Discovery Story');
    assert.notEqual(yamlOf('splunk-2/stories/s.yml').id, uuid(6));
    assert.equal(yamlOf('splunk-2/detections/d.yml').name, 'Whoami Run (copy 2)');
    assert.equal(yamlOf('sentinel-2/Detections/s.yaml').name, 'Many Failed Logons (copy 2)');
    // A write-up's id is its path within the source: renamed per copy, and retitled.
    const md = corpus['kql-community/bert-janp/q.md']!;
    assert.equal(read('kql-community-2/bert-janp/q-copy2.md'), md.replace('# Certutil in Defender', '# Certutil in Defender (copy 2)'));
  });

  test('a build of the copies has every rule once per copy and no repeated native id', async () => {
    const once = await build(
      folders.map((f) => join(src, f)),
      join(work, 'once.db'),
    );
    const twice = await build(
      readdirSync(out).map((f) => join(out, f)),
      join(work, 'twice.db'),
    );
    assert.equal(once.rules, 11, 'every fixture but the story is a rule');
    assert.equal(twice.rules, 2 * once.rules);
    assert.equal(twice.errors.length, 0, JSON.stringify(twice.errors));
    assert.equal(twice.failures.length, 2 * once.failures.length);
    assert.equal(twice.duplicates, 0);
    // Copied as they are, the same folders give repeated native ids: the rewrite is what avoids them.
    const plain = await build([...folders.map((f) => join(src, f)), ...folders.map((f) => join(src, f))], join(work, 'plain.db'));
    assert.ok(plain.duplicates > 0);
  });

  test('refuses to write into the repository', () => {
    const inside = spawnSync(process.execPath, [script, '--copies', '1', '--out', join(repo, 'corpus-x1'), '--corpus', src], {
      encoding: 'utf8',
    });
    assert.equal(inside.status, 2);
    assert.match(inside.stderr, /outside the repository/);
  });
});
