import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deserialize, serialize } from 'node:v8';
import type { Rule } from '../model/types.js';
import type { AnalysedFile } from './analyse-files.js';
import { forPosting, received } from './posted-outcome.js';

const ruleOf = (i: number, body: string) => ({ nativeId: `r${i}`, name: `rule ${i}`, query: `q${i}`, body }) as unknown as Rule;

function fileOf(bodies: string[]): AnalysedFile {
  return { outcome: { kind: 'rules', rules: bodies.map((b, i) => ruleOf(i, b)) }, related: [], millis: 1 };
}

describe('posted outcomes', () => {
  it('cross threads with each text once, however many rules hold it', () => {
    const text = 'rule text '.repeat(10_000);
    const bytes = serialize(forPosting(fileOf(Array.from({ length: 200 }, () => text)))).length;
    assert.ok(bytes < 2 * text.length, `${bytes} bytes for a ${text.length}-character text held by 200 rules`);
  });

  it('come back as they were, each rule with its own text', () => {
    const bodies = ['file one', 'file two', 'file one', ''];
    const back = received(deserialize(serialize(forPosting(fileOf(bodies)))) as ReturnType<typeof forPosting>);
    assert.deepEqual(back, fileOf(bodies));
    const error: AnalysedFile = { outcome: { kind: 'error', error: { path: 'x', reason: 'y' } }, related: [], millis: 2 };
    assert.deepEqual(received(deserialize(serialize(forPosting(structuredClone(error)))) as ReturnType<typeof forPosting>), error);
  });
});
