// Community KQL write-ups in Markdown (Bert-JanP's Hunting-Queries-Detection-Rules, FalconForce's
// FalconFriday ...): a document with a title, some prose and tables, and one or more KQL blocks.
//
// Conventions:
// - Detection: a text file (any extension, or none) holding at least one KQL block.
// - A KQL block is a fenced code block whose info string is `kql` or `kusto` (any case). Blocks
//   without an info string or labelled `C#`/`cs`/`csharp`/`sql`/`text` (FalconFriday labels its
//   KQL `C#` for highlighting) count when their content is shaped like a KQL query: after `//`
//   comments, the first line is `let ...;`, a tabular operator (`union`, `search`, `print`,
//   `datatable`, `externaldata`, `range`) or a table name, and some line starts with `|` (or the
//   query is one line holding a `|`). Blocks in any other language (PowerShell, JSON ...) never
//   count. A `kql` block whose first code line starts with `|` (a fragment to add to a query: "you
//   can filter by adding ...") or whose code lines are all `let` statements (values to reuse: a
//   regex cheat sheet, a device id to fill in) is not a query, so not a rule: noted as a warning on
//   the document's first rule. A fence written `KQLTableName` (no newline after the language) is read as `KQL` with
//   `TableName` as the query's first line, with a warning.
// - One rule per KQL block. nativeId `<path>#<n>` (n counts KQL blocks from 1); name = the
//   document's first `#` title, plus ` — <nearest heading>` when the document has several blocks
//   (` — #<n>` when that heading is the title itself or is shared with another block).
// - Platform, per block: a heading right above the block that names one platform (`Sentinel`;
//   `Defender XDR`, `Defender For Endpoint`, `M365 Defender`, `Advanced Hunting`, `Unified XDR`
//   ...) or a FalconFriday `**Platform:** Sentinel` / `M365 Security` line in the block's section
//   decides; otherwise the tables the query reads (the KQL analyser's sources): `defender-xdr`
//   when every one is a Defender XDR advanced-hunting table (Device*, Email*, Identity*,
//   CloudAppEvents, AlertInfo ...), else `sentinel` (Sentinel also receives the Defender tables
//   through its connector, and reads all the others). `extra.platformBasis` says which
//   (`heading`, `platform line`, `tables`, `default` when the query reads no table).
// - description: the "Description" / "Detection description" section, else the first paragraph
//   of prose before the first block.
// - ATT&CK: technique ids (T1234, T1234.001, or a T1234 cell plus a `Subtechnique` cell `001`) in
//   any table with a "Technique" column; tactics as TA ids in its cells (paired with the row's
//   techniques) or from a "Tactic" column of names; `**Tactic:** Name` and `**ID:** T1234` lines.
// - references: URLs in "References" / "Risk" sections and `**References:**` lines; authors:
//   `**Name:**` in an "Author" section or an `**Author:**` line; created / updated / version: a
//   "Version History" table (earliest and latest dates) or a `**Last Modified:** dd/mm/yyyy`
//   line; dataSources: the "Log Provider" and "Table Name" columns of a data-source table.
// - type `hunting` (these are queries to run, not deployed rules), severity `unknown`, tags: the
//   folders of the file's path. queryLine: the line after the opening fence.
import { analyseQuery } from '../../languages/registry.js';
import type { Diagnostic, RawRule, TextRange } from '../../model/types.js';
import { unique } from '../fields.js';
import { normaliseSeverity } from '../normalise.js';
import { linesRange, lineStarts } from '../query-range.js';
import type { RuleFormat, SourceFile } from '../types.js';
import {
  type Fence,
  type Heading,
  type MarkdownDoc,
  headingBefore,
  parseMarkdown,
  plainText,
  sectionLines,
  tables,
  urls,
} from './markdown.js';

/** Platform ids (platforms/registry.ts). */
const sentinel = 'sentinel';
const defenderXdr = 'defender-xdr';

// --------------------------------------------------------------------------------- KQL blocks

interface Block {
  fence: Fence;
  query: string;
  /** 1-based line of the query's first line in the file. */
  queryLine: number;
  /** A table name written on the fence line (`KQLAADSignInEventsBeta`): the query starts there. */
  fenceTable?: string;
  diagnostics: Diagnostic[];
}

