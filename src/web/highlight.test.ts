import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tomlStringRange, yamlValueRange } from '../formats/query-range.js';
import { languages } from '../languages/registry.js';
import { hasHighlight, highlight, highlightRuleBody } from './highlight.js';
import { escapeHtml } from './html.js';

const strip = (out: { toString(): string }) => out.toString().replace(/<\/?span[^>]*>/g, '');
const spans = (out: { toString(): string }, cls: string) =>
  [...out.toString().matchAll(new RegExp(`<span class="hl-${cls}">([^<]*)</span>`, 'g'))].map((m) => m[1]);

test('highlight wraps tokens and escapes everything', () => {
  const kql = highlight('SecurityEvent | where Name == "<script>" // <b>\n| take 10\n| mv-expand x', 'kql').toString();
  assert.match(kql, /<span class="hl-k">where<\/span>/);
  assert.match(kql, /<span class="hl-s">&quot;&lt;script&gt;&quot;<\/span>/);
  assert.match(kql, /<span class="hl-c">\/\/ &lt;b&gt;<\/span>/);
  assert.match(kql, /<span class="hl-n">10<\/span>/);
  assert.match(kql, /<span class="hl-k">mv-expand<\/span>/, 'a keyword across a hyphen');
  assert.ok(!kql.includes('<script>') && !kql.includes('<b>'));

  const kuery = highlight('event.action:"a<b" and not x:1', 'kuery').toString();
  assert.match(kuery, /<span class="hl-p">event\.action<\/span>/);
  assert.match(kuery, /<span class="hl-k">and<\/span> <span class="hl-k">not<\/span>/);
  assert.match(kuery, /&quot;a&lt;b&quot;/);

  const eql = highlight('sequence by host.id [process where process.name : "x.exe"]', 'eql').toString();
  assert.match(eql, /<span class="hl-k">sequence<\/span>/);

  assert.equal(highlight('<img onerror=x>', 'nosuchlanguage').toString(), '&lt;img onerror=x&gt;');
});

test('every registered language declares a highlight syntax, and its keywords show as keywords', () => {
  for (const language of languages) {
    assert.ok(hasHighlight(language.id), `${language.id} has no highlight syntax`);
    const keyword = language.highlight!.keywords[0]!;
    assert.deepEqual(spans(highlight(`x ${keyword} y`, language.id), 'k'), [keyword], language.id);
  }
});

test('each language: comments, strings and case as it writes them', () => {
  const cases: [string, string, string, string][] = [
    // language, text, class, expected token
    ['python', 'def rule(event):  # <x>\n    return "a\\"b"', 'c', '# &lt;x&gt;'],
    ['python', "x = '''multi\nline'''", 's', '&#39;&#39;&#39;multi\nline&#39;&#39;&#39;'],
    ['spl', 'index=main ```a comment``` | STATS count BY user', 'k', 'STATS'],
    ['spl', 'index=main ```a comment``` | stats count', 'c', '&#96;&#96;&#96;a comment&#96;&#96;&#96;'],
    ['spl', 'index=main sourcetype=x', 'p', 'sourcetype'],
    ['sql', "SELECT a FROM t -- note\nWHERE b = 'it''s'", 's', '&#39;it&#39;&#39;s&#39;'],
    ['sql', 'select a from t -- note', 'c', '-- note'],
    ['yaral', 'rule r {\n events:\n  $e.metadata.event_type = "USER_LOGIN" // c\n match:\n  $u over 5m\n}', 'n', '5m'],
    ['yaral', '$e.principal.hostname = /host\\/1/ nocase', 's', '/host\\/1/'],
    ['esql', 'FROM logs-* | WHERE x == 1', 'k', 'FROM'],
    ['lucene', 'process.name:cmd.exe AND NOT user.name:/adm.*/', 's', '/adm.*/'],
    [
      'sigma',
      'detection:\n  selection:\n    Image|endswith: \\cmd.exe\n  condition: selection and not 1 of filter*',
      'p',
      'Image|endswith',
    ],
    ['sigma', 'detection:\n  condition: selection and not 1 of filter*', 'k', 'and'],
    ['panther-detection', 'Detection:\n  - Key: eventName\n    Condition: IEquals\n    Value: x', 'k', 'IEquals'],
    ['eql', 'process where process.name : ?"C:\\x" and x == 1 /* c */', 'c', '/* c */'],
  ];
  for (const [language, text, cls, token] of cases) {
    const out = highlight(text, language);
    assert.ok(spans(out, cls).includes(token), `${language}: ${token} as hl-${cls} in ${out.toString()}`);
    assert.equal(strip(out), escapeHtml(text), `${language} keeps the text`);
  }
});

