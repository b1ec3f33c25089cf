// A Panther test's `Mocks:` as the rule's input. Panther's test runner (and ours, runtime/shim)
// patches each mocked name of the rule's module with `MagicMock(return_value=returnValue)`: calling
// the name gives the returnValue (`check_account_age(k)` → "False", `get_string_set(k)` → '[]'),
// and `isinstance(NAME, MagicMock)` holds, which is how rules take a mocked constant
// (`ALLOWED = json.loads(ALLOWED())`). Read with a test's mocks (AnalysisContext.mocks), the
// analysis answers for that test the question its run answers: the mocked name is no longer the
// module's function, import or constant, its calls are the returnValue, and a mocked name read any
// other way (a MagicMock object itself) is not read (unknown), never the constant it replaced.
import type { Node } from 'web-tree-sitter';
import type { Scalar } from '../../model/types.js';
import type { ModuleContext } from './modules.js';
import { type ConstValue, field, unwrap } from './values.js';

/** A returnValue as the constant a call of the mock gives: YAML scalars only (strings, numbers, booleans, null). */
function returned(value: unknown): ConstValue | undefined {
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return { kind: 'scalar', value: value as Scalar };
  return undefined;
}

/** The rule module `mod` as a test with `mocks` runs it: each mocked name replaced by its mock. */
export function applyMocks(mod: ModuleContext, mocks: Record<string, unknown>): void {
  const mocked = new Map<string, ConstValue | undefined>();
  for (const [name, value] of Object.entries(mocks)) {
    mocked.set(name, returned(value));
    mod.functions.delete(name);
    mod.imports.delete(name);
    mod.constants.forget(name);
  }
  mod.mocked = mocked;
}

/** A mocked name of `mod`, not rebound where it is read (`inScope`): the identifier's text. */
export function mockedName(node: Node, mod: ModuleContext, inScope: (name: string) => boolean): string | undefined {
  const n = unwrap(node);
  return n.type === 'identifier' && mod.mocked?.has(n.text) && !inScope(n.text) ? n.text : undefined;
}

/** What a call of a mocked name gives: its returnValue, as a constant (undefined: not a call of a mock, or a value not read). */
export function mockedCall(call: Node, mod: ModuleContext, inScope: (name: string) => boolean): ConstValue | undefined {
  const fn = field(call, 'function');
  const name = fn && mockedName(fn, mod, inScope);
  return name === undefined ? undefined : mod.mocked?.get(name);
}
