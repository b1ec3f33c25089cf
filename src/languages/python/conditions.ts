// From the body of `rule(event)` / `policy(resource)` to one predicate tree: the condition under
// which the function returns a truthy value. See index.ts for the conventions.
import type { Node } from 'web-tree-sitter';
import { combine, eachPredicate, other, someElement } from '../../model/predicates.js';
import type { Operator, PredicateNode, Scalar } from '../../model/types.js';
import { constantReturn, constIsinstance } from './const-calls.js';
import { lenArgument, lengthCondition, oneElementOfEach } from './lengths.js';
import { calledFunction, functionNamed, type FunctionRef, type Gap, gapIn, importedFrom, type ModuleContext } from './modules.js';
import { type ConstValue, field, hasIgnoreCase, named, unwrap } from './values.js';
import { joinRefs, refPredicates, scopeCond, scopeRef } from './log-types.js';
import { joinedPieces, type Piece, pieceCount, strippedPiece } from './pieces.js';
import { flagStatement, loopFlags } from './flags.js';
import { carriedGuards, guardedRef } from './guards.js';
import { typeNames, walkedBy, walkedIsinstance } from './isinstance.js';
import { mappingMethodAsked } from './mapping-methods.js';
import { everyKeyTransform, keysReceiver, someKeyTransform, variableMembership } from './mapping-keys.js';
import { type AccumulatorMode, accumulatorStatement, loopAccumulators } from './accumulators.js';
import { type SharedReaders, sharedStatement } from './grown-intersections.js';
import { entryTest, getCall, type KeyValueList, keyValueComprehension } from './kv-dicts.js';
import { constantPasses, type StringTestOp } from './string-tests.js';
import { namesKey } from './loop-keys.js';
import { type Trim, trimOf } from './trimmed.js';
import { collectionEntries } from './keyed-collections.js';
import { elementMembership, onOneElement, plainList, scopedList } from './element-scope.js';
import { comparedWithNone, isMatchCall } from './match-objects.js';
import { itemOf } from './item-index.js';
import { type ConstantChoice, constantChoice } from './constant-choice.js';
import { type Conversion, conversionOf, convertedOp, convertedTest } from './conversions.js';
import { mockInstance } from './mocks.js';
import { mockedCall, mockedName } from './test-mocks.js';
import { jsonLoaded } from './json-constants.js';
import { ipHasattr, ipMembership, ipProperty, type IpReader, type IpValue, ipValueOf } from './ip-address.js';
import { constantDeepGet } from './constant-deep-get.js';
import { ipNetworksOf, ipSubnetCall, ipVersionCompared } from './ip-networks.js';
import { builtText, builtTransform, formattedConstants } from './built-texts.js';
import { comparedTexts } from './compared-texts.js';
import { differenceCompared } from './differences.js';
import { pieceMembership, slicedPiece } from './piece-texts.js';
import { isUnquote, unquotedRef, unquotedTransformOf } from './unquoted.js';
import { fallbackOf, ordered } from './fallbacks.js';
import { entryAccess, recordConstant, type RecordEntries, recordEntries, returnedDict } from './records.js';
import { type Elapsed, elapsedOf, timeCompared, type TimePoint, timePointOf, type TimeReader, timeTruth } from './time-values.js';
import type { ParseChain } from './timestamps.js';
import { joinedText, readsAsElementTest } from './joined-texts.js';
import { knownRaise } from './raises.js';
import { b64DecodeArgument, b64DecodedRef, type Base64Decoded, decodeRaise, textDecodedRef } from './base64-decoded.js';
import { isShlexSplit, onOneWord, type ShlexSplit, shlexRef, splitArgument, splitRaise, wordsRead } from './shlex-split.js';
import { lookedUpComparison, type LookupReader } from './looked-up-values.js';
import { entryBindings } from './dict-items.js';
import { tupleElements, tupleRows } from './tuple-membership.js';
import { mutatedNames } from './mutations.js';
import { returnedTuple, tupleLiteral, unpackedNames } from './tuple-unpacking.js';
import { keyedListAccess } from './keyed-lists.js';
import { keysPresent, setOf, subsetSides } from './key-subsets.js';
import { constantRows } from './constant-rows.js';
import { keysActedOn } from './known-keys.js';
import { defaultedRef, type FieldDefault } from './field-defaults.js';
import { firstTruthyOf } from './first-truthy.js';
import { maxCaseNames, maxCases, namesRead, returnStatements } from './return-cases.js';
import {
  builtSet,
  collectionArgument,
  commonCount,
  comprehensionParts,
  defaultOf,
  elementsTruth,
  emptyKinds,
  emptyLengthPasses,
  emptyLiteral,
  intersectionSides,
  keepFieldWhereEmptied,
  mappingValuesOf,
  soughtIn,
} from './event-collections.js';
import { elementsHold, inlineListify, walkedElements } from './collection-loops.js';
import { chainedPiece, isChainable } from './chained-pieces.js';
import { elementCount, filteredList, isFindall, nonEmptyAsked } from './counted-elements.js';
import { lastPieceOfEither, replacedBySeparator } from './replaced-separators.js';
import { chosenValue } from './chosen-values.js';
import {
  accumulatedPick,
  firstCompared,
  firstPick,
  firstTruth,
  type Picked,
  pickedComprehension,
  pickSought,
  type PickShape,
} from './picked-values.js';
import { assignedBeforeBreak } from './break-assignments.js';
import { constantMatches } from './constant-regex.js';
import { type PolicyWrapper, policyConstructor, statementKeyTest, wrapperAttribute } from './policy-documents.js';
import {
  boundArguments,
  constructed,
  constructedClass,
  type Instance,
  instanceAttribute,
  type InstanceReader,
  instanceTruth,
  methodOf,
  type MethodRef,
  methodScope,
} from './helper-classes.js';
import { spreadKeys } from './spread-arguments.js';

/** A condition, or a constant outcome. */
export type Cond = PredicateNode | boolean;

/** One or more log fields an expression reads (several when a UDM name maps to several). */
export interface FieldRef {
  fields: string[];
  /** The value went through `.lower()` / `.upper()` / `.casefold()`. */
  lowered: boolean;
  /** Field → the log types whose data model gave it (`event.udm()`); a field not named reads any log (log-types.ts). */
  logTypes?: Record<string, string[]>;
  /** Field → a separator: the value is the field's text after its last one (`f.split("/")[-1]`, segments.ts). */
  after?: Record<string, string>;
  /** Field → a second separator (`f.replace("/", "\\").split("\\")[-1]`): after the last of either (replaced-separators.ts). */
  alsoAfter?: Record<string, string>;
  /** Field → the piece at an index from the start: `f.split("/")[3]` (pieces.ts). */
  at?: Record<string, Piece>;
  /** Field → a condition without which the value is empty rather than the field (guards.ts). */
  guards?: Record<string, PredicateNode>;
  /** Read through `json.loads`: a JSON text on the way is parsed (predicates get transform `json`). */
  json?: boolean;
  /** Field → characters stripped from its ends before the test (`f.rstrip(".")`, trimmed.ts). */
  trimmed?: Record<string, Trim>;
  /** Read through `str()` / `int()` / `float()`: equal to a constant's twin of the other type too (conversions.ts). */
  converted?: Conversion;
  /** The value is the field's element at this index: `f[0]` of a list (a text's character; item-index.ts). */
  item?: number;
  /** Read through `deep_walk`: a list found is a Python `list`, and several values found are one (isinstance.ts). */
  walked?: boolean;
  /** Field → the constant `.get(k, d)` / `deep_get(..., default=d)` gives where it is missing (field-defaults.ts). */
  defaults?: Record<string, FieldDefault>;
  /** `f or ""`: a missing or empty value is the empty text, never None (unquoted.ts). */
  orEmpty?: boolean;
  /** Read through `urllib.parse.unquote` (unquoted.ts): predicates get transform `unquote`. */
  unquoted?: boolean;
  /** The words `shlex.split` cuts the text into (shlex-split.ts): predicates get transform `shlex`. */
  shlexed?: ShlexSplit;
  /** Decoded from base64, then to text (base64-decoded.ts): predicates get transform `b64decode:...`. */
  decoded?: Base64Decoded;
  /** `if f is None: f = {}` (`none`), `if not f: f = {}` (`falsy`): such a value was replaced by an empty collection (event-collections.ts). */
  emptied?: 'none' | 'falsy';
}

export type Binding =
  | { kind: 'event' }
  | { kind: 'field'; ref: FieldRef }
  | { kind: 'const'; value: ConstValue }
  /** A loop variable over a constant collection: stands for any one of its values. */
  | { kind: 'anyOf'; values: Scalar[] }
  /** A loop variable over compiled regular expressions: `p.match(f)` is `f` matching any of them. */
  | { kind: 'anyRegex'; patterns: string[]; ignoreCase: boolean }
  /** `matchObject`: the value is a regex match object or None (match-objects.ts), not a bool. */
  | { kind: 'cond'; cond: Cond; matchObject?: boolean }
  /** A literal list or tuple of a few elements, some of them fields: a loop over it is read once per element. */
  | { kind: 'items'; items: Binding[] }
  /** `MAP.get(f[, default])` of a constant dict: the value of the entry whose key the field holds. */
  | { kind: 'lookup'; lookup: Lookup }
  /**
   * `x = event.udm(name)` where a data model's method returns more than one field (branches,
   * constants): compared with constants or read for its truth, the method's returns are read
   * (`boundComparison`); other uses read `ref`, its fields with `udm:<name>` for what is not one.
   */
  | { kind: 'modelValue'; sources: ValueSources; ref: FieldRef; lowered: boolean; orEmpty?: boolean }
  /** `f.split(sep)`: the pieces of a field, read at an index (`parts[3]`) or counted (`len(parts)`). */
  | { kind: 'pieces'; ref: FieldRef; separator: string }
  /** `ip_address(f)` / `ip_network(f)`: an `ipaddress` object of a field (ip-address.ts). */
  | { kind: 'ip'; value: IpValue }
  /** A dict of named values, literal or a helper's return: `r["k"]` / `r.get("k")` is entry k (records.ts). */
  | { kind: 'record'; entries: RecordEntries }
  /** `sep.join(f)` of a list field: only `C in` it is read, as a test of f's elements (joined-texts.ts). */
  | { kind: 'joined'; ref: FieldRef; separator: string }
  /** `D.get(f, [])` of a constant dict of collections: the entry's collection, a loop over it read per entry (keyed-lists.ts). */
  | { kind: 'keyedList'; key: FieldRef; entries: [Scalar, Scalar[]][]; fallback: Scalar[] | 'raises'; text: string }
  /** `f.keys()` of a field: a key sought in it, or constant keys all in it, test the field's one mapping (key-subsets.ts). */
  | { kind: 'mappingKeys'; ref: FieldRef }
  /** A helper's value that differs by path, a dict among them (return-cases.ts): each return's value under its condition. */
  | { kind: 'cases'; cases: { cond: Cond; binding: Binding }[] }
  /** A collection whose elements are the values found at `ref`: `set(f)`, `[r["k"] for r in f]` (event-collections.ts). */
  | { kind: 'elements'; ref: FieldRef; set: boolean }
  /** Values picked from a list field's elements under a test: `{e["id"] for e in f if C}` (picked-values.ts). */
  | ({ kind: 'picked' } & Picked)
  /** The constants `values` that are elements of the collection at `ref` too: `C & set(f)` (event-collections.ts). */
  | { kind: 'common'; ref: FieldRef; values: Scalar[] }
  /** A policyuniverse `Policy`, its `statements` or one `Statement`, of the JSON at `ref` (policy-documents.ts). */
  | { kind: 'policyObject'; wrapper: PolicyWrapper; ref: FieldRef }
  /** A time: now, or a field parsed into a datetime; a difference of two (time-values.ts). */
  | { kind: 'time'; point: TimePoint }
  | { kind: 'elapsed'; elapsed: Elapsed }
  /** `{x[K]: x[V] for x in L}` of a list field L (kv-dicts.ts): read only at a constant key. */
  | { kind: 'kvDict'; kv: KeyValueList }
  /** `d.get(k[, c])` of such a dict at a constant key (kv-dicts.ts): only compared with constants. */
  | { kind: 'kvEntry'; kv: KeyValueList; key: Scalar; fallback: Scalar }
  /** An instance of a small helper class: the values its constructor stored (helper-classes.ts). */
  | Instance
  | { kind: 'unknown' };

/** The constants a value is compared with: one or several (`collection`), some not read (`partial`), a literal `[x]` (`listOfOne`). */
interface ComparedValues {
  values: Scalar[];
  collection: boolean;
  partial?: boolean;
  listOfOne?: boolean;
}

/** A constant dict read at a field's value. */
export interface Lookup {
  key: FieldRef;
  entries: [Scalar, Scalar][];
  /** What a key not in the dict gives: `.get`'s default (None without one), or a field (`.get(f, f)`). */
  fallback: { value: Scalar } | { field: FieldRef };
}

export type Scope = Map<string, Binding>;

const maxInlineDepth = 4;
/** Built-ins that make a collection of the one collection they are given. */
const collectionBuiltins = new Set(['set', 'frozenset', 'list', 'tuple', 'sorted']);
/** A loop over a literal list of at most this many elements is read once per element. */
const maxUnrolled = 8;
const maxNodes = 4000;

// ---------------------------------------------------------------------------------------------
// Boolean algebra with constants

function and(a: Cond, b: Cond): Cond {
  if (a === false || b === false) return false;
  if (a === true) return b;
  if (b === true) return a;
  const pieces = joinedPieces(a, b);
  if (pieces) return pieces;
  return combine('and', [a, b]);
}

function or(a: Cond, b: Cond): Cond {
  if (a === true || b === true) return true;
  if (a === false) return b;
  if (b === false) return a;
  return combine('or', [a, b]);
}

/**
 * Negation, pushed through and/or (De Morgan) down to predicates, whose own `negated` flips: the
 * guard `if f not in X: return False` leaves `f in X`, a positive test that names the rule's events.
 */
function not(a: Cond): Cond {
  if (typeof a === 'boolean') return !a;
  if (a.kind === 'not') return a.child;
  if (a.kind === 'pred') return { kind: 'pred', predicate: { ...a.predicate, negated: !a.predicate.negated } };
  if (a.kind === 'and' || a.kind === 'or') {
    const children = a.children.map((c) => not(c) as PredicateNode);
    return combine(a.kind === 'and' ? 'or' : 'and', children);
  }
  return { kind: 'not', child: a };
}

function same(a: Cond, b: Cond): boolean {
  return a === b || (typeof a === 'boolean' && a === b);
}

/** `if c: a else: b`, simplified when a branch is a constant. */
function ite(c: Cond, a: Cond, b: Cond): Cond {
  if (same(a, b)) return a;
  if (c === true) return a;
  if (c === false) return b;
  if (a === true) return or(c, b);
  if (a === false) return and(not(c), b);
  if (b === true) return or(not(c), a);
  if (b === false) return and(c, a);
  return or(and(c, a), and(not(c), b));
}

/** Structural equality of two conditions (texts included). */
function equal(a: Cond, b: Cond): boolean {
  if (a === b) return true;
  if (typeof a === 'boolean' || typeof b === 'boolean' || a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'and':
    case 'or': {
      const bc = (b as typeof a).children;
      return a.children.length === bc.length && a.children.every((c, i) => equal(c, bc[i]!));
    }
    case 'not':
      return equal(a.child, (b as typeof a).child);
    case 'some':
      return a.field === (b as typeof a).field && a.atLeast === (b as typeof a).atLeast && equal(a.child, (b as typeof a).child);
    case 'other':
      return a.text === (b as typeof a).text;
    case 'pred': {
      const p = a.predicate;
      const q = (b as typeof a).predicate;
      return (
        p.field === q.field &&
        p.op === q.op &&
        p.negated === q.negated &&
        p.text === q.text &&
        JSON.stringify(p.values) === JSON.stringify(q.values)
      );
    }
  }
}

/** `(not b and x) or b` is `x or b`: what a `continue` guard leaves after the rest of the body. */
function orAbsorbing(a: Cond, b: Cond): Cond {
  if (typeof a !== 'boolean' && a.kind === 'and') {
    const nb = not(b);
    const kept = a.children.filter((c) => !equal(c, nb));
    if (kept.length < a.children.length) return or(kept.length === 0 ? true : combine('and', kept), b);
  }
  return or(a, b);
}

function conjuncts(c: Cond): Cond[] {
  if (c === true) return [];
  return typeof c !== 'boolean' && c.kind === 'and' ? c.children : [c];
}

function alternatives(c: Cond): Cond[] {
  if (c === false) return [];
  return typeof c !== 'boolean' && c.kind === 'or' ? c.children : [c];
}

/** Past this many conjuncts or alternatives, `withoutCovered` leaves the condition as it is. */
const maxCoverCheck = 32;

/**
 * The condition to reach a later `return r`, with the conjuncts `not c` that the returns before
 * make needless: `ret or (G and not c and r)` is `ret or (G and r)` when some alternative of `ret`
 * needs only `c` and conjuncts of `G` (`G and c` returned already). Without this, a helper's
 * `if not x: return False` / `if x.startswith(A): return True` / `if x in B: return True` chain
 * reads `(x and A) or (x and not A and B)`, whose negation puts a positive `A` in the rule.
 */
function withoutCovered(fall: Cond, ret: Cond): Cond {
  let kept = conjuncts(fall);
  const alts = alternatives(ret).map(conjuncts);
  if (kept.length > maxCoverCheck || alts.length > maxCoverCheck) return fall;
  for (const f of [...kept]) {
    const c = not(f);
    const others = kept.filter((k) => k !== f);
    const covered = alts.some((alt) => alt.every((a) => equal(a, c) || others.some((k) => equal(a, k))));
    if (covered) kept = others;
  }
  return kept.reduce<Cond>((acc, k) => and(acc, k), true);
}

function size(c: Cond): number {
  if (typeof c === 'boolean') return 1;
  switch (c.kind) {
    case 'and':
    case 'or':
      return 1 + c.children.reduce((n, ch) => n + size(ch), 0);
    case 'not':
      return 1 + size(c.child);
    default:
      return 1;
  }
}

// ---------------------------------------------------------------------------------------------

/** Keyword and positional arguments of a call. */
function argumentsOf(call: Node): { positional: Node[]; keywords: Map<string, Node> } {
  const args = field(call, 'arguments');
  const positional: Node[] = [];
  const keywords = new Map<string, Node>();
  // `any(x for x in y)`: the generator is the whole argument list.
  if (args?.type === 'generator_expression') return { positional: [args], keywords };
  for (const a of args ? named(args) : []) {
    if (a.type === 'keyword_argument') {
      const name = field(a, 'name')?.text;
      const value = field(a, 'value');
      if (name && value) keywords.set(name, value);
    } else positional.push(a);
  }
  return { positional, keywords };
}

function joinPath(prefix: string, key: string): string {
  return prefix ? `${prefix}.${key}` : key;
}

/** `$.client.ipAddress` → `client.ipAddress`; `a[*].b` → `a.b`. */
function normalisePath(path: string): string {
  let p = path.trim();
  if (p.startsWith('$.')) p = p.slice(2);
  else if (p.startsWith('$')) p = p.slice(1);
  return p.split('[*]').join('').split('..').join('.');
}

const loweringMethods = new Set(['lower', 'upper', 'casefold']);
/** What a string method without arguments makes of a constant text (Python's `strip()` strips whitespace). */
const casing: Record<string, (s: string) => string> = {
  lower: (s) => s.toLowerCase(),
  upper: (s) => s.toUpperCase(),
  casefold: (s) => s.toLowerCase(),
  strip: (s) => s.trim(),
};
const keepingMethods = new Set(['strip', 'lstrip', 'rstrip']);
const deepGetters = new Set(['deep_get', 'deep_walk']);

/**
 * What a function's `return E` means to its caller: by default E read for its truth; for a value
 * compared by the caller (`helper(event) == "x"`), whether E compares so (E undefined: None).
 */
type ReturnReader = (expr: Node | undefined, scope: Scope) => Cond;

/** A comparison of a function's value with constants, applied to each value it may return. */
interface ValueTest {
  /** The test on a field the function returns. */
  field(ref: FieldRef): Cond;
  /** The test on a constant it returns (None as null). */
  constant(value: Scalar): boolean;
  /** ` == "x"`, for the text of what cannot be read. */
  text: string;
}

/** Where a call's value comes from: fields it reads, functions whose returns it is, names left unresolved. */
export interface ValueSources {
  fields: FieldRef[];
  /** `logTypes`: those of the data model whose method it is. */
  functions: { helper: FunctionRef; scope: Scope; logTypes?: string[] }[];
  /** A `udm:<name>` the data model computes with a method the analysis could not find. */
  unresolved?: FieldRef;
}

/** Python `==` between constants: numbers with numbers (booleans are numbers), the rest by type. */
function constEqual(a: Scalar, b: Scalar): boolean {
  const num = (v: Scalar) => (typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : undefined);
  const x = num(a);
  const y = num(b);
  if (x !== undefined || y !== undefined) return x === y;
  return a === b;
}

/** Python truthiness as a value test (for a lookup read for its truth). */
const truthTest: ValueTest = {
  field: (ref) =>
    refPredicates(ref, 'exists', [], {
      negated: false,
      caseSensitive: false,
      nativeOp: 'truthy',
      text: ref.fields[0] ?? '',
      ...(ref.json ? { transform: 'json' } : {}),
    }),
  constant: (x) => x !== null && x !== '' && x !== 0 && x !== false,
  text: '',
};

export class FunctionAnalyser {
  private inlineStack: Node[] = [];
  private returnReader: ReturnReader | undefined;
  /** Set while a loop body is read for where it sets a flag (flags.ts): that name. */
  private flagName: string | undefined;
  /** The flag read is a list grown in the loop (accumulators.ts), not a name set to True or False. */
  private accumulating: AccumulatorMode | false = false;
  /** A list grown in a loop → whether some value appended is truthy, and whether every one is (accumulators.ts). */
  private appendedTruths = new WeakMap<Binding, { some: Cond; every: Cond }>();
  /** A collection grown in a loop → where it holds one of some constants (grown-intersections.ts). */
  private grownShares = new WeakMap<Binding, (values: Scalar[]) => Cond>();
  /** Set while a loop body is read for where it adds one of these constants to `flagName`. */
  private sharedSought: Scalar[] | undefined;
  /** Loop variables standing for any element of a list no `some` node can scope (element-scope.ts). */
  private looseElements = new WeakSet<Binding>();
  /** Loop variables standing for one element of a list field, scoped or not. */
  private loopElements = new WeakSet<Binding>();
  /** Constructs read as `other` that deserve a diagnostic, in the order met. */
  readonly gaps: Gap[] = [];
  /** Whether some name was bound to cases (return-cases.ts): until then no expression is searched for one. */
  private casesMade = false;
  /** Helpers read as a parse of their argument (time-values.ts), once each. */
  private readonly parseChains = new Map<number, ParseChain | null>();

