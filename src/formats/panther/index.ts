// Panther detections (panther-analysis layout): one YAML file per rule, policy, scheduled or
// saved query, or correlation rule, detected by `AnalysisType`.
//
// - rule / scheduled_rule / policy: the query is the Python file the YAML names in `Filename`
//   (read beside it, language `python`), or the `Detection:` block of a simple detection
//   (language `panther-detection`). When the Python file cannot be read, the rule keeps its
//   metadata with language `none`, an empty query and a warning "Python file X not found beside
//   the YAML": the report then counts it as a rule without a query, not as a Python parse failure.
// - scheduled_query / saved_query: `Query` (Snowflake SQL) with language `sql`.
// - correlation_rule: the `Detection:` block (Sequence / Group of rule ids), `panther-detection`.
// - datamodel, global, lookup_table, pack ... are not detections: not detected, so skipped.
// LogTypes become data sources and `logtype:<LogType>` sources (what provider selectors match);
// policies' ResourceTypes become `resourcetype:<Type>`. For Python that calls `event.udm(...)`,
// the rule carries its LogTypes' data-model table (`dataModel`, udm.ts), which reaches the
// analyser in the rule's AnalysisContext: one .py shared by rules of other LogTypes reads each
// rule's own table. The helper modules the .py imports from the source's `global_helpers/`
// (helpers.ts) reach it the same way (`pythonModules`), read as related files.
import type { StoredTest } from '../../evaluate/stored-tests.js';
import type { OutputField, RawRule } from '../../model/types.js';
import { type Doc, docList, isDoc, lineOf, str, strList, sub, unique } from '../fields.js';
import { lineAt, lineStarts, yamlValueRange } from '../query-range.js';
import { cleanDescription, normaliseSeverity } from '../normalise.js';
import type { RuleFormat, SourceFile } from '../types.js';
import { helperModules } from './helpers.js';
import { testEvent } from '../../languages/python/runtime/panther-tests.js';
import { withMockedStages } from './mocked-tests.js';
import { pythonRuns } from './python-run.js';
import { udmContext } from './udm.js';

/** Platform id (platforms/registry.ts). */
const platform = 'panther';

const detectionTypes = new Set(['rule', 'scheduled_rule', 'policy', 'scheduled_query', 'saved_query', 'correlation_rule']);

/** Keys kept verbatim in `extra` (tests are kept in a compact form, see `tests`). */
const keptVerbatim = [
  'Enabled',
  'Filename',
  'Runbook',
  'DedupPeriodMinutes',
  'Threshold',
  'CreateAlert',
  'OutputIds',
  'Suppressions',
  'ScheduledQueries',
  'InlineFilters',
  'GroupBy',
  'AlertTitle',
  'AlertContext',
  'DynamicSeverities',
  'SummaryAttributes',
  'Reports',
  'Schedule',
  'Lookback',
  'LookbackWindowSeconds',
  'ResourceTypes',
  'OnlyUseBaseRiskScore',
];

function detect(doc: unknown): boolean {
  if (!isDoc(doc)) return false;
  const type = str(doc, 'AnalysisType');
  return type !== undefined && detectionTypes.has(type.trim().toLowerCase());
}

function bool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const t = v.trim().toLowerCase();
    if (t === 'true') return true;
    if (t === 'false') return false;
  }
  return undefined;
}

/** `MITRE ATT&CK: ["TA0006:T1556.004", "TA0001"]` → tactics, techniques and their pairing. */
function attack(doc: Doc): RawRule['attackRaw'] {
  const reports = sub(doc, 'Reports');
  const entries = reports ? Object.entries(reports).filter(([k]) => k.toLowerCase().replace(/\s+/g, '').startsWith('mitre')) : [];
  const tactics: string[] = [];
  const techniques: string[] = [];
  const techniqueTactics: Record<string, string[]> = {};
  for (const [, list] of entries) {
    for (const entry of Array.isArray(list) ? list : [list]) {
      if (typeof entry !== 'string') continue;
      const parts = entry.split(':').map((p) => p.trim().toUpperCase());
      const tactic = parts.find((p) => /^TA\d{4}$/.test(p));
      const technique = parts.find((p) => /^T\d{4}(\.\d{3})?$/.test(p));
      if (tactic) tactics.push(tactic);
      if (technique) {
        techniques.push(technique);
        if (tactic) {
          const paired = (techniqueTactics[technique] ??= []);
          if (!paired.includes(tactic)) paired.push(tactic);
        }
      }
    }
  }
  return { tactics: unique(tactics), techniques: unique(techniques), techniqueTactics };
}

