// `json.loads(TEXT)` of a constant text: the constant it parses to. Rules parse what a test mocks
// this way (`ALLOWED = json.loads(ALLOWED())` with a returnValue '["company.com"]'), so a mocked
// value is read through it (test-mocks.ts); a module's own constant text is read the same way.
import type { Node } from 'web-tree-sitter';
import type { Scalar } from '../../model/types.js';
import { type ConstValue, field, named } from './values.js';

/** `json.loads(x)` with `x` a constant text (`value` reads it): what the text parses to; undefined for any other call. */
export function jsonLoaded(call: Node, value: (n: Node) => ConstValue | undefined): ConstValue | undefined {
  const fn = field(call, 'function');
  const args = field(call, 'arguments');
  if (fn?.type !== 'attribute' || field(fn, 'object')?.text !== 'json' || field(fn, 'attribute')?.text !== 'loads' || !args)
    return undefined;
  const positional = named(args);
  const text = positional.length === 1 && positional[0]!.type !== 'keyword_argument' ? value(positional[0]!) : undefined;
  return text?.kind === 'scalar' && typeof text.value === 'string' ? jsonConstant(text.value) : undefined;
}

/**
 * `json.loads(text)` of a constant text: the constant it parses to (a dict is its keys with its
 * entries, as a dict literal is), undefined when it does not parse or holds what a constant cannot.
 */
function jsonConstant(text: string): ConstValue | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  return constantOf(parsed, 0);
}

/** Past this depth a parsed JSON value is not read (a bound for hostile input). */
const maxDepth = 8;

function constantOf(value: unknown, depth: number): ConstValue | undefined {
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return { kind: 'scalar', value: value as Scalar };
  if (depth >= maxDepth) return undefined;
  if (Array.isArray(value)) {
    const values = value.filter((v): v is Scalar => v === null || ['string', 'number', 'boolean'].includes(typeof v));
    return { kind: 'collection', values, ...(values.length < value.length ? { partial: true } : {}) };
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return {
      kind: 'collection',
      values: entries.map(([k]) => k),
      entries: entries.map(([k, v]): [Scalar, ConstValue | undefined] => [k, constantOf(v, depth + 1)]),
    };
  }
  return undefined;
}
