// `shlex.split(f)`: a command line cut into the words a POSIX shell would see (`shlex.split(cmd)[0]
// == "aws"`, `for arg in shlex.split(cmd): if fnmatch(arg, "/tmp/*")`). The ref keeps the field and
// predicates on it carry transform `shlex` (`shlex|item:0` for one word), which the evaluator reads
// by splitting the field's text exactly as Python's `shlex.split` does (`pyShlexSplit`). Constant
// replacements written before the split (`cmd.replace("'", "\\'")`) are part of the transform,
// applied in order. A text that does not split (an unclosed quote, a trailing backslash) raises
// ValueError: a `try` around the split with a handler of ValueError reads as a test of whether the
// text splits (`splitRaise`, nativeOp `shlex.split`), elsewhere the test is not evaluated.
import type { Node } from 'web-tree-sitter';
import { combine, other, predicate } from '../../model/predicates.js';
import type { Operator, PredicateNode, Scalar } from '../../model/types.js';
import type { Cond, FieldRef } from './conditions.js';
import { isLibraryFunction, type ModuleContext } from './modules.js';
import { calls, catches as catchesValueError, firstEvaluated, type KnownRaise, plainRead } from './raises.js';
import { type ConstValue, field, named, unwrap } from './values.js';

/** What was done to the field's text before it was split: constant replacements, in order. */
export interface ShlexSplit {
  replaced: [string, string][];
}

/** The nativeOp of "the field's text splits" (`exists` with transform `shlex`): shlex.split raises no ValueError. */
export const shlexSplitsOp = 'shlex.split';

const transformPrefix = 'shlex';

/** Replacements read before a split, at most (a chain longer than this is not read). */
const maxReplacements = 8;

/** Whether a call's function is `split` of the `shlex` module, through the module's imports. */
export function isShlexSplit(fn: Node, mod: ModuleContext, shadowed: (name: string) => boolean): boolean {
  return isLibraryFunction(mod, fn, shadowed, 'shlex', 'split');
}

/**
 * The argument of `shlex.split(x)` (one plain argument, the default `comments=False, posix=True`):
 * the text read, with the constant `.replace(a, b)` calls around it peeled off, first applied first.
 */
export function splitArgument(
  call: Node,
  constOf: (n: Node) => ConstValue | undefined,
): { inner: Node; replaced: [string, string][] } | undefined {
  const args = field(call, 'arguments');
  const positional = args ? named(args) : [];
  if (positional.length !== 1 || positional[0]!.type.endsWith('splat') || positional[0]!.type === 'keyword_argument') return undefined;
  const replaced: [string, string][] = [];
  let n = unwrap(positional[0]!);
  while (n.type === 'call' && replaced.length <= maxReplacements) {
    const fn = field(n, 'function');
    const obj = fn?.type === 'attribute' && field(fn, 'attribute')?.text === 'replace' ? field(fn, 'object') : undefined;
    const parts = field(n, 'arguments');
    const pair = parts ? named(parts).map(constOf) : [];
    if (!obj || pair.length !== 2) break;
    const [from, to] = pair.map((v) => (v?.kind === 'scalar' && typeof v.value === 'string' ? v.value : undefined));
    // `replace("", x)` puts x between every character: not read.
    if (!from || to === undefined) return undefined;
    replaced.unshift([from, to]);
    n = unwrap(obj);
  }
  return replaced.length > maxReplacements ? undefined : { inner: n, replaced };
}

/** The words of a field's text, where the field is read whole as it is (no piece, trim, conversion or parse). */
export function shlexRef(ref: FieldRef | undefined, replaced: [string, string][]): FieldRef | undefined {
  if (!ref || ref.shlexed || ref.decoded || ref.after || ref.at || ref.trimmed || ref.converted || ref.json || ref.unquoted)
    return undefined;
  if (ref.item !== undefined || ref.walked || ref.guards || ref.defaults || ref.orEmpty) return undefined;
  if (ref.fields.some((f) => f.startsWith('udm:'))) return undefined;
  return { ...ref, shlexed: { replaced } };
}

/** The transform of a test on the words of a field: `shlex`, `shlex:<replacements as JSON>`, then `|item:<i>` for one word (`|len` their count, `wordsRead`). */
function shlexTransform(split: ShlexSplit, item: number | undefined): string {
  const replaced = split.replaced.length > 0 ? `:${JSON.stringify(split.replaced)}` : '';
  return `${transformPrefix}${replaced}${item !== undefined ? `|item:${item}` : ''}`;
}

