// A constant collection of `ipaddress` networks (`OFFICE = [ip_network("10.0.0.0/8"), ...]`, a set or
// tuple, or a module name bound to one) walked by a loop or a generator: the variable is one network
// per pass. The loop is read once per network (at most `maxUnrolled` of them), so `ip in net` of a
// field's address is a block test on each, joined as the loop joins its passes: a negated test
// (`all(ip not in n ...)`) stays exact, where one "any of the blocks" binding would not.
import type { Node } from 'web-tree-sitter';
import { inCidr } from '../../evaluate/match.js';
import type { PredicateNode } from '../../model/types.js';
import { blockPredicate, type IpReader, type IpValue, ipValueOf } from './ip-address.js';
import { field, named, unwrap } from './values.js';

const collectionTypes = new Set(['list', 'set', 'tuple']);

/**
 * The networks a constant collection holds, one `ip_network` value per element, when every element is
 * a constructor called on one constant text and there are at most `limit` of them.
 */
export function ipNetworksOf(node: Node, reader: IpReader, limit: number): IpValue[] | undefined {
  const n = unwrap(node);
  // A module constant read through its name (not a local or a parameter of that name).
  const literal = n.type === 'identifier' ? (reader.shadowed(n.text) ? undefined : reader.mod.constants.literal(n)) : n;
  const collection = literal && unwrap(literal);
  if (!collection || !collectionTypes.has(collection.type)) return undefined;
  const elements = named(collection);
  if (elements.length === 0 || elements.length > limit) return undefined;
  const networks: IpValue[] = [];
  for (const el of elements) {
    // Only constructor calls: a name here could be rebound, and a text is no network.
    if (unwrap(el).type !== 'call') return undefined;
    const value = ipValueOf(el, reader);
    if (value?.kind !== 'network' || !('texts' in value) || value.texts.length !== 1) return undefined;
    networks.push(value);
  }
  return networks;
}

/** The version a block or address text is (`4` or `6`), or undefined for a text no `ipaddress` constructor reads. */
function versionOf(text: string): 4 | 6 | undefined {
  const slash = text.indexOf('/');
  const address = slash < 0 ? text : text.slice(0, slash);
  return inCidr(address, '0.0.0.0/0') ? 4 : inCidr(address, '::/0') ? 6 : undefined;
}

/** All of an address's or network's blocks: what `.version == 4` (or 6) tests of a value of the event. */
const wholeSpace = { 4: '0.0.0.0/0', 6: '::/0' } as const;

/** `x.version` / `net.network_address.version` of an `ipaddress` object: that object. */
function versionOwner(node: Node, reader: IpReader): IpValue | undefined {
  const n = unwrap(node);
  if (n.type !== 'attribute' || field(n, 'attribute')?.text !== 'version') return undefined;
  let obj = field(n, 'object');
  const viaAddress = obj?.type === 'attribute' && field(obj, 'attribute')?.text === 'network_address';
  if (viaAddress) obj = field(obj!, 'object');
  const value = obj && ipValueOf(obj, reader);
  // Only a network has `network_address` (an address raises AttributeError).
  return value && (!viaAddress || value.kind === 'network') ? value : undefined;
}

/** The version a constant side of a comparison is: an `ipaddress` object of constant texts of one version, or the number 4 or 6. */
function constantVersion(node: Node, reader: IpReader): 4 | 6 | undefined {
  const owner = versionOwner(node, reader);
  if (owner && 'texts' in owner) {
    const versions = new Set(owner.texts.map(versionOf));
    const [only] = versions;
    return versions.size === 1 ? only : undefined;
  }
  const n = unwrap(node);
  return n.type === 'integer' && (n.text === '4' || n.text === '6') ? (Number(n.text) as 4 | 6) : undefined;
}

/**
 * `a.version == b.version` (or `!=`, either side a constant version): where one side is an address or
 * network of the event, its membership of all of that version's space. Decided when both are constant.
 */
export function ipVersionCompared(
  left: Node,
  op: string,
  right: Node,
  text: string,
  reader: IpReader,
): PredicateNode | boolean | undefined {
  if (op !== '==' && op !== '!=') return undefined;
  const sides = [
    [left, right],
    [right, left],
  ] as const;
  for (const [mine, other] of sides) {
    const owner = versionOwner(mine, reader);
    const version = constantVersion(other, reader);
    if (!owner || version === undefined) continue;
    if ('ref' in owner) return blockPredicate(owner, [wholeSpace[version]], text, op === '!=');
    const own = constantVersion(mine, reader);
    if (own !== undefined) return (own === version) === (op === '==');
  }
  return undefined;
}

/**
 * `net.subnet_of(BLOCK)` / `BLOCK.supernet_of(net)`, net a network of the event and BLOCK constant: net
 * lies inside BLOCK (one block). Python raises TypeError when the versions differ: the evaluator leaves
 * a value of the other version not evaluated (ipInBlock), where a membership test is false.
 */
export function ipSubnetCall(node: Node, reader: IpReader): PredicateNode | undefined {
  const n = unwrap(node);
  const fn = n.type === 'call' ? field(n, 'function') : undefined;
  const method = fn?.type === 'attribute' ? field(fn, 'attribute')?.text : undefined;
  if (method !== 'subnet_of' && method !== 'supernet_of') return undefined;
  const args = field(n, 'arguments');
  const given = args ? named(args) : [];
  const receiver = field(fn!, 'object');
  if (given.length !== 1 || given[0]!.type === 'keyword_argument' || !receiver) return undefined;
  const [inner, outer] = method === 'subnet_of' ? [receiver, given[0]!] : [given[0]!, receiver];
  const member = ipValueOf(inner, reader);
  const block = ipValueOf(outer, reader);
  if (member?.kind !== 'network' || !('ref' in member) || block?.kind !== 'network' || !('texts' in block) || block.texts.length !== 1)
    return undefined;
  return blockPredicate(member, block.texts, n.text, false, 'subnet_of');
}
