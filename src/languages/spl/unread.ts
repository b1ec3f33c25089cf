import { constructOf } from '../../model/diagnostics.js';

/**
 * An SPL condition kept as text: a macro, a subsearch, a time modifier, or what `constructOf`
 * names. A bare `*` matches every event and is no gap.
 */
export function splConstruct(text: string): string | undefined {
  if (text.trim() === '*') return undefined;
  const macro = /^`([^`(]+)/.exec(text);
  if (macro) return `macro \`${macro[1]!.trim()}\``;
  if (text.startsWith('[')) return 'a subsearch `[...]`';
  const time = /^(earliest|latest)\s*=/i.exec(text);
  if (time) return `time modifier \`${time[1]!.toLowerCase()}=\``;
  return constructOf(text);
}
