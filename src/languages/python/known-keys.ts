// A loop over a mapping field's keys that acts only on the keys of a constant dict:
//   for tag in tags:
//       if tag in IGNORED.keys():
//           if tags[tag] == IGNORED[tag]: return True
// Only the dict's keys reach the body, so the loop is read once per key k of the dict (at most 8):
// "k is a key of the field's mapping, and the body holds with tag = k" (key-subsets.ts reads the key
// test). The order Python walks the mapping in is not the dict's: the body's returns must all be the
// same constant, and the body may not `break`, `continue` or assign, so that order and state do not matter.
import type { Node } from 'web-tree-sitter';
import type { Scalar } from '../../model/types.js';
import { keysReceiver } from './mapping-keys.js';
import { type ConstValue, field, named, unwrap } from './values.js';

const constants = new Set(['True', 'False', 'None']);
const stateful = new Set([
  'break_statement',
  'continue_statement',
  'assignment',
  'augmented_assignment',
  'global_statement',
  'named_expression',
]);

/** The statements of `n` (no nested function): `stop` on one of them. */
function some(n: Node, stop: (x: Node) => boolean): boolean {
  if (stop(n)) return true;
  if (n.type === 'function_definition' || n.type === 'lambda') return false;
  return named(n).some((c) => some(c, stop));
}

/**
 * The constant keys the body of `for variable in ...` acts on: its one statement is `if variable in D:`
 * (or `D.keys()`), no `elif`/`else`, D a constant dict of at most `max` entries (`constOf` reads it);
 * undefined when the body is of any other form.
 */
export function keysActedOn(body: Node, variable: string, max: number, constOf: (n: Node) => ConstValue | undefined): Scalar[] | undefined {
  const statements = named(body);
  const only = statements.length === 1 ? statements[0]! : undefined;
  if (only?.type !== 'if_statement' || only.childrenForFieldName('alternative').some((a) => a !== null)) return undefined;
  const condition = field(only, 'condition');
  const c = condition ? unwrap(condition) : undefined;
  if (c?.type !== 'comparison_operator') return undefined;
  const operands = named(c);
  const ops = c.children.filter((x) => x !== null && !x.isNamed);
  if (operands.length !== 2 || ops.length !== 1 || ops[0]!.type !== 'in') return undefined;
  if (unwrap(operands[0]!).type !== 'identifier' || unwrap(operands[0]!).text !== variable) return undefined;
  const dict = constOf(keysReceiver(operands[1]!) ?? operands[1]!);
  if (dict?.kind !== 'collection' || dict.partial || !dict.entries || dict.entries.length > max) return undefined;
  if (some(body, (x) => stateful.has(x.type))) return undefined;
  const returned = new Set<string>();
  some(body, (x) => {
    if (x.type === 'return_statement') returned.add(named(x)[0]?.text ?? 'None');
    return false;
  });
  // One constant returned (`return True` everywhere): which key returns first does not change the result.
  const [value] = returned;
  return returned.size <= 1 && (value === undefined || constants.has(value)) ? dict.entries.map(([k]) => k) : undefined;
}
