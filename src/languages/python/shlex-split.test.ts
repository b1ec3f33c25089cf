// `shlex.split(f)` (shlex-split.ts): tests on the words of a command line, split as Python splits
// it; a `try` around the split with a handler of ValueError reads as a test of whether it splits.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadPython, modelFires, modelRule } from './model-harness.js';
import { pyShlexSplit } from './shlex-split.js';

before(loadPython);

const log = 'Custom.Log';

describe("Python's shlex.split", () => {
  // Each expected list is what CPython's shlex.split gives for the text.
  it('splits on whitespace, removes quotes, keeps a quoted empty word', () => {
    assert.deepEqual(pyShlexSplit('aws s3 ls'), ['aws', 's3', 'ls']);
    assert.deepEqual(pyShlexSplit('  a  b '), ['a', 'b']);
    assert.deepEqual(pyShlexSplit('tab\there\nnl'), ['tab', 'here', 'nl']);
    assert.deepEqual(pyShlexSplit('a"b c"d'), ['ab cd']);
    assert.deepEqual(pyShlexSplit("'' x"), ['', 'x']);
    assert.deepEqual(pyShlexSplit('a#b'), ['a#b']);
    assert.deepEqual(pyShlexSplit('é ü'), ['é', 'ü']);
    assert.deepEqual(pyShlexSplit(''), []);
    assert.deepEqual(pyShlexSplit('   '), []);
  });

  it('escapes: any character outside quotes, only " and \\ inside double quotes, none inside single quotes', () => {
    assert.deepEqual(pyShlexSplit("it\\'s"), ["it's"]);
    assert.deepEqual(pyShlexSplit('a\\ b'), ['a b']);
    assert.deepEqual(pyShlexSplit('x "a\\"b" "a\\nb"'), ['x', 'a"b', 'a\\nb']);
    assert.deepEqual(pyShlexSplit("'a\\b'"), ['a\\b']);
  });

  it('raises (undefined) on an unclosed quote or a trailing backslash', () => {
    assert.equal(pyShlexSplit("it's"), undefined);
    assert.equal(pyShlexSplit('"unclosed'), undefined);
    assert.equal(pyShlexSplit('trail\\'), undefined);
  });
});

describe('the first word of a split command line', () => {
  const code =
    'import shlex\n' +
    'def rule(event):\n' +
    '    command = event.get("command")\n' +
    '    if not command:\n' +
    '        return False\n' +
    '    try:\n' +
    '        words = shlex.split(command)\n' +
    '    except ValueError:\n' +
    '        return False\n' +
    '    return words[0] == "aws"\n';

  it('compares the first word; a text that does not split takes the handler', () => {
    const rule = modelRule(code, log);
    assert.equal(modelFires(rule, { command: 'aws s3 ls' }, log), 'yes');
    assert.equal(modelFires(rule, { command: '"aws" s3 ls' }, log), 'yes');
    assert.equal(modelFires(rule, { command: 'awscli s3' }, log), 'no');
    assert.equal(modelFires(rule, { command: 'echo "aws' }, log), 'no');
    assert.equal(modelFires(rule, {}, log), 'no');
    // Only spaces split to no word: words[0] raises IndexError.
    assert.equal(modelFires(rule, { command: '   ' }, log), 'unknown');
  });

  it('without the handler, a text that does not split raises: not evaluated', () => {
    const rule = modelRule(
      code.replace(
        / {4}try:\n {8}words = shlex.split\(command\)\n {4}except ValueError:\n {8}return False\n/,
        '    words = shlex.split(command)\n',
      ),
      log,
    );
    assert.equal(modelFires(rule, { command: 'aws s3 ls' }, log), 'yes');
    assert.equal(modelFires(rule, { command: 'echo "aws' }, log), 'unknown');
  });

  it('a handler of another exception does not catch the ValueError', () => {
    const rule = modelRule(code.replace('except ValueError', 'except KeyError'), log);
    assert.equal(modelFires(rule, { command: 'aws s3 ls' }, log), 'yes');
    assert.equal(modelFires(rule, { command: 'echo "aws' }, log), 'unknown');
  });

  it('split imported by name; a function of the rule named split is not the library', () => {
    const named = modelRule(code.replace('import shlex', 'from shlex import split').replace('shlex.split(', 'split('), log);
    assert.equal(modelFires(named, { command: '"aws" s3' }, log), 'yes');
    const own = modelRule(code.replace('import shlex', 'class Shlex:\n    def split(self, x):\n        return [x]\nshlex = Shlex()'), log);
    assert.equal(modelFires(own, { command: '"aws" s3' }, log), 'unknown');
  });
});

