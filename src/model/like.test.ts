import assert from 'node:assert/strict';
import { test } from 'node:test';
import { likeToWildcard } from './like.js';

test('LIKE patterns read as wildcards: % and _ are * and ?, escapes and literal * ? kept literal', () => {
  assert.equal(likeToWildcard('%Image%'), '*Image*');
  assert.equal(likeToWildcard('aws_%'), 'aws?*');
  assert.equal(likeToWildcard('100\\%'), '100%');
  assert.equal(likeToWildcard('a\\_b'), 'a_b');
  assert.equal(likeToWildcard('what?*'), 'what\\?\\*');
  assert.equal(likeToWildcard('C:\\\\Windows%'), 'C:\\\\Windows*');
  assert.equal(likeToWildcard('plain'), 'plain');
});
