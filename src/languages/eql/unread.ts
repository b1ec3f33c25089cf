import { constructOf } from '../../model/diagnostics.js';

/** An EQL condition kept as text: a process relationship (`descendant of [..]`) or what `constructOf` names. */
export function eqlConstruct(text: string): string | undefined {
  const relationship = /^(descendant|child|event)\s+of\b/i.exec(text);
  return relationship ? `\`${relationship[1]!.toLowerCase()} of\`` : constructOf(text);
}
