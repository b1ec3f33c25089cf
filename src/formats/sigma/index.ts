// Sigma rules (https://sigmahq.io): detection rules, correlation rules and filters, one YAML
// document per file.
//
// Conventions:
//   - detect: a mapping with a `detection` mapping (and a `logsource` or a `condition`), a
//     `correlation` mapping with `rules` or `type`, or a `filter` mapping with `rules` next to a
//     `logsource` (Sigma filters).
//   - type: `detection`, `correlation` or `filter`; language `sigma` for all three.
//   - query: the exact text of the `detection:` (`correlation:`, `filter:`) section of the file,
//     key line included; queryLine is that key's line. When the section cannot be sliced (flow
//     style, say) it is dumped back to YAML.
//   - logsource → dataSources: one `product/category/service` path of the parts present
//     (`windows/process_creation`, `windows/security`, `aws/cloudtrail`, `webserver`,
//     `kubernetes/application/audit`); declaredSources (the rule's sources, which provider
//     selectors match): that path plus `product:windows`, `category:process_creation`,
//     `service:security` for each part present.
//   - tags: `attack.t1059.001` → technique T1059.001; `attack.<word>` → tactic as written
//     (`credential-access`, `credential_access`); every other tag (`attack.s0002`, `attack.g0069`,
//     `cve.*`, `car.*`, `detection.*` ...) stays in tags.
//   - author: split on `,`, `;`, ` and `, ` & ` outside parentheses.
//   - date / modified → created / updated (YYYY-MM-DD); level → severity; `fields` → outputs
//     (source `fields`); falsepositives, related, logsource, ... → extra.
import yaml from 'js-yaml';
import { loadYaml } from '../yaml.js';
import { keyBlocks } from '../../languages/sigma/blocks.js';
import type { OutputField, RawRule } from '../../model/types.js';
import { type Doc, isDoc, str, strList, sub, unique } from '../fields.js';
import { normaliseDate, normaliseSeverity } from '../normalise.js';
import type { RuleFormat, SourceFile } from '../types.js';

/** Platform id (platforms/registry.ts). */
const platform = 'sigma';

const keptVerbatim = [
  'logsource',
  'falsepositives',
  'related',
  'fields',
  'license',
  'scope',
  'taxonomy',
  'regression_tests_path',
  'simulation',
  'generate',
  'correlation',
  'name',
];

function detect(doc: unknown): boolean {
  if (!isDoc(doc)) return false;
  const detection = sub(doc, 'detection');
  if (detection) return isDoc(doc.logsource) || 'condition' in detection;
  const correlation = sub(doc, 'correlation');
  if (correlation) return 'rules' in correlation || 'type' in correlation;
  const filter = sub(doc, 'filter');
  return filter !== undefined && 'rules' in filter && isDoc(doc.logsource);
}

function ruleType(doc: Doc): 'detection' | 'correlation' | 'filter' {
  if (isDoc(doc.detection)) return 'detection';
  if (isDoc(doc.correlation)) return 'correlation';
  return 'filter';
}

/** `Alice (Org, Inc), Bob and Carol; Dan` → four authors; commas inside parentheses stay. */
export function splitAuthors(raw: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '(' || c === '[') depth++;
    else if ((c === ')' || c === ']') && depth > 0) depth--;
    if (depth === 0) {
      if (c === ',' || c === ';') {
        out.push(current);
        current = '';
        continue;
      }
      const rest = raw.slice(i);
      const sep = /^\s+(?:and|&)\s+/i.exec(rest);
      if (sep) {
        out.push(current);
        current = '';
        i += sep[0].length - 1;
        continue;
      }
    }
    current += c;
  }
  out.push(current);
  return out.map((a) => a.trim()).filter((a) => a !== '');
}

function authors(doc: Doc): string[] {
  const raw = doc.author;
  if (Array.isArray(raw)) return unique(raw.filter((a): a is string => typeof a === 'string').flatMap(splitAuthors));
  const text = str(doc, 'author');
  return text ? unique(splitAuthors(text)) : [];
}