/** Whether a predicate's transform is a split's. */
export const isShlexTransform = (transform: string | undefined): boolean =>
  transform === transformPrefix ||
  transform?.startsWith(`${transformPrefix}:`) === true ||
  transform?.startsWith(`${transformPrefix}|`) === true;

/** A split transform read back: the replacements, and the word tested (undefined: the list of words) or the count of words (`|len`). */
export function parseShlexTransform(transform: string): (ShlexSplit & { item?: number; count?: true }) | undefined {
  const m = /^shlex(?::(.*?))?(?:\|item:(\d+)|\|(len))?$/s.exec(transform);
  if (!m) return undefined;
  let replaced: [string, string][] = [];
  if (m[1] !== undefined) {
    try {
      const parsed = JSON.parse(m[1]) as unknown;
      if (!Array.isArray(parsed) || !parsed.every((r) => Array.isArray(r) && r.length === 2 && r.every((x) => typeof x === 'string')))
        return undefined;
      replaced = parsed as [string, string][];
    } catch {
      return undefined;
    }
  }
  return { replaced, ...(m[2] !== undefined ? { item: Number(m[2]) } : {}), ...(m[3] ? { count: true } : {}) };
}

/**
 * The predicates on the words of each of the ref's fields. A test that transforms its value itself
 * (a length, a type) or a word read in a way not written here (a piece, a trim) stays text.
 */
export function shlexPredicates(
  ref: FieldRef & { shlexed: ShlexSplit },
  op: Operator,
  values: Scalar[],
  opts: { negated: boolean; caseSensitive: boolean; nativeOp: string; text: string; transform?: string },
): PredicateNode {
  if (opts.transform || ref.after || ref.at || ref.trimmed || ref.converted || ref.guards || ref.defaults) return other(opts.text);
  const transform = shlexTransform(ref.shlexed, ref.item);
  const nodes = ref.fields.map((f) => {
    const node = predicate(f, op, values, { ...opts, transform });
    const types = ref.logTypes?.[f];
    if (types && node.kind === 'pred') node.predicate.logTypes = [...types];
    return node;
  });
  const scoped = ref.fields.some((f) => ref.logTypes?.[f]);
  return combine(opts.negated && scoped ? 'and' : 'or', nodes);
}

/**
 * A length condition (lengths.ts) read on a ref: as it is for a field, on the count of words for a
 * split one (`len(words) > 2`: transform `shlex|len`; `len(words) > 0`: the words' truth).
 */
export function wordsRead(ref: FieldRef, node: PredicateNode | boolean | undefined): PredicateNode | boolean | undefined {
  // A text decoded first (base64-decoded.ts) has a length of its own: not the field's.
  if (ref.decoded) return undefined;
  if (!ref.shlexed || node === undefined || typeof node === 'boolean') return node;
  if (ref.item !== undefined || ref.after || ref.at || ref.trimmed || ref.converted) return undefined;
  const words = shlexTransform(ref.shlexed, undefined);
  const visit = (n: PredicateNode): PredicateNode => {
    if (n.kind === 'pred') {
      const p = n.predicate;
      const types = ref.logTypes?.[p.field];
      return {
        kind: 'pred',
        predicate: { ...p, transform: p.transform === 'len' ? `${words}|len` : words, ...(types ? { logTypes: [...types] } : {}) },
      };
    }
    if (n.kind === 'and' || n.kind === 'or') return { ...n, children: n.children.map(visit) };
    if (n.kind === 'not') return { ...n, child: visit(n.child) };
    return n;
  };
  return visit(node);
}

/**
 * A loop's (or `any()`'s) condition on one word of the split ref `words`, read where the predicates
 * on the words say "some word": the condition as it is where it tests the word once, positively
 * (`for w in words: if fnmatch(w, p): return True`); the loop's text otherwise, since two tests, or
 * a test negated ("some word is not x"), could hold on different words.
 */
export function onOneWord(words: FieldRef, c: Cond, text: string): Cond {
  if (typeof c === 'boolean' || !words.shlexed) return c;
  const whole = shlexTransform(words.shlexed, undefined);
  let tests = 0;
  let negated = false;
  const visit = (n: PredicateNode, flipped: boolean): void => {
    if (n.kind === 'pred') {
      if (!words.fields.includes(n.predicate.field) || n.predicate.transform !== whole) return;
      tests++;
      if (n.predicate.negated !== flipped) negated = true;
    } else if (n.kind === 'and' || n.kind === 'or') n.children.forEach((x) => visit(x, flipped));
    else if (n.kind === 'not') visit(n.child, !flipped);
    else if (n.kind === 'some') visit(n.child, flipped);
  };
  visit(c, false);
  return tests > 1 || negated ? other(text) : c;
}

