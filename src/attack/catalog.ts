import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { readCached, writeCached } from '../cache/dir.js';
import type { AttackCoverage, AttackTactic, AttackTechnique } from '../model/types.js';
import { v19Moves, v19Tactics } from './v19.data.js';

interface TechniqueInfo {
  id: string;
  /** Full display name: sub-techniques carry their parent's name, `Parent: Sub`. */
  name: string;
  tactics: string[];
  deprecated: boolean;
}

/** An AttackCatalog as plain data. */
export interface AttackNames {
  tactics: AttackTactic[];
  tacticByKey: [string, string][];
  techniques: TechniqueInfo[];
  tacticOrder: string[];
}

/** The ATT&CK names a catalog needs: tactics and techniques by id, tactics by any spelling. */
export class AttackCatalog {
  private constructor(
    private readonly tactics: Map<string, AttackTactic>,
    private readonly tacticByKey: Map<string, string>,
    private readonly techniques: Map<string, TechniqueInfo>,
    /** The tactic order of the Enterprise matrix, for display. */
    readonly tacticOrder: string[],
  ) {}

  /** A catalog without names: ids only. */
  static empty(): AttackCatalog {
    const catalog = new AttackCatalog(new Map(), new Map(), new Map(), []);
    return catalog;
  }

  static load(path: string): AttackCatalog {
    const bundle = JSON.parse(readFileSync(path, 'utf8')) as { objects?: StixObject[] };
    return AttackCatalog.fromObjects(bundle.objects ?? []);
  }

  /**
   * The bundle at `path`, its names kept in the cache folder (cache/dir.ts) for the next process: a
   * bundle is 4 MB of JSON, its names a twentieth of that (a sync of one changed rule reads them).
   */
  static loadIfPresent(path: string | undefined): AttackCatalog {
    if (!path || !existsSync(path)) return AttackCatalog.empty();
    const { size, mtimeMs } = statSync(path);
    const name = `attack-${createHash('sha1')
      .update(`${resolve(path)}|${size}|${mtimeMs}|${versionDataDigest}`)
      .digest('hex')
      .slice(0, 16)}.json`;
    const cached = readCached(name);
    if (cached) {
      try {
        return AttackCatalog.fromJSON(JSON.parse(cached.toString('utf8')) as AttackNames);
      } catch {
        // Read the bundle again below.
      }
    }
    const catalog = AttackCatalog.load(path);
    writeCached(name, JSON.stringify(catalog));
    return catalog;
  }

  /** The names as plain data (see loadIfPresent). */
  toJSON(): AttackNames {
    return {
      tactics: [...this.tactics.values()],
      tacticByKey: [...this.tacticByKey],
      techniques: [...this.techniques.values()],
      tacticOrder: this.tacticOrder,
    };
  }

  static fromJSON(names: AttackNames): AttackCatalog {
    return new AttackCatalog(
      new Map(names.tactics.map((t) => [t.id, t])),
      new Map(names.tacticByKey),
      new Map(names.techniques.map((t) => [t.id, t])),
      names.tacticOrder,
    );
  }

