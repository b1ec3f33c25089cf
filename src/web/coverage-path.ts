/** A percent-encoded path segment; undefined when empty or malformed. */
export function decodePathPart(encoded: string): string | undefined {
  if (!encoded || encoded.includes('/')) return undefined;
  try {
    return decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
}