/** Python's `str.replace(a, b)` of every occurrence, `a` not empty. */
export function applyReplacements(text: string, replaced: readonly [string, string][]): string {
  let out = text;
  for (const [from, to] of replaced) out = out.split(from).join(to);
  return out;
}

const whitespace = new Set([' ', '\t', '\r', '\n']);
const quotes = new Set(["'", '"']);
const escape = '\\';
/** Quotes inside which the escape character escapes (POSIX: double quotes only). */
const escapedQuotes = new Set(['"']);

/**
 * Python's `shlex.split(text)` (posix, whitespace_split, no comments), following `shlex.read_token`:
 * words split on space, tab, CR and LF; quotes removed, `\` escaping the next character outside quotes
 * and only `"` and `\` inside double quotes; `''` a word of its own. Undefined where Python raises
 * ValueError ("No closing quotation", "No escaped character").
 */
export function pyShlexSplit(text: string): string[] | undefined {
  const chars = [...text];
  let i = 0;
  // The state carries over from one word to the next, as shlex's own does: ' ' between words, 'a' in one, a quote or the escape.
  let state: string | undefined = ' ';
  const words: string[] = [];
  for (;;) {
    let token = '';
    let quoted = false;
    let escapedState = ' ';
    while (state !== undefined) {
      const c = i < chars.length ? chars[i++]! : '';
      if (state === ' ' || state === 'a') {
        if (c === '') {
          state = undefined;
          break;
        }
        if (whitespace.has(c)) {
          state = ' ';
          if (token !== '' || quoted) break;
          continue;
        }
        if (quotes.has(c)) state = c;
        else if (c === escape) {
          escapedState = 'a';
          state = escape;
        } else {
          token += c;
          state = 'a';
        }
      } else if (quotes.has(state)) {
        quoted = true;
        if (c === '') return undefined;
        if (c === state) state = 'a';
        else if (c === escape && escapedQuotes.has(state)) {
          escapedState = state;
          state = escape;
        } else token += c;
      } else {
        if (c === '') return undefined;
        // In quotes only the quote itself and the escape are escaped: the backslash stays before anything else.
        if (quotes.has(escapedState) && c !== escape && c !== escapedState) token += escape;
        token += c;
        state = escapedState;
      }
    }
    if (token === '' && !quoted) return words;
    words.push(token);
  }
}

/** The call of a statement's first evaluated expression, when it is `shlex.split(...)`. */
function openingSplit(stmt: Node | undefined, isSplit: (fn: Node) => boolean): Node | undefined {
  const first = stmt && firstEvaluated(stmt);
  const call = first && unwrap(first);
  const fn = call?.type === 'call' ? field(call, 'function') : undefined;
  return fn && isSplit(fn) ? call : undefined;
}

/** What `splitRaise` needs of the analysis. */
export interface SplitReader {
  isSplit: (fn: Node) => boolean;
  /** The field an expression reads (for `shlex.split(...)`, its words). */
  fieldOf: (n: Node) => FieldRef | undefined;
}

/**
 * `try` opening with `shlex.split(f)` of a field (`words = shlex.split(cmd)`), a handler of ValueError
 * and no `else` / `finally`, whose body makes no other call but plain field reads: the handler runs
 * exactly where the text does not split, which is a test on the field.
 */
export function splitRaise(s: Node, reader: SplitReader): KnownRaise | undefined {
  const block = field(s, 'body');
  const clauses = named(s).filter((c) => c.type.endsWith('_clause'));
  if (!block || clauses.some((c) => c.type !== 'except_clause')) return undefined;
  const handler = clauses.find(catchesValueError);
  const handlerBlock = handler && named(handler).find((c) => c.type === 'block');
  const body = named(block);
  if (!handlerBlock) return undefined;
  const call = openingSplit(body[0], reader.isSplit);
  const ref = call && reader.fieldOf(call);
  if (!call || !ref?.shlexed) return undefined;
  // The replacements inside the split's argument raise nothing; any other call might.
  const inside = (c: Node) => c.startIndex >= call.startIndex && c.endIndex <= call.endIndex;
  const others = body.flatMap((st) => calls(st, [])).filter((c) => !inside(c) && !plainRead(reader.fieldOf(c)));
  if (others.length > 0) return undefined;
  const { item: _whole, ...words } = ref;
  const valid = shlexPredicates(words as FieldRef & { shlexed: ShlexSplit }, 'exists', [], {
    negated: false,
    caseSensitive: false,
    nativeOp: shlexSplitsOp,
    text: call.text,
  });
  return { valid, argument: unwrap(named(field(call, 'arguments')!)[0]!), body, handler: named(handlerBlock) };
}
