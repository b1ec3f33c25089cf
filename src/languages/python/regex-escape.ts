// A rule's text written into a regular expression we build (split pieces, stripped fields): every
// character that means something there escaped, so the text matches only itself.

/** `s` as a literal in a regular expression. */
export const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `s` as the members of a character class (`[...]`). */
export const escapeInClass = (s: string) => s.replace(/[\]\\^-]/g, '\\$&');
