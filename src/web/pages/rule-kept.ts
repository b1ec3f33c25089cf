// The parts of a rule page that read more than the rule's own fields, or that are costly to render,
// rendered once per catalog and kept deflated (web/html.ts PackedHtml): its highlighted code (query,
// stages, file), its indicators with their corpus counts, the other rules watching its events, and its
// similar rules. Those were most of a rule page's CPU and of its garbage (about 60% and 55% on the
// whole shared corpus), and their markup is the same in every answer. Every rule's parts are packed
// before the server listens (server.ts), under a budget of their own counted in web/per-catalog.ts; a
// rule past the budget, or a rule that is not the catalog's own object, is rendered on each request.
// The page around the parts (header, ATT&CK, events, predicates, tests, the about card) is rendered per
// request.
import { isAscii, transcode } from 'node:buffer';
import { inflateRawSync } from 'node:zlib';
import type { Rule } from '../../model/types.js';
import type { CatalogStore } from '../../store/read.js';
import { html, packHtml, type PackedHtml, type SafeHtml } from '../html.js';
import { perCatalogSized } from '../per-catalog.js';
import { pooledSpliced, pooledUtf8, type PooledBytes } from '../reply-bytes.js';
import { codeTexts, renderRuleCode, type RuleCode } from './rule-code.js';
import { indicatorsSection } from './rule-indicators.js';
import { sameActionSection } from './rule-same-action.js';
import { similarSection } from './rule-similar.js';

/** Bytes of packed parts kept per catalog: the whole shared corpus's 10,141 rules take about 34 MB. */
const budgetBytes = 64 * 1024 * 1024;

export interface RuleParts extends RuleCode {
  indicators: SafeHtml;
  sameAction: SafeHtml;
  similar: SafeHtml;
}

/** The parts rendered now. */
function renderParts(store: CatalogStore, rule: Rule): RuleParts {
  return {
    ...renderRuleCode(store, rule),
    indicators: indicatorsSection(rule),
    sameAction: sameActionSection(rule, (id) => store.byId.get(id)?.events),
    similar: similarSection(rule),
  };
}

/** A packed entry's bytes on the heap, roughly: its deflated bytes, the lengths, the objects and the map's slot. */
const packedBytes = (p: PackedHtml) => p.bytes.length + 8 * p.lengths.length + 160;

/** The parts as packed pieces, in this order: the sections, the file, then each code text's block. */
function pieces(parts: RuleParts): SafeHtml[] {
  return [parts.indicators, parts.sameAction, parts.similar, parts.body, ...parts.code.values()];
}

/** Every rule's parts packed, by rule id, as far as `budget` holds (in catalog order). */
function packAll(store: CatalogStore, budget: number): { value: Map<string, PackedHtml>; bytes: number } {
  const packed = new Map<string, PackedHtml>();
  let bytes = 0;
  for (const rule of store.rules) {
    const p = packHtml(pieces(renderParts(store, rule)));
    if (!p) continue;
    if (bytes + packedBytes(p) > budget) break;
    packed.set(rule.id, p);
    bytes += packedBytes(p);
  }
  return { value: packed, bytes };
}

const packedParts = (store: CatalogStore) => perCatalogSized(store, 'rule parts', budgetBytes, (budget) => packAll(store, budget));

/** Packs every rule's parts for this catalog now (the server, before it listens), not on the first rule page. */
export function warmRuleParts(store: CatalogStore): void {
  packedParts(store);
}

/** The catalog's packed parts of this rule object; undefined for a rule past the budget or a copy (a test's, with other fields). */
function packedOf(store: CatalogStore, rule: Rule): PackedHtml | undefined {
  return store.byId.get(rule.id) === rule ? packedParts(store).get(rule.id) : undefined;
}

/** The parts in the order `pieces` lists them. */
function partsOf(rule: Rule, [indicators, sameAction, similar, body, ...code]: SafeHtml[]): RuleParts {
  const texts = codeTexts(rule);
  return {
    indicators: indicators!,
    sameAction: sameAction!,
    similar: similar!,
    body: body!,
    code: new Map(texts.map((text, i) => [text, code[i]!])),
  };
}

/** The rule page's kept parts as markup: unpacked when kept for this rule object, else rendered now. */
export function rulePartsOf(store: CatalogStore, rule: Rule): RuleParts {
  const packed = packedOf(store, rule);
  return packed ? partsOf(rule, packed.unpack()) : renderParts(store, rule);
}

/** A rule page's parts, and how the text rendered around them becomes the answer's bytes. */
export interface SplicedParts extends RuleParts {
  answer(text: string): PooledBytes;
}

/** Where kept part `index` goes in a page's text (reply-bytes.ts pooledSpliced puts its bytes there). */
const partMarker = (index: number) => html`<!--ruleatlas:part:${index}-->`;

/**
 * The rule page's parts for an answer: when kept, each is a marker in the page's text and the answer
 * copies its bytes from the inflated pack, so they are never decoded into a string nor encoded again
 * (about half of a rule page's characters, the code and the indicators mostly).
 */
export function splicedRuleParts(store: CatalogStore, rule: Rule): SplicedParts {
  const packed = packedOf(store, rule);
  if (!packed) return { ...renderParts(store, rule), answer: (text) => pooledUtf8(text) };
  const bytes = inflateRawSync(packed.bytes);
  const parts: Uint8Array[] = [];
  let at = 0;
  for (const length of packed.lengths) {
    const part = bytes.subarray(at, at + length);
    // Latin-1 is UTF-8 where it is ASCII; a part holding another character (a middle dot, an accent) is converted.
    parts.push(isAscii(part) ? part : transcode(part, 'latin1', 'utf8'));
    at += length;
  }
  return {
    ...partsOf(
      rule,
      parts.map((_, i) => partMarker(i)),
    ),
    answer: (text) => pooledSpliced(text, parts),
  };
}
