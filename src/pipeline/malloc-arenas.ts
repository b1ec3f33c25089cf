// How a writing process's C allocator (glibc malloc) hands memory back. Each thread that allocates
// natively (the analysing helper, V8's background compilers and collectors, zlib, SQLite) gets an arena
// of its own, up to eight per core, and memory freed in an arena mostly stays in the process. And once a
// large block (a big rule's JSON as UTF-8, its deflated row) is freed, glibc raises its mmap threshold
// (up to 32 MB), so later blocks of that size come from the arenas and stay there once freed too.
// Two arenas and a fixed threshold (its default, 128 KB: large blocks are always mapped, so freeing one
// unmaps it). Measured on the whole shared corpus plus the fault corpus (2-core machine, load 17-20,
// runs side by side): peak RSS 463/443 MB as it was, 424/423 with two arenas, 404 with both; CPU time
// within noise. The variables are read when the process starts, so the bin sets them for the build's
// child; another C library ignores them.

/** Arenas of a writing process (see above). */
const WRITE_MALLOC_ARENAS = 2;

/** Blocks from this many bytes are mapped on their own: glibc's default, fixed (see above). */
const WRITE_MMAP_THRESHOLD = 128 * 1024;

/** What to add to a writing child's environment: the allocator's settings the user did not set. */
export function writeMallocEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  if (!env.MALLOC_ARENA_MAX) out.MALLOC_ARENA_MAX = String(WRITE_MALLOC_ARENAS);
  if (!env.MALLOC_MMAP_THRESHOLD_) out.MALLOC_MMAP_THRESHOLD_ = String(WRITE_MMAP_THRESHOLD);
  return out;
}
