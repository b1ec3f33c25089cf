import { expandEventPatterns } from '../analysis/event-patterns.js';
import { providers } from '../providers/registry.js';
import { countCanonical } from './canonical-counts.js';
import { assignIds, countIndicators, linkSameAction } from './corpus.js';
import { applyPass, type Dictionary, MemoryDictionary, type PassRule, passRuleOf } from './pass.js';
import { linkSimilar } from './similar.js';
import type { RuleCore } from './staged.js';

/**
 * Everything decided over the whole corpus: ids and duplicates, indicator counts, event patterns,
 * same-action links, canonical counts, similar rules. Build and sync (sync/update.ts) both run it,
 * over every live rule, and sync rewrites whatever it changed, so a step added here needs nothing
 * more to reach synced catalogs.
 */
export function runPass(rules: PassRule[], dict: Dictionary, opts: PassOptions = {}): void {
  assignIds(rules);
  countIndicators(rules);
  expandEventPatterns(rules, providers);
  linkSameAction(rules);
  countCanonical(rules);
  if (!opts.reuseSimilar?.()) linkSimilar(rules, dict);
}

export interface PassOptions {
  /**
   * Called once ids are assigned: when every input of the similarity step is as it was last time
   * (a sync knows), sets each rule's similar list as it was and returns true; the step is skipped.
   */
  reuseSimilar?: () => boolean;
}

/** The pass over analysed cores, whose corpus-level fields it sets; returns the pass's rules (a catalog keeps their input). */
export function runCorpusPass(cores: RuleCore[], dict: Dictionary = new MemoryDictionary()): PassRule[] {
  const rules = cores.map((core) => passRuleOf(core, dict));
  runPass(rules, dict);
  rules.forEach((rule, i) => applyPass(cores[i]!, rule, dict));
  return rules;
}
