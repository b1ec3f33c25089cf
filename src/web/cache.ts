/**
 * A small cache of rendered responses and values, bounded by entries and by total weight (bytes),
 * evicting the least recently used, approximately: a hit marks its entry (a "second chance", the CLOCK
 * algorithm) instead of moving it to the back, and eviction passes over a marked entry once, clearing
 * its mark. The catalog never changes while the server runs, so a page rendered once stays right; the
 * bounds keep memory flat.
 *
 * Why not move a hit to the back (delete and set again): a Map keeps deleted entries as holes in its
 * table and copies the table when they fill it; for the caches a server fills before it listens
 * (10,141 rule summaries, every rule's markdown), that copy is a large object in the old generation
 * every few thousand hits, garbage only a full collection frees (measured: 250,000 hits on 10,141
 * entries left 10 MB of it, and took 2.8 times as long as marking the entries). A search answer reads 25 summaries:
 * at 1,000 answers a second, about 1 MB of old-generation garbage a second, besides what scavenges promote.
 */
export class LruCache<V> {
  private readonly map = new Map<string, { value: V; weight: number; used: boolean }>();
  private total = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxWeight: number,
    private readonly weigh: (value: V) => number,
  ) {}

  get(key: string): V | undefined {
    const entry = this.map.get(key);
    if (!entry) return undefined;
    entry.used = true;
    return entry.value;
  }

  set(key: string, value: V): void {
    const weight = this.weigh(value);
    if (weight > this.maxWeight / 8) return; // one huge page must not evict everything else
    const old = this.map.get(key);
    if (old) {
      this.total -= old.weight;
      this.map.delete(key);
    }
    this.map.set(key, { value, weight, used: false });
    this.total += weight;
    while (this.map.size > this.maxEntries || this.total > this.maxWeight) {
      const oldest = this.map.entries().next();
      if (oldest.done) break;
      const [oldestKey, entry] = oldest.value;
      if (oldestKey === key && this.map.size === 1) break;
      this.map.delete(oldestKey);
      if (entry.used || oldestKey === key) {
        // A second chance (and never the entry just set): to the back, unmarked. Each turn unmarks,
        // removes or passes over the new entry, and the others are unmarked after one round: the loop ends.
        entry.used = false;
        this.map.set(oldestKey, entry);
      } else this.total -= entry.weight;
    }
  }

  get size(): number {
    return this.map.size;
  }

  get weight(): number {
    return this.total;
  }
}