const KQL_INFO = /^(kql|kusto)$/i;
/** `KQLAADSignInEventsBeta`: the author forgot the newline after the language. */
const KQL_INFO_WITH_TABLE = /^(kql|kusto)([A-Za-z_][A-Za-z0-9_]*)$/i;
/** Info strings that may hold KQL: none, or a language picked only for highlighting. */
const MAYBE_KQL_INFO = new Set(['', 'c#', 'cs', 'csharp', 'sql', 'text', 'txt', 'plaintext']);
const FIRST_LINE = /^(let\s+[A-Za-z_]|(union|search|print|datatable|externaldata|range|find)\b|[A-Za-z_][A-Za-z0-9_]*\s*(\(.*)?$)/;

/** Code lines of a block: `//` comment lines and blank lines dropped. */
function codeLines(content: string): string[] {
  return content
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('//'));
}

/** Is the content shaped like a KQL query (see the header)? */
export function looksLikeKql(content: string): boolean {
  const lines = codeLines(content);
  const first = lines[0];
  if (first === undefined || !FIRST_LINE.test(first)) return false;
  if (lines.length === 1) return first.includes('|');
  return lines.slice(1).some((l) => l.startsWith('|'));
}

/**
 * A KQL block whose first code line starts with `|` continues a query the reader already has
 * ("you can filter by adding: | where ..."), and one of `let` lines only declares values to reuse:
 * fragments, not queries of their own.
 */
function isFragment(content: string): boolean {
  const lines = codeLines(content);
  if (lines[0]?.startsWith('|')) return true;
  // Only `let` lines: values declared for the reader to reuse (a regex, a device id to fill in);
  // a query ends with a tabular expression, so this is not one.
  return lines.length > 0 && lines.every((l) => /^let\s/.test(l));
}

function kqlBlocks(doc: MarkdownDoc): { blocks: Block[]; fragments: Fence[] } {
  const out: Block[] = [];
  const fragments: Fence[] = [];
  for (const fence of doc.fences) {
    const language = fence.info.split(/\s+/)[0] ?? '';
    if (KQL_INFO.test(language)) {
      if (isFragment(fence.content)) fragments.push(fence);
      else out.push({ fence, query: fence.content, queryLine: fence.firstLine + 1, diagnostics: [] });
      continue;
    }
    const joined = KQL_INFO_WITH_TABLE.exec(language);
    if (joined && codeLines(fence.content)[0]?.startsWith('|')) {
      const table = joined[2]!;
      out.push({
        fence,
        query: `${table}\n${fence.content}`,
        fenceTable: table,
        // The table name sits on the fence line itself.
        queryLine: fence.openLine + 1,
        diagnostics: [
          {
            message: `the code fence \`${language}\` is read as ${joined[1]} with \`${table}\` as the query's first line`,
            severity: 'warning',
            scope: 'file',
            line: fence.openLine + 1,
          },
        ],
      });
      continue;
    }
    if (MAYBE_KQL_INFO.has(language.toLowerCase()) && looksLikeKql(fence.content)) {
      out.push({ fence, query: fence.content, queryLine: fence.firstLine + 1, diagnostics: [] });
    }
  }
  return { blocks: out, fragments };
}

function fragmentNote(fence: Fence): Diagnostic {
  return {
    message:
      'this KQL block starts with `|` or only declares values with `let`: a fragment to use in a query, not a query of its own, so it is not a rule',
    severity: 'warning',
    scope: 'file',
    line: fence.openLine + 1,
  };
}

// ------------------------------------------------------------------------------------ platform

const SENTINEL_NAME = /^(microsoft\s+)?(azure\s+)?sentinel$/i;
const DEFENDER_NAME =
  /^((microsoft\s+)?((365|m365)\s+)?defender(\s+(xdr|for\s+endpoint|365))?|(unified\s+)?xdr|advanced\s+hunting|m365\s+security|mde)$/i;

function platformNamed(text: string): string | undefined {
  const name = plainText(text);
  if (SENTINEL_NAME.test(name)) return sentinel;
  if (DEFENDER_NAME.test(name)) return defenderXdr;
  return undefined;
}

const DEFENDER_TABLE_PREFIXES = [
  'device',
  'email',
  'identity',
  'exposuregraph',
  'message',
  'behavior',
  'campaign',
  'datasecurity',
  'aiagent',
];
/** Lower case: write-ups spell some names their own way (`GraphAPIAuditEvents`). */
const DEFENDER_TABLES = new Set(
  [
    'AlertInfo',
    'AlertEvidence',
    'CloudAppEvents',
    'CloudAuditEvents',
    'CloudProcessEvents',
    'CloudStorageAggregatedEvents',
    'UrlClickEvents',
    'AADSignInEventsBeta',
    'AADSpnSignInEventsBeta',
    'EntraIdSignInEvents',
    'EntraIdSpnSignInEvents',
    'GraphApiAuditEvents',
    'OAuthAppInfo',
    'FileMaliciousContentInfo',
    'DisruptionAndResponseEvents',
  ].map((t) => t.toLowerCase()),
);

