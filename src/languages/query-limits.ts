// Bounds checked before a query reaches a parser that cannot bound itself: Kusto's parser takes
// minutes over a megabyte of words and never finishes on tens of thousands of nested brackets.
// A query over a bound gets a diagnostic saying so and is not parsed.
import type { Diagnostic } from '../model/types.js';

/** The largest query (UTF-8 bytes) and deepest bracket nesting a language's parser is given. */
export interface QueryLimits {
  bytes?: number;
  depth?: number;
}

/**
 * Deepest nesting of `(`, `[` and `{`, stopping as soon as it passes `limit`. Brackets inside
 * strings count too: an overestimate, which only matters for a query already near the limit.
 */
export function bracketDepth(query: string, limit = Infinity): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < query.length; i++) {
    const c = query.charCodeAt(i);
    if (c === 40 || c === 91 || c === 123) {
      if (++depth > max && (max = depth) > limit) return max;
    } else if ((c === 41 || c === 93 || c === 125) && depth > 0) depth--;
  }
  return max;
}

/** Why a query is not handed to its parser, or undefined when it is within the limits. */
export function overLimits(query: string, limits: QueryLimits): Diagnostic | undefined {
  // A UTF-8 byte is at most one UTF-16 unit, at most three: the exact count only near the limit.
  const bytes = limits.bytes === undefined || query.length * 3 <= limits.bytes ? query.length : Buffer.byteLength(query);
  if (limits.bytes !== undefined && bytes > limits.bytes) {
    return { message: `query too large to analyse (${bytes} bytes; limit ${limits.bytes})`, severity: 'error', scope: 'query' };
  }
  if (limits.depth !== undefined && bracketDepth(query, limits.depth) > limits.depth) {
    return {
      message: `query too deeply nested to analyse (brackets nested over ${limits.depth} deep; limit ${limits.depth})`,
      severity: 'error',
      scope: 'query',
    };
  }
  return undefined;
}
