import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AttackCatalog } from '../../attack/catalog.js';
import { locateAttackBundle } from '../../attack/locate.js';
import { readRuleFile } from '../../catalog/read-file.js';
import type { Rule } from '../../model/types.js';
import { prepareLanguages } from '../../languages/registry.js';
import { providerName } from '../../providers/registry.js';
import { type Command, type CommandOptions, parseOptions, UsageError } from '../command.js';
import { fileLevelJson } from '../../model/rule-json.js';
import { json, type Output } from '../output.js';

function describe(rule: Rule): string {
  const lines = [`${rule.name}  [${rule.platform} / ${rule.language}]  ${rule.id}`];
  if (rule.events.length) lines.push(`  events: ${rule.events.map((e) => `${providerName(e.provider)} ${e.event}`).join(', ')}`);
  for (const t of rule.attack.techniques) lines.push(`  attack: ${t.id} ${t.name} (${t.tactics.join(', ')})`);
  lines.push(`  stages: ${rule.stages.map((s) => s.kind).join(' → ') || '(none)'}`);
  for (const i of rule.indicators) lines.push(`  indicator: ${i.negated ? 'not ' : ''}${i.field} ${i.op} ${i.value}`);
  if (rule.outputFields.length) lines.push(`  outputs: ${rule.outputFields.map((o) => o.field).join(', ')}`);
  for (const d of rule.diagnostics) lines.push(`  ${d.severity}: ${d.message}${d.line ? ` (line ${d.line}, column ${d.column})` : ''}`);
  return lines.join('\n');
}

const options = { json: { type: 'boolean' }, attack: { type: 'string' } } as const satisfies CommandOptions;

export const analyzeCommand: Command = {
  name: 'analyze',
  options,
  summary: 'analyse one rule file and print its rules',
  help: `Usage: ruleatlas analyze FILE [--attack FILE] [--json]

Reads one rule file, parses its query and prints what it watches: stages,
indicators, events, output fields, ATT&CK coverage and diagnostics.
Corpus-level fields (corpus counts, same-action links) need a catalog: see \`show\`.

Options:
  --attack FILE  ATT&CK enterprise bundle (default: found in an ancestor folder's attack/)
  --json         print a JSON array of rules`,
  async run(argv, io: Output) {
    const { values, positionals } = parseOptions(argv, options, true);
    if (values.help) return (io.out(this.help), 0);
    const file = positionals[0];
    if (!file || positionals.length > 1) throw new UsageError('give exactly one FILE');
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      io.err(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
      return 1;
    }
    await prepareLanguages();
    const attack = AttackCatalog.loadIfPresent(values.attack ?? locateAttackBundle([dirname(file)]));
    const readRelated = (relativePath: string) => {
      try {
        return readFileSync(join(dirname(file), relativePath), 'utf8');
      } catch {
        return undefined;
      }
    };
    const outcome = readRuleFile({ path: file, text, readRelated }, { attack, sourceName: dirname(file) });
    if (outcome.kind !== 'rules') {
      const problem = outcome.kind === 'error' ? outcome.error : outcome.skipped;
      io.err(`${problem.path}: ${problem.reason}`);
      return 1;
    }
    io.out(values.json ? json(outcome.rules.map(fileLevelJson)) : outcome.rules.map(describe).join('\n\n'));
    return 0;
  },
};
