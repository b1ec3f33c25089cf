// The shared field vocabulary: ECS-like names, so that an Elastic rule's fields read as they are.

/** Canonical fields that hold a path, and the field that holds its last segment. */
export const nameOfPath: Readonly<Record<string, string>> = {
  'process.executable': 'process.name',
  'process.parent.executable': 'process.parent.name',
  'target.process.executable': 'target.process.name',
  'file.path': 'file.name',
  'dll.path': 'dll.name',
};

/** Fields holding one file name: a KQL `has` (whole term) on them is an equality. */
export const nameFields: ReadonlySet<string> = new Set([...Object.values(nameOfPath), 'process.pe.original_file_name']);

/**
 * A drive or device prefix on a path (`C:`, `?:`, `\device\harddiskvolume?`): which volume a
 * system binary sits on is not the rule's intent, so the rest of the path is compared by its end.
 */
export const volumePrefix = /^(?:[a-z?]:|\\device\\harddiskvolume[?*\d]*)(?=\\)/;

/**
 * A pseudo field for hash lists and hash fields of unknown algorithm (Sigma `Hashes`):
 * the value says which hash it is (`SHA256=...`, or its length).
 */
export const anyHash = 'hash';

/** Hash algorithms by hex length, for values that do not name theirs. */
export const hashByLength: Readonly<Record<number, string>> = { 32: 'hash.md5', 40: 'hash.sha1', 64: 'hash.sha256' };

/** Values that move a canonical indicator to another field: a numeric event action is an event code. */
export const byValue: readonly { field: string; pattern: RegExp; to: string }[] = [
  { field: 'event.action', pattern: /^\d+$/, to: 'event.code' },
];

/**
 * Command lines: a switch reads the same with `-`, `/` or an en dash (Sigma's windash), and Elastic
 * splits arguments into tokens, so `contains` values drop a leading switch character.
 */
export const switchFields: ReadonlySet<string> = new Set(['process.command_line', 'process.parent.command_line']);

/**
 * How much a shared indicator on these fields says about two rules being alike, beside 1 for the
 * rest: event codes and actions mostly select a log (Sysmon 7 is every image load, `ProcessCreated`
 * every process), so they rank neighbours without deciding them.
 */
export const similarityWeight: Readonly<Record<string, number>> = { 'event.code': 0.2, 'event.action': 0.3 };
