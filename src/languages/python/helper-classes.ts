// Small helper classes whose instances carry the event's data, as Panther's enrichment helpers do
// (`TorExitNodes(event).has_exit_nodes()` reads `p_enrichment.tor_exit_nodes`). A class whose
// constructor only stores values on `self` (directly, through its bases' methods called as
// `super().m(...)`, or under an `if` its constant arguments decide: constructor-branches.ts) is read
// as the attributes it stores; a method called on an instance is read as the method's body with
// `self` bound to them. A constructor that does anything else (another branch, a loop, a call of a
// service or a library) is not read: the call keeps its text and its reason.
import type { Node } from 'web-tree-sitter';
import { type Binding, parameterName, type Scope } from './conditions.js';
import { decidedBranch } from './constructor-branches.js';
import { gathered, gatheredName } from './spread-arguments.js';
import { classNamed, type ClassRef, type FunctionRef, type ModuleContext } from './modules.js';
import { field, named, unwrap } from './values.js';

/** An instance of a small helper class: the values its constructor stored on `self`. */
export interface Instance {
  kind: 'instance';
  cls: ClassRef;
  attrs: Map<string, Binding>;
}

/** What the analyser reads for this module: the binding of an expression of `mod`, in `scope`. */
export interface InstanceReader {
  bindingIn(mod: ModuleContext, node: Node, scope: Scope): Binding;
}

/** A method and the class that defines it (whose bases `super()` in it names). */
export interface MethodRef {
  fn: FunctionRef;
  owner: ClassRef;
}

/** How far base classes and constructor calls are followed. */
const maxDepth = 4;

/** The function definitions of a class body, decorated ones included (a property is one). */
function methodsOf(cls: Node): Node[] {
  const body = field(cls, 'body');
  if (!body) return [];
  return named(body)
    .map((s) => (s.type === 'decorated_definition' ? field(s, 'definition') : s))
    .filter((s): s is Node => s?.type === 'function_definition');
}

/** The classes `cls` derives from, as its module names them (`object` and unknown ones are left out). */
function basesOf(cls: ClassRef): ClassRef[] {
  const args = field(cls.def, 'superclasses');
  if (!args) return [];
  return named(args)
    .filter((a) => a.type === 'identifier')
    .map((a) => classNamed(cls.mod, a.text))
    .filter((c): c is ClassRef => c !== undefined);
}