  static fromObjects(objects: StixObject[]): AttackCatalog {
    const tactics = new Map<string, AttackTactic>();
    const tacticByKey = new Map<string, string>();
    const shortnameToId = new Map<string, string>();
    let tacticOrder: string[] = [];
    const tacticRefs = new Map<string, string>();
    for (const o of objects) {
      if (o.type !== 'x-mitre-tactic' || o.revoked) continue;
      const id = externalId(o);
      if (!id || !o.name) continue;
      tactics.set(id, { id, name: o.name });
      tacticRefs.set(o.id, id);
      for (const key of [id, o.name, o.x_mitre_shortname ?? '']) if (key) tacticByKey.set(keyOf(key), id);
      if (o.x_mitre_shortname) shortnameToId.set(o.x_mitre_shortname, id);
    }
    for (const o of objects) {
      if (o.type === 'x-mitre-matrix' && Array.isArray(o.tactic_refs)) {
        tacticOrder = o.tactic_refs.map((ref) => tacticRefs.get(ref)).filter((x): x is string => !!x);
      }
    }
    const names = new Map<string, { name: string; tactics: string[]; deprecated: boolean; revoked: boolean }>();
    for (const o of objects) {
      if (o.type !== 'attack-pattern') continue;
      const id = externalId(o);
      if (!id || !o.name) continue;
      const current = names.get(id);
      // The same id can appear on a revoked object and its live successor; the live one wins.
      if (current && !current.revoked) continue;
      names.set(id, {
        name: o.name,
        tactics: (o.kill_chain_phases ?? [])
          .filter((p) => p.kill_chain_name === 'mitre-attack')
          .map((p) => shortnameToId.get(p.phase_name))
          .filter((x): x is string => !!x),
        deprecated: !!o.x_mitre_deprecated,
        revoked: !!o.revoked,
      });
    }
    const techniques = new Map<string, TechniqueInfo>();
    for (const [id, info] of names) {
      const parent = id.includes('.') ? names.get(id.split('.')[0]!) : undefined;
      techniques.set(id, {
        id,
        name: parent ? `${parent.name}: ${info.name}` : info.name,
        tactics: info.tactics,
        deprecated: info.deprecated || info.revoked,
      });
    }
    if (tactics.has(splitTactic) && !tactics.has(newestTactic)) tacticOrder = addV19(tactics, tacticByKey, techniques, tacticOrder);
    return new AttackCatalog(tactics, tacticByKey, techniques, tacticOrder);
  }

  get size(): number {
    return this.techniques.size;
  }

  /** `PrivilegeEscalation`, `privilege-escalation`, `Privilege Escalation`, `TA0004` → TA0004. */
  tacticId(raw: string): string | undefined {
    const trimmed = raw.trim();
    if (/^TA\d{4}$/i.test(trimmed)) return trimmed.toUpperCase();
    return this.tacticByKey.get(keyOf(trimmed));
  }

  tactic(id: string): AttackTactic {
    return this.tactics.get(id) ?? { id, name: id };
  }

  technique(id: string): TechniqueInfo | undefined {
    return this.techniques.get(id.toUpperCase());
  }

  /** Tactics in matrix order and every live technique: what a coverage matrix lays out (see coverage/). */
  matrix(): AttackMatrixSpec {
    const techniques = [...this.techniques.values()]
      .filter((t) => !t.deprecated)
      .map((t) => ({ id: t.id, name: t.name, tactics: t.tactics }))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return { tactics: this.allTactics(), techniques };
  }

  allTactics(): AttackTactic[] {
    const order = this.tacticOrder.length ? this.tacticOrder : [...this.tactics.keys()];
    return order.map((id) => this.tactic(id));
  }

  /** A technique the loaded bundle does not name says so; without any bundle, its id is all there is. */
  private unnamed(id: string): string {
    return this.techniques.size ? notInBundle : id;
  }

  /** Resolve what a rule file says into ids with names. */
  coverage(raw: { tactics: string[]; techniques: string[]; techniqueTactics?: Record<string, string[]> }): AttackCoverage {
    const ruleTactics: string[] = [];
    const unknown = new Map<string, AttackTactic>();
    for (const t of raw.tactics) {
      const id = this.tacticId(t) ?? unknownTactic(t, unknown);
      if (id && !ruleTactics.includes(id)) ruleTactics.push(id);
    }
    const techniques: AttackTechnique[] = [];
    const seen = new Set<string>();
    for (const rawId of raw.techniques) {
      const id = rawId.trim().toUpperCase();
      if (!/^T\d{4}(\.\d{3})?$/.test(id) || seen.has(id)) continue;
      seen.add(id);
      const info = this.technique(id);
      const paired = (raw.techniqueTactics?.[rawId] ?? []).map((t) => this.tacticId(t)).filter((x): x is string => !!x);
      const own = info?.tactics ?? [];
      const shared = own.filter((t) => ruleTactics.includes(t));
      const tactics = paired.length ? paired : shared.length ? shared : ruleTactics.length && !own.length ? ruleTactics : own;
      techniques.push({ id, name: info?.name ?? this.unnamed(id), tactics: [...new Set(tactics)] });
    }
    // A technique v19 renumbered is found under both ids, whichever the rule wrote.
    for (const written of [...techniques]) {
      for (const other of counterparts.get(written.id) ?? []) {
        if (seen.has(other)) continue;
        seen.add(other);
        const info = this.technique(other);
        techniques.push({ id: other, name: info?.name ?? this.unnamed(other), tactics: info?.tactics ?? written.tactics });
      }
    }
    const tacticIds = [...ruleTactics];
    for (const t of techniques) for (const id of t.tactics) if (!tacticIds.includes(id)) tacticIds.push(id);
    return { tactics: tacticIds.map((id) => unknown.get(id) ?? this.tactic(id)), techniques };
  }
}

