import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { flattenWindowsEvent, recogniseLog } from './event-log.js';
import { eventsOfText } from './json-documents.js';

describe('event logs and shapes', () => {
  const defender = {
    Event: {
      System: {
        Provider: { '#attributes': { Name: 'Microsoft-Windows-Windows Defender' } },
        EventID: { '#text': 1119 },
        Channel: 'Microsoft-Windows-Windows Defender/Operational',
      },
      EventData: { 'Threat Name': 'EICAR', Data: [{ '#attributes': { Name: 'Path' }, '#text': 'C:\\x' }] },
    },
  };

  it('recognises the Windows XML shape, a flat Windows event, and nothing else', () => {
    assert.deepEqual(recogniseLog(defender).windows, {
      channel: 'Microsoft-Windows-Windows Defender/Operational',
      eventId: '1119',
      provider: 'Microsoft-Windows-Windows Defender',
    });
    assert.equal(recogniseLog({ Channel: 'Security', EventID: 4624 }).windows?.eventId, '4624');
    assert.equal(recogniseLog({ eventName: 'x' }).windows, undefined);
    assert.equal(recogniseLog({ eventName: 'x' }, 'aws/cloudtrail').how, '--log-type');
  });

  it('flattens System, EventData (named Data items too) and names with spaces also without them', () => {
    const flat = flattenWindowsEvent(defender)!;
    assert.equal(flat.EventID, 1119);
    assert.equal(flat.Provider_Name, 'Microsoft-Windows-Windows Defender');
    assert.equal(flat.ThreatName, 'EICAR');
    assert.equal(flat['Threat Name'], 'EICAR');
    assert.equal(flat.Path, 'C:\\x');
  });

  it('reads one JSON value, JSON Lines, values one after another, and arrays of events', () => {
    assert.deepEqual(eventsOfText('{"a": 1}'), [{ a: 1 }]);
    assert.deepEqual(eventsOfText('{"a": "}"}\n{"b": [1, 2]}\n'), [{ a: '}' }, { b: [1, 2] }]);
    assert.deepEqual(eventsOfText('{"a":1}{"a":2}'), [{ a: 1 }, { a: 2 }]);
    assert.deepEqual(eventsOfText('[{"a":1}, {"a":2}]'), [{ a: 1 }, { a: 2 }]);
    assert.throws(() => eventsOfText('{"a": 1'), /not closed/);
    assert.throws(() => eventsOfText('{"a": x}'), /does not parse/);
  });
});
