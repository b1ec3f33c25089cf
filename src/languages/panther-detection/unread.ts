import type { Predicate } from '../../model/types.js';

/**
 * A Panther detection item kept as text: a multi-key comparison other than equality, a list
 * condition without a key, an item that is not a mapping. `AlwaysFalse` is read (it never matches).
 */
export function detectionConstruct(text: string, predicate?: Predicate): string | undefined {
  if (predicate) return `\`${predicate.nativeOp}\` between two keys`;
  if (text === 'AlwaysFalse') return undefined;
  const condition = /Condition:\s*"?(\w+)/.exec(text);
  if (condition) return `\`${condition[1]}\` without a key`;
  return 'an item that is not a mapping';
}
