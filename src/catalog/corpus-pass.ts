import { expandEventPatterns } from '../analysis/event-patterns.js';
import { providers } from '../providers/registry.js';
import { countCanonical } from './canonical-counts.js';
import { assignIds, countIndicators, linkSameAction } from './corpus.js';
import { applyPass, type Dictionary, MemoryDictionary, type PassRule, passRuleOf } from './pass.js';
import { linkSimilar, type SimilarSince } from './similar.js';
import type { RuleCore } from './staged.js';

/**
 * Everything decided over the whole corpus: ids and duplicates, indicator counts, event patterns,
 * same-action links, canonical counts, similar rules. Build and sync (sync/update.ts) both run it,
 * over every live rule, and sync rewrites whatever it changed, so a step added here needs nothing
 * more to reach synced catalogs.
 */
export function runPass(rules: PassRule[], dict: Dictionary, opts: PassOptions = {}): { ranked: ReadonlySet<PassRule> | 'all' } {
  assignIds(rules);
  countIndicators(rules);
  expandEventPatterns(rules, providers);
  linkSameAction(rules);
  countCanonical(rules);
  const since = opts.similarSince?.();
  const ranked = linkSimilar(rules, dict, {}, since);
  return { ranked: since ? (ranked as Set<PassRule>) : 'all' };
}

export interface PassOptions {
  /**
   * Called once ids are assigned: when the live rules, their ids and their currency are as the last
   * pass left them (a sync knows), the rules whose similarity items changed since. Only the rules
   * whose similar list can have changed are then ranked again: runPass returns them, and the
   * caller keeps the others' lists.
   */
  similarSince?: () => SimilarSince | undefined;
}

/** The pass over analysed cores, whose corpus-level fields it sets; returns the pass's rules (a catalog keeps their input). */
export function runCorpusPass(cores: RuleCore[], dict: Dictionary = new MemoryDictionary()): PassRule[] {
  const rules = cores.map((core) => passRuleOf(core, dict));
  runPass(rules, dict);
  rules.forEach((rule, i) => applyPass(cores[i]!, rule, dict));
  return rules;
}
