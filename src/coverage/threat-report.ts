// A threat report's text against the rules: the ATT&CK techniques, groups, campaigns and software and the
// CVEs it mentions, each with the rules covering it (techniques counted as the matrix counts them) and the
// gaps. Only what the text says: no URL is fetched. An id inside a word or a longer number is no mention
// (`XT1059`, `T10590`, `CVE-2021-44228x`), nor is a name inside a word (`Turla` in `Turlament`).
import type { AttackThreats, ThreatEntity } from '../attack/threats.js';
import type { Rule } from '../model/types.js';
import { ruleCves } from '../analysis/cves.js';
import { type MatrixIndex, techniqueCounts } from './matrix.js';
import { platformsOf } from './platforms.js';
import { countPlatform, platformRecord, setRanks } from './rule-set.js';
import { threatCoverages } from './threats.js';

/** At most this much text is read (a long report; the rest is ignored and said so). */
export const maxReportChars = 1_000_000;

/** Names and aliases shorter than this must match as ATT&CK writes them (any case otherwise): `Net` is not "net". */
const minCaselessName = 5;

interface ReportTechnique {
  id: string;
  name: string;
  /** Tactic names of the technique in the loaded ATT&CK layout. */
  tactics: string[];
  /** Rules covering it (the technique or one of its sub-techniques), all platforms and per platform. */
  total: number;
  rules: Record<string, number>;
}

interface ReportEntity {
  kind: ThreatEntity['kind'];
  id: string;
  name: string;
  /** How the text named it: its id, name or an alias. */
  as: string[];
  techniques: number;
  covered: number;
  anyCoverage: number;
  coverage: Record<string, number>;
  /** Its techniques no rule covers (first ten). */
  gaps: { id: string; name: string }[];
}

interface ReportCve {
  id: string;
  rules: number;
  byPlatform: Record<string, number>;
}

export interface ThreatReportCoverage {
  /** Characters read (at most maxReportChars). */
  read: number;
  truncated: boolean;
  /** Rules the coverage is measured against, and their platforms (most rules first). */
  ruleCount: number;
  platforms: string[];
  techniques: ReportTechnique[];
  entities: ReportEntity[];
  cves: ReportCve[];
  /** Technique ids the text mentions that no rule covers, and those the loaded ATT&CK does not know. */
  gaps: string[];
  unknownTechniques: string[];
}

const techniquePattern = /(?<![\w.-])T\d{4}(?:\.\d{3})?(?![\w-]|\.\d)/g;
const cvePattern = /(?<![\w-])CVE[-_](\d{4})[-_](\d{4,7})(?![\w-])/gi;
const entityIdPattern = /(?<![\w.-])[GCS]\d{4}(?![\w-]|\.\d)/g;

/** Every distinct match of a global pattern, in order of first mention. */
function mentions(text: string, pattern: RegExp, normalise: (m: RegExpExecArray) => string = (m) => m[0]): string[] {
  const seen = new Set<string>();
  for (const m of text.matchAll(pattern)) seen.add(normalise(m));
  return [...seen];
}

const opening = new Set([...'([{"\'“‘«']);
const closing = new Set([...')]}"\'”’»,;:!?.']);

/** A word without the punctuation around it that is no part of a name (brackets, quotes, commas, a sentence's end, a possessive). */
function bare(word: string): string {
  let start = 0;
  let end = word.length;
  while (start < end && opening.has(word[start]!)) start++;
  while (end > start && closing.has(word[end - 1]!)) end--;
  if (end - start > 2 && word[end - 1] === 's' && (word[end - 2] === "'" || word[end - 2] === '’')) end -= 2;
  return word.slice(start, end);
}

/** A name as it is looked up: words joined by one space; any case unless it is short. */
const nameKey = (name: string) => {
  const joined = name.trim().split(/\s+/).join(' ');
  return joined.length < minCaselessName ? joined : joined.toLowerCase();
};

/**
 * What reading reports needs of a catalog, built once (a server keeps it per catalog): the entities by id and
 * by each name and alias as looked up, and the positions (in the matrix index) of the rules naming each CVE.
 */
export interface ThreatReportIndex {
  byId: Map<string, ThreatEntity>;
  names: Map<string, ThreatEntity[]>;
  /** Words in the longest name. */
  longest: number;
  cves: Map<string, Int32Array>;
}

export function threatReportIndex(threats: AttackThreats, index: MatrixIndex): ThreatReportIndex {
  const all = [...threats.groups, ...threats.campaigns, ...threats.software];
  const names = new Map<string, ThreatEntity[]>();
  let longest = 0;
  for (const entity of all) {
    for (const name of new Set([entity.name, ...entity.aliases])) {
      if (name.trim().length < 3) continue;
      const key = nameKey(name);
      names.set(key, [...(names.get(key) ?? []), entity]);
      longest = Math.max(longest, key.split(' ').length);
    }
  }
  const cves = new Map<string, number[]>();
  index.rules.forEach((rule, r) => {
    for (const id of ruleCves(rule)) cves.set(id, [...(cves.get(id) ?? []), r]);
  });
  return {
    byId: new Map(all.map((e) => [e.id, e])),
    names,
    longest,
    cves: new Map([...cves].map(([id, positions]) => [id, Int32Array.from(positions)])),
  };
}

