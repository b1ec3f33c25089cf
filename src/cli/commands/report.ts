import { CatalogStore } from '../../store/read.js';
import { type Command, type CommandOptions, parseOptions, UsageError } from '../command.js';
import { json } from '../output.js';
import { summarise } from './build.js';

const options = { db: { type: 'string' }, json: { type: 'boolean' } } as const satisfies CommandOptions;

export const reportCommand: Command = {
  name: 'report',
  options,
  summary: 'print the build report of a catalog',
  help: `Usage: ruleatlas report --db FILE [--json]

Prints rules per platform and language, parse rates, every query that did not
parse with its reason, files that could not be read, and files that are not rules.`,
  async run(argv, io) {
    const { values } = parseOptions(argv, options);
    if (values.help) return (io.out(this.help), 0);
    if (!values.db) throw new UsageError('--db FILE is required');
    const store = CatalogStore.open(values.db);
    try {
      const report = store.report;
      if (values.json) io.out(json(report));
      else {
        io.out(summarise(report));
        for (const f of report.failures) io.out(`  parse failure: ${f.path} (${f.language}): ${f.reason}`);
      }
      return 0;
    } finally {
      store.close();
    }
  },
};
