// What the coverage pages show of the whole catalog, the same in every answer: worked out once per
// catalog (a server builds it before it listens, warmCoverage) instead of in each request, where
// each was a pass over every rule (a provider page made two, the visibility page a provider index).
// Bounded: a few entries per provider and platform the rules name.
import { platformsOf } from '../coverage/platforms.js';
import { providerIndex, type ProviderSummary } from '../coverage/providers.js';
import { providerName } from '../providers/registry.js';
import type { CatalogStore } from '../store/read.js';

export interface CatalogCoverage {
  /** The catalog's platforms, most rules first. */
  platforms: string[];
  /** Every provider the rules watch, most rules first (providerIndex over the catalog). */
  providers: ProviderSummary[];
  /** The providers the rules name, in display-name order (the provider picker). */
  providerChoices: string[];
  /** The providers the rules name. */
  named: ReadonlySet<string>;
}

const facts = new WeakMap<CatalogStore, CatalogCoverage>();

export function catalogCoverage(store: CatalogStore): CatalogCoverage {
  let known = facts.get(store);
  if (known) return known;
  const named = new Set(store.rules.flatMap((r) => r.events.map((e) => e.provider)));
  known = {
    platforms: platformsOf(store.rules),
    providers: providerIndex(store.rules),
    providerChoices: [...named].sort((a, b) => providerName(a).localeCompare(providerName(b), 'en')),
    named,
  };
  facts.set(store, known);
  return known;
}
