// Small typed helpers over the Kusto syntax tree.
import { kindOf, type SyntaxElement, type SyntaxToken } from './loader.js';

/** Named members of Kusto syntax nodes that the analyser reads (each a child element). */
export type Member =
  | 'Aggregates'
  | 'ArgumentList'
  | 'Bar'
  | 'Body'
  | 'ByClause'
  | 'ByExpression'
  | 'Columns'
  | 'Condition'
  | 'ConditionClause'
  | 'DataScope'
  | 'Element'
  | 'Expression'
  | 'Expressions'
  | 'First'
  | 'FunctionCall'
  | 'InClause'
  | 'Keys'
  | 'Left'
  | 'LookupClause'
  | 'Name'
  | 'Names'
  | 'NameAndType'
  | 'OnClause'
  | 'Operand'
  | 'Operator'
  | 'Parameters'
  | 'Patterns'
  | 'Right'
  | 'Schema'
  | 'Second'
  | 'Selector'
  | 'Statements'
  | 'Subquery'
  | 'Token'
  | 'Values';

function isElement(value: unknown): value is SyntaxElement {
  return typeof value === 'object' && value !== null && typeof (value as { Kind?: unknown }).Kind === 'number';
}

/** A named child (`Left`, `Condition` ...), undefined when absent or missing from the text. */
export function member(node: SyntaxElement | undefined, name: Member): SyntaxElement | undefined {
  if (!node) return undefined;
  const value = (node as unknown as Record<string, unknown>)[name];
  return isElement(value) && !value.IsMissing ? value : undefined;
}

/** The items of a SyntaxList, unwrapping SeparatedElement (item + comma) wrappers. */
export function listItems(list: SyntaxElement | undefined): SyntaxElement[] {
  const items: SyntaxElement[] = [];
  if (!list) return items;
  for (let i = 0; i < list.ChildCount; i++) {
    const child = list.GetChild(i);
    if (!child) continue;
    const item = kindOf(child) === 'SeparatedElement' ? member(child, 'Element') : child;
    if (item && !item.IsMissing) items.push(item);
  }
  return items;
}

/** `SimpleName` of a NameReference / NameDeclaration / Name: the name without brackets or quotes. */
export function simpleName(node: SyntaxElement | undefined): string | undefined {
  if (!node) return undefined;
  const name = (node as unknown as { SimpleName?: unknown }).SimpleName;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

export function firstToken(node: SyntaxElement): SyntaxToken | undefined {
  return node.GetFirstToken() ?? undefined;
}

/** True for elements with no text (missing tokens the parser inserted, empty lists). */
export function isEmpty(node: SyntaxElement | undefined): boolean {
  return !node || node.IsMissing || node.End <= node.TextStart;
}

/** Exact source text of an element, without surrounding trivia. */
export function textOf(query: string, node: SyntaxElement): string {
  return query.slice(node.TextStart, node.End);
}

export function isQueryOperatorKind(kind: string): boolean {
  return kind.endsWith('Operator');
}
