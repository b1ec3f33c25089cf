// Answers for the web API and pages, as `fire --json` shapes them: every rule that fires on each of
// a list of events (`fireEvents`), one rule on given events (`ruleOnEvents`) or on its stored tests
// (`ruleStoredTests`, or `ruleStoredTestsRun` with Python run for real). Each stops between events (or tests) once its time limit has passed, since one
// evaluation cannot be interrupted: the caller answers that it stopped instead of a partial list.
// Traces carry values from the events, which may be huge: each seen value is cut for the answer.
import { evaluatorFor } from '../languages/evaluate.js';
import { fireMapped } from './fire-mapped.js';
import type { Rule } from '../model/types.js';
import { recogniseLog } from './event-log.js';
import type { FiredRule, FireIndex } from './fire.js';
import { evaluateRule, PreparedEvent } from './rule.js';
import type { PythonTests } from './run-python-tests.js';
import { logOfTest, runTest, runTruest, type TestOutcome } from './run-tests.js';
import type { StoredTest } from './stored-tests.js';
import type { Evaluation, EventLog, Fires, PredicateTrace } from './types.js';

/** Characters of one seen value kept in a trace, and seen values kept per predicate. */
const seenChars = 2_000;
const seenValues = 20;

/** A fired rule as the API gives it; `mapped` (and `mappedTo`) say the event was mapped to the rule's schema first. */
interface FiredRuleJson {
  id: string;
  nativeId: string;
  platform: string;
  name: string;
  fires: Fires;
  mapped: boolean;
  mappedTo?: unknown;
  source: Evaluation['source'];
  trace: readonly PredicateTrace[];
  unevaluated: Evaluation['unevaluated'];
}

export interface FiredEventJson {
  event: number;
  logType: string | null;
  /** How the log was told: `--log-type`, or the shape recognised. */
  how: string;
  rules: FiredRuleJson[];
}

/** Stopped: the time limit passed after `evaluated` of `total` events (or tests). */
export interface Stopped {
  stopped: { evaluated: number; total: number };
}

interface Limit {
  /** The log the events come from, as `--log-type` names it. */
  logType?: string;
  /** performance.now() past which no further event is started. */
  deadline: number;
}

/** The log as `fire` names it: as given, the Windows channel and event id, or null when not known. */
function logTypeOf(log: EventLog): string | null {
  if (log.given !== undefined) return log.given;
  return log.windows ? `${log.windows.channel} ${log.windows.eventId}` : null;
}

function clipSeen(v: unknown): unknown {
  const text = typeof v === 'string' ? v : v !== null && typeof v === 'object' ? JSON.stringify(v) : undefined;
  if (text === undefined || text.length <= seenChars) return v;
  return `${text.slice(0, seenChars)}… (${text.length - seenChars} more characters)`;
}

/** Whether a seen value goes into an answer as it is (most do: only a long text or object is cut). */
const fits = (v: unknown): boolean => clipSeen(v) === v;

/**
 * A trace whose seen values fit an answer: each cut to `seenChars`, at most `seenValues` of them. A
 * trace that fits already is the answer's as it is (an event's answer holds hundreds of traces, most
 * of them the fire index's frozen answers shared by every event of a log).
 */
function clippedTrace(trace: readonly PredicateTrace[]): readonly PredicateTrace[] {
  if (trace.every((t) => t.seen === 'missing' || (t.seen.length <= seenValues && t.seen.every(fits)))) return trace;
  return trace.map((t) => (t.seen === 'missing' ? t : { ...t, seen: t.seen.slice(0, seenValues).map(clipSeen) }));
}

function evaluationJson(e: Evaluation): Pick<FiredRuleJson, 'fires' | 'source' | 'trace' | 'unevaluated'> {
  return { fires: e.fires, source: e.source, trace: clippedTrace(e.trace), unevaluated: e.unevaluated };
}

/**
 * The rules that fire on one event. Every caller goes through here, so that mapping the event to
 * other schemas (when evaluate/ does it) shows up in every answer as `mapped`.
 */
function fireOne(index: FireIndex, event: unknown, log: EventLog): (FiredRule & { mapped?: unknown })[] {
  // As `fire` does: the event as given, and mapped to every schema whose rules read its provider.
  return fireMapped(index, event, log).fired;
}

function firedRuleJson({ rule, evaluation, mapped }: FiredRule & { mapped?: unknown }): FiredRuleJson {
  return {
    id: rule.id,
    nativeId: rule.nativeId,
    platform: rule.platform,
    name: rule.name,
    mapped: mapped !== undefined,
    ...(mapped !== undefined ? { mappedTo: mapped } : {}),
    ...evaluationJson(evaluation),
  };
}

