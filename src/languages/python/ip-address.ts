// Python's `ipaddress` module read as CIDR tests on a field: `ip_address(f).is_private`,
// `ip_network(f).is_global`, `ip_address(f) in ip_network("10.0.0.0/8")`, `hasattr(ip, "is_global")`.
// A property of an address is its membership in the blocks Python's own tables list (CPython 3.13
// `ipaddress`), so it is a `cidr` predicate on the field with those blocks. The constructor is found
// through the module's imports (`from ipaddress import ip_address`, `import ipaddress`), never by
// its name alone. The Python evaluator checks the blocks (`ipInBlock`); a value that is no address
// (where Python raises ValueError) is not evaluated.
import type { Node } from 'web-tree-sitter';
import { inCidr } from '../../evaluate/match.js';
import type { PredicateNode } from '../../model/types.js';
import type { FieldRef } from './conditions.js';
import { refPredicates } from './log-types.js';
import type { ModuleContext } from './modules.js';
import { field, named, unwrap } from './values.js';

/** `ip_address(...)` reads one address; `ip_network(...)` a block, a plain address being a block of one. */
type IpKind = 'address' | 'network';

/** An `ipaddress` object: of a field's value, or of constant texts (a loop variable over them: any one). */
export type IpValue = { kind: IpKind; ref: FieldRef; versioned?: string } | { kind: IpKind; texts: string[] };

/** The constructors that take one version only (`IPv4Address` raises on an IPv6 text). */
const versionedConstructors = new Set(['IPv4Address', 'IPv6Address', 'IPv4Network', 'IPv6Network']);

const constructors = new Map<string, IpKind>([
  ['ip_address', 'address'],
  ['IPv4Address', 'address'],
  ['IPv6Address', 'address'],
  ['ip_network', 'network'],
  ['IPv4Network', 'network'],
  ['IPv6Network', 'network'],
]);

// CPython 3.13 `_IPv4Constants` / `_IPv6Constants`: `is_private` is membership of these networks;
// `is_global` is not `is_private` and (IPv4) not in 100.64.0.0/10. Python also excepts a few anycast
// addresses from `is_private` (192.0.0.9, 192.0.0.10, some of 2001::/23), and its lists differ a
// little between versions: those edges are left out, for one block list per property.
const privateBlocks = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.0.0.170/31',
  '192.0.2.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '240.0.0.0/4',
  '255.255.255.255/32',
  '::1/128',
  '::/128',
  '::ffff:0:0/96',
  '64:ff9b:1::/48',
  '100::/64',
  '2001::/23',
  '2001:db8::/32',
  '2002::/16',
  '3fff::/20',
  'fc00::/7',
  'fe80::/10',
];

/** Each property read as membership of blocks; `is_global` is the negation of its blocks. */
const properties = new Map<string, { blocks: string[]; negated: boolean }>([
  ['is_private', { blocks: privateBlocks, negated: false }],
  ['is_global', { blocks: [...privateBlocks, '100.64.0.0/10'], negated: true }],
  ['is_loopback', { blocks: ['127.0.0.0/8', '::1/128'], negated: false }],
  ['is_link_local', { blocks: ['169.254.0.0/16', 'fe80::/10'], negated: false }],
  ['is_multicast', { blocks: ['224.0.0.0/4', 'ff00::/8'], negated: false }],
  ['is_unspecified', { blocks: ['0.0.0.0/32', '::/128'], negated: false }],
]);

/** Attributes every `ipaddress` address and network has (what `hasattr` of one decides). */
const knownAttributes = new Set([
  ...properties.keys(),
  'is_reserved',
  'is_site_local',
  'version',
  'max_prefixlen',
  'compressed',
  'exploded',
  'packed',
  'reverse_pointer',
]);

/** What the analyser lends: the field an expression reads, constant texts, and a name's IP binding. */
export interface IpReader {
  mod: ModuleContext;
  fieldOf(node: Node): FieldRef | undefined;
  /** The constant texts an expression stands for (a constant, or a loop variable over constants). */
  texts(node: Node): string[] | undefined;
  /** The `ipaddress` object a name holds, if it holds one. */
  bound(name: string): IpValue | undefined;
  /** Whether a name is the module's own or a local (then not the library's). */
  shadowed(name: string): boolean;
}

/** Which `ipaddress` constructor a call's function is, through the module's imports. */
function constructorOf(fn: Node, reader: IpReader): string | undefined {
  if (fn.type === 'identifier') {
    const imp = reader.mod.imports.get(fn.text);
    if (reader.shadowed(fn.text) || imp?.kind !== 'name' || imp.module !== 'ipaddress') return undefined;
    return constructors.has(imp.name) ? imp.name : undefined;
  }
  if (fn.type !== 'attribute') return undefined;
  const obj = field(fn, 'object');
  const imp = obj?.type === 'identifier' && !reader.shadowed(obj.text) ? reader.mod.imports.get(obj.text) : undefined;
  if (imp?.kind !== 'module' || imp.module !== 'ipaddress') return undefined;
  const name = field(fn, 'attribute')?.text ?? '';
  return constructors.has(name) ? name : undefined;
}

