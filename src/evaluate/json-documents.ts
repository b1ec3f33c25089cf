// Events as files hold them: one JSON value, JSON Lines, or JSON values one after another (evtx
// dumps write each event as its own object). Each top-level value is one event; a top-level array
// is a list of events.

/** The JSON values of a text, in order; throws with the offset of a value that does not parse. */
function jsonDocuments(text: string): unknown[] {
  const out: unknown[] = [];
  let depth = 0;
  let inString = false;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    if (start < 0 && !/\s/.test(c)) start = i;
    if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
    // A value ends where its brackets close, or, for a bare scalar, at the next white space.
    const next = text[i + 1];
    if (start >= 0 && depth === 0 && !inString && (c === '}' || c === ']' || next === undefined || /\s/.test(next))) {
      try {
        out.push(JSON.parse(text.slice(start, i + 1)));
      } catch (err) {
        throw new Error(`the JSON value at offset ${start} does not parse: ${err instanceof Error ? err.message : String(err)}`);
      }
      start = -1;
    }
  }
  if (start >= 0) throw new Error(`the JSON value at offset ${start} is not closed`);
  return out;
}

/** Each event of a text: the values of jsonDocuments, a top-level array's items one by one. */
export function eventsOfText(text: string): unknown[] {
  return jsonDocuments(text).flatMap((v) => (Array.isArray(v) ? (v as unknown[]) : [v]));
}
