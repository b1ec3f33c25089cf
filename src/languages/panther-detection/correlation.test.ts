import assert from 'node:assert/strict';
import test from 'node:test';
import { loadYaml } from '../../formats/yaml.js';
import { runCorrelationTest } from './correlation.js';

/** The Detection of a rule written as YAML, and the outputs of a test. */
const detection = (text: string) => (loadYaml(text) as { Detection: unknown }).Detection;
const outputs = (text: string) => loadYaml(text);
const fires = (d: string, o: string) => runCorrelationTest(detection(d), outputs(o)).fires;

const pair = `
Detection:
  - Group:
      - ID: Open
        RuleID: Door.Open
      - ID: Take
        RuleID: Item.Taken
        MinMatchCount: 2
    MatchCriteria:
      room:
        - GroupID: Open
          Match: door.room
        - GroupID: Take
          Match: item.room
    LookbackWindowMinutes: 60
`;

test('group: every step with one shared value, MinMatchCount signals, in any order', () => {
  assert.equal(
    fires(pair, '[{ID: Open, Matches: {door.room: {kitchen: [10]}}}, {ID: Take, Matches: {item.room: {kitchen: [0, 5]}}}]'),
    'yes',
  );
  // One Take signal is fewer than MinMatchCount 2.
  assert.equal(fires(pair, '[{ID: Open, Matches: {door.room: {kitchen: [0]}}}, {ID: Take, Matches: {item.room: {kitchen: [5]}}}]'), 'no');
  // The values differ.
  assert.equal(fires(pair, '[{ID: Open, Matches: {door.room: {kitchen: [0]}}}, {ID: Take, Matches: {item.room: {hall: [1, 2]}}}]'), 'no');
  // A step has no output at all.
  assert.equal(fires(pair, '[{ID: Open, Matches: {door.room: {kitchen: [0]}}}]'), 'no');
});

test('group: the steps within LookbackWindowMinutes, times as minutes or ISO dates', () => {
  assert.equal(fires(pair, '[{ID: Open, Matches: {door.room: {k: [0]}}}, {ID: Take, Matches: {item.room: {k: [30, 61]}}}]'), 'no');
  assert.equal(fires(pair, '[{ID: Open, Matches: {door.room: {k: [0, 100]}}}, {ID: Take, Matches: {item.room: {k: [90, 130]}}}]'), 'yes');
  const dates = (take: string) =>
    `[{ID: Open, Matches: {door.room: {k: ["2024-01-01T10:00:00Z"]}}}, {ID: Take, Matches: {item.room: {k: ["2024-01-01T10:20:00Z", "${take}"]}}}]`;
  assert.equal(fires(pair, dates('2024-01-01T11:00:00Z')), 'yes');
  assert.equal(fires(pair, dates('2024-01-01T11:00:01Z')), 'no');
  const mixed = '[{ID: Open, Matches: {door.room: {k: [0]}}}, {ID: Take, Matches: {item.room: {k: ["2024-01-01T10:20:00Z", 3]}}}]';
  assert.equal(runCorrelationTest(detection(pair), outputs(mixed)).fires, 'unknown');
  // Without LookbackWindowMinutes the documented default is 15.
  const short = pair.replace('    LookbackWindowMinutes: 60\n', '');
  assert.equal(fires(short, '[{ID: Open, Matches: {door.room: {k: [0]}}}, {ID: Take, Matches: {item.room: {k: [10, 15]}}}]'), 'yes');
  assert.equal(fires(short, '[{ID: Open, Matches: {door.room: {k: [0]}}}, {ID: Take, Matches: {item.room: {k: [10, 16]}}}]'), 'no');
});

const absence = `
Detection:
  - Group:
      - ID: Badge
        RuleID: Badge.Used
        Absence: true
      - ID: Enter
        RuleID: Door.Entered
    MatchCriteria:
      person:
        - GroupID: Badge
          Match: badge.holder
        - GroupID: Enter
          Match: person
    LookbackWindowMinutes: 30
`;

test('group: an absent step defeats a match when it has a signal of that value within the window, before or after', () => {
  assert.equal(fires(absence, '[{ID: Enter, Matches: {person: {ann: [10]}}}]'), 'yes');
  assert.equal(fires(absence, '[{ID: Enter, Matches: {person: {ann: [10]}}}, {ID: Badge, Matches: {badge.holder: {ann: [5]}}}]'), 'no');
  assert.equal(fires(absence, '[{ID: Enter, Matches: {person: {ann: [10]}}}, {ID: Badge, Matches: {badge.holder: {ann: [15]}}}]'), 'no');
  assert.equal(fires(absence, '[{ID: Enter, Matches: {person: {ann: [10]}}}, {ID: Badge, Matches: {badge.holder: {bob: [9]}}}]'), 'yes');
  assert.equal(fires(absence, '[{ID: Enter, Matches: {person: {ann: [100]}}}, {ID: Badge, Matches: {badge.holder: {ann: [0]}}}]'), 'yes');
});

