// Test support: a catalog written from hand-made rules to a temporary folder and opened, as a
// build would leave it (full-text rows included), for tests of reading, search and Explore.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Rule } from '../model/types.js';
import { type BuildReport, makeReport } from '../report/report.js';
import { CatalogStore } from '../store/read.js';
import { writeCatalog } from '../store/writer.js';

/** The catalog of these rules, with this report (the rules' own by default); `cleanup` closes and deletes it. */
export function openTestCatalog(rules: Rule[], report?: BuildReport): { store: CatalogStore; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'ruleatlas-test-catalog-'));
  const db = join(dir, 'catalog.db');
  writeCatalog(db, rules, report ?? makeReport({ rules, errors: [], skipped: [], files: rules.length, millis: 0 }));
  const store = CatalogStore.open(db);
  return {
    store,
    cleanup() {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
