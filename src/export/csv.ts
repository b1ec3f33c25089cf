// CSV export: RFC 4180 quoting plus a guard against spreadsheet formula injection.
import type { Rule } from '../model/types.js';

const csvColumns = [
  'id',
  'nativeId',
  'platform',
  'language',
  'name',
  'severity',
  'type',
  'status',
  'path',
  'tactics',
  'techniques',
  'events',
  'created',
  'updated',
] as const;

/**
 * One cell: a leading `=`, `+`, `-`, `@`, tab or CR would make a spreadsheet evaluate the cell,
 * so it gets a `'` first; then RFC 4180 quoting when the text holds a comma, quote or line break.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

function row(rule: Rule): string[] {
  return [
    rule.id,
    rule.nativeId,
    rule.platform,
    rule.language,
    rule.name,
    rule.severity,
    rule.type,
    rule.status,
    rule.path,
    rule.attack.tactics.map((t) => t.id).join(';'),
    rule.attack.techniques.map((t) => t.id).join(';'),
    rule.events.map((e) => `${e.provider}/${e.event}`).join(';'),
    rule.created ?? '',
    rule.updated ?? '',
  ];
}

const line = (cells: readonly string[]) => `${cells.map(csvCell).join(',')}\r\n`;

/** The header line, CRLF-terminated (RFC 4180 line breaks). */
export function csvHeader(): string {
  return line(csvColumns);
}

/** One rule's line, CRLF-terminated. */
export function csvRow(rule: Rule): string {
  return line(row(rule));
}