  /** The module of the function being read: a helper's own while it is inlined. */
  constructor(private mod: ModuleContext) {}

  private gap(message: string, node: Node): void {
    const gap = gapIn(this.mod, message, node);
    if (!this.gaps.some((g) => g.message === gap.message)) this.gaps.push(gap);
  }

  private calledFunction(fn: Node): FunctionRef | undefined {
    return calledFunction(this.mod, fn);
  }

  /** What ip-address.ts reads through: fields, constant texts and names in `scope`. */
  private ipReader(scope: Scope): IpReader {
    return {
      mod: this.mod,
      fieldOf: (n) => this.fieldOf(n, scope),
      texts: (n) => {
        const v = this.valuesOf(n, scope);
        return v?.values.every((x): x is string => typeof x === 'string') ? v.values : undefined;
      },
      bound: (name) => {
        const b = scope.get(name);
        return b?.kind === 'ip' ? b.value : undefined;
      },
      shadowed: (name) => this.mod.functions.has(name) || scope.has(name),
    };
  }

  /** What time-values.ts reads through: fields, times bound in `scope`, the module's imports. */
  private timeReader(scope: Scope): TimeReader {
    return {
      mod: this.mod,
      fieldOf: (n) => this.fieldOf(n, scope),
      bound: (name) => {
        const b = scope.get(name);
        return b?.kind === 'time' ? { point: b.point } : b?.kind === 'elapsed' ? { elapsed: b.elapsed } : undefined;
      },
      shadowed: (name) => this.mod.functions.has(name) || scope.has(name),
      chains: this.parseChains,
    };
  }

  /** Runs `read` with a helper's module as the current one. */
  private within<T>(mod: ModuleContext, read: () => T): T {
    const saved = this.mod;
    this.mod = mod;
    try {
      return read();
    } finally {
      this.mod = saved;
    }
  }

  // -------------------------------------------------------------------------------------------
  // Values and fields

  private constOf(node: Node, scope: Scope): ConstValue | undefined {
    const attr = instanceAttribute(unwrap(node), (x) => scope.get(x));
    if (attr) return attr.kind === 'const' ? attr.value : undefined;
    const value = this.mod.constants.evaluate(node, (name) => {
      const b = scope.get(name);
      if (b) return b.kind === 'const' ? b.value : b.kind === 'record' ? recordConstant(b.entries) : undefined;
      return this.mod.constants.get(name);
    });
    const n = unwrap(node);
    if (value) return value;
    const entry = this.recordEntry(n, scope);
    if (entry) return entry.kind === 'const' ? entry.value : undefined;
    return n.type === 'call' ? this.constCall(n, scope) : undefined;
  }

  /** `deep_get(D, "k", default=d)` / `deep_walk` of a constant dict: what it gives (constant-deep-get.ts). */
  private constantWalk(name: string, call: Node, scope: Scope): ConstValue | undefined {
    const imp = this.mod.imports.get(name);
    const getter = imp?.kind === 'name' && imp.module === 'panther_base_helpers' && !scope.has(name) ? imp.name : undefined;
    if (getter !== 'deep_get' && getter !== 'deep_walk') return undefined;
    const { positional, keywords } = argumentsOf(call);
    if (positional.length < 2 || [...keywords.keys()].some((k) => k !== 'default')) return undefined;
    const dict = this.constOf(positional[0]!, scope);
    const keys = positional.slice(1).map((k) => this.constOf(k, scope));
    const texts = keys.flatMap((k) => (k?.kind === 'scalar' && typeof k.value === 'string' ? [k.value] : []));
    const given = keywords.get('default');
    const fallback: ConstValue | undefined = given ? this.constOf(given, scope) : { kind: 'scalar', value: null };
    if (!dict || texts.length !== keys.length || !fallback) return undefined;
    return constantDeepGet(getter, dict, texts, fallback);
  }

  /** A helper called on arguments that decide what it returns: that constant (const-calls.ts). */
  private constCall(call: Node, scope: Scope): ConstValue | undefined {
    const mocked = mockedCall(call, this.mod, (name) => scope.has(name)) ?? jsonLoaded(call, (n) => this.constOf(n, scope));
    if (mocked) return mocked;
    const fn = field(call, 'function');
    const walked = fn?.type === 'identifier' ? this.constantWalk(fn.text, call, scope) : undefined;
    if (walked) return walked;
    // `set(json.loads(ALLOWED()))`: a built-in collection of what such a call gives.
    const arg =
      fn?.type === 'identifier' && collectionBuiltins.has(fn.text) && !this.mod.functions.has(fn.text) ? argumentsOf(call) : undefined;
    if (arg && arg.positional.length === 1 && arg.keywords.size === 0 && unwrap(arg.positional[0]!).type === 'call') {
      const inner = this.constCall(unwrap(arg.positional[0]!), scope);
      return inner?.kind === 'collection'
        ? { kind: 'collection', values: inner.values, ...(inner.partial ? { partial: true } : {}) }
        : undefined;
    }
    const helper = fn && this.calledFunction(fn);
    const body = helper && field(helper.def, 'body');
    if (!helper || !body || this.inlineStack.length >= maxInlineDepth || this.inlineStack.includes(helper.def)) return undefined;
    const inner = this.helperScope(helper.def, call, scope);
    if (!inner) return undefined;
    this.inlineStack.push(helper.def);
    try {
      return this.within(helper.mod, () =>
        constantReturn(named(body), {
          truth: (n) => {
            const c = this.condOf(n, inner);
            return typeof c === 'boolean' ? c : undefined;
          },
          value: (n) => this.constOf(n, inner),
          assign: (stmt) => this.assign(stmt, inner),
        }),
      );
    } finally {
      this.inlineStack.pop();
    }
  }

  /** A key given as a literal or a constant name: `"a"`, `KEY`. */
  private keyOf(node: Node, scope: Scope): string | undefined {
    const v = this.constOf(node, scope);
    if (v?.kind === 'scalar' && (typeof v.value === 'string' || typeof v.value === 'number')) return String(v.value);
    return undefined;
  }

  /** The event itself, or a field the expression stands for (the base of a `.get`). */
  private baseOf(node: Node, scope: Scope): FieldRef | undefined {
    const n = unwrap(node);
    if (n.type === 'identifier' && scope.get(n.text)?.kind === 'event') return { fields: [''], lowered: false };
    if (instanceAttribute(n, (x) => scope.get(x))?.kind === 'event') return { fields: [''], lowered: false };
    return this.fieldOf(n, scope);
  }

  private extend(base: FieldRef, keys: string[]): FieldRef | undefined {
    // A piece of a split text is a string: it has no keys; an element's keys are not the field's.
    if (base.after || base.at || base.trimmed || base.item !== undefined || recast(base)) return undefined;
    const fields = base.fields.map((f) => keys.reduce(joinPath, f));
    const json = { ...(base.json ? { json: true } : {}), ...carriedGuards(base, fields) };
    if (!base.logTypes) return { fields, lowered: false, ...json };
    const logTypes: Record<string, string[]> = {};
    base.fields.forEach((f, i) => {
      const types = base.logTypes?.[f];
      if (types) logTypes[fields[i]!] = types;
    });
    return { fields, lowered: false, logTypes, ...json };
  }

  /**
   * The fields `event.udm(name)` reads: the data model's paths, and for a name a method computes,
   * the field that method returns (`return event.get("x")`); a method that returns anything else
   * leaves `udm:<name>` (not evaluated).
   */
  private udmField(name: string, event: Binding): FieldRef {
    const sources = this.udmSources(name, event);
    if (!sources) return { fields: [`udm:${name}`], lowered: false };
    const refs = [...sources.fields];
    const unresolvedTypes: string[] = [];
    let unresolved = false;
    if (sources.unresolved) {
      refs.push(sources.unresolved);
      unresolved = true;
    }
    for (const { helper, scope, logTypes } of sources.functions) {
      // A method returning empty under a test (`if not k8s: return None`) gives its field where it does not.
      const ref = this.returnedField(helper, scope) ?? this.returnedFieldOrEmpty(helper, scope);
      if (ref) refs.push(scopeRef(ref, logTypes));
      else if (logTypes) unresolvedTypes.push(...logTypes);
      else unresolved = true;
    }
    if (unresolvedTypes.length > 0) refs.push(scopeRef({ fields: [`udm:${name}`], lowered: false }, unresolvedTypes));
    if (unresolved && !sources.unresolved) refs.push({ fields: [`udm:${name}`], lowered: false });
    return joinRefs(refs, false) ?? { fields: [`udm:${name}`], lowered: false };
  }

  /** What the data model gives for a UDM name: paths, and methods of the model's Python (`method:<module>:<function>`). */
  private udmSources(name: string, event: Binding): ValueSources | undefined {
    const entries = this.mod.udm?.[name];
    if (!entries || entries.length === 0) return undefined;
    const out: ValueSources = { fields: [], functions: [] };
    const paths: FieldRef[] = [];
    const unresolved: FieldRef[] = [];
    for (const item of entries) {
      const entry = typeof item === 'string' ? item : item.field;
      const logTypes = typeof item === 'string' ? undefined : item.logTypes;
      if (entry.startsWith('method:')) {
        const cut = entry.lastIndexOf(':');
        // The model's own function, or one its module imports (`from panther_aws_helpers import get_actor_user`).
        const model = this.mod.graph.module(entry.slice('method:'.length, cut));
        const method = model && functionNamed(model, entry.slice(cut + 1));
        const def = method?.def;
        const mod = method?.mod;
        const param = def && field(def, 'parameters');
        const first = param ? named(param)[0] : undefined;
        const pname = first ? parameterName(first) : undefined;
        if (def && mod && pname)
          out.functions.push({ helper: { def, mod }, scope: new Map([[pname.text, event]]), ...(logTypes ? { logTypes } : {}) });
        else unresolved.push(scopeRef({ fields: [`udm:${name}`], lowered: false }, logTypes));
      } else if (entry.startsWith('udm:')) unresolved.push(scopeRef({ fields: [entry], lowered: false }, logTypes));
      else paths.push(scopeRef({ fields: [normalisePath(entry)], lowered: false }, logTypes));
    }
    if (paths.length > 0) out.fields.push(unionRef(paths));
    if (unresolved.length > 0) out.unresolved = unionRef(unresolved);
    return out;
  }

  /** The log field an expression reads, if it reads one. */
  fieldOf(node: Node, scope: Scope): FieldRef | undefined {
    const n = unwrap(node);
    const entry = this.recordEntry(n, scope);
    if (entry) return entry.kind === 'field' ? entry.ref : undefined;
    switch (n.type) {
      case 'identifier': {
        const b = scope.get(n.text);
        if (b?.kind !== 'modelValue') return b?.kind === 'field' ? b.ref : undefined;
        return { ...b.ref, lowered: b.lowered || b.ref.lowered, ...(b.orEmpty ? { orEmpty: true } : {}) };
      }
      case 'subscript': {
        const value = field(n, 'value');
        const subs = n.childrenForFieldName('subscript').filter((s): s is Node => s !== null);
        if (!value || subs.length !== 1) return undefined;
        const sliced =
          subs[0]!.type === 'slice' ? slicedPiece(this.fieldOf(value, scope), subs[0]!, (x) => this.constOf(x, scope)) : undefined;
        if (sliced) return sliced;
        const indexed = this.indexedPiece(value, subs[0]!, scope);
        if (indexed) return indexed;
        const piece = this.lastPiece(value, subs[0]!, scope);
        if (piece) return piece;
        const item = itemOf(this.fieldOf(value, scope), this.constOf(subs[0]!, scope));
        if (item) return item;
        const base = this.baseOf(value, scope);
        // Only string keys name a field: `event["a"]`, not `event["a"][0]` (itemOf reads that).
        const key = this.constOf(subs[0]!, scope);
        if (!base || key?.kind !== 'scalar' || typeof key.value !== 'string') return undefined;
        return this.extend(base, [key.value]);
      }
      case 'call':
        return this.callField(n, scope);
      case 'boolean_operator':
        return field(n, 'operator')?.text === 'or' ? this.firstOfFields(n, scope) : undefined;
      case 'conditional_expression':
        return this.fieldOrEmpty(n, scope);
      case 'attribute': {
        const attr = instanceAttribute(n, (x) => scope.get(x));
        return attr ? (attr.kind === 'field' ? attr.ref : undefined) : this.policyField(n, scope);
      }
      default:
        return undefined;
    }
  }

  /** A policyuniverse object of the event's JSON: `Policy(f)`, `p.statements`, a name holding one (policy-documents.ts). */
  private policyObjectOf(n: Node, scope: Scope): Extract<Binding, { kind: 'policyObject' }> | undefined {
    if (n.type === 'identifier') {
      const b = scope.get(n.text);
      return b?.kind === 'policyObject' ? b : undefined;
    }
    if (n.type === 'call') {
      const made = policyConstructor(n, this.mod, (x) => this.mod.functions.has(x) || scope.has(x));
      const ref = made && this.fieldOf(made.argument, scope);
      return made && ref ? { kind: 'policyObject', wrapper: made.wrapper, ref } : undefined;
    }
    const read = this.policyAttribute(n, scope);
    return read?.wrapper && read.ref ? { kind: 'policyObject', wrapper: read.wrapper, ref: read.ref } : undefined;
  }

  /** `o.attr` of a policyuniverse object: the JSON it reads, and what that is when a wrapper. */
  private policyAttribute(n: Node, scope: Scope): { ref: FieldRef | undefined; wrapper?: PolicyWrapper } | undefined {
    const obj = n.type === 'attribute' ? field(n, 'object') : undefined;
    const wrapped = obj && this.policyObjectOf(unwrap(obj), scope);
    const read = wrapped && wrapperAttribute(wrapped.wrapper, field(n, 'attribute')?.text ?? '');
    if (!wrapped || !read) return undefined;
    return { ref: read.keys.length === 0 ? wrapped.ref : this.extend(wrapped.ref, read.keys), wrapper: read.wrapper };
  }

  /** `statement.effect`, `statement.statement`: the statement's JSON a plain accessor reads (policy-documents.ts). */
  private policyField(n: Node, scope: Scope): FieldRef | undefined {
    const read = this.policyAttribute(n, scope);
    return read && !read.wrapper ? read.ref : undefined;
  }

  /**
   * `f.split(sep)[-1]` / `f.rsplit(sep[, n])[-1]` with `sep` a constant text: the piece of the field
   * after its last separator (segments.ts). `split` with a count keeps the rest whole: not read.
   */
  private lastPiece(value: Node, sub: Node, scope: Scope): FieldRef | undefined {
    const index = this.constOf(sub, scope);
    const call = unwrap(value);
    if (index?.kind !== 'scalar' || index.value !== -1 || call.type !== 'call') return undefined;
    const fn = field(call, 'function');
    const method = fn?.type === 'attribute' ? field(fn, 'attribute')?.text : undefined;
    const obj = fn?.type === 'attribute' ? field(fn, 'object') : undefined;
    if (!obj || (method !== 'split' && method !== 'rsplit')) return undefined;
    const { positional, keywords } = argumentsOf(call);
    if (method === 'split' && (positional.length > 1 || keywords.has('maxsplit'))) return undefined;
    const sepNode = positional[0] ?? keywords.get('sep');
    const sep = sepNode ? this.constOf(sepNode, scope) : undefined;
    if (sep?.kind !== 'scalar' || typeof sep.value !== 'string' || sep.value === '') return undefined;
    const replaced = method === 'split' ? replacedBySeparator(obj, sep.value, (x) => this.constOf(x, scope)) : undefined;
    if (replaced) return lastPieceOfEither(this.fieldOf(replaced.inner, scope), sep.value, replaced.replaced);
    const ref = this.fieldOf(obj, scope);
    if (!ref || ref.after || ref.at || ref.trimmed || ref.guards || recast(ref) || ref.fields.some((f) => f.startsWith('udm:')))
      return undefined;
    const after: Record<string, string> = {};
    for (const f of ref.fields) after[f] = sep.value;
    return { ...ref, after };
  }

  /** `A if C else None` (or the other way round) with A a field: the field where C holds (guards.ts). */
  private fieldOrEmpty(n: Node, scope: Scope): FieldRef | undefined {
    const [a, c, b] = named(n);
    if (!a || !c || !b) return undefined;
    const empty = (x: Node) => {
      const v = this.constOf(x, scope);
      return v?.kind === 'scalar' ? v.value === null || v.value === '' : v?.kind === 'collection' && v.values.length === 0 && !v.partial;
    };
    const ref = empty(b) ? this.fieldOf(a, scope) : empty(a) ? this.fieldOf(b, scope) : undefined;
    if (!ref) return undefined;
    const cond = this.condOf(c, scope);
    return guardedRef(ref, empty(b) ? cond : not(cond));
  }

  /** `f.split(sep)` with `sep` a constant text and no count, `f` a field: its pieces (pieces.ts). */
  private splitOf(n: Node, scope: Scope): Binding | undefined {
    if (n.type === 'identifier') {
      const b = scope.get(n.text);
      return b?.kind === 'pieces' ? b : undefined;
    }
    const fn = n.type === 'call' ? field(n, 'function') : undefined;
    const obj = fn?.type === 'attribute' && field(fn, 'attribute')?.text === 'split' ? field(fn, 'object') : undefined;
    if (!obj) return undefined;
    const { positional, keywords } = argumentsOf(n);
    if (positional.length > 1 || keywords.has('maxsplit')) return undefined;
    const sepNode = positional[0] ?? keywords.get('sep');
    const sep = sepNode ? this.constOf(sepNode, scope) : undefined;
    if (sep?.kind !== 'scalar' || typeof sep.value !== 'string' || sep.value === '') return undefined;
    const ref = this.fieldOf(obj, scope);
    // A piece split again (`parts[2].split("@")`): chained-pieces.ts.
    if (ref && isChainable(ref)) return { kind: 'pieces', ref, separator: sep.value };
    if (!ref || ref.after || ref.at || ref.trimmed || ref.json || ref.guards || recast(ref) || ref.fields.some((f) => f.startsWith('udm:')))
      return undefined;
    return { kind: 'pieces', ref, separator: sep.value };
  }

  /** `parts[i]` with `parts` a field's pieces and `i` a constant index from the start (`-1`: the last piece). */
  private indexedPiece(value: Node, sub: Node, scope: Scope): FieldRef | undefined {
    const pieces = this.splitOf(unwrap(value), scope);
    const index = pieces?.kind === 'pieces' ? this.constOf(sub, scope) : undefined;
    if (pieces?.kind !== 'pieces' || index?.kind !== 'scalar' || typeof index.value !== 'number' || !Number.isInteger(index.value))
      return undefined;
    const { ref, separator } = pieces;
    if (ref.at) return chainedPiece(ref, separator, index.value);
    if (index.value === -1) return { ...ref, after: Object.fromEntries(ref.fields.map((f) => [f, separator])) };
    if (index.value < 0) return undefined;
    const i = index.value;
    return { ...ref, at: Object.fromEntries(ref.fields.map((f) => [f, { separator, index: i }])) };
  }

  /**
   * `event.get("a") or event.get("b") or "default"`: the value is one of the fields, so a test on
   * it is a test on any of them (one predicate per field, or-ed); constant fallbacks add none.
   */
  private firstOfFields(n: Node, scope: Scope): FieldRef | undefined {
    const fields: string[] = [];
    let lowered = true;
    const refs: FieldRef[] = [];
    for (const side of [field(n, 'left'), field(n, 'right')]) {
      if (!side) return undefined;
      const ref = this.fieldOf(side, scope);
      if (ref) {
        fields.push(...ref.fields);
        refs.push(ref);
        lowered &&= ref.lowered;
      } else if (!this.constOf(side, scope)) return undefined;
    }
    if (fields.length === 0) return undefined;
    const joined = joinRefs(refs, lowered);
    const last = field(n, 'right') && this.constOf(field(n, 'right')!, scope);
    return joined && last?.kind === 'scalar' && last.value === '' ? { ...joined, orEmpty: true } : joined;
  }

  private callField(n: Node, scope: Scope): FieldRef | undefined {
    const fn = field(n, 'function');
    if (!fn) return undefined;
    const { positional, keywords } = argumentsOf(n);
    const fallback = (d: Node | undefined) => (d ? this.constOf(d, scope) : undefined);
    if (fn.type === 'attribute') {
      const obj = field(fn, 'object');
      const method = field(fn, 'attribute')?.text;
      if (!obj || !method) return undefined;
      // A method of a helper-class instance that returns a field (helper-classes.ts).
      const called = this.instanceMethod(n, scope);
      if (called) return this.returnedField(called.method.fn, called.scope);
      if (method === 'get') {
        const base = this.baseOf(obj, scope);
        const key = positional[0] ? this.keyOf(positional[0], scope) : undefined;
        return base && key !== undefined ? defaultedRef(this.extend(base, [key]), fallback(positional[1]), false) : undefined;
      }
      if (deepGetters.has(method)) {
        const base = this.baseOf(obj, scope);
        const keys = this.keysOf(positional, scope);
        const ref = base && keys ? walkedBy(method, this.extend(base, keys)) : undefined;
        return method === 'deep_get' ? defaultedRef(ref, fallback(keywords.get('default')), true) : ref;
      }
      if (method === 'udm') {
        const base = this.baseOf(obj, scope);
        const name = positional[0] ? this.keyOf(positional[0], scope) : undefined;
        return base?.fields[0] === '' && name !== undefined ? this.udmField(name, { kind: 'event' }) : undefined;
      }
      if (loweringMethods.has(method)) {
        const ref = this.fieldOf(obj, scope);
        return ref ? { ...ref, lowered: true } : undefined;
      }
      if (positional.length === 1 && isUnquote(fn, this.mod, (x) => this.mod.functions.has(x) || scope.has(x)))
        return unquotedRef(this.fieldOf(positional[0]!, scope));
      if (isShlexSplit(fn, this.mod, (x) => this.mod.functions.has(x) || scope.has(x))) return this.splitWords(n, scope);
      if (method === 'b64decode') return this.b64Decoded(n, scope);
      if (method === 'decode') return textDecodedRef(this.fieldOf(obj, scope), n, (x) => this.constOf(x, scope));
      if (keepingMethods.has(method)) {
        const ref = this.fieldOf(obj, scope);
        // Spaces around a piece are part of it: `strip()` is written into its test, the others not read.
        if (ref?.at) return method === 'strip' && positional.length === 0 ? strippedPiece(ref) : undefined;
        return ref && this.trimmedRef(ref, method, positional, scope);
      }
      if (method === 'loads' && unwrap(obj).text === 'json' && positional.length === 1) {
        const ref = this.fieldOf(positional[0]!, scope);
        return ref ? { ...ref, json: true } : undefined;
      }
      return undefined;
    }
    if (fn.type === 'identifier') {
      if (deepGetters.has(fn.text) && positional.length >= 2) {
        const base = this.baseOf(positional[0]!, scope);
        const keys = this.keysOf(positional.slice(1), scope);
        const ref = base && keys ? walkedBy(fn.text, this.extend(base, keys)) : undefined;
        return fn.text === 'deep_get' ? defaultedRef(ref, fallback(keywords.get('default')), true) : ref;
      }
      if (positional.length === 1 && isUnquote(fn, this.mod, (x) => this.mod.functions.has(x) || scope.has(x)))
        return unquotedRef(this.fieldOf(positional[0]!, scope));
      if (isShlexSplit(fn, this.mod, (x) => this.mod.functions.has(x) || scope.has(x))) return this.splitWords(n, scope);
      if (fn.text === 'b64decode') return this.b64Decoded(n, scope);
      const conversion = positional.length === 1 && !this.mod.functions.has(fn.text) ? conversionOf(fn.text) : undefined;
      if (conversion) {
        const ref = this.fieldOf(positional[0]!, scope);
        return ref && { ...ref, converted: conversion };
      }
      const helper = this.calledFunction(fn);
      const inner = helper && this.helperScope(helper.def, n, scope);
      if (helper && inner)
        return this.returnedField(helper, inner) ?? this.returnedFieldOrEmpty(helper, inner) ?? this.firstTruthyField(helper, inner);
    }
    return undefined;
  }

