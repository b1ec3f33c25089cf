import assert from 'node:assert/strict';
import { test } from 'node:test';
import { writeMallocEnv } from './malloc-arenas.js';

test("a writing child's C allocator is held to two arenas and maps large blocks on their own", () => {
  assert.deepEqual(writeMallocEnv({ PATH: '/bin' }), { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' });
});

test("a user's own allocator settings are left as they are", () => {
  assert.deepEqual(writeMallocEnv({ MALLOC_ARENA_MAX: '8' }), { MALLOC_MMAP_THRESHOLD_: '131072' });
  assert.deepEqual(writeMallocEnv({ MALLOC_ARENA_MAX: '8', MALLOC_MMAP_THRESHOLD_: '65536' }), {});
});
