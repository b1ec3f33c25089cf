// The shared field vocabulary: ECS-like names, so that an Elastic rule's fields read as they are.

/** Canonical fields that hold a path, and the field that holds its last segment. */
export const nameOfPath: Readonly<Record<string, string>> = {
  'process.executable': 'process.name',
  'process.parent.executable': 'process.parent.name',
  'target.process.executable': 'target.process.name',
  'file.path': 'file.name',
  'dll.path': 'dll.name',
};

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