describe('every word of a split command line', () => {
  const code =
    'import shlex\n' +
    'from fnmatch import fnmatch\n' +
    'ARGS = {"/tmp/*", "nc", "wget"}\n' +
    'def suspicious(command):\n' +
    '    for arg in shlex.split(command.replace("\'", "\\\\\'")):\n' +
    '        if any(fnmatch(arg, a) for a in ARGS):\n' +
    '            return True\n' +
    '    return False\n' +
    'def rule(event):\n' +
    '    command = event.get("command")\n' +
    '    if not command:\n' +
    '        return False\n' +
    '    return suspicious(command)\n';

  it('matches a word, after the replacements written before the split', () => {
    const rule = modelRule(code, log);
    assert.equal(modelFires(rule, { command: 'nc -l 4444' }, log), 'yes');
    assert.equal(modelFires(rule, { command: '"/tmp/x y" --run' }, log), 'yes');
    // The whole text matches /tmp/* but no word does.
    assert.equal(modelFires(rule, { command: '/tmpx /tmp' }, log), 'no');
    assert.equal(modelFires(rule, { command: 'ncat -l' }, log), 'no');
    // A single quote escaped before the split: no unclosed quote.
    assert.equal(modelFires(rule, { command: "echo it's nc" }, log), 'yes');
    assert.equal(modelFires(rule, { command: 'echo "nc' }, log), 'unknown');
  });

  it('w in words is an element equal, not a substring', () => {
    const plain = modelRule('import shlex\ndef rule(event):\n    return "--force" in shlex.split(event.get("command"))\n', log);
    assert.equal(modelFires(plain, { command: 'rm --force a' }, log), 'yes');
    assert.equal(modelFires(plain, { command: 'rm --forced a' }, log), 'no');
    // shlex.split of a number or of None raises.
    assert.equal(modelFires(plain, { command: 5 }, log), 'unknown');
    assert.equal(modelFires(plain, {}, log), 'unknown');
  });
});

describe('the words of a split command line, counted and tested together', () => {
  const rule = (body: string) => modelRule(`import shlex\ndef rule(event):\n    words = shlex.split(event.get("command"))\n${body}`, log);

  it('len(words) is the count of words, not the length of the text', () => {
    const counted = rule('    return len(words) > 2\n');
    assert.equal(modelFires(counted, { command: 'a "b c" d' }, log), 'yes');
    assert.equal(modelFires(counted, { command: 'a "b c d"' }, log), 'no');
    const any = rule('    return len(words) > 0\n');
    assert.equal(modelFires(any, { command: '   ' }, log), 'no');
    assert.equal(modelFires(any, { command: "''" }, log), 'yes');
    const one = rule('    return words == ["ls"]\n');
    assert.equal(modelFires(one, { command: '"ls"' }, log), 'yes');
    assert.equal(modelFires(one, { command: 'ls -l' }, log), 'no');
  });

  it('two tests on one word, or a negated one, are not read as tests of any word each', () => {
    // No one word is both: Python returns False, reading each test on any word would say True.
    const both = rule(
      '    for w in words:\n        if w.startswith("-") and w.endswith("x"):\n            return True\n    return False\n',
    );
    assert.equal(modelFires(both, { command: '-a bx' }, log), 'unknown');
    const negatedLoop = rule('    for w in words:\n        if w != "ls":\n            return True\n    return False\n');
    assert.equal(modelFires(negatedLoop, { command: 'ls -l' }, log), 'unknown');
    const all = rule('    return all(w.startswith("-") for w in words)\n');
    assert.equal(modelFires(all, { command: '-a b' }, log), 'unknown');
  });

  it('one positive test per word reads exactly, and all() of a negated test is none passing it', () => {
    const some = rule('    return any(w.startswith("-") for w in words)\n');
    assert.equal(modelFires(some, { command: 'ls "-l"' }, log), 'yes');
    assert.equal(modelFires(some, { command: 'ls "a -l"' }, log), 'no');
    const none = rule('    return all(not w.startswith("-") for w in words)\n');
    assert.equal(modelFires(none, { command: 'ls "a -l"' }, log), 'yes');
    assert.equal(modelFires(none, { command: 'ls -l' }, log), 'no');
  });
});

describe('readings of a list of words that are not read', () => {
  it('the words joined again, a word from the end and keys of the list stay unknown', () => {
    const rule = (body: string) => modelRule(`import shlex\ndef rule(event):\n    words = shlex.split(event.get("command"))\n${body}`, log);
    // Joined with spaces the quotes are gone: "a b" in it although no word holds it.
    assert.equal(modelFires(rule('    return "a b" in " ".join(words)\n'), { command: 'a b' }, log), 'unknown');
    assert.equal(modelFires(rule('    return words[-1] == "x"\n'), { command: 'a x' }, log), 'unknown');
    assert.equal(
      modelFires(rule('    return shlex.split(event.get("command"), posix=False)[0] == "x"\n'), { command: 'x' }, log),
      'unknown',
    );
  });
});
