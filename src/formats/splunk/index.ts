// Splunk Security Content (ESCU) detections: one YAML file per detection, with the SPL in
// `search`. Conventions:
//
// - Detected by content: a YAML mapping with string `name` and `search`, and one of the keys only
//   ESCU detections carry (`how_to_implement`, `known_false_positives`, a `tags` mapping).
//   Analytic stories (`stories/*.yml`: `narrative`, no `search`) are not rules and are not
//   detected, so the build lists them as skipped.
// - type: `type` in lower case (`ttp`, `anomaly`, `hunting`, `correlation`, `baseline` ...).
// - status: `status` in lower case; a file under a `deprecated/` folder is `deprecated`.
// - authors: `author` split at commas ("Michael Haag, Splunk" → ["Michael Haag", "Splunk"]).
// - created: `date`; updated: `modified` (or `updated`) when present.
// - severity: Splunk's own banding of the risk score (contentctl): 0-20 informational,
//   21-40 low, 41-60 medium, 61-80 high, 81-100 critical. The score is `tags.risk_score`, else
//   round(confidence * impact / 100) from `tags`, else the highest `rba.risk_objects[].score`;
//   none of them: `unknown`. The score used is kept as `extra.risk_score`.
// - ATT&CK: `tags.mitre_attack_id` as techniques; no tactics (the ATT&CK catalog places them).
// - tags: `Analytic Story: <name>` per story, `Asset Type: <x>`, `Security Domain: <x>`, and
//   the CVE ids of `tags.cve`.
// - dataSources: `data_source` (and `data_sources`).
// - declared outputs: `tags.observable[].name` (source `observable`) and the fields of
//   `rba.risk_objects` / `rba.threat_objects` (source `rba`).
// - `how_to_implement` is the rule's `setup` (the rule page shows it); extra: every other top-level key
//   and every other `tags` key verbatim (`known_false_positives`, `drilldown_searches`, `rba`,
//   `tests`, `message`, `observable`, `product`, `required_fields`, `analytic_story` ...).

import type { OutputField, RawRule } from '../../model/types.js';
import { type Doc, docList, isDoc, str, strList, sub, unique } from '../fields.js';
import { lineAt, yamlValueRange } from '../query-range.js';
import { normaliseDate } from '../normalise.js';
import type { RuleFormat, SourceFile } from '../types.js';

/** Platform id (platforms/registry.ts). */
const platform = 'splunk';

/** Top-level keys mapped to RawRule fields; every other key goes to `extra`. */
const mapped = new Set([
  'name',
  'id',
  'version',
  'date',
  'modified',
  'updated',
  'author',
  'type',
  'status',
  'description',
  'data_source',
  'data_sources',
  'search',
  'how_to_implement',
  'references',
  'tags',
]);

/** `tags` keys mapped to RawRule fields; the others go to `extra` under their own names. */
const mappedTags = new Set(['mitre_attack_id', 'risk_score', 'cve', 'CVE']);

function detect(doc: unknown): boolean {
  if (!isDoc(doc)) return false;
  if (typeof doc.search !== 'string' || typeof doc.name !== 'string') return false;
  return 'how_to_implement' in doc || 'known_false_positives' in doc || isDoc(doc.tags);
}

