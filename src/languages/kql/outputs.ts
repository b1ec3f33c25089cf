// How each pipe operator changes the columns a pipeline is known to produce.
//
// Without a schema the input columns of a table are unknown, so the list holds only columns the
// query itself names: an operator that defines its output (project, summarize, distinct, count
// ...) replaces the list; extend, parse, mv-expand add to it; project-away and project-rename
// edit it; filters and sorts leave it alone. Each column's `source` is the operator that last
// defined or kept it.
import type { OutputField } from '../../model/types.js';
import { kindOf, type SyntaxElement } from './loader.js';
import { ALL_COLUMNS, resultNames } from './names.js';
import { listItems, member, simpleName, textOf } from './syntax.js';

/** Columns computed elsewhere that some operators combine with their input. */
export interface SideColumns {
  /** Columns of a join / lookup right side. */
  right?: OutputField[];
  /** Columns of each union leg. */
  legs?: OutputField[][];
}

/** The explicit names of a `name = expr` or `(a, b) = expr` item; undefined for an unnamed item. */
function assignedNames(item: SyntaxElement): string[] | undefined {
  switch (kindOf(item)) {
    case 'SimpleNamedExpression': {
      const name = simpleName(member(item, 'Name'));
      return name === undefined ? [] : [name];
    }
    case 'CompoundNamedExpression':
      return listItems(member(member(item, 'Names'), 'Names'))
        .map((name) => simpleName(name))
        .filter((name): name is string => name !== undefined);
    default:
      return undefined;
  }
}

/** Output names of one projected / aggregated item; Kusto's `ColumnN` for anonymous ones. */
function itemNames(item: SyntaxElement, aggregate: boolean, taken: Set<string>): string[] {
  const names = assignedNames(item) ?? resultNames(item, aggregate);
  if (names.length > 0) return names;
  let n = 1;
  while (taken.has(`Column${n}`)) n++;
  return [`Column${n}`];
}

class Columns {
  readonly fields: OutputField[];
  readonly names = new Set<string>();

  constructor(fields: OutputField[] = []) {
    this.fields = [...fields];
    for (const f of fields) this.names.add(f.field);
  }

  has(name: string): boolean {
    return this.names.has(name);
  }

  /** Define a column: replaced in place if present, appended otherwise. */
  set(field: string, source: string): void {
    if (this.names.has(field)) {
      const i = this.fields.findIndex((f) => f.field === field);
      this.fields[i] = { field, source };
    } else {
      this.names.add(field);
      this.fields.push({ field, source });
    }
  }

  /** Add a column to a freshly built list; duplicates get Kusto's numeric suffix (`count_1`). */
  addUnique(field: string, source: string): void {
    let name = field;
    for (let n = 1; this.names.has(name); n++) name = `${field}${n}`;
    this.set(name, source);
  }

  /** Add input columns for `*`, skipping those already present. */
  addAll(input: OutputField[], source: string): void {
    for (const f of input) if (!this.has(f.field)) this.set(f.field, source);
  }
}

/** `*` wildcards in project-away / project-keep / project-reorder names. */
function globMatch(pattern: string, name: string): boolean {
  const parts = pattern.split('*');
  if (parts.length === 1) return pattern === name;
  const head = parts[0]!;
  const tail = parts[parts.length - 1]!;
  if (!name.startsWith(head) || name.length < head.length + tail.length || !name.endsWith(tail)) return false;
  let at = head.length;
  for (const middle of parts.slice(1, -1)) {
    const found = name.indexOf(middle, at);
    if (found < 0 || found + middle.length > name.length - tail.length) return false;
    at = found + middle.length;
  }
  return true;
}

/** Name patterns of a project-away / project-keep / project-reorder list. */
function namePatterns(op: SyntaxElement): string[] {
  const patterns: string[] = [];
  for (const item of listItems(member(op, 'Expressions'))) {
    // project-reorder items may carry `asc` / `desc`.
    const name = simpleName(kindOf(item) === 'OrderedExpression' ? member(item, 'Expression') : item);
    if (name !== undefined) patterns.push(name);
  }
  return patterns;
}