  /** `shlex.split(f)` of a field (its constant replacements first): the words of its text (shlex-split.ts). */
  private splitWords(call: Node, scope: Scope): FieldRef | undefined {
    const arg = splitArgument(call, (x) => this.constOf(x, scope));
    return arg && shlexRef(this.fieldOf(arg.inner, scope), arg.replaced);
  }

  /** `base64.b64decode(f)` of a field: its bytes, tested once decoded to text (base64-decoded.ts). */
  private b64Decoded(call: Node, scope: Scope): FieldRef | undefined {
    const shadowed = (x: string) => this.mod.functions.has(x) || scope.has(x);
    const arg = b64DecodeArgument(call, this.mod, shadowed, (x) => this.constOf(x, scope));
    return arg && b64DecodedRef(this.fieldOf(arg.inner, scope), arg.validate);
  }

  /** A helper returning the first truthy of a few constant paths (first-truthy.ts): any of those fields. */
  private firstTruthyField(helper: FunctionRef, scope: Scope): FieldRef | undefined {
    if (this.inlineStack.length >= maxInlineDepth || this.inlineStack.includes(helper.def)) return undefined;
    this.inlineStack.push(helper.def);
    try {
      return this.within(helper.mod, () => {
        const inner = new Map(scope);
        const text = (k: Node) => {
          const v = this.constOf(k, inner);
          return v?.kind === 'scalar' && typeof v.value === 'string' ? v.value : undefined;
        };
        const shape = firstTruthyOf(helper.def, (name) => this.mod.constants.literal(name), text);
        if (!shape) return undefined;
        for (const s of shape.before) this.assign(s, inner);
        const fn = field(shape.call, 'function');
        const { positional, keywords } = argumentsOf(shape.call);
        const method = fn?.type === 'attribute' ? field(fn, 'attribute')?.text : fn?.text;
        const obj = fn?.type === 'attribute' ? field(fn, 'object') : positional[0];
        const spreadAt = fn?.type === 'attribute' ? 0 : 1;
        if (method !== 'deep_get' || !obj || keywords.size > 0 || positional.length !== spreadAt + 1) return undefined;
        const base = this.baseOf(obj, inner);
        const refs = [...shape.guarded.map((g) => this.fieldOf(g, inner)), ...shape.paths.map((p) => base && this.extend(base, p))];
        if (refs.some((r) => r === undefined)) return undefined;
        return joinRefs(
          refs as FieldRef[],
          refs.every((r) => r!.lowered),
        );
      });
    } finally {
      this.inlineStack.pop();
    }
  }

  /** Keys of `deep_get(event, "a", "b")`: every positional key must be a constant (or a spread tuple of them). */
  private keysOf(nodes: Node[], scope: Scope): string[] | undefined {
    if (nodes.length === 0) return undefined;
    const keys: string[] = [];
    for (const k of nodes) {
      const spread = spreadKeys(k, scope);
      if (spread) {
        keys.push(...spread);
        continue;
      }
      const v = this.keyOf(k, scope);
      if (v === undefined) return undefined;
      keys.push(v);
    }
    return keys;
  }

  /** What an expression binds a name to. */
  bindingOf(node: Node, scope: Scope): Binding {
    const n = unwrap(node);
    if (n.type === 'identifier') {
      const b = scope.get(n.text);
      if (b) return b;
    } else {
      const object = this.instanceOf(n, scope) ?? instanceAttribute(n, (x) => scope.get(x));
      if (object) return object;
      const cased = this.bindingPerCase(n, scope);
      if (cased) return cased;
      const time = n.type === 'call' || n.type === 'binary_operator' ? this.timeBinding(n, scope) : undefined;
      if (time) return time;
    }
    const entry = this.recordEntry(n, scope);
    if (entry) return entry;
    const kvDict = this.keyValueDictOf(n, scope);
    if (kvDict) return { kind: 'kvDict', kv: kvDict };
    const kvEntry = this.keyValueEntryOf(n, scope);
    if (kvEntry) return kvEntry;
    const value = this.modelValueOf(n, scope);
    if (value) return value;
    const ip = ipValueOf(n, this.ipReader(scope));
    if (ip && 'ref' in ip) return { kind: 'ip', value: ip };
    const pieces = this.splitOf(n, scope);
    if (pieces) return pieces;
    const policyObject = this.policyObjectOf(n, scope);
    if (policyObject) return policyObject;
    const joined = this.joinedOf(n, scope);
    if (joined) return joined;
    // `f.split("@")[1] if "@" in f else None`: None kept as a value of its own, not as an empty field (chosen-values.ts).
    const orNone = n.type === 'conditional_expression' ? this.chosenValueOf(n, scope, true) : undefined;
    if (orNone) return orNone;
    const keysOf = keysReceiver(n);
    const keysRef = keysOf && this.fieldOf(keysOf, scope);
    if (keysRef) return { kind: 'mappingKeys', ref: keysRef };
    const ref = this.fieldOf(n, scope);
    if (ref) return { kind: 'field', ref };
    // `x if isinstance(x, list) else [x]`: read as after `if not isinstance(x, list): x = [x]` (mergeScopes).
    const [a, , b] = n.type === 'conditional_expression' ? named(n) : [];
    const wrapped = a && b ? listWrapped([this.bindingOf(a, scope), this.bindingOf(b, scope)]) : undefined;
    if (wrapped) return wrapped;
    const chosen = a && b ? this.chosenValueOf(n, scope) : undefined;
    if (chosen) return chosen;
    const collection = this.collectionOf(n, scope);
    if (collection) return collection;
    const items = this.itemsOf(n, scope);
    if (items) return { kind: 'items', items };
    // A dict literal holding a value that is no constant is a record (a constant dict would lose that value).
    const literal = n.type === 'dictionary' ? this.recordOf(n, scope) : undefined;
    if (literal && [...literal.values()].some((b) => b.kind !== 'const')) return { kind: 'record', entries: literal };
    // Rows of constants, `{tuple(kv) for kv in json.loads(TAGS())}` (constant-rows.ts): a loop unpacks each.
    const rows = constantRows(n, (x) => this.constOf(x, scope), maxUnrolled);
    if (rows) return { kind: 'items', items: rows.map((row) => ({ kind: 'items', items: row.map((value) => constScalar(value)) })) };
    const constant = this.constOf(n, scope);
    if (constant) return { kind: 'const', value: constant };
    const lookup = this.lookupOf(n, scope);
    if (lookup) return { kind: 'lookup', lookup };
    // `set(D[f])`: the same entry's collection, as a set (key-subsets.ts).
    const inSet = setOf(n, (x) => this.mod.functions.has(x) || scope.has(x));
    const keyedSet = inSet && this.bindingOf(inSet, scope);
    if (keyedSet?.kind === 'keyedList') return keyedSet;
    const keyed = keyedListAccess(n, (x) => this.constOf(x, scope));
    const keyRef = keyed && this.fieldOf(keyed.key, scope);
    if (keyed && keyRef) return { kind: 'keyedList', key: keyRef, entries: keyed.entries, fallback: keyed.fallback, text: n.text };
    const record = this.recordOf(n, scope);
    if (record) return { kind: 'record', entries: record };
    const cases = this.returnCasesOf(n, scope);
    if (cases) return cases;
    // Late: a collection another reader reads (`elements`, a grown list's truth) keeps that reading.
    const picked = this.pickedOf(n, scope);
    if (picked) return picked;
    if (isConditionLike(n)) return { kind: 'cond', cond: this.condOf(n, scope), ...(isMatchCall(n) ? { matchObject: true } : {}) };
    const nonEmpty = this.nonEmpty(n, scope);
    if (nonEmpty !== undefined) return { kind: 'cond', cond: nonEmpty };
    return { kind: 'unknown' };
  }

  /** A comprehension picking values of a list field's elements, or a helper growing them so (picked-values.ts). */
  private pickedOf(n: Node, scope: Scope): Binding | undefined {
    const shape = pickedComprehension(n);
    if (shape) return this.pickFrom(shape, scope);
    const first = firstPick(n, (x) => this.mod.functions.has(x) || scope.has(x));
    const firstPicked = first && this.pickFrom(first, scope);
    if (firstPicked?.kind === 'picked') return { ...firstPicked, first: true };
    const fn = n.type === 'call' ? field(n, 'function') : undefined;
    const helper = fn && this.calledFunction(fn);
    const helped = helper && accumulatedPick(helper.def);
    if (!helper || !helped || this.inlineStack.length >= maxInlineDepth || this.inlineStack.includes(helper.def)) return undefined;
    const inner = this.helperScope(helper.def, n, scope);
    return inner && this.within(helper.mod, () => this.pickFrom(helped, inner));
  }

  /** The pick `shape` reads with the element bound to the list field it walks; undefined for another source. */
  private pickFrom(shape: PickShape, scope: Scope): Binding | undefined {
    const iter = this.bindingOf(shape.source, scope);
    const list = iter.kind === 'field' ? scopedList(iter.ref) : undefined;
    if (iter.kind !== 'field' || !list) return undefined;
    const inner = new Map(scope);
    inner.set(shape.element, { ...iter });
    const value = this.fieldOf(shape.value, inner);
    if (!value) return undefined;
    const filter = this.condOf(shape.test, inner);
    return { kind: 'picked', list: list.list, json: list.json, filter, value };
  }

  /** A time or a difference of times (time-values.ts). */
  private timeBinding(n: Node, scope: Scope): Binding | undefined {
    const reader = this.timeReader(scope);
    const point = n.type === 'call' ? timePointOf(n, reader) : undefined;
    if (point) return { kind: 'time', point };
    const elapsed = n.type === 'binary_operator' ? elapsedOf(n, reader) : undefined;
    return elapsed && { kind: 'elapsed', elapsed };
  }

  /** `sep.join(f)` of a plain list field (joined-texts.ts). */
  private joinedOf(n: Node, scope: Scope): Binding | undefined {
    const j = joinedText(n);
    const ref = j && this.fieldOf(j.list, scope);
    if (!j || !ref || ref.after || ref.at || ref.trimmed || ref.converted || ref.item !== undefined || recast(ref)) return undefined;
    return { kind: 'joined', ref: { ...ref, lowered: ref.lowered || j.lowered }, separator: j.separator };
  }

  /** `C in sep.join(f)`: f is not a text and one of its elements holds C; other texts C are not read. */
  private inJoinedText(left: Node, right: Node, text: string, scope: Scope): Cond | undefined {
    const r = unwrap(right);
    const joined = r.type === 'identifier' ? scope.get(r.text) : this.joinedOf(r, scope);
    if (joined?.kind !== 'joined') return undefined;
    const v = this.valuesOf(left, scope);
    if (!v || v.collection || !readsAsElementTest(v.values, joined.separator)) return other(text);
    // A lowered text holds no capital: such a test is left as text rather than matched without case.
    if (joined.ref.lowered && v.values.some((c) => c !== c.toLowerCase())) return other(text);
    const notText = refPredicates(joined.ref, 'other', ['str'], {
      negated: true,
      caseSensitive: true,
      nativeOp: 'isinstance',
      text,
      // A field of a parsed JSON text is typed as the parse gives it.
      transform: joined.ref.json ? 'json|type' : 'type',
    });
    return and(notText, this.pred(joined.ref, 'contains', v.values, 'in', text));
  }

  /** A collection built from the event, or its intersection with constants (event-collections.ts). */
  private collectionOf(n: Node, scope: Scope): Binding | undefined {
    const common = this.commonOf(n, scope);
    if (common) return common;
    const ref = this.elementsOf(n, scope);
    return ref ? { kind: 'elements', ref, set: builtSet(n) } : undefined;
  }

  /** `f == []` / `f == {}` (either side): the field an empty list (mapping), or missing where its read's default is one (event-collections.ts). */
  private emptyCompared(left: Node, right: Node, text: string, scope: Scope): Cond | undefined {
    const kind = emptyLiteral(right) ?? emptyLiteral(left);
    const side = emptyLiteral(right) ? left : right;
    const ref = kind && this.fieldOf(side, scope);
    if (!kind || !ref || ref.at || ref.after || ref.trimmed || ref.guards || ref.converted || ref.item !== undefined) return undefined;
    const opts = { negated: false, caseSensitive: true, text };
    // A value of a parsed JSON text is typed as the parse gives it (`json|type`).
    const typed = refPredicates(ref, 'other', emptyKinds[kind], {
      ...opts,
      nativeOp: ref.walked && !ref.json ? walkedIsinstance : 'isinstance',
      transform: ref.json ? 'json|type' : 'type',
    });
    const empty = and(typed, this.pred(ref, 'exists', [], 'truthy', text, true));
    const fallback = defaultOf(side);
    if (!fallback) return empty;
    // The default given for a missing field: equal to the literal when it is the same empty kind.
    const same = emptyLiteral(fallback) === kind;
    if (!same && !this.constOf(fallback, scope)) return undefined;
    return same ? or(this.pred(ref, 'exists', [], 'is', text, true), empty) : empty;
  }

  /** `set(f) == set(g)` / `!=`: two sets built from the event, compared as sets (event-collections.ts). */
  private setsCompared(left: Node, op: string, right: Node, text: string, scope: Scope): Cond | undefined {
    const sides = [left, right].map((side) => {
      const n = unwrap(side);
      const b = n.type === 'identifier' ? scope.get(n.text) : this.collectionOf(n, scope);
      return b?.kind === 'elements' && b.set && b.ref.fields.length === 1 && !b.ref.json && !b.ref.at && !b.ref.after && !b.ref.trimmed
        ? b.ref
        : undefined;
    });
    const [l, r] = sides;
    if (!l || !r) return undefined;
    const opts = { negated: op === '!=', caseSensitive: !(l.lowered || r.lowered), nativeOp: op, text, transform: 'set' };
    return refPredicates(l, 'fieldref', [r.fields[0]!], opts);
  }

  /** The field whose values are the elements of a collection the code builds from the event: `set(f)`, `[r["k"] for r in f]`. */
  private elementsOf(node: Node, scope: Scope, guarded = false): FieldRef | undefined {
    const n = unwrap(node);
    if (n.type === 'identifier') {
      const b = scope.get(n.text);
      return b?.kind === 'elements' ? b.ref : undefined;
    }
    const arg = collectionArgument(n, (name) => this.mod.functions.has(name) || scope.has(name));
    if (arg) return this.elementsOf(arg, scope, guarded) ?? wholeValues(this.fieldOf(arg, scope), guarded);
    const parts = comprehensionParts(n);
    if (parts) {
      const source = this.elementsOf(parts.source, scope) ?? wholeValues(this.fieldOf(parts.source, scope));
      if (!source) return undefined;
      const inner = new Map(scope).set(parts.name.text, { kind: 'field', ref: source });
      return wholeValues(this.fieldOf(parts.body, inner));
    }
    const listed = inlineListify(n);
    if (listed) {
      const [alone, inList] = listed.map((x) => this.fieldOf(x, scope));
      return alone && inList && sameReading(alone, inList) ? wholeValues(alone) : undefined;
    }
    return n.type === 'call' ? this.listedReturn(n, scope) : undefined;
  }

  /**
   * A helper each of whose returns is its argument's field or a list of that one field, one at least
   * (`[x] if isinstance(x, str) else x`), or a collection built from that field (`[v.lower() for v in
   * f]`): the field, as the elements of the list it returns.
   */
  private listedReturn(call: Node, scope: Scope): FieldRef | undefined {
    const fn = field(call, 'function');
    const helper = fn?.type === 'identifier' ? this.calledFunction(fn) : undefined;
    const body = helper && field(helper.def, 'body');
    if (!helper || !body || this.inlineStack.length >= maxInlineDepth || this.inlineStack.includes(helper.def)) return undefined;
    const inner = this.helperScope(helper.def, call, scope);
    if (!inner) return undefined;
    const found: FieldRef[] = [];
    let wrapped = false;
    let unread = false;
    const returned = (x: Node, s: Scope) => {
      const n = unwrap(x);
      // A collection built from the field (`[v.lower() for v in f]`, a name bound to one): its elements.
      const built = n.type === 'list' ? undefined : this.elementsOf(n, s);
      if (built) {
        found.push(built);
        wrapped = true;
        return;
      }
      const one = n.type === 'list' && named(n).length === 1 ? unwrap(named(n)[0]!) : undefined;
      const ref = this.fieldOf(one ?? n, s);
      if (ref) found.push(ref);
      else unread = true;
      wrapped ||= one !== undefined;
    };
    const reader: ReturnReader = (expr, s) => {
      const n = expr && unwrap(expr);
      const [a, , b] = n?.type === 'conditional_expression' ? named(n) : [];
      if (a && b) {
        returned(a, s);
        returned(b, s);
      } else if (n) returned(n, s);
      else unread = true;
      return true;
    };
    const saved = this.returnReader;
    this.inlineStack.push(helper.def);
    this.returnReader = reader;
    try {
      const flow = this.within(helper.mod, () => this.block(named(body), 0, inner));
      if (flow.fall !== false) unread = true;
    } finally {
      this.inlineStack.pop();
      this.returnReader = saved;
    }
    const first = found[0];
    if (unread || !wrapped || !first || !found.every((r) => sameBinding({ kind: 'field', ref: r }, { kind: 'field', ref: first })))
      return undefined;
    return wholeValues(first);
  }

  /** `L & C`, `C & L`, `L.intersection(C)`, `set(C).intersection(L)` with L built from the event: the constants C it holds. */
  private commonOf(node: Node, scope: Scope): Extract<Binding, { kind: 'common' }> | undefined {
    const n = unwrap(node);
    if (n.type === 'identifier') {
      const b = scope.get(n.text);
      return b?.kind === 'common' ? b : undefined;
    }
    // `list(L & C)`, `sorted(L & C)`...: the same elements, so the same truth and count.
    const copied = collectionArgument(n, (name) => this.mod.functions.has(name) || scope.has(name));
    if (copied) return this.commonOf(copied, scope);
    const found = intersectionSides(n);
    if (!found) return undefined;
    const { sides, method } = found;
    for (const [a, b] of [sides, [sides[1], sides[0]]] as const) {
      // A method's argument may be any iterable: a list field's elements. A guarded field (guards.ts)
      // is empty where its guard fails, and so is what it shares: its membership tests carry the guard.
      const ref = this.elementsOf(a, scope, true) ?? (method && a === sides[1] ? wholeValues(this.fieldOf(a, scope), true) : undefined);
      const c = ref && this.constOf(b, scope);
      if (ref && c?.kind === 'collection' && !c.partial) return { kind: 'common', ref, values: c.values };
    }
    return undefined;
  }

  /**
   * `{x[K]: x[V] for x in L}` with K and V constant texts and L a plain list field, or a helper's one
   * return of such (kv-dicts.ts): L and its elements' key and value fields.
   */
  private keyValueDictOf(node: Node, scope: Scope): KeyValueList | undefined {
    const n = unwrap(node);
    const built = keyValueComprehension(n);
    if (built) {
      const list = this.fieldOf(built.list, scope);
      const [k, v] = [this.constOf(built.key, scope), this.constOf(built.value, scope)];
      // The list as the event holds it: one plain field, read whole.
      const plain = list && list.fields.length === 1 && !list.fields[0]!.startsWith('udm:') && wholeValues(list) === list;
      if (!list || !plain || list.json || list.lowered || list.after || list.at || list.trimmed) return undefined;
      if (k?.kind !== 'scalar' || v?.kind !== 'scalar' || typeof k.value !== 'string' || typeof v.value !== 'string') return undefined;
      const at = list.fields[0]!;
      return { list: at, keyField: `${at}.${k.value}`, valueField: `${at}.${v.value}` };
    }
    const fn = n.type === 'call' ? field(n, 'function') : undefined;
    const helper = fn && this.calledFunction(fn);
    const body = helper && field(helper.def, 'body');
    const stmts = body ? named(body).filter((x) => x.type !== 'expression_statement' || named(x)[0]?.type !== 'string') : [];
    const returned = stmts.length === 1 && stmts[0]!.type === 'return_statement' ? named(stmts[0]!)[0] : undefined;
    if (!helper || !returned || this.inlineStack.length >= maxInlineDepth || this.inlineStack.includes(helper.def)) return undefined;
    const inner = this.helperScope(helper.def, n, scope);
    if (!inner) return undefined;
    this.inlineStack.push(helper.def);
    try {
      return this.within(helper.mod, () => this.keyValueDictOf(returned, inner));
    } finally {
      this.inlineStack.pop();
    }
  }

  /** `d.get(k[, c])` with d a key/value dict (kv-dicts.ts), k and c constants. */
  private keyValueEntryOf(node: Node, scope: Scope): Extract<Binding, { kind: 'kvEntry' }> | undefined {
    const get = getCall(node);
    const dict = get && this.bindingOf(get.dict, scope);
    if (!get || dict?.kind !== 'kvDict') return undefined;
    const key = this.constOf(get.key, scope);
    const fallback = get.fallback ? this.constOf(get.fallback, scope) : { kind: 'scalar' as const, value: null };
    return key?.kind === 'scalar' && fallback?.kind === 'scalar'
      ? { kind: 'kvEntry', kv: dict.kv, key: key.value, fallback: fallback.value }
      : undefined;
  }

  /** `E == C` / `!=` / `E in (C1, C2)` / `not in` with E a key/value dict's entry (kv-dicts.ts) and C constants. */
  private entryCompared(left: Node, op: string, right: Node, text: string, scope: Scope): Cond | undefined {
    const membership = op === 'in' || op === 'not in';
    const sides = membership
      ? [[left, right] as const]
      : ([
          [left, right],
          [right, left],
        ] as const);
    for (const [a, b] of sides) {
      const u = unwrap(a);
      const bound = u.type === 'identifier' ? scope.get(u.text) : this.keyValueEntryOf(u, scope);
      if (bound?.kind !== 'kvEntry') continue;
      const wanted = this.constOf(b, scope);
      const values =
        wanted?.kind === 'scalar' && !membership
          ? [wanted.value]
          : wanted?.kind === 'collection' && membership && !wanted.partial && !wanted.entries
            ? wanted.values
            : undefined;
      if (!values) return undefined;
      const negated = op === '!=' || op === 'not in';
      const value: FieldRef = { fields: [bound.kv.valueField], lowered: false };
      // Nothing is in an empty collection, whatever the entry.
      if (values.length === 0) return negated;
      const test = (flip: boolean): PredicateNode =>
        this.pred(value, values.length > 1 ? 'in' : 'eq', values, membership ? 'in' : '==', text, flip !== negated);
      const onDefault = values.some((v) => constEqual(bound.fallback, v)) !== negated;
      return entryTest(bound.kv, bound.key, test, onDefault, text);
    }
    return undefined;
  }