function attackAndTags(doc: Doc): { attackRaw: RawRule['attackRaw']; tags: string[] } {
  const tactics: string[] = [];
  const techniques: string[] = [];
  const tags: string[] = [];
  for (const tag of strList(doc, 'tags')) {
    const m = /^attack\.(.+)$/i.exec(tag.trim());
    const rest = m?.[1];
    if (rest && /^t\d{4}(\.\d{3})?$/i.test(rest)) techniques.push(rest.toUpperCase());
    else if (rest && /^[a-z][a-z_-]*$/i.test(rest)) tactics.push(rest);
    else tags.push(tag);
  }
  return { attackRaw: { tactics: unique(tactics), techniques: unique(techniques) }, tags };
}

/** The logsource as one path, and as the keyed sources provider selectors match. */
function logsourceSources(doc: Doc): { path?: string; keyed: string[] } {
  const ls = sub(doc, 'logsource');
  const parts: string[] = [];
  const keyed: string[] = [];
  for (const key of ['product', 'category', 'service']) {
    const v = str(ls, key)?.trim();
    if (!v) continue;
    parts.push(v);
    keyed.push(`${key}:${v}`);
  }
  return { path: parts.length ? parts.join('/') : undefined, keyed };
}

function outputs(doc: Doc): OutputField[] {
  return unique(strList(doc, 'fields')).map((field) => ({ field, source: 'fields' }));
}

/** Exact text of a top-level section (key line included) and its line; undefined if not sliceable. */
function section(text: string, key: string): { text: string; line: number; start: number } | undefined {
  const block = keyBlocks(text, { indent: 0 }).find((b) => b.key === key);
  if (!block) return undefined;
  return { text: block.text, line: block.line, start: block.start };
}

function read(doc: unknown, file: SourceFile): RawRule[] {
  if (!isDoc(doc)) throw new Error('not a YAML mapping');
  const type = ruleType(doc);
  const key = type === 'detection' ? 'detection' : type;
  const sliced = section(file.text, key);
  // The slice must hold the same section the document does (a duplicate key, flow style ...).
  const exact = sliced !== undefined && sameSection(sliced.text, key, doc[key]);
  const query = exact ? sliced.text : yaml.dump({ [key]: doc[key] }, { schema: yaml.JSON_SCHEMA, lineWidth: -1 }).trimEnd();
  const { attackRaw, tags } = attackAndTags(doc);
  const { path, keyed } = logsourceSources(doc);
  const extra: Record<string, unknown> = {};
  for (const k of keptVerbatim) if (k in doc) extra[k] = doc[k];
  const rule: RawRule = {
    nativeId: str(doc, 'id') ?? file.path,
    platform,
    format: 'sigma',
    language: 'sigma',
    name: str(doc, 'title') ?? str(doc, 'name') ?? file.path,
    description: (str(doc, 'description') ?? '').trim(),
    severity: normaliseSeverity(str(doc, 'level')),
    type,
    status: (str(doc, 'status') ?? '').toLowerCase(),
    authors: authors(doc),
    created: normaliseDate(str(doc, 'date')),
    updated: normaliseDate(str(doc, 'modified')),
    references: strList(doc, 'references'),
    tags,
    dataSources: path ? [path] : [],
    attackRaw,
    query,
    queryLine: exact ? sliced.line : undefined,
    queryRange: exact ? { start: sliced.start, end: sliced.start + sliced.text.length } : undefined,
    declaredOutputs: outputs(doc),
    declaredSources: path ? [path, ...keyed] : [],
    extra,
    diagnostics: [],
  };
  if (!str(doc, 'title')) rule.diagnostics.push({ message: 'the rule has no title', severity: 'warning', scope: 'metadata' });
  if (!str(doc, 'id')) rule.diagnostics.push({ message: 'the rule has no id; its path stands in', severity: 'warning', scope: 'metadata' });
  if (type !== 'correlation' && !path) {
    rule.diagnostics.push({ message: 'the rule has no logsource product, category or service', severity: 'warning', scope: 'metadata' });
  }
  return [rule];
}

function sameSection(text: string, key: string, value: unknown): boolean {
  try {
    const parsed = loadYaml(text);
    return isDoc(parsed) && JSON.stringify(parsed[key]) === JSON.stringify(value);
  } catch {
    return false;
  }
}

export const sigmaFormat: RuleFormat = { id: 'sigma', platform, container: 'yaml', languages: ['sigma'], detect, read };
