// Sigma detection analyser.
//
// The query is the YAML text of a rule's `detection:` section (or, for Sigma filters, its
// `filter:` section; for correlation rules, its `correlation:` section), as the sigma format
// slices it from the file. A bare mapping of search identifiers and `condition` works too.
//
// Stages:
//   - one per search identifier, kind `selection` (or `filter` when the name starts with
//     `filter`), text = the identifier's YAML, no condition: predicates sit only on the
//     condition stage, so a filter's values never count as positive indicators;
//   - `condition`: text = the condition (several conditions, one per line, are alternatives),
//     condition = the combined tree with every identifier replaced by its predicates
//     (see values.ts for modifiers, condition.ts for `1 of` / `all of` / `them`);
//   - `aggregation` for the deprecated `| count() by x > 5` syntax (info diagnostic), and
//     `timeframe` when the detection has one.
// Correlation rules give one `correlation` stage (sources = the correlated rules).
// Sources and output fields come from the rule's logsource and `fields`, which the format reads.
//
// Diagnostics: YAML that does not load, a missing or unparsable condition → parsed false;
// unknown identifiers, bad modifiers, odd values → error/warning diagnostics, parsed stays true.
import yaml from 'js-yaml';
import { loadYaml } from '../../formats/yaml.js';
import { lineColumn } from '../../model/diagnostics.js';
import { combine } from '../../model/predicates.js';
import type { Diagnostic, PredicateNode, QueryAnalysis, Stage } from '../../model/types.js';
import type { QueryLanguage } from '../types.js';
import { type Block, childIndent, dedent, keyBlocks } from './blocks.js';
import { type ParsedCondition, conditionTree } from './condition.js';
import { parse, SyntaxError as PeggySyntaxError } from './condition.parser.js';
import { identifierTree } from './values.js';
import { sigmaHighlight } from './sigma.keywords.js';

type Doc = Record<string, unknown>;