  /** `G & C` / `G.intersection(C)` with G grown in a loop (grown-intersections.ts), read for its truth. */
  private grownCommonTruth(node: Node, scope: Scope): Cond | undefined {
    const found = intersectionSides(node);
    if (!found) return undefined;
    for (const [a, b] of [found.sides, [found.sides[1], found.sides[0]]] as const) {
      const grown = unwrap(a).type === 'identifier' ? this.grownShares.get(scope.get(unwrap(a).text)!) : undefined;
      const c = grown && this.constOf(b, scope);
      if (grown && c?.kind === 'collection' && !c.partial) return grown(c.values);
    }
    return undefined;
  }

  /** What one growing call adds of `values`: a value one of them, a collection holding one. */
  private shareReaders(values: Scalar[], text: string, scope: Scope): SharedReaders {
    return {
      member: (x) => {
        const ref = this.fieldOf(x, scope);
        if (ref) return values.length === 0 ? false : this.pred(ref, values.length > 1 ? 'in' : 'eq', values, 'in', text);
        const v = this.constOf(x, scope);
        return v?.kind === 'scalar' ? values.includes(v.value) : undefined;
      },
      common: (x) => {
        const ref = this.elementsOf(x, scope);
        if (ref) return this.commonTruth({ ref, values }, text);
        const v = this.constOf(x, scope);
        return v?.kind === 'collection' && !v.partial ? v.values.some((e) => values.includes(e)) : undefined;
      },
    };
  }

  /** `L & C` read for its truth: some element of L is one of C. */
  private commonTruth(common: { ref: FieldRef; values: Scalar[] }, text: string): Cond {
    if (common.values.length === 0) return false;
    return this.pred(common.ref, common.values.length > 1 ? 'in' : 'eq', common.values, 'in', text);
  }

  /** `C in L` / `C not in L` with L a collection built from the event and C constants: an element equal to C. */
  /** `C in f.split(sep)`: a piece of the field is C (piece-texts.ts). */
  private inPieces(left: Node, right: Node, op: string, text: string, scope: Scope): Cond | undefined {
    const pieces = this.splitOf(unwrap(right), scope);
    const v = pieces?.kind === 'pieces' && !this.fieldOf(left, scope) ? this.valuesOf(left, scope) : undefined;
    if (pieces?.kind !== 'pieces' || !v || v.collection) return undefined;
    const opts = { negated: op === 'not in', caseSensitive: true, nativeOp: op, text };
    return pieceMembership(pieces.ref, pieces.separator, v.values, opts);
  }

  /** The first value picked from a list's elements (`next(...)`, a name bound to it) compared with a field (picked-values.ts). */
  private firstPickCompared(left: Node, op: string, right: Node, text: string, scope: Scope): Cond | undefined {
    const bound = (x: Node) => {
      const u = unwrap(x);
      const b = u.type === 'identifier' ? scope.get(u.text) : undefined;
      return b?.kind === 'picked' && b.first ? b : undefined;
    };
    const [picked, other] = bound(left) ? [bound(left)!, right] : bound(right) ? [bound(right)!, left] : [];
    const ref = picked && other && this.fieldOf(other, scope);
    if (!picked || !ref) return undefined;
    return firstCompared(picked, ref, op === '!=', (x, value) => this.pred(x, 'fieldref', [value], '==', text), text);
  }

  /** A field sought among values picked from a list's elements (picked-values.ts). */
  private pickedSought(left: Node, op: string, right: Node, text: string, scope: Scope): Cond | undefined {
    const r = unwrap(right);
    const b = r.type === 'identifier' ? scope.get(r.text) : this.pickedOf(r, scope);
    const ref = b?.kind === 'picked' ? this.fieldOf(left, scope) : undefined;
    if (b?.kind !== 'picked' || !ref) return undefined;
    return pickSought(b, ref, op === 'not in', (x, other) => this.pred(x, 'fieldref', [other], '==', text));
  }

  private soughtInCollection(left: Node, right: Node, op: string, text: string, scope: Scope): Cond | undefined {
    const ref = this.elementsOf(right, scope);
    if (!ref || this.fieldOf(left, scope)) return undefined;
    const v = this.valuesOf(left, scope);
    if (!v || v.collection || v.values.length === 0) return undefined;
    return this.pred(ref, v.values.length > 1 ? 'in' : 'eq', v.values, op, text, op === 'not in');
  }

  /** `"k" in f.keys()` of a field (key-subsets.ts): a test on the keys of f's one mapping. */
  private keySought(left: Node, right: Node, text: string, scope: Scope): Cond | undefined {
    const keys = this.bindingOf(right, scope);
    if (keys.kind !== 'mappingKeys' || this.fieldOf(left, scope)) return undefined;
    const v = this.valuesOf(left, scope);
    if (!v || v.collection || v.values.length !== 1) return undefined;
    return keysPresent(keys.ref, v.values, text);
  }

  /** `C.issubset(f.keys())` (key-subsets.ts): every constant a key of f's mapping, per entry where `set(D[g])` picks C. */
  private keysSubset(smaller: Node, larger: Node, text: string, scope: Scope): Cond | undefined {
    const big = this.bindingOf(larger, scope);
    if (big.kind !== 'mappingKeys') return undefined;
    const small = this.bindingOf(smaller, scope);
    if (small.kind === 'const' && small.value.kind === 'collection' && !small.value.partial)
      return keysPresent(big.ref, small.value.values, text);
    if (small.kind !== 'keyedList' || small.entries.length > maxUnrolled) return undefined;
    let result: Cond = false;
    for (const [k, values] of small.entries)
      result = or(result, and(this.pred(small.key, 'eq', [k], 'dict.get', small.text), keysPresent(big.ref, values, text)));
    // A key in none: `D[g]` raises (not read), `.get`'s default is the collection.
    const rest = small.fallback === 'raises' ? other(text) : keysPresent(big.ref, small.fallback, text);
    const keys = small.entries.map(([k]) => k);
    return or(result, and(this.pred(small.key, 'in', keys, 'dict.get', small.text, true), rest));
  }

  /** `len(f if c else []) op n`: the field's length test where c holds, the empty collection's elsewhere (event-collections.ts). */
  private chosenLength(arg: Node, bound: Node, op: string, lenOnLeft: boolean, text: string, scope: Scope): Cond | undefined {
    const n = unwrap(arg);
    const [a, c, b] = n.type === 'conditional_expression' ? named(n) : [];
    const k = this.constOf(bound, scope);
    if (!a || !c || !b || k?.kind !== 'scalar' || typeof k.value !== 'number') return undefined;
    const emptyText = (x: Node) => {
      const v = this.constOf(x, scope);
      return v?.kind === 'scalar' && v.value === '';
    };
    const emptyOnRight = emptyLiteral(b) !== undefined || emptyText(b);
    if (!emptyOnRight && emptyLiteral(a) === undefined && !emptyText(a)) return undefined;
    const ref = this.fieldOf(emptyOnRight ? a : b, scope);
    if (!ref || ref.json || ref.at || ref.guards || ref.trimmed || recast(ref)) return undefined;
    const taken = lengthCondition(ref.fields, op, k.value, lenOnLeft, text);
    const zero = emptyLengthPasses(op, k.value, lenOnLeft);
    if (taken === undefined || zero === undefined) return undefined;
    const cond = this.condOf(c, scope);
    return emptyOnRight ? ite(cond, taken, zero) : ite(cond, zero, taken);
  }

  /** `len(L & C) op n`: how many of C's values are elements of L (event-collections.ts). */
  private commonCounted(arg: Node, bound: Node, op: string, lenOnLeft: boolean, text: string, scope: Scope): Cond | undefined {
    const common = this.commonOf(arg, scope);
    const n = common && this.constOf(bound, scope);
    if (!common || n?.kind !== 'scalar' || typeof n.value !== 'number') return undefined;
    const counted = commonCount(common.values, op, n.value, lenOnLeft, (vs) =>
      this.pred(common.ref, vs.length > 1 ? 'in' : 'eq', vs, 'in', text),
    );
    if (!counted) return undefined;
    const c = counted.notAtLeast === undefined ? counted.atLeast : and(counted.atLeast, not(counted.notAtLeast));
    return counted.negated ? not(c) : c;
  }

  /**
   * `for x in D[f]` with D a constant dict of a few collections of a few constants and f a field:
   * for each key, f holding it and the loop over its collection read once per element; a key D
   * lacks raises KeyError (neither returns nor runs on).
   */
  private keyedLoop(name: string, right: Node, body: Node, scope: Scope): Flow | undefined {
    const r = unwrap(right);
    const subs = r.type === 'subscript' ? r.childrenForFieldName('subscript').filter((x): x is Node => x !== null) : [];
    const dict = field(r, 'value');
    const entries = dict && subs.length === 1 ? collectionEntries(this.constOf(dict, scope)) : undefined;
    const key = entries && this.fieldOf(subs[0]!, scope);
    if (!entries || !key || entries.length > maxUnrolled || entries.some(([, values]) => values.length > maxUnrolled)) return undefined;
    let ret: Cond = false;
    let fall: Cond = false;
    for (const [k, values] of entries) {
      const holds = this.pred(key, 'eq', [k], '[]', r.text);
      const items = values.map((value) => new Map<string, Binding>([[name, { kind: 'const', value: { kind: 'scalar', value } }]]));
      const flow = this.unrolled(items, body, new Map(scope));
      ret = or(ret, and(holds, flow.ret));
      fall = or(fall, and(holds, flow.fall));
    }
    return { ret, fall, jump: false };
  }

  /** `for k in f: if k in D: ...` (known-keys.ts): per key of D, that key in f's mapping and the body with k bound to it. */
  private knownKeysLoop(name: string, right: Node, body: Node, scope: Scope): Flow | undefined {
    const walked = this.bindingOf(right, scope);
    const ref = walked.kind === 'field' || walked.kind === 'mappingKeys' ? walked.ref : undefined;
    const keys = ref && keysActedOn(body, name, maxUnrolled, (n) => this.constOf(n, scope));
    if (!ref || !keys) return undefined;
    let ret: Cond = false;
    let fall: Cond = true;
    for (const k of keys) {
      const present = keysPresent(ref, [k], `${name} in ${right.text}`);
      const flow = this.block(named(body), 0, new Map(scope).set(name, constScalar(k)));
      ret = or(ret, and(present, flow.ret));
      // A key test not evaluated (no mapping) leaves the pass unknown, whatever the body would do.
      fall = and(fall, or(not(present), and(present, flow.fall)));
    }
    return { ret, fall, jump: false };
  }

  /** A literal list of a few constant collections (`[{"A", "B"}, {"C", "D"}]`): those collections, for a loop read once per element. */
  private constantCollections(right: Node, scope: Scope): ConstValue[] | undefined {
    const r = unwrap(right);
    const literal = r.type === 'identifier' && scope.has(r.text) ? undefined : this.mod.constants.literal(r);
    const elements = literal && ['list', 'tuple', 'set'].includes(unwrap(literal).type) ? named(unwrap(literal)) : undefined;
    if (!elements || elements.length === 0 || elements.length > maxUnrolled) return undefined;
    const values = elements.map((e) => this.constOf(e, scope));
    return values.every((v) => v?.kind === 'collection' && !v.partial) ? (values as ConstValue[]) : undefined;
  }

  /** A dict literal of named values, or a helper's `return {...}` after statements that return nothing (records.ts). */
  private recordOf(n: Node, scope: Scope): RecordEntries | undefined {
    const read = (s: Scope) => ({ key: (k: Node) => this.keyOf(k, s), binding: (v: Node) => this.bindingOf(v, s) });
    if (n.type === 'dictionary') {
      const r = read(scope);
      return recordEntries(n, r.key, r.binding);
    }
    const fn = n.type === 'call' ? field(n, 'function') : undefined;
    const helper = fn?.type === 'identifier' ? this.calledFunction(fn) : undefined;
    const returned = helper && returnedDict(helper.def);
    if (!helper || !returned) return undefined;
    return this.afterStraightLine(helper, returned.before, n, scope, (inner) => {
      const r = read(inner);
      return recordEntries(returned.dict, r.key, r.binding);
    });
  }

  /**
   * What `read` gives in a helper's scope after the statements `before` its final return, when they
   * always run on to it (an earlier return or a raise gives something else): records' `return {...}`,
   * tuple unpacking's `return x, y`.
   */
  private afterStraightLine<T>(
    helper: FunctionRef,
    before: Node[],
    call: Node,
    scope: Scope,
    read: (inner: Scope) => T | undefined,
  ): T | undefined {
    if (this.inlineStack.length >= maxInlineDepth || this.inlineStack.includes(helper.def)) return undefined;
    const inner = this.helperScope(helper.def, call, scope);
    if (!inner) return undefined;
    const saved = this.returnReader;
    this.inlineStack.push(helper.def);
    this.returnReader = undefined;
    try {
      return this.within(helper.mod, () => {
        const flow = this.block(before, 0, inner);
        return flow.ret === false && flow.fall === true ? read(inner) : undefined;
      });
    } finally {
      this.inlineStack.pop();
      this.returnReader = saved;
    }
  }

  /** `x, y` or a helper's `return x, y` unpacked into `count` names (tuple-unpacking.ts): each element's binding. */
  private unpacked(value: Node, count: number, scope: Scope): Binding[] | undefined {
    const literal = tupleLiteral(value);
    if (literal) return literal.length === count ? literal.map((e) => this.bindingOf(e, scope)) : undefined;
    const n = unwrap(value);
    const fn = n.type === 'call' ? field(n, 'function') : undefined;
    const helper = fn && this.calledFunction(fn);
    const returned = helper && returnedTuple(helper.def);
    if (!helper || returned?.elements.length !== count) return undefined;
    return this.afterStraightLine(helper, returned.before, n, scope, (inner) => returned.elements.map((e) => this.bindingOf(e, inner)));
  }

  /**
   * A call to a helper with a `return {...}` among returns of other values (return-cases.ts): a
   * `cases` binding, each return's value under the condition that the helper returns it (one pass
   * over its body per return). Undefined for any other call, or past the bounds.
   */
  private returnCasesOf(n: Node, scope: Scope): Binding | undefined {
    const fn = n.type === 'call' ? field(n, 'function') : undefined;
    const helper = fn && this.calledFunction(fn);
    if (!helper || this.inlineStack.length >= maxInlineDepth || this.inlineStack.includes(helper.def)) return undefined;
    const rets = returnStatements(helper.def);
    const returned = rets.map((r) => named(r)[0]);
    // Cheap first: a dict literal among the returns, or no cases.
    if (rets.length >= maxCases || !returned.some((e) => e && unwrap(e).type === 'dictionary')) return undefined;
    const inner = this.helperScope(helper.def, n, scope);
    if (!inner) return undefined;
    const targets = new Set(returned.map((e) => e?.startIndex ?? -1));
    // Falling off the end returns None, as a bare `return` does.
    targets.add(-1);
    const cases: { cond: Cond; binding: Binding }[] = [];
    for (const target of targets) {
      let binding: Binding | undefined;
      const reader: ReturnReader = (expr, s) => {
        const hit = (expr?.startIndex ?? -1) === target;
        if (!hit) return false;
        // A dict literal as a record (bindingOf takes a constant dict for its keys first).
        const dict = expr && unwrap(expr).type === 'dictionary' ? this.recordOf(unwrap(expr), s) : undefined;
        if (dict) binding = { kind: 'record', entries: dict };
        else binding = expr ? this.bindingOf(expr, s) : { kind: 'const', value: { kind: 'scalar', value: null } };
        return true;
      };
      const cond = this.returns(helper, new Map(inner), reader);
      if (cond === undefined) return undefined;
      if (cond !== false && binding) cases.push({ cond, binding });
    }
    if (cases.length < 2 || !cases.some((c) => c.binding.kind === 'record')) return undefined;
    this.casesMade = true;
    return { kind: 'cases', cases };
  }

  /** `a if c else b`, one a field and the other a field or a constant text or number: a `cases` binding, each read under its condition (chosen-values.ts). */
  private chosenValueOf(n: Node, scope: Scope, orNone = false): Binding | undefined {
    const [a, c, b] = named(n);
    if (!a || !c || !b) return undefined;
    const chosen = chosenValue(this.bindingOf(a, scope), this.bindingOf(b, scope), orNone);
    if (!chosen) return undefined;
    const cond = this.condOf(c, scope);
    this.casesMade = true;
    return {
      kind: 'cases',
      cases: [
        { cond, binding: chosen[0] },
        { cond: not(cond), binding: chosen[1] },
      ],
    };
  }

  /** The names `n` reads that are bound to cases; none past `maxCaseNames`. */
  private caseNames(n: Node, scope: Scope): string[] {
    if (!this.casesMade) return [];
    const names = namesRead(n).filter((name) => scope.get(name)?.kind === 'cases');
    return names.length <= maxCaseNames ? names : [];
  }

  /** `read` once per case of the first name `n` reads that is bound to cases, under its condition; undefined without one. */
  private perCase(n: Node, scope: Scope, read: (s: Scope) => Cond): Cond | undefined {
    const name = this.caseNames(n, scope)[0];
    const b = name !== undefined ? scope.get(name) : undefined;
    if (b?.kind !== 'cases') return undefined;
    let out: Cond = false;
    for (const c of b.cases) {
      const inner = new Map(scope);
      inner.set(name!, c.binding);
      out = or(out, and(c.cond, read(inner)));
    }
    return out;
  }

  /** What an expression reading a name bound to cases binds, case by case (the same in every case: that binding). */
  private bindingPerCase(n: Node, scope: Scope): Binding | undefined {
    const name = this.caseNames(n, scope)[0];
    const b = name !== undefined ? scope.get(name) : undefined;
    if (b?.kind !== 'cases') return undefined;
    const cases: { cond: Cond; binding: Binding }[] = [];
    for (const c of b.cases) {
      const inner = new Map(scope);
      inner.set(name!, c.binding);
      const binding = this.bindingOf(n, inner);
      if (binding.kind === 'cases') for (const d of binding.cases) cases.push({ cond: and(c.cond, d.cond), binding: d.binding });
      else cases.push({ cond: c.cond, binding });
    }
    const first = cases[0]!.binding;
    return cases.every((c) => sameBinding(c.binding, first)) ? first : { kind: 'cases', cases };
  }

  /** `r["k"]` / `r.get("k"[, d])` of a record holding k: that entry's binding. */
  private recordEntry(n: Node, scope: Scope): Binding | undefined {
    const access = entryAccess(n);
    if (!access) return undefined;
    const { record, key, missing } = access;
    const held = record.type === 'identifier' ? scope.get(record.text) : undefined;
    const entries = held?.kind === 'record' ? held.entries : record.type === 'call' ? this.recordOf(record, scope) : undefined;
    const name = entries && this.keyOf(key, scope);
    if (name === undefined || !entries) return undefined;
    // A key the record does not hold: `.get`'s default (None without one).
    if (!entries.has(name) && missing !== undefined)
      return missing === null ? { kind: 'const', value: { kind: 'scalar', value: null } } : this.bindingOf(missing, scope);
    return entries.get(name);
  }

  /**
   * `event.udm(name)` (or its `.lower()`) whose data model computes the value with a method that
   * returns more than one field: a `modelValue` binding. Undefined when the fields say it all.
   */
  private modelValueOf(n: Node, scope: Scope): Binding | undefined {
    // `event.udm(name) or ""`: the value where it is truthy, an empty text elsewhere. (`or []` stays
    // the field: a loop reads its elements, which a modelValue does not give.)
    const left = n.type === 'boolean_operator' && field(n, 'operator')?.text === 'or' ? field(n, 'left') : undefined;
    const right = left && field(n, 'right');
    if (left && right && isEmptyText(this.constOf(right, scope))) {
      const inner = this.modelValueOf(unwrap(left), scope);
      return inner?.kind === 'modelValue' ? { ...inner, orEmpty: true } : undefined;
    }
    if (n.type !== 'call') return undefined;
    const fn = field(n, 'function');
    if (fn?.type !== 'attribute') return undefined;
    const method = field(fn, 'attribute')?.text ?? '';
    const obj = field(fn, 'object');
    if (loweringMethods.has(method) && obj && argumentsOf(n).positional.length === 0) {
      const inner = this.modelValueOf(unwrap(obj), scope);
      return inner?.kind === 'modelValue' ? { ...inner, lowered: true } : undefined;
    }
    if (method !== 'udm') return undefined;
    const sources = this.valueSources(n, scope);
    const ref = this.fieldOf(n, scope);
    if (!sources || sources.functions.length === 0 || !ref?.fields.some((f) => f.startsWith('udm:'))) return undefined;
    return { kind: 'modelValue', sources, ref, lowered: false };
  }

  /** `f.strip()`, `f.rstrip(".")` ... of a plain field: the field with what is stripped (trimmed.ts). */
  private trimmedRef(ref: FieldRef, method: string, args: Node[], scope: Scope): FieldRef | undefined {
    if (ref.after || ref.json || ref.guards || args.length > 1) return undefined;
    const chars = args[0] ? this.constOf(args[0], scope) : undefined;
    if (args[0] && (chars?.kind !== 'scalar' || typeof chars.value !== 'string')) return undefined;
    const trimmed: Record<string, Trim> = {};
    for (const f of ref.fields) {
      const t = trimOf(method, chars?.kind === 'scalar' ? (chars.value as string) : undefined, ref.trimmed?.[f]);
      if (!t) return undefined;
      trimmed[f] = t;
    }
    return { ...ref, trimmed };
  }

  /** `x` or `x.lower()` with x a `modelValue` binding: its sources, and whether the value is lowered. */
  private boundOperand(node: Node, scope: Scope): { sources: ValueSources; lowered: boolean; orEmpty?: boolean } | undefined {
    let n = unwrap(node);
    let lowered = false;
    if (n.type === 'call') {
      const fn = field(n, 'function');
      const obj = fn?.type === 'attribute' ? field(fn, 'object') : undefined;
      if (!obj || !loweringMethods.has(field(fn!, 'attribute')?.text ?? '') || argumentsOf(n).positional.length > 0) return undefined;
      n = unwrap(obj);
      lowered = true;
    }
    const b = n.type === 'identifier' ? scope.get(n.text) : undefined;
    return b?.kind === 'modelValue' ? { sources: b.sources, lowered: lowered || b.lowered, orEmpty: b.orEmpty } : undefined;
  }

