// Python detections as Panther writes them (`def rule(event): ...`), parsed with tree-sitter.
//
// Conventions:
// - One stage per top-level function, in source order: `kind` is the function name for the
//   functions Panther calls (`rule`, `policy`, `title`, `dedup`, `alert_context`, `severity`,
//   `description`, `destinations`, `runbook`, `reference`) and `function` for helpers; `text` is
//   the function's source. Only `rule` and `policy` carry a condition.
// - The condition is what makes the function return a truthy value (for `policy(resource)`
//   that is the compliant state: Panther alerts when it is false). Statements are read in
//   order: `return E` gives E read for its truth; `if C: <returns A>` followed by the rest R gives
//   `(C and A) or (not C and R)`, which simplifies to the usual guards: `if C: return False`
//   becomes `not C` and-ed with R (a `not` over a predicate flips its `negated`, so the guard
//   `if f not in X: return False` leaves a positive `f in X`, which names the rule's events),
//   `if C: return True` becomes `C` or-ed with R. Falling off the
//   end returns None (false); a rule that never returns a truthy value is an `or` of nothing (never
//   fires). A name changed in place (`x[k] = v`, `x.append(v)`, `del x[k]`) no longer stands for
//   the constant it was bound to (mutations.ts). Loops are read once "for some element" (see `loop` in
//   conditions.ts), except a loop without `break` over a literal list of a few elements some of
//   which are fields (`for f in [event.get("a"), event.get("b")]`), read once per element, and
//   `for k, v in D.items()` over a constant dict of a few entries, once per entry (dict-items.ts);
//   in `try`, a handler's returns count under an `other` node with the `except ...:` line as text
//   (the body raised), except where the body raises only by `ip_address(f)` rejecting its value:
//   the handler then runs where `f` is no address (nativeOp `ipaddress.is_address`, raises.ts).
// - Fields: `event.get("a")`, `event.get("a", {}).get("b")`, `event["a"]["b"]`,
//   `event.deep_get("a", "b")`, `deep_get(event, "a", "b")`, `event.deep_walk(...)` → `a.b`;
//   names bound to those (`x = event.get("a")`) stand for the field; `.lower()` / `.upper()` keep
//   the field and make the comparison case-insensitive. `event.udm("name")` → the field path the
//   rule's data model gives (`context.dataModel`, read by the Panther format from the rule's
//   LogTypes), else `udm:name`; a name with several paths (several LogTypes) gives one predicate
//   per path, or-ed. A name the model computes with a method (`method:<module>:<function>`, the
//   model's Python among `context.pythonModules`) is read like a helper: the field it returns, or,
//   compared with a constant, the condition under which it returns a value that compares so.
// - Operators: `==` eq, `!=` eq negated, `in LIST` in (module constants resolved: lists, sets,
//   tuples, frozensets, dict keys, strings, `A + B`, a comprehension over a constant collection
//   whose elements are constants: `[re.compile(p) for p in P]`, `{n.lower() for n in N}`), `not in` in negated, `"x" in f` contains,
//   `f.startswith(x)` / `.endswith(x)` (tuples give several values), `re.match/search(p, f)` and
//   `PATTERN.match(f)` with `PATTERN = re.compile(p)` regex, `fnmatch(f, p)` wildcard,
//   `(a, b) in ROWS` of a constant collection of tuples an `or` over the rows of one `==` per element
//   (tuple-membership.ts), `is None` exists negated, `is not None` exists, `<` `>` ... lt/gt..., a bare field read for its
//   truth exists (nativeOp `truthy`), `f1 == f2` fieldref, `f1.endswith(f"/{f2}")` / `.startswith(d)` with
//   a text built from another field (d = `f2.split("@")[-1]`, an f-string around it) a fieldref with
//   nativeOp `.endswith` and transform `built:{...}` saying how (built-texts.ts); an f-string around a
//   constant or a loop variable over constants is its texts (`f"repo:{r}:*"`). A value with a constant
//   number fallback compared in order (`int(f if f else 0) > N`, `(f or 0) >= N`) is the field's test where
//   the value is the field, or-ed with the fallback's decided test where not (fallbacks.ts). A value that is not a constant (an
//   imported name) leaves the predicate without values. A field read through `.get(k, d)` /
//   `deep_get(..., default=d)` with d a constant keeps d (field-defaults.ts): a test on it holds on a
//   missing field exactly when it holds on d (`x != d` needs the field). Two constants compared (`"X" not in
//   IGNORED`) are decided, unless the collection holds an element that is not read (`partial`).
// - Times (time-values.ts): `datetime.now()` / `utcnow()`, a field parsed by `datetime.strptime` or by a
//   helper that tries formats in order (`for f in FORMATS: try: return datetime.strptime(ts, f) except
//   ValueError: continue`), their difference compared with a `timedelta` (or `.days` / `.total_seconds()`
//   with a number) is one predicate (transform `time:`, timestamps.ts); a parsed time read for its truth
//   or compared with None is whether the parse gives a datetime.
// - `any(...)` / `all(...)` over a literal list or a generator over a constant collection;
//   `any(x in f for x in L)` is one predicate with L's values.
// - Helpers are read through: a call returns the helper's condition (inlined with the helper's
//   module, bounded depth, never into itself), a helper whose last statement returns a field
//   stands for that field. A helper's value compared with constants (`f(event) == C`, `!= C`,
//   `in C`, `not in C`, `is None`, `is not None`) is the condition under which its returns
//   compare so (a returned field gets the predicate, a returned constant is decided, falling off
//   the end returns None); with several log types' methods only `==` / `in` and their negations.
//   `MAP.get(f[, default])` of a module's constant dict compared or read for its truth gives the
//   keys whose values pass (`f in [...]`), and the default when `f` is none of the keys. Helpers are the file's own functions and those it imports from the
//   source's helper modules (`context.pythonModules`, modules.ts: `from m import f`, `import m as
//   x` / `x.f(...)`, `from global_helpers.m import f`, `from m import *`, re-exports); imported
//   constants have their values, a constant dict's entries too (`D["k"]`, `D.get("k", d)`,
//   `D.values()`). A helper called on arguments that decide every `if` it runs and whose `return`
//   is a constant is that constant (const-calls.ts: `groups = as_list(GROUP)`), `isinstance` of a
//   constant is decided. A helper whose condition says nothing of the event (no
//   predicate), or one that cannot be found, stays an `other` node with the call's text.
// - Output fields: the keys of the dict `alert_context` returns (locals built up with
//   `ctx["k"] = v` / `.update()` count), through helpers local or imported; a call that cannot be
//   read gives no key.
// - A test's Mocks (`context.mocks`, one test's, never the catalog's; test-mocks.ts): a mocked name
//   is not the module's function, import or constant; a call of it gives the returnValue,
//   `isinstance(NAME, MagicMock)` holds, read for its truth it is true; `json.loads` of a constant
//   text is what the text parses to (json-constants.ts).
// - Gaps get info diagnostics (at most a few, once each): a call reading the outside world (the
//   time now, Panther's cache, AWS or HTTP; outside-world.ts), a helper or library call read as text
//   and why, a `match` statement, alert_context keys not read. Those met inside a helper module
//   name the module instead of a line.
// - Syntax errors (tree-sitter ERROR / MISSING nodes) give error diagnostics with line and column
//   and `parsed: false`; stages then keep their text but no condition or outputs.
import type { Node } from 'web-tree-sitter';
import type { AnalysisContext, Diagnostic, OutputField, QueryAnalysis, Stage } from '../../model/types.js';
import type { QueryLanguage } from '../types.js';
import { type Cond, FunctionAnalyser, parameterName, type Scope } from './conditions.js';
import { type Gap, ModuleGraph, topLevelFunctions } from './modules.js';
import { alertContextKeys } from './outputs.js';
import { outsideWorldGaps } from './outside-world.js';
import { applyMocks } from './test-mocks.js';
import { initPython, parsePython } from './parser.js';
import { field, named } from './values.js';
import { pythonHighlight } from './python.keywords.js';