test('highlight keeps the text: stripping tags gives the escaped input back, in every language and container', () => {
  const input =
    'OktaSSO\n| where eventType_s == "user.session.impersonation.initiate" and outcome_result_s == \'SUCCESS\'\n| mv-expand x = todynamic(target_s) // note\n' +
    '| extend Y = 6h /* <b> */ `m` $e.x # c -- d ```x``` """t""" \'\'\'u\'\'\' key: [v] = 1e5 \\ " unclosed';
  for (const lang of [...languages.map((l) => l.id), 'yaml', 'toml']) {
    const out = highlight(input, lang).toString();
    assert.equal(strip(out), escapeHtml(input), lang);
    assert.ok(!/<(?!\/?span)/.test(out), `${lang}: no markup but spans`);
  }
});

test('highlight is linear and iterative: hostile inputs in every language, 8 MB ones in a few', () => {
  // Unclosed openers repeated (each would scan to the end if tried again from the next character),
  // escapes, nesting, keys, one long line.
  const hostile = ['/* ', '"\\', "'", '```', '("', '@"', 'a-', '$e.', 'x:', '- k: |\n', "'''\n", '[', '[\n', '1.', '\\"'];
  const ids = [...languages.map((l) => l.id), 'yaml', 'toml'];
  const filled = (unit: string, size: number) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
  for (const unit of hostile) {
    const text = filled(unit, 32 * 1024);
    for (const id of ids) assert.equal(strip(highlight(text, id)), escapeHtml(text), `${id} ${JSON.stringify(unit)}`);
  }
  const started = Date.now();
  for (const [unit, id] of [
    ["'''\n", 'toml'],
    ['- k: |\n', 'yaml'],
    ['/* ', 'sql'],
    ["'", 'sql'],
    ['"\\', 'kql'],
  ]) {
    const text = filled(unit!, 8 * 1024 * 1024);
    assert.ok(highlight(text, id!).toString().length >= text.length, `${id} ${JSON.stringify(unit)}`);
  }
  // A quadratic scan of any of these takes hours; the linear one seconds, on a busy machine.
  const seconds = (Date.now() - started) / 1000;
  assert.ok(seconds < 120, `took ${seconds} s`);
});

test('highlightRuleBody highlights YAML and TOML keys and the query where its format says it sits', () => {
  const yamlBody = 'name: "<x>"\nquery: |\n  T | where a == "b"\nversion: 1.0.0\n';
  const yaml = highlightRuleBody(yamlBody, 'yaml', 'kql', yamlValueRange(yamlBody, 'query'));
  assert.deepEqual(spans(yaml, 'p'), ['name', 'query', 'version']);
  assert.deepEqual(spans(yaml, 'k'), ['where']);
  assert.deepEqual(spans(yaml, 'o'), ['|', '|', '=='], 'the block marker, then the query operators');
  assert.equal(strip(yaml), escapeHtml(yamlBody));
  assert.deepEqual(spans(highlightRuleBody(yamlBody, 'yaml', 'kql'), 'k'), [], 'without a range the query is YAML text');

  const tomlBody = "[rule]\nname = \"x\"\nquery = '''\nevent.action:a and b:c\n'''\nnote = '''x'''\n[[rule.threat]]\n";
  const toml = highlightRuleBody(tomlBody, 'toml', 'kuery', tomlStringRange(tomlBody, 'rule', 'query'));
  assert.deepEqual(spans(toml, 'h'), ['[rule]', '[[rule.threat]]']);
  assert.deepEqual(spans(toml, 'p'), ['name', 'query', 'event.action', 'b', 'note']);
  const strings = ['&quot;x&quot;', '&#39;&#39;&#39;\n', '&#39;&#39;&#39;', '&#39;&#39;&#39;x&#39;&#39;&#39;'];
  assert.deepEqual(spans(toml, 's'), strings, 'the quotes around the query stay a string');
  assert.equal(strip(toml), escapeHtml(tomlBody));

  const markdown = '# Title\n\n```kql\nSigninLogs | where x == 1\n```\n';
  const start = markdown.indexOf('SigninLogs');
  const md = highlightRuleBody(markdown, 'text', 'kql', { start, end: markdown.indexOf('\n```\n') });
  assert.deepEqual(spans(md, 'k'), ['where']);
  assert.equal(strip(md), escapeHtml(markdown));

  for (const bad of [
    { start: 5, end: 2 },
    { start: -1, end: 3 },
    { start: 0, end: 10_000 },
    { start: 0.5, end: 3 },
  ]) {
    assert.equal(strip(highlightRuleBody(yamlBody, 'yaml', 'kql', bad)), escapeHtml(yamlBody), JSON.stringify(bad));
  }
});