function project(op: SyntaxElement, input: OutputField[], source: string, aggregate: boolean): OutputField[] {
  const out = new Columns();
  for (const item of listItems(member(op, 'Expressions'))) {
    for (const name of itemNames(item, aggregate, out.names)) {
      if (name === ALL_COLUMNS) out.addAll(input, source);
      else out.set(name, source);
    }
  }
  return out.fields;
}

function extend(items: SyntaxElement[], input: OutputField[], source: string): OutputField[] {
  const out = new Columns(input);
  for (const item of items) {
    for (const name of itemNames(item, false, out.names)) {
      if (name !== ALL_COLUMNS) out.set(name, source);
    }
  }
  return out.fields;
}

/** summarize / make-series: group-by columns, then aggregates (then make-series' axis). */
function aggregate(
  groups: SyntaxElement[],
  aggregates: SyntaxElement[],
  input: OutputField[],
  source: string,
  axis?: SyntaxElement,
): OutputField[] {
  const out = new Columns();
  for (const item of groups) for (const name of itemNames(item, false, out.names)) out.addUnique(name, source);
  for (const item of aggregates) {
    for (const name of itemNames(item, true, out.names)) {
      if (name === ALL_COLUMNS) out.addAll(input, source);
      else out.addUnique(name, source);
    }
  }
  if (axis) for (const name of itemNames(axis, false, out.names)) out.addUnique(name, source);
  return out.fields;
}

function projectAway(op: SyntaxElement, input: OutputField[]): OutputField[] {
  const patterns = namePatterns(op);
  return input.filter((f) => !patterns.some((p) => globMatch(p, f.field)));
}

function projectKeep(op: SyntaxElement, input: OutputField[]): OutputField[] {
  const patterns = namePatterns(op);
  const out = new Columns(input.filter((f) => patterns.some((p) => globMatch(p, f.field))));
  for (const p of patterns) if (!p.includes('*') && !out.has(p)) out.set(p, 'project-keep');
  return out.fields;
}

function projectReorder(op: SyntaxElement, input: OutputField[]): OutputField[] {
  const out = new Columns();
  for (const p of namePatterns(op)) {
    const matches = input.filter((f) => globMatch(p, f.field));
    if (matches.length === 0 && !p.includes('*')) out.set(p, 'project-reorder');
    for (const f of matches) if (!out.has(f.field)) out.set(f.field, f.source);
  }
  for (const f of input) if (!out.has(f.field)) out.set(f.field, f.source);
  return out.fields;
}

function projectRename(op: SyntaxElement, input: OutputField[]): OutputField[] {
  const fields = [...input];
  for (const item of listItems(member(op, 'Expressions'))) {
    const to = simpleName(member(item, 'Name'));
    const from = simpleName(member(item, 'Expression'));
    if (to === undefined) continue;
    const i = fields.findIndex((f) => f.field === from);
    const renamed = { field: to, source: 'project-rename' };
    if (i >= 0) fields[i] = renamed;
    else fields.push(renamed);
  }
  return fields;
}

/** Names declared in a parse pattern (`* "a=" v:string " " w`). */
function parsedNames(op: SyntaxElement): string[] {
  const names: string[] = [];
  for (const item of listItems(member(op, 'Patterns'))) {
    const kind = kindOf(item);
    if (kind === 'NameDeclaration') names.push(simpleName(item) ?? '');
    else if (kind === 'NameAndTypeDeclaration') names.push(simpleName(member(item, 'Name')) ?? '');
  }
  return names.filter((n) => n !== '');
}

function schemaNames(schema: SyntaxElement | undefined): string[] {
  return listItems(member(schema, 'Columns'))
    .map((column) => simpleName(member(column, 'Name')))
    .filter((n): n is string => n !== undefined);
}

/** The `kind=` parameter of join / lookup, lower-cased. */
export function joinKind(op: SyntaxElement, query: string): string | undefined {
  for (const param of listItems(member(op, 'Parameters'))) {
    if (simpleName(member(param, 'Name')) !== 'kind') continue;
    const value = member(param, 'Expression');
    return value ? textOf(query, value).toLowerCase() : undefined;
  }
  return undefined;
}

