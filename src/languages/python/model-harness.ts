// What the Python model's construct tests share: a rule's code analysed with no context into a rule
// gated on one log type, and the answer its predicate trees give on an event of that log (the
// model's answer `ruleatlas test` computes, without a catalog). Used by tests only.
import assert from 'node:assert/strict';
import { recogniseLog } from '../../evaluate/event-log.js';
import { evaluateRule, PreparedEvent } from '../../evaluate/rule.js';
import type { EvaluatedRule, Fires } from '../../evaluate/types.js';
import { python } from './index.js';

/** Loads the Python parser (tree-sitter); a test file's `before`. */
export const loadPython = async (): Promise<void> => {
  await python.init!();
};

/** The rule `code` is, read by the model, reading log type `logType` (with a test's `mocks`, as that test runs it). */
export function modelRule(code: string, logType: string, mocks?: Record<string, unknown>): EvaluatedRule {
  const analysis = python.analyse(code, mocks ? { mocks } : {});
  assert.ok(analysis.parsed);
  return { language: 'python', stages: analysis.stages, sources: [`logtype:${logType}`], parsed: true, type: 'rule' };
}

/** Whether `rule` fires on `event`, an event of `logType` (its `p_log_type` set, as Panther sets it), at `now` (ms since the epoch) when given. */
export function modelFires(rule: EvaluatedRule, event: Record<string, unknown>, logType: string, now?: number): Fires {
  return evaluateRule(rule, new PreparedEvent({ p_log_type: logType, ...event }, recogniseLog(event, logType), now)).fires;
}
