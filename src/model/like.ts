// SQL and SPL `LIKE` patterns in the model's wildcard syntax, so that every language's `wildcard`
// values mean one thing: `%` any run and `_` any one character become `*` and `?`; a backslash
// escapes the next character; a literal `*`, `?` or backslash is escaped.

/** A LIKE pattern (`%x_y%`) as a `wildcard` value (`*x?y*`). */
export function likeToWildcard(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) {
      const next = pattern[++i]!;
      out += next === '*' || next === '?' || next === '\\' ? `\\${next}` : next;
    } else if (c === '%') out += '*';
    else if (c === '_') out += '?';
    else if (c === '*' || c === '?') out += `\\${c}`;
    else out += c;
  }
  return out;
}
