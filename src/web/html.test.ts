import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeHtml, html, join, markdown, oneByteHtml, packHtml, PackedHtml, SafeHtml, safeExternalUrl } from './html.js';

test('escapeHtml escapes the five HTML specials and backticks', () => {
  assert.equal(escapeHtml(`<a href="x" title='y'>&\`</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&#96;&lt;/a&gt;');
  assert.equal(escapeHtml('plain text'), 'plain text');
  assert.equal(escapeHtml('&amp;'), '&amp;amp;', 'already-escaped text is escaped again');
});

test('escapeHtml escapes specials first, last, side by side and alone, and keeps everything else', () => {
  assert.equal(escapeHtml('<'), '&lt;');
  assert.equal(escapeHtml('<<>>'), '&lt;&lt;&gt;&gt;');
  assert.equal(escapeHtml('a<'), 'a&lt;');
  assert.equal(escapeHtml('"a'), '&quot;a');
  assert.equal(escapeHtml('é ü <x>'), 'é ü &lt;x&gt;', 'Latin-1 letters stay as they are');
  assert.equal(escapeHtml(''), '');
});

test('escapeHtml writes characters above U+00FF as numeric references: pages stay one byte per character', () => {
  assert.equal(escapeHtml('a — b'), 'a &#8212; b');
  assert.equal(escapeHtml('日本 <x>'), '&#26085;&#26412; &lt;x&gt;');
  assert.equal(escapeHtml('😀!'), '&#128512;!', 'a surrogate pair is one code point');
  assert.equal(escapeHtml('a\ud800b\udc00'), 'a&#65533;b&#65533;', 'a lone surrogate shows U+FFFD, as its UTF-8 bytes did');
  assert.equal(escapeHtml('é — é'), 'é &#8212; é');
  const references = escapeHtml('→ “quoted” … 🙂 é');
  assert.ok(![...references].some((c) => c.charCodeAt(0) > 0xff), references);
  // What a browser reads: the same text.
  const decoded = references.replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)));
  assert.equal(decoded, '→ “quoted” … 🙂 é');
});

test('markdown writes characters above U+00FF as numeric references', () => {
  assert.equal(markdown('A *rule’s* guide — 日本').toString(), '<p>A <em>rule&#8217;s</em> guide &#8212; &#26085;&#26412;</p>\n');
});

test('packHtml keeps pieces of markup deflated and gives them back as they were', () => {
  const pieces = [html`<p title="${'a "b"'}">${'é — <x>'}</p>`, html``, html`<code>${'x'.repeat(5000)}</code>`];
  const packed = packHtml(pieces)!;
  assert.ok(packed.bytes.length < 200, `deflated: ${packed.bytes.length} bytes`);
  const back = packed.unpack();
  assert.deepEqual(
    back.map((p) => p.toString()),
    pieces.map((p) => p.toString()),
  );
  assert.ok(back.every((p) => p instanceof SafeHtml));
  assert.throws(() => new PackedHtml(Symbol('SafeHtml'), Buffer.from('<script>'), [8]), TypeError);
});

test('markup holding a character above U+00FF is neither packed nor copied to Latin-1', () => {
  const wide = markdown('`—`'); // markdown's own text is narrowed; html's templates are not
  assert.ok(packHtml([wide]));
  const template = html`<p>\u2014</p>`;
  assert.equal(packHtml([template]), undefined);
  assert.equal(oneByteHtml(template), template);
  assert.equal(oneByteHtml(html`<p>${'é'}</p>`).toString(), '<p>é</p>');
});

test('html escapes interpolated text in content and attributes', () => {
  const evil = '<script>alert(1)</script>';
  const attr = '"><img src=x onerror=alert(1)>';
  const out = html`<p title="${attr}">${evil}</p>`.toString();
  assert.equal(out, '<p title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">&lt;script&gt;alert(1)&lt;/script&gt;</p>');
  assert.ok(!out.includes('<script'));
  assert.ok(!out.includes('"><img'));
  const single = html`<p title='${"' onmouseover='x"}'>`.toString();
  assert.ok(!single.includes("' onmouseover"), 'single-quoted attributes are safe too');
});

test('html renders numbers, and nothing for null, undefined and false', () => {
  assert.equal(html`${1}|${0}|${null}|${undefined}|${false}|${''}`.toString(), '1|0||||');
});

test('SafeHtml from html nests without double escaping', () => {
  const inner = html`<b>${'a<b'}</b>`;
  const outer = html`<p>${inner} ${'<i>'}</p>`;
  assert.equal(outer.toString(), '<p><b>a&lt;b</b> &lt;i&gt;</p>');
  assert.ok(outer instanceof SafeHtml);
});

test('arrays join, escaping text items and keeping SafeHtml items', () => {
  const items = ['<x>', html`<li>${'&'}</li>`, ['nested', html`<br>`], 7];
  assert.equal(html`<ul>${items}</ul>`.toString(), '<ul>&lt;x&gt;<li>&amp;</li>nested<br>7</ul>');
  assert.equal(join(['a<', html`<b>b</b>`], html`, `).toString(), 'a&lt;, <b>b</b>');
  assert.equal(join(['a', 'b'], '<sep>').toString(), 'a&lt;sep&gt;b');
});

test('SafeHtml cannot be forged from outside', () => {
  assert.throws(() => new SafeHtml(Symbol('SafeHtml'), '<script>'), TypeError);
  const fake = { toString: () => '<script>alert(1)</script>' };
  // Objects smuggled past the types are rendered as escaped text.
  assert.equal(html`${fake as unknown as string}`.toString(), '&lt;script&gt;alert(1)&lt;/script&gt;');
});

test('safeExternalUrl keeps only http and https', () => {
  assert.equal(safeExternalUrl('https://example.com/a?b=1'), 'https://example.com/a?b=1');
  assert.equal(safeExternalUrl(' http://example.com '), 'http://example.com/');
  for (const bad of [
    'javascript:alert(1)',
    ' JavaScript:alert(1)',
    'data:text/html,x',
    '//evil.com',
    '/local',
    'vbscript:x',
    'https//broken',
  ]) {
    assert.equal(safeExternalUrl(bad), undefined, bad);
  }
});
