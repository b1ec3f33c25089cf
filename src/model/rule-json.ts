// The rule JSON contract (README "Rule JSON"): one place, used by the CLI, the JSON API and exports.
import type { Rule } from './types.js';

/** Rule JSON for `analyze`: everything the file alone tells, no corpus-level fields. */
export function fileLevelJson(rule: Rule): Omit<Rule, 'sameAction' | 'similar' | 'duplicates' | 'body'> {
  const { sameAction: _s, similar: _sim, duplicates: _d, body: _b, ...rest } = rule;
  return {
    ...rest,
    // A fresh analysis: canonical forms are there, their counts are not.
    indicators: rule.indicators.map(({ corpusCount: _c, ...ind }) => ind),
  };
}

/** Rule JSON for `show` and the API: the stored rule without the raw file body unless asked. */
export function ruleJson(rule: Rule, withBody = false): Partial<Rule> {
  if (withBody) return rule;
  const { body: _b, ...rest } = rule;
  return rest;
}