  /** `x == C`, `x in C`, `x.lower() != C` ... with x a `modelValue`: the method's returns compared. */
  private boundComparison(left: Node, op: string, right: Node, scope: Scope): Cond | undefined {
    const b = this.boundOperand(left, scope);
    if (!b) return undefined;
    const v = this.valuesOf(right, scope);
    // `or ""` made None an empty value: a comparison with either tells them apart, the returns do not.
    if (b.orEmpty && v?.values.some((x) => x === null || x === '')) return undefined;
    return v ? this.sourcesCompared(b.sources, op, v, ` ${op} ${right.text}`, b.lowered) : undefined;
  }

  /**
   * `x.startswith(C)`, `x.endswith(C)`, `C in x` (`negated`: `not in`) with x a `modelValue`: the
   * test on each of the method's returns (string-tests.ts). Undefined when x is not one.
   */
  private boundStringTest(operand: Node, op: StringTestOp, value: Node, text: string, scope: Scope, negated = false): Cond | undefined {
    const b = this.boundOperand(operand, scope);
    const v = b && this.valuesOf(value, scope);
    if (!b || !v?.values.length || (op === 'contains' && v.collection)) return undefined;
    const test: ValueTest = {
      field: (ref) => this.pred(b.lowered ? { ...ref, lowered: true } : ref, op, v.values, op === 'contains' ? 'in' : `.${op}`, text),
      constant: (x) => constantPasses(op, v.values, x, b.lowered),
      text: ` ${text}`,
    };
    // The positive test, negated after: with several log types' mappings a field missing on
    // another's event reads false, which only a positive test may take.
    const c = this.sourcesTested(b.sources, test);
    return c === undefined || !negated ? c : not(c);
  }

  /** `f in D[k]` (keyed-collections.ts): for some key of D, k holds it and f is in its collection. */
  private keyedMembership(ref: FieldRef, right: Node, op: string, text: string, scope: Scope): Cond | undefined {
    const r = unwrap(right);
    const subs = r.type === 'subscript' ? r.childrenForFieldName('subscript').filter((x): x is Node => x !== null) : [];
    const dict = field(r, 'value');
    const entries = dict && subs.length === 1 ? collectionEntries(this.constOf(dict, scope)) : undefined;
    const key = entries && this.fieldOf(subs[0]!, scope);
    if (!entries || !key) return undefined;
    const negated = op === 'not in';
    let result: Cond = false;
    for (const [k, values] of entries) {
      const member: Cond = values.length === 0 ? negated : this.pred(ref, 'in', values, op, text, negated);
      result = or(result, and(this.pred(key, 'eq', [k], 'in', text), member));
    }
    return result;
  }

  /** `[event.get("a"), event.get("b")]`: the elements' bindings, when some element is a field. */
  private itemsOf(n: Node, scope: Scope): Binding[] | undefined {
    if (n.type !== 'list' && n.type !== 'tuple') return undefined;
    const elements = named(n);
    if (elements.length === 0 || elements.length > maxUnrolled || elements.some((e) => e.type === 'list_splat')) return undefined;
    const items = elements.map((e) => this.bindingOf(e, scope));
    return items.some((b) => b.kind === 'field') ? items : undefined;
  }

  /** What looked-up-values.ts reads of this analysis in `scope`. */
  private lookupReader(scope: Scope): LookupReader {
    return {
      fieldOf: (n) => this.fieldOf(n, scope),
      dictEntries: (n) => (scope.has(n.text) ? undefined : this.mod.constants.dictEntries(n)),
      lookupOf: (n) => this.lookupOf(n, scope),
      eq: (ref, values, nativeOp, text, negated = false) =>
        this.pred(ref, values.length > 1 ? 'in' : 'eq', values, nativeOp, text, negated),
      and,
      or,
      not,
    };
  }

  /** `MAP.get(f)` / `MAP.get(f, default)` with MAP a constant dict of the module and f a field. */
  private lookupOf(node: Node, scope: Scope): Lookup | undefined {
    const n = unwrap(node);
    if (n.type === 'identifier') {
      const b = scope.get(n.text);
      return b?.kind === 'lookup' ? b.lookup : undefined;
    }
    if (n.type !== 'call') return undefined;
    const fn = field(n, 'function');
    const obj = fn?.type === 'attribute' ? field(fn, 'object') : undefined;
    if (!obj || field(fn!, 'attribute')?.text !== 'get' || (obj.type === 'identifier' && scope.has(obj.text))) return undefined;
    const { positional } = argumentsOf(n);
    if (positional.length < 1 || positional.length > 2) return undefined;
    const entries = this.mod.constants.dictEntries(obj);
    const key = this.fieldOf(positional[0]!, scope);
    if (!entries || !key) return undefined;
    if (!positional[1]) return { key, entries, fallback: { value: null } };
    const value = this.constOf(positional[1], scope);
    if (value?.kind === 'scalar') return { key, entries, fallback: { value: value.value } };
    const ref = this.fieldOf(positional[1], scope);
    return ref ? { key, entries, fallback: { field: ref } } : undefined;
  }

  /** A test on a lookup's value: the field holds a key whose value passes, or no key and the fallback passes. */
  private lookupTested(lookup: Lookup, test: ValueTest, text: string): Cond {
    const keys = lookup.entries.map(([k]) => k);
    const passing = lookup.entries.filter(([, v]) => test.constant(v)).map(([k]) => k);
    const hit: Cond = passing.length > 0 ? this.pred(lookup.key, 'in', passing, 'dict.get', text) : false;
    const fb = lookup.fallback;
    const fallback = 'value' in fb ? test.constant(fb.value) : test.field(fb.field);
    return or(hit, and(this.pred(lookup.key, 'in', keys, 'dict.get', text, true), fallback));
  }

  /** `p.lower()` (`.upper()`, `.casefold()`, `.strip()`) of a loop variable over constant texts: those texts so changed. */
  private casedAnyOf(n: Node, scope: Scope): Scalar[] | undefined {
    const fn = n.type === 'call' ? field(n, 'function') : undefined;
    const obj = fn?.type === 'attribute' ? field(fn, 'object') : undefined;
    const method = fn?.type === 'attribute' ? field(fn, 'attribute')?.text : undefined;
    const b = obj && unwrap(obj).type === 'identifier' ? scope.get(unwrap(obj).text) : undefined;
    if (b?.kind !== 'anyOf' || !method || argumentsOf(n).positional.length > 0 || argumentsOf(n).keywords.size > 0) return undefined;
    const change = casing[method];
    if (!change || b.values.some((v) => typeof v !== 'string')) return undefined;
    return b.values.map((v) => change(v as string));
  }

  /** Values an expression compares a field against. */
  private valuesOf(node: Node, scope: Scope): ComparedValues | undefined {
    const n = unwrap(node);
    if (n.type === 'identifier') {
      const b = scope.get(n.text);
      if (b?.kind === 'anyOf') return { values: b.values, collection: false };
    }
    const cased = this.casedAnyOf(n, scope);
    if (cased) return { values: cased, collection: false };
    const texts = formattedConstants(n, (expr) => {
      const inner = this.valuesOf(expr, scope);
      return inner && !inner.collection ? inner.values : undefined;
    });
    if (texts) return { values: texts, collection: false };
    const v = this.constOf(n, scope);
    if (!v || v.kind === 'regex' || v.kind === 'regexes') return undefined;
    if (v.kind === 'scalar') return { values: [v.value], collection: false };
    const listOfOne = n.type === 'list' && named(n).length === 1 && v.values.length === 1;
    return { values: v.values, collection: true, ...(v.partial ? { partial: true } : {}), ...(listOfOne ? { listOfOne } : {}) };
  }

  // -------------------------------------------------------------------------------------------
  // Predicates

  private pred(ref: FieldRef, op: Operator, values: Scalar[], nativeOp: string, text: string, negated = false): PredicateNode {
    const caseSensitive = !ref.lowered && op !== 'exists';
    const transform = ref.unquoted ? { transform: unquotedTransformOf(ref) } : ref.json ? { transform: 'json' } : {};
    const native = ref.converted && convertedTest(ref.converted, op) ? convertedOp(ref.converted, nativeOp) : nativeOp;
    return refPredicates(ref, op, values, { negated, caseSensitive, nativeOp: native, text, ...transform });
  }

  /** `(a, b) in PAIRS` of a constant collection of tuples (tuple-membership.ts): some row equal element by element. */
  private tupleMembership(left: Node, right: Node, text: string, scope: Scope): Cond | undefined {
    const elements = tupleElements(left);
    const literal = elements && !scope.has(unwrap(right).text) ? this.mod.constants.literal(right) : undefined;
    const rows = literal && tupleRows(literal, (n) => this.constOf(n, scope));
    if (!elements || !rows) return undefined;
    // Each element as the test it makes of a row's value: a field's predicate, or a constant decided.
    const tests: ((v: Scalar) => Cond)[] = [];
    for (const el of elements) {
      const ref = this.fieldOf(el, scope);
      const value = ref ? undefined : this.constOf(el, scope);
      if (ref) tests.push((v) => this.pred(ref, 'eq', [v], '==', text));
      else if (value?.kind === 'scalar') tests.push((v) => constEqual(value.value, v));
      else return undefined;
    }
    let result: Cond = false;
    for (const row of rows) {
      if (row.length !== tests.length) continue;
      result = or(
        result,
        tests.reduce<Cond>((match, t, i) => and(match, t(row[i]!)), true),
      );
    }
    return result;
  }

