import type { CatalogStore } from '../store/read.js';
import type { LruCache } from './cache.js';
import type { SafeHtml } from './html.js';
import type { Labels } from './labels.js';
import type { Assets } from './layout.js';

/** What every page renderer gets: the catalog, display names and static asset versions. */
export interface WebContext {
  store: CatalogStore;
  labels: Labels;
  assets: Assets;
  /**
   * Explore's result row of each rule, by rule id, rendered once per catalog: a row is the same on
   * every page that lists the rule (bounded by bytes; the page around it is rendered per request).
   */
  resultRows: LruCache<SafeHtml>;
  /**
   * The rule page's markdown (investigation guide, set-up notes) as markup, by rule id and section,
   * bounded by characters: the same in every answer, and markdown-it was a tenth of a rule page's CPU.
   * Absent: rendered on every request.
   */
  ruleMarkdown?: LruCache<SafeHtml>;
  /** "My log sources" from the config file: what the visibility view shows when the request names none. */
  logSources?: readonly string[];
}
