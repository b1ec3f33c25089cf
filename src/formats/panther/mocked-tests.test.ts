// A Panther test's Mocks read as its inputs (mocked-tests.ts): the test keeps its rule read with
// them, and the model's answer for that test (runTest) is the rule's as that test runs it.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { AttackCatalog } from '../../attack/catalog.js';
import { rulesByNativeId, runTest } from '../../evaluate/run-tests.js';
import { prepareLanguages } from '../../languages/registry.js';
import { readRuleFile } from '../../catalog/read-file.js';

before(() => prepareLanguages(['python']));

const yaml = `AnalysisType: rule
Filename: new_user_login.py
RuleID: Fixture.NewUserLogin
LogTypes:
  - Custom.Login
Severity: Low
Tests:
  - Name: a new user (the cache, mocked)
    ExpectedResult: false
    Mocks:
      - objectName: check_account_age
        returnValue: "True"
    Log: { eventName: ConsoleLogin, user: alice }
  - Name: a known user (the cache, mocked)
    ExpectedResult: true
    Mocks:
      - objectName: check_account_age
        returnValue: "False"
    Log: { eventName: ConsoleLogin, user: bob }
  - Name: no mocks
    ExpectedResult: true
    Log: { eventName: ConsoleLogin, user: carol }
`;

const python = `from panther_detection_helpers.caching import check_account_age


def rule(event):
    if event.get("eventName") != "ConsoleLogin":
        return False
    is_new = check_account_age(event.get("user"))
    if isinstance(is_new, str):
        is_new = is_new == "True"
    return not is_new
`;

describe("a Panther test's mocks", () => {
  test("each test with mocks is answered by the rule read with them; the catalog's rule is read as it runs in production", () => {
    const outcome = readRuleFile(
      { path: 'rules/new_user_login.yml', text: yaml, readRelated: (p) => (p === 'new_user_login.py' ? python : undefined) },
      { attack: AttackCatalog.fromObjects([]), sourceName: 'panther' },
    );
    assert.equal(outcome.kind, 'rules');
    if (outcome.kind !== 'rules') return;
    const rules = rulesByNativeId(outcome.rules);
    const tests = outcome.tests ?? [];
    assert.deepEqual(
      tests.map((t) => [t.name, Boolean(t.mockedStages), runTest(t, rules).model]),
      [
        ['a new user (the cache, mocked)', true, 'no'],
        ['a known user (the cache, mocked)', true, 'yes'],
        ['no mocks', false, 'unknown'],
      ],
    );
  });
});
