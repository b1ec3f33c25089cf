// The ATT&CK matrix of a rule set: tactics as columns, techniques with their rule counts, per platform.
import type { AttackMatrixSpec } from '../attack/catalog.js';
import type { Rule } from '../model/types.js';
import { countByPlatform, platformsOf } from './platforms.js';

export interface MatrixCell {
  id: string;
  name: string;
  /** Distinct rules on this technique under this tactic; for a technique, its sub-techniques' rules too. */
  count: number;
  /** Rules naming exactly this id (the Navigator layer's score). */
  own: number;
  byPlatform: Record<string, number>;
  subtechniques: MatrixCell[];
}

export interface MatrixColumn {
  id: string;
  name: string;
  /** Techniques of the column with at least one rule. */
  covered: number;
  techniques: MatrixCell[];
}

export interface AttackMatrix {
  /** Rules in the set (with or without ATT&CK). */
  rules: number;
  /** Platforms of the rule set, most rules first. */
  platforms: string[];
  /** Largest cell count: the top of the colour scale. */
  max: number;
  /** Distinct technique ids (sub-techniques included) with at least one rule. */
  techniquesCovered: number;
  /** Technique mentions that no tactic could be found for (neither the rule nor the bundle gives one). */
  unplaced: number;
  columns: MatrixColumn[];
}

export interface MatrixOptions {
  /** Leave out techniques no rule covers (a smaller page). */
  coveredOnly?: boolean;
}

const parentOf = (id: string) => id.split('.')[0]!;
const byName = (a: { name: string; id: string }, b: { name: string; id: string }) =>
  a.name.localeCompare(b.name, 'en') || (a.id < b.id ? -1 : 1);

/**
 * Lay the rules out on the matrix. A rule's technique goes under the tactics the rule files it
 * under, else the bundle's tactics for it, else the rule's own tactics; a tactic or technique the
 * bundle does not know still gets its column or cell, so no rule disappears from the view.
 */
export function attackMatrix(rules: readonly Rule[], spec: AttackMatrixSpec, opts: MatrixOptions = {}): AttackMatrix {
  const specTech = new Map(spec.techniques.map((t) => [t.id, t]));
  const tacticNames = new Map(spec.tactics.map((t) => [t.id, t.name]));
  const tacticOrder = spec.tactics.map((t) => t.id);
  const names = new Map(spec.techniques.map((t) => [t.id, t.name]));
  /** `tactic|technique` → rules naming it; `tactic|parent` → rules naming it or a sub. */
  const own = new Map<string, Set<Rule>>();
  const rollup = new Map<string, Set<Rule>>();
  const add = (map: Map<string, Set<Rule>>, key: string, rule: Rule) => {
    let set = map.get(key);
    if (!set) map.set(key, (set = new Set()));
    set.add(rule);
  };
  let unplaced = 0;
  const covered = new Set<string>();
  for (const rule of rules) {
    for (const t of rule.attack.techniques) {
      if (!names.has(t.id) && t.name && t.name !== t.id) names.set(t.id, t.name);
      const known = specTech.get(t.id) ?? specTech.get(parentOf(t.id));
      const tactics = t.tactics.length ? t.tactics : known?.tactics.length ? known.tactics : rule.attack.tactics.map((x) => x.id);
      if (!tactics.length) {
        unplaced++;
        continue;
      }
      covered.add(t.id);
      for (const tactic of tactics) {
        if (!tacticNames.has(tactic)) {
          tacticNames.set(tactic, rule.attack.tactics.find((x) => x.id === tactic)?.name ?? tactic);
          tacticOrder.push(tactic);
        }
        add(own, `${tactic}|${t.id}`, rule);
        add(rollup, `${tactic}|${parentOf(t.id)}`, rule);
      }
    }
  }
  // Which techniques each column shows: the bundle's, plus any a rule placed there.
  const layout = new Map<string, Map<string, Set<string>>>(tacticOrder.map((id) => [id, new Map()]));
  const place = (tactic: string, id: string) => {
    const parents = layout.get(tactic)!;
    const parent = parentOf(id);
    let subs = parents.get(parent);
    if (!subs) parents.set(parent, (subs = new Set()));
    if (id !== parent) subs.add(id);
  };
  for (const t of spec.techniques) for (const tactic of t.tactics) if (layout.has(tactic)) place(tactic, t.id);
  // A bundle sub-technique sits under its parent wherever the parent is.
  for (const t of spec.techniques) {
    if (!t.id.includes('.')) continue;
    for (const parents of layout.values()) parents.get(parentOf(t.id))?.add(t.id);
  }
  for (const key of own.keys()) {
    const bar = key.indexOf('|');
    place(key.slice(0, bar), key.slice(bar + 1));
  }
  let max = 0;
  const columns: MatrixColumn[] = [];
  for (const tactic of tacticOrder) {
    const cells: MatrixCell[] = [];
    for (const [parent, subIds] of layout.get(tactic)!) {
      const set = rollup.get(`${tactic}|${parent}`);
      const subtechniques = [...subIds]
        .sort()
        .map((id): MatrixCell => {
          const rulesOf = own.get(`${tactic}|${id}`);
          return { id, name: names.get(id) ?? id, count: rulesOf?.size ?? 0, own: rulesOf?.size ?? 0, byPlatform: countByPlatform(rulesOf), subtechniques: [] };
        })
        .filter((c) => !opts.coveredOnly || c.count > 0);
      const cell: MatrixCell = {
        id: parent,
        name: names.get(parent) ?? parent,
        count: set?.size ?? 0,
        own: own.get(`${tactic}|${parent}`)?.size ?? 0,
        byPlatform: countByPlatform(set),
        subtechniques,
      };
      if (opts.coveredOnly && cell.count === 0) continue;
      max = Math.max(max, cell.count);
      cells.push(cell);
    }
    cells.sort(byName);
    if (opts.coveredOnly && !cells.length) continue;
    columns.push({ id: tactic, name: tacticNames.get(tactic) ?? tactic, covered: cells.filter((c) => c.count > 0).length, techniques: cells });
  }
  return {
    rules: rules.length,
    platforms: platformsOf(rules),
    max,
    techniquesCovered: covered.size,
    unplaced,
    columns,
  };
}
