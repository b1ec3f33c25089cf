// Python's strptime as `_strptime` reads a text (strptime.ts): whole-text matches, the first match
// in the regex's order of preference, case-insensitive literals and names, `%z` aware.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { strptime, wallMicros } from './strptime.js';

const at = (text: string, format: string) => {
  const r = strptime(text, format);
  return 'value' in r ? r.value : r;
};

describe('strptime', () => {
  it('reads the fields of a matching text into a naive datetime', () => {
    assert.deepEqual(at('2019-01-01T00:00:00Z', '%Y-%m-%dT%H:%M:%SZ'), { wall: wallMicros(2019, 1, 1) });
    assert.deepEqual(at('2021-03-04 05:06:07.25', '%Y-%m-%d %H:%M:%S.%f'), { wall: wallMicros(2021, 3, 4, 5, 6, 7, 250000) });
    assert.deepEqual(at('Feb 3, 2020 01:02:03 PM', '%b %d, %Y %I:%M:%S %p'), { wall: wallMicros(2020, 2, 3, 13, 2, 3) });
    assert.deepEqual(at('12/31/99 23:59:59', '%m/%d/%y %H:%M:%S'), { wall: wallMicros(1999, 12, 31, 23, 59, 59) });
  });

  it('needs the whole text: data left over, or a text the format does not match, is ValueError', () => {
    assert.deepEqual(at('2019-01-01T00:00:00Z', '%Y-%m-%dT%H:%M:%S'), { error: 'ValueError' });
    assert.deepEqual(at('2019-01-01', '%Y-%m-%d %H:%M:%S'), { error: 'ValueError' });
    // The alternatives in the regex's order: %m takes "11" before "1", so this is November 1st.
    assert.deepEqual(at('2019111', '%Y%m%d'), { wall: wallMicros(2019, 11, 1) });
    // The match ends where the format does: "31" then "1" left over.
    assert.deepEqual(at('311', '%d'), { error: 'ValueError' });
  });

  it('refuses a day the month does not have, and reads literals and names without case', () => {
    assert.deepEqual(at('2019-02-29', '%Y-%m-%d'), { error: 'ValueError' });
    assert.deepEqual(at('2020-02-29t10:00:00z', '%Y-%m-%dT%H:%M:%SZ'), { wall: wallMicros(2020, 2, 29, 10) });
    assert.deepEqual(at('03 MAR 2020 10:00:00', '%d %b %Y %H:%M:%S'), { wall: wallMicros(2020, 3, 3, 10) });
  });

  it('%z gives an aware datetime, Z its own case only', () => {
    assert.deepEqual(at('2020-01-01T00:00:00+02:00', '%Y-%m-%dT%H:%M:%S%z'), { wall: wallMicros(2020, 1, 1), offset: 7_200_000_000n });
    assert.deepEqual(at('2020-01-01T00:00:00-0130', '%Y-%m-%dT%H:%M:%S%z'), { wall: wallMicros(2020, 1, 1), offset: -5_400_000_000n });
    assert.deepEqual(at('2020-01-01T00:00:00Z', '%Y-%m-%dT%H:%M:%S%z'), { wall: wallMicros(2020, 1, 1), offset: 0n });
    assert.deepEqual(at('2020-01-01T00:00:00z', '%Y-%m-%dT%H:%M:%S%z'), { error: 'ValueError' });
  });

  it('a directive it does not read is said, never guessed', () => {
    assert.ok('unsupported' in strptime('2020 001', '%Y %j'));
    assert.ok('unsupported' in strptime('01 01', '%d %d'));
  });
});
