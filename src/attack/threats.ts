// Who uses which technique: ATT&CK groups (intrusion sets), campaigns and software with their `uses`
// relations and procedure texts, and data components with their log sources. Read from the bundle and,
// when present, the groups file beside it (`enterprise-attack-groups.json`: the shared corpus keeps
// groups and campaigns apart from the techniques); kept in the catalog (meta `attackThreats`).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { readCached, writeCached } from '../cache/dir.js';

/** ATT&CK's three kinds, and Splunk's analytic stories (coverage/stories.ts: read from the rules, not the bundle). */
export type ThreatKind = 'group' | 'campaign' | 'software' | 'story';

interface ThreatTechniqueUse {
  id: string;
  /** How this group, campaign or software used it, citations and link targets taken out. */
  procedure: string;
}

export interface ThreatEntity {
  kind: ThreatKind;
  /** ATT&CK id: G0016, C0024, S0154. */
  id: string;
  name: string;
  aliases: string[];
  description: string;
  techniques: ThreatTechniqueUse[];
  /** ATT&CK ids of the groups a campaign is attributed to, or of the campaigns attributed to a group. */
  related: string[];
}

/** An ATT&CK data component (DC0001) and the log sources the bundle lists for it. */
export interface DataComponent {
  id: string;
  name: string;
  logSources: { name: string; channel: string }[];
}

export interface AttackThreats {
  groups: ThreatEntity[];
  campaigns: ThreatEntity[];
  software: ThreatEntity[];
  dataComponents: DataComponent[];
}

interface StixThreatObject {
  type: string;
  id: string;
  name?: string;
  description?: string;
  aliases?: string[];
  x_mitre_aliases?: string[];
  revoked?: boolean;
  x_mitre_deprecated?: boolean;
  relationship_type?: string;
  source_ref?: string;
  target_ref?: string;
  external_references?: { source_name: string; external_id?: string }[];
  x_mitre_log_sources?: { name?: string; channel?: string }[];
}

const kindOf: Record<string, ThreatKind> = { 'intrusion-set': 'group', campaign: 'campaign', malware: 'software', tool: 'software' };

/** Markdown links keep their text; citations go (they name sources the page cannot show). */
export function plainText(text: string): string {
  return text
    .replace(/\(Citation:[^)]*\)/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[ \t]+\n/g, '\n')
    .trim();
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function threatsFromObjects(objects: readonly StixThreatObject[]): AttackThreats {
  const externalIds = new Map<string, string>();
  const revokedBy = new Map<string, string>();
  for (const o of objects) {
    const id = o.external_references?.find((r) => r.source_name === 'mitre-attack')?.external_id;
    if (id) externalIds.set(o.id, id);
    if (o.type === 'relationship' && o.relationship_type === 'revoked-by' && o.source_ref && o.target_ref)
      revokedBy.set(o.source_ref, o.target_ref);
  }
  // A use of a revoked technique counts for the technique that replaced it.
  const live = (ref: string): string => {
    const seen = new Set<string>();
    let at = ref;
    while (revokedBy.has(at) && !seen.has(at)) {
      seen.add(at);
      at = revokedBy.get(at)!;
    }
    return at;
  };
  const entities = new Map<string, ThreatEntity>();
  const dataComponents: DataComponent[] = [];
  for (const o of objects) {
    if (o.revoked || o.x_mitre_deprecated) continue;
    const id = externalIds.get(o.id);
    if (!id || !o.name) continue;
    const kind = kindOf[o.type];
    if (kind) {
      const aliases = [...new Set([...(o.aliases ?? []), ...(o.x_mitre_aliases ?? [])])].filter((a) => a !== o.name);
      entities.set(o.id, { kind, id, name: o.name, aliases, description: plainText(o.description ?? ''), techniques: [], related: [] });
    } else if (o.type === 'x-mitre-data-component') {
      const logSources = (o.x_mitre_log_sources ?? []).map((s) => ({ name: s.name ?? '', channel: s.channel ?? '' }));
      dataComponents.push({ id, name: o.name, logSources });
    }
  }
  for (const o of objects) {
    if (o.type !== 'relationship' || o.revoked || o.x_mitre_deprecated || !o.source_ref || !o.target_ref) continue;
    const source = entities.get(o.source_ref);
    if (!source) continue;
    if (o.relationship_type === 'uses') {
      const target = live(o.target_ref);
      const technique = target.startsWith('attack-pattern--') ? externalIds.get(target) : undefined;
      if (technique) {
        const procedure = plainText(o.description ?? '');
        const known = source.techniques.find((t) => t.id === technique);
        if (!known) source.techniques.push({ id: technique, procedure });
        else if (procedure && !known.procedure.includes(procedure)) known.procedure = `${known.procedure}\n${procedure}`.trim();
        continue;
      }
      const used = entities.get(o.target_ref);
      if (used && !source.related.includes(used.id)) source.related.push(used.id);
    } else if (o.relationship_type === 'attributed-to') {
      const group = entities.get(o.target_ref);
      if (!group) continue;
      if (!source.related.includes(group.id)) source.related.push(group.id);
      if (!group.related.includes(source.id)) group.related.push(source.id);
    }
  }
  const all = [...entities.values()];
  for (const e of all) e.techniques.sort(byId);
  const of = (kind: ThreatKind) => all.filter((e) => e.kind === kind).sort(byId);
  return { groups: of('group'), campaigns: of('campaign'), software: of('software'), dataComponents: dataComponents.sort(byId) };
}

/** The groups file a bundle may have beside it. */
export const groupsFileName = 'enterprise-attack-groups.json';

function readObjects(path: string): StixThreatObject[] {
  const bundle = JSON.parse(readFileSync(path, 'utf8')) as { objects?: StixThreatObject[] };
  return bundle.objects ?? [];
}

const codeVersion = '1';

/**
 * The threats of the bundle at `bundlePath` and of the groups file beside it (either may hold them: a full
 * release bundle has groups and software itself), kept in the cache folder like the bundle's names; undefined
 * when neither file names a group, campaign or software.
 */
export function loadThreatsIfPresent(bundlePath: string | undefined): AttackThreats | undefined {
  const name = threatsKey(bundlePath);
  if (!name || !bundlePath) return undefined;
  const files = threatFiles(bundlePath);
  const cached = readCached(name);
  if (cached) {
    try {
      return JSON.parse(cached.toString('utf8')) as AttackThreats;
    } catch {
      // Read the files again below.
    }
  }
  const threats = threatsFromObjects(files.flatMap(readObjects));
  writeCached(name, JSON.stringify(threats));
  return threats;
}

const threatFiles = (bundlePath: string) => [bundlePath, join(dirname(bundlePath), groupsFileName)].filter((p) => existsSync(p));

/**
 * What the threats of a bundle are read from, as a name (the files' paths, sizes and times, and this
 * code's version): equal names, equal threats. Undefined: no bundle.
 */
export function threatsKey(bundlePath: string | undefined): string | undefined {
  if (!bundlePath || !existsSync(bundlePath)) return undefined;
  const key = threatFiles(bundlePath).map((p) => {
    const { size, mtimeMs } = statSync(p);
    return `${resolve(p)}|${size}|${mtimeMs}`;
  });
  return `attack-threats-${createHash('sha1')
    .update(`${key.join('|')}|${codeVersion}`)
    .digest('hex')
    .slice(0, 16)}.json`;
}

/** Any threat entity at all: a bundle with only techniques keeps no threats. */
export function hasThreats(t: AttackThreats | undefined): t is AttackThreats {
  return !!t && t.groups.length + t.campaigns.length + t.software.length + t.dataComponents.length > 0;
}