/** The YAML block of a top-level key as the file writes it, its 1-based first line and its offset. */
function blockOf(text: string, key: string): { text: string; line: number; start: number } | undefined {
  const line = lineOf(text, `${key}:`);
  if (line === undefined) return undefined;
  const lines = text.split('\n');
  let end = line;
  while (end < lines.length) {
    const l = lines[end]!;
    const first = l[0];
    if (first !== undefined && first !== ' ' && first !== '\t' && first !== '#' && first !== '-' && first !== '\r' && l.trim() !== '')
      break;
    end++;
  }
  return {
    text: lines
      .slice(line - 1, end)
      .join('\n')
      .trimEnd(),
    line,
    start: lineStarts(text)[line - 1]!,
  };
}

function references(doc: Doc): string[] {
  const out: string[] = [];
  for (const key of ['Reference', 'References']) {
    for (const r of strList(doc, key)) {
      const parts = r.trim().split(/\s+/);
      // A field holding several URLs separated by spaces or new lines gives one each.
      if (parts.length > 1 && parts.every((p) => p.startsWith('http'))) out.push(...parts);
      else if (r.trim()) out.push(r.trim());
    }
  }
  return unique(out);
}

function tests(doc: Doc): unknown[] {
  return docList(doc, 'Tests').map((t) => {
    const out: Record<string, unknown> = { name: str(t, 'Name') ?? '', expectedResult: bool(t.ExpectedResult) ?? t.ExpectedResult };
    if ('Log' in t) out.log = t.Log;
    else if ('Resource' in t) out.resource = t.Resource;
    else if ('RuleOutputs' in t) out.ruleOutputs = t.RuleOutputs;
    return out;
  });
}

function declaredOutputs(doc: Doc): OutputField[] {
  const out: OutputField[] = [];
  for (const ctx of docList(doc, 'AlertContext')) {
    const name = str(ctx, 'KeyName');
    if (name) out.push({ field: name, source: 'alert_context' });
  }
  for (const f of strList(doc, 'SummaryAttributes')) out.push({ field: f, source: 'summary' });
  return out;
}

function schedule(doc: Doc, type: string): RawRule['schedule'] {
  const minutes = (v: unknown) => (v === undefined || v === null ? undefined : `${String(v)}m`);
  if (type === 'scheduled_query' || type === 'saved_query') {
    const s = sub(doc, 'Schedule');
    const cron = str(s, 'CronExpression');
    const interval = cron ? `cron ${cron}` : minutes(s?.RateMinutes);
    const seconds = doc.LookbackWindowSeconds;
    const lookback = seconds !== undefined ? `${String(seconds)}s` : str(doc, 'Lookback');
    return interval || lookback ? { interval, lookback } : undefined;
  }
  if (type === 'correlation_rule') {
    const first = docList(doc, 'Detection')[0];
    const s = sub(first, 'Schedule');
    const cron = str(s, 'CronExpression');
    return { interval: cron ? `cron ${cron}` : minutes(s?.RateMinutes), lookback: minutes(first?.LookbackWindowMinutes) };
  }
  const threshold = doc.Threshold;
  const dedup = doc.DedupPeriodMinutes;
  if (threshold === undefined && dedup === undefined) return undefined;
  // A streaming rule runs on every event: DedupPeriodMinutes groups its alerts, it is no window of logs.
  return { dedup: minutes(dedup), trigger: threshold !== undefined ? `>= ${String(threshold)}` : undefined };
}