/** The `ipaddress` object an expression is: a constructor called on a field or on constant texts, or a name holding one. */
export function ipValueOf(node: Node, reader: IpReader): IpValue | undefined {
  const n = unwrap(node);
  if (n.type === 'identifier') return reader.bound(n.text);
  if (n.type !== 'call') return undefined;
  const fn = field(n, 'function');
  const constructor = fn && constructorOf(fn, reader);
  const kind = constructor && constructors.get(constructor);
  const args = field(n, 'arguments');
  const positional = args ? named(args).filter((a) => a.type !== 'keyword_argument') : [];
  if (!constructor || !kind || positional.length !== 1) return undefined;
  const ref = reader.fieldOf(positional[0]!);
  const versioned = versionedConstructors.has(constructor) ? { versioned: constructor } : {};
  // A piece of a text (`f.split(":")[0]`) is tested by patterns on the field: no block test on it.
  if (ref) return ref.after || ref.at ? undefined : { kind, ref, ...versioned };
  const texts = reader.texts(positional[0]!);
  return texts && texts.length > 0 ? { kind, texts } : undefined;
}

/** `method`: the test is that method of the object (`subnet_of`), named after the constructor in `nativeOp`. */
export function blockPredicate(
  value: { kind: IpKind; ref: FieldRef; versioned?: string },
  blocks: string[],
  text: string,
  negated: boolean,
  method?: string,
): PredicateNode {
  return refPredicates(value.ref, 'cidr', blocks, {
    negated,
    caseSensitive: false,
    nativeOp: `ipaddress.${value.versioned ?? (value.kind === 'network' ? 'ip_network' : 'ip_address')}${method ? `.${method}` : ''}`,
    text,
    ...(value.ref.json ? { transform: 'json' } : {}),
  });
}

/** `ip.is_private`, `ip.is_global`, ... of a field's address: its membership in Python's blocks. */
export function ipProperty(node: Node, reader: IpReader): PredicateNode | undefined {
  const n = unwrap(node);
  if (n.type !== 'attribute') return undefined;
  const obj = field(n, 'object');
  const value = obj && ipValueOf(obj, reader);
  if (!value || !('ref' in value)) return undefined;
  const test = properties.get(field(n, 'attribute')?.text ?? '');
  return test && blockPredicate(value, test.blocks, n.text, test.negated);
}

/** `ip_address(f) in ip_network("10.0.0.0/8")` (or `not in`): the field in that block. */
export function ipMembership(left: Node, op: string, right: Node, text: string, reader: IpReader): PredicateNode | undefined {
  if (op !== 'in' && op !== 'not in') return undefined;
  const member = ipValueOf(left, reader);
  const block = ipValueOf(right, reader);
  if (!member || !('ref' in member) || block?.kind !== 'network' || !('texts' in block)) return undefined;
  return blockPredicate(member, block.texts, text, op === 'not in');
}

/** `hasattr(ip, "is_global")` of an `ipaddress` object: decided for the attributes every one has. */
export function ipHasattr(args: Node[], reader: IpReader): boolean | undefined {
  const [obj, attr] = args;
  if (args.length !== 2 || !obj || !attr || !ipValueOf(obj, reader)) return undefined;
  const names = reader.texts(attr);
  return names?.length === 1 && knownAttributes.has(names[0]!) ? true : undefined;
}

/** The length in bits of a block's prefix (`10.0.0.0/8` → 8; an address alone is all of it). */
function prefixBits(block: string): number {
  const slash = block.indexOf('/');
  return slash < 0 ? (block.includes(':') ? 128 : 32) : Number(block.slice(slash + 1));
}

/**
 * A value of the event against one block, as the `ipaddress` constructor reads it (`nativeOp`):
 * an address is in the block; a network (`ip_network`, which also takes a plain address) lies
 * wholly inside it. A value the constructor would reject is a note: not evaluated.
 */
export function ipInBlock(seen: unknown, block: string, nativeOp: string): boolean | string {
  const network = nativeOp.includes('ip_network') || nativeOp.includes('Network');
  const text = typeof seen === 'string' ? seen.trim() : undefined;
  const slash = text?.indexOf('/') ?? -1;
  if (text === undefined || (slash >= 0 && !network)) return `${nativeOp} of a value that is no address is not evaluated`;
  const address = slash < 0 ? text : text.slice(0, slash);
  const inside = inCidr(address, block);
  if (inside === undefined) return `${nativeOp} of a value that is no address is not evaluated`;
  // `IPv4Address` / `IPv6Network` ... raise on a text of the other version.
  const only = /IPv([46])/.exec(nativeOp)?.[1];
  if (only && inCidr(address, only === '4' ? '0.0.0.0/0' : '::/0') === false)
    return `${nativeOp} of a value of the other version raises: not evaluated`;
  // `subnet_of` of networks of two versions raises TypeError, where a membership test is only false.
  if (nativeOp.endsWith('.subnet_of') && !inside && inCidr(address, block.includes(':') ? '::/0' : '0.0.0.0/0') === false)
    return `${nativeOp} of networks of two versions raises: not evaluated`;
  if (slash < 0) return inside;
  const bits = Number(text.slice(slash + 1));
  if (!Number.isInteger(bits)) return `${nativeOp} of a value that is no network is not evaluated`;
  return inside && bits >= prefixBits(block);
}
