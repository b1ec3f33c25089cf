import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { markTerms } from '../explore/search.js';
import { markedText, snippetAround, termSpans } from './mark-terms.js';

const marked = (text: string, q: string) => markedText(text, markTerms(q)).toString();

describe('markTerms: what a search looked for', () => {
  it('keeps words and phrases, as the full-text index reads them; leaves out negations and fields', () => {
    assert.deepEqual(markTerms('Okta "session start" OR mfa -impersonation NOT push author:roth'), [
      { words: ['okta'], prefix: true },
      { words: ['session', 'start'], prefix: false },
      { words: ['mfa'], prefix: true },
    ]);
    assert.deepEqual(markTerms('s3 (a OR "b")'), [
      { words: ['s3'], prefix: false },
      { words: ['a'], prefix: false },
      { words: ['b'], prefix: false },
    ]);
    assert.deepEqual(markTerms('okta OR'), [], 'a search that cannot be read marks nothing');
    assert.deepEqual(markTerms(''), []);
  });
});

describe('marking results', () => {
  it('marks whole words a term starts, ignoring case; short words and phrases only whole', () => {
    assert.equal(
      marked('Okta impersonation by an OKTA admin', 'okta imperson'),
      '<mark>Okta</mark> <mark>impersonation</mark> by an <mark>OKTA</mark> admin',
    );
    assert.equal(marked('S3 bucket s3api', 's3'), '<mark>S3</mark> bucket s3api');
    assert.equal(marked('session started; session start', '"session start"'), 'session started; <mark>session start</mark>');
    assert.equal(marked('not a match: oktaish', 'kta'), 'not a match: oktaish', 'a term inside a word is no match');
  });

  it('joins overlapping matches and escapes every piece', () => {
    assert.deepEqual(termSpans('user session', markTerms('"user session" session')), [[0, 12]]);
    assert.equal(
      marked('<script>alert(1)</script> & "x"', 'script alert'),
      '&lt;<mark>script</mark>&gt;<mark>alert</mark>(1)&lt;/<mark>script</mark>&gt; &amp; &quot;x&quot;',
    );
  });

  it('cuts a long description around its first match, else from its start', () => {
    const long = `${'word '.repeat(100)}the needle is here ${'tail '.repeat(100)}`.trim();
    const around = snippetAround(long, markTerms('needle'));
    assert.ok(around.startsWith('…') && around.endsWith('…'), around);
    assert.ok(around.includes('needle') && around.length <= 242, around);
    const start = snippetAround(long, markTerms('word'));
    assert.ok(start.startsWith('word word') && start.endsWith('…'), start);
    assert.equal(snippetAround('short text', markTerms('text')), 'short text');
  });
});
