// A rule's module and the helper modules it imports (AnalysisContext.pythonModules, by module
// name), each with its constants, functions and imports. Helper modules are parsed on demand,
// once per analysis, and freed with it: nothing outlives one `analyse` call.
import type { Node, Tree } from 'web-tree-sitter';
import type { DataModelTable, PythonModules } from '../../model/types.js';
import { parsePython } from './parser.js';
import { type ConstValue, Constants, field, named } from './values.js';

/**
 * What an imported name stands for: a name of another module, or the module itself. `dotted`: the
 * module's name as written (`policyuniverse.policy`), where `module` keeps its last part.
 */
type Imported = { kind: 'name'; module: string; name: string; dotted: string } | { kind: 'module'; module: string; dotted: string };

/** Per-module facts shared by every function of the module. */
export interface ModuleContext {
  /** The module's name (`panther_base_helpers`); '' for the rule itself. */
  name: string;
  constants: Constants;
  functions: Map<string, Node>;
  /** The module's top-level classes, by name (helper-classes.ts). */
  classes: Map<string, Node>;
  /** Local name → what it was imported as. */
  imports: Map<string, Imported>;
  /** Modules imported with `from m import *`. */
  wildcards: string[];
  udm: DataModelTable | undefined;
  graph: ModuleGraph;
  /** The rule module's names a test mocks, each → what a call of it gives (test-mocks.ts); undefined without mocks. */
  mocked?: Map<string, ConstValue | undefined>;
}

/** A construct read as `other` or left out, noted for an info diagnostic (gaps are counted, not hidden). */
export interface Gap {
  message: string;
  /** Where, when it is in the rule's own module (a helper module's lines are not the query's). */
  node?: Node;
}

/** A gap met while reading `mod`: placed when in the rule's module, else named by its module. */
export function gapIn(mod: ModuleContext, message: string, node: Node): Gap {
  return mod.name === '' ? { message, node } : { message: `${message} (in ${mod.name})` };
}

/** A function and the module it is defined in (whose constants and imports its body reads). */
export interface FunctionRef {
  def: Node;
  mod: ModuleContext;
}

/** How far a name is followed through re-exports (`from a import x` in b, `from b import x`). */
const maxReexports = 4;

/** `global_helpers.panther_base_helpers` → `panther_base_helpers`, as the format keys modules. */
function moduleKey(dotted: string): string {
  return dotted.split('.').pop() ?? dotted;
}

/** The import statements at the top level of a module. */
function importsOf(root: Node): { imports: Map<string, Imported>; wildcards: string[] } {
  const imports = new Map<string, Imported>();
  const wildcards: string[] = [];
  for (const stmt of named(root)) {
    if (stmt.type === 'import_from_statement') {
      const from = field(stmt, 'module_name');
      if (!from || from.type !== 'dotted_name') continue;
      const module = moduleKey(from.text);
      if (named(stmt).some((c) => c.type === 'wildcard_import')) wildcards.push(module);
      for (const n of stmt.childrenForFieldName('name')) {
        if (!n) continue;
        const name = n.type === 'aliased_import' ? field(n, 'name') : n;
        const alias = n.type === 'aliased_import' ? field(n, 'alias') : n;
        if (name && alias) imports.set(alias.text, { kind: 'name', module, name: name.text, dotted: from.text });
      }
    } else if (stmt.type === 'import_statement') {
      for (const n of stmt.childrenForFieldName('name')) {
        // `import a.b` binds `a`; only `import m` and `import a.b as m` name a module we can follow.
        if (n?.type === 'aliased_import') {
          const name = field(n, 'name');
          const alias = field(n, 'alias');
          if (name && alias) imports.set(alias.text, { kind: 'module', module: moduleKey(name.text), dotted: name.text });
        } else if (n?.type === 'dotted_name' && !n.text.includes('.'))
          imports.set(n.text, { kind: 'module', module: n.text, dotted: n.text });
      }
    }
  }
  return { imports, wildcards };
}

/** The top-level functions of a module, decorated ones included. */
export function topLevelFunctions(root: Node): { def: Node; whole: Node }[] {
  const out: { def: Node; whole: Node }[] = [];
  for (const stmt of named(root)) {
    if (stmt.type === 'function_definition') out.push({ def: stmt, whole: stmt });
    else if (stmt.type === 'decorated_definition') {
      const def = field(stmt, 'definition');
      if (def?.type === 'function_definition') out.push({ def, whole: stmt });
    }
  }
  return out;
}

/** The top-level classes of a module, decorated ones included. */
function topLevelClasses(root: Node): Node[] {
  const out: Node[] = [];
  for (const stmt of named(root)) {
    const def = stmt.type === 'decorated_definition' ? field(stmt, 'definition') : stmt;
    if (def?.type === 'class_definition') out.push(def);
  }
  return out;
}

/**
 * Parsed helper modules by text, kept across analyses: every rule of a source imports the same
 * `global_helpers` modules, and parsing them again for each rule cost a Panther build about 40% more
 * CPU. A tree is read only, so sharing it changes no result; the oldest are freed past the bound.
 */
const sharedTrees = new Map<string, Tree | undefined>();
const maxSharedTrees = 128;

function parsedModule(text: string): Tree | undefined {
  if (sharedTrees.has(text)) return sharedTrees.get(text);
  const tree = parsePython(text);
  sharedTrees.set(text, tree);
  return tree;
}

/** Frees the oldest shared trees past the bound; called before an analysis, never during one (its trees stay whole). */
function trimSharedTrees(): void {
  for (const [text, tree] of sharedTrees) {
    if (sharedTrees.size <= maxSharedTrees) return;
    tree?.delete();
    sharedTrees.delete(text);
  }
}

export class ModuleGraph {
  private readonly parsed = new Map<string, ModuleContext | undefined>();