const calledByPanther = new Set([
  'rule',
  'policy',
  'title',
  'dedup',
  'alert_context',
  'severity',
  'description',
  'destinations',
  'runbook',
  'reference',
]);

const maxSyntaxDiagnostics = 5;
const maxGapDiagnostics = 8;

function syntaxErrors(root: Node): Diagnostic[] {
  const out: Diagnostic[] = [];
  const visit = (n: Node) => {
    if (out.length >= maxSyntaxDiagnostics) return;
    if (n.isMissing) {
      out.push(diagnostic(`syntax error: missing ${JSON.stringify(n.type)}`, n));
      return;
    }
    if (n.isError) {
      const snippet = n.text.split('\n')[0]!.trim().slice(0, 60);
      out.push(diagnostic(`syntax error near ${JSON.stringify(snippet)}`, n));
      return;
    }
    if (!n.hasError) return;
    for (const c of n.children) if (c) visit(c);
  };
  visit(root);
  if (out.length === 0) out.push({ message: 'syntax error', severity: 'error', scope: 'query' });
  return out;
}

function diagnostic(message: string, n: Node): Diagnostic {
  return { message, line: n.startPosition.row + 1, column: n.startPosition.column + 1, severity: 'error', scope: 'query' };
}

/** Info diagnostics for what was read as text or left out, once per message, at most a few. */
function gapDiagnostics(gaps: Gap[]): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const g of gaps) {
    if (seen.has(g.message) || out.length >= maxGapDiagnostics) continue;
    seen.add(g.message);
    out.push(g.node ? { ...diagnostic(g.message, g.node), severity: 'info' } : { message: g.message, severity: 'info', scope: 'query' });
  }
  return out;
}

