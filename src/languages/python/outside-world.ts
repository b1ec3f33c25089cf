// Calls whose result comes from outside the event: the time now, Panther's cache kept between
// events, AWS or HTTP lookups. No predicate tree states them, so what depends on them stays text
// (unknown); this names them in an info diagnostic, so the gap is said rather than guessed at. A
// call is recognised through the module's imports, in `rule()` / `policy()` and in the helpers it
// calls (followed as the analysis follows them: calledFunction, bounded).
import type { Node } from 'web-tree-sitter';
import { calledFunction, type Gap, gapIn, type ModuleContext } from './modules.js';
import { field, named } from './values.js';

/** What an outside source is, by the module it comes from, and the calls of it that read it (undefined: any). */
const sources: { module: string; calls?: Set<string>; what: string }[] = [
  { module: 'datetime', calls: new Set(['now', 'utcnow', 'today']), what: 'the time now' },
  { module: 'time', calls: new Set(['time', 'time_ns', 'monotonic', 'localtime', 'gmtime']), what: 'the time now' },
  { module: 'caching', what: 'the cache Panther keeps between events' },
  { module: 'boto3', what: 'an AWS lookup' },
  { module: 'requests', what: 'an HTTP lookup' },
];

/** How many helper functions deep the search follows calls. */
const maxDepth = 4;
/** Past this many nodes visited the search stops (a bound for hostile input, not a result). */
const maxNodes = 20000;

/** The outside source a call reads, through the imports of `mod`: `datetime.now()`, `time.time()`, `get_string_set(k)`. */
function outsideSource(call: Node, mod: ModuleContext): { name: string; what: string } | undefined {
  const fn = field(call, 'function');
  if (!fn) return undefined;
  // The dotted chain: `datetime.datetime.now` → root `datetime`, last `now`.
  const parts: string[] = [];
  let n: Node | undefined = fn;
  while (n?.type === 'attribute') {
    parts.unshift(field(n, 'attribute')?.text ?? '');
    n = field(n, 'object');
  }
  if (n?.type !== 'identifier' || mod.functions.has(n.text)) return undefined;
  const imp = mod.imports.get(n.text);
  if (!imp || mod.graph.has(imp.module)) return undefined;
  const last = parts[parts.length - 1] ?? (imp.kind === 'name' ? imp.name : '');
  for (const s of sources) {
    if (imp.module !== s.module) continue;
    if (!s.calls || s.calls.has(last)) return { name: `${[n.text, ...parts].join('.')}()`, what: s.what };
  }
  return undefined;
}

/** Gaps naming each outside source the function `def` of `mod` reads, itself or through the helpers it calls. */
export function outsideWorldGaps(def: Node, mod: ModuleContext): Gap[] {
  const gaps: Gap[] = [];
  const seen = new Set<Node['id']>();
  let visited = 0;
  const visit = (node: Node, within: ModuleContext, depth: number): void => {
    if (++visited > maxNodes) return;
    if (node.type === 'call') {
      const source = outsideSource(node, within);
      if (source) gaps.push(gapIn(within, `call ${source.name} reads ${source.what}: what depends on it is read as text`, node));
      const fn = field(node, 'function');
      const helper = fn && depth < maxDepth ? calledFunction(within, fn) : undefined;
      if (helper && !seen.has(helper.def.id)) {
        seen.add(helper.def.id);
        const body = field(helper.def, 'body');
        if (body) visit(body, helper.mod, depth + 1);
      }
    }
    for (const c of named(node)) visit(c, within, depth);
  };
  seen.add(def.id);
  const body = field(def, 'body');
  if (body) visit(body, mod, 0);
  return gaps;
}
