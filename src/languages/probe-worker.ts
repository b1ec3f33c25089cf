// Runs analyses for the conformance suite in a thread the suite can stop: a query that makes an
// analyser loop or crawl then costs the suite its time budget, not the whole run.
import { parentPort, workerData } from 'node:worker_threads';
import { analyseQuery, prepareLanguages } from './registry.js';
import { testContext, analysisProblems } from './test-support.js';

export interface ProbeOutcome {
  millis: number;
  parsed: boolean;
  diagnosticCount: number;
  /** The first few diagnostics: a pathological input may bring hundreds of thousands. */
  diagnostics: QueryDiagnosticSample[];
  problems: string[];
}

type QueryDiagnosticSample = { message: string; severity: string; line?: number; column?: number };

const { languageId, warmUp } = workerData as { languageId: string; warmUp: string };
await prepareLanguages([languageId]);
analyseQuery(languageId, warmUp, testContext);
parentPort!.on('message', (query: string) => {
  const started = performance.now();
  const analysis = analyseQuery(languageId, query, testContext);
  const millis = performance.now() - started;
  const outcome: ProbeOutcome = {
    millis,
    parsed: analysis.parsed,
    diagnosticCount: analysis.diagnostics.length,
    diagnostics: analysis.diagnostics
      .slice(0, 5)
      .map((d) => ({ message: d.message.slice(0, 300), severity: d.severity, line: d.line, column: d.column })),
    problems: analysisProblems(analysis),
  };
  parentPort!.postMessage(outcome);
});
parentPort!.postMessage('ready');
