// Panther YAML detections: the `Detection:` block of simple detections (match expressions) and
// of correlation rules (Sequence / Group of rule ids).
//
// Conventions:
// - The query is the YAML of the block as the file writes it (`Detection:\n  - Key: ...`); a bare
//   list of match expressions, or one expression, is read the same way.
// - One stage per top-level item of the block. Match expressions give a `detection` stage whose
//   text is the item's YAML and whose condition is the item's tree; the items are and-ed by
//   Panther, each stage carries its own part.
// - Key specifiers: `Key: a` → `a`; `DeepKey: [a, b]` → `a.b`; `KeyPath: a.b[*].c` → `a.b.c`
//   (`[*]` dropped, `[0]` → `.0`); `Enrichment: {Table, Selector, FieldPath}` →
//   `p_enrichment.<Table>.<Selector>.<FieldPath>`.
// - Conditions: Equals eq, DoesNotEqual eq negated, IsIn / IsNotIn in, Contains / DoesNotContain
//   contains, StartsWith / EndsWith (and DoesNot... negated), IsGreaterThan(OrEqual) gt / gte,
//   IsLessThan(OrEqual) lt / lte, Exists / IsNotNull / IsNotNullOrEmpty exists, DoesNotExist /
//   IsNull / IsNullOrEmpty exists negated, IsIPAddressInCIDR cidr (NotInCIDR negated); an `I`
//   prefix (IEquals, IContains ...) makes the predicate case-insensitive. Other conditions
//   (IsIPAddressPublic ...) are kept as op `other` with the condition as nativeOp.
// - Combinators: All → and, Any → or, None → not(or), OnlyOne → or (exactly-one is not
//   expressible; an info diagnostic says so). AlwaysTrue / AlwaysFalse are constants.
// - Multi-key (`Values: [{Key: a}, {Key: b}]`) → fieldref on the first key with the second as value.
// - List comprehensions (`Condition: AnyElement`, `Expressions: [...]`): the inner expressions on
//   fields under the list (`entity.moons` + `name` → `entity.moons.name`); NoElement negates,
//   AllElements / OnlyOneElement are read like AnyElement with an info diagnostic.
// - Correlation rules: a `correlation` stage for the item (its YAML), one `step` stage per
//   Sequence / Group entry (text `ID: RuleID`, with MinMatchCount / Absence when set), and one
//   `transition` stage per Transition; no predicates (steps are other rules, not log fields).
import yaml from 'js-yaml';
import { loadYaml } from '../../formats/yaml.js';
import { combine, other, predicate } from '../../model/predicates.js';
import type { Diagnostic, Operator, PredicateNode, QueryAnalysis, Scalar, Stage } from '../../model/types.js';
import type { QueryLanguage } from '../types.js';
import { pantherDetectionHighlight } from './panther-detection.keywords.js';
import { detectionConstruct } from './unread.js';

type Doc = Record<string, unknown>;
type Cond = PredicateNode | boolean;