/** Method `name` of `cls` or, as Python resolves it, of its bases (left to right, depth first). */
export function methodOf(cls: ClassRef, name: string, depth = 0): MethodRef | undefined {
  const own = methodsOf(cls.def).find((m) => field(m, 'name')?.text === name);
  if (own) return { fn: { def: own, mod: cls.mod }, owner: cls };
  if (depth >= maxDepth) return undefined;
  for (const base of basesOf(cls)) {
    const found = methodOf(base, name, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** What `super().name` is from a method of `owner`: the method of its bases. */
function superMethod(owner: ClassRef, name: string): MethodRef | undefined {
  for (const base of basesOf(owner)) {
    const found = methodOf(base, name, 1);
    if (found) return found;
  }
  return undefined;
}

/** The class a call constructs: `Cls(...)` with `Cls` a class of the module or imported from a helper. */
export function constructedClass(call: Node, mod: ModuleContext, shadowed: (name: string) => boolean): ClassRef | undefined {
  const fn = call.type === 'call' ? field(call, 'function') : undefined;
  if (fn?.type !== 'identifier' || shadowed(fn.text)) return undefined;
  return classNamed(mod, fn.text);
}

/** Arguments of a call, bound: positional in order and by keyword. */
export interface BoundArguments {
  positional: Binding[];
  keywords: Map<string, Binding>;
}

/**
 * A method's scope: its first parameter is `self`, the others take the arguments (a parameter with
 * no argument its default, read in the method's module); `*args` the ones left, a tuple
 * (spread-arguments.ts); **kwargs is not read.
 */
export function methodScope(method: MethodRef, self: Binding, args: BoundArguments, reader: InstanceReader): Scope | undefined {
  const params = field(method.fn.def, 'parameters');
  if (!params) return undefined;
  const scope: Scope = new Map();
  let i = -1;
  let gatheredRest = false;
  for (const p of named(params)) {
    // `*keys`: the positional arguments left; the parameters after it take keywords only.
    const gatheredAs = i >= 0 && !gatheredRest ? gatheredName(p) : undefined;
    if (gatheredAs) {
      scope.set(gatheredAs, gathered(args.positional.slice(i)));
      gatheredRest = true;
      continue;
    }
    if (p.type === 'list_splat_pattern' || p.type === 'dictionary_splat_pattern') return undefined;
    const name = parameterName(p);
    if (!name) continue;
    if (i < 0) {
      scope.set(name.text, self);
      i = 0;
      continue;
    }
    const given = (gatheredRest ? undefined : args.positional[i++]) ?? args.keywords.get(name.text);
    const fallback = p.type === 'default_parameter' || p.type === 'typed_default_parameter' ? field(p, 'value') : undefined;
    scope.set(name.text, given ?? (fallback ? reader.bindingIn(method.fn.mod, fallback, scope) : { kind: 'unknown' }));
  }
  return i < 0 ? undefined : scope;
}

/** The arguments of `call` bound in `scope` of `mod`. */
export function boundArguments(call: Node, mod: ModuleContext, scope: Scope, reader: InstanceReader): BoundArguments | undefined {
  const args = field(call, 'arguments');
  if (!args) return undefined;
  const out: BoundArguments = { positional: [], keywords: new Map() };
  for (const a of named(args)) {
    if (a.type === 'comment') continue;
    if (a.type === 'list_splat' || a.type === 'dictionary_splat') return undefined;
    if (a.type === 'keyword_argument') {
      const name = field(a, 'name');
      const value = field(a, 'value');
      if (!name || !value) return undefined;
      out.keywords.set(name.text, reader.bindingIn(mod, value, scope));
    } else out.positional.push(reader.bindingIn(mod, a, scope));
  }
  return out;
}

/** `self.name` where `self` is the name `selfName`: that attribute's name. */
function selfAttribute(n: Node, selfName: string): string | undefined {
  if (n.type !== 'attribute') return undefined;
  const obj = field(n, 'object');
  return obj?.type === 'identifier' && obj.text === selfName ? field(n, 'attribute')?.text : undefined;
}

/** `super().name(...)`: the method name. */
function superCall(call: Node): string | undefined {
  const fn = field(call, 'function');
  const obj = fn?.type === 'attribute' ? field(fn, 'object') : undefined;
  const inner = obj?.type === 'call' ? field(obj, 'function') : undefined;
  const args = obj && field(obj, 'arguments');
  if (inner?.type !== 'identifier' || inner.text !== 'super' || (args && named(args).length > 0)) return undefined;
  return field(fn!, 'attribute')?.text;
}

/**
 * Runs a constructor-like method on `instance`: each statement stores a value on `self`, calls
 * `super().m(...)` (run the same way), or is a docstring or `pass`. False when it does anything else.
 */
function storeAttributes(method: MethodRef, instance: Instance, args: BoundArguments, reader: InstanceReader, depth: number): boolean {
  const scope = methodScope(method, instance, args, reader);
  const body = field(method.fn.def, 'body');
  const selfName = [...(scope?.keys() ?? [])][0];
  if (!scope || !body || !selfName || depth > maxDepth) return false;
  const pending = named(body);
  for (let stmt = pending.shift(); stmt; stmt = pending.shift()) {
    if (stmt.type === 'pass_statement' || stmt.type === 'comment') continue;
    // An `if` on a constant argument (`if table is None:`): the statements of the branch taken, in its place.
    const branch = decidedBranch(stmt, scope);
    if (branch) {
      pending.unshift(...branch);
      continue;
    }
    const expr = stmt.type === 'expression_statement' ? named(stmt) : [];
    if (expr.length !== 1) return false;
    const e = unwrap(expr[0]!);
    if (e.type === 'string') continue;
    if (e.type === 'assignment') {
      const left = field(e, 'left');
      const right = field(e, 'right');
      const attr = left && selfAttribute(left, selfName);
      if (!attr || !right || field(e, 'type')) return false;
      instance.attrs.set(attr, reader.bindingIn(method.fn.mod, right, scope));
      continue;
    }
    const name = e.type === 'call' ? superCall(e) : undefined;
    const next = name && superMethod(method.owner, name);
    const nextArgs = next && boundArguments(e, method.fn.mod, scope, reader);
    if (!next || !nextArgs || !storeAttributes(next, instance, nextArgs, reader, depth + 1)) return false;
  }
  return true;
}

/** The instance `Cls(args)` makes, when its constructor only stores values (undefined otherwise). */
export function constructed(cls: ClassRef, args: BoundArguments, reader: InstanceReader): Instance | undefined {
  const instance: Instance = { kind: 'instance', cls, attrs: new Map() };
  const init = methodOf(cls, '__init__');
  return !init || storeAttributes(init, instance, args, reader, 0) ? instance : undefined;
}

/** `x.name` of an instance: the value its constructor stored under that name. */
export function instanceAttribute(n: Node, bound: (name: string) => Binding | undefined): Binding | undefined {
  if (n.type !== 'attribute') return undefined;
  const obj = field(n, 'object');
  const b = obj?.type === 'identifier' ? bound(obj.text) : undefined;
  const name = field(n, 'attribute')?.text;
  return b?.kind === 'instance' && name ? b.attrs.get(name) : undefined;
}

/** An instance read for its truth: true unless its class (or a base) defines `__bool__` or `__len__` (then not read). */
export function instanceTruth(instance: Instance): true | undefined {
  return methodOf(instance.cls, '__bool__') || methodOf(instance.cls, '__len__') ? undefined : true;
}
