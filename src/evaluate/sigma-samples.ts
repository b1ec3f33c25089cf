// Sigma regression samples (SigmaHQ `regression_data/`): a folder per test whose `info.yml` names
// the rule (`rule_metadata[].id`) and how many matches it expects (`regression_tests_info[].match_count`),
// beside the events (`<rule id>.json`, Windows event XML as JSON, one or more values) the rule must fire on.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadYaml } from '../formats/yaml.js';
import { eventsOfText } from './json-documents.js';

export interface SigmaSample {
  /** The test's folder, relative to the samples' root. */
  path: string;
  ruleIds: string[];
  /** How many of the events the rule must fire on; undefined when the test does not say. */
  matchCount?: number;
  events: unknown[];
  /** Why the sample has no events (no JSON beside info.yml, JSON that does not parse). */
  problem?: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The sample of one folder holding an `info.yml` (its parsed document), with the event files beside it
 * (`text` undefined: not readable).
 */
export function sigmaSampleOf(path: string, doc: unknown, files: { name: string; text: () => string | undefined }[]): SigmaSample {
  const meta = isObj(doc) && Array.isArray(doc.rule_metadata) ? doc.rule_metadata : [];
  const ruleIds = meta.flatMap((m) => (isObj(m) && typeof m.id === 'string' ? [m.id] : []));
  const tests = isObj(doc) && Array.isArray(doc.regression_tests_info) ? doc.regression_tests_info : [];
  const counts = tests.flatMap((t) => (isObj(t) && typeof t.match_count === 'number' ? [t.match_count] : []));
  const sample: SigmaSample = { path, ruleIds, events: [], ...(counts.length ? { matchCount: counts[0] } : {}) };
  const json = files.filter((f) => f.name.endsWith('.json'));
  if (json.length === 0) return { ...sample, problem: 'no event file (.json) beside info.yml' };
  try {
    for (const f of json) {
      const text = f.text();
      if (text === undefined) return { ...sample, events: [], problem: `${f.name} cannot be read` };
      sample.events.push(...eventsOfText(text));
    }
  } catch (err) {
    return { ...sample, events: [], problem: err instanceof Error ? err.message : String(err) };
  }
  return sample;
}

/** The names of the event files a sample's `info.yml` points at: `<rule id>.json`, and each test's `.evtx` path as `.json`. */
export function sampleEventFiles(doc: unknown): string[] {
  const names = new Set<string>();
  const meta = isObj(doc) && Array.isArray(doc.rule_metadata) ? doc.rule_metadata : [];
  for (const m of meta) if (isObj(m) && typeof m.id === 'string') names.add(`${m.id}.json`);
  const tests = isObj(doc) && Array.isArray(doc.regression_tests_info) ? doc.regression_tests_info : [];
  for (const t of tests) {
    if (isObj(t) && typeof t.path === 'string')
      names.add(
        t.path
          .split('/')
          .at(-1)!
          .replace(/\.evtx$/i, '.json'),
      );
  }
  return [...names].filter((n) => n.endsWith('.json') && !n.includes('..'));
}

/** Every sample below a folder, in path order. */
export function readSigmaSamples(root: string): SigmaSample[] {
  const out: SigmaSample[] = [];
  const walk = (dir: string) => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    const info = entries.find((e) => e.isFile() && e.name === 'info.yml');
    if (info) {
      const files = entries.filter((e) => e.isFile()).map((e) => ({ name: e.name, text: () => readFileSync(join(dir, e.name), 'utf8') }));
      out.push(sigmaSampleOf(relative(root, dir), loadYaml(readFileSync(join(dir, 'info.yml'), 'utf8')), files));
    }
    for (const e of entries) if (e.isDirectory() && !e.name.startsWith('.')) walk(join(dir, e.name));
  };
  walk(root);
  return out;
}