/** Every rule that fires (or may) on each event, in `fire --json`'s shape; stopped when the time limit passes first. */
export function fireEvents(index: FireIndex, events: readonly unknown[], limit: Limit): FiredEventJson[] | Stopped {
  const out: FiredEventJson[] = [];
  for (const [i, event] of events.entries()) {
    if (i > 0 && performance.now() > limit.deadline) return { stopped: { evaluated: i, total: events.length } };
    const log = recogniseLog(event, limit.logType);
    out.push({ event: i, logType: logTypeOf(log), how: log.how, rules: fireOne(index, event, log).map(firedRuleJson) });
  }
  return out;
}

/** JSON of rules' entries whose evaluation is shared by every event of a log (frozen), by mapping; cleared past `maxEntryTexts`. */
const entryTexts = new Map<Evaluation, Map<string, Buffer>>();
let entryTextCount = 0;
const maxEntryTexts = 30_000;

/** A mapping's JSON, the key of its entries' texts: written once per mapping of an event (fire-mapped.ts shares one object among its rules). */
const mappingKeys = new WeakMap<object, string>();

function mappingKey(mapped: unknown): string {
  if (typeof mapped !== 'object' || mapped === null) return JSON.stringify(mapped);
  let key = mappingKeys.get(mapped);
  if (key === undefined) mappingKeys.set(mapped, (key = JSON.stringify(mapped)));
  return key;
}

/** A fired rule's entry as UTF-8 JSON: a shared answer's written once (most of an answer: hundreds of rules per event). */
function firedRuleBytes(fired: FiredRule & { mapped?: unknown }): Buffer {
  if (!Object.isFrozen(fired.evaluation)) return Buffer.from(JSON.stringify(firedRuleJson(fired)), 'utf8');
  const key = fired.mapped === undefined ? '' : mappingKey(fired.mapped);
  let texts = entryTexts.get(fired.evaluation);
  let bytes = texts?.get(key);
  if (bytes !== undefined) return bytes;
  if (entryTextCount >= maxEntryTexts) {
    entryTexts.clear();
    entryTextCount = 0;
    texts = undefined;
  }
  if (!texts) entryTexts.set(fired.evaluation, (texts = new Map<string, Buffer>()));
  texts.set(key, (bytes = Buffer.from(JSON.stringify(firedRuleJson(fired)), 'utf8')));
  entryTextCount++;
  return bytes;
}

const comma = Buffer.from(',');

/** `fireEvents`'s answer as UTF-8 JSON (the bytes of JSON.stringify of it), the shared answers' entries written once and copied into each answer. */
export function fireEventsJson(index: FireIndex, events: readonly unknown[], limit: Limit): Buffer | Stopped {
  const parts = fireEventsJsonParts(index, events, limit);
  return 'stopped' in parts ? parts : Buffer.concat(parts);
}

/** `fireEventsJson`'s bytes as the parts they are joined from (a server writes them into memory it reuses). */
export function fireEventsJsonParts(index: FireIndex, events: readonly unknown[], limit: Limit): Buffer[] | Stopped {
  const parts: Buffer[] = [Buffer.from('[')];
  for (const [i, event] of events.entries()) {
    if (i > 0 && performance.now() > limit.deadline) return { stopped: { evaluated: i, total: events.length } };
    const log = recogniseLog(event, limit.logType);
    const head = JSON.stringify({ event: i, logType: logTypeOf(log), how: log.how });
    parts.push(Buffer.from(`${i > 0 ? ',' : ''}${head.slice(0, -1)},"rules":[`));
    fireOne(index, event, log).forEach((fired, j) => {
      if (j > 0) parts.push(comma);
      parts.push(firedRuleBytes(fired));
    });
    parts.push(Buffer.from(']}'));
  }
  parts.push(Buffer.from(']'));
  return parts;
}

/** A rule over several events (an EQL sequence, a Sigma correlation, a YARA-L rule of several event variables) that fires or may on the list. */
export interface OverEventsJson extends Omit<FiredRuleJson, 'mapped' | 'mappedTo'> {
  /** Positions in the list of the events the answer rests on (a sequence's events in step order). */
  events: number[];
}

/**
 * The rules over several events that fire (or may) on the ordered list of events, oldest first
 * (evaluate/events.ts: each language's `overEvents`); the rules a Sigma correlation names are found
 * among `rules` by id or name. Rules of single events are left out: `fireEvents` answers them event by event.
 */
