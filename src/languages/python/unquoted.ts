// `urllib.parse.unquote(f or "")`: a field's text with its %-escapes decoded, as a request URI is
// read before looking for a path in it (`"/token" in unquote(uri).lower()`). Tests on it carry
// transform `unquote`, and the evaluator decodes the field's text as Python does before testing.
// `unquote(None)` raises TypeError, so the field is read only where the code makes a missing or
// empty value "" (`f or ""`): the evaluator reads any falsy value as "" and any other value that is
// not a text as a raise (not evaluated). A text lowered before it is decoded (`unquote(f.lower())`)
// would keep the case of the characters its escapes give: not read. A field guarded by a condition
// (guards.ts) reads, where the condition fails, as the empty text does.
import type { Node } from 'web-tree-sitter';
import type { FieldRef } from './conditions.js';
import type { ModuleContext } from './modules.js';
import { field } from './values.js';

/** The predicate transform of a test on a decoded field. */
export const unquotedTransform = 'unquote';
/** The same on a field of a text the code parsed (`json.loads`): the texts on the way are parsed, not the field's own. */
export const jsonUnquotedTransform = 'json|unquote';

/** Whether a call's function is `unquote` of `urllib.parse`, through the module's imports. */
export function isUnquote(fn: Node, mod: ModuleContext, shadowed: (name: string) => boolean): boolean {
  if (fn.type === 'identifier') {
    const imp = mod.imports.get(fn.text);
    return !shadowed(fn.text) && imp?.kind === 'name' && imp.module === 'parse' && imp.name === 'unquote';
  }
  if (fn.type !== 'attribute' || field(fn, 'attribute')?.text !== 'unquote') return false;
  const obj = field(fn, 'object');
  const imp = obj?.type === 'identifier' && !shadowed(obj.text) ? mod.imports.get(obj.text) : undefined;
  return imp?.kind === 'name' && imp.module === 'urllib' && imp.name === 'parse';
}

/** The decoded field, when the field is read whole and a missing or empty value is "" (`f or ""`). */
export function unquotedRef(ref: FieldRef | undefined): FieldRef | undefined {
  if (!ref?.orEmpty || ref.lowered || ref.unquoted || ref.after || ref.at || ref.trimmed || ref.converted) return undefined;
  if (ref.item !== undefined || ref.walked) return undefined;
  return { ...ref, unquoted: true };
}

/** The transform of a test on a decoded field, read through a parsed JSON text or not. */
export function unquotedTransformOf(ref: FieldRef): string {
  return ref.json ? jsonUnquotedTransform : unquotedTransform;
}

const hex = /^[0-9a-fA-F]{2}$/;
const utf8 = new TextDecoder('utf-8');

/**
 * Python's `urllib.parse.unquote(text)` (UTF-8, errors "replace"): each run of ASCII characters has
 * its `%XX` escapes turned to bytes and is decoded as UTF-8, an invalid sequence replaced by U+FFFD;
 * a `%` not followed by two hex digits, and characters beyond ASCII, are kept as they are.
 */
export function pyUnquote(text: string): string {
  if (!text.includes('%')) return text;
  let out = '';
  for (const run of text.split(/([\0-\x7f]+)/)) {
    if (run === '' || run.charCodeAt(0) > 0x7f) {
      out += run;
      continue;
    }
    const bytes: number[] = [];
    for (let i = 0; i < run.length; i++) {
      const escape = run[i] === '%' ? run.slice(i + 1, i + 3) : '';
      if (hex.test(escape)) {
        bytes.push(parseInt(escape, 16));
        i += 2;
      } else bytes.push(run.charCodeAt(i));
    }
    out += utf8.decode(new Uint8Array(bytes));
  }
  return out;
}