export function isDefenderTable(name: string): boolean {
  const lower = name.toLowerCase();
  return DEFENDER_TABLES.has(lower) || DEFENDER_TABLE_PREFIXES.some((p) => lower.startsWith(p));
}

const platformLineCache = new WeakMap<MarkdownDoc, ({ at: number; platform: string } | undefined)[]>();

/**
 * For each line, the nearest `**Platform:** X` line at or above it naming a platform: found in
 * one pass per file, where a search upwards from every block made a file of many blocks quadratic.
 */
function platformLines(doc: MarkdownDoc): ({ at: number; platform: string } | undefined)[] {
  let out = platformLineCache.get(doc);
  if (out) return out;
  out = [];
  let last: { at: number; platform: string } | undefined;
  doc.lines.forEach((text, i) => {
    const m = /^\s*\*\*Platform:\*\*\s*(.+)$/i.exec(text);
    const named = m ? platformNamed(m[1]!) : undefined;
    if (named) last = { at: i, platform: named };
    out.push(last);
  });
  platformLineCache.set(doc, out);
  return out;
}

function platformOf(doc: MarkdownDoc, block: Block, title: Heading | undefined): { platform: string; basis: string } {
  const heading = headingBefore(doc, block.fence.openLine);
  if (heading && heading !== title) {
    const named = platformNamed(heading.text);
    if (named) return { platform: named, basis: 'heading' };
  }
  // FalconFriday: `**Platform:** Sentinel` between the section heading and the block.
  const line = platformLines(doc)[block.fence.openLine - 1];
  if (line && line.at > (heading?.line ?? -1)) return { platform: line.platform, basis: 'platform line' };
  // KQL reads none of the analysis context (a query's tables do not depend on its platform): the
  // build's own analysis of this block, under the platform chosen here, is a cache hit.
  const sources = analyseQuery('kql', block.query, { platform: sentinel, declaredSources: [] }).sources;
  if (sources.length === 0) return { platform: sentinel, basis: 'default' };
  return { platform: sources.every(isDefenderTable) ? defenderXdr : sentinel, basis: 'tables' };
}

// ------------------------------------------------------------------------------------ metadata

interface DocumentMeta {
  title: Heading | undefined;
  name: string;
  description: string;
  attackRaw: RawRule['attackRaw'];
  references: string[];
  authors: string[];
  created?: string;
  updated?: string;
  version?: string;
  dataSources: string[];
}

function sectionsNamed(doc: MarkdownDoc, name: RegExp): string[][] {
  return doc.headings.filter((h) => name.test(h.text)).map((h) => sectionLines(doc, h));
}

/** `**Key:** value` lines anywhere outside code blocks. */
function keyLines(doc: MarkdownDoc, key: string): string[] {
  const re = new RegExp(`^\\s*[-*]?\\s*\\*\\*${key}:?\\*\\*:?\\s*(.*)$`, 'i');
  const out: string[] = [];
  doc.lines.forEach((line, i) => {
    if (doc.fenced[i]) return;
    const m = re.exec(line);
    if (m && m[1]!.trim()) out.push(m[1]!.trim());
  });
  return out;
}

