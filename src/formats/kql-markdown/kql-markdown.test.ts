import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseContainer } from '../containers.js';
import { isDefenderTable, kqlMarkdownFormat as format, looksLikeKql } from './index.js';

const fence = '```';

// Shaped like Bert-JanP's detection template: one query for Defender XDR, one for Sentinel.
const bertJan = `# Suspicious *Certutil* Download

## Query Information

#### MITRE ATT&CK Technique(s)

| Technique ID | Title    | Link    |
| ---  | --- | --- |
| T1105 | Ingress Tool Transfer | https://attack.mitre.org/techniques/T1105/ |
| T1059.001 | Command and Scripting Interpreter: PowerShell | https://attack.mitre.org/techniques/T1059/001/ |

#### Description
Certutil downloads a file.

It is a LOLBin.

#### Risk
Payloads get in, see [the post](https://example.com/risk).

#### Author <Optional>
- **Name:** Jane Doe
- **Github:** https://github.com/janedoe

#### References
- https://example.com/a
- [LOLBAS](https://lolbas-project.github.io/lolbas/Binaries/Certutil/)

## Defender XDR
${fence}KQL
DeviceProcessEvents
| where FileName =~ "certutil.exe"
${fence}
## Sentinel
${fence}kql
DeviceProcessEvents
| where FileName =~ "certutil.exe"
| project TimeGenerated, DeviceName
${fence}
`;

// Shaped like a FalconFriday detection: ATT&CK table with sub-techniques, a `C#` fence, Platform line.
const falconFriday = `# Excessive enumeration of policy permissions

## Metadata
**ID:** 0xFF-0508-Excessive_enumeration-AWS

## ATT&CK Tags

| Tactic | Technique | Subtechnique | Technique Name |
|---|---|---| --- |
| TA0007 - Discovery | T1069 | 003 | Permission Groups Discovery - Cloud Groups|
| TA0007 - Discovery | T1580 |  | Cloud Infrastructure Discovery|

## Utilized Data Sources

| Log Provider | Table Name | Event ID | Event Name | ATT&CK Data Source | ATT&CK Data Component|
|---------|---------|---------|----------|---------|---------|
|AWS|AWSCloudTrail|AwsApiCall||Application Log|Application Log Content|
---

## Detection description
This query finds the IAM policy simulator.

## References
* https://docs.aws.amazon.com/cli/latest/reference/iam/simulate-principal-policy.html

---
## Detection

**Language:** Kusto

**Platform:** Sentinel

**Query:**
${fence}C#
let timeframe = 2*1h;
AWSCloudTrail
| where EventName startswith "List"
${fence}

## Version History
| Version | Date | Impact | Notes |
|---------|------|--------|------|
| 2.0  | 2025-09-10| major | Rewritten. |
| 1.0  | 2024-02-12| major | Initial version. |
`;

// Shaped like a FalconFriday hunt: key lines instead of tables, platform left to the tables.
const hunt = `# T1021.003 - Remote Services: DCOM
## Hunt Tags
**ID:** T1021.003

**Last Modified:** 23/10/2020

**Author:** [FalconForce](https://falconforce.nl/)

## ATT&CK Tags
**Tactic:** Lateral Movement

## Hunt details
### KQL

**Query:**

${fence}C#
DeviceNetworkEvents
| where LocalPort == 135
| join kind=inner (DeviceProcessEvents | where FileName =~ "dllhost.exe") on DeviceId
${fence}
`;

function read(text: string, path = 'docs/rule.md') {
  const doc = parseContainer('text', text);
  assert.equal(format.detect(doc, { path, text }), true);
  return format.read(doc, { path, text });
}

