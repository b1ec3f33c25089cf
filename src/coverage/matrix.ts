// The ATT&CK matrix of a rule set: tactics as columns, techniques with their rule counts, per platform.
import type { AttackMatrixSpec } from '../attack/catalog.js';
import type { Rule } from '../model/types.js';
import { platformsOf } from './platforms.js';
import { countPlatform, platformRecord, setRanks } from './rule-set.js';

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

interface MatrixColumn {
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

const parentOf = (id: string) => {
  const dot = id.indexOf('.');
  return dot === -1 ? id : id.slice(0, dot);
};
const collator = new Intl.Collator('en');
const byName = (a: { name: string; id: string }, b: { name: string; id: string }) =>
  collator.compare(a.name, b.name) || (a.id < b.id ? -1 : 1);

/**
 * Where each rule's techniques sit, as cell codes (`tactic|technique`), computed once per catalog
 * and layout: a matrix over any subset is then typed-array counting.
 */
export interface MatrixIndex {
  spec: AttackMatrixSpec;
  /** The rules indexed, and each one's position. */
  rules: readonly Rule[];
  position: Map<Rule, number>;
  /** Per cell: its tactic, technique, and the cell of its parent technique under the same tactic. */
  cellTactic: string[];
  cellTechnique: string[];
  parentCell: Int32Array;
  /** Rule i's distinct cells: `codes[offsets[i]] .. codes[offsets[i + 1]]`. */
  offsets: Int32Array;
  codes: Int32Array;
  /** Per rule: technique mentions no tactic could be found for. */
  unplaced: Int32Array;
  /** Tactics in column order (the layout's, then unknown ones as rules name them), with names. */
  tacticOrder: string[];
  tacticNames: Map<string, string>;
  /** Technique names: the layout's, else as rules give them. */
  names: Map<string, string>;
  /**
   * Per technique id, whatever the tactic, the positions of the rules counted for it (ascending): those naming
   * it or, for a technique, one of its sub-techniques. A threat's techniques are then looked up, not scanned for.
   */
  techniqueRules: Map<string, Int32Array>;
}

/**
 * A rule's technique goes under the tactics the rule files it under, else the layout's tactics
 * for it, else the rule's own tactics; a tactic or technique the layout does not know still gets
 * its column or cell, so that no rule disappears from the view.
 */
export function matrixIndex(rules: readonly Rule[], spec: AttackMatrixSpec): MatrixIndex {
  const specTech = new Map(spec.techniques.map((t) => [t.id, t]));
  const tacticNames = new Map(spec.tactics.map((t) => [t.id, t.name]));
  const tacticOrder = spec.tactics.map((t) => t.id);
  const names = new Map(spec.techniques.map((t) => [t.id, t.name]));
  const cellOf = new Map<string, number>();
  const cellTactic: string[] = [];
  const cellTechnique: string[] = [];
  const cell = (tactic: string, technique: string): number => {
    const key = `${tactic}|${technique}`;
    let code = cellOf.get(key);
    if (code === undefined) {
      code = cellTactic.push(tactic) - 1;
      cellTechnique.push(technique);
      cellOf.set(key, code);
    }
    return code;
  };
  const offsets = new Int32Array(rules.length + 1);
  const unplaced = new Int32Array(rules.length);
  const codes: number[] = [];
  rules.forEach((rule, r) => {
    const start = codes.length;
    for (const t of rule.attack.techniques) {
      if (!names.has(t.id) && t.name && t.name !== t.id) names.set(t.id, t.name);
      const known = specTech.get(t.id) ?? specTech.get(parentOf(t.id));
      const tactics = t.tactics.length ? t.tactics : known?.tactics.length ? known.tactics : rule.attack.tactics.map((x) => x.id);
      if (!tactics.length) unplaced[r]!++;
      for (const tactic of tactics) {
        if (!tacticNames.has(tactic)) {
          tacticNames.set(tactic, rule.attack.tactics.find((x) => x.id === tactic)?.name ?? tactic);
          tacticOrder.push(tactic);
        }
        const code = cell(tactic, t.id);
        if (codes.indexOf(code, start) === -1) codes.push(code);
      }
    }
    offsets[r + 1] = codes.length;
  });
  // Every cell's parent technique gets a cell under the same tactic (the roll-up lands there).
  const named = cellTactic.length;
  for (let c = 0; c < named; c++) cell(cellTactic[c]!, parentOf(cellTechnique[c]!));
  const parentCell = Int32Array.from(cellTechnique, (technique, c) => cellOf.get(`${cellTactic[c]}|${parentOf(technique)}`)!);
  return {
    spec,
    rules,
    techniqueRules: techniqueRules(rules.length, offsets, codes, cellTechnique),
    position: new Map(rules.map((r, i) => [r, i])),
    cellTactic,
    cellTechnique,
    parentCell,
    offsets,
    codes: Int32Array.from(codes),
    unplaced,
    tacticOrder,
    tacticNames,
    names,
  };
}

/** The positions of the rules counted for each technique id (its own cells' and, for a parent, its sub-techniques'). */
function techniqueRules(
  count: number,
  offsets: Int32Array,
  codes: readonly number[],
  cellTechnique: readonly string[],
): Map<string, Int32Array> {
  const lists = new Map<string, { last: number; rules: number[] }>();
  for (let r = 0; r < count; r++) {
    for (let j = offsets[r]!; j < offsets[r + 1]!; j++) {
      const technique = cellTechnique[codes[j]!]!;
      const parent = parentOf(technique);
      for (const id of parent === technique ? [technique] : [technique, parent]) {
        let list = lists.get(id);
        if (!list) lists.set(id, (list = { last: -1, rules: [] }));
        if (list.last === r) continue;
        list.last = r;
        list.rules.push(r);
      }
    }
  }
  return new Map([...lists].map(([id, list]) => [id, Int32Array.from(list.rules)]));
}

/** Lay a rule set out on the matrix; `index` is built over a superset of the rules (a server: the catalog). */
export function attackMatrix(
  rules: readonly Rule[],
  spec: AttackMatrixSpec,
  opts: MatrixOptions = {},
  index: MatrixIndex = matrixIndex(rules, spec),
): AttackMatrix {
  const platforms = platformsOf(rules);
  const platformCode = new Map(platforms.map((p, i) => [p, i]));
  const P = platforms.length;
  const n = index.cellTactic.length;
  const own = new Int32Array(n);
  const roll = new Int32Array(n);
  const rollLast = new Int32Array(n).fill(-1);
  const ownPlat = new Int32Array(n * P);
  const rollPlat = new Int32Array(n * P);
  let unplaced = 0;
  for (let k = 0; k < rules.length; k++) {
    const rule = rules[k]!;
    const i = index.position.get(rule);
    if (i === undefined) continue;
    const p = platformCode.get(rule.platform)!;
    unplaced += index.unplaced[i]!;
    for (let j = index.offsets[i]!; j < index.offsets[i + 1]!; j++) {
      const c = index.codes[j]!;
      own[c]!++;
      ownPlat[c * P + p]!++;
      const pc = index.parentCell[c]!;
      if (rollLast[pc] !== k) {
        rollLast[pc] = k;
        roll[pc]!++;
        rollPlat[pc * P + p]!++;
      }
    }
  }
  const byPlatform = (counts: Int32Array, c: number) => {
    const out: Record<string, number> = {};
    for (let p = 0; p < P; p++) if (counts[c * P + p]) out[platforms[p]!] = counts[c * P + p]!;
    return out;
  };
  // Which techniques each column shows: the layout's, plus any a rule of the set placed there.
  const layout = new Map<string, Map<string, Set<string>>>(index.tacticOrder.map((id) => [id, new Map()]));
  const place = (tactic: string, id: string) => {
    const parents = layout.get(tactic);
    if (!parents) return;
    const parent = parentOf(id);
    let subs = parents.get(parent);
    if (!subs) parents.set(parent, (subs = new Set()));
    if (id !== parent) subs.add(id);
  };
  for (const t of spec.techniques) for (const tactic of t.tactics) place(tactic, t.id);
  // A layout sub-technique sits under its parent wherever the parent is.
  for (const t of spec.techniques) {
    if (!t.id.includes('.')) continue;
    for (const parents of layout.values()) parents.get(parentOf(t.id))?.add(t.id);
  }
  const covered = new Set<string>();
  const cellCode = new Map<string, number>();
  for (let c = 0; c < index.cellTactic.length; c++) {
    cellCode.set(`${index.cellTactic[c]}|${index.cellTechnique[c]}`, c);
    if (own[c]) {
      place(index.cellTactic[c]!, index.cellTechnique[c]!);
      covered.add(index.cellTechnique[c]!);
    }
  }
  const names = index.names;
  let max = 0;
  const columns: MatrixColumn[] = [];
  for (const tactic of index.tacticOrder) {
    const cells: MatrixCell[] = [];
    for (const [parent, subIds] of layout.get(tactic)!) {
      const pc = cellCode.get(`${tactic}|${parent}`);
      const subtechniques = [...subIds]
        .sort()
        .map((id): MatrixCell => {
          const c = cellCode.get(`${tactic}|${id}`);
          const count = c === undefined ? 0 : own[c]!;
          return {
            id,
            name: names.get(id) ?? id,
            count,
            own: count,
            byPlatform: c === undefined ? {} : byPlatform(ownPlat, c),
            subtechniques: [],
          };
        })
        .filter((c) => !opts.coveredOnly || c.count > 0);
      const cell: MatrixCell = {
        id: parent,
        name: names.get(parent) ?? parent,
        count: pc === undefined ? 0 : roll[pc]!,
        own: pc === undefined ? 0 : own[pc]!,
        byPlatform: pc === undefined ? {} : byPlatform(rollPlat, pc),
        subtechniques,
      };
      if (opts.coveredOnly && cell.count === 0) continue;
      max = Math.max(max, cell.count);
      cells.push(cell);
    }
    cells.sort(byName);
    if (opts.coveredOnly && !cells.length) continue;
    // A tactic only rules outside this set name has nothing to show.
    if (!cells.length && !spec.tactics.some((t) => t.id === tactic)) continue;
    columns.push({
      id: tactic,
      name: index.tacticNames.get(tactic) ?? tactic,
      covered: cells.filter((c) => c.count > 0).length,
      techniques: cells,
    });
  }
  return { rules: rules.length, platforms, max, techniquesCovered: covered.size, unplaced, columns };
}

export interface TechniqueCount {
  /** Distinct rules; for a technique, its sub-techniques' rules too (as the matrix rolls them up). */
  total: number;
  byPlatform: Record<string, number>;
}

/**
 * Rules per technique whatever the tactic, counted as the matrix counts a cell (a technique gets its
 * sub-techniques' rules, a sub-technique only its own), from the same index: what a threat's techniques
 * are covered by. A technique the matrix shows under one tactic has the same counts here as in its cell.
 */
export function techniqueCounts(rules: readonly Rule[], ids: readonly string[], index: MatrixIndex): Map<string, TechniqueCount> {
  const ranks = setRanks(index.position, rules);
  const out = new Map<string, TechniqueCount>();
  for (const id of ids) {
    if (out.has(id)) continue;
    const platforms = new Map<string, { count: number; firstRank: number }>();
    let total = 0;
    for (const r of index.techniqueRules.get(id) ?? []) {
      const rank = ranks[r]!;
      if (rank < 0) continue;
      total++;
      countPlatform(platforms, index.rules[r]!.platform, rank);
    }
    out.set(id, { total, byPlatform: platformRecord(platforms) });
  }
  return out;
}
