// `isinstance(X, MagicMock)`: how panther-analysis rules take a value their tests mock (`if
// isinstance(ALLOWED, MagicMock): ALLOWED = json.loads(ALLOWED())`). Outside a test run nothing is a
// `unittest.mock` object, so the test is False and the rule keeps its own constant: the analysis
// reads the rule as it runs in production (a test that mocks the value may then disagree, and is
// classed as mocking a function). The class is found through the module's imports, not by its name.
import type { Node } from 'web-tree-sitter';
import type { ModuleContext } from './modules.js';
import { named, unwrap } from './values.js';

/** The classes of `unittest.mock` (the format keys a module by the last part of its dotted name). */
const mockClasses = new Set(['Mock', 'MagicMock', 'NonCallableMock', 'NonCallableMagicMock', 'AsyncMock']);

function isMockClass(n: Node, mod: ModuleContext): boolean {
  if (n.type !== 'identifier' || mod.functions.has(n.text)) return false;
  const imp = mod.imports.get(n.text);
  return imp?.kind === 'name' && imp.module === 'mock' && !mod.graph.has('mock') && mockClasses.has(imp.name);
}

/**
 * When `isinstance`'s types are all `unittest.mock` classes: whether the subject is mocked (a name
 * the test being read mocks, test-mocks.ts; outside a test nothing is); undefined otherwise.
 */
export function mockInstance(types: Node, mod: ModuleContext, subjectMocked = false): boolean | undefined {
  const t = unwrap(types);
  const nodes = t.type === 'tuple' ? named(t) : [t];
  return nodes.length > 0 && nodes.every((n) => isMockClass(n, mod)) ? subjectMocked : undefined;
}
