// Large hostile rule files, written at test time rather than kept in the repository: each is a
// valid rule file whose size would expose work that grows faster than the file.

/** A Sigma rule whose one selection lists `count` values (hash lists of this kind exist). */
export function sigmaValueList(count: number): string {
  const values = Array.from({ length: count }, (_, i) => `      - ${i.toString(16).padStart(32, '0')}`);
  return [
    'title: Many hashes',
    'id: 0b4a0f4e-3c1d-4f57-9b63-6d3b8a2b9f01',
    'logsource:',
    '  product: windows',
    '  category: process_creation',
    'detection:',
    '  selection:',
    '    Hashes|contains:',
    ...values,
    '  condition: selection',
    'level: high',
    '',
  ].join('\n');
}

/**
 * A KQL write-up of `count` queries, each under its own heading, or (`headings` false) all under
 * one `**Platform:**` line at the top, which every block then looks back to.
 */
export function markdownBlocks(count: number, headings = true): string {
  const out = headings
    ? ['# Many queries', '', '**Description:** one write-up, many hunting queries.', '']
    : ['**Platform:** Sentinel', '', '**Description:** one write-up, many hunting queries.', ''];
  for (let i = 0; i < count; i++) {
    if (headings) out.push(`## Query ${i}`, '');
    out.push(`Looks for event ${i}.`, '', '```kql', `SecurityEvent`, `| where EventID == ${i}`, '```', '');
  }
  return out.join('\n');
}

/** A .yaral file of `count` rules. */
export function yaralRules(count: number): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    out.push(
      `rule many_rules_${i} {`,
      '  meta:',
      `    author = "Fault corpus"`,
      `    description = "Rule ${i} of many"`,
      '  events:',
      `    $e.metadata.product_event_type = "event_${i}"`,
      '  condition:',
      '    $e',
      '}',
      '',
    );
  }
  return out.join('\n');
}