/** The index's heap bytes, roughly (as web/per-catalog.ts estimates; the entities are the catalog's ATT&CK data's). */
export function threatReportIndexBytes(lookups: ThreatReportIndex): number {
  let bytes = 64 + lookups.byId.size * 24;
  for (const [name, entities] of lookups.names) bytes += 24 + 16 + name.length * 2 + 16 + entities.length * 8;
  for (const [id, positions] of lookups.cves) bytes += 24 + 16 + id.length * 2 + 64 + positions.byteLength;
  return bytes;
}

/**
 * The entities the text names, with how: their ids, and their names and aliases as whole words. The text is
 * read as words (runs of non-space), each run of up to as many words as the longest name looked up in one
 * map: linear in the text, whatever the number of names.
 */
function namedEntities(text: string, { byId, names, longest }: ThreatReportIndex): Map<ThreatEntity, ReadonlySet<string>> {
  // Each entity with how it was named and where first, to list them in the order the report names them.
  const found = new Map<ThreatEntity, { as: Set<string>; at: number }>();
  const note = (entity: ThreatEntity, as: string, at: number) => {
    const seen = found.get(entity);
    if (!seen) found.set(entity, { as: new Set([as]), at });
    else {
      seen.as.add(as);
      seen.at = Math.min(seen.at, at);
    }
  };
  for (const m of text.matchAll(entityIdPattern)) {
    const entity = byId.get(m[0]);
    if (entity) note(entity, m[0], m.index);
  }
  const runs = [...text.matchAll(/\S+/g)];
  const words = runs.map((m) => bare(m[0]));
  for (let i = 0; i < words.length; i++) {
    // Longest first: "Lazarus Group" is one mention, not also "Lazarus".
    for (let n = Math.min(longest, words.length - i); n >= 1; n--) {
      const phrase = words.slice(i, i + n).join(' ');
      if (!phrase || (n > 1 && words.slice(i, i + n).some((w) => !w))) continue;
      const hits = names.get(nameKey(phrase));
      if (!hits) continue;
      for (const entity of hits) note(entity, phrase, runs[i]!.index);
      i += n - 1;
      break;
    }
  }
  return new Map([...found].sort((a, b) => a[1].at - b[1].at).map(([entity, { as }]) => [entity, as]));
}

/** Rules of the set naming the CVE, all and per platform (keys in the set's order), from the index's lists. */
function cveCounts(id: string, ranks: Int32Array, index: MatrixIndex, lookups: ThreatReportIndex): ReportCve {
  const platforms = new Map<string, { count: number; firstRank: number }>();
  let rules = 0;
  for (const r of lookups.cves.get(id) ?? []) {
    if (ranks[r]! < 0) continue;
    rules++;
    countPlatform(platforms, index.rules[r]!.platform, ranks[r]!);
  }
  return { id, rules, byPlatform: platformRecord(platforms) };
}

/** What a report mentions, against `rules` (the Explore filters applied by the caller). */
export function threatReportCoverage(
  input: string,
  rules: readonly Rule[],
  index: MatrixIndex,
  threats: AttackThreats,
  mine: ReadonlySet<string>,
  lookups: ThreatReportIndex = threatReportIndex(threats, index),
): ThreatReportCoverage {
  const truncated = input.length > maxReportChars;
  const text = truncated ? input.slice(0, maxReportChars) : input;
  const names = index.names;
  const mentioned = mentions(text, techniquePattern);
  const known = mentioned.filter((id) => names.has(id));
  const counts = techniqueCounts(rules, known, index);
  const tacticsOf = new Map(index.spec.techniques.map((t) => [t.id, t.tactics]));
  const techniques = known.map((id) => {
    const c = counts.get(id)!;
    const tactics = (tacticsOf.get(id) ?? []).map((t) => index.tacticNames.get(t) ?? t);
    return { id, name: names.get(id)!, tactics, total: c.total, rules: c.byPlatform };
  });
  const entities = [...namedEntities(text, lookups)];
  const coverages = threatCoverages(
    entities.map(([e]) => e),
    rules,
    index,
    mine,
  );
  const ranks = setRanks(index.position, rules);
  const cves = mentions(text, cvePattern, (m) => `CVE-${m[1]}-${m[2]}`).map((id) => cveCounts(id, ranks, index, lookups));
  return {
    read: text.length,
    truncated,
    ruleCount: rules.length,
    platforms: platformsOf(rules),
    techniques,
    entities: coverages.map((c, i) => {
      const gaps = c.techniques.filter((t) => t.total === 0);
      return {
        kind: c.kind,
        id: c.id,
        name: c.name,
        as: [...entities[i]![1]],
        techniques: c.techniques.length,
        covered: c.techniques.length - gaps.length,
        anyCoverage: c.anyCoverage,
        coverage: c.coverage,
        gaps: gaps.slice(0, 10).map((t) => ({ id: t.id, name: t.name })),
      };
    }),
    cves,
    gaps: techniques.filter((t) => t.total === 0).map((t) => t.id),
    unknownTechniques: mentioned.filter((id) => !names.has(id)),
  };
}