function read(doc: unknown, file: SourceFile): RawRule[] {
  if (!isDoc(doc)) throw new Error('not a YAML mapping');
  const type = (str(doc, 'AnalysisType') ?? '').trim().toLowerCase();
  const logTypes = strList(doc, 'LogTypes');
  const resourceTypes = strList(doc, 'ResourceTypes');
  const extra: Record<string, unknown> = {};
  for (const key of keptVerbatim) if (key in doc) extra[key[0]!.toLowerCase() + key.slice(1)] = doc[key];
  if (Array.isArray(doc.Tests)) extra.tests = tests(doc);
  const enabled = bool(doc.Enabled);
  const status = str(doc, 'Status')?.trim().toLowerCase() ?? (enabled === false ? 'disabled' : enabled === true ? 'enabled' : '');
  const isQuery = type === 'scheduled_query' || type === 'saved_query';
  const rule: RawRule = {
    nativeId: str(doc, 'RuleID') ?? str(doc, 'PolicyID') ?? str(doc, 'QueryName') ?? file.path,
    platform,
    format: 'panther',
    language: 'none',
    name: str(doc, 'DisplayName') ?? str(doc, 'QueryName') ?? str(doc, 'RuleID') ?? str(doc, 'PolicyID') ?? file.path,
    description: cleanDescription(str(doc, 'Description')),
    severity: normaliseSeverity(str(doc, 'Severity')),
    type,
    status,
    authors: unique([...strList(doc, 'CreatedBy'), ...strList(doc, 'Owner'), ...strList(doc, 'Owners'), ...strList(doc, 'Author')]),
    references: references(doc),
    tags: strList(doc, 'Tags'),
    dataSources: unique([...logTypes, ...resourceTypes]),
    schedule: schedule(doc, type),
    attackRaw: attack(doc),
    query: '',
    declaredOutputs: declaredOutputs(doc),
    declaredSources: unique([...logTypes.map((t) => `logtype:${t}`), ...resourceTypes.map((t) => `resourcetype:${t}`)]),
    extra,
    diagnostics: [],
    guide: str(doc, 'Runbook'),
  };

  if (isQuery) {
    const key = ['Query', 'SnowflakeQuery', 'AthenaQuery'].find((k) => str(doc, k));
    if (key) {
      rule.language = 'sql';
      rule.query = str(doc, key)!;
      rule.queryRange = yamlValueRange(file.text, key);
      rule.queryLine = rule.queryRange && lineAt(file.text, rule.queryRange.start);
    }
  } else if (type === 'correlation_rule' || ('Detection' in doc && !str(doc, 'Filename'))) {
    const block = blockOf(file.text, 'Detection');
    if (block) {
      rule.language = 'panther-detection';
      rule.query = block.text;
      rule.queryLine = block.line;
      rule.queryRange = { start: block.start, end: block.start + block.text.length };
    }
  } else {
    const filename = str(doc, 'Filename');
    if (filename) {
      const source = file.readRelated?.(filename);
      if (source === undefined) {
        const why = file.whyUnread?.(filename);
        const message = why ? `Python file ${filename} not read: ${why}` : `Python file ${filename} not found beside the YAML`;
        rule.diagnostics.push({ message, severity: 'warning', scope: 'metadata' });
        return [rule];
      }
      rule.language = 'python';
      rule.query = source;
      // The query is another file: its diagnostics keep Python lines, no YAML line.
      const model = source.includes('.udm(') ? udmContext(logTypes, file) : undefined;
      if (model) rule.dataModel = model.table;
      const modules = { ...model?.modules, ...helperModules(source, file) };
      if (Object.keys(modules).length > 0) rule.pythonModules = modules;
    }
  }
  if (rule.language === 'none') rule.diagnostics.push({ message: 'the rule has no query', severity: 'warning', scope: 'metadata' });
  return [rule];
}

/**
 * A rule's `Tests:` as stored tests (test.ts runs them): one log or resource each, its mocks kept
 * for a runner of the rule's code, and for a Python rule what that runner needs (python-run.ts).
 */
function readTests(doc: unknown, file: SourceFile): StoredTest[] {
  if (!isDoc(doc) || !Array.isArray(doc.Tests)) return [];
  const ruleId = str(doc, 'RuleID') ?? str(doc, 'PolicyID') ?? str(doc, 'QueryName') ?? file.path;
  const runs = pythonRuns(doc, file);
  const tests = docList(doc, 'Tests').map((t, i): StoredTest => {
    const expected = bool(t.ExpectedResult);
    const event = 'Log' in t ? testEvent(t.Log) : 'Resource' in t ? testEvent(t.Resource) : undefined;
    const logType = isDoc(event) && typeof event.p_log_type === 'string' ? event.p_log_type : undefined;
    const problem =
      expected === undefined
        ? 'ExpectedResult is not true or false'
        : event === undefined && !('RuleOutputs' in t)
          ? 'the test has no Log, Resource or RuleOutputs'
          : undefined;
    return {
      platform,
      ruleId,
      name: str(t, 'Name') ?? `test ${i + 1}`,
      kind: 'panther',
      expected: expected ?? false,
      events: event === undefined ? [] : [event],
      ...('RuleOutputs' in t && event === undefined ? { ruleOutputs: t.RuleOutputs } : {}),
      ...(t.Mocks !== undefined ? { mocks: t.Mocks } : {}),
      ...(problem ? { problem } : {}),
      ...(runs ? { python: runs.run(logType) } : {}),
    };
  });
  // One object for the file's tests: the write stores each text once.
  if (runs) for (const t of tests) t.codeTexts = runs.texts;
  return tests;
}

export const pantherFormat: RuleFormat = {
  id: 'panther',
  platform,
  container: 'yaml',
  languages: ['python', 'sql', 'panther-detection'],
  detect,
  read,
  readTests,
  analyseTests: withMockedStages,
};
