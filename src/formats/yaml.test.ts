import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadYaml, WorkLimitError } from './yaml.js';

/** `levels` of nine aliases each to the level below: 9^levels values from a few hundred bytes. */
function aliasBomb(levels: number): string {
  const lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i <= levels; i++)
    lines.push(
      `a${i}: &a${i} [${Array(9)
        .fill(`*a${i - 1}`)
        .join(',')}]`,
    );
  return lines.join('\n');
}

test('YAML loads as js-yaml with the JSON schema (dates stay strings), aliases resolve', () => {
  assert.deepEqual(loadYaml('date: 2024-01-02\nversion: 1.0\nx: &x [1, 2]\ny: *x\n'), {
    date: '2024-01-02',
    version: 1,
    x: [1, 2],
    y: [1, 2],
  });
  assert.equal(loadYaml(aliasBomb(5)) !== undefined, true, '9^5 values is within the bound');
});

test('an alias bomb is refused in linear time, naming the reason', () => {
  const started = performance.now();
  assert.throws(
    () => loadYaml(aliasBomb(9)),
    (err: unknown) => err instanceof WorkLimitError && /^too many aliases/.test(err.message),
  );
  assert.ok(performance.now() - started < 5_000, 'refused at once (walking it would not end)');
});

test('a collection that contains itself is refused', () => {
  assert.throws(() => loadYaml('a: &a\n  b: *a\n'), /alias refers to a collection that contains it/);
  assert.throws(() => loadYaml('a: &a [*a]\n'), WorkLimitError);
});
