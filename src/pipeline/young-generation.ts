// The young generation of a process that writes a catalog. V8 fixes the largest size of its
// semi-spaces when the process starts, before the write knows how much it will analyse, but lets a
// semi-space grow only by its growth factor, a flag it reads each time: held at 1, the semi-spaces
// keep the size they have. bin/ruleatlas.js starts a build with 8 MB semi-spaces and holds
// them at their first size (1 MB) before anything is loaded; a fresh write small enough for the
// helper thread (catalog/parallel.ts HELPER_MAX_BYTES) lets them grow, a larger one keeps them held.
import { setFlagsFromString } from 'node:v8';

/** Semi-spaces stay the size they are (a no-op for the size a process has not yet reached). */
export function holdYoungGeneration(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}

/** Semi-spaces grow again as V8 grows them (factor 2, its default), up to the process's largest size. */
export function releaseYoungGeneration(): void {
  setFlagsFromString('--semi-space-growth-factor=2');
}
