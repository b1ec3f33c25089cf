// Test support: a catalog written from hand-made rules to a temporary folder and opened, as a
// build would leave it (full-text rows included), for tests of reading, search and Explore.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Rule } from '../model/types.js';
import { makeReport } from '../report/report.js';
import { CatalogStore } from '../store/read.js';
import { writeCatalog } from '../store/writer.js';

export function openTestCatalog(rules: Rule[]): { store: CatalogStore; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'ruleatlas-test-catalog-'));
  const db = join(dir, 'catalog.db');
  writeCatalog(db, rules, makeReport({ rules, errors: [], skipped: [], files: rules.length, millis: 0 }));
  const store = CatalogStore.open(db);
  return {
    store,
    cleanup() {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
