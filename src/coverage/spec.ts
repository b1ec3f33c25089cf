// The ATT&CK layout a matrix is drawn on: the catalog's bundle when it kept one, else what the rules name.
import type { AttackMatrixSpec } from '../attack/catalog.js';
import type { Rule } from '../model/types.js';

/** Enterprise tactic order, used when the catalog was built without an ATT&CK bundle. */
const enterpriseTacticOrder = [
  'TA0043',
  'TA0042',
  'TA0001',
  'TA0002',
  'TA0003',
  'TA0004',
  'TA0005',
  'TA0006',
  'TA0007',
  'TA0008',
  'TA0009',
  'TA0011',
  'TA0010',
  'TA0040',
];

/**
 * A layout from the rules alone: the tactics and techniques they name, tactics in Enterprise
 * order (unknown ones after, as the rules spell them). Uncovered techniques cannot show.
 */
export function specFromRules(rules: readonly Rule[]): AttackMatrixSpec {
  const tactics = new Map<string, string>();
  const techniques = new Map<string, { id: string; name: string; tactics: Set<string> }>();
  for (const rule of rules) {
    for (const t of rule.attack.tactics) if (!tactics.has(t.id) || tactics.get(t.id) === t.id) tactics.set(t.id, t.name || t.id);
    for (const t of rule.attack.techniques) {
      let known = techniques.get(t.id);
      if (!known) techniques.set(t.id, (known = { id: t.id, name: t.name || t.id, tactics: new Set() }));
      for (const tactic of t.tactics) known.tactics.add(tactic);
    }
  }
  const rank = (id: string) => {
    const i = enterpriseTacticOrder.indexOf(id);
    return i === -1 ? enterpriseTacticOrder.length : i;
  };
  const order = [...tactics.keys()].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  return {
    tactics: order.map((id) => ({ id, name: tactics.get(id)! })),
    techniques: [...techniques.values()].map((t) => ({ id: t.id, name: t.name, tactics: [...t.tactics] })),
  };
}