/** What a technique id no loaded ATT&CK release names is called: shown as such, never as a bare id. */
export const notInBundle = 'not in the loaded ATT&CK';

/** The tactic v19 added, and the one it split from: an Enterprise bundle with the second and not the first is older than v19. */
const newestTactic = 'TA0112';
const splitTactic = 'TA0005';

/** Each id v19 renumbered, and each v19 id, to the ids of the other version (the replaced v18 id first). */
const counterparts = new Map<string, string[]>();
for (const move of v19Moves) {
  counterparts.set(move.v19, [move.v18[0]!]);
  for (const old of move.v18) counterparts.set(old, [move.v19]);
}

/** The ids of the other ATT&CK version a technique id stands for (v18 <-> v19 renumbering); empty when it kept its id. */
export function otherVersionIds(id: string): readonly string[] {
  return counterparts.get(id.toUpperCase()) ?? [];
}

const versionDataDigest = createHash('sha1')
  .update(JSON.stringify([v19Tactics, v19Moves]))
  .digest('hex')
  .slice(0, 8);

/**
 * A bundle older than v19 gets v19's tactics (TA0005 renamed Stealth, Defense Impairment added) and its
 * renumbered techniques, so that rules tagged for v19 find names and tactics; v18 names stay as keys.
 */
function addV19(
  tactics: Map<string, AttackTactic>,
  tacticByKey: Map<string, string>,
  techniques: Map<string, TechniqueInfo>,
  tacticOrder: string[],
): string[] {
  const order = [...tacticOrder];
  for (const t of v19Tactics) {
    tactics.set(t.id, { id: t.id, name: t.name });
    for (const key of [t.id, t.name, t.shortname]) tacticByKey.set(keyOf(key), t.id);
    if (!order.includes(t.id)) {
      const at = t.after ? order.indexOf(t.after) : -1;
      if (at === -1) order.push(t.id);
      else order.splice(at + 1, 0, t.id);
    }
  }
  const v19Names = new Map(v19Moves.map((m) => [m.v19, m.name]));
  for (const move of v19Moves) {
    if (techniques.has(move.v19)) continue;
    const parentName = move.v19.includes('.') ? v19Names.get(move.v19.split('.')[0]!) : undefined;
    techniques.set(move.v19, {
      id: move.v19,
      name: parentName ? `${parentName}: ${move.name}` : move.name,
      tactics: move.tactics,
      deprecated: false,
    });
  }
  return order;
}

/**
 * A tactic the bundle does not know (newer ATT&CK, a typo) is kept as written rather than
 * dropped: `stealth` → { id: 'stealth', name: 'Stealth' }.
 */
function unknownTactic(raw: string, unknown: Map<string, AttackTactic>): string | undefined {
  const id = raw.trim();
  if (!id) return undefined;
  const name = id
    .replace(/[-_]+/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/\b\w/g, (c) => c.toUpperCase());
  unknown.set(id, { id, name });
  return id;
}

function keyOf(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function externalId(o: StixObject): string | undefined {
  return o.external_references?.find((r) => r.source_name === 'mitre-attack')?.external_id;
}

/** The ATT&CK layout a catalog keeps (meta `attackMatrix`), so that a server needs no bundle. */
export interface AttackMatrixSpec {
  tactics: AttackTactic[];
  /** Sub-techniques carry `Parent: Sub` names. */
  techniques: AttackTechnique[];
}

export interface StixObject {
  type: string;
  id: string;
  name?: string;
  revoked?: boolean;
  x_mitre_deprecated?: boolean;
  x_mitre_shortname?: string;
  tactic_refs?: string[];
  kill_chain_phases?: { kill_chain_name: string; phase_name: string }[];
  external_references?: { source_name: string; external_id?: string }[];
}
