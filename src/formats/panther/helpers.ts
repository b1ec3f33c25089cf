// The helper modules a Panther rule's Python imports from its own source: panther-analysis keeps
// them flat in `global_helpers/` beside `rules/` and `policies/` (`from panther_base_helpers import
// deep_get`, `import panther_event_type_helpers as event_type`, `from global_helpers.x import y`).
// Each is read through SourceFile.readRelated, so it stays inside the source and is noted as a
// related file (a change to it analyses the rule again); the modules they import in turn are read
// too, within bounds. The texts reach the Python analyser in the rule's AnalysisContext.
import type { PythonModules } from '../../model/types.js';
import type { SourceFile } from '../types.js';

/** Where a rule file may find `global_helpers/`: rules/<pack>/x.yml, rules/<pack>/<sub>/x.yml, rules/x.yml. */
const folders = ['../../global_helpers/', '../../../global_helpers/', '../global_helpers/', 'global_helpers/'];

/** Bounds on what one rule reads: modules in all, and hops from the rule's own imports. */
const maxModules = 24;
const maxHops = 3;

const fromImport = /^[ \t]*from[ \t]+([\w.]+)[ \t]+import\b/gm;
const plainImport = /^[ \t]*import[ \t]+([\w.]+(?:[ \t]+as[ \t]+\w+)?(?:[ \t]*,[ \t]*[\w.]+(?:[ \t]+as[ \t]+\w+)?)*)/gm;

/** Module names a Python text imports, by their last dotted part (`global_helpers.x` → `x`). */
export function importedModules(source: string): string[] {
  const out = new Set<string>();
  const add = (dotted: string) => {
    const name = dotted.split('.').pop();
    if (name) out.add(name);
  };
  for (const m of source.matchAll(fromImport)) add(m[1]!);
  for (const m of source.matchAll(plainImport)) for (const part of m[1]!.split(',')) add(part.trim().split(/\s+/)[0]!);
  return [...out];
}

/** The text of a helper module, from the folder found before or else the first that has it. */
function readModule(name: string, file: SourceFile, known: { folder?: string }): string | undefined {
  for (const folder of known.folder ? [known.folder] : folders) {
    const text = file.readRelated?.(`${folder}${name}.py`);
    if (text === undefined) continue;
    known.folder = folder;
    return text;
  }
  return undefined;
}

/** The source's modules a rule's Python imports, directly or through them; undefined when none is found. */
export function helperModules(source: string, file: SourceFile): PythonModules | undefined {
  if (!file.readRelated) return undefined;
  const found: PythonModules = {};
  const tried = new Set<string>();
  // Once one module is found, the others are looked for in the same folder only.
  const known: { folder?: string } = {};
  let wanted = importedModules(source);
  for (let hop = 0; hop < maxHops && wanted.length > 0; hop++) {
    const next: string[] = [];
    for (const name of wanted) {
      if (tried.has(name) || tried.size >= maxModules) continue;
      tried.add(name);
      const text = readModule(name, file, known);
      if (text === undefined) continue;
      found[name] = text;
      next.push(...importedModules(text));
    }
    wanted = next;
  }
  return Object.keys(found).length > 0 ? found : undefined;
}
