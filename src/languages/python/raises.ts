// A `try` whose body raises in one known way only: `ip_address(v)` raising ValueError where v is
// no address (`try: if ip_address(f).is_private: return False` / `except ValueError: pass`). The
// handler then runs exactly where v is no address, which is a test on the field (nativeOp
// `ipaddress.is_address`), so the statement reads as `if raised: <handler> else: <body>` instead of
// keeping the handler under an `other` node. Anything else in the body that could raise what the
// handler catches (another call) leaves the `try` to the general reading (conditions.ts).
import type { Node } from 'web-tree-sitter';
import { inCidr } from '../../evaluate/match.js';
import type { PredicateNode } from '../../model/types.js';
import type { FieldRef } from './conditions.js';
import { type IpReader, ipValueOf } from './ip-address.js';
import { refPredicates } from './log-types.js';
import { field, named, unwrap } from './values.js';

/** The nativeOp of "the value is one `ipaddress.ip_address()` accepts" (a `cidr` predicate, evaluate.ts). */
export const isAddressOp = 'ipaddress.is_address';

/** Names that catch a ValueError: the class itself and its bases. */
const catchesValueError = new Set(['ValueError', 'Exception', 'BaseException']);

/** Calls that raise nothing a handler of ValueError catches, met beside the constructor. */
const harmlessCalls = new Set(['hasattr']);

/** A `try` read as a choice on whether its body raised. */
export interface KnownRaise {
  /** Where the body does not raise: the value is an address. */
  valid: PredicateNode;
  /** What the constructor reads (`v` of `ip_address(v)`). */
  argument: Node;
  /** The body's statements and the handler's. */
  body: Node[];
  handler: Node[];
}

/** Names that catch an IndexError: the class itself and its bases. */
const catchesIndexError = new Set(['IndexError', 'LookupError', 'Exception', 'BaseException']);

/** Whether an `except` clause catches an exception one of `names` catches: bare, `X`, `(X, Y) as e`. */
function catchesAny(clause: Node, names: ReadonlySet<string>): boolean {
  const value = field(clause, 'value');
  if (!value) return true;
  const caught = value.type === 'as_pattern' ? named(value)[0] : value;
  if (!caught) return false;
  const listed = caught.type === 'tuple' || caught.type === 'parenthesized_expression' ? named(caught) : [caught];
  return listed.some((n) => names.has(n.text));
}

/** Whether an `except` clause catches a ValueError: bare, `ValueError`, `(ValueError, X) as e`, `Exception`. */
export const catches = (clause: Node): boolean => catchesAny(clause, catchesValueError);

/**
 * `x = f[0]` statements opening the body, read before the constructor: the names they bind, each
 * to the element it reads. Only where the handler also catches the IndexError a short list raises.
 */
function itemReads(body: Node[], handler: Node, reader: IpReader): { assigned: Map<string, Node>; count: number } {
  const assigned = new Map<string, Node>();
  let count = 0;
  for (const st of body) {
    const expr = st.type === 'expression_statement' ? named(st)[0] : undefined;
    const left = expr?.type === 'assignment' ? field(expr, 'left') : undefined;
    const right = expr?.type === 'assignment' ? field(expr, 'right') : undefined;
    if (left?.type !== 'identifier' || unwrap(right ?? left).type !== 'subscript' || reader.fieldOf(right!)?.item === undefined) break;
    assigned.set(left.text, right!);
    count++;
  }
  return count > 0 && !catchesAny(handler, catchesIndexError) ? { assigned: new Map(), count: 0 } : { assigned, count };
}

/** The expression a statement evaluates before anything else can happen, when it is one of a few plain forms. */
export function firstEvaluated(stmt: Node): Node | undefined {
  if (stmt.type === 'expression_statement') {
    const expr = named(stmt)[0];
    if (expr?.type === 'assignment') return field(expr, 'right');
    return expr;
  }
  if (stmt.type !== 'if_statement') return undefined;
  let c = field(stmt, 'condition');
  while (c && (c.type === 'not_operator' || c.type === 'parenthesized_expression'))
    c = c.type === 'not_operator' ? field(c, 'argument') : named(c)[0];
  // `ip_address(f).is_private`: the call runs first.
  return c && unwrap(c).type === 'attribute' ? field(unwrap(c), 'object') : c;
}

function positional(call: Node): Node[] {
  const args = field(call, 'arguments');
  return args ? named(args).filter((a) => a.type !== 'keyword_argument') : [];
}

/** A field read without a parse or conversion (`json.loads(f)`, `int(f)` raise ValueError). */
export const plainRead = (ref: FieldRef | undefined): boolean => ref !== undefined && !ref.json && !ref.converted;

export function calls(n: Node, out: Node[]): Node[] {
  if (n.type === 'call') out.push(n);
  for (const c of named(n)) calls(c, out);
  return out;
}

/**
 * `try` whose first statement calls `ip_address(v)` of a field first and whose body makes no other
 * call, with a handler of ValueError (the first that catches one) and no `else` / `finally`.
 */
export function knownRaise(s: Node, reader: IpReader): KnownRaise | undefined {
  const block = field(s, 'body');
  const clauses = named(s).filter((c) => c.type.endsWith('_clause'));
  if (!block || clauses.some((c) => c.type !== 'except_clause')) return undefined;
  const handler = clauses.find(catches);
  const handlerBlock = handler && named(handler).find((c) => c.type === 'block');
  const body = named(block);
  if (!handler || !handlerBlock) return undefined;
  const items = itemReads(body, handler, reader);
  // A name the opening `x = f[0]` bound reads that element.
  const inBody: IpReader = {
    ...reader,
    fieldOf: (n) => reader.fieldOf(n.type === 'identifier' ? (items.assigned.get(n.text) ?? n) : n),
  };
  const opening = body[items.count];
  const first = opening && firstEvaluated(opening);
  const call = first && unwrap(first);
  if (call?.type !== 'call') return undefined;
  const value = ipValueOf(call, inBody);
  // `ip_address(int(f))`: the conversion raises ValueError of its own.
  if (value?.kind !== 'address' || !('ref' in value) || value.ref.converted) return undefined;
  // Reading a field (`event.get(k)`) raises no ValueError; anything else might.
  const others = body.flatMap((st) => calls(st, [])).filter((c) => c.id !== call.id && !plainRead(reader.fieldOf(c)));
  if (others.some((c) => !harmlessCalls.has(field(c, 'function')?.text ?? ''))) return undefined;
  const valid = refPredicates(value.ref, 'cidr', ['0.0.0.0/0', '::/0'], {
    negated: false,
    caseSensitive: false,
    nativeOp: isAddressOp,
    text: call.text,
    ...(value.ref.json ? { transform: 'json' } : {}),
  });
  return { valid, argument: unwrap(positional(call)[0]!), body, handler: named(handlerBlock) };
}

const ipv4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/**
 * Whether `ipaddress.ip_address(v)` accepts a value of the event: an IPv4 text (no leading zeros,
 * as Python 3.9.5+ reads it), an IPv6 text (a zone `%eth0` allowed), an int in range (a bool is an
 * int). Anything else, spaces around the text included, raises ValueError.
 */
export function isAddressValue(v: unknown): boolean {
  if (typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 && v < 2 ** 128;
  if (typeof v !== 'string') return false;
  if (ipv4.test(v)) return true;
  if (!v.includes(':')) return false;
  const percent = v.indexOf('%');
  const address = percent < 0 ? v : v.slice(0, percent);
  if (percent >= 0 && (percent === v.length - 1 || v.slice(percent + 1).includes('/'))) return false;
  return inCidr(address, '::/0') !== undefined;
}