/** Right-side key columns of `on a, $left.b == $right.c` (a, c). */
function rightKeys(clause: SyntaxElement | undefined): Set<string> {
  const keys = new Set<string>();
  for (const key of listItems(member(clause, 'Expressions'))) {
    if (kindOf(key) === 'NameReference') keys.add(simpleName(key) ?? '');
    for (const side of [member(key, 'Left'), member(key, 'Right')]) {
      if (simpleName(member(side, 'Expression')) === '$right') keys.add(simpleName(member(side, 'Selector')) ?? '');
    }
  }
  return keys;
}

function join(op: SyntaxElement, input: OutputField[], right: OutputField[], query: string): OutputField[] {
  const lookup = kindOf(op) === 'LookupOperator';
  const kind = joinKind(op, query) ?? (lookup ? 'leftouter' : 'innerunique');
  if (kind.startsWith('left') && (kind.includes('semi') || kind.includes('anti'))) return input;
  if (kind.startsWith('right') && (kind.includes('semi') || kind.includes('anti'))) return right;
  const out = new Columns(input);
  // lookup does not repeat the right key columns; join keeps both sides and renames clashes `name1`.
  const skipped = lookup ? rightKeys(member(op, 'LookupClause')) : new Set<string>();
  for (const f of right) if (!skipped.has(f.field)) out.addUnique(f.field, f.source);
  return out.fields;
}

function union(input: OutputField[], legs: OutputField[][]): OutputField[] {
  const out = new Columns(input);
  for (const leg of legs) for (const f of leg) if (!out.has(f.field)) out.set(f.field, f.source);
  return out.fields;
}

/** Columns after `op`, given the columns before it. `stageKind` is the operator keyword. */
export function nextColumns(op: SyntaxElement, stageKind: string, input: OutputField[], side: SideColumns, query: string): OutputField[] {
  switch (kindOf(op)) {
    case 'ProjectOperator':
      return project(op, input, stageKind, false);
    case 'DistinctOperator':
      return project(op, input, stageKind, false);
    case 'ExtendOperator':
      return extend(listItems(member(op, 'Expressions')), input, stageKind);
    case 'SummarizeOperator':
      return aggregate(listItems(member(member(op, 'ByClause'), 'Expressions')), listItems(member(op, 'Aggregates')), input, stageKind);
    case 'MakeSeriesOperator': {
      const aggregates = listItems(member(op, 'Aggregates')).map((item) => member(item, 'Expression') ?? item);
      const groups = listItems(member(member(op, 'ByClause'), 'Expressions'));
      return aggregate(groups, aggregates, input, stageKind, member(member(op, 'OnClause'), 'Expression'));
    }
    case 'CountOperator':
      return [{ field: 'Count', source: stageKind }];
    case 'ProjectAwayOperator':
      return projectAway(op, input);
    case 'ProjectKeepOperator':
      return projectKeep(op, input);
    case 'ProjectReorderOperator':
      return projectReorder(op, input);
    case 'ProjectRenameOperator':
      return projectRename(op, input);
    case 'MvExpandOperator':
    case 'MvApplyOperator': {
      // Only `name = expr` adds a column; expanding a column in place keeps its name.
      const named = listItems(member(op, 'Expressions'))
        .map((item) => member(item, 'Expression'))
        .filter((e): e is SyntaxElement => e !== undefined && assignedNames(e) !== undefined);
      const out = new Columns(extend(named, input, stageKind));
      for (const param of listItems(member(op, 'Parameters'))) {
        const index = simpleName(member(param, 'Expression'));
        if (simpleName(member(param, 'Name')) === 'with_itemindex' && index !== undefined) out.set(index, stageKind);
      }
      return out.fields;
    }
    case 'ParseOperator':
    case 'ParseWhereOperator': {
      const out = new Columns(input);
      for (const name of parsedNames(op)) out.set(name, stageKind);
      return out.fields;
    }
    case 'ParseKvOperator': {
      const out = new Columns(input);
      for (const name of schemaNames(member(op, 'Keys'))) out.set(name, stageKind);
      return out.fields;
    }
    case 'JoinOperator':
    case 'LookupOperator':
      return join(op, input, side.right ?? [], query);
    case 'UnionOperator':
      return union(input, side.legs ?? []);
    default:
      return input;
  }
}

/** Columns of a datatable: its schema. */
export function datatableColumns(table: SyntaxElement): OutputField[] {
  return schemaNames(member(table, 'Schema')).map((field) => ({ field, source: 'datatable' }));
}
