import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadYaml } from '../../../formats/yaml.js';
import { pantherTests, pythonDataModel, runPantherTests } from './panther-tests.js';
import { createPythonRunner, type PythonRunner } from './runner.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const read = (path: string) => readFileSync(join(fixtures, path), 'utf8');
const doc = (path: string) => loadYaml(read(path)) as Record<string, unknown>;
const helpers = {
  fixture_helpers: read('global_helpers/fixture_helpers.py'),
  panther_base_fixture: read('global_helpers/panther_base_fixture.py'),
};
const rule = (name: string) => ({ code: read(`rules/${name}.py`), filename: `${name}.py` });

// Loading Pyodide takes 6-13 s on a loaded machine: one runner for the file, generous budgets against hangs only.
const budget = { timeout: 180_000 };

describe('Panther Python runner', budget, () => {
  let runner: PythonRunner;
  // A secret in the environment and a file on the host, both there before the runner starts: its
  // process could have inherited the one and could read the other.
  const secret = `ruleatlas-secret-${process.pid}-${Date.now()}`;
  const folder = mkdtempSync(join(tmpdir(), 'ruleatlas-sandbox-'));
  const hostFile = join(folder, 'secret.txt');
  before(() => {
    process.env.RULEATLAS_TEST_SECRET = secret;
    writeFileSync(hostFile, secret);
    runner = createPythonRunner({ timeoutMs: 4000 });
  });
  after(async () => {
    delete process.env.RULEATLAS_TEST_SECRET;
    rmSync(folder, { recursive: true, force: true });
    await runner.close();
  });

  it("runs a rule's own tests: deep_get, case-insensitive keys, helper modules, a mock, and a test that fails", budget, async () => {
    const outcomes = await runPantherTests(runner, {
      rule: rule('deep_get_rule'),
      helpers,
      tests: pantherTests(doc('rules/deep_get_rule.yml')),
    });
    assert.deepEqual(
      outcomes.map((o) => [o.name, o.passed, o.got]),
      [
        ['watched action on a user', true, true],
        ['another action', true, false],
        ['known admin (mocked)', true, false],
        ['a test that states the wrong result', false, true],
      ],
    );
    assert.ok(outcomes.every((o) => o.error === undefined));
  });

  it('calls title() and the other output functions when the rule fires, if asked', budget, async () => {
    const answer = await runner.runRule({
      rule: rule('deep_get_rule'),
      helpers,
      event: { action: 'user.create', actor: { name: 'Carol' }, target: { type: 'user' } },
      outputs: true,
    });
    assert.equal(answer.result, true);
    assert.deepEqual(answer.outputs, { title: 'carol changed a user' });
  });

  it(
    'walks lists with deep_walk: values gathered in order, flattened, de-duplicated, the default for elements without the key',
    budget,
    async () => {
      const code = [
        'def rule(event):',
        '    return repr([',
        '        event.deep_walk("items", "id"),',
        '        event.deep_walk("items", "tags", default=""),',
        '        event.deep_walk("items", "tags"),',
        '        event.deep_walk("items", "tags", return_val="first"),',
        '        event.deep_walk("items", "tags", return_val="last"),',
        '        event.deep_walk("one", "list"),',
        '        event.deep_walk("empty", default="none"),',
        '        event.deep_walk("items", "missing", default="none"),',
        '        event.deep_get("items", "id", default="not through lists"),',
        '        event.deep_get("one", "null", default="for None"),',
        '    ])',
      ].join('\n');
      const event = {
        items: [{ id: 'a', tags: ['x', 'y'] }, { id: 'a' }, { id: 'b', tags: ['y', 'z'] }],
        one: { list: [1, 2], null: null },
        empty: [[], []],
      };
      const answer = await runner.runRule({ rule: { code }, event });
      assert.equal(
        answer.result,
        "[['a', 'b'], ['x', 'y', '', 'z'], ['x', 'y', 'z'], 'x', 'z', [1, 2], 'none', 'none', 'not through lists', 'for None']",
      );
    },
  );

  it('reads udm() through a data model: a JSON path and a method of the model module', budget, async () => {
    const model = pythonDataModel(doc('data_models/fixture_data_model.yml'), read('data_models/fixture_data_model.py'));
    const outcomes = await runPantherTests(runner, {
      rule: rule('udm_rule'),
      tests: pantherTests(doc('rules/udm_rule.yml')),
      dataModel: () => model,
    });
    assert.deepEqual(
      outcomes.map((o) => [o.name, o.passed, o.error]),
      [
        ['path and method mappings', true, undefined],
        ['other address', true, undefined],
      ],
    );
  });

  it('reports an exception, a missing module and a non-boolean result as errors, never as a result', budget, async () => {
    const raised = await runner.runRule({ rule: { code: 'def rule(event):\n    return event["missing"]\n' }, event: {} });
    assert.match(raised.error ?? '', /^KeyError: 'missing'/);
    const missing = await runner.runRule({ rule: { code: 'import not_a_module\ndef rule(event):\n    return True\n' }, event: {} });
    assert.match(missing.error ?? '', /No module named 'not_a_module'/);
    const text = await runner.runRule({ rule: { code: 'def rule(event):\n    return "yes"\n' }, event: {} });
    assert.equal(text.result, 'yes');
    assert.match(text.error ?? '', /returned str, not bool/);
  });

  it("gives the event its log type as p_log_type when it has none, as Panther's ingestion does", budget, async () => {
    const code = 'def rule(event):\n    return event.get("p_log_type") == "Fixture.Audit"\n';
    assert.equal((await runner.runRule({ rule: { code }, event: {}, logType: 'Fixture.Audit' })).result, true);
    assert.equal((await runner.runRule({ rule: { code }, event: { p_log_type: 'Other.Log' }, logType: 'Fixture.Audit' })).result, false);
    assert.equal((await runner.runRule({ rule: { code }, event: {} })).result, false);
  });

  it('keeps the event read-only', budget, async () => {
    const answer = await runner.runRule({
      rule: { code: 'def rule(event):\n    event["a"]["b"] = 2\n    return True\n' },
      event: { a: { b: 1 } },
    });
    assert.match(answer.error ?? '', /does not support item assignment/);
  });

  it('gives a hostile rule neither an environment variable nor a host file nor JavaScript', budget, async () => {
    const answer = await runner.runRule({
      rule: rule('hostile_rule'),
      event: { secret_name: 'RULEATLAS_TEST_SECRET', host_file: hostFile },
    });
    const found = String(answer.result);
    assert.ok(!found.includes(secret), `the rule read the secret: ${found}`);
    assert.match(found, /environ=None/);
    assert.match(found, /file!FileNotFoundError/);
    assert.match(found, /import_js!ImportError/);
    assert.match(found, /import_pyodide_js!ImportError/);
    assert.match(found, /run_js_import!ImportError/);
    assert.match(found, /run_js_gc!ImportError/);
  });

  it('cuts off an endless rule at the time limit and answers the next call from a new process', budget, async () => {
    const before = runner.starts();
    const endless = await runner.runRule({ rule: rule('endless_rule'), event: {} });
    assert.equal(endless.timedOut, true);
    assert.match(endless.error ?? '', /time limit of 4000 ms/);
    const next = await runner.runRule({ rule: { code: 'def rule(event):\n    return event.get("ok") is True\n' }, event: { ok: true } });
    assert.equal(next.result, true);
    assert.equal(runner.starts(), before + 1);
  });
});

describe('Panther Python runner memory', budget, () => {
  it('replaces a process grown past maxRssMb after its answer, and answers the next call from a new one', budget, async () => {
    // Every Pyodide process is past 1 MB: each call is answered, then its process replaced.
    const small = createPythonRunner({ timeoutMs: 8000, maxRssMb: 1 });
    try {
      const first = await small.runRule({ rule: { code: 'def rule(event):\n    return True\n' }, event: {} });
      assert.equal(first.result, true);
      const second = await small.runRule({ rule: { code: 'def rule(event):\n    return False\n' }, event: {} });
      assert.equal(second.result, false);
      assert.equal(small.starts(), 2);
    } finally {
      await small.close();
    }
  });
});
