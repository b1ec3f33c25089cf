import { realpathSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { AttackCatalog } from '../../attack/catalog.js';
import { locateAttackBundle } from '../../attack/locate.js';
import { analyseTask } from '../../catalog/analyse-files.js';
import { isInside, readError } from '../../catalog/source-file.js';
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
  for (const i of rule.indicators) {
    // Groups by id and branch (any: "one of"; notAll: excluded together), outermost first.
    const place = i.groups
      ?.map(
        (g) =>
          `${g.kind === 'any' ? 'one of' : 'excluded together'} #${g.id + 1}, ${g.kind === 'any' ? 'branch' : 'member'} ${g.branch + 1}`,
      )
      .join(' › ');
    lines.push(
      `  indicator: ${i.negated ? 'not ' : ''}${i.field} ${i.op} ${i.value}${i.role ? `  (${i.role}${place ? `; ${place}` : ''})` : ''}`,
    );
  }
  if (rule.outputFields.length) lines.push(`  outputs: ${rule.outputFields.map((o) => o.field).join(', ')}`);
  for (const d of rule.diagnostics) lines.push(`  ${d.severity}: ${d.message}${d.line ? ` (line ${d.line}, column ${d.column})` : ''}`);
  return lines.join('\n');
}

const options = { json: { type: 'boolean' }, attack: { type: 'string' }, root: { type: 'string' } } as const satisfies CommandOptions;

export const analyzeCommand: Command = {
  name: 'analyze',
  options,
  summary: 'analyse one rule file and print its rules',
  help: `Usage: ruleatlas analyze FILE [--root DIR] [--attack FILE] [--json]

Reads one rule file, parses its query and prints what it watches: stages,
indicators, events, output fields, ATT&CK coverage and diagnostics.
Corpus-level fields (corpus counts, same-action links) need a catalog: see \`show\`.
Files the rule names (a Panther rule's Python file, its data models) are read only
inside its folder, as a build reads them only inside the source, links resolved.

Options:
  --root DIR     the source folder FILE belongs to: files it names are read inside it
                 (default: FILE's own folder)
  --attack FILE  ATT&CK enterprise bundle (default: found in an ancestor folder's attack/)
  --json         print a JSON array of rules`,
  async run(argv, io: Output) {
    const { values, positionals } = parseOptions(argv, options, true);
    if (values.help) return (io.out(this.help), 0);
    const file = positionals[0];
    if (!file || positionals.length > 1) throw new UsageError('give exactly one FILE');
    // The file is read where it really is; what it names, only inside the root (its folder by default).
    let real: string;
    let root: string;
    try {
      real = realpathSync.native(file);
      root = realpathSync.native(values.root ?? dirname(real));
    } catch (err) {
      io.err(`cannot read ${file}: ${readError(err)}`);
      return 1;
    }
    if (!isInside(root, real) || real === root) throw new UsageError(`${file} is not inside --root ${values.root ?? ''}`);
    await prepareLanguages();
    const attack = AttackCatalog.loadIfPresent(values.attack ?? locateAttackBundle([dirname(file)]));
    const task = { root, path: relative(root, real).split(sep).join('/'), sourceName: dirname(resolve(file)) };
    const { outcome } = analyseTask(task, attack);
    if (outcome.kind !== 'rules') {
      const problem = outcome.kind === 'error' ? outcome.error : outcome.skipped;
      io.err(`${file}: ${problem.reason}`);
      return 1;
    }
    if (outcome.problem) io.err(`${file}: read in part: ${outcome.problem.reason}`);
    io.out(values.json ? json(outcome.rules.map(fileLevelJson)) : outcome.rules.map(describe).join('\n\n'));
    return 0;
  },
};
