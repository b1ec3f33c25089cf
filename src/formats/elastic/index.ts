import type { OutputField, RawRule } from '../../model/types.js';
import { type Doc, docList, isDoc, str, strList, sub, unique } from '../fields.js';
import { lineAt, tomlStringRange } from '../query-range.js';
import { normaliseDate, normaliseSeverity } from '../normalise.js';
import type { RuleFormat, SourceFile } from '../types.js';

/** Platform id (platforms/registry.ts). */
const platform = 'elastic';

/** Fields of `[rule]` kept verbatim for the rule page and later analyses. */
const keptVerbatim = [
  'risk_score',
  'from',
  'interval',
  'index',
  'timestamp_override',
  'note',
  'setup',
  'threshold',
  'new_terms',
  'machine_learning_job_id',
  'anomaly_threshold',
  'threat_index',
  'threat_query',
  'threat_mapping',
  'threat_indicator_path',
  'max_signals',
  'building_block_type',
  'exceptions_list',
  'investigation_fields',
  'required_fields',
  'related_integrations',
  'false_positives',
  'license',
  'risk_score_mapping',
  'severity_mapping',
  'rule_name_override',
  'filters',
  'alert_suppression',
];

function detect(doc: unknown): boolean {
  if (!isDoc(doc)) return false;
  const rule = sub(doc, 'rule');
  return rule !== undefined && (typeof rule.rule_id === 'string' || typeof rule.name === 'string');
}

/** ATT&CK as `[[rule.threat]]` writes it: each entry ties techniques to one tactic. */
function attack(rule: Doc): RawRule['attackRaw'] {
  const tactics: string[] = [];
  const techniques: string[] = [];
  const techniqueTactics: Record<string, string[]> = {};
  for (const threat of docList(rule, 'threat')) {
    const tacticId = str(sub(threat, 'tactic'), 'id') ?? str(sub(threat, 'tactic'), 'name');
    if (tacticId) tactics.push(tacticId);
    for (const technique of docList(threat, 'technique')) {
      const ids = [str(technique, 'id'), ...docList(technique, 'subtechnique').map((s) => str(s, 'id'))];
      for (const id of ids) {
        if (!id) continue;
        techniques.push(id);
        if (tacticId) (techniqueTactics[id] ??= []).push(tacticId);
      }
    }
  }
  return { tactics: unique(tactics), techniques: unique(techniques), techniqueTactics };
}

function language(rule: Doc): string {
  const declared = str(rule, 'language');
  if (declared) return declared.toLowerCase();
  // Query-type rules without a declared language are kuery by Kibana's default.
  return str(rule, 'query') ? 'kuery' : 'none';
}

/** Integrations, `Data Source:` tags and index patterns: where the rule's data comes from. */
function dataSources(doc: Doc, rule: Doc): string[] {
  const fromTags = strList(rule, 'tags')
    .filter((t) => t.startsWith('Data Source: '))
    .map((t) => t.slice('Data Source: '.length));
  return unique([...fromTags, ...strList(rule, 'index')]);
}

/**
 * Type-specific settings under normalised keys (the tables stay verbatim in `extra` too):
 * threshold `thresholdFields`, `thresholdValue`, `thresholdCardinality` ([{ field, value }]);
 * new_terms `newTermsFields`, `historyWindowStart`; machine_learning `mlJobIds`,
 * `anomalyThreshold`. Threshold and new-terms fields are also output fields (source `threshold`
 * / `new_terms`: the alert carries them), and ML job ids are data sources as `ml:<job id>`.
 */
function typeSpecific(rule: Doc): { extra: Record<string, unknown>; outputs: OutputField[]; dataSources: string[] } {
  const extra: Record<string, unknown> = {};
  const outputs: OutputField[] = [];
  const numberOrText = (doc: Doc | undefined, key: string) => (typeof doc?.[key] === 'number' ? doc[key] : str(doc, key));
  const threshold = sub(rule, 'threshold');
  if (threshold) {
    extra.thresholdFields = strList(threshold, 'field');
    const value = numberOrText(threshold, 'value');
    if (value !== undefined) extra.thresholdValue = value;
    const cardinality = docList(threshold, 'cardinality').map((c) => ({ field: str(c, 'field'), value: numberOrText(c, 'value') }));
    if (cardinality.length > 0) extra.thresholdCardinality = cardinality;
    for (const field of strList(threshold, 'field')) outputs.push({ field, source: 'threshold' });
  }
  const newTerms = sub(rule, 'new_terms');
  if (newTerms) {
    extra.newTermsFields = strList(newTerms, 'value');
    const start = docList(newTerms, 'history_window_start').map((h) => str(h, 'value'))[0];
    if (start) extra.historyWindowStart = start;
    for (const field of strList(newTerms, 'value')) outputs.push({ field, source: 'new_terms' });
  }
  const jobs = strList(rule, 'machine_learning_job_id');
  if (jobs.length > 0) extra.mlJobIds = jobs;
  const anomaly = numberOrText(rule, 'anomaly_threshold');
  if (anomaly !== undefined) extra.anomalyThreshold = anomaly;
  return { extra, outputs, dataSources: jobs.map((id) => `ml:${id}`) };
}

function read(doc: unknown, file: SourceFile): RawRule[] {
  if (!isDoc(doc)) throw new Error('not a TOML table');
  const rule = sub(doc, 'rule');
  const meta = sub(doc, 'metadata');
  if (!rule) throw new Error('no [rule] table');
  const extra: Record<string, unknown> = {};
  for (const key of keptVerbatim) if (key in rule) extra[key] = rule[key];
  if (meta) extra.metadata = meta;
  const specific = typeSpecific(rule);
  Object.assign(extra, specific.extra);
  const query = str(rule, 'query') ?? '';
  const queryRange = tomlStringRange(file.text, 'rule', 'query');
  const lang = language(rule);
  const raw: RawRule = {
    nativeId: str(rule, 'rule_id') ?? file.path,
    platform,
    format: 'elastic',
    language: lang,
    name: str(rule, 'name') ?? file.path,
    description: (str(rule, 'description') ?? '').trim(),
    severity: normaliseSeverity(str(rule, 'severity')),
    type: str(rule, 'type') ?? 'query',
    status: str(meta, 'maturity') ?? '',
    authors: strList(rule, 'author'),
    created: normaliseDate(str(meta, 'creation_date')),
    updated: normaliseDate(str(meta, 'updated_date')),
    version: str(rule, 'version'),
    references: strList(rule, 'references'),
    tags: strList(rule, 'tags'),
    dataSources: unique([...dataSources(doc, rule), ...specific.dataSources]),
    schedule: { interval: str(rule, 'interval'), lookback: str(rule, 'from') },
    attackRaw: attack(rule),
    query,
    queryLine: queryRange && lineAt(file.text, queryRange.start),
    queryRange,
    declaredOutputs: specific.outputs,
    declaredSources: strList(rule, 'index'),
    extra,
    diagnostics: [],
    guide: str(rule, 'note'),
    setup: str(rule, 'setup'),
  };
  if (lang === 'none' && raw.type !== 'machine_learning') {
    raw.diagnostics.push({ message: 'the rule has no query', severity: 'warning', scope: 'metadata' });
  }
  return [raw];
}

export const elasticFormat: RuleFormat = {
  id: 'elastic',
  platform,
  container: 'toml',
  languages: ['kuery', 'eql', 'esql', 'lucene'],
  detect,
  read,
};