function num(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

/** The detection's risk score: declared, from confidence and impact, or the top RBA score. */
export function riskScore(doc: Doc): number | undefined {
  const tags = sub(doc, 'tags');
  const declared = num(tags?.risk_score);
  if (declared !== undefined) return declared;
  const confidence = num(tags?.confidence);
  const impact = num(tags?.impact);
  if (confidence !== undefined && impact !== undefined) return Math.round((confidence * impact) / 100);
  const scores = docList(sub(doc, 'rba'), 'risk_objects')
    .map((o) => num(o.score))
    .filter((s): s is number => s !== undefined);
  return scores.length > 0 ? Math.max(...scores) : undefined;
}

/** Splunk's banding of a 0-100 risk score (contentctl `DetectionTags.severity`). */
export function severityOf(score: number | undefined): string {
  if (score === undefined) return 'unknown';
  if (score <= 20) return 'informational';
  if (score <= 40) return 'low';
  if (score <= 60) return 'medium';
  if (score <= 80) return 'high';
  return 'critical';
}

function tagList(tags: Doc | undefined): string[] {
  const out: string[] = [];
  for (const story of strList(tags, 'analytic_story')) out.push(`Analytic Story: ${story}`);
  for (const asset of strList(tags, 'asset_type')) out.push(`Asset Type: ${asset}`);
  for (const domain of strList(tags, 'security_domain')) out.push(`Security Domain: ${domain}`);
  out.push(...strList(tags, 'cve'), ...strList(tags, 'CVE'));
  return unique(out);
}

function declaredOutputs(doc: Doc, tags: Doc | undefined): OutputField[] {
  const out: OutputField[] = [];
  const seen = new Set<string>();
  const add = (field: string | undefined, source: string) => {
    if (!field || seen.has(`${source}\u0000${field}`)) return;
    seen.add(`${source}\u0000${field}`);
    out.push({ field, source });
  };
  for (const o of docList(tags, 'observable')) add(str(o, 'name'), 'observable');
  const rba = sub(doc, 'rba');
  for (const o of [...docList(rba, 'risk_objects'), ...docList(rba, 'threat_objects')]) add(str(o, 'field'), 'rba');
  return out;
}

function isDeprecatedPath(path: string): boolean {
  return path.split('/').some((segment) => segment.toLowerCase() === 'deprecated');
}

function read(doc: unknown, file: SourceFile): RawRule[] {
  if (!isDoc(doc)) throw new Error('not a YAML mapping');
  const tags = sub(doc, 'tags');
  const score = riskScore(doc);

  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(doc)) if (!mapped.has(key)) extra[key] = value;
  for (const [key, value] of Object.entries(tags ?? {})) if (!mappedTags.has(key) && !(key in extra)) extra[key] = value;
  if (score !== undefined) extra.risk_score = score;

  const query = str(doc, 'search') ?? '';
  const queryRange = yamlValueRange(file.text, 'search');
  const rule: RawRule = {
    nativeId: str(doc, 'id') ?? file.path,
    platform,
    format: 'splunk',
    language: 'spl',
    name: str(doc, 'name') ?? file.path,
    description: (str(doc, 'description') ?? '').trim(),
    severity: severityOf(score),
    type: (str(doc, 'type') ?? '').toLowerCase(),
    status: isDeprecatedPath(file.path) ? 'deprecated' : (str(doc, 'status') ?? '').toLowerCase(),
    authors: (str(doc, 'author') ?? '')
      .split(',')
      .map((a) => a.trim())
      .filter((a) => a !== ''),
    created: normaliseDate(str(doc, 'date')),
    updated: normaliseDate(str(doc, 'modified') ?? str(doc, 'updated')),
    version: str(doc, 'version'),
    references: strList(doc, 'references'),
    tags: tagList(tags),
    dataSources: unique([...strList(doc, 'data_source'), ...strList(doc, 'data_sources')]),
    attackRaw: { tactics: [], techniques: unique(strList(tags, 'mitre_attack_id').map((t) => t.trim().toUpperCase())) },
    query,
    queryLine: queryRange && lineAt(file.text, queryRange.start),
    queryRange,
    declaredOutputs: declaredOutputs(doc, tags),
    declaredSources: [],
    extra,
    diagnostics: [],
    setup: str(doc, 'how_to_implement'),
  };
  if (!query.trim()) {
    rule.language = 'none';
    rule.diagnostics.push({ message: 'the detection has no search', severity: 'warning', scope: 'metadata' });
  }
  return [rule];
}

export const splunkFormat: RuleFormat = { id: 'splunk', platform, container: 'yaml', languages: ['spl'], detect, read };
