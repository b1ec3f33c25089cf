// Kusto Query Language analyser, on top of Microsoft's own parser.
import type { Diagnostic, QueryAnalysis } from '../../model/types.js';
import type { QueryLanguage } from '../types.js';
import { parseKusto, type ParseDiagnostic } from './loader.js';
import { Scope } from './scope.js';
import { StageWalker } from './stages.js';
import { listItems, member } from './syntax.js';
import { kqlHighlight } from './kql.keywords.js';
import { constructOf } from '../../model/diagnostics.js';

/** 1-based line and column of offsets, with the line starts indexed once per query. */
function positions(text: string): (offset: number) => { line: number; column: number } {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (lineStarts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - lineStarts[low]! + 1 };
  };
}

function toDiagnostics(text: string, found: ParseDiagnostic[]): Diagnostic[] {
  if (found.length === 0) return [];
  const at = positions(text);
  return found.map((d) => ({ message: d.message, severity: d.severity, scope: 'query', ...at(d.start) }));
}

function empty(message: string): QueryAnalysis {
  return { stages: [], outputFields: [], sources: [], parsed: false, diagnostics: [{ message, severity: 'error', scope: 'query' }] };
}

function analyseKql(query: string): QueryAnalysis {
  if (query.trim() === '') return empty('empty query');
  const { root, diagnostics: found } = parseKusto(query);
  const diagnostics = toDiagnostics(query, found);
  const parsed = !found.some((d) => d.severity === 'error');
  const statements = listItems(member(root, 'Statements'));
  if (statements.length === 0 && parsed) return empty('the query has no statements');

  const walker = new StageWalker(query);
  try {
    const outputFields = walker.statements(statements, 0, new Scope()) ?? [];
    walker.markExclusions();
    diagnostics.push(...walker.notes);
    return { stages: walker.stages, outputFields, sources: walker.sources(), diagnostics, parsed };
  } catch (err) {
    // A tree shape the walker does not expect must not lose the rule: keep what was found.
    const message = `internal KQL analyser error: ${err instanceof Error ? err.message : String(err)}`;
    diagnostics.push({ message, severity: 'error', scope: 'query' });
    walker.markExclusions();
    return { stages: walker.stages, outputFields: [], sources: walker.sources(), diagnostics, parsed: false };
  }
}

export const kql: QueryLanguage = {
  id: 'kql',
  name: 'Kusto (KQL)',
  unreadConstruct: constructOf,
  // Kusto's parser is superlinear: 128 KiB of words takes ~6 s, 2,000 nested brackets ~2 s, 50,000
  // never finish. The largest query of the shared corpus is 6 KiB, nested 8 deep.
  limits: { bytes: 64 * 1024, depth: 256 },
  analyse(query: string): QueryAnalysis {
    try {
      return analyseKql(query);
    } catch (err) {
      // Only a failure to load or run the Kusto parser itself lands here.
      return empty(`Kusto parser failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  },
  highlight: kqlHighlight,
};