describe('kql-markdown', () => {
  test('declares Sentinel and Defender XDR platforms, reads text files', () => {
    assert.equal(format.id, 'kql-markdown');
    assert.equal(format.container, 'text');
    assert.equal(format.platform, 'sentinel');
    assert.deepEqual(format.otherPlatforms, ['defender-xdr']);
  });

  test('a Bert-JanP write-up: one rule per block, platform from the heading', () => {
    const rules = read(bertJan, 'bert-janp/Defender For Endpoint/Certutil.md');
    assert.equal(rules.length, 2);
    const [xdr, sentinel] = rules;
    assert.ok(xdr && sentinel);
    assert.equal(xdr.nativeId, 'bert-janp/Defender For Endpoint/Certutil.md#1');
    assert.equal(sentinel.nativeId, 'bert-janp/Defender For Endpoint/Certutil.md#2');
    assert.equal(xdr.name, 'Suspicious Certutil Download — Defender XDR');
    assert.equal(sentinel.name, 'Suspicious Certutil Download — Sentinel');
    assert.equal(xdr.platform, 'defender-xdr');
    // Both read DeviceProcessEvents: the heading decides.
    assert.equal(sentinel.platform, 'sentinel');
    assert.equal(sentinel.extra.platformBasis, 'heading');
    assert.equal(xdr.format, 'kql-markdown');
    assert.equal(xdr.language, 'kql');
    assert.equal(xdr.type, 'hunting');
    assert.equal(xdr.severity, 'unknown');
    assert.equal(xdr.description, 'Certutil downloads a file.\n\nIt is a LOLBin.');
    assert.deepEqual(xdr.attackRaw, { tactics: [], techniques: ['T1105', 'T1059.001'] });
    assert.deepEqual(xdr.references, [
      'https://example.com/risk',
      'https://example.com/a',
      'https://lolbas-project.github.io/lolbas/Binaries/Certutil/',
    ]);
    assert.deepEqual(xdr.authors, ['Jane Doe']);
    assert.deepEqual(xdr.tags, ['bert-janp', 'Defender For Endpoint']);
    assert.equal(xdr.query, 'DeviceProcessEvents\n| where FileName =~ "certutil.exe"');
    // Lines of the file are 1-based: the query starts after the opening fence.
    assert.equal(bertJan.split('\n')[xdr.queryLine! - 1], 'DeviceProcessEvents');
    assert.equal(bertJan.split('\n')[sentinel.queryLine! - 2], '```kql');
    assert.deepEqual(xdr.diagnostics, []);
  });

  test('a FalconFriday detection: C# fence, ATT&CK pairs, data sources, version history', () => {
    // One FalconFriday rule file has no extension: the path does not matter.
    const [rule, ...rest] = read(falconFriday, 'falconfriday/0xFF-0508-Excessive_enumeration-AWS');
    assert.equal(rest.length, 0);
    assert.ok(rule);
    assert.equal(rule.nativeId, 'falconfriday/0xFF-0508-Excessive_enumeration-AWS#1');
    assert.equal(rule.name, 'Excessive enumeration of policy permissions');
    assert.equal(rule.platform, 'sentinel');
    assert.equal(rule.extra.platformBasis, 'platform line');
    assert.deepEqual(rule.attackRaw, {
      tactics: ['TA0007'],
      techniques: ['T1069.003', 'T1580'],
      techniqueTactics: { 'T1069.003': ['TA0007'], T1580: ['TA0007'] },
    });
    assert.deepEqual(rule.dataSources, ['AWS', 'AWSCloudTrail']);
    assert.equal(rule.description, 'This query finds the IAM policy simulator.');
    assert.deepEqual(rule.references, ['https://docs.aws.amazon.com/cli/latest/reference/iam/simulate-principal-policy.html']);
    assert.equal(rule.created, '2024-02-12');
    assert.equal(rule.updated, '2025-09-10');
    assert.equal(rule.version, '2.0');
    assert.ok(rule.query.startsWith('let timeframe = 2*1h;'));
    assert.equal(rule.extra.fence, 'C#');
  });

  test('a FalconFriday hunt: key lines, and the platform from the tables it reads', () => {
    const [rule] = read(hunt, 'falconfriday/hunts/T1021-WIN-002.md');
    assert.ok(rule);
    assert.equal(rule.platform, 'defender-xdr');
    assert.equal(rule.extra.platformBasis, 'tables');
    assert.deepEqual(rule.attackRaw, { tactics: ['Lateral Movement'], techniques: ['T1021.003'] });
    assert.deepEqual(rule.authors, ['FalconForce']);
    assert.equal(rule.updated, '2020-10-23');
  });

  test('platform from tables: Sentinel when any table is not a Defender one, or none is read', () => {
    const doc = (query: string) => `# T\n\n${fence}kql\n${query}\n${fence}\n`;
    assert.equal(read(doc('SigninLogs\n| where ResultType == 0'))[0]!.platform, 'sentinel');
    assert.equal(read(doc('EmailEvents\n| join (SigninLogs) on A'))[0]!.platform, 'sentinel');
    assert.equal(read(doc('union Device*, EmailEvents, CloudAppEvents\n| take 1'))[0]!.platform, 'defender-xdr');
    const noTable = read(doc('let Regex = "[a-f0-9]{32}";\nprint extract(Regex, 0, "x")'))[0]!;
    assert.equal(noTable.platform, 'sentinel');
    assert.equal(noTable.extra.platformBasis, 'default');
    assert.ok(isDefenderTable('DeviceTvmSoftwareVulnerabilities'));
    assert.ok(isDefenderTable('AlertEvidence'));
    assert.ok(isDefenderTable('GraphAPIAuditEvents'));
    assert.ok(!isDefenderTable('SecurityEvent'));
  });

  test('block names: title, heading, numbered when headings repeat or are missing', () => {
    const text = `# Regex list\n\n${fence}kql\nprint A = 1\n${fence}\n\n## IP\n${fence}kql\nprint B = 2\n${fence}\n\n## IP\n${fence}kql\nprint C = 3\n${fence}\n`;
    assert.deepEqual(
      read(text).map((r) => r.name),
      ['Regex list — #1', 'Regex list — IP #2', 'Regex list — IP #3'],
    );
    // Without any heading the file name is the title; the first paragraph is the description.
    const [plain] = read(`Some prose\nover two lines.\n\n| a | b |\n\n${fence}kusto\nT | take 1\n${fence}\n`, 'x/Plain Query.md');
    assert.equal(plain!.name, 'Plain Query');
    assert.equal(plain!.description, 'Some prose\nover two lines.');
  });

  test('which fenced blocks are KQL', () => {
    // Other languages never count; unlabelled blocks count when shaped like a query.
    const text = `# Mixed

${fence}powershell
Get-Process | Where-Object { $_.Name -eq "x" }
${fence}

${fence}
HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run
${fence}

${fence}
DeviceNetworkEvents
| where RemotePort == 443
${fence}

~~~Kusto
AuditLogs | take 10
~~~
`;
    const rules = read(text);
    assert.deepEqual(
      rules.map((r) => r.query),
      ['DeviceNetworkEvents\n| where RemotePort == 443', 'AuditLogs | take 10'],
    );
    assert.ok(looksLikeKql('// comment\nlet x = 1;\nT\n| where a == x'));
    assert.ok(!looksLikeKql('public class A {\n  int x;\n}'));
    assert.ok(!looksLikeKql('{"kind": "Scheduled"}'));
  });

  test('a fence that runs the language into the table name is recovered, with a warning', () => {
    const text = `# Sign-ins by browser\n\n${fence}KQLAADSignInEventsBeta\n| where isnotempty(UserAgent)\n${fence}\n`;
    const [rule] = read(text);
    assert.ok(rule);
    assert.equal(rule.query, 'AADSignInEventsBeta\n| where isnotempty(UserAgent)');
    assert.equal(rule.queryLine, 3);
    assert.equal(rule.platform, 'defender-xdr');
    assert.equal(rule.diagnostics.length, 1);
    assert.equal(rule.diagnostics[0]!.severity, 'warning');
    assert.match(rule.diagnostics[0]!.message, /read as KQL with `AADSignInEventsBeta` as the query's first line/);
  });

  test('a block starting with `|` is a fragment to add to a query, noted but not a rule', () => {
    const text = `# USB devices\n\nYou can filter by adding:\n${fence}KQL\n| where DeviceDescription has "ios"\n${fence}\n\n## Defender XDR\n${fence}KQL\nDeviceEvents\n| where ActionType == "PnpDeviceConnected"\n${fence}\n`;
    const rules = read(text);
    assert.equal(rules.length, 1);
    assert.equal(rules[0]!.query, 'DeviceEvents\n| where ActionType == "PnpDeviceConnected"');
    assert.equal(rules[0]!.nativeId, 'docs/rule.md#1');
    const note = rules[0]!.diagnostics.find((d) => /fragment/.test(d.message));
    assert.equal(note?.severity, 'warning');
    assert.equal(note?.line, 4);
    const declarations = `# Regexes\n\n${fence}KQL\nlet IPRegex = '[0-9]{1,3}';\n${fence}\n\n${fence}KQL\n// MD5\nlet MD5Regex = '[a-f0-9]{32}'; Between quotes.\n${fence}\n`;
    assert.equal(format.detect(parseContainer('text', declarations), { path: 'regex.md', text: declarations }), false);
    const onlyFragment = `# Tip\n\n${fence}kql\n| where x == 1\n${fence}\n`;
    assert.throws(() => format.read(parseContainer('text', onlyFragment), { path: 'tip.md', text: onlyFragment }), /only KQL fragments/);
  });

  test('files without a KQL block are not detected', () => {
    for (const text of [
      '# Readme\n\nNo code here.\n',
      `# Script\n\n${fence}powershell\nGet-Process\n${fence}\n`,
      'This detection has been replaced by [x](x.md)',
    ]) {
      assert.equal(format.detect(parseContainer('text', text), { path: 'r.md', text }), false, text);
    }
    assert.equal(format.detect({ not: 'text' }, { path: 'r.md', text: '' }), false);
  });
});
