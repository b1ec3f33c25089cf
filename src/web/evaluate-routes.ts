// The evaluation API: `POST /api/fire` (every rule that fires on an event or an array of events) and
// `POST /api/rules/<id>/test` (that rule's stored tests, or the rule on given events). Bodies are
// JSON (request-body.ts: 1 MB, depth-limited); `?logType=` names the events' log as `--log-type`
// does; `?overEvents=1` also takes the events as one ordered list for the rules over several events
// (the answer is then `{events, overEvents}`). Nothing is written: answers depend on the catalog and the body alone. Evaluation is
// synchronous, so each request stops between events once its time limit has passed, with a 503.
// A Panther Python rule's stored tests run its code on the server's runner (python-tests.ts).
import type { IncomingMessage } from 'node:http';
import { catalogTests } from '../evaluate/catalog-tests.js';
import { FireIndex } from '../evaluate/fire.js';
import {
  fireEventsJsonParts,
  fireOverEvents,
  ruleOnEvents,
  ruleStoredTests,
  ruleStoredTestsRun,
  type Stopped,
} from '../evaluate/fire-report.js';
import type { CatalogStore } from '../store/read.js';
import { apiError, type JsonResponse } from './api.js';
import type { ServerPythonTests } from './python-tests.js';
import { isJsonContent, parseJsonBody, readBody } from './request-body.js';
import { pooledConcat } from './reply-bytes.js';

/** A JSON answer joined from its parts in a pooled slab (reply-bytes.ts: the fire answer is hundreds of KB). */
function pooledJson(parts: readonly Buffer[]): JsonResponse {
  const { bytes, release } = pooledConcat(parts);
  return release ? { status: 200, json: bytes, release } : { status: 200, json: bytes };
}

const fireIndexes = new WeakMap<CatalogStore, FireIndex>();

/**
 * The catalog's fire index, built on the first request that needs it (a reloaded catalog gets its own;
 * `serve` builds and warms it before listening). Then, between requests, it compiles the rules' regexes that the first event of a log would (`warm`),
 * in slices of a few milliseconds: on the whole corpus they were half of the first POST /api/fire.
 */
export function fireIndexOf(store: CatalogStore): FireIndex {
  let index = fireIndexes.get(store);
  if (!index) {
    fireIndexes.set(store, (index = new FireIndex(store.rules)));
    warmWhenIdle(index);
  }
  return index;
}

const warmSliceMs = 5;

function warmWhenIdle(index: FireIndex): void {
  // Unreferenced: the work never keeps a process alive, and a request waits for one slice at most.
  const slice = () => {
    if (!index.warm(performance.now() + warmSliceMs)) setImmediate(slice).unref();
  };
  setImmediate(slice).unref();
}

/**
 * The catalog's fire index with every regex compiled ahead (`serve`, before it listens): warmed in
 * slices between requests instead, the work landed on whatever pages were asked first (Explore's first
 * page cost twice its CPU in the first-load bench).
 */
export function warmedFireIndexOf(store: CatalogStore): FireIndex {
  const index = fireIndexOf(store);
  index.warm(Number.POSITIVE_INFINITY);
  return index;
}

/** Whether the catalog's fire index is built already (`serve` builds it before listening). */
export const fireIndexReady = (store: CatalogStore): boolean => fireIndexes.has(store);

/** Paths answered to POST; every other path answers 405 to it. */
export function isEvaluateRoute(path: string): boolean {
  return path === '/api/fire' || (path.startsWith('/api/rules/') && path.endsWith('/test'));
}

const json = (status: number, value: unknown): JsonResponse => ({ status, json: Buffer.from(JSON.stringify(value), 'utf8') });

function stoppedError(s: Stopped, limitMs: number, what: string): JsonResponse {
  return apiError(
    503,
    `evaluation stopped at the time limit of ${limitMs} ms after ${s.stopped.evaluated} of ${s.stopped.total} ${what}: send fewer at a time`,
  );
}

/** The events of a body: an array of them, or one; each a JSON object. */
function eventsOf(value: unknown): unknown[] | string {
  const events = Array.isArray(value) ? (value as unknown[]) : [value];
  if (!events.length) return 'the array holds no event';
  if (events.some((e) => typeof e !== 'object' || e === null || Array.isArray(e))) return 'each event must be a JSON object';
  return events;
}

function logTypeParam(params: URLSearchParams): string | undefined | JsonResponse {
  const given = params.get('logType')?.trim();
  if (!given) return undefined;
  return given.length > 200 ? apiError(400, 'logType is longer than 200 characters') : given;
}

export interface EvaluateRequest {
  store: CatalogStore;
  path: string;
  params: URLSearchParams;
  /** Milliseconds after which no further event or test is started. */
  limitMs: number;
  /** The server's Python runner: a Panther Python rule's stored tests run by its code (else they are unknown). */
  python?: ServerPythonTests;
}

/** 413 answers mean the body was not read to its end: the caller closes the connection. */
export async function evaluateRoute(
  req: IncomingMessage,
  { store, path, params, limitMs, python }: EvaluateRequest,
): Promise<JsonResponse> {
  const body = await readBody(req);
  if (!body.ok) return apiError(body.status, body.error);
  const logType = logTypeParam(params);
  if (typeof logType === 'object') return logType;
  const hasBody = body.text.trim() !== '';
  if (hasBody && !isJsonContent(req)) return apiError(415, 'send the body as application/json');
  const parsed = hasBody ? parseJsonBody(body.text) : undefined;
  if (parsed && !parsed.ok) return apiError(400, parsed.error);
  const events = parsed?.ok ? eventsOf(parsed.value) : undefined;
  if (typeof events === 'string') return apiError(400, events);
  const limit = { deadline: performance.now() + limitMs, ...(logType ? { logType } : {}) };

  if (path === '/api/fire') {
    if (!events) return apiError(400, 'give an event (a JSON object) or an array of events');
    const index = fireIndexOf(store);
    // As UTF-8 JSON: most of an answer is the shared answers of the event's log, each written once.
    const answer = fireEventsJsonParts(index, events, limit);
    if ('stopped' in answer) return stoppedError(answer, limitMs, 'events');
    if (params.get('overEvents') !== '1') return pooledJson(answer);
    // The events as one ordered list too: the rules over several events (sequences, correlations).
    const over = fireOverEvents(index.rules, events, limit);
    if ('stopped' in over) return stoppedError(over, limitMs, 'rules over the list');
    return pooledJson([Buffer.from('{"events":'), ...answer, Buffer.from(`,"overEvents":${JSON.stringify(over)}}`)]);
  }
  let id: string;
  try {
    id = decodeURIComponent(path.slice('/api/rules/'.length, -'/test'.length));
  } catch {
    return apiError(404, `no API route ${path}`);
  }
  const rule = store.byId.get(id);
  if (!rule) return apiError(404, `no rule with id ${id}`);
  if (events) {
    const answer = ruleOnEvents(rule, events, limit);
    return 'stopped' in answer ? stoppedError(answer, limitMs, 'events') : json(200, { rule: rule.id, events: answer });
  }
  const tests = catalogTests(store).testsOf(rule);
  // The time limit counts from the request's turn on the runner.
  const answer = python
    ? await python.exclusive((runner, module) => ruleStoredTestsRun(rule, tests, limitMs, runner, module))
    : ruleStoredTests(rule, tests, limit);
  return 'stopped' in answer ? stoppedError(answer, limitMs, 'tests') : json(200, { rule: rule.id, tests: answer });
}