  constructor(
    private readonly sources: PythonModules,
    private readonly udm: DataModelTable | undefined,
  ) {
    trimSharedTrees();
  }

  /** A module's context from its parsed root. */
  context(name: string, root: Node): ModuleContext {
    const { imports, wildcards } = importsOf(root);
    const mod: ModuleContext = {
      name,
      constants: new Constants(root, (n) => importedConst(mod, n)),
      functions: new Map(topLevelFunctions(root).map((f) => [field(f.def, 'name')?.text ?? '', f.def])),
      classes: new Map(topLevelClasses(root).map((c) => [field(c, 'name')?.text ?? '', c])),
      imports,
      wildcards,
      udm: this.udm,
      graph: this,
    };
    return mod;
  }

  /** Whether the source has a module of that name. */
  has(name: string): boolean {
    return Object.hasOwn(this.sources, name);
  }

  /** A helper module of the source; undefined when the source has none by that name or it does not parse. */
  module(name: string): ModuleContext | undefined {
    if (this.parsed.has(name)) return this.parsed.get(name);
    this.parsed.set(name, undefined);
    const text = this.has(name) ? this.sources[name] : undefined;
    const tree = text === undefined ? undefined : parsedModule(text);
    if (!tree) return undefined;
    const mod = tree.rootNode.hasError ? undefined : this.context(name, tree.rootNode);
    this.parsed.set(name, mod);
    return mod;
  }
}

/** Where an imported name leads: the module it names and the name in it, followed through `import *`. */
function importTarget(mod: ModuleContext, name: string): { mod: ModuleContext; name: string } | undefined {
  const imp = mod.imports.get(name);
  if (imp?.kind === 'name') {
    const target = mod.graph.module(imp.module);
    return target ? { mod: target, name: imp.name } : undefined;
  }
  if (imp) return undefined;
  for (const w of mod.wildcards) {
    const target = mod.graph.module(w);
    if (target && (target.functions.has(name) || target.classes.has(name) || target.constants.has(name) || target.imports.has(name)))
      return { mod: target, name };
  }
  return undefined;
}

/** A module `import m` / `import m as x` names, by its local name. */
function importedModule(mod: ModuleContext, local: string): ModuleContext | undefined {
  const imp = mod.imports.get(local);
  return imp?.kind === 'module' ? mod.graph.module(imp.module) : undefined;
}

/** The function a name calls in a module: its own, or one imported from a helper module. */
export function functionNamed(mod: ModuleContext, name: string, hops = 0): FunctionRef | undefined {
  const own = mod.functions.get(name);
  if (own) return { def: own, mod };
  if (hops >= maxReexports) return undefined;
  const target = importTarget(mod, name);
  return target ? functionNamed(target.mod, target.name, hops + 1) : undefined;
}

/** A class and the module it is defined in. */
export interface ClassRef {
  def: Node;
  mod: ModuleContext;
}

/** The class a name stands for in a module: its own, or one imported from a helper module. */
export function classNamed(mod: ModuleContext, name: string, hops = 0): ClassRef | undefined {
  const own = mod.classes.get(name);
  if (own) return { def: own, mod };
  if (mod.functions.has(name) || hops >= maxReexports) return undefined;
  const target = importTarget(mod, name);
  return target ? classNamed(target.mod, target.name, hops + 1) : undefined;
}

/** The function a call names: `helper(...)`, an imported `helper(...)`, `module.helper(...)`. */
export function calledFunction(mod: ModuleContext, fn: Node): FunctionRef | undefined {
  // A name a test mocks is not the module's function (test-mocks.ts).
  if (fn.type === 'identifier') return mod.mocked?.has(fn.text) ? undefined : functionNamed(mod, fn.text);
  if (fn.type !== 'attribute') return undefined;
  const obj = field(fn, 'object');
  const name = field(fn, 'attribute')?.text;
  const module = obj?.type === 'identifier' ? importedModule(mod, obj.text) : undefined;
  return module && name ? functionNamed(module, name) : undefined;
}

/** The value of a name imported into a module (`from helpers import NAMES`, `module.NAME`). */
function importedConst(mod: ModuleContext, name: string, hops = 0): ConstValue | undefined {
  if (hops >= maxReexports) return undefined;
  const dot = name.indexOf('.');
  if (dot > 0) {
    const target = importedModule(mod, name.slice(0, dot));
    const rest = name.slice(dot + 1);
    return target && !rest.includes('.') ? target.constants.get(rest) : undefined;
  }
  const target = importTarget(mod, name);
  if (!target) return undefined;
  if (target.mod.constants.has(target.name)) return target.mod.constants.get(target.name);
  return importedConst(target.mod, target.name, hops + 1);
}

/** The module a name was imported from, for diagnostics: `panther_base_helpers`. */
export function importedFrom(mod: ModuleContext, name: string): string | undefined {
  const imp = mod.imports.get(name);
  return imp?.module;
}

/**
 * Whether a call's function is `name` of the standard module `module`, through the module's imports
 * (`from module import name` or `import module`), and not hidden by a local of the same name.
 */
export function isLibraryFunction(
  mod: ModuleContext,
  fn: Node,
  shadowed: (name: string) => boolean,
  module: string,
  name: string,
): boolean {
  if (fn.type === 'identifier') {
    const imp = mod.imports.get(fn.text);
    return !shadowed(fn.text) && imp?.kind === 'name' && imp.module === module && imp.name === name;
  }
  if (fn.type !== 'attribute' || field(fn, 'attribute')?.text !== name) return false;
  const obj = field(fn, 'object');
  const imp = obj?.type === 'identifier' && !shadowed(obj.text) ? mod.imports.get(obj.text) : undefined;
  return imp?.kind === 'module' && imp.module === module;
}
