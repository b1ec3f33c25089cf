import type { CatalogStore } from '../store/read.js';
import type { Labels } from './labels.js';
import type { Assets } from './layout.js';

/** What every page renderer gets: the catalog, display names and static asset versions. */
export interface WebContext {
  store: CatalogStore;
  labels: Labels;
  assets: Assets;
}