function toNode(cond: Cond): Stage['condition'] {
  if (cond === true) return undefined;
  // Never truthy (every return is falsy, or a constant decides it): an `or` of nothing, which
  // evaluators read as false (the fire index as a rule that never fires), not text.
  if (cond === false) return { kind: 'or', children: [] };
  return cond;
}

function analyse(query: string, context: Pick<AnalysisContext, 'dataModel' | 'pythonModules' | 'mocks'>): QueryAnalysis {
  const tree = parsePython(query);
  if (!tree) {
    return {
      stages: [],
      outputFields: [],
      sources: [],
      parsed: false,
      diagnostics: [
        { message: 'the Python grammar is not loaded (prepareLanguages() was not awaited)', severity: 'error', scope: 'query' },
      ],
    };
  }
  const graph = new ModuleGraph(context.pythonModules ?? {}, context.dataModel);
  try {
    const root = tree.rootNode;
    const parsed = !root.hasError;
    const diagnostics = parsed ? [] : syntaxErrors(root);
    const functions = topLevelFunctions(root);
    const mod = graph.context('', root);
    if (context.mocks) applyMocks(mod, context.mocks);
    const gaps: Gap[] = [];
    const stages: Stage[] = [];
    const outputFields: OutputField[] = [];
    for (const { def, whole } of functions) {
      const name = field(def, 'name')?.text ?? '';
      const stage: Stage = { kind: calledByPanther.has(name) ? name : 'function', text: whole.text };
      if (parsed && (name === 'rule' || name === 'policy')) {
        const body = field(def, 'body');
        const params = field(def, 'parameters');
        const first = params ? named(params)[0] : undefined;
        const eventName = first ? parameterName(first) : undefined;
        const scope: Scope = new Map();
        if (eventName) scope.set(eventName.text, { kind: 'event' });
        if (body) {
          const analyser = new FunctionAnalyser(mod);
          const flow = analyser.block(named(body), 0, scope);
          const condition = toNode(flow.ret);
          if (condition) stage.condition = condition;
          gaps.push(...outsideWorldGaps(def, mod), ...analyser.gaps);
        }
      }
      if (parsed && name === 'alert_context') {
        const { keys, gaps: unread } = alertContextKeys(def, mod);
        for (const key of keys) outputFields.push({ field: key, source: 'alert_context' });
        gaps.push(...unread);
      }
      stages.push(stage);
    }
    if (parsed && !functions.some((f) => ['rule', 'policy'].includes(field(f.def, 'name')?.text ?? ''))) {
      diagnostics.push({ message: 'no rule() or policy() function', severity: 'info', scope: 'query' });
    }
    diagnostics.push(...gapDiagnostics(gaps));
    return { stages, outputFields, sources: [], diagnostics, parsed };
  } finally {
    tree.delete();
  }
}

export const python: QueryLanguage<'dataModel' | 'pythonModules' | 'mocks'> = {
  id: 'python',
  name: 'Python (Panther)',
  contextParts: ['dataModel', 'pythonModules', 'mocks'],
  analyse,
  init: initPython,
  highlight: pythonHighlight,
};
