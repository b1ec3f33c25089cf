import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { versionsOf } from './versions.js';

const root = mkdtempSync(join(tmpdir(), 'ruleatlas-versions-'));
after(() => rmSync(root, { recursive: true, force: true }));

function put(path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

// A code tree of the shape versionsOf reads: shared folders, one format, one language.
for (const path of [
  'analysis/analyse-rule.js',
  'model/types.js',
  'platforms/demo/index.js',
  'providers/okta.js',
  'formats/registry.js',
  'formats/demo/index.js',
  'languages/registry.js',
  'languages/demo/index.js',
  'languages/demo/evaluate.js',
]) {
  put(path, `// ${path}\n`);
}

test("a platform's code is part of the shared analysis version (its log schema shapes every analysis)", () => {
  const before = versionsOf(root);
  put('platforms/demo/index.js', "export const demo = { schema: 'changed' };\n");
  const afterChange = versionsOf(root);
  assert.notEqual(afterChange.common, before.common);
  assert.deepEqual(afterChange.formats, before.formats);
  assert.deepEqual(afterChange.languages, before.languages);
});

test("a language's evaluator changes no analysis version; its analyser does", () => {
  const before = versionsOf(root);
  put('languages/demo/evaluate.js', '// evaluates differently\n');
  assert.deepEqual(versionsOf(root), before);
  put('languages/demo/index.js', '// analyses differently\n');
  const changed = versionsOf(root);
  assert.notEqual(changed.languages.demo, before.languages.demo);
  assert.equal(changed.common, before.common);
});
