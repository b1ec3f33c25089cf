// regexLiterals: the texts the fire index files a regex under must be held by every value the regex
// matches (checked against RE2 itself on values built to match), and as many as can be read.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { linearRegex } from '../analysis/linear-regex.js';
import { regexLiterals } from './match.js';

describe('regexLiterals', () => {
  test('literal runs per top-level branch; groups, classes, escapes and optional characters left out', () => {
    assert.deepEqual(regexLiterals('abc|xyz', false), [['abc'], ['xyz']]);
    assert.deepEqual(regexLiterals('(?i)foo(bar|baz)+qux', false), [['foo', 'qux']]);
    assert.deepEqual(regexLiterals('\\\\Windows\\\\__1\\d{9}\\.\\d{1,7}$', false), [['\\windows\\__1', '.']]);
    // `\x41` is a code: neither its digits nor the letters after it are literals; `c?` and `d*` may be absent.
    assert.deepEqual(regexLiterals('a\\x41bc?d*e', false), [['a', 'e']]);
    assert.deepEqual(regexLiterals('[]abc]def', false), [['def']]);
    assert.deepEqual(regexLiterals('Ünïcode', false), [['n', 'code']]);
    // Without case, `s` also matches `ſ`, which lowercases to itself.
    assert.deepEqual(regexLiterals('sessions', true), [['e', 'ion']]);
    assert.deepEqual(regexLiterals('sessions', false), [['sessions']]);
    assert.equal(regexLiterals('ab\\Qc.d\\E', false), undefined);
    assert.equal(regexLiterals('ab)c', false), undefined);
    assert.equal(regexLiterals('ab[c', false), undefined);
  });

  test('every value RE2 matches holds the texts of one branch, in its lowercase text', () => {
    const cases: { source: string; flags: string; values: string[] }[] = [
      {
        source: '\\\\(svchost|lsass)\\.exe$|\\\\Temp\\\\[a-z]{3,}se?ss?ion\\d*\\.exe$',
        flags: 'i',
        values: ['C:\\LSASS.EXE', 'c:\\temp\\abcſeſſion1.exe', 'C:\\TEMP\\ABCSSION.EXE'],
      },
      {
        source: 'Invoke-(Mimikatz|Kerberoast)\\s+-Dump(Creds)?',
        flags: 'i',
        values: ['invoke-mimikatz  -dump', 'INVOKE-KERBEROAST -DUMPCREDS'],
      },
      { source: 'ab+c{2}d?e*[xyz]{0,3}f\\.g', flags: '', values: ['abbbccf.g', 'abccdeeexxf.g'] },
      { source: '(?i)kerberos|krbtgt\\$', flags: '', values: ['KERBEROS', 'KRBTGT$', 'krbtgt$'] },
      { source: 'K\\x41\\d+z|^$', flags: 'i', values: ['\u212aa12Z', ''] },
    ];
    for (const { source, flags, values } of cases) {
      const regex = linearRegex(source, flags);
      assert.ok('regex' in regex, source);
      const branches = regexLiterals(source, flags.includes('i'));
      assert.ok(branches, source);
      for (const value of values) {
        assert.ok(regex.regex.test(value), `${source} should match ${value}`);
        const lower = value.toLowerCase();
        assert.ok(
          branches.some((texts) => texts.every((t) => lower.includes(t))),
          `${JSON.stringify(value)} matches ${source} but holds no branch of ${JSON.stringify(branches)}`,
        );
      }
    }
  });
});
