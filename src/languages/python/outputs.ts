// Output fields of a Panther rule: the keys of the dict `alert_context()` returns, read through
// the helpers that build it, the rule's own or imported from the source's helper modules.
import type { Node } from 'web-tree-sitter';
import { calledFunction, type Gap, gapIn, type ModuleContext } from './modules.js';
import { field, named, stringValue, unwrap } from './values.js';

const maxDepth = 4;

/** Keys a dict-valued expression is known to have. */
function keysOf(expr: Node, locals: Map<string, string[]>, ctx: Ctx, depth: number): string[] {
  const n = unwrap(expr);
  switch (n.type) {
    case 'dictionary': {
      const out: string[] = [];
      for (const item of named(n)) {
        if (item.type === 'pair') {
          const key = field(item, 'key');
          const k = key ? constKey(key, ctx) : undefined;
          if (k !== undefined) out.push(k);
        } else if (item.type === 'dictionary_splat') {
          const inner = named(item)[0];
          if (inner) out.push(...keysOf(inner, locals, ctx, depth));
        }
      }
      return out;
    }
    case 'identifier':
      return locals.get(n.text) ?? [];
    case 'binary_operator': {
      const l = field(n, 'left');
      const r = field(n, 'right');
      return [...(l ? keysOf(l, locals, ctx, depth) : []), ...(r ? keysOf(r, locals, ctx, depth) : [])];
    }
    case 'call': {
      const fn = field(n, 'function');
      if (!fn) return [];
      const args = field(n, 'arguments');
      if (fn.type === 'identifier' && fn.text === 'dict') {
        const out: string[] = [];
        for (const a of args ? named(args) : []) {
          if (a.type === 'keyword_argument') {
            const name = field(a, 'name')?.text;
            if (name) out.push(name);
          } else out.push(...keysOf(a, locals, ctx, depth));
        }
        return out;
      }
      // `ctx.copy()`, `{...}.copy()`
      if (fn.type === 'attribute' && field(fn, 'attribute')?.text === 'copy') {
        const obj = field(fn, 'object');
        return obj ? keysOf(obj, locals, ctx, depth) : [];
      }
      const helper = calledFunction(ctx.mod, fn);
      if (helper) return depth < maxDepth ? functionKeys(helper.def, { ...ctx, mod: helper.mod }, depth + 1) : [];
      // A call is not a key: a helper that cannot be read gives none, and says so.
      const imported = ctx.mod.imports.get(fn.type === 'identifier' ? fn.text : (field(fn, 'object')?.text ?? ''));
      if (imported) {
        const why = ctx.mod.graph.has(imported.module)
          ? `module ${imported.module} of the source does not define it`
          : `${imported.module} is not a module of the source`;
        ctx.gaps.push(gapIn(ctx.mod, `alert_context keys from ${fn.text}() are not read: ${why}`, n));
      }
      return [];
    }
    default:
      return [];
  }
}

interface Ctx {
  /** The module of the function being read. */
  mod: ModuleContext;
  /** Helper calls whose keys could not be read. */
  gaps: Gap[];
}

function constKey(node: Node, ctx: Ctx): string | undefined {
  const s = stringValue(unwrap(node));
  if (s !== undefined) return s;
  const v = ctx.mod.constants.evaluate(node);
  return v?.kind === 'scalar' && typeof v.value === 'string' ? v.value : undefined;
}

/** Walks a function's statements in order, tracking dict-valued locals, collecting returns. */
function functionKeys(fn: Node, ctx: Ctx, depth: number): string[] {
  const body = field(fn, 'body');
  if (!body) return [];
  const locals = new Map<string, string[]>();
  const out: string[] = [];
  const visit = (stmts: Node[]) => {
    for (const s of stmts) {
      if (s.type === 'function_definition' || s.type === 'class_definition') continue;
      if (s.type === 'return_statement') {
        const expr = named(s)[0];
        if (expr) out.push(...keysOf(expr, locals, ctx, depth));
        continue;
      }
      if (s.type === 'expression_statement') {
        for (const e of named(s)) statementKeys(e, locals, ctx, depth);
        continue;
      }
      // Nested blocks: if/for/with/try bodies and their clauses.
      for (const child of named(s)) {
        if (child.type === 'block') visit(named(child));
        else if (['elif_clause', 'else_clause', 'except_clause', 'finally_clause'].includes(child.type)) {
          for (const b of named(child)) if (b.type === 'block') visit(named(b));
        }
      }
    }
  };
  visit(named(body));
  return out;
}

/** `ctx = {...}`, `ctx["k"] = v`, `ctx.update({...})`, `ctx |= {...}`. */
function statementKeys(e: Node, locals: Map<string, string[]>, ctx: Ctx, depth: number): void {
  if (e.type === 'assignment') {
    const left = field(e, 'left');
    const right = field(e, 'right');
    if (!left || !right) return;
    if (left.type === 'identifier') {
      const keys = keysOf(right, locals, ctx, depth);
      const r = unwrap(right);
      if (keys.length > 0 || r.type === 'dictionary' || r.type === 'call') locals.set(left.text, keys);
      return;
    }
    if (left.type === 'subscript') {
      const target = field(left, 'value');
      const sub = left.childForFieldName('subscript');
      const known = target?.type === 'identifier' ? locals.get(target.text) : undefined;
      const k = sub ? constKey(sub, ctx) : undefined;
      if (known && k !== undefined) known.push(k);
    }
    return;
  }
  if (e.type === 'augmented_assignment') {
    const left = field(e, 'left');
    const right = field(e, 'right');
    const known = left?.type === 'identifier' ? locals.get(left.text) : undefined;
    if (known && right) known.push(...keysOf(right, locals, ctx, depth));
    return;
  }
  if (e.type === 'call') {
    const fn = field(e, 'function');
    if (fn?.type !== 'attribute' || field(fn, 'attribute')?.text !== 'update') return;
    const obj = field(fn, 'object');
    const known = obj?.type === 'identifier' ? locals.get(obj.text) : undefined;
    const args = field(e, 'arguments');
    if (!known || !args) return;
    for (const a of named(args)) {
      if (a.type === 'keyword_argument') {
        const name = field(a, 'name')?.text;
        if (name) known.push(name);
      } else known.push(...keysOf(a, locals, ctx, depth));
    }
  }
}

/** Keys of the dict a function (`alert_context`) returns, in source order, without repeats, and what was not read. */
export function alertContextKeys(fn: Node, mod: ModuleContext): { keys: string[]; gaps: Gap[] } {
  const gaps: Gap[] = [];
  const keys = [...new Set(functionKeys(fn, { mod, gaps }, 0))];
  return { keys, gaps };
}