function isDoc(v: unknown): v is Doc {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function and(children: Cond[]): Cond {
  if (children.some((c) => c === false)) return false;
  const nodes = children.filter((c): c is PredicateNode => c !== true);
  return nodes.length === 0 ? true : combine('and', nodes);
}

function or(children: Cond[]): Cond {
  if (children.some((c) => c === true)) return true;
  const nodes = children.filter((c): c is PredicateNode => c !== false);
  return nodes.length === 0 ? false : combine('or', nodes);
}

function not(c: Cond): Cond {
  return typeof c === 'boolean' ? !c : { kind: 'not', child: c };
}

/** [op, negated] of a condition name without its case-insensitive `I` prefix. */
const conditions: Record<string, [Operator, boolean]> = {
  Equals: ['eq', false],
  DoesNotEqual: ['eq', true],
  IsIn: ['in', false],
  IsNotIn: ['in', true],
  Contains: ['contains', false],
  DoesNotContain: ['contains', true],
  StartsWith: ['startswith', false],
  DoesNotStartWith: ['startswith', true],
  EndsWith: ['endswith', false],
  DoesNotEndWith: ['endswith', true],
  IsGreaterThan: ['gt', false],
  GreaterThan: ['gt', false],
  IsGreaterThanOrEqual: ['gte', false],
  IsGreaterThanOrEquals: ['gte', false],
  GreaterThanOrEquals: ['gte', false],
  IsLessThan: ['lt', false],
  LessThan: ['lt', false],
  IsLessThanOrEqual: ['lte', false],
  IsLessThanOrEquals: ['lte', false],
  LessThanOrEquals: ['lte', false],
  Exists: ['exists', false],
  DoesNotExist: ['exists', true],
  IsNotNull: ['exists', false],
  IsNull: ['exists', true],
  IsNotNullOrEmpty: ['exists', false],
  IsNullOrEmpty: ['exists', true],
  IsIPAddressInCIDR: ['cidr', false],
  IsIPAddressNotInCIDR: ['cidr', true],
};

function lookupCondition(name: string): { op: Operator; negated: boolean; caseSensitive: boolean } {
  const exact = conditions[name];
  if (exact) return { op: exact[0], negated: exact[1], caseSensitive: true };
  if (name.length > 1 && name[0] === 'I' && name[1]! >= 'A' && name[1]! <= 'Z') {
    const ci = conditions[name.slice(1)];
    if (ci) return { op: ci[0], negated: ci[1], caseSensitive: false };
  }
  return { op: 'other', negated: false, caseSensitive: true };
}

/** `a.b[*].c` → `a.b.c`; `a[0].b` → `a.0.b`. */
function keyPath(path: string): string {
  let out = '';
  for (let i = 0; i < path.length; i++) {
    const ch = path[i]!;
    if (ch !== '[') {
      out += ch;
      continue;
    }
    const close = path.indexOf(']', i);
    if (close < 0) {
      out += path.slice(i);
      break;
    }
    const inner = path.slice(i + 1, close).trim();
    if (inner !== '*') out += `.${inner.replace(/^['"]|['"]$/g, '')}`;
    i = close;
  }
  return out;
}

function scalar(v: unknown): v is Scalar {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/** The field a match expression names, relative to the list element it sits in (prefix). */
function keyOf(expr: Doc, prefix: string): string | undefined {
  let key: string | undefined;
  if (typeof expr.Key === 'string' || typeof expr.Key === 'number') key = String(expr.Key);
  else if (Array.isArray(expr.DeepKey)) key = expr.DeepKey.map(String).join('.');
  else if (typeof expr.KeyPath === 'string') key = keyPath(expr.KeyPath);
  else if (isDoc(expr.Enrichment)) {
    const e = expr.Enrichment;
    key = ['p_enrichment', e.Table, e.Selector, e.FieldPath].filter((p) => typeof p === 'string').join('.');
  }
  if (key === undefined) return undefined;
  return prefix ? `${prefix}.${key}` : key;
}

function flow(value: unknown): string {
  try {
    return yaml.dump(value, { flowLevel: 0, lineWidth: -1 }).trim();
  } catch {
    return JSON.stringify(value);
  }
}

class Converter {
  readonly notes = new Set<string>();

  list(items: unknown, prefix: string): Cond[] {
    if (!Array.isArray(items)) return items === undefined || items === null ? [] : [this.expr(items, prefix)];
    return items.map((i) => this.expr(i, prefix));
  }

  expr(raw: unknown, prefix: string): Cond {
    if (!isDoc(raw)) return other(flow(raw));
    if ('All' in raw) return and(this.list(raw.All, prefix));
    if ('Any' in raw) return or(this.list(raw.Any, prefix));
    if ('None' in raw) return not(or(this.list(raw.None, prefix)));
    if ('OnlyOne' in raw) {
      this.notes.add('OnlyOne (exactly one of) is kept as or');
      return or(this.list(raw.OnlyOne, prefix));
    }
    const condition = typeof raw.Condition === 'string' ? raw.Condition : '';
    const text = flow(raw);
    if (condition === 'AlwaysTrue') return true;
    if (condition === 'AlwaysFalse') return false;
    const field = keyOf(raw, prefix);
    if (['AnyElement', 'AllElements', 'NoElement', 'OnlyOneElement'].includes(condition)) {
      if (field === undefined) return other(text);
      if (condition === 'AllElements' || condition === 'OnlyOneElement') this.notes.add(`${condition} is read like AnyElement`);
      const inner = and(this.list(raw.Expressions, field));
      return condition === 'NoElement' ? not(inner) : inner;
    }
    const { op, negated, caseSensitive } = lookupCondition(condition);
    // Multi-key: compares two fields.
    if (Array.isArray(raw.Values) && raw.Values.length > 0 && raw.Values.every(isDoc)) {
      const fields = raw.Values.map((v) => keyOf(v, prefix)).filter((f): f is string => f !== undefined);
      if (fields.length >= 2) {
        const fieldOp: Operator = op === 'eq' ? 'fieldref' : 'other';
        return predicate(fields[0]!, fieldOp, fields.slice(1), { negated, caseSensitive, nativeOp: condition, text });
      }
      return other(text);
    }
    if (field === undefined) return other(text);
    const values: Scalar[] = [];
    if ('Value' in raw && scalar(raw.Value)) values.push(raw.Value);
    if (Array.isArray(raw.Values)) values.push(...raw.Values.filter(scalar));
    return predicate(field, op, op === 'exists' ? [] : values, { negated, caseSensitive, nativeOp: condition, text });
  }
}

/** Source text of each top-level list item, found by the indentation of the first `-`. */
function itemTexts(query: string, count: number): string[] | undefined {
  const lines = query.split('\n');
  let indent = -1;
  const starts: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const trimmed = line.trimStart();
    if (!trimmed.startsWith('-') || (trimmed.length > 1 && trimmed[1] !== ' ' && trimmed[1] !== '\t')) continue;
    const at = line.length - trimmed.length;
    if (indent < 0) indent = at;
    if (at === indent) starts.push(i);
  }
  if (starts.length !== count) return undefined;
  return starts.map((start, k) => {
    const end = starts[k + 1] ?? lines.length;
    return lines.slice(start, end).join('\n').trimEnd();
  });
}

function stepText(step: Doc): string {
  const id = typeof step.ID === 'string' ? step.ID : '?';
  const rule = typeof step.RuleID === 'string' ? step.RuleID : '?';
  const extras: string[] = [];
  if (step.MinMatchCount !== undefined) extras.push(`min ${String(step.MinMatchCount)}`);
  if (step.MaxMatchCount !== undefined) extras.push(`max ${String(step.MaxMatchCount)}`);
  if (step.Absence === true) extras.push('absent');
  return `${id}: ${rule}${extras.length ? ` (${extras.join(', ')})` : ''}`;
}

function transitionText(t: Doc): string {
  const within = t.WithinTimeFrameMinutes !== undefined ? ` within ${String(t.WithinTimeFrameMinutes)} min` : '';
  const on = Array.isArray(t.Match)
    ? t.Match.filter(isDoc)
        .map((m) => String(m.On ?? flow(m)))
        .join(', ')
    : '';
  return `${String(t.From ?? '?')} → ${String(t.To ?? '?')}${within}${on ? ` on ${on}` : ''}`;
}

/**
 * The rules a correlation's steps name (`RuleID`) whose alerts it needs: a step with `Absence: true`
 * must not happen, so its rule's events are not watched.
 */
function correlatedRules(item: Doc): string[] {
  const out: string[] = [];
  for (const key of ['Sequence', 'Group']) {
    const steps = item[key];
    if (Array.isArray(steps)) for (const s of steps) if (isDoc(s) && typeof s.RuleID === 'string' && s.Absence !== true) out.push(s.RuleID);
  }
  return out;
}

function correlationStages(item: Doc, text: string): Stage[] {
  const stages: Stage[] = [{ kind: 'correlation', text }];
  for (const key of ['Sequence', 'Group']) {
    const steps = item[key];
    if (Array.isArray(steps)) for (const s of steps) if (isDoc(s)) stages.push({ kind: 'step', text: stepText(s) });
  }
  if (Array.isArray(item.Transitions))
    for (const t of item.Transitions) if (isDoc(t)) stages.push({ kind: 'transition', text: transitionText(t) });
  return stages;
}

function failure(message: string, line?: number, column?: number): QueryAnalysis {
  const d: Diagnostic = { message, severity: 'error', scope: 'query' };
  if (line !== undefined) Object.assign(d, { line, column });
  return { stages: [], outputFields: [], sources: [], diagnostics: [d], parsed: false };
}

function analyse(query: string): QueryAnalysis {
  let doc: unknown;
  try {
    doc = loadYaml(query);
  } catch (err) {
    if (err instanceof yaml.YAMLException) {
      return failure(
        `YAML does not parse: ${err.reason}`,
        err.mark ? err.mark.line + 1 : undefined,
        err.mark ? err.mark.column + 1 : undefined,
      );
    }
    return failure(`YAML does not parse: ${err instanceof Error ? err.message : String(err)}`);
  }
  const block = isDoc(doc) && 'Detection' in doc ? doc.Detection : doc;
  const items = Array.isArray(block) ? block : block === undefined || block === null ? [] : [block];
  if (items.length === 0) return failure('the Detection block is empty');
  const texts = itemTexts(query, items.length);
  const converter = new Converter();
  const stages: Stage[] = [];
  const members: string[] = [];
  items.forEach((item, i) => {
    const text = texts?.[i] ?? flow(item);
    if (isDoc(item) && (Array.isArray(item.Sequence) || Array.isArray(item.Group))) {
      stages.push(...correlationStages(item, text));
      members.push(...correlatedRules(item));
      return;
    }
    const cond = converter.expr(item, '');
    const stage: Stage = { kind: 'detection', text };
    if (cond === false) stage.condition = other('AlwaysFalse');
    else if (cond !== true) stage.condition = cond;
    stages.push(stage);
  });
  const diagnostics: Diagnostic[] = [...converter.notes].map((message) => ({ message, severity: 'info', scope: 'query' }));
  const analysis: QueryAnalysis = { stages, outputFields: [], sources: [], diagnostics, parsed: true };
  if (members.length) analysis.inheritsEventsFrom = [...new Set(members)];
  return analysis;
}

export const pantherDetection: QueryLanguage = {
  id: 'panther-detection',
  name: 'Panther YAML detection',
  unreadConstruct: detectionConstruct,
  analyse,
  highlight: pantherDetectionHighlight,
};
