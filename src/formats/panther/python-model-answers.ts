// Test support: fixture Panther rules of our own (a panther-analysis layout: rules/, data_models/,
// global_helpers/) read as the Panther format reads a checkout, and our model of each rule (its
// predicate tree) evaluated on the rule's own tests.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { analysisContextOf } from '../../analysis/analyse-rule.js';
import { recogniseLog } from '../../evaluate/event-log.js';
import { evaluateRule, PreparedEvent } from '../../evaluate/rule.js';
import type { EvaluatedRule } from '../../evaluate/types.js';
import { python } from '../../languages/python/index.js';
import type { QueryAnalysis, RawRule } from '../../model/types.js';
import { parseContainer } from '../containers.js';
import type { SourceFile } from '../types.js';
import { pantherFormat } from './index.js';

/** A file of the fixture source under `root`, reading the files beside it as the catalog does. */
function fixtureSource(root: string, rel: string): SourceFile {
  const file = path.join(root, rel);
  const read = (p: string) => {
    try {
      return readFileSync(p, 'utf8');
    } catch {
      return undefined;
    }
  };
  return { path: rel, text: read(file)!, readRelated: (r) => read(path.join(path.dirname(file), r)) };
}

/** The Python rule a fixture YAML names, and its analysis. */
export function analysedFixture(root: string, rel: string): { raw: RawRule; analysis: QueryAnalysis } {
  const f = fixtureSource(root, rel);
  const [raw] = pantherFormat.read(parseContainer('yaml', f.text), f);
  if (!raw || raw.language !== 'python') throw new Error(`${rel} is not a Python rule`);
  return { raw, analysis: python.analyse(raw.query, analysisContextOf(raw)) };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Each of the rule's tests: its name, the expected answer and the model's. */
export function modelAnswers(root: string, rel: string): [string, string, string][] {
  const f = fixtureSource(root, rel);
  const doc = parseContainer('yaml', f.text);
  const { raw, analysis } = analysedFixture(root, rel);
  const rule: EvaluatedRule = { language: 'python', stages: analysis.stages, sources: raw.declaredSources, parsed: true, type: raw.type };
  return pantherFormat.readTests!(doc, f).map((t) => {
    const event = t.events[0];
    // A test log without p_log_type is of the rule's first log type, as Panther's runner takes it.
    const first = raw.declaredSources.find((s) => s.startsWith('logtype:'))?.slice('logtype:'.length);
    const logType = isRecord(event) && typeof event.p_log_type === 'string' ? undefined : first;
    const got = evaluateRule(rule, new PreparedEvent(event, recogniseLog(event, logType), Date.now())).fires;
    return [t.name, t.expected ? 'yes' : 'no', got];
  });
}
