// Normalisers shared by every format, so that facets line up across platforms.

const severities: Record<string, string> = {
  info: 'informational',
  informational: 'informational',
  low: 'low',
  medium: 'medium',
  moderate: 'medium',
  high: 'high',
  critical: 'critical',
};

export function normaliseSeverity(raw: string | undefined): string {
  if (!raw) return 'unknown';
  return severities[raw.trim().toLowerCase()] ?? raw.trim().toLowerCase();
}

/** `2022/03/22`, `2022-03-22T10:00:00Z` → `2022-03-22`; anything else kept as written. */
export function normaliseDate(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const m = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})/.exec(raw.trim());
  if (!m) return raw.trim();
  return `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
}

/** Sentinel wraps many descriptions in single quotes inside a block scalar. */
export function cleanDescription(raw: string | undefined): string {
  if (!raw) return '';
  let text = raw.trim();
  if (text.length >= 2 && text.startsWith("'") && text.endsWith("'")) text = text.slice(1, -1).trim();
  return text;
}
