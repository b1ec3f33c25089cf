// Completion of argument values (prompt arguments, resource template variables) from the catalog's
// own vocabularies: technique ids, providers, events, platforms, sources, rule ids, canonical fields.
import { exploreIndex } from '../explore/index.js';
import type { FacetName } from '../explore/explore.js';
import type { CatalogStore } from '../store/read.js';
import { catalogMatrixSpec as matrixSpec } from '../coverage/catalog-matrix.js';
import { catalogIndicators } from '../web/coverage-routes.js';

/** MCP caps a completion at 100 values. */
const maxValues = 100;

function matching(values: Iterable<string>, typed: string): string[] {
  const needle = typed.toLowerCase();
  const out: string[] = [];
  for (const v of values) {
    if (v.toLowerCase().startsWith(needle)) out.push(v);
    if (out.length === maxValues) break;
  }
  return out;
}

export function completeFacet(store: CatalogStore, facet: FacetName, typed: string): string[] {
  return matching(exploreIndex(store).dictionary[facet], typed);
}

/** Events of one provider when it is known (`provider/` left off), else every `provider/event`. */
export function completeEvent(store: CatalogStore, typed: string, provider: string | undefined): string[] {
  const all = exploreIndex(store).dictionary.event;
  if (!provider) return matching(all, typed);
  const prefix = `${provider}/`;
  return matching(
    all.filter((e) => e.startsWith(prefix)).map((e) => e.slice(prefix.length)),
    typed,
  );
}

export function completeTechnique(store: CatalogStore, typed: string): string[] {
  return matching(
    matrixSpec(store).techniques.map((t) => t.id),
    typed,
  );
}

/** Rule ids starting with the text, or else those whose name contains it. */
export function completeRule(store: CatalogStore, typed: string): string[] {
  const byId = matching(
    store.rules.map((r) => r.id),
    typed,
  );
  if (byId.length || !typed) return byId;
  const needle = typed.toLowerCase();
  return store.rules
    .filter((r) => r.name.toLowerCase().includes(needle))
    .slice(0, maxValues)
    .map((r) => r.id);
}

/** Fields of the shared canonical vocabulary that rules test (process.name, file.path ...). */
export function completeCanonicalField(store: CatalogStore, typed: string): string[] {
  return matching(catalogIndicators(store).canonical.fields, typed);
}
