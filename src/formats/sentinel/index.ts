import type { OutputField, RawRule } from '../../model/types.js';
import { type Doc, docList, isDoc, str, strList, sub, unique } from '../fields.js';
import { lineAt, yamlValueRange } from '../query-range.js';
import { cleanDescription, normaliseSeverity } from '../normalise.js';
import type { RuleFormat, SourceFile } from '../types.js';

/** Platform id (platforms/registry.ts). */
const platform = 'sentinel';

/** Keys that only Sentinel analytic rules and hunting queries carry. */
const sentinelKeys = [
  'requiredDataConnectors',
  'queryFrequency',
  'queryPeriod',
  'relevantTechniques',
  'entityMappings',
  'triggerOperator',
  'tactics',
];

const keptVerbatim = [
  'kind',
  'requiredDataConnectors',
  'queryFrequency',
  'queryPeriod',
  'triggerOperator',
  'triggerThreshold',
  'entityMappings',
  'customDetails',
  'alertDetailsOverride',
  'eventGroupingSettings',
  'incidentConfiguration',
  'suppressionEnabled',
  'suppressionDuration',
  'metadata',
  'version',
];

function detect(doc: unknown): boolean {
  if (!isDoc(doc)) return false;
  if (typeof doc.id !== 'string' || typeof doc.name !== 'string') return false;
  // Sigma and Splunk YAML also have id/name; they never carry these keys.
  if ('logsource' in doc || 'detection' in doc || 'search' in doc) return false;
  return sentinelKeys.some((k) => k in doc) || (typeof doc.query === 'string' && 'description' in doc);
}

function ruleType(doc: Doc, path: string): string {
  const kind = str(doc, 'kind');
  if (kind) return kind.toLowerCase();
  if (/hunting/i.test(path) || !('queryFrequency' in doc)) return 'hunting';
  return 'scheduled';
}

function dataSources(doc: Doc): string[] {
  const out: string[] = [];
  for (const connector of docList(doc, 'requiredDataConnectors')) {
    const id = str(connector, 'connectorId');
    if (id) out.push(id);
    out.push(...strList(connector, 'dataTypes'));
  }
  return unique(out);
}

/** Columns that entityMappings and customDetails surface as alert fields. */
function declaredOutputs(doc: Doc): OutputField[] {
  const out: OutputField[] = [];
  for (const mapping of docList(doc, 'entityMappings')) {
    for (const field of docList(mapping, 'fieldMappings')) {
      const column = str(field, 'columnName');
      if (column) out.push({ field: column, source: 'entityMappings' });
    }
  }
  const custom = sub(doc, 'customDetails');
  for (const value of Object.values(custom ?? {})) {
    if (typeof value === 'string') out.push({ field: value, source: 'customDetails' });
  }
  return out;
}

function tags(doc: Doc): string[] {
  const raw = doc.tags;
  if (!Array.isArray(raw)) return [];
  const out: string[] = [];
  for (const t of raw) {
    if (typeof t === 'string') out.push(t);
    else if (isDoc(t)) {
      for (const [k, v] of Object.entries(t)) out.push(typeof v === 'string' ? `${k}: ${v}` : k);
    }
  }
  return out;
}

function authors(doc: Doc): string[] {
  const meta = sub(doc, 'metadata');
  const name = str(sub(meta, 'author'), 'name') ?? str(doc, 'author');
  return name ? [name] : [];
}

function read(doc: unknown, file: SourceFile): RawRule[] {
  if (!isDoc(doc)) throw new Error('not a YAML mapping');
  const query = str(doc, 'query') ?? '';
  const extra: Record<string, unknown> = {};
  for (const key of keptVerbatim) if (key in doc) extra[key] = doc[key];
  const queryRange = yamlValueRange(file.text, 'query');
  const trigger =
    'triggerOperator' in doc ? `${str(doc, 'triggerOperator') ?? ''} ${str(doc, 'triggerThreshold') ?? ''}`.trim() : undefined;
  const rule: RawRule = {
    nativeId: str(doc, 'id') ?? file.path,
    platform,
    format: 'sentinel',
    language: 'kql',
    name: str(doc, 'name') ?? file.path,
    description: cleanDescription(str(doc, 'description')),
    severity: normaliseSeverity(str(doc, 'severity')),
    type: ruleType(doc, file.path),
    status: (str(doc, 'status') ?? '').toLowerCase(),
    authors: authors(doc),
    version: str(doc, 'version'),
    references: [],
    tags: tags(doc),
    dataSources: dataSources(doc),
    schedule: { interval: str(doc, 'queryFrequency'), lookback: str(doc, 'queryPeriod'), trigger },
    attackRaw: {
      tactics: strList(doc, 'tactics'),
      techniques: unique([...strList(doc, 'relevantTechniques'), ...strList(doc, 'subTechniques')]),
    },
    query,
    queryLine: queryRange && lineAt(file.text, queryRange.start),
    queryRange,
    declaredOutputs: declaredOutputs(doc),
    declaredSources: [],
    extra,
    diagnostics: [],
  };
  if (!query.trim()) {
    rule.language = 'none';
    rule.diagnostics.push({ message: 'the rule has no query', severity: 'warning', scope: 'metadata' });
  }
  return [rule];
}

export const sentinelFormat: RuleFormat = { id: 'sentinel', platform, container: 'yaml', languages: ['kql'], detect, read };