  private compare(left: Node, op: string, right: Node, text: string, scope: Scope): Cond {
    const entry = ['==', '!=', 'in', 'not in'].includes(op) ? this.entryCompared(left, op, right, text, scope) : undefined;
    if (entry !== undefined) return entry;
    const timed = timeCompared(left, op, right, text, this.timeReader(scope));
    if (timed !== undefined) return timed;
    const ip = ipMembership(left, op, right, text, this.ipReader(scope));
    if (ip) return ip;
    // `f - g > N` (differences.ts).
    const constant = (x: Node) => {
      const c = this.constOf(x, scope);
      return c?.kind === 'scalar' ? c.value : undefined;
    };
    const difference = differenceCompared(left, op, right, text, (x) => this.fieldOf(x, scope), constant);
    if (difference) return difference;
    const version = ipVersionCompared(left, op, right, text, this.ipReader(scope));
    if (version !== undefined) return version;
    // A name (bound: reading it cannot raise) in an empty list or tuple: never there, whatever it holds.
    const nowhere = op === 'in' || op === 'not in' ? this.constOf(right, scope) : undefined;
    const boundName = unwrap(left).type === 'identifier' && scope.has(unwrap(left).text);
    if (boundName && nowhere?.kind === 'collection' && nowhere.emptySequence) return op === 'not in';
    const rows = op === 'in' || op === 'not in' ? this.tupleMembership(left, right, text, scope) : undefined;
    if (rows !== undefined) return op === 'in' ? rows : not(rows);
    const piece = op === 'in' || op === 'not in' ? this.inPieces(left, right, op, text, scope) : undefined;
    if (piece !== undefined) return piece;
    const picked = op === 'in' || op === 'not in' ? this.pickedSought(left, op, right, text, scope) : undefined;
    if (picked !== undefined) return picked;
    const sought = op === 'in' || op === 'not in' ? this.soughtInCollection(left, right, op, text, scope) : undefined;
    const keyed = op === 'in' || op === 'not in' ? this.keySought(left, right, text, scope) : undefined;
    if (keyed !== undefined) return op === 'in' ? keyed : not(keyed);
    if (sought !== undefined) return sought;
    const firstOne = op === '==' || op === '!=' ? this.firstPickCompared(left, op, right, text, scope) : undefined;
    if (firstOne !== undefined) return firstOne;
    const sets = op === '==' || op === '!=' ? this.setsCompared(left, op, right, text, scope) : undefined;
    if (sets !== undefined) return sets;
    const empty = op === '==' || op === '!=' ? this.emptyCompared(left, right, text, scope) : undefined;
    if (empty !== undefined) return op === '==' ? empty : not(empty);
    const length = this.lengthCompared(left, op, right, text, scope);
    if (length !== undefined) return length;
    const fallback = this.fallbackCompared(left, op, right, text, scope);
    if (fallback !== undefined) return fallback;
    const bound = this.boundComparison(left, op, right, scope);
    if (bound !== undefined) return bound;
    const valued = this.valueComparison(left, op, right, scope);
    if (valued !== undefined) return valued;
    const lookedUp = lookedUpComparison(left, op, right, text, this.lookupReader(scope));
    if (lookedUp !== undefined) return lookedUp;
    const matched = this.matchObjectTest(left, op, right, scope);
    if (matched !== undefined) return matched;
    const lf = this.fieldOf(left, scope);
    const rf = this.fieldOf(right, scope);
    const decided = lf || rf ? undefined : this.constComparison(left, op, right, scope);
    if (decided !== undefined) return decided;
    switch (op) {
      case '==':
      case '!=':
      case '<>': {
        const negated = op !== '==';
        // Two values built from the event (a piece of a split, a default): compared-texts.ts.
        const texts = lf && rf ? comparedTexts(lf, op, rf, text) : undefined;
        if (texts) return texts;
        if (lf && rf)
          return lf.after ||
            rf.after ||
            lf.at ||
            rf.at ||
            lf.guards ||
            rf.guards ||
            lf.trimmed ||
            rf.trimmed ||
            lf.item !== undefined ||
            rf.item !== undefined
            ? other(text)
            : this.pred(lf, 'fieldref', [rf.fields[0]!], op, text, negated);
        const ref = lf ?? rf;
        if (!ref) return other(text);
        const v = this.valuesOf(lf ? right : left, scope);
        if (v && !v.collection && v.values.length > 1) return this.pred(ref, 'in', v.values, op, text, negated);
        const listed = v?.listOfOne ? this.oneElementList(ref, v.values, op, text) : undefined;
        if (listed !== undefined) return negated ? not(listed) : listed;
        if (v && v.collection) return other(text);
        return this.pred(ref, 'eq', v?.values ?? [], op, text, negated);
      }
      case '<':
      case '<=':
      case '>':
      case '>=': {
        const ref = lf ?? rf;
        if (!ref || (lf && rf)) return other(text);
        const flipped = lf ? op : ({ '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as const)[op];
        const ops = { '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte' } as const;
        const v = this.valuesOf(lf ? right : left, scope);
        return this.pred(ref, ops[flipped], v && !v.collection ? v.values : [], op, text);
      }
      case 'in':
      case 'not in': {
        const negated = op === 'not in';
        // `"k" in event`: the event (a mapping) has the key.
        const key =
          unwrap(right).type === 'identifier' && scope.get(unwrap(right).text)?.kind === 'event' ? this.keyOf(left, scope) : undefined;
        if (key !== undefined) return this.pred({ fields: [key], lowered: false }, 'exists', [], op, text, negated);
        const bound = this.boundStringTest(right, 'contains', left, text, scope, negated);
        if (bound !== undefined) return bound;
        const inJoined = lf || rf ? undefined : this.inJoinedText(left, right, text, scope);
        if (inJoined !== undefined) return negated ? not(inJoined) : inJoined;
        const keyed = lf && this.keyedMembership(lf, right, op, text, scope);
        if (keyed !== undefined) return keyed;
        if (lf && !rf) {
          // Nothing is in an empty collection (an allow list left empty: `ARN_ALLOW_LIST = []`).
          const c = this.constOf(right, scope);
          if (c?.kind === 'collection' && c.values.length === 0 && !c.partial) return negated;
          const v = this.valuesOf(right, scope);
          // A field inside a constant string is a substring test the other way round.
          if (v && !v.collection && v.values.length === 1 && typeof v.values[0] === 'string')
            return this.pred(lf, 'other', v.values, op, text, negated);
          return this.pred(lf, 'in', v?.values ?? [], op, text, negated);
        }
        if (rf && !lf) {
          const v = this.valuesOf(left, scope);
          const r = unwrap(right);
          const element = r.type === 'identifier' && this.loopElements.has(scope.get(r.text)!);
          return this.pred(rf, 'contains', v && !v.collection ? v.values : [], element ? elementMembership(op) : op, text, negated);
        }
        return other(text);
      }
      case 'is':
      case 'is not': {
        const ref = lf ?? rf;
        if (!ref) return other(text);
        const v = this.valuesOf(lf ? right : left, scope);
        const value = v && !v.collection && v.values.length === 1 ? v.values[0] : undefined;
        if (value === null) return this.pred(ref, 'exists', [], op, text, op === 'is');
        if (typeof value === 'boolean') return this.pred(ref, 'eq', [value], op, text, op === 'is not');
        return other(text);
      }
      default:
        return other(text);
    }
  }

  /**
   * `f == ["x"]`: the field is a list of that one element (a JSON event has no tuples: `f == ("x",)`
   * is not read). Longer lists keep their order, which the model does not: not read.
   */
  private oneElementList(ref: FieldRef, values: Scalar[], op: string, text: string): Cond | undefined {
    if (values.length !== 1 || ref.at || ref.after || ref.trimmed) return undefined;
    if ((ref.json || ref.logTypes) && !ref.shlexed && !ref.decoded)
      return oneElementOfEach(ref, (f) => this.pred(f, 'eq', values, op, text), text);
    if (ref.json) return undefined;
    const one = wordsRead(ref, lengthCondition(ref.fields, '==', 1, true, text));
    return one === undefined ? undefined : and(one, this.pred(ref, 'eq', values, op, text));
  }

  /** `len(f) op n` / `n op len(f)` with f a field and n a number (lengths.ts). */
  private lengthCompared(left: Node, op: string, right: Node, text: string, scope: Scope): Cond | undefined {
    const shadowed = (name: string) => this.mod.functions.has(name) || scope.has(name);
    for (const [side, bound, lenOnLeft] of [
      [left, right, true],
      [right, left, false],
    ] as const) {
      const filtered = this.filteredCounted(side, bound, op, lenOnLeft, text, scope);
      if (filtered !== undefined) return filtered;
      const arg = lenArgument(side, shadowed);
      const counted = arg && this.commonCounted(arg, bound, op, lenOnLeft, text, scope);
      if (counted !== undefined) return counted;
      const chosen = arg && this.chosenLength(arg, bound, op, lenOnLeft, text, scope);
      if (chosen !== undefined) return chosen;
      const pieces = arg && this.splitOf(unwrap(arg), scope);
      const count = pieces?.kind === 'pieces' && pieces.ref.fields.length === 1 && !pieces.ref.at ? this.constOf(bound, scope) : undefined;
      if (pieces?.kind === 'pieces' && count?.kind === 'scalar' && typeof count.value === 'number')
        return pieceCount(pieces.ref.fields[0]!, pieces.separator, op, count.value, lenOnLeft, text);
      // The length of a parsed JSON text is not the text's: that of what it holds (json|len).
      const ref = arg && this.fieldOf(arg, scope);
      if (ref?.at || ref?.guards || ref?.trimmed) return undefined;
      const n = ref && this.constOf(bound, scope);
      if (ref && n?.kind === 'scalar' && typeof n.value === 'number')
        return wordsRead(ref, lengthCondition(ref.fields, op, n.value, lenOnLeft, text, ref.json === true));
    }
    return undefined;
  }

  /**
   * `len([x for x in f if c]) op n` of a list field f, or a helper's call returning such a length:
   * how many elements hold c (counted-elements.ts); undefined for anything else.
   */
  private filteredCounted(side: Node, bound: Node, op: string, lenOnLeft: boolean, text: string, scope: Scope): Cond | undefined {
    const n = this.constOf(bound, scope);
    if (n?.kind !== 'scalar' || typeof n.value !== 'number') return undefined;
    const limit = n.value;
    const counted = (measured: Node, s: Scope): Cond | undefined => {
      const arg = lenArgument(measured, (name) => this.mod.functions.has(name) || s.has(name));
      const parts = arg && filteredList(arg);
      const iter = parts && this.bindingOf(parts.source, s);
      // Only the list field itself: a collection built from it (a set) may hold fewer entries.
      const scoped = iter?.kind === 'field' ? scopedList(iter.ref) : undefined;
      if (!parts || !iter || !scoped) return undefined;
      const inner = new Map(s);
      inner.set(parts.name, iter);
      let c: Cond = true;
      for (const f of parts.filters) c = and(c, this.condOf(f, inner));
      if (typeof c === 'boolean') return undefined;
      const count = elementCount(scoped, c, op, limit, lenOnLeft);
      if (!count) return undefined;
      const both = count.notAtLeast === undefined ? count.atLeast : and(count.atLeast, not(count.notAtLeast));
      return count.negated ? not(both) : both;
    };
    const direct = counted(side, scope);
    if (direct !== undefined) return direct;
    // `len(re.findall(p, f)) > 0`: the regex finds something in f, as findall read for its truth.
    const measured = lenArgument(side, (name) => this.mod.functions.has(name) || scope.has(name));
    const asked = measured && isFindall(measured) ? nonEmptyAsked(op, limit, lenOnLeft) : undefined;
    if (measured && asked !== undefined) {
      const found = this.condOf(measured, scope);
      if (typeof found === 'boolean' || hasPredicate(found)) return asked ? found : not(found);
    }
    const call = unwrap(side);
    const fn = call.type === 'call' ? field(call, 'function') : undefined;
    const helper = fn && this.calledFunction(fn);
    const inner = helper && this.helperScope(helper.def, call, scope);
    if (!helper || !inner) return undefined;
    // Every `return E` must be such a length, or the call is left to the other readers; falling off
    // the end returns None, which raises when compared (unknown).
    let readable = true;
    const c = this.returns(helper, inner, (expr, s) => {
      const each = expr ? counted(expr, s) : undefined;
      if (expr && each === undefined) readable = false;
      return each ?? other(text);
    });
    return readable && c !== undefined && (typeof c === 'boolean' || hasPredicate(c)) ? c : undefined;
  }

  /** `int(f if f else 0) > N`, `(f or 0) >= N`: the field's test where it is taken, the constant's elsewhere (fallbacks.ts). */
  private fallbackCompared(left: Node, op: string, right: Node, text: string, scope: Scope): Cond | undefined {
    if (op !== '<' && op !== '<=' && op !== '>' && op !== '>=') return undefined;
    const shadowed = (name: string) => this.mod.functions.has(name) || scope.has(name);
    const onLeft = fallbackOf(left, shadowed);
    const parts = onLeft ?? fallbackOf(right, shadowed);
    const bound = parts && this.constOf(onLeft ? right : left, scope);
    if (!parts || bound?.kind !== 'scalar' || typeof bound.value !== 'number') return undefined;
    const k = this.constOf(parts.fallback, scope);
    const ref = this.fieldOf(parts.value, scope);
    if (k?.kind !== 'scalar' || typeof k.value !== 'number' || !ref || ref.at || ref.after || ref.trimmed || ref.json || ref.guards)
      return undefined;
    // Written with the number on the left: `N < x` is `x > N`.
    const flipped = onLeft ? op : ({ '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as const)[op];
    const ops = { '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte' } as const;
    const taken = this.pred(ref, ops[flipped], [bound.value], op, text);
    const condition = this.condOf(parts.condition ?? parts.value, scope);
    return ite(condition, taken, ordered(flipped, k.value, bound.value));
  }

  /**
   * Two constants compared: decided (`"RequireSymbols" not in IGNORED` with IGNORED a constant
   * set). Only equality and membership of scalars, in a collection or a string.
   */
  /** `m is not None` of a regex match (match-objects.ts): the match; `is None` its negation. */
  private matchObjectTest(left: Node, op: string, right: Node, scope: Scope): Cond | undefined {
    const side = comparedWithNone(left, op, right);
    if (!side) return undefined;
    const n = unwrap(side);
    const bound = n.type === 'identifier' ? scope.get(n.text) : undefined;
    const cond = bound?.kind === 'cond' && bound.matchObject ? bound.cond : isMatchCall(n) ? this.condOf(n, scope) : undefined;
    if (cond === undefined) return undefined;
    return op === 'is not' ? cond : not(cond);
  }

  private constComparison(left: Node, op: string, right: Node, scope: Scope): boolean | undefined {
    const a = this.constOf(left, scope);
    const b = this.constOf(right, scope);
    if (a?.kind !== 'scalar' || !b) return undefined;
    switch (op) {
      case '==':
      case '!=':
        return b.kind === 'scalar' ? constEqual(a.value, b.value) === (op === '==') : undefined;
      // `MASTER_ACCOUNT_ID is None`: None, True and False are one object each.
      case 'is':
      case 'is not': {
        const singleton = (v: Scalar) => v === null || typeof v === 'boolean';
        if (b.kind !== 'scalar' || !(singleton(a.value) || singleton(b.value))) return undefined;
        return (a.value === b.value) === (op === 'is');
      }
      case 'in':
      case 'not in': {
        if (b.kind === 'collection') {
          const found = b.values.some((v) => constEqual(a.value, v));
          // An element not read could be the one: only a hit is sure then.
          if (!found && b.partial) return undefined;
          return found === (op === 'in');
        }
        if (b.kind === 'scalar' && typeof b.value === 'string' && typeof a.value === 'string')
          return b.value.includes(a.value) === (op === 'in');
        return undefined;
      }
      default:
        return undefined;
    }
  }

  private comparison(n: Node, scope: Scope): Cond {
    const operands: Node[] = [];
    const operators: string[] = [];
    let pendingOp: string[] = [];
    for (const child of n.children) {
      if (!child || child.type === 'comment') continue;
      if (child.isNamed) {
        if (operands.length > 0) operators.push(pendingOp.join(' '));
        pendingOp = [];
        operands.push(child);
      } else pendingOp.push(child.type);
    }
    // `a <= x <= b` with x a loop variable over a few constants: one element on both sides, not any on each.
    const shared = operands.slice(1, -1).find((o) => o.type === 'identifier' && scope.get(o.text)?.kind === 'anyOf');
    const each = shared && scope.get(shared.text);
    if (shared && each?.kind === 'anyOf' && each.values.length <= maxUnrolled) {
      let any: Cond = false;
      for (const value of each.values)
        any = or(any, this.comparison(n, new Map(scope).set(shared.text, { kind: 'const', value: { kind: 'scalar', value } })));
      return any;
    }
    let result: Cond = true;
    for (let i = 0; i + 1 < operands.length; i++) {
      const text = operands.length === 2 ? n.text : `${operands[i]!.text} ${operators[i]} ${operands[i + 1]!.text}`;
      result = and(result, this.compare(operands[i]!, operators[i] ?? '', operands[i + 1]!, text, scope));
    }
    return result;
  }

  /** `re.match(p, f)`, `PATTERN.search(f)`, `f.startswith(x)`, `any(...)`, helper calls ... */
  private callCond(n: Node, scope: Scope): Cond {
    const fn = field(n, 'function');
    const text = n.text;
    if (!fn) return other(text);
    // A call of a name the test mocks: the truth of what it returns (test-mocks.ts).
    const mocked = mockedCall(n, this.mod, (x) => scope.has(x));
    if (mocked?.kind === 'scalar') return Boolean(mocked.value);
    const subset = subsetSides(n);
    const keys = subset && this.keysSubset(subset.smaller, subset.larger, text, scope);
    if (keys) return keys;
    const common = this.commonOf(n, scope);
    if (common) return this.commonTruth(common, text);
    const grown = this.grownCommonTruth(n, scope);
    if (grown !== undefined) return grown;
    const subnet = ipSubnetCall(n, this.ipReader(scope));
    if (subnet) return subnet;
    const { positional, keywords } = argumentsOf(n);
    // `statement.uses_not_principal()`: a key of the statement's JSON (policy-documents.ts).
    const key = fn.type === 'attribute' && positional.length === 0 ? statementKeyTest(field(fn, 'attribute')?.text ?? '') : undefined;
    const statement = key !== undefined ? this.policyObjectOf(unwrap(field(fn, 'object')!), scope) : undefined;
    if (key !== undefined && statement?.wrapper === 'statement') return this.pred(statement.ref, 'contains', [key], 'in', text);
    if (fn.type === 'identifier') {
      const name = fn.text;
      if ((name === 'any' || name === 'all') && positional.length === 1) return this.anyAll(name, positional[0]!, scope, text);
      if (name === 'bool' && positional.length === 1) return this.condOf(positional[0]!, scope);
      const has = name === 'hasattr' && !this.mod.functions.has(name) ? ipHasattr(positional, this.ipReader(scope)) : undefined;
      if (has !== undefined) return has;
      const mapping = name === 'hasattr' && !this.mod.functions.has(name) ? this.mappingTested(positional, scope, text) : undefined;
      if (mapping) return mapping;
      const measured = lenArgument(n, (x) => this.mod.functions.has(x) || scope.has(x));
      const measuredRef = measured && this.fieldOf(measured, scope);
      if (measuredRef) return this.pred(measuredRef, 'exists', [], 'truthy', text);
      if (name === 'isinstance' && positional.length === 2 && !this.mod.functions.has(name)) {
        const mockedSubject = mockedName(positional[0]!, this.mod, (x) => scope.has(x)) !== undefined;
        const mock = mockInstance(positional[1]!, this.mod, mockedSubject);
        if (mock !== undefined) return mock;
        const value = this.constOf(positional[0]!, scope);
        const decided = value && constIsinstance(value, positional[1]!);
        if (decided !== undefined) return decided;
        const typed = this.typeTested(positional[0]!, positional[1]!, scope, text);
        if (typed) return typed;
      }
      // `from fnmatch import fnmatch`: fnmatch(field, pattern).
      if ((name === 'fnmatch' || name === 'fnmatchcase') && positional.length >= 2 && !this.mod.functions.has(name)) {
        const ref = this.fieldOf(positional[0]!, scope);
        const v = this.valuesOf(positional[1]!, scope);
        if (ref) return this.pred(ref, 'wildcard', v && !v.collection ? v.values : [], name, text);
      }
      const made = this.instanceOf(n, scope);
      if (made && instanceTruth(made)) return true;
      // `deep_get(event, ...)` reads a field whatever module defines it.
      const helper = deepGetters.has(name) ? undefined : this.calledFunction(fn);
      if (helper) {
        const inlined = this.inline(helper, n, scope);
        if (inlined !== undefined) return inlined;
      }
      const ref = this.fieldOf(n, scope);
      if (ref) return this.pred(ref, 'exists', [], 'truthy', text);
      this.unreadCall(name, helper, n);
      return other(text);
    }
    if (fn.type === 'attribute') {
      const obj = field(fn, 'object');
      const method = field(fn, 'attribute')?.text ?? '';
      if (!obj) return other(text);
      const objText = unwrap(obj).text;
      if ((objText === 're' || objText === 'regex') && ['match', 'search', 'fullmatch', 'findall', 'finditer'].includes(method)) {
        const pattern = positional[0] ? this.constOf(positional[0], scope) : undefined;
        const target = positional[1] ?? keywords.get('string');
        const ref = target ? this.fieldOf(target, scope) : undefined;
        if (!ref) return other(text);
        const flags = [...positional.slice(2), ...(keywords.get('flags') ? [keywords.get('flags')!] : [])];
        const values = pattern?.kind === 'scalar' && typeof pattern.value === 'string' ? [pattern.value] : [];
        return this.pred({ ...ref, lowered: ref.lowered || hasIgnoreCase(flags) }, 'regex', values, `re.${method}`, text);
      }
      if (['match', 'search', 'fullmatch', 'findall', 'finditer'].includes(method)) {
        const compiled = this.constOf(obj, scope);
        const ref = positional[0] ? this.fieldOf(positional[0], scope) : undefined;
        if (compiled?.kind === 'regex' && ref) {
          return this.pred({ ...ref, lowered: ref.lowered || compiled.ignoreCase }, 'regex', [compiled.pattern], `.${method}`, text);
        }
        const loop = obj.type === 'identifier' ? scope.get(obj.text) : undefined;
        if (loop?.kind === 'anyRegex' && ref) {
          return this.pred({ ...ref, lowered: ref.lowered || loop.ignoreCase }, 'regex', loop.patterns, `.${method}`, text);
        }
        // On a constant text (a branch of a chosen value, chosen-values.ts): decided now.
        const target = !ref && positional[0] ? this.constOf(positional[0], scope) : undefined;
        const regexes = compiled?.kind === 'regex' ? compiled : loop?.kind === 'anyRegex' ? loop : undefined;
        if (regexes && target?.kind === 'scalar' && typeof target.value === 'string') {
          const patterns = 'patterns' in regexes ? regexes.patterns : [regexes.pattern];
          const decided = constantMatches(patterns, regexes.ignoreCase, method, target.value);
          if (decided !== undefined) return decided;
        }
      }
      if (objText === 'fnmatch' && (method === 'fnmatch' || method === 'fnmatchcase') && positional.length >= 2) {
        const ref = this.fieldOf(positional[0]!, scope);
        const v = this.valuesOf(positional[1]!, scope);
        if (ref) return this.pred(ref, 'wildcard', v && !v.collection ? v.values : [], `fnmatch.${method}`, text);
      }
      if (method === 'startswith' || method === 'endswith') {
        const bound = positional[0] && this.boundStringTest(obj, method, positional[0], text, scope);
        if (bound !== undefined) return bound;
        const ref = this.fieldOf(obj, scope);
        const v = positional[0] ? this.valuesOf(positional[0], scope) : undefined;
        if (ref && v?.values.length) return this.pred(ref, method, v.values, `.${method}`, text);
        // A text the code builds from another field (`f"@{domain}"`): a test between the two fields (built-texts.ts).
        const built = ref && positional.length === 1 ? this.builtTextTested(ref, method, positional[0]!, text, scope) : undefined;
        return built ?? other(text);
      }
      // `f.isascii()`: every character below U+0080, the empty text too; a text lowered first may have gained some (K, U+212A).
      if (method === 'isascii' && positional.length === 0 && keywords.size === 0) {
        const ref = this.fieldOf(obj, scope);
        if (ref && !ref.lowered) return this.pred(ref, 'regex', ['[\\x00-\\x7f]*'], 're.fullmatch', text);
      }
      const called = this.instanceMethod(n, scope);
      const byMethod = called && this.returns(called.method.fn, called.scope, undefined);
      if (byMethod !== undefined && (typeof byMethod === 'boolean' || hasPredicate(byMethod))) return byMethod;
      const helper = this.calledFunction(fn);
      if (helper) {
        const inlined = this.inline(helper, n, scope);
        if (inlined !== undefined) return inlined;
      }
      const ref = this.fieldOf(n, scope);
      if (ref) return this.pred(ref, 'exists', [], 'truthy', text);
      const module = obj.type === 'identifier' ? this.mod.imports.get(obj.text) : undefined;
      if (module?.kind === 'module') this.unreadCall(fn.text, helper, n);
    }
    return other(text);
  }

  /** `a.endswith(f"/{b}")`: the field against a text built from another field, a `fieldref` (built-texts.ts). */
  private builtTextTested(ref: FieldRef, method: 'startswith' | 'endswith', arg: Node, text: string, scope: Scope): Cond | undefined {
    if (ref.after || ref.at || ref.guards || ref.json || ref.trimmed || ref.converted) return undefined;
    const built = builtText(arg, { fieldOf: (n) => this.fieldOf(n, scope), constOf: (n) => this.constOf(n, scope) });
    if (!built) return undefined;
    const opts = { negated: false, caseSensitive: !ref.lowered, nativeOp: `.${method}`, text, transform: builtTransform(built) };
    return refPredicates(ref, 'fieldref', [built.field], opts);
  }

  /** `isinstance(f, int)` of a field with built-in scalar types (isinstance.ts). */
  private typeTested(value: Node, types: Node, scope: Scope, text: string): Cond | undefined {
    const shadowed = (name: string) => this.mod.functions.has(name) || scope.has(name) || this.mod.imports.has(name);
    const names = typeNames(types, shadowed, (name) => this.mod.imports.get(name));
    const ref = names && this.fieldOf(value, scope);
    // A piece of a text is a text: not read. A field of a parsed JSON text is typed as the parse gives it.
    if (!names || !ref || ref.after || ref.at || ref.trimmed) return undefined;
    const transform = ref.json ? 'json|type' : 'type';
    const nativeOp = ref.walked && !ref.json ? walkedIsinstance : 'isinstance';
    return refPredicates(ref, 'other', names, { negated: false, caseSensitive: true, nativeOp, text, transform });
  }

  /** `hasattr(f, "get")` of a field: the value is a mapping (mapping-methods.ts). */
  private mappingTested(args: Node[], scope: Scope, text: string): Cond | undefined {
    const texts = (n: Node) => {
      const v = this.constOf(n, scope);
      return v?.kind === 'scalar' && typeof v.value === 'string' ? v.value : undefined;
    };
    const ref = mappingMethodAsked(args, texts) ? this.fieldOf(args[0]!, scope) : undefined;
    if (!ref || ref.after || ref.at || ref.trimmed || ref.item !== undefined) return undefined;
    const transform = ref.json ? 'json|type' : 'type';
    const nativeOp = ref.walked && !ref.json ? walkedIsinstance : 'isinstance';
    return refPredicates(ref, 'other', ['Mapping'], { negated: false, caseSensitive: true, nativeOp, text, transform });
  }

  /** An info diagnostic for a call to a helper whose condition is not read, saying why. */
  private unreadCall(name: string, helper: FunctionRef | undefined, n: Node): void {
    const from = importedFrom(this.mod, name.split('.')[0]!);
    if (helper) this.gap(`helper ${name}() is read as text: what it returns is not a condition on the event`, n);
    else if (from !== undefined && !this.mod.graph.has(from))
      this.gap(`call ${name}() is read as text: ${from} is not a module of the source`, n);
    else if (from !== undefined) this.gap(`call ${name}() is read as text: module ${from} of the source does not define it`, n);
  }

  /** `any(...)` / `all(...)` over a literal list or a generator. */
  /**
   * `[x for x in C if f(x)]` read for its truth: the list is not empty, so some element passes
   * the filters, whatever the elements' own truth.
   */
  private nonEmpty(n: Node, scope: Scope): Cond | undefined {
    const ifs = named(n).filter((c) => c.type === 'if_clause');
    if ((n.type !== 'list_comprehension' && n.type !== 'set_comprehension') || ifs.length === 0) return undefined;
    return this.anyAll('any', n, scope, n.text, true);
  }

  /** `all(k in C for k in f.keys())` of a mapping field and constants C (mapping-keys.ts). */
  private everyKey(left: Node, right: Node, body: Node, scope: Scope, text: string): Cond | undefined {
    const receiver = left.type === 'identifier' ? keysReceiver(right) : undefined;
    const test = receiver && variableMembership(body, left.text);
    const ref = test && this.fieldOf(receiver, scope);
    const c = test && this.constOf(test.collection, scope);
    if (!ref || c?.kind !== 'collection' || c.partial) return undefined;
    // Only the mapping itself: not a piece of a text, an element, a parsed or converted value.
    if (ref.item !== undefined || ref.at || ref.after || ref.trimmed || ref.json || ref.converted || ref.lowered) return undefined;
    return refPredicates(ref, 'in', c.values, {
      // all(k not in C): no key among C, the negation of some key among C.
      negated: test.negated,
      caseSensitive: true,
      nativeOp: 'in',
      text,
      transform: test.negated ? someKeyTransform : everyKeyTransform,
    });
  }

  private anyAll(name: 'any' | 'all', arg: Node, scope: Scope, text: string, filtersOnly = false): Cond {
    const a = unwrap(arg);
    const join = name === 'any' ? or : and;
    // A list of values appended in a loop: the truths read where they were appended.
    const appended = a.type === 'identifier' ? this.appendedTruths.get(scope.get(a.text)!) : undefined;
    if (appended) return name === 'any' ? appended.some : appended.every;
    if (a.type === 'list' || a.type === 'tuple' || a.type === 'set') {
      let result: Cond = name === 'all';
      for (const el of named(a)) result = join(result, this.condOf(el, scope));
      return result;
    }
    if (a.type === 'generator_expression' || a.type === 'list_comprehension' || a.type === 'set_comprehension') {
      const body = field(a, 'body');
      const clauses = named(a).filter((c) => c.type === 'for_in_clause');
      const filters = named(a).filter((c) => c.type === 'if_clause');
      if (!body || clauses.length !== 1) return other(text);
      const clause = clauses[0]!;
      const left = field(clause, 'left');
      const right = field(clause, 'right');
      if (!left || !right) return other(text);
      const keys = name === 'all' && filters.length === 0 ? this.everyKey(left, right, body, scope, text) : undefined;
      if (keys) return keys;
      const iter = this.bindingOf(right, scope);
      const inner = new Map(scope);
      const filtered = (s: Scope): Cond => {
        let c = filtersOnly ? true : this.condOf(body, s);
        for (const f of filters) {
          const fc = named(f)[0];
          if (fc) c = and(this.condOf(fc, s), c);
        }
        return c;
      };
      // Over constant `ipaddress` networks: the test of each network, joined (ip-networks.ts).
      const networks = left.type === 'identifier' ? ipNetworksOf(right, this.ipReader(scope), maxUnrolled) : undefined;
      if (networks) {
        let result: Cond = name === 'all';
        for (const value of networks) {
          inner.set(left.text, { kind: 'ip', value });
          result = join(result, filtered(inner));
        }
        return result;
      }
      if (name === 'any' && iter.kind === 'const' && iter.value.kind === 'regexes' && left.type === 'identifier') {
        inner.set(left.text, { kind: 'anyRegex', patterns: iter.value.patterns, ignoreCase: iter.value.ignoreCase });
        return filtered(inner);
      }
      if (iter.kind === 'items' && left.type === 'identifier') {
        let result: Cond = name === 'all';
        for (const item of iter.items) {
          inner.set(left.text, item);
          result = join(result, filtered(inner));
        }
        return result;
      }
      if (iter.kind === 'const' && iter.value.kind === 'collection' && left.type === 'identifier') {
        if (name === 'any') {
          inner.set(left.text, { kind: 'anyOf', values: iter.value.values });
          return filtered(inner);
        }
        // all(): one condition per value.
        let result: Cond = true;
        for (const v of iter.value.values) {
          inner.set(left.text, { kind: 'const', value: { kind: 'scalar', value: v } });
          result = and(result, filtered(inner));
        }
        return result;
      }
      // Over a list field (or a collection built from one): one element holds the test, or none fails it (collection-loops.ts).
      const walked = walkedElements(iter);
      const scoped = walked.kind === 'field' && left.type === 'identifier' ? scopedList(walked.ref) : undefined;
      if (scoped && (name === 'any' || filters.length === 0)) {
        inner.set(left.text, walked);
        const c = filtered(inner);
        if (typeof c !== 'boolean') return elementsHold(name, scoped, c);
      }
      bindTarget(left, iter.kind === 'field' ? iter : { kind: 'unknown' }, inner);
      // Over the words of a split text: one word holds the test (shlex-split.ts); all() as none failing it.
      if (iter.kind === 'field' && iter.ref.shlexed)
        return name === 'any' ? onOneWord(iter.ref, filtered(inner), text) : not(onOneWord(iter.ref, not(filtered(inner)), text));
      return filtered(inner);
    }
    // `any(f)` / `all(f)` of a list field, or of a collection built from one (event-collections.ts).
    const whole = this.elementsOf(a, scope) ?? this.fieldOf(a, scope);
    const list = whole && plainList(whole);
    if (list !== undefined) return elementsTruth(name, list, text);
    // `any(d.values())` of a mapping field: one of its values truthy (transform `values`, evaluate.ts).
    const mapping = name === 'any' ? mappingValuesOf(a) : undefined;
    const ref = mapping && this.fieldOf(mapping, scope);
    if (ref && plainList(ref) !== undefined)
      return refPredicates(ref, 'exists', [], { negated: false, caseSensitive: false, nativeOp: 'truthy', text, transform: 'values' });
    return other(text);
  }

  /** The condition an expression states when read for its truth. */
  condOf(node: Node, scope: Scope): Cond {
    const n = unwrap(node);
    const cased = expandedTypes.has(n.type) ? this.perCase(n, scope, (s) => this.condOf(n, s)) : undefined;
    if (cased !== undefined) return cased;
    switch (n.type) {
      case 'true':
        return true;
      case 'false':
      case 'none':
        return false;
      case 'boolean_operator': {
        const l = field(n, 'left');
        const r = field(n, 'right');
        const op = field(n, 'operator')?.text;
        if (!l || !r) return other(n.text);
        const lc = this.condOf(l, scope);
        const rc = this.condOf(r, scope);
        return op === 'or' ? or(lc, rc) : and(lc, rc);
      }
      case 'not_operator': {
        const arg = field(n, 'argument');
        return arg ? not(this.condOf(arg, scope)) : other(n.text);
      }
      case 'comparison_operator':
        return this.comparison(n, scope);
      case 'call': {
        const time = timePointOf(n, this.timeReader(scope));
        return time ? timeTruth(time, n.text) : this.callCond(n, scope);
      }
      case 'conditional_expression': {
        const [a, c, b] = named(n);
        if (!a || !c || !b) return other(n.text);
        return ite(this.condOf(c, scope), this.condOf(a, scope), this.condOf(b, scope));
      }
      case 'named_expression': {
        const name = field(n, 'name');
        const value = field(n, 'value');
        if (!name || !value) return other(n.text);
        scope.set(name.text, this.bindingOf(value, scope));
        return this.condOf(value, scope);
      }
      case 'identifier': {
        const b = scope.get(n.text);
        if (b?.kind === 'cond') return b.cond;
        if (b?.kind === 'time') return timeTruth(b.point, n.text);
        if (b?.kind === 'lookup') return this.lookupTested(b.lookup, truthTest, n.text);
        if (b?.kind === 'modelValue') return this.sourcesTested(b.sources, truthTest) ?? this.pred(b.ref, 'exists', [], 'truthy', n.text);
        if (b?.kind === 'field') return this.pred(b.ref, 'exists', [], 'truthy', n.text);
        const first =
          b?.kind === 'picked' && b.first ? firstTruth(b, (v) => this.pred(v, 'exists', [], 'truthy', n.text), n.text) : undefined;
        if (first !== undefined) return first;
        // The event is a mapping that always holds Panther's own `p_` fields: never empty.
        if (b?.kind === 'event') return true;
        // A name the test mocks is a MagicMock object, which is truthy (test-mocks.ts).
        if (!b && this.mod.mocked?.has(n.text)) return true;
        // A record is a dict literal with at least one key: true.
        if (b?.kind === 'record') return true;
        if (b?.kind === 'instance' && instanceTruth(b)) return true;
        if (b?.kind === 'common') return this.commonTruth(b, n.text);
        const v = b?.kind === 'const' ? b.value : b ? undefined : this.mod.constants.get(n.text);
        if (v?.kind === 'scalar') return Boolean(v.value);
        if (v?.kind === 'collection' && (v.values.length > 0 || !v.partial)) return v.values.length > 0;
        return other(n.text);
      }
      default: {
        const attr = instanceAttribute(n, (x) => scope.get(x));
        if (attr?.kind === 'cond') return attr.cond;
        if (attr?.kind === 'const' && attr.value.kind === 'scalar') return Boolean(attr.value.value);
        if (attr?.kind === 'instance' && instanceTruth(attr)) return true;
        const ip = ipProperty(n, this.ipReader(scope));
        if (ip) return ip;
        const ref = this.fieldOf(n, scope);
        if (ref) return this.pred(ref, 'exists', [], 'truthy', n.text);
        const v = this.constOf(n, scope);
        if (v?.kind === 'scalar') return Boolean(v.value);
        // A literal collection is true when not empty (`[]` false; unknown elements stay text).
        if (v?.kind === 'collection' && (v.values.length > 0 || named(n).length === 0)) return v.values.length > 0;
        const common = this.commonOf(n, scope);
        if (common) return this.commonTruth(common, n.text);
        const grown = this.grownCommonTruth(n, scope);
        if (grown !== undefined) return grown;
        return this.nonEmpty(n, scope) ?? other(n.text);
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // Helpers defined in the same module

  /** What helper-classes.ts reads through: an expression's binding in a module. */
  private readonly instanceReader: InstanceReader = {
    bindingIn: (mod, node, scope) => this.within(mod, () => this.bindingOf(node, scope)),
  };

  /** `Cls(args)` of a small helper class, or a name bound to one: the instance (helper-classes.ts). */
  private instanceOf(n: Node, scope: Scope): Instance | undefined {
    if (n.type === 'identifier') {
      const b = scope.get(n.text);
      return b?.kind === 'instance' ? b : undefined;
    }
    const cls = n.type === 'call' ? constructedClass(n, this.mod, (x) => scope.has(x) || this.mod.functions.has(x)) : undefined;
    const args = cls && this.inlineStack.length < maxInlineDepth ? boundArguments(n, this.mod, scope, this.instanceReader) : undefined;
    return cls && args ? constructed(cls, args, this.instanceReader) : undefined;
  }

  /** `obj.m(args)` with `obj` an instance: the method and its scope, `self` bound to the instance. */
  private instanceMethod(call: Node, scope: Scope): { method: MethodRef; scope: Scope } | undefined {
    const fn = field(call, 'function');
    const obj = fn?.type === 'attribute' ? field(fn, 'object') : undefined;
    const name = fn && field(fn, 'attribute')?.text;
    const instance = obj && name ? this.instanceOf(unwrap(obj), scope) : undefined;
    const method = instance && methodOf(instance.cls, name!);
    const args = method && boundArguments(call, this.mod, scope, this.instanceReader);
    const inner = method && args && methodScope(method, instance, args, this.instanceReader);
    return method && inner ? { method, scope: inner } : undefined;
  }

  private helperScope(fn: Node, call: Node, scope: Scope): Scope | undefined {
    const params = field(fn, 'parameters');
    if (!params) return undefined;
    const { positional, keywords } = argumentsOf(call);
    const inner: Scope = new Map();
    let i = 0;
    for (const p of named(params)) {
      const name = parameterName(p);
      if (!name) continue;
      const defaulted = p.type === 'default_parameter' || p.type === 'typed_default_parameter';
      const arg = positional[i++] ?? keywords.get(name.text) ?? (defaulted ? field(p, 'value') : undefined);
      inner.set(name.text, arg ? this.bindingOf(arg, scope) : { kind: 'unknown' });
    }
    return inner;
  }

  /**
   * A call to a function of the rule or of a helper module, read as the condition its body returns
   * (bounded depth, never into itself); undefined when that says nothing of the event (no
   * predicate in it), so that the call keeps its own text.
   */
  private inline(helper: FunctionRef, call: Node, scope: Scope): Cond | undefined {
    const inner = this.helperScope(helper.def, call, scope);
    const ret = inner && this.returns(helper, inner, undefined);
    return ret !== undefined && (typeof ret === 'boolean' || hasPredicate(ret)) ? ret : undefined;
  }

  /**
   * The condition under which a function's returns pass `reader` (undefined: read for their
   * truth), with its parameters bound in `scope`; falling off its end returns None. Undefined past
   * the inlining depth or into itself.
   */
  private returns(helper: FunctionRef, scope: Scope, reader: ReturnReader | undefined): Cond | undefined {
    const fn = helper.def;
    const body = field(fn, 'body');
    if (!body || this.inlineStack.length >= maxInlineDepth || this.inlineStack.includes(fn)) return undefined;
    const saved = this.returnReader;
    this.inlineStack.push(fn);
    this.returnReader = reader;
    try {
      const flow = this.within(helper.mod, () => this.block(named(body), 0, scope));
      return reader ? or(flow.ret, and(flow.fall, reader(undefined, scope))) : flow.ret;
    } finally {
      this.inlineStack.pop();
      this.returnReader = saved;
    }
  }

  /** Where a call's value comes from: `event.udm(name)` through the data model, or a helper's returns. */
  private valueSources(call: Node, scope: Scope): ValueSources | undefined {
    const fn = field(call, 'function');
    if (!fn) return undefined;
    if (fn.type === 'attribute' && field(fn, 'attribute')?.text === 'udm') {
      const obj = field(fn, 'object');
      const arg = argumentsOf(call).positional[0];
      const name = arg ? this.keyOf(arg, scope) : undefined;
      const event = obj ? this.baseOf(obj, scope) : undefined;
      return event?.fields[0] === '' && name !== undefined ? this.udmSources(name, { kind: 'event' }) : undefined;
    }
    if (fn.type === 'identifier' && deepGetters.has(fn.text)) return undefined;
    const helper = this.calledFunction(fn);
    const inner = helper && this.helperScope(helper.def, call, scope);
    return helper && inner ? { fields: [], functions: [{ helper, scope: inner }] } : undefined;
  }

  /**
   * A call's value under a test: the test on each field it reads, or-ed with the condition under
   * which each function it runs returns a value that passes (`event.udm("event_type") ==
   * event_type.FAILED_LOGIN` is the data model's branches returning FAILED_LOGIN). Undefined when
   * nothing of that says anything of the event.
   */
  private valueTested(call: Node, scope: Scope, test: ValueTest): Cond | undefined {
    const sources = this.valueSources(call, scope);
    return sources ? this.sourcesTested(sources, test) : undefined;
  }

  private sourcesTested(sources: ValueSources, test: ValueTest): Cond | undefined {
    let result: Cond = false;
    for (const ref of sources.fields) result = or(result, test.field(ref));
    for (const { helper, scope: inner, logTypes } of sources.functions) {
      const c = this.returns(helper, inner, (expr, s) => this.returnTested(expr, s, test));
      if (c === undefined) return undefined;
      result = or(result, scopeCond(c, logTypes));
    }
    if (sources.unresolved) result = or(result, test.field(sources.unresolved));
    return typeof result === 'boolean' || hasPredicate(result) ? result : undefined;
  }

  /** One `return E` of a function whose value is tested: E a field, a constant, a branch, or another such call. */
  private returnTested(expr: Node | undefined, scope: Scope, test: ValueTest): Cond {
    if (!expr) return test.constant(null);
    const n = unwrap(expr);
    if (n.type === 'conditional_expression') {
      const [a, c, b] = named(n);
      if (a && c && b) return ite(this.condOf(c, scope), this.returnTested(a, scope, test), this.returnTested(b, scope, test));
    }
    const ref = this.fieldOf(n, scope);
    if (ref && !ref.fields.some((f) => f.startsWith('udm:'))) return test.field(ref);
    const v = this.constOf(n, scope);
    if (v?.kind === 'scalar') return test.constant(v.value);
    const lookup = this.lookupOf(n, scope);
    if (lookup) return this.lookupTested(lookup, test, `${n.text}${test.text}`);
    if (n.type === 'call') {
      const inner = this.valueTested(n, scope, test);
      if (inner !== undefined) return inner;
    }
    // A comparison or a `not` is True or False: the test holds where the condition gives the value that passes.
    if (n.type === 'comparison_operator' || n.type === 'not_operator')
      return ite(this.condOf(n, scope), test.constant(true), test.constant(false));
    return other(`${n.text}${test.text}`);
  }

  /**
   * `f(...) == C`, `!= C`, `in C`, `not in C`, `is None`, `is not None` where `f(...)` is a helper
   * or `event.udm(...)` not reading one plain field: the test applied to what it returns.
   */
  private valueComparison(left: Node, op: string, right: Node, scope: Scope): Cond | undefined {
    const lookup = this.lookupOf(left, scope);
    if (lookup) {
      const v = this.valuesOf(right, scope);
      const test = v && this.valueTest(op, v, ` ${op} ${right.text}`);
      return test ? this.lookupTested(lookup, test, `${left.text} ${op} ${right.text}`) : undefined;
    }
    const call = unwrap(left);
    if (call.type !== 'call') return undefined;
    const ref = this.fieldOf(call, scope);
    if (ref && !ref.fields.some((f) => f.startsWith('udm:'))) return undefined;
    const v = this.valuesOf(right, scope);
    const sources = v && this.valueSources(call, scope);
    if (!v || !sources) return undefined;
    return this.sourcesCompared(sources, op, v, ` ${op} ${right.text}`, false);
  }

  /** What a value from `sources` compared with constants `v` by `op` states (`lowered`: the value went through `.lower()`). */
  private sourcesCompared(sources: ValueSources, op: string, v: ComparedValues, text: string, lowered: boolean): Cond | undefined {
    const lowerTest = (test: ValueTest | undefined): ValueTest | undefined =>
      test && lowered
        ? {
            field: (ref) => test.field({ ...ref, lowered: true }),
            constant: (x) => test.constant(typeof x === 'string' ? x.toLowerCase() : x),
            text: test.text,
          }
        : test;
    // Several log types' mappings: each is right only for its own log type's events. A value test
    // on another's event reads that model's fields, missing there, which a positive `==` / `in`
    // reads as false; `!=` / `not in` are their negation, and `is None` is not read.
    const count = sources.fields.reduce((n, f) => n + f.fields.length, 0) + sources.functions.length + (sources.unresolved ? 1 : 0);
    if (count > 1) {
      const positive = op === '!=' ? '==' : op === 'not in' ? 'in' : op === 'is not' ? 'is' : op;
      // `is True` / `is False` is as positive as `==` (a missing field is neither); `is None` is not.
      const readable = positive === '==' || positive === 'in' || (positive === 'is' && typeof v.values[0] === 'boolean');
      const test = lowerTest(readable ? this.valueTest(positive, v, text) : undefined);
      if (!test || v.values.includes(null)) return undefined;
      const c = this.sourcesTested(sources, test);
      return c === undefined || positive === op ? c : not(c);
    }
    const test = lowerTest(this.valueTest(op, v, text));
    return test ? this.sourcesTested(sources, test) : undefined;
  }

  private valueTest(op: string, v: ComparedValues, text: string): ValueTest | undefined {
    const values = v.values;
    const has = (x: Scalar) => values.some((w) => constEqual(x, w));
    switch (op) {
      case '==':
      case '!=': {
        const negated = op === '!=';
        // `f(...) == ["x"]`: a returned field is a list of that one element; no constant returned is a list.
        if (v.listOfOne)
          return {
            field: (ref) => {
              const one = this.oneElementList(ref, values, op, `${ref.fields[0]}${text}`);
              return one === undefined ? other(`${ref.fields[0]}${text}`) : negated ? not(one) : one;
            },
            constant: () => negated,
            text,
          };
        if (v.collection) return undefined;
        return {
          field: (ref) => this.pred(ref, values.length > 1 ? 'in' : 'eq', values, op, `${ref.fields[0]}${text}`, negated),
          constant: (x) => has(x) !== negated,
          text,
        };
      }
      case 'in':
      case 'not in': {
        if (!v.collection) return undefined;
        const negated = op === 'not in';
        // Nothing is in an empty collection (an allow list left empty), a helper's value no more than a field.
        const empty = values.length === 0 && !v.partial;
        return {
          field: (ref) => (empty ? negated : this.pred(ref, 'in', values, op, `${ref.fields[0]}${text}`, negated)),
          constant: (x) => has(x) !== negated,
          text,
        };
      }
      case 'is':
      case 'is not': {
        const one = values.length === 1 && !v.collection ? values[0] : undefined;
        // `is True` / `is False`: the one boolean itself (nativeOp `is`: 1 is not True, evaluate.ts).
        if (typeof one === 'boolean') {
          const isNot = op === 'is not';
          return {
            field: (ref) => this.pred(ref, 'eq', [one], op, `${ref.fields[0]}${text}`, isNot),
            constant: (x) => (x === one) !== isNot,
            text,
          };
        }
        if (one !== null) return undefined;
        const isNone = op === 'is';
        return {
          field: (ref) => this.pred(ref, 'exists', [], op, `${ref.fields[0]}${text}`, isNone),
          constant: (x) => (x === null) === isNone,
          text,
        };
      }
      default:
        return undefined;
    }
  }

  /**
   * A helper each of whose returns is one field, parsed or not (`json.loads(f)` in one branch, `f`
   * in another), or an empty constant (`{}`, None, ''), which reads like the field missing: the
   * field, parsed when some branch parses it (`x = parse_json(event.get("details"))`).
   */
  private returnedFieldOrEmpty(helper: FunctionRef, scope: Scope): FieldRef | undefined {
    const found: FieldRef[] = [];
    let other = false;
    const reader: ReturnReader = (expr, s) => {
      const ref = expr && this.fieldOf(expr, s);
      const value = expr && !ref ? this.constOf(expr, s) : undefined;
      const empty =
        !expr ||
        (value?.kind === 'scalar'
          ? value.value === null || value.value === ''
          : value?.kind === 'collection' && value.values.length === 0 && !value.partial);
      if (ref) found.push(ref);
      else if (!empty) other = true;
      return ref !== undefined;
    };
    // The condition under which it returns the field: it may test the field itself (`if value is
    // None`), not other fields, which would make the empty returns a condition of their own.
    const returnsField = this.returns(helper, new Map(scope), reader);
    if (returnsField === undefined || other || found.length === 0) return undefined;
    const first = found[0]!;
    const same = found.every((r) => sameReading(r, first));
    const ownFields = new Set(first.fields);
    let onlyOwn = true;
    if (typeof returnsField !== 'boolean') eachPredicate(returnsField, (p) => void (onlyOwn &&= ownFields.has(p.field)));
    if (!same || found.some((r) => r.guards)) return undefined;
    const ref = { ...first, ...(found.some((r) => r.json) ? { json: true } : {}) };
    // Returned under a test of other fields: the field where that holds, empty elsewhere.
    return onlyOwn ? ref : guardedRef(ref, returnsField);
  }

  /** A module function whose single final `return` reads a field: `return event.get("x")`. */
  private returnedField(helper: FunctionRef, scope: Scope): FieldRef | undefined {
    const fn = helper.def;
    if (this.inlineStack.length >= maxInlineDepth || this.inlineStack.includes(fn)) return undefined;
    const inner = new Map(scope);
    const body = field(fn, 'body');
    if (!body) return undefined;
    const stmts = named(body);
    const last = stmts[stmts.length - 1];
    if (last?.type !== 'return_statement') return undefined;
    this.inlineStack.push(fn);
    try {
      return this.within(helper.mod, () => {
        for (const s of stmts.slice(0, -1)) {
          if (s.type !== 'expression_statement') return undefined;
          this.assign(s, inner);
        }
        const expr = named(last)[0];
        return expr ? this.fieldOf(expr, inner) : undefined;
      });
    } finally {
      this.inlineStack.pop();
    }
  }

  // -------------------------------------------------------------------------------------------
  // Statements

  private assign(stmt: Node, scope: Scope): void {
    for (const expr of named(stmt)) {
      if (expr.type === 'assignment') {
        const left = field(expr, 'left');
        const right = field(expr, 'right');
        if (!left) continue;
        // Chained `a = b = value`: the right side is itself an assignment.
        let value = right;
        const targets = [left];
        while (value?.type === 'assignment') {
          const l = field(value, 'left');
          if (l) targets.push(l);
          value = field(value, 'right');
        }
        const names = targets.length === 1 ? unpackedNames(left) : undefined;
        const elements = names && value ? this.unpacked(value, names.length, scope) : undefined;
        if (names && elements) {
          names.forEach((name, i) => scope.set(name.text, elements[i]!));
          continue;
        }
        const binding: Binding = value ? this.bindingOf(value, scope) : { kind: 'unknown' };
        for (const t of targets) bindTarget(t, binding, scope);
      } else if (expr.type === 'augmented_assignment') {
        const left = field(expr, 'left');
        if (left) bindTarget(left, { kind: 'unknown' }, scope);
      } else if (expr.type === 'named_expression') {
        this.condOf(expr, scope);
      }
    }
    forgetMutated(stmt, scope);
  }

  /**
   * How a statement sequence ends: `ret` the condition to return a truthy value, `fall` to run
   * past its end, `jump` to leave it by `break` / `continue` (consumed by the enclosing loop).
   */
  block(stmts: Node[], start: number, scope: Scope): Flow {
    let ret: Cond = false;
    let fall: Cond = true;
    let jump: Cond = false;
    for (let i = start; i < stmts.length; i++) {
      const s = stmts[i]!;
      const choice = this.flagName === undefined ? constantChoice(s, stmts.slice(i + 1), (n) => this.constOf(n, scope)) : undefined;
      const flow = choice ? this.chosen(choice, stmts, i + 1, scope) : this.statement(s, scope);
      // `ret or (not ret and r)` is `ret or r`: after `if C: return True`, the rest needs no `not C`.
      ret = or(ret, equal(fall, not(ret)) ? flow.ret : and(withoutCovered(fall, ret), flow.ret));
      jump = or(jump, and(fall, flow.jump));
      fall = and(fall, flow.fall);
      if (fall === false) break;
      if (size(ret) + size(fall) > maxNodes) return { ret: other('(condition too large to keep)'), fall: true, jump: false };
      // The rest of the block was read in `chosen`.
      if (choice) break;
    }
    return { ret, fall, jump };
  }

  /** The statements from `next` on, read once per constant the choice binds (constant-choice.ts). */
  private chosen(choice: ConstantChoice, stmts: Node[], next: number, scope: Scope): Flow {
    const c = this.condOf(choice.condition, scope);
    const [whenTrue, whenFalse] = choice.values.map((value) => {
      const inner = new Map(scope);
      inner.set(choice.name, { kind: 'const', value: { kind: 'scalar', value } });
      return { inner, flow: this.block(stmts, next, inner) };
    });
    mergeScopes(scope, [c === false ? undefined : whenTrue!.inner, c === true ? undefined : whenFalse!.inner]);
    const [a, b] = [whenTrue!.flow, whenFalse!.flow];
    return { ret: ite(c, a.ret, b.ret), fall: ite(c, a.fall, b.fall), jump: ite(c, a.jump, b.jump) };
  }

  private statement(s: Node, scope: Scope): Flow {
    if (this.flagName !== undefined && this.sharedSought) {
      const shared = sharedStatement(s, this.flagName, this.shareReaders(this.sharedSought, s.text, scope), not);
      if (shared) return shared;
    } else if (this.flagName !== undefined) {
      const flag = this.accumulating
        ? accumulatorStatement(s, this.flagName, (n) => this.condOf(n, scope), not, this.accumulating)
        : flagStatement(s, this.flagName);
      if (flag) return flag;
    }
    switch (s.type) {
      case 'return_statement': {
        const expr = named(s)[0];
        const reader = this.returnReader;
        const ret = reader ? reader(expr, scope) : expr ? this.condOf(expr, scope) : false;
        return { ret, fall: false, jump: false };
      }
      case 'raise_statement':
        return { ret: false, fall: false, jump: false };
      case 'break_statement':
      case 'continue_statement':
        return { ret: false, fall: false, jump: true };
      case 'expression_statement':
        this.assign(s, scope);
        return runOn;
      case 'delete_statement':
        forgetMutated(s, scope);
        return runOn;
      case 'if_statement':
        return this.ifStatement(s, scope);
      case 'for_statement':
      case 'while_statement':
        return this.loop(s, scope);
      case 'try_statement':
        return this.tryStatement(s, scope);
      case 'with_statement': {
        const body = field(s, 'body');
        return body ? this.block(named(body), 0, scope) : runOn;
      }
      case 'match_statement':
        if (!containsReturn(s)) return runOn;
        this.gap('a match statement is read as text', s);
        return { ret: other(s.text), fall: true, jump: false };
      default:
        return runOn;
    }
  }

  private ifStatement(s: Node, scope: Scope): Flow {
    const condition = field(s, 'condition');
    const consequence = field(s, 'consequence');
    const alternatives = s.childrenForFieldName('alternative').filter((a): a is Node => a !== null);
    return this.branches(condition, consequence, alternatives, scope);
  }

  /** `if c: A elif c2: B else: C`, with the scopes of the branches that run on merged back. */
  private branches(condition: Node | undefined, consequence: Node | undefined, alternatives: Node[], scope: Scope): Flow {
    const c = condition ? this.condOf(condition, scope) : other('?');
    const thenScope = new Map(scope);
    const a = consequence ? this.block(named(consequence), 0, thenScope) : runOn;
    const elseScope = new Map(scope);
    let b: Flow = runOn;
    const [first, ...rest] = alternatives;
    if (first?.type === 'elif_clause') {
      b = this.branches(field(first, 'condition'), field(first, 'consequence'), rest, elseScope);
    } else if (first?.type === 'else_clause') {
      const body = field(first, 'body');
      if (body) b = this.block(named(body), 0, elseScope);
    }
    keepFieldWhereEmptied(c, thenScope, scope, elseScope);
    // A branch the condition rules out assigns nothing (`if isinstance(X, MagicMock): X = ...`, mocks.ts).
    const thenRuns = a.fall !== false && c !== false;
    const elseRuns = b.fall !== false && c !== true;
    const before = new Map(scope);
    const chosen = thenRuns && elseRuns && typeof c !== 'boolean' ? constantsChosen(c, thenScope, elseScope) : undefined;
    mergeScopes(scope, [thenRuns ? thenScope : undefined, elseRuns ? elseScope : undefined]);
    for (const [name, binding] of chosen ?? []) {
      scope.set(name, binding);
      this.casesMade = true;
    }
    // `if x: x = x.rstrip(".")`: where x is falsy (None, '') stripping changes nothing, so x is the stripped field.
    const tested = condition && unwrap(condition).type === 'identifier' ? unwrap(condition).text : undefined;
    const was = tested !== undefined && alternatives.length === 0 && thenRuns ? before.get(tested) : undefined;
    const now = tested !== undefined ? thenScope.get(tested) : undefined;
    if (
      was?.kind === 'field' &&
      !was.ref.trimmed &&
      now?.kind === 'field' &&
      now.ref.trimmed &&
      sameBinding(was, { kind: 'field', ref: { ...now.ref, trimmed: undefined } })
    )
      scope.set(tested!, now);
    return { ret: ite(c, a.ret, b.ret), fall: ite(c, a.fall, b.fall), jump: ite(c, a.jump, b.jump) };
  }

  /**
   * A loop body is read once, for "some element": a `return` inside it applies when the body's
   * condition holds for one element. A loop variable over a constant collection stands for any
   * of its values (`for p in PATTERNS: if p in f: return True` → `f contains PATTERNS`), and
   * running past the loop needs the body to run past (or `continue` / `break`) for that element
   * (`none of PATTERNS`).
   */
  private loop(s: Node, scope: Scope, over?: Binding): Flow {
    const body = field(s, 'body');
    if (!body) return runOn;
    const inner = new Map(scope);
    // The list a variable walks: tests of one element stay on one element (element-scope.ts).
    let list: { list: string; json: boolean } | undefined;
    // Or the words of a split text (shlex-split.ts).
    let words: FieldRef | undefined;
    if (s.type === 'for_statement') {
      const left = field(s, 'left');
      const right = field(s, 'right');
      const iter = walkedElements(over ?? (right ? this.bindingOf(right, scope) : { kind: 'unknown' as const }));
      // Over an empty constant collection (an allow list left empty) the body never runs.
      if (iter.kind === 'const' && iter.value.kind === 'collection' && iter.value.values.length === 0 && !iter.value.partial)
        if (!field(s, 'alternative')) return runOn;
      if (left?.type === 'identifier' && iter.kind === 'keyedList' && iter.entries.length <= maxUnrolled)
        return this.loopPerKey(s, iter, scope);
      if (left?.type === 'identifier' && (iter.kind === 'field' || iter.kind === 'policyObject')) list = scopedList(iter.ref);
      if (left?.type === 'identifier' && iter.kind === 'field' && iter.ref.shlexed) words = iter.ref;
      if (left?.type === 'identifier' && iter.kind === 'items' && !containsBreak(body))
        return this.unrolled(
          iter.items.map((item) => new Map([[left.text, item]])),
          body,
          scope,
        );
      // `for key, value in ROWS` of rows of one length (constant-rows.ts): each row unpacked.
      const width = left ? unpackedWidth(left) : undefined;
      if (left && width && iter.kind === 'items' && iter.items.every((i) => i.kind === 'items' && i.items.length === width))
        if (!containsBreak(body))
          return this.unrolled(
            iter.items.map((item) => {
              const names = new Map<string, Binding>();
              bindTarget(left, item, names);
              return names;
            }),
            body,
            scope,
          );
      // A constant collection of `ipaddress` networks: one pass per network (ip-networks.ts).
      const loopName = left?.type === 'identifier' ? left.text : undefined;
      const networks = loopName !== undefined && right ? ipNetworksOf(right, this.ipReader(scope), maxUnrolled) : undefined;
      if (loopName !== undefined && networks && !containsBreak(body))
        return this.unrolled(
          networks.map((value) => new Map<string, Binding>([[loopName, { kind: 'ip', value }]])),
          body,
          scope,
        );
      // `for k, v in D.items()` of a constant dict: each entry on its own (dict-items.ts).
      const entries =
        left && right && !containsBreak(body) ? entryBindings(left, right, maxUnrolled, (n) => this.constOf(n, scope)) : undefined;
      if (entries) return this.unrolled(entries, body, scope);
      const keyed =
        left?.type === 'identifier' && right && !containsBreak(body) ? this.keyedLoop(left.text, right, body, scope) : undefined;
      if (keyed) return keyed;
      // A mapping field's keys, only a constant dict's acted on (known-keys.ts): once per such key.
      const known = left?.type === 'identifier' && right ? this.knownKeysLoop(left.text, right, body, scope) : undefined;
      if (known) return known;
      // A few constant collections (`for conflict in [{"A", "B"}]`): each on its own.
      const collections = left?.type === 'identifier' && right && !containsBreak(body) ? this.constantCollections(right, scope) : undefined;
      if (left?.type === 'identifier' && collections)
        return this.unrolled(
          collections.map((value) => new Map<string, Binding>([[left.text, { kind: 'const', value }]])),
          body,
          scope,
        );
      // A few constants naming keys (loop-keys.ts): each read on its own.
      const keys = iter.kind === 'const' && iter.value.kind === 'collection' && !iter.value.partial ? iter.value.values : undefined;
      // A few constants sought in a collection built from the event, each on its own (event-collections.ts).
      const sought = (name: string) => soughtIn(body, name, (n) => this.elementsOf(n, scope) !== undefined);
      if (
        left?.type === 'identifier' &&
        keys &&
        keys.length <= maxUnrolled &&
        !containsBreak(body) &&
        (namesKey(body, left.text) || sought(left.text))
      ) {
        const items: Binding[] = keys.map((value) => ({ kind: 'const', value: { kind: 'scalar', value } }));
        return this.unrolled(
          items.map((item) => new Map([[left.text, item]])),
          body,
          scope,
        );
      }
      if (left?.type === 'identifier' && iter.kind === 'const' && iter.value.kind === 'collection') {
        inner.set(left.text, { kind: 'anyOf', values: iter.value.values });
      } else if (left?.type === 'identifier' && iter.kind === 'const' && iter.value.kind === 'regexes') {
        inner.set(left.text, { kind: 'anyRegex', patterns: iter.value.patterns, ignoreCase: iter.value.ignoreCase });
      } else if (left) {
        // The element is a binding of its own: `"k" in element` tests the element, not the list (element-scope.ts).
        const element: Binding = iter.kind === 'field' ? { ...iter } : iter.kind === 'policyObject' ? iter : { kind: 'unknown' };
        bindTarget(left, element, inner);
        if (element.kind === 'field') this.loopElements.add(element);
        if (element.kind === 'field' && list === undefined) this.looseElements.add(element);
      }
    }
    const start = new Map(inner);
    const before = new Map(scope);
    const flow = this.block(named(body), 0, inner);
    mergeScopes(scope, [inner, new Map(scope)]);
    // A name assigned on the way to `break` leaves the loop with a value not read (break-assignments.ts).
    for (const name of assignedBeforeBreak(body)) scope.set(name, { kind: 'unknown' });
    const loopText = s.text.split('\n')[0]!.trim();
    const oneElement = (c: Cond) =>
      list !== undefined ? onOneElement(list.list, c, list.json) : words ? onOneWord(words, c, loopText) : c;
    for (const flag of loopFlags(body, before)) {
      const saved = this.flagName;
      this.flagName = flag.name;
      const set = oneElement(this.block(named(body), 0, new Map(start)).ret);
      this.flagName = saved;
      scope.set(flag.name, { kind: 'cond', cond: flag.setTo ? or(flag.initial, set) : and(flag.initial, not(set)) });
    }
    // A list the body only grows (accumulators.ts): not empty where some element grows it.
    // Every value appended holds where no element appends a falsy one: that search always on one element.
    const everyElement = (c: Cond) => (list === undefined || typeof c === 'boolean' ? c : someElement(list.list, c, list.json));
    for (const name of loopAccumulators(body, before))
      this.bindAccumulated(name, body, [{ start, reached: true }], { one: oneElement, every: everyElement }, scope);
    // Running past the loop: no element stops it.
    return { ret: oneElement(flow.ret), fall: not(oneElement(not(orAbsorbing(flow.fall, flow.jump)))), jump: false };
  }

  /**
   * A loop over the collection a field picks from a constant dict (keyed-lists.ts): the loop read
   * once per entry, under the field holding its key, and once for a field holding none.
   */
  private loopPerKey(s: Node, keyed: Extract<Binding, { kind: 'keyedList' }>, scope: Scope): Flow {
    const keys = keyed.entries.map(([k]) => k);
    const cases: [Cond, Scalar[] | 'raises'][] = keyed.entries.map(([k, values]) => [
      this.pred(keyed.key, 'eq', [k], 'dict.get', keyed.text),
      values,
    ]);
    cases.push([this.pred(keyed.key, 'in', keys, 'dict.get', keyed.text, true), keyed.fallback]);
    let ret: Cond = false;
    let fall: Cond = false;
    let jump: Cond = false;
    const running: Scope[] = [];
    for (const [c, values] of cases) {
      const inner = new Map(scope);
      // Iterating None (`.get` without a default) or a KeyError raises: no return, no running on.
      const flow: Flow =
        values === 'raises'
          ? { ret: false, fall: false, jump: false }
          : values.length === 0
            ? runOn
            : this.loop(s, inner, { kind: 'const', value: { kind: 'collection', values } });
      if (flow.fall !== false) running.push(inner);
      ret = or(ret, and(c, flow.ret));
      fall = or(fall, and(c, flow.fall));
      jump = or(jump, and(c, flow.jump));
    }
    mergeScopes(scope, running);
    return { ret, fall, jump };
  }

  /**
   * A loop over a few known elements, read as its body once per element in order (`continue` runs
   * on to the next): exact where reading it once "for some element" mixes elements. A `break`
   * (which leaves the loop, where `continue` would not) keeps the loop read once.
   */
  private unrolled(items: Map<string, Binding>[], body: Node, scope: Scope): Flow {
    let ret: Cond = false;
    let fall: Cond = true;
    const before = new Map(scope);
    // Each pass's scope on entry, and where the passes before it ran on to it (for lists it grows).
    const passes: { start: Scope; reached: Cond }[] = [];
    for (const item of items) {
      const inner = new Map(scope);
      for (const [name, binding] of item) inner.set(name, binding);
      passes.push({ start: new Map(inner), reached: fall });
      const flow = this.block(named(body), 0, inner);
      mergeScopes(scope, [inner, new Map(scope)]);
      ret = or(ret, and(fall, flow.ret));
      fall = and(fall, orAbsorbing(flow.fall, flow.jump));
      if (fall === false) break;
    }
    const same = (c: Cond) => c;
    for (const name of loopAccumulators(body, before)) this.bindAccumulated(name, body, passes, { one: same, every: same }, scope);
    return { ret, fall, jump: false };
  }

  /**
   * A list the loop body only grows (accumulators.ts), read over the loop's passes: not empty where
   * some pass reached grows it; `any(L)` where some pass appends a truthy value, `all(L)` where none
   * appends a falsy one.
   */
  private bindAccumulated(
    name: string,
    body: Node,
    passes: { start: Scope; reached: Cond }[],
    element: { one: (c: Cond) => Cond; every: (c: Cond) => Cond },
    scope: Scope,
  ): void {
    const seek = (mode: AccumulatorMode): Cond => {
      const saved = [this.flagName, this.accumulating] as const;
      [this.flagName, this.accumulating] = [name, mode];
      const onElement = mode === 'falsy' ? element.every : element.one;
      let found: Cond = false;
      for (const p of passes) found = or(found, and(p.reached, onElement(this.block(named(body), 0, new Map(p.start)).ret)));
      [this.flagName, this.accumulating] = saved;
      return found;
    };
    const binding: Binding = { kind: 'cond', cond: seek('grown') };
    this.appendedTruths.set(binding, { some: seek('truthy'), every: not(seek('falsy')) });
    // Read only where the code intersects it with constants (grown-intersections.ts).
    const mod = this.mod;
    this.grownShares.set(binding, (values) =>
      this.within(mod, () => {
        const saved = [this.flagName, this.sharedSought] as const;
        [this.flagName, this.sharedSought] = [name, values];
        let found: Cond = false;
        for (const p of passes) found = or(found, and(p.reached, element.one(this.block(named(body), 0, new Map(p.start)).ret)));
        [this.flagName, this.sharedSought] = saved;
        return found;
      }),
    );
    scope.set(name, binding);
  }

  private tryStatement(s: Node, scope: Scope): Flow {
    const known =
      knownRaise(s, this.ipReader(scope)) ??
      splitRaise(s, {
        isSplit: (fn) => isShlexSplit(fn, this.mod, (x) => this.mod.functions.has(x) || scope.has(x)),
        fieldOf: (n) => this.fieldOf(n, scope),
      }) ??
      decodeRaise(s, { fieldOf: (n) => this.fieldOf(n, scope) });
    // Two tests of a loose loop variable could each hold on another element: the raise stays text.
    const loose = known?.argument.type === 'identifier' && this.looseElements.has(scope.get(known.argument.text)!);
    if (known && !loose) {
      // The handler runs where the body raised (raises.ts), before the body changed anything.
      const handler = this.block(known.handler, 0, new Map(scope));
      const flow = this.block(known.body, 0, scope);
      const raised = not(known.valid);
      return {
        ret: ite(raised, handler.ret, flow.ret),
        fall: ite(raised, handler.fall, flow.fall),
        jump: ite(raised, handler.jump, flow.jump),
      };
    }
    const body = field(s, 'body');
    let flow = body ? this.block(named(body), 0, scope) : runOn;
    // Handlers only add ways to return or run on; `finally` and `else` run after the body.
    for (const clause of named(s)) {
      if (clause.type !== 'except_clause' && clause.type !== 'else_clause' && clause.type !== 'finally_clause') continue;
      const block = named(clause).find((c) => c.type === 'block');
      if (!block) continue;
      const f = this.block(named(block), 0, new Map(scope));
      if (clause.type === 'except_clause') {
        // A handler runs when the body raised: that is a condition we keep as text.
        const raised = other(clause.text.split('\n')[0]!.trim());
        flow = {
          ret: or(flow.ret, and(raised, f.ret)),
          fall: or(flow.fall, and(raised, f.fall)),
          jump: or(flow.jump, and(raised, f.jump)),
        };
      } else flow = { ret: or(flow.ret, and(flow.fall, f.ret)), fall: and(flow.fall, f.fall), jump: or(flow.jump, and(flow.fall, f.jump)) };
    }
    return flow;
  }
}

/**
 * Names both branches of an `if` bind to different constants (`threshold = 3000` / `elif ...:
 * threshold = 4000`): cases of the two (return-cases.ts), the then-branch's under the condition,
 * an elif chain's cases nested in the else-branch's. Past `maxCases` cases a name is left to the merge.
 */
function constantsChosen(c: PredicateNode, thenScope: Scope, elseScope: Scope): Map<string, Binding> {
  const out = new Map<string, Binding>();
  const constantCases = (b: Binding | undefined) =>
    b?.kind === 'const' && b.value.kind === 'scalar'
      ? [{ cond: true as Cond, binding: b }]
      : b?.kind === 'cases' && b.cases.every((x) => x.binding.kind === 'const')
        ? b.cases
        : undefined;
  for (const [name, a] of thenScope) {
    const b = elseScope.get(name);
    if (a === b || sameBinding(a, b)) continue;
    const [x, y] = [constantCases(a), constantCases(b)];
    if (!x || !y || x.length + y.length > maxCases) continue;
    const cases = [...x.map((k) => ({ ...k, cond: and(c, k.cond) })), ...y.map((k) => ({ ...k, cond: and(not(c), k.cond) }))];
    out.set(name, { kind: 'cases', cases });
  }
  return out;
}

/** Several refs read as one (the fields of a UDM name under several log types). */
function unionRef(refs: FieldRef[]): FieldRef {
  return joinRefs(refs, false) ?? { fields: [...new Set(refs.flatMap((r) => r.fields))], lowered: false };
}

/** How a statement or block ends; see `block`. */
export interface Flow {
  ret: Cond;
  fall: Cond;
  jump: Cond;
}

/** A statement that always runs on to the next one. */
const runOn: Flow = { ret: false, fall: true, jump: false };

/** The name a parameter binds: `event`, `event: PantherEvent`, `x=1`; none for `*args`. */
export function parameterName(p: Node): Node | undefined {
  if (p.type === 'identifier') return p;
  if (p.type === 'default_parameter' || p.type === 'typed_default_parameter') return field(p, 'name');
  if (p.type === 'typed_parameter') {
    const inner = named(p)[0];
    return inner?.type === 'identifier' ? inner : undefined;
  }
  return undefined;
}

function hasPredicate(c: PredicateNode): boolean {
  switch (c.kind) {
    case 'pred':
      return true;
    case 'not':
    case 'some':
      return hasPredicate(c.child);
    case 'and':
    case 'or':
      return c.children.some(hasPredicate);
    case 'other':
      return false;
  }
}

/** Expressions read once per case of a name they read (return-cases.ts); the others pass it down to their parts. */
const expandedTypes = new Set(['comparison_operator', 'call', 'identifier', 'attribute', 'subscript']);

function isConditionLike(n: Node): boolean {
  return ['comparison_operator', 'boolean_operator', 'not_operator', 'true', 'false', 'call', 'conditional_expression'].includes(n.type);
}

/** A `break` of this loop's body (a nested loop's own included: read conservatively). */
function containsBreak(n: Node): boolean {
  if (n.type === 'break_statement') return true;
  if (n.type === 'function_definition' || n.type === 'lambda') return false;
  return named(n).some(containsBreak);
}

function containsReturn(n: Node): boolean {
  if (n.type === 'return_statement') return true;
  if (n.type === 'function_definition' || n.type === 'lambda') return false;
  return named(n).some(containsReturn);
}

/** Assignment targets: names get the binding; tuple targets and the rest become unknown. */
/** A name the statement changes in place no longer holds what it was bound to (mutations.ts); the event stays the event. */
function forgetMutated(stmt: Node, scope: Scope): void {
  for (const name of mutatedNames(stmt)) if (scope.get(name.text)?.kind !== 'event') scope.set(name.text, { kind: 'unknown' });
}

function bindTarget(target: Node, binding: Binding, scope: Scope): void {
  if (target.type === 'identifier') {
    scope.set(target.text, binding);
    return;
  }
  if (['pattern_list', 'tuple_pattern', 'list_pattern', 'tuple', 'list', 'parenthesized_expression'].includes(target.type)) {
    const targets = named(target);
    // A row of known elements, as many as the names (constant-rows.ts): each name its element.
    const row = binding.kind === 'items' && binding.items.length === targets.length ? binding.items : undefined;
    targets.forEach((t, i) => bindTarget(t, row?.[i] ?? { kind: 'unknown' }, scope));
  }
}

/** How many plain names a `for a, b in ...` target unpacks into; undefined for one name or a nested pattern. */
function unpackedWidth(target: Node): number | undefined {
  if (!['pattern_list', 'tuple_pattern', 'list_pattern'].includes(target.type)) return undefined;
  const targets = named(target);
  return targets.length > 1 && targets.every((t) => t.type === 'identifier') ? targets.length : undefined;
}

const constScalar = (value: Scalar): Binding => ({ kind: 'const', value: { kind: 'scalar', value } });

/** Two refs reading the same value of the same fields (the piece, trim, conversion and element too), parsed or not. */
function sameReading(a: FieldRef, b: FieldRef): boolean {
  const parts = (r: FieldRef) =>
    [r.fields, r.lowered, r.after, r.alsoAfter, r.at, r.trimmed, r.converted, r.item, r.logTypes, r.shlexed, r.decoded].map((x) =>
      JSON.stringify(x),
    );
  const [x, y] = [parts(a), parts(b)];
  return x.every((v, i) => v === y[i]);
}

const isEmptyText = (v: ConstValue | undefined): boolean => v?.kind === 'scalar' && v.value === '';

function sameBinding(a: Binding | undefined, b: Binding | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.kind !== b.kind) return false;
  if (a.kind === 'field' && b.kind === 'field')
    return (
      a.ref.fields.join('\0') === b.ref.fields.join('\0') &&
      a.ref.lowered === b.ref.lowered &&
      !a.ref.json === !b.ref.json &&
      JSON.stringify(a.ref.trimmed) === JSON.stringify(b.ref.trimmed) &&
      JSON.stringify(a.ref.shlexed) === JSON.stringify(b.ref.shlexed) &&
      JSON.stringify(a.ref.decoded) === JSON.stringify(b.ref.decoded)
    );
  return false;
}

/**
 * A field in one branch and the same field parsed (`json.loads`) in another is the field parsed
 * where it is a JSON text. `if not isinstance(x, list): x = [x]` leaves x a field in one branch and a one-element list of it
 * in the other: either way a loop over x reads the field's value or its elements, which is how a
 * field is read (any element). Some branch must keep the field itself.
 */
function listWrapped(values: (Binding | undefined)[]): Binding | undefined {
  const unwrapped = values.map((v) => (v?.kind === 'items' && v.items.length === 1 && v.items[0]!.kind === 'field' ? v.items[0] : v));
  const field = values.find((v) => v?.kind === 'field');
  if (!field || field.kind !== 'field') return undefined;
  const plain = (v: Binding | undefined): Binding | undefined =>
    v?.kind === 'field' ? { kind: 'field', ref: { ...v.ref, json: false } } : v;
  if (!unwrapped.every((v) => sameBinding(plain(v), plain(field)))) return undefined;
  // `if isinstance(x, str): x = json.loads(x)`: the field, parsed where it is a JSON text.
  const json = unwrapped.some((v) => v?.kind === 'field' && v.ref.json);
  return json ? { kind: 'field', ref: { ...field.ref, json: true } } : field;
}

/**
 * After branches: a name keeps a binding that every branch running on agrees on (the original
 * counts as a branch when one is missing); otherwise it becomes unknown.
 */
function mergeScopes(scope: Scope, branches: (Scope | undefined)[]): void {
  const live = branches.filter((b): b is Scope => b !== undefined);
  if (live.length === 0) return;
  const names = new Set<string>();
  for (const b of live) for (const [k, v] of b) if (scope.get(k) !== v) names.add(k);
  for (const name of names) {
    const values = live.map((b) => b.get(name));
    const first = values[0];
    if (first && values.every((v) => sameBinding(v, first))) scope.set(name, first);
    else scope.set(name, listWrapped(values) ?? { kind: 'unknown' });
  }
}

/**
 * A field read as a collection's elements: its values read whole (not a conversion, one element, a
 * data-model method; a guarded value only where the caller's tests carry the guard: `guarded`).
 */
/** The value is no longer the field's text, but its words or its decoded text (shlex-split.ts, base64-decoded.ts). */
const recast = (ref: FieldRef): boolean => ref.shlexed !== undefined || ref.decoded !== undefined;

function wholeValues(ref: FieldRef | undefined, guarded = false): FieldRef | undefined {
  return ref &&
    (guarded || !ref.guards) &&
    !ref.converted &&
    ref.item === undefined &&
    !recast(ref) &&
    !ref.fields.some((f) => f.startsWith('udm:'))
    ? ref
    : undefined;
}
