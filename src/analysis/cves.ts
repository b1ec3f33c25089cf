// CVE ids a rule names: in its tags (Sigma `cve.2021-44228`), name, description, references (URL slugs such as
// `exploiting-cve-2023-4966`) and query values. An id inside a longer word or number is not one: `XCVE-2021-1234`,
// `CVE-2021-12345678`, `CVE-2021-1234x` are left alone.
import type { Rule } from '../model/types.js';

/** Where a rule names a CVE. */
export type CveSource = 'tag' | 'name' | 'description' | 'reference' | 'query';

// Year 1999-2099, a sequence of 4 to 7 digits; separators as rules write them (`-`, `_`, `.`).
const cvePattern = /(?<![A-Za-z0-9])CVE[-_.]((?:199|20\d)\d)[-_.](\d{4,7})(?![A-Za-z0-9])/gi;

/** The CVE ids in a text, as `CVE-YYYY-NNNN`, each once, in order of appearance. */
export function cveIds(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(cvePattern)) out.add(`CVE-${m[1]}-${m[2]}`);
  return [...out];
}

// A substring search per spelling is several times faster than a case-insensitive regex over megabytes of values.
const mayNameCve = (texts: readonly string[]) => texts.some((t) => t.includes('CVE') || t.includes('cve') || t.includes('Cve'));

/** A rule's CVEs and where each appears. */
export function ruleCveSources(rule: Rule): Map<string, CveSource[]> {
  const found = new Map<string, CveSource[]>();
  const values = rule.indicators.map((i) => i.value);
  // Most rules name no CVE: a cheap test over all their texts before the exact pattern runs on each.
  if (!mayNameCve([rule.name, rule.description, ...rule.tags, ...rule.references, ...values])) return found;
  const add = (source: CveSource, texts: readonly string[]) => {
    for (const text of texts) {
      for (const id of cveIds(text)) {
        const sources = found.get(id) ?? [];
        if (!sources.includes(source)) sources.push(source);
        found.set(id, sources);
      }
    }
  };
  add('tag', rule.tags);
  add('name', [rule.name]);
  add('description', [rule.description]);
  add('reference', rule.references);
  add(
    'query',
    rule.indicators.map((i) => i.value),
  );
  return found;
}

const cache = new WeakMap<Rule, string[]>();

/** A rule's CVE ids, sorted (kept per rule object: facets ask for them once per catalog, pages again). */
export function ruleCves(rule: Rule): string[] {
  let ids = cache.get(rule);
  if (!ids) cache.set(rule, (ids = [...ruleCveSources(rule).keys()].sort()));
  return ids;
}