function paragraphText(lines: string[]): string {
  return lines
    .filter((l) => !l.trim().startsWith('|'))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function description(doc: MarkdownDoc, title: Heading | undefined): string {
  for (const lines of sectionsNamed(doc, /^(detection\s+)?description$/i)) {
    const text = paragraphText(lines);
    if (text) return text;
  }
  // Else the first paragraph of prose before the first block.
  const end = doc.fences[0]?.openLine ?? doc.lines.length;
  const paragraph: string[] = [];
  for (let i = (title?.line ?? -1) + 1; i < end; i++) {
    const line = doc.lines[i]!;
    const trimmed = line.trim();
    const prose = trimmed !== '' && !/^(#|\||\*\*[^*]+:\*\*|---|___)/.test(trimmed);
    if (prose) paragraph.push(line);
    else if (paragraph.length > 0) break;
  }
  return paragraph.join('\n').trim();
}

function attack(doc: MarkdownDoc): RawRule['attackRaw'] {
  const tactics: string[] = [];
  const techniques: string[] = [];
  const techniqueTactics: Record<string, string[]> = {};
  for (const table of tables(doc.lines.filter((_, i) => !doc.fenced[i]))) {
    const header = table.header.map((h) => plainText(h).toLowerCase());
    if (!header.some((h) => h.includes('technique'))) continue;
    const subColumn = header.findIndex((h) => /sub-?technique/.test(h));
    const tacticColumn = header.findIndex((h) => h === 'tactic' || h === 'tactics');
    for (const row of table.rows) {
      // Link cells (`https://attack.mitre.org/techniques/T1059/001/`) repeat the id in another spelling.
      const cells = row.map((c) => plainText(c).replace(/https?:\/\/\S+/g, ''));
      const rowTechniques: string[] = [];
      const rowTactics: string[] = [];
      cells.forEach((cell, i) => {
        if (i === subColumn) return;
        for (const m of cell.matchAll(/\bT\d{4}(?:\.\d{3})?\b/g)) rowTechniques.push(m[0]);
        for (const m of cell.matchAll(/\bTA\d{4}\b/g)) rowTactics.push(m[0]);
      });
      const sub = subColumn >= 0 ? cells[subColumn] : undefined;
      if (sub && /^\d{3}$/.test(sub) && rowTechniques.length === 1 && !rowTechniques[0]!.includes('.')) {
        rowTechniques[0] = `${rowTechniques[0]}.${sub}`;
      }
      if (rowTactics.length === 0 && tacticColumn >= 0 && cells[tacticColumn]) rowTactics.push(cells[tacticColumn]);
      tactics.push(...rowTactics);
      techniques.push(...rowTechniques);
      for (const t of rowTechniques)
        if (rowTactics.length > 0) techniqueTactics[t] = unique([...(techniqueTactics[t] ?? []), ...rowTactics]);
    }
  }
  for (const line of keyLines(doc, 'Tactics?'))
    tactics.push(
      ...plainText(line)
        .split(/\s*,\s*/)
        .filter(Boolean),
    );
  for (const line of keyLines(doc, 'ID')) for (const m of line.matchAll(/\bT\d{4}(?:\.\d{3})?\b/g)) techniques.push(m[0]);
  const out: RawRule['attackRaw'] = { tactics: unique(tactics), techniques: unique(techniques) };
  if (Object.keys(techniqueTactics).length > 0) out.techniqueTactics = techniqueTactics;
  return out;
}

function authors(doc: MarkdownDoc): string[] {
  const out: string[] = [];
  for (const lines of sectionsNamed(doc, /^author\b/i)) {
    for (const line of lines) {
      const m = /^\s*[-*]?\s*\*\*Name:?\*\*:?\s*(.*)$/i.exec(line);
      if (m && plainText(m[1]!)) out.push(plainText(m[1]!));
    }
  }
  for (const line of keyLines(doc, 'Author')) out.push(plainText(line));
  return unique(out.filter(Boolean));
}

/** `2023-06-23` or `23/10/2020` (day first, as FalconFriday writes it) -> ISO date. */
function isoDate(text: string): string | undefined {
  const iso = /\b(\d{4})-(\d{1,2})-(\d{1,2})\b/.exec(text);
  if (iso) return `${iso[1]}-${iso[2]!.padStart(2, '0')}-${iso[3]!.padStart(2, '0')}`;
  const dmy = /\b(\d{1,2})\/(\d{1,2})\/(\d{4})\b/.exec(text);
  if (dmy) return `${dmy[3]}-${dmy[2]!.padStart(2, '0')}-${dmy[1]!.padStart(2, '0')}`;
  return undefined;
}

function history(doc: MarkdownDoc): { created?: string; updated?: string; version?: string } {
  const dated: { date: string; version?: string }[] = [];
  for (const table of tables(doc.lines)) {
    const header = table.header.map((h) => plainText(h).toLowerCase());
    const dateColumn = header.indexOf('date');
    const versionColumn = header.indexOf('version');
    if (dateColumn < 0 || versionColumn < 0) continue;
    for (const row of table.rows) {
      const date = isoDate(row[dateColumn] ?? '');
      if (date) dated.push({ date, version: plainText(row[versionColumn] ?? '') || undefined });
    }
  }
  if (dated.length > 0) {
    const sorted = [...dated].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    const latest = sorted[sorted.length - 1]!;
    return { created: sorted[0]!.date, updated: latest.date, version: latest.version };
  }
  const modified = keyLines(doc, 'Last Modified').map(isoDate).find(Boolean);
  return modified ? { updated: modified } : {};
}

function dataSources(doc: MarkdownDoc): string[] {
  const out: string[] = [];
  for (const table of tables(doc.lines)) {
    const header = table.header.map((h) => plainText(h).toLowerCase());
    const columns = [header.indexOf('log provider'), header.indexOf('table name')].filter((i) => i >= 0);
    if (!header.includes('table name')) continue;
    for (const row of table.rows) for (const c of columns) out.push(plainText(row[c] ?? ''));
  }
  return unique(out.filter((s) => s && s !== '-'));
}

function documentMeta(doc: MarkdownDoc, file: SourceFile): DocumentMeta {
  const title = doc.headings.find((h) => h.level === 1) ?? doc.headings[0];
  const base = file.path.slice(file.path.lastIndexOf('/') + 1).replace(/\.md$/i, '');
  const references = [
    ...sectionsNamed(doc, /^(references?|risk)$/i).flatMap((lines) => urls(lines.join('\n'))),
    ...keyLines(doc, 'References?').flatMap(urls),
  ];
  return {
    title,
    name: title?.text || base,
    description: description(doc, title),
    attackRaw: attack(doc),
    references: unique(references),
    authors: authors(doc),
    ...history(doc),
    dataSources: dataSources(doc),
  };
}

// -------------------------------------------------------------------------------------- format

function text(doc: unknown): string | undefined {
  return typeof doc === 'string' ? doc : undefined;
}

function detect(doc: unknown): boolean {
  const body = text(doc);
  if (body === undefined || !/^ {0,3}(```|~~~)/m.test(body)) return false;
  return kqlBlocks(parseMarkdown(body)).blocks.length > 0;
}

/** The fence's content lines, from the table name when it sits on the fence line. */
function queryRange(body: string, starts: readonly number[], md: MarkdownDoc, block: Block): TextRange {
  const content = linesRange(starts, body, block.fence.firstLine, block.fence.closeLine - 1);
  if (!block.fenceTable) return content;
  const fenceLine = md.lines[block.fence.openLine]!;
  return { start: starts[block.fence.openLine]! + fenceLine.lastIndexOf(block.fenceTable), end: content.end };
}

/** Names of the blocks: the title alone, or with the nearest heading, made unique per file. */
function blockNames(doc: MarkdownDoc, meta: DocumentMeta, blocks: Block[]): string[] {
  if (blocks.length === 1) return [meta.name];
  const suffixes = blocks.map((b, i) => {
    const heading = headingBefore(doc, b.fence.openLine);
    return heading && heading !== meta.title && heading.text ? heading.text : `#${i + 1}`;
  });
  const uses = new Map<string, number>();
  for (const s of suffixes) uses.set(s, (uses.get(s) ?? 0) + 1);
  return suffixes.map((s, i) => {
    const shared = uses.get(s)! > 1;
    return `${meta.name} — ${shared ? `${s} #${i + 1}` : s}`;
  });
}

function read(doc: unknown, file: SourceFile): RawRule[] {
  const body = text(doc);
  if (body === undefined) throw new Error('not a text file');
  const md = parseMarkdown(body);
  const { blocks, fragments } = kqlBlocks(md);
  if (blocks.length === 0) {
    throw new Error(
      fragments.length > 0 ? 'only KQL fragments (blocks starting with `|` or of `let` lines only), no query' : 'no KQL code block',
    );
  }
  const meta = documentMeta(md, file);
  const names = blockNames(md, meta, blocks);
  const folders = file.path.split('/').slice(0, -1);
  const starts = lineStarts(body);
  return blocks.map((block, i) => {
    const { platform, basis } = platformOf(md, block, meta.title);
    const section = headingBefore(md, block.fence.openLine);
    return {
      nativeId: `${file.path}#${i + 1}`,
      platform,
      format: 'kql-markdown',
      language: 'kql',
      name: names[i]!,
      description: meta.description,
      severity: normaliseSeverity(undefined),
      type: 'hunting',
      status: '',
      authors: meta.authors,
      created: meta.created,
      updated: meta.updated,
      version: meta.version,
      references: meta.references,
      tags: folders,
      dataSources: meta.dataSources,
      attackRaw: meta.attackRaw,
      query: block.query,
      queryLine: block.queryLine,
      queryRange: queryRange(body, starts, md, block),
      declaredOutputs: [],
      declaredSources: [],
      extra: {
        block: i + 1,
        blocks: blocks.length,
        ...(section && section !== meta.title ? { section: section.text } : {}),
        fence: block.fence.info,
        platformBasis: basis,
      },
      // The fragments are noted once, on the document's first rule.
      diagnostics: [...block.diagnostics, ...(i === 0 ? fragments.map(fragmentNote) : [])],
    };
  });
}

export const kqlMarkdownFormat: RuleFormat = {
  id: 'kql-markdown',
  platform: sentinel,
  otherPlatforms: [defenderXdr],
  container: 'text',
  languages: ['kql'],
  detect,
  read,
};
