// Google SecOps (Chronicle) YARA-L 2.0 rule files (`.yaral`, read as text).
//
// A file holds one or more `rule <name> { meta: ... events: ... }` blocks. Each becomes a rule:
//   nativeId   the rule name. Chronicle requires rule names to be unique per instance, so the
//              name already identifies a rule across a repository; the file path would only
//              repeat it (community files are named after their rule). `meta.rule_id` (the
//              `mr_...` id of curated copies) is kept in `extra.rule_id`.
//   name       meta rule_name (a display name, most community rules have one), else the rule name
//   query      the whole block from `rule` to its closing brace (the yaral language reads every
//              section); queryLine = the line of `rule`
//   metadata   from the meta section, keys read case-insensitively:
//              author (comma-separated list) · description · severity · type / rule_type
//              (lower-cased, default `detection`) · status, else sigma_status · rule_version /
//              version · reference / references / reference_url (URLs split on commas and blanks)
//              · tags (comma-separated) · data_source / data_sources (comma-separated) ·
//              created / creation_date / date and updated / modified / last_updated (dates)
//              ATT&CK: tactic / mitre_attack_tactic / tactics (names or TA ids, comma-separated),
//              technique / mitre_attack_technique / techniques (ids or names: only ids resolve),
//              the TA/T ids in mitre_attack_url (`/techniques/T1562/008/` -> T1562.008), and the
//              T ids of the outcome variable Google's rules set, `$mitre_attack_technique_id = "T1078"`
//   extra      every other meta key as written (rule_id, priority, platform, false_positives,
//              mitre_attack_version, sigma_uuid ...); a repeated key keeps all its values.
// Files are found by content: a `rule <name> {` with only comments before it, followed by an
// `events:` section, or by a `meta:` section in a file without the marks of classic YARA
// (`strings:`, `import`), whose rules also open with `rule name { meta:`.

import type { Diagnostic, RawRule } from '../../model/types.js';
import { unique } from '../fields.js';
import { normaliseDate, normaliseSeverity } from '../normalise.js';
import type { RuleFormat, SourceFile } from '../types.js';

/** Platform id (platforms/registry.ts). */
const platform = 'chronicle';

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' };

/**
 * The text with the insides of comments, strings and regular expressions blanked out (newlines
 * kept), so that keywords can be searched for by position. A `/` opens a regular expression
 * where a value is expected: after `=`, `(` or `,`.
 */
export function mask(text: string): string {
  const out = text.split('');
  const blank = (from: number, to: number) => {
    for (let k = from; k < to && k < out.length; k++) if (out[k] !== '\n' && out[k] !== '\r') out[k] = ' ';
  };
  let lastSignificant = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const next = text[i + 1];
    let end = -1;
    if (c === '/' && next === '/') {
      end = text.indexOf('\n', i);
      if (end < 0) end = text.length;
    } else if (c === '/' && next === '*') {
      end = text.indexOf('*/', i + 2);
      end = end < 0 ? text.length : end + 2;
    } else if (c === '"' || c === '`' || (c === '/' && (lastSignificant === '=' || lastSignificant === '(' || lastSignificant === ','))) {
      let k = i + 1;
      while (k < text.length && text[k] !== c) k += c !== '`' && text[k] === '\\' ? 2 : 1;
      end = Math.min(k + 1, text.length);
      lastSignificant = 'v';
    }
    if (end >= 0) {
      blank(i, end);
      i = end;
      continue;
    }
    if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r') lastSignificant = c;
    i++;
  }
  return out.join('');
}