test('group without MatchCriteria: every signal of a step counts, whatever its values', () => {
  const loose = absence.replace(/ {4}MatchCriteria:[\s\S]*?(?= {4}LookbackWindowMinutes)/, '');
  assert.equal(fires(loose, '[{ID: Enter, Matches: {x: {a: [0]}}}]'), 'yes');
  assert.equal(fires(loose, '[{ID: Enter, Matches: {x: {a: [0]}}}, {ID: Badge, Matches: {y: {b: [3]}}}]'), 'no');
});

const sequence = `
Detection:
  - Sequence:
      - ID: Made
        RuleID: Account.Made
      - ID: Raised
        RuleID: Account.Raised
      - ID: Gone
        RuleID: Account.Gone
    Transitions:
      - ID: Made FOLLOWED BY Raised
        From: Made
        To: Raised
        WithinTimeFrameMinutes: 10
        Match:
          - On: account
      - ID: Raised FOLLOWED BY Gone
        From: Raised
        To: Gone
        Match:
          - On: account
    LookbackWindowMinutes: 60
`;

test('sequence: steps in order, each transition within its time frame, on equal values', () => {
  const run = (made: string, raised: string, gone: string) =>
    fires(
      sequence,
      `[{ID: Made, Matches: {account: {${made}}}}, {ID: Raised, Matches: {account: {${raised}}}}, {ID: Gone, Matches: {account: {${gone}}}}]`,
    );
  assert.equal(run('a: [0]', 'a: [5]', 'a: [50]'), 'yes');
  // Out of order.
  assert.equal(run('a: [6]', 'a: [5]', 'a: [50]'), 'no');
  // Made → Raised past its 10 minutes.
  assert.equal(run('a: [0]', 'a: [11]', 'a: [50]'), 'no');
  // Raised → Gone within the default (the lookback), but the whole sequence past the lookback.
  assert.equal(run('a: [0]', 'a: [5]', 'a: [61]'), 'no');
  // Another account.
  assert.equal(run('a: [0]', 'a: [5]', 'b: [50]'), 'no');
  // A later Made signal starts a sequence that holds.
  assert.equal(run('a: [0, 40]', 'a: [45]', 'a: [50]'), 'yes');
  assert.equal(fires(sequence, '[{ID: Made, Matches: {account: {a: [0]}}}, {ID: Raised, Matches: {account: {a: [5]}}}]'), 'no');
});

test('constructs not read are unknown, with what they are', () => {
  const unknown = (d: string, o: string, why: RegExp) => {
    const answer = runCorrelationTest(detection(d), outputs(o));
    assert.equal(answer.fires, 'unknown');
    assert.match(answer.reason, why);
  };
  const one = '[{ID: Made, Matches: {account: {a: [0]}}}]';
  unknown(sequence.replace('        RuleID: Account.Gone', '        RuleID: Account.Gone\n        Absence: true'), one, /Absence/);
  unknown(
    sequence.replace('          - On: account\n    LookbackWindowMinutes', '          - On: owner\n    LookbackWindowMinutes'),
    one,
    /matched on account and owner/,
  );
  unknown(
    sequence.replace('    LookbackWindowMinutes: 60', '    EventEvaluationOrder: Arrival\n    LookbackWindowMinutes: 60'),
    one,
    /EventEvaluationOrder/,
  );
  const open = '[{ID: Open, Matches: {door.room: {k: [0]}}}]';
  unknown(pair.replace('    LookbackWindowMinutes: 60', '    Window: 3\n    LookbackWindowMinutes: 60'), open, /Window/);
  unknown(pair, '[{ID: Opened, Matches: {door.room: {k: [0]}}}]', /no step/);
  unknown(pair, '[{ID: Open, Matches: {room: {k: [0]}}}]', /give room, the criterion reads door\.room/);
  unknown(pair.replace('      room:', '      other:\n        - GroupID: Open\n          Match: x\n      room:'), open, /2 criteria/);
  unknown(pair, '[{ID: Open, Matches: {door.room: {k: [yesterday]}}}]', /neither minutes nor a date/);
  // Chronological is the order the tests' times give.
  assert.equal(
    fires(
      pair.replace('    LookbackWindowMinutes: 60', '    EventEvaluationOrder: Chronological\n    LookbackWindowMinutes: 60'),
      '[{ID: Open, Matches: {door.room: {k: [3]}}}, {ID: Take, Matches: {item.room: {k: [0, 1]}}}]',
    ),
    'yes',
  );
});
