// `ruleatlas test`'s human output: per rule and per platform, the model's disagreement classes, and
// the Sigma rules that fire on another rule's regression sample.
import type { CrossFires } from '../../evaluate/cross-fires.js';
import type { TestOutcome, TestSummary } from '../../evaluate/run-tests.js';
import { table } from '../output.js';

export function humanReport(outcomes: readonly TestOutcome[], summary: TestSummary): string {
  const byRule = new Map<string, { name: string; passed: number; failed: number; unknown: number }>();
  for (const o of outcomes) {
    const id = o.rule?.id ?? `${o.test.platform}:${o.test.ruleId}`;
    const row = byRule.get(id) ?? { name: o.rule?.name ?? '(no such rule)', passed: 0, failed: 0, unknown: 0 };
    row[o.result]++;
    byRule.set(id, row);
  }
  const lines = [
    table([['rule', 'name', 'passed', 'failed', 'unknown'], ...[...byRule].map(([id, r]) => [id, r.name, r.passed, r.failed, r.unknown])]),
    '',
    table([
      ['platform', 'tests', 'passed', 'failed', 'unknown', 'model agreed'],
      ...Object.entries(summary.platforms).map(([p, c]) => [
        p,
        c.total,
        c.passed,
        c.failed,
        c.unknown,
        `${c.model.agreed}/${c.model.total}`,
      ]),
    ]),
    '',
    `${summary.total} tests: ${summary.passed} passed, ${summary.failed} failed, ${summary.unknown} unknown`,
  ];
  for (const o of outcomes)
    if (o.result === 'failed')
      lines.push(
        `FAIL ${o.rule?.id ?? o.test.ruleId} "${o.test.name}": expected ${o.test.expected ? 'yes' : 'no'}, got ${o.got} (${o.reason})`,
      );
  return lines.join('\n');
}

/** The model's disagreements by class, most frequent first, with one example each. */
export function modelReport(summary: TestSummary): string {
  const classes = new Map<string, TestSummary['disagreements']>();
  for (const d of summary.disagreements) {
    const key = `${d.language}: ${d.class}`;
    const list = classes.get(key);
    if (list) list.push(d);
    else classes.set(key, [d]);
  }
  const rows = [...classes].sort((a, b) => b[1].length - a[1].length);
  return [
    '',
    `model agreement: ${Object.entries(summary.languages)
      .map(([l, m]) => `${l} ${m.agreed}/${m.total}`)
      .join(', ')}`,
    table([
      ['count', 'class', 'example'],
      ...rows.map(([key, list]) => {
        const d = list[0]!;
        return [list.length, key, `${d.id} "${d.test}": expected ${d.expected}, model ${d.model}${d.detail ? ` (${d.detail})` : ''}`];
      }),
    ]),
  ].join('\n');
}

/** A few of a predicate's values, for one line. */
const someValues = (values: readonly unknown[]): string => {
  const shown = values.slice(0, 3).map((v) => JSON.stringify(v));
  return values.length > 3 ? `${shown.join(', ')} +${values.length - 3} more` : shown.join(', ');
};

/** The cross-fires: the counts, then each other rule with the samples it fires on and what matched. */
export function crossFiresReport(cross: CrossFires): string {
  const lines = [
    `cross-fires: ${cross.firing} of ${cross.samples} Sigma regression samples also fire other Sigma rules ` +
      `(${cross.pairs.length} pairs, ${cross.rules} distinct rules; ${cross.mayFire} more pairs may fire: unknown)`,
  ];
  const byOther = new Map<string, CrossFires['pairs']>();
  for (const p of cross.pairs) {
    const list = byOther.get(p.other.id);
    if (list) list.push(p);
    else byOther.set(p.other.id, [p]);
  }
  // The rules firing on the most samples first: the broadest rules lead.
  for (const [id, pairs] of [...byOther].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]))) {
    const { name, logsource } = pairs[0]!.other;
    lines.push(
      `  ${id}  ${name} [${logsource || 'no logsource'}] fires on the samples of ${pairs.length} other rule${pairs.length === 1 ? '' : 's'}:`,
    );
    for (const p of pairs) {
      const matched = p.matched.map((m) => `${m.field}${m.op.startsWith('|') ? m.op : ` ${m.op} `}${someValues(m.values)}`).join('; ');
      lines.push(`    ${p.sampleRule.id ?? p.sampleRule.nativeId} ${p.sampleRule.name ?? ''} (${p.sample}, ${p.log}): ${matched}`);
    }
  }
  return lines.join('\n');
}
