// The catalog's ATT&CK layout and where its rules sit on it, once per catalog: the matrix page
// counts with it, and Explore's `matrix:` search term (explore/search-fields.ts) lists a cell's
// rules with it, so that a cell's count and the list it opens are the same rules.
import type { AttackMatrixSpec } from '../attack/catalog.js';
import type { CatalogStore } from '../store/read.js';
import { type MatrixIndex, matrixIndex } from './matrix.js';
import { specFromRules } from './spec.js';

const specs = new WeakMap<CatalogStore, AttackMatrixSpec>();
const indexes = new WeakMap<CatalogStore, MatrixIndex>();

/** The bundle's layout kept in the catalog, else one from every rule (stable whatever the filters). */
export function catalogMatrixSpec(store: CatalogStore): AttackMatrixSpec {
  let spec = specs.get(store);
  if (!spec) specs.set(store, (spec = store.attackMatrix() ?? specFromRules(store.rules)));
  return spec;
}

/** Where the catalog's rules sit on the matrix, built on first use. */
export function catalogMatrix(store: CatalogStore): MatrixIndex {
  let index = indexes.get(store);
  if (!index) indexes.set(store, (index = matrixIndex(store.rules, catalogMatrixSpec(store))));
  return index;
}

/**
 * The cells rule `i` (its position in the catalog) is counted in, as `tactic/technique`: each cell
 * it names and that cell's parent technique under the same tactic (a technique counts its sub-techniques' rules).
 */
export function matrixCellsOf(index: MatrixIndex, i: number): string[] {
  const out: string[] = [];
  for (let j = index.offsets[i]!; j < index.offsets[i + 1]!; j++) {
    const c = index.codes[j]!;
    const parent = index.parentCell[c]!;
    out.push(`${index.cellTactic[c]}/${index.cellTechnique[c]}`);
    if (parent !== c) out.push(`${index.cellTactic[parent]}/${index.cellTechnique[parent]}`);
  }
  return out;
}
