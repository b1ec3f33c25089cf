import { readFileSync } from 'node:fs';
import { recogniseLog } from '../../evaluate/event-log.js';
import { FireIndex } from '../../evaluate/fire.js';
import { fireMapped } from '../../evaluate/fire-mapped.js';
import { fireOverEvents } from '../../evaluate/fire-report.js';
import { eventsOfText } from '../../evaluate/json-documents.js';
import type { EventLog } from '../../evaluate/types.js';
import { CatalogStore } from '../../store/read.js';
import { type Command, type CommandOptions, parseOptions, UsageError } from '../command.js';
import { json } from '../output.js';

const options = {
  db: { type: 'string' },
  'log-type': { type: 'string' },
  'no-map': { type: 'boolean' },
  'over-events': { type: 'boolean' },
  json: { type: 'boolean' },
} as const satisfies CommandOptions;

/** The log as the output names it: as given, the Windows channel and event id, or null when not known. */
function logTypeOf(log: EventLog): string | null {
  if (log.given !== undefined) return log.given;
  return log.windows ? `${log.windows.channel} ${log.windows.eventId}` : null;
}

export const fireCommand: Command = {
  name: 'fire',
  options,
  summary: 'every rule that fires on each event of a JSON or JSON Lines file',
  help: `Usage: ruleatlas fire EVENTS.json|.jsonl --db FILE [--log-type T] [--no-map] [--over-events] [--json]

Evaluates every rule of the catalog whose language has an evaluator on each event of the file
(one JSON value, JSON Lines, or an array of events), the rule's log source checked first, and
prints the rules that fire (yes) or may fire (unknown: it depends on what was not evaluated),
with the trace of each predicate. Rules are indexed by log source and by required values, so an
event is tried only against candidates. An event recognised as a provider's raw log (an Okta
System Log event, a CloudTrail record, a Windows event ...) is also mapped to each platform's
schema for that provider and tried on that platform's rules: those report mapped, with the schema.

Options:
  --db FILE       the catalog
  --log-type T    the log the events come from (a Sigma logsource path such as aws/cloudtrail);
                  without it a Windows event is recognised by its shape, anything else is unknown
  --no-map        try each event as given only, not mapped to other platforms' schemas
  --over-events   also take the file's events as one ordered list (oldest first) for the rules over
                  several events (EQL sequences, Sigma correlations, YARA-L rules of several events);
                  with --json the output is then {events: [...], overEvents: [{id, ..., fires, events, trace}]}
  --json          print [{event, logType, provider, rules: [{id, nativeId, platform, name, fires, mapped,
                  mappedTo: {provider, schema, log} when mapped, trace}]}]`,
  async run(argv, io) {
    const { values, positionals } = parseOptions(argv, options, true);
    if (values.help) return (io.out(this.help), 0);
    const file = positionals[0];
    if (!file) throw new UsageError('give an EVENTS file');
    if (!values.db) throw new UsageError('--db FILE is required');
    const events = eventsOfText(readFileSync(file, 'utf8'));
    const store = CatalogStore.open(values.db);
    try {
      const index = new FireIndex(store.rules);
      const results = events.map((event, i) => {
        const log = recogniseLog(event, values['log-type']);
        return { i, log, ...fireMapped(index, event, log, { map: !values['no-map'] }) };
      });
      const over = values['over-events']
        ? fireOverEvents(store.rules, events, { deadline: Infinity, logType: values['log-type'] })
        : undefined;
      const overEvents = over && !('stopped' in over) ? over : undefined;
      if (values.json) {
        const perEvent = results.map(({ i, log, fired, provider }) => ({
          event: i,
          logType: logTypeOf(log),
          provider: provider ?? null,
          rules: fired.map(({ rule, evaluation, mapped }) => ({
            id: rule.id,
            nativeId: rule.nativeId,
            platform: rule.platform,
            name: rule.name,
            fires: evaluation.fires,
            mapped: mapped !== undefined,
            ...(mapped ? { mappedTo: mapped } : {}),
            trace: evaluation.trace,
          })),
        }));
        io.out(json(overEvents ? { events: perEvent, overEvents } : perEvent));
      } else {
        for (const { i, log, fired, provider } of results) {
          const raw = provider ? `; ${provider.id} raw log (${provider.how}), also mapped` : '';
          io.out(`event ${i}: ${logTypeOf(log) ?? 'log not known'} (${log.how}${raw}); ${fired.length} rules fire or may`);
          for (const { rule, evaluation, mapped } of fired) {
            const why = evaluation.fires === 'unknown' ? ` (${evaluation.unevaluated[0]?.reason ?? evaluation.source.reason})` : '';
            const how = mapped ? ` [mapped to ${mapped.schema}: ${mapped.log}]` : '';
            io.out(`  ${evaluation.fires.padEnd(7)} ${rule.platform}  ${rule.id}  ${rule.name}${how}${why}`);
          }
        }
        if (overEvents) {
          io.out(`the ${events.length} events as one list: ${overEvents.length} rules over several events fire or may`);
          for (const r of overEvents) io.out(`  ${r.fires.padEnd(7)} ${r.platform}  ${r.id}  ${r.name} (events ${r.events.join(', ')})`);
        }
        if (index.notEvaluated) io.err(`${index.notEvaluated} rules of languages without an evaluator were not tried`);
      }
      return 0;
    } finally {
      store.close();
    }
  },
};
