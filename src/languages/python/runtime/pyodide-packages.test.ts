import assert from 'node:assert/strict';
import test from 'node:test';
import { whyNotOffline } from './pyodide-packages.js';

// Pyodide's npm package holds no wheels: a module Pyodide packages is one it would download, a
// module it does not package is had from nowhere. Which is which comes from its pyodide-lock.json.

test("a module missing offline is told apart by Pyodide's own package list", () => {
  assert.match(whyNotOffline('policyuniverse'), /^which is neither in the source nor a package of Pyodide \d+\.\d+/);
  // yaml is PyYAML's module (the package name differs from the module's); a submodule names its package.
  assert.match(
    whyNotOffline('yaml.constructor'),
    /^a package of Pyodide \d+\.\d+\.\d+ \(pyyaml\) that its npm package does not hold: it would be downloaded$/,
  );
});
