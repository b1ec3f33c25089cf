// Test support: catalogs built from fixture folders the way `build` writes one; the checked-in
// mini-corpus (test/mini-corpus) as one, each folder a source and `sigma` marked as the user's own, so that every corpus-level
// answer (same action, similar rules, your rules) has something to say.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AttackCatalog } from '../attack/catalog.js';
import { prepareLanguages } from '../languages/registry.js';
import { writeCatalog } from '../pipeline/write.js';

const mini = fileURLToPath(new URL('../../test/mini-corpus', import.meta.url));

export const miniSources = ['sentinel', 'elastic', 'sigma', 'panther', 'markdown'];

/** A catalog written the way `build` writes one, from fixture folders, in a temporary folder; `cleanup` deletes it. */
export async function buildCatalogOf(
  sources: readonly { name: string; root: string }[],
  mine: string[] = [],
): Promise<{ db: string; cleanup: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'ruleatlas-test-catalog-'));
  const db = join(dir, 'catalog.db');
  const date = '2026-01-01T00:00:00.000Z';
  await writeCatalog(
    db,
    sources.map(({ name, root }) => ({ name, root, commit: '', date })),
    {
      prepare: async (languages) => {
        await prepareLanguages(languages);
        return { attack: AttackCatalog.empty() };
      },
      mine,
      fresh: true,
    },
  );
  return { db, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Build the mini-corpus catalog in a temporary folder; `cleanup` deletes the folder. */
export function buildMiniCatalog(): Promise<{ db: string; cleanup: () => void }> {
  return buildCatalogOf(
    miniSources.map((name) => ({ name, root: join(mini, name) })),
    ['sigma'],
  );
}
