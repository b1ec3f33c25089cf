import { writeFileSync } from 'node:fs';
import { type ExploreQuery, facetNames } from '../../explore/explore.js';
import { exportFormats, exportRules, isExportFormat } from '../../export/export.js';
import { searchError } from '../../explore/search.js';
import { CatalogStore } from '../../store/read.js';
import { type Command, type CommandOptions, parseOptions, UsageError } from '../command.js';

const repeatable = { type: 'string', multiple: true } as const;

const options = {
  db: { type: 'string' },
  format: { type: 'string' },
  q: { type: 'string' },
  since: { type: 'string' },
  duplicates: { type: 'boolean' },
  removed: { type: 'boolean' },
  'base-url': { type: 'string' },
  output: { type: 'string', short: 'o' },
  platform: repeatable,
  language: repeatable,
  severity: repeatable,
  tactic: repeatable,
  technique: repeatable,
  provider: repeatable,
  event: repeatable,
  source: repeatable,
  author: repeatable,
  cve: repeatable,
  story: repeatable,
  tests: repeatable,
  testresult: repeatable,
} as const satisfies CommandOptions;

export const exportCommand: Command = {
  name: 'export',
  options,
  summary: 'export the rules matching a search as JSON, CSV or an ATT&CK Navigator layer',
  help: `Usage: ruleatlas export --db FILE --format json|csv|navigator [filters] [--output FILE]

Exports every rule matching the filters (as Explore would list them, all pages).

Options:
  --db FILE          the catalog
  --format F         json (rules as \`show --json\`), csv (one row per rule),
                     navigator (ATT&CK Navigator layer 4.5, score = rules per technique)
  --q TEXT           search, as Explore reads it: words, "phrases", OR, NOT / -word,
                     ( ), and field:value (author, platform, tactic, technique, tag, field ...)
  --platform P       repeatable; also --language, --severity, --tactic (TA id),
                     --technique (T id), --provider, --event (provider/event), --source (source name),
                     --author (an author as the rules write it),
                     --cve (CVE-YYYY-NNNN), --story (a Splunk analytic story's name), --tests (yes, no: has stored tests),
                     --testresult (pass, fail, unknown: its stored tests)
  --since YYYY-MM-DD only rules changed or updated since
  --duplicates       include older copies of repeated rules
  --removed          include rules removed upstream
  --base-url URL     absolute rule links in the Navigator layer
  -o, --output FILE  write there instead of stdout`,
  async run(argv, io) {
    const { values } = parseOptions(argv, options);
    if (values.help) return (io.out(this.help), 0);
    if (!values.db) throw new UsageError('--db FILE is required');
    const format = values.format ?? '';
    if (!isExportFormat(format)) throw new UsageError(`--format must be one of ${exportFormats.join(', ')}`);
    if (values.since !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.since)) throw new UsageError('--since must be YYYY-MM-DD');
    const filters: ExploreQuery['filters'] = {};
    for (const facet of facetNames) {
      const given = values[facet]?.filter((v) => v !== '');
      if (given?.length) filters[facet] = given;
    }
    const query: ExploreQuery = {
      q: values.q ?? '',
      filters,
      sort: 'name',
      page: 1,
      pageSize: 1,
      duplicates: values.duplicates ?? false,
      removed: values.removed ?? false,
      since: values.since,
    };
    const store = CatalogStore.open(values.db);
    try {
      const error = searchError(store, query.q);
      if (error) throw new UsageError(`--q: ${error}`);
      const result = exportRules(store, query, format, { baseUrl: values['base-url'] });
      if (values.output) writeFileSync(values.output, result.body);
      else io.out(result.body);
      return 0;
    } finally {
      store.close();
    }
  },
};
