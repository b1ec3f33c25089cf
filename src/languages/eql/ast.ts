// The small AST built by the actions of eql.peggy. `s`/`e` are offsets into the query.

export interface Span {
  s: number;
  e: number;
}

export type Expr =
  | ({ t: 'or' | 'and'; items: Expr[] } & Span)
  | ({ t: 'not'; x: Expr } & Span)
  | ({ t: 'cmp'; op: '==' | '!=' | '<' | '<=' | '>' | '>='; l: Expr; r: Expr } & Span)
  | ({ t: 'in'; op: 'in' | 'in~'; neg: boolean; l: Expr; values: Expr[] } & Span)
  | ({ t: 'match'; op: ':' | 'like' | 'like~' | 'regex' | 'regex~'; list: boolean; l: Expr; values: Expr[] } & Span)
  | ({ t: 'call'; name: string; args: Expr[] } & Span)
  | ({ t: 'field'; name: string; optional: boolean } & Span)
  | Literal
  | ({ t: 'arith'; op: string; items: Expr[] } & Span)
  | ({ t: 'rel'; rel: string; sub: EventFilter } & Span);

export type Literal =
  | ({ t: 'lit'; kind: 'string'; v: string } & Span)
  | ({ t: 'lit'; kind: 'number'; v: number } & Span)
  | ({ t: 'lit'; kind: 'bool'; v: boolean } & Span)
  | ({ t: 'lit'; kind: 'null'; v: null } & Span);

export interface EventFilter extends Span {
  /** Event category without quotes; `any` for `any`. */
  category: string;
  cond: Expr;
}

export interface Step extends Span {
  missing: boolean;
  filter: EventFilter;
  by: Expr[] | null;
  runs: number | null;
  until?: boolean;
}

interface Head extends Span {
  by: Expr[] | null;
  span: ({ value: number; unit: string | null } & Span) | null;
  /** Offset of `by` keys written after `with maxspan` (Elasticsearch rejects that order). */
  lateBy: number | null;
}

type Query = { t: 'event'; filter: EventFilter } | { t: 'sequence' | 'sample' | 'join'; head: Head; steps: Step[]; until: Step | null };

interface Pipe extends Span {
  name: string;
  args: Expr[];
}

export interface Statement {
  /** Null when the input holds nothing but whitespace and comments. */
  query: Query | null;
  pipes: Pipe[];
  warnings: { message: string; offset: number }[];
}