// Without the g flag: matchAll and exec below copy or restart them, so no state is shared.
const HEADER = /(?<![\w.$#%])rule\s+([A-Za-z_][A-Za-z0-9_]*)\s*\{/;
const SECTION = /(?<![\w.$])(meta|events|match|outcome|condition|options)\s*:/;

interface Block {
  name: string;
  start: number;
  end: number;
}

/** The `rule name { ... }` blocks of a file: each runs to the last `}` before the next one. */
function blocks(text: string, masked: string): Block[] {
  const heads = [...masked.matchAll(new RegExp(HEADER, 'g'))];
  return heads.map((m, k) => {
    const start = m.index;
    const limit = heads[k + 1]?.index ?? masked.length;
    const close = masked.lastIndexOf('}', limit - 1);
    return { name: m[1]!, start, end: close >= start ? close + 1 : text.length };
  });
}

function detect(doc: unknown): boolean {
  if (typeof doc !== 'string' || !doc.includes('rule')) return false;
  const masked = mask(doc);
  const head = HEADER.exec(masked);
  // Only comments may come before the first rule (a README quoting a rule is not a rule file).
  if (!head || masked.slice(0, head.index).trim() !== '') return false;
  const rest = masked.slice(head.index);
  if (/(?<![\w.$])events\s*:/.test(rest)) return true;
  // Without events (an invalid YARA-L rule, still worth reporting): a meta section, and none of
  // the marks of a classic YARA file (`strings:`, `import "pe"`), which also has `rule x { meta:`.
  return /(?<![\w.$])meta\s*:/.test(rest) && !/(?<![\w.$])strings\s*:/.test(rest) && !/^\s*import\s/m.test(masked);
}

/** Offset → 1-based line, from the line starts found once per file (a file may hold thousands of rules). */
type LineAt = (offset: number) => number;

function lineIndex(text: string): LineAt {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

type Meta = Map<string, string[]>;

const ENTRY = /([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*=[ \t]*("(?:[^"\\]|\\[\s\S])*"|`[^`]*`|-?\d+(?:\.\d+)?|true|false)/y;
const LAYOUT = /(?:\s+|\/\/[^\n]*|\/\*[\s\S]*?(?:\*\/|$))*/y;

function decode(raw: string): string {
  if (raw.startsWith('`')) return raw.slice(1, -1);
  if (!raw.startsWith('"')) return raw;
  return raw.slice(1, -1).replace(/\\([\s\S])/g, (_, c: string) => ESCAPES[c] ?? `\\${c}`);
}

/** Key-value pairs of the meta section between `from` and `to`, with diagnostics for the rest. */
function readMeta(text: string, from: number, to: number, diagnostics: Diagnostic[], lineAt: LineAt): Meta {
  const meta: Meta = new Map();
  // The section alone, offsets from 0: a slice from the file's start, scanned per rule, made
  // reading a file of n rules quadratic.
  const body = text.slice(from, to);
  const end = to - from;
  let i = 0;
  while (i < end) {
    LAYOUT.lastIndex = i;
    LAYOUT.exec(body);
    i = LAYOUT.lastIndex;
    if (i >= end) break;
    ENTRY.lastIndex = i;
    const m = ENTRY.exec(body);
    if (!m) {
      const eol = body.indexOf('\n', i);
      const stop = eol < 0 ? end : eol;
      diagnostics.push({
        message: `meta line not read: ${body.slice(i, stop).trim().slice(0, 120)}`,
        severity: 'warning',
        scope: 'metadata',
        fileLine: lineAt(from + i),
      });
      i = stop;
      continue;
    }
    const key = m[1]!.toLowerCase();
    const list = meta.get(key) ?? [];
    list.push(decode(m[2]!));
    meta.set(key, list);
    i = ENTRY.lastIndex;
  }
  return meta;
}

function first(meta: Meta, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const v = meta.get(key)?.find((x) => x.trim() !== '');
    if (v !== undefined) return v.trim();
  }
  return undefined;
}

function list(meta: Meta, ...keys: string[]): string[] {
  return unique(
    keys
      .flatMap((key) => meta.get(key) ?? [])
      .flatMap((v) => v.split(','))
      .map((v) => v.trim())
      .filter((v) => v !== ''),
  );
}

/** URLs written one per key or several in one value; other text (`Internal policy`) as written. */
function references(meta: Meta): string[] {
  const out: string[] = [];
  for (const value of ['reference', 'references', 'reference_url', 'url'].flatMap((k) => meta.get(k) ?? [])) {
    const parts = value.split(/[\s,]+/).filter((p) => p !== '');
    if (parts.length > 1 && parts.every((p) => /^https?:\/\//i.test(p))) out.push(...parts);
    else if (value.trim()) out.push(value.trim());
  }
  return unique(out);
}

/** TA and T ids in ATT&CK links: `/tactics/TA0005/`, `/techniques/T1562/008/`. */
function attackFromUrls(urls: string[]): { tactics: string[]; techniques: string[] } {
  const tactics: string[] = [];
  const techniques: string[] = [];
  for (const url of urls) {
    for (const m of url.matchAll(/\/tactics\/(TA\d{4})/gi)) tactics.push(m[1]!.toUpperCase());
    for (const m of url.matchAll(/\/techniques\/(T\d{4})(?:[/.](\d{3}))?/gi)) {
      techniques.push(m[2] ? `${m[1]!.toUpperCase()}.${m[2]}` : m[1]!.toUpperCase());
    }
  }
  return { tactics, techniques };
}

/** Meta keys read into RawRule fields; every other key goes to `extra` as written. */
const MAPPED = new Set([
  'author',
  'authors',
  'description',
  'severity',
  'type',
  'rule_type',
  'status',
  'rule_version',
  'version',
  'rule_name',
  'name',
  'reference',
  'references',
  'reference_url',
  'url',
  'tags',
  'data_source',
  'data_sources',
  'created',
  'creation_date',
  'date',
  'updated',
  'modified',
  'last_updated',
  'tactic',
  'tactics',
  'mitre_attack_tactic',
  'technique',
  'techniques',
  'mitre_attack_technique',
]);

/** T ids in the line of an outcome `$mitre_attack_technique_id = "T1078.004"` (or array_distinct("..")). */
function techniquesFromOutcome(query: string): string[] {
  const line = /\$mitre_attack_technique_id\s*=([^\n]*)/.exec(query)?.[1] ?? '';
  return [...line.matchAll(/"(T\d{4}(?:\.\d{3})?)"/g)].map((m) => m[1]!);
}

function readBlock(text: string, masked: string, block: Block, lineAt: LineAt): RawRule {
  const diagnostics: Diagnostic[] = [];
  const inside = masked.slice(block.start, block.end);
  const sections = [...inside.matchAll(new RegExp(SECTION, 'g'))].map((m) => ({
    kind: m[1]!,
    start: block.start + m.index,
    body: block.start + m.index + m[0].length,
  }));
  const metaAt = sections.findIndex((s) => s.kind === 'meta');
  let meta: Meta = new Map();
  if (metaAt < 0) {
    diagnostics.push({ message: 'the rule has no meta section', severity: 'warning', scope: 'metadata' });
  } else {
    const from = sections[metaAt]!.body;
    const to = sections[metaAt + 1]?.start ?? Math.max(from, block.end - 1);
    meta = readMeta(text, from, to, diagnostics, lineAt);
  }

  const urls = [...(meta.get('mitre_attack_url') ?? []), ...(meta.get('mitre_attack_urls') ?? [])];
  const fromUrls = attackFromUrls(urls);
  const query = text.slice(block.start, block.end);
  const extra: Record<string, unknown> = {};
  for (const [key, values] of meta) {
    if (!MAPPED.has(key)) extra[key] = values.length === 1 ? values[0] : values;
  }

  return {
    nativeId: block.name,
    platform,
    format: 'chronicle',
    language: 'yaral',
    name: first(meta, 'rule_name', 'name') ?? block.name,
    description: first(meta, 'description') ?? '',
    severity: normaliseSeverity(first(meta, 'severity')),
    type: (first(meta, 'type', 'rule_type') ?? 'detection').toLowerCase(),
    status: (first(meta, 'status', 'sigma_status') ?? '').toLowerCase(),
    authors: list(meta, 'author', 'authors'),
    created: normaliseDate(first(meta, 'created', 'creation_date', 'date')),
    updated: normaliseDate(first(meta, 'updated', 'modified', 'last_updated')),
    version: first(meta, 'rule_version', 'version'),
    references: references(meta),
    tags: list(meta, 'tags'),
    dataSources: list(meta, 'data_source', 'data_sources'),
    attackRaw: {
      tactics: unique([...list(meta, 'tactic', 'tactics', 'mitre_attack_tactic'), ...fromUrls.tactics]),
      techniques: unique([
        ...list(meta, 'technique', 'techniques', 'mitre_attack_technique'),
        ...fromUrls.techniques,
        ...techniquesFromOutcome(query),
      ]),
    },
    query,
    queryLine: lineAt(block.start),
    queryRange: { start: block.start, end: block.end },
    declaredOutputs: [],
    declaredSources: [],
    extra,
    diagnostics,
  };
}

function read(doc: unknown, file: SourceFile): RawRule[] {
  const text = typeof doc === 'string' ? doc : file.text;
  const masked = mask(text);
  const found = blocks(text, masked);
  if (found.length === 0) throw new Error('no `rule <name> {` block');
  const lineAt = lineIndex(text);
  return found.map((block) => readBlock(text, masked, block, lineAt));
}

export const chronicleFormat: RuleFormat = { id: 'chronicle', platform, container: 'text', languages: ['yaral'], detect, read };
