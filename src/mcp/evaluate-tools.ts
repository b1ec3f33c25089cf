// Would-it-fire tools: every rule that fires on an event (mapped to each platform's schema, as `fire`
// does), and one rule on an event or on its stored tests. The functions of POST /api/fire and
// POST /api/rules/<id>/test, with the same time limit; answers compact unless traces are asked for.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { catalogTests } from '../evaluate/catalog-tests.js';
import { fireEvents, ruleOnEvents, ruleStoredTests, ruleStoredTestsRun, type Stopped } from '../evaluate/fire-report.js';
import type { ServerPythonTests } from '../web/python-tests.js';
import type { CatalogStore } from '../store/read.js';
import { fireIndexOf } from '../web/evaluate-routes.js';
import { answer, ArgumentError, readOnly, type RuleRef, resolveRule, ruleRef, ruleRefSchema, wants } from './common.js';

/** Rules that may fire (`unknown`) listed per event with `unknown` and no traces: their count says the rest. */
const mayFireShown = 20;

/** As serve's POST routes: evaluation stops between events (or tests) past this time. */
const evaluationLimitMs = 2000;

const eventSchema = z.record(z.string(), z.unknown());
const logTypeSchema = z
  .string()
  .max(200)
  .optional()
  .describe(
    'the log the events come from, as `fire --log-type` names it (a Sigma logsource path such as aws/cloudtrail, a table); else recognised by shape',
  );

function limitOf(logType: string | undefined) {
  return { deadline: performance.now() + evaluationLimitMs, ...(logType ? { logType } : {}) };
}

function stoppedError(s: Stopped, what: string): never {
  throw new ArgumentError(
    what,
    `evaluation stopped after ${s.stopped.evaluated} of ${s.stopped.total} ${what} (time limit ${evaluationLimitMs} ms): give fewer`,
  );
}

export function registerEvaluateTools(server: McpServer, catalog: () => CatalogStore, python?: ServerPythonTests): void {
  server.registerTool(
    'fire_event',
    {
      title: 'Which rules fire on an event',
      description:
        'Every rule of the catalog that fires on a log event (JSON), on every platform: the event as given and mapped to each platform’s schema ' +
        '(an Okta System Log event is also tried as Sentinel’s OktaSSO columns, Elastic’s ECS fields, Chronicle UDM ...). ' +
        'Lists the rules that fire, and counts those that may fire (their answer depends on what is not evaluated: aggregations, lookups, unknown logs). ' +
        '`include: ["trace"]` adds each predicate with the value seen; `["unknown"]` lists the rules that may fire with the reason.',
      inputSchema: {
        event: eventSchema.optional().describe('one event'),
        events: z.array(eventSchema).max(100).optional().describe('several events (instead of `event`), each answered on its own'),
        logType: logTypeSchema,
        include: z.array(z.enum(['trace', 'unknown', 'all'])).optional(),
      },
      outputSchema: {
        events: z.array(
          z
            .object({
              event: z.number(),
              logType: z.string().nullable(),
              how: z.string(),
              fires: z.array(ruleRefSchema.extend({ mapped: z.boolean() }).passthrough()),
              mayFire: z.number(),
            })
            .passthrough(),
        ),
      },
      annotations: { title: 'Which rules fire on an event', ...readOnly },
    },
    (args) => {
      const events = args.events ?? (args.event ? [args.event] : []);
      if (!events.length) throw new ArgumentError('event', 'give an event (a JSON object) or `events`');
      const store = catalog();
      const answered = fireEvents(fireIndexOf(store), events, limitOf(args.logType));
      if ('stopped' in answered) stoppedError(answered, 'events');
      const traced = wants(args.include, 'trace');
      const refs: RuleRef[] = [];
      const out = answered.map((e) => {
        const yes = e.rules.filter((r) => r.fires === 'yes');
        const open = e.rules.filter((r) => r.fires === 'unknown');
        const view = (r: (typeof e.rules)[number]) => {
          refs.push({ id: r.id, name: r.name, platform: r.platform });
          return {
            ...ruleRef(r),
            mapped: r.mapped,
            ...(r.mappedTo !== undefined ? { mappedTo: r.mappedTo } : {}),
            ...(traced ? { trace: r.trace } : {}),
          };
        };
        return {
          event: e.event,
          logType: e.logType,
          how: e.how,
          fires: yes.map(view),
          mayFire: open.length,
          ...(wants(args.include, 'unknown')
            ? {
                mayFireRules: open.slice(0, traced ? open.length : mayFireShown).map((r) => ({
                  ...view(r),
                  why: r.unevaluated[0] ? `${r.unevaluated[0].stage}: ${r.unevaluated[0].reason}` : r.source.reason,
                })),
              }
            : {}),
        };
      });
      return answer({ events: out }, refs);
    },
  );

  server.registerTool(
    'test_rule',
    {
      title: 'Test a rule',
      description:
        'One rule (id, native id or path) run on its stored tests (Panther Tests, Sigma regression samples), each expected vs got with the reason; ' +
        'or, given `event`/`events`, the rule evaluated on them: fires yes / no / unknown, with the trace of each predicate.',
      inputSchema: {
        rule: z.string().max(1000).describe('rule id, native id or path'),
        event: eventSchema.optional().describe('an event to evaluate the rule on, instead of its stored tests'),
        events: z.array(eventSchema).max(100).optional(),
        logType: logTypeSchema,
        include: z
          .array(z.enum(['trace', 'all']))
          .optional()
          .describe('traces of the stored tests too'),
      },
      outputSchema: {
        rule: ruleRefSchema,
        tests: z
          .array(
            z.object({ name: z.string(), expected: z.string(), got: z.string(), result: z.string(), reason: z.string() }).passthrough(),
          )
          .optional(),
        events: z.array(z.object({ event: z.number(), fires: z.string() }).passthrough()).optional(),
      },
      annotations: { title: 'Test a rule', ...readOnly },
    },
    async (args) => {
      const store = catalog();
      const { rule } = resolveRule(store, args.rule);
      const ref = ruleRef(rule);
      const given = args.events ?? (args.event ? [args.event] : undefined);
      if (given) {
        const answered = ruleOnEvents(rule, given, limitOf(args.logType));
        if ('stopped' in answered) stoppedError(answered, 'events');
        return answer({ rule: ref, events: answered }, [ref]);
      }
      const stored = catalogTests(store).testsOf(rule);
      // A Panther Python rule's tests run its code, as POST /api/rules/<id>/test runs them (web/python-tests.ts).
      const answered = python
        ? await python.exclusive((runner, module) => ruleStoredTestsRun(rule, stored, evaluationLimitMs, runner, module))
        : ruleStoredTests(rule, stored, limitOf(undefined));
      if ('stopped' in answered) stoppedError(answered, 'tests');
      const traced = wants(args.include, 'trace');
      const tests = answered.map(({ events, ...t }) => ({ ...t, ...(traced ? { events } : {}) }));
      return answer({ rule: ref, tests }, [ref]);
    },
  );
}
