import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kindOf, parseKusto, type SyntaxElement } from './loader.js';

/** Every element's kind and every token's text, depth first: two trees print the same only when they are the same. */
function print(element: SyntaxElement | null | undefined): string {
  if (!element) return '';
  const own = element.IsToken ? `${kindOf(element)}:${(element as unknown as { Text: string }).Text}` : kindOf(element);
  const children: string[] = [];
  for (let i = 0; i < element.ChildCount; i++) children.push(print(element.GetChild(i)));
  return children.length ? `${own}(${children.join(',')})` : own;
}

interface Code {
  Syntax: SyntaxElement | null;
  GetSyntaxDiagnostics(): { Count: number; getItem(i: number): { Start: number; Message: string } };
}

/** What KustoCode.Parse, the library's own entry point, gives for a text (parseKusto has loaded the library). */
function viaKustoCode(text: string): { tree: string; diagnostics: string[] } {
  const kusto = (globalThis as unknown as { Kusto: { Language: { KustoCode: { Parse(t: string): Code } } } }).Kusto;
  const code = kusto.Language.KustoCode.Parse(text);
  const list = code.GetSyntaxDiagnostics();
  const diagnostics: string[] = [];
  for (let i = 0; i < list.Count; i++) diagnostics.push(`${list.getItem(i).Start}:${list.getItem(i).Message}`);
  return { tree: print(code.Syntax), diagnostics };
}

const queries = [
  'SecurityEvent | where EventID == 4688 and Process has "cmd" | project TimeGenerated, Computer',
  'let threshold = 5;\nSigninLogs\n| where ResultType in ("50126", "50053")\n| summarize count() by UserPrincipalName\n| where count_ > threshold',
  'union isfuzzy=true (T1 | where a =~ "x"), (T2 | extend b = tolower(c))\n| join kind=inner (T3) on $left.k == $right.k',
  '// a comment\nDeviceProcessEvents | where FileName in~ ("certutil.exe") and ProcessCommandLine matches regex @"(?i)-urlcache"',
  'T | where a == | project',
  'T | where (a == 1',
  '',
  '.show tables',
];

describe('parseKusto', () => {
  it("gives KustoCode.Parse's tree and diagnostics, for queries, broken queries and commands", () => {
    for (const text of queries) {
      const direct = parseKusto(text);
      const expected = viaKustoCode(text);
      assert.match(expected.tree, /^QueryBlock\(|^CommandBlock\(/, text);
      assert.equal(print(direct.root), expected.tree, text);
      assert.deepEqual(
        direct.diagnostics.map((d) => `${d.start}:${d.message}`),
        expected.diagnostics,
        text,
      );
    }
  });

  it('reports the errors of a broken query with their offsets', () => {
    const { diagnostics } = parseKusto('T | where a == | project');
    assert.ok(diagnostics.length > 0);
    assert.ok(diagnostics.every((d) => d.severity === 'error' && d.start >= 0));
  });
});