function isDoc(v: unknown): v is Doc {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const CORRELATION_TYPES = new Set([
  'event_count',
  'value_count',
  'temporal',
  'temporal_ordered',
  'value_sum',
  'value_avg',
  'value_percentile',
]);

function failed(diagnostics: Diagnostic[], stages: Stage[] = []): QueryAnalysis {
  return { stages, outputFields: [], sources: [], diagnostics, parsed: false };
}

/** The children of the section the query holds: blocks of `detection:`'s body, or of the whole text. */
function sectionBlocks(query: string): { blocks: Map<string, Block>; indent: number } {
  const top = keyBlocks(query, { indent: 0 });
  const first = top[0];
  const sectioned = first !== undefined && ['detection', 'filter', 'correlation'].includes(first.key) && top.length === 1;
  if (!sectioned) {
    return { blocks: new Map(top.map((b) => [b.key, b])), indent: 0 };
  }
  const indent = childIndent(first.text) ?? 0;
  const startLine = first.line; // children start after the key line
  const children = keyBlocks(query, { indent, fromLine: startLine });
  return { blocks: new Map(children.map((b) => [b.key, b])), indent };
}

function stageText(name: string, value: unknown, blocks: Map<string, Block>, indent: number): string {
  const block = blocks.get(name);
  if (block) return dedent(block.text, indent);
  return yaml.dump({ [name]: value }, { schema: yaml.JSON_SCHEMA, lineWidth: -1 }).trimEnd();
}

function yamlError(err: unknown): Diagnostic {
  if (err instanceof yaml.YAMLException) {
    return {
      message: `the detection is not valid YAML: ${err.reason}`,
      line: err.mark.line + 1,
      column: err.mark.column + 1,
      severity: 'error',
      scope: 'query',
    };
  }
  return { message: `the detection is not valid YAML: ${String(err)}`, severity: 'error', scope: 'query' };
}

function analyse(query: string): QueryAnalysis {
  let doc: unknown;
  try {
    doc = loadYaml(query);
  } catch (err) {
    return failed([yamlError(err)]);
  }
  if (!isDoc(doc)) return failed([{ message: 'the detection is not a YAML mapping', severity: 'error', scope: 'query' }]);
  if (isDoc(doc.correlation)) return correlation(doc.correlation, query);
  const filterRule = isDoc(doc.filter) && !isDoc(doc.detection);
  const block = isDoc(doc.detection) ? doc.detection : filterRule ? (doc.filter as Doc) : doc;
  if (block === doc && ('detection' in doc || 'filter' in doc)) {
    return failed([{ message: 'the detection is not a YAML mapping', severity: 'error', scope: 'query' }]);
  }
  return detection(block, query, filterRule);
}

function detection(block: Doc, query: string, filterRule: boolean): QueryAnalysis {
  const diagnostics: Diagnostic[] = [];
  const stages: Stage[] = [];
  const { blocks, indent } = sectionBlocks(query);
  const identifiers = new Map<string, PredicateNode>();
  for (const [name, value] of Object.entries(block)) {
    if (name === 'condition' || name === 'timeframe' || (filterRule && name === 'rules')) continue;
    const tree = identifierTree(name, value, { diagnostics, identifier: name });
    identifiers.set(name, tree);
    stages.push({ kind: /^filter/i.test(name) ? 'filter' : 'selection', text: stageText(name, value, blocks, indent) });
  }
  if (filterRule && 'rules' in block) {
    const rules = Array.isArray(block.rules) ? block.rules.map(String) : [String(block.rules)];
    stages.unshift({ kind: 'rules', text: stageText('rules', block.rules, blocks, indent), sources: rules });
  }
  if (identifiers.size === 0) {
    diagnostics.push({ message: 'the detection has no search identifier', severity: 'error', scope: 'query' });
  }

  const raw = block.condition;
  const conditions = (Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw]).map((c) =>
    typeof c === 'string' ? c : String(c),
  );
  if (conditions.length === 0) {
    diagnostics.push({ message: 'the detection has no condition', severity: 'error', scope: 'query' });
    return failed(diagnostics, stages);
  }

  const conditionBlock = blocks.get('condition');
  const base = conditionBlock?.start ?? 0;
  const used = new Set<string>();
  const trees: PredicateNode[] = [];
  const aggregations: string[] = [];
  let parsed = true;
  for (const condition of conditions) {
    // Where the condition text sits in the query, for diagnostics.
    const at = query.indexOf(condition, base);
    const place = (offset: number) => (at >= 0 ? lineColumn(query, at + offset) : conditionBlock ? { line: conditionBlock.line } : {});
    let ast: ParsedCondition;
    try {
      ast = parse(condition) as ParsedCondition;
    } catch (err) {
      parsed = false;
      const offset = err instanceof PeggySyntaxError ? err.location.start.offset : 0;
      const reason = err instanceof Error ? err.message : String(err);
      diagnostics.push({ message: `condition does not parse: ${reason}`, severity: 'error', scope: 'query', ...place(offset) });
      continue;
    }
    trees.push(conditionTree(ast.expr, { identifiers, diagnostics, place, used }));
    if (ast.aggregation) {
      aggregations.push(ast.aggregation.text);
      diagnostics.push({
        message: `deprecated aggregation '${ast.aggregation.text}': Sigma now writes these as correlation rules`,
        severity: 'info',
        scope: 'query',
        ...place(ast.aggregation.start),
      });
    }
  }
  for (const name of identifiers.keys()) {
    if (parsed && !used.has(name)) {
      diagnostics.push({
        message: `search identifier '${name}' is not used by the condition`,
        severity: 'info',
        scope: 'query',
        line: blocks.get(name)?.line,
      });
    }
  }
  const conditionStage: Stage = { kind: 'condition', text: conditions.map((c) => c.trim()).join('\n') };
  if (trees.length > 0) conditionStage.condition = combine('or', trees);
  stages.push(conditionStage);
  for (const text of aggregations) stages.push({ kind: 'aggregation', text });
  if (block.timeframe !== undefined) stages.push({ kind: 'timeframe', text: `timeframe: ${String(block.timeframe)}` });
  return { stages, outputFields: [], sources: [], diagnostics, parsed };
}

function correlation(corr: Doc, query: string): QueryAnalysis {
  const diagnostics: Diagnostic[] = [];
  const type = typeof corr.type === 'string' ? corr.type : undefined;
  if (!type) diagnostics.push({ message: 'the correlation has no type', severity: 'error', scope: 'query' });
  else if (!CORRELATION_TYPES.has(type)) {
    diagnostics.push({ message: `unknown correlation type '${type}'`, severity: 'warning', scope: 'query' });
  }
  const rawRules = corr.rules;
  const rules = (Array.isArray(rawRules) ? rawRules : rawRules === undefined ? [] : [rawRules]).map(String);
  if (rules.length === 0) diagnostics.push({ message: 'the correlation names no rules', severity: 'error', scope: 'query' });
  if (corr.timespan === undefined) diagnostics.push({ message: 'the correlation has no timespan', severity: 'warning', scope: 'query' });
  const stage: Stage = { kind: 'correlation', text: query.trim() };
  if (rules.length) stage.sources = rules;
  return { stages: [stage], outputFields: [], sources: [], diagnostics, parsed: true };
}

export const sigma: QueryLanguage = {
  id: 'sigma',
  name: 'Sigma detection',
  analyse,
  highlight: sigmaHighlight,
};
