// Preloaded into the load test's server (`node --import <this module> bin/ruleatlas.js serve ...`,
// bench/load.ts) to say where an answer's latency goes besides the CPU it takes: V8's garbage
// collection pauses and how late the event loop ran its timers (anything that blocked it: a long
// render, a pause, the process waiting for a core), and how many bytes of JS heap the server allocated
// (what fills the young generation, so how often it is collected). Inert unless RULEATLAS_PROBE_FILE names a file:
// on SIGUSR2 it writes what it saw since the last SIGUSR2 there (ProbeWindow, JSON) and starts afresh.
import { writeFileSync } from 'node:fs';
import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { GCProfiler, getHeapStatistics } from 'node:v8';

export interface ProbeWindow {
  /** Counts up with every window written, so that a reader knows the file is the one it asked for. */
  window: number;
  gcPauses: number;
  gcMs: number;
  gcLongestMs: number;
  /**
   * The pauses that were not scavenges (mark-compacts, mostly), apart: each marks the whole catalog's
   * heap, and its incremental marking before the pause (hundreds of ms of steps on the main thread,
   * which no pause counts) shows only in the event-loop delay.
   */
  gcFullPauses: number;
  gcFullMs: number;
  /** Event-loop delay (ms): how much later than due a 1 ms timer ran. */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  /** Bytes of JS heap allocated in the window: what the heap grew by between collections, plus what it held before each. */
  heapAllocatedBytes: number;
}

/** One collection as GCProfiler reports it: the heap's used bytes before and after. */
interface CollectionSizes {
  beforeGC: { heapStatistics: { usedHeapSize: number } };
  afterGC: { heapStatistics: { usedHeapSize: number } };
}

/**
 * Bytes allocated between two readings of the heap's used size, `startUsed` and `endUsed`, with the
 * collections in between: each collection's "before" less the last "after" (or the start) is what
 * was allocated meanwhile; V8 keeps no running total of its own.
 */
export function allocatedBytes(startUsed: number, collections: readonly CollectionSizes[], endUsed: number): number {
  let allocated = 0;
  let last = startUsed;
  for (const c of collections) {
    allocated += c.beforeGC.heapStatistics.usedHeapSize - last;
    last = c.afterGC.heapStatistics.usedHeapSize;
  }
  return allocated + endUsed - last;
}

const file = process.env.RULEATLAS_PROBE_FILE;
if (file) {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  let pauses: number[] = [];
  let fullPauses: number[] = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      pauses.push(entry.duration);
      const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
      if (kind !== constants.NODE_PERFORMANCE_GC_MINOR) fullPauses.push(entry.duration);
    }
  }).observe({ entryTypes: ['gc'] });
  let profiler = new GCProfiler();
  let startUsed = getHeapStatistics().used_heap_size;
  profiler.start();
  let window = 0;
  process.on('SIGUSR2', () => {
    const endUsed = getHeapStatistics().used_heap_size;
    const collections = profiler.stop().statistics;
    const seen: ProbeWindow = {
      window: ++window,
      gcPauses: pauses.length,
      gcMs: pauses.reduce((a, b) => a + b, 0),
      gcLongestMs: pauses.reduce((a, b) => Math.max(a, b), 0),
      gcFullPauses: fullPauses.length,
      gcFullMs: fullPauses.reduce((a, b) => a + b, 0),
      loopDelayP99Ms: delay.count ? delay.percentile(99) / 1e6 : 0,
      loopDelayMaxMs: delay.count ? delay.max / 1e6 : 0,
      heapAllocatedBytes: allocatedBytes(startUsed, collections, endUsed),
    };
    writeFileSync(file, JSON.stringify(seen));
    pauses = [];
    fullPauses = [];
    delay.reset();
    profiler = new GCProfiler();
    startUsed = getHeapStatistics().used_heap_size;
    profiler.start();
  });
}