export function fireOverEvents(rules: readonly Rule[], events: readonly unknown[], limit: Limit): OverEventsJson[] | Stopped {
  const prepared = events.map((event) => new PreparedEvent(event, recogniseLog(event, limit.logType), Date.now()));
  const named = new Map<string, Rule>();
  for (const rule of rules) {
    if (rule.platform !== 'sigma' || rule.removed) continue;
    named.set(rule.nativeId, rule);
    if (typeof rule.extra.name === 'string') named.set(rule.extra.name, rule);
  }
  const candidates = rules.filter((rule) => !rule.removed && evaluatorFor(rule.language)?.overEvents !== undefined);
  const out: OverEventsJson[] = [];
  for (const [i, rule] of candidates.entries()) {
    if (i > 0 && performance.now() > limit.deadline) return { stopped: { evaluated: i, total: candidates.length } };
    const answer = evaluatorFor(rule.language)!.overEvents!(rule, prepared, {
      trace: true,
      rules: (reference) => named.get(reference),
      evaluate: (r, event) => evaluateRule(r, event),
    });
    if (!answer || answer.fires === 'no') continue;
    out.push({
      id: rule.id,
      nativeId: rule.nativeId,
      platform: rule.platform,
      name: rule.name,
      ...evaluationJson(answer),
      events: answer.events,
    });
  }
  return out;
}

export interface RuleEventJson extends Pick<FiredRuleJson, 'fires' | 'source' | 'trace' | 'unevaluated'> {
  event: number;
  logType: string | null;
  how: string;
}

/** One rule on each given event, with its trace whatever the answer. */
export function ruleOnEvents(rule: Rule, events: readonly unknown[], limit: Limit): RuleEventJson[] | Stopped {
  const out: RuleEventJson[] = [];
  for (const [i, event] of events.entries()) {
    if (i > 0 && performance.now() > limit.deadline) return { stopped: { evaluated: i, total: events.length } };
    const log = recogniseLog(event, limit.logType);
    out.push({
      event: i,
      logType: logTypeOf(log),
      how: log.how,
      ...evaluationJson(evaluateRule(rule, new PreparedEvent(event, log, Date.now()), { trace: true })),
    });
  }
  return out;
}

/** Events of a test whose traces an answer carries (a regression sample may hold many). */
const tracedEvents = 10;

export interface StoredTestJson {
  name: string;
  kind: StoredTest['kind'];
  expected: Fires;
  got: Fires;
  result: 'passed' | 'failed' | 'unknown';
  reason: string;
  /** How many events the test holds; the first `tracedEvents` are traced. */
  eventCount: number;
  events: RuleEventJson[];
}

/** One stored test's answer with the trace of its first events (our model's, whatever ran the test). */
function storedTestJson(rule: Rule, test: StoredTest, outcome: TestOutcome): StoredTestJson {
  const events = test.events.slice(0, tracedEvents).map((event, e): RuleEventJson => {
    const log = logOfTest(test, rule, event);
    return {
      event: e,
      logType: logTypeOf(log),
      how: log.how,
      ...evaluationJson(evaluateRule(rule, new PreparedEvent(event, log, Date.now()), { trace: true })),
    };
  });
  return {
    name: test.name,
    kind: test.kind,
    expected: test.expected ? 'yes' : 'no',
    got: outcome.got,
    result: outcome.result,
    reason: outcome.reason,
    eventCount: test.events.length,
    events,
  };
}

const ruleMap = (rule: Rule) => new Map([[`${rule.platform}\0${rule.nativeId}`, rule]]);

/**
 * A rule's stored tests run against it, each with the trace of its first events: without the
 * Python runner, so a Panther Python rule's tests are `unknown` (the rule page, whose render is
 * synchronous); `ruleStoredTestsRun` runs them for real.
 */
export function ruleStoredTests(rule: Rule, tests: readonly StoredTest[], limit: Pick<Limit, 'deadline'>): StoredTestJson[] | Stopped {
  const rules = ruleMap(rule);
  const out: StoredTestJson[] = [];
  for (const [i, test] of tests.entries()) {
    if (i > 0 && performance.now() > limit.deadline) return { stopped: { evaluated: i, total: tests.length } };
    out.push(storedTestJson(rule, test, runTest(test, rules)));
  }
  return out;
}

/**
 * A rule's stored tests run as `ruleatlas test` runs them (runTruest: Python by its code, on
 * `python`, one module for them all), none started past `limitMs`: a run that starts the runner
 * counts from its start (loading Pyodide takes seconds, once per runner, not the tests' time).
 */
export async function ruleStoredTestsRun(
  rule: Rule,
  tests: readonly StoredTest[],
  limitMs: number,
  python: PythonTests,
  module: string,
): Promise<StoredTestJson[] | Stopped> {
  const rules = ruleMap(rule);
  const out: StoredTestJson[] = [];
  let deadline = performance.now() + limitMs;
  let started = python.started();
  for (const [i, test] of tests.entries()) {
    if (i > 0 && performance.now() > deadline) return { stopped: { evaluated: i, total: tests.length } };
    out.push(storedTestJson(rule, test, await runTruest(test, rules, python, module)));
    if (!started && python.started()) {
      started = true;
      deadline = performance.now() + limitMs;
    }
  }
  return out;
}
