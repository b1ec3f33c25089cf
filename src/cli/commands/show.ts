import { CatalogStore } from '../../store/read.js';
import { type Command, type CommandOptions, parseOptions, UsageError } from '../command.js';
import { json } from '../output.js';
import { ruleJson } from '../../model/rule-json.js';

const options = { db: { type: 'string' }, json: { type: 'boolean' }, body: { type: 'boolean' } } as const satisfies CommandOptions;

export const showCommand: Command = {
  name: 'show',
  options,
  summary: 'print the rules matching an id, native id or path',
  help: `Usage: ruleatlas show SELECTOR --db FILE [--json] [--body]

Prints every rule whose id, native id or source-relative path equals SELECTOR,
including every copy of a native id that several files repeat.

Options:
  --db FILE  the catalog
  --json     print a JSON array of rules
  --body     include the raw rule file in JSON`,
  async run(argv, io) {
    const { values, positionals } = parseOptions(argv, options, true);
    if (values.help) return (io.out(this.help), 0);
    const selector = positionals[0];
    if (!selector) throw new UsageError('give a SELECTOR');
    if (!values.db) throw new UsageError('--db FILE is required');
    const store = CatalogStore.open(values.db);
    try {
      const rules = store.select(selector);
      if (values.json) io.out(json(rules.map((r) => ruleJson(values.body ? { ...r, body: store.bodyOf(r) } : r, values.body))));
      else if (!rules.length) io.err(`no rule matches ${selector}`);
      else {
        for (const r of rules) {
          io.out(`${r.name}\n  id: ${r.id}\n  path: ${r.sourceName}/${r.path}\n  ${r.platform} / ${r.language} / ${r.severity}`);
          for (const s of r.sameAction) io.out(`  same action: ${s.name} (${s.platform}) ${s.id}`);
        }
      }
      return rules.length ? 0 : 1;
    } finally {
      store.close();
    }
  },
};
