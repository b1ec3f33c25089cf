import assert from 'node:assert/strict';
import { test } from 'node:test';
import { markdown } from './html.js';

test('markdown: headings, lists, code and http(s) links render', () => {
  const out = markdown('## Triage\n\n- one\n- `two`\n\n[Okta](https://help.okta.com/x)\n\n```\nq | where a\n```').toString();
  assert.match(out, /<h2>Triage<\/h2>/);
  assert.match(out, /<li><code>two<\/code><\/li>/);
  assert.match(out, /<a href="https:\/\/help\.okta\.com\/x" rel="noopener noreferrer nofollow" target="_blank">Okta<\/a>/);
  assert.match(out, /<pre><code>q \| where a\n<\/code><\/pre>/);
});

test('markdown: raw HTML, script links and images stay inert text', () => {
  const out = markdown(
    '<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[click](javascript:alert(1)) [data](data:text/html,x) ![i](https://example.com/a.png) <a href="javascript:x">a</a>',
  ).toString();
  assert.doesNotMatch(out, /<script|<img|<a href="javascript|href="data/i);
  assert.match(out, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(out, /\[click\]\(javascript:alert\(1\)\)/, 'a refused link is its text');
});
