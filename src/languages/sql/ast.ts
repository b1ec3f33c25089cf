// The AST built by sql.peggy (see its header). Every node carries `s`/`e`: start and end offsets.

export interface Span {
  s: number;
  e: number;
}

export interface Statement {
  /** Null when the query holds only blanks and comments. */
  query: Query | null;
  /** The query is a WITH list ending in a Jinja macro call that stands for the final SELECT. */
  template: boolean;
}

export interface Query extends Span {
  t: 'query';
  with: With | null;
  /** Null only for a template query (see Statement.template). */
  body: SetExpr | null;
  order: OrderBy | null;
  limit: Limit | null;
}

interface With extends Span {
  t: 'with';
  items: (Cte | Jinja)[];
}

interface Cte extends Span {
  t: 'cte';
  name: string;
  query: Query;
}

export interface SetExpr extends Span {
  t: 'set';
  items: (Select | Query)[];
  /** Operators between items: `union`, `union all`, `minus`, `except`, `intersect`. */
  ops: (Span & { op: string })[];
}

export interface Select extends Span {
  t: 'select';
  head: Span & { distinct: boolean };
  items: SelectItem[];
  from: From | null;
  where: (Span & { cond: Expr }) | null;
  group: (Span & { items: Expr[] }) | null;
  having: (Span & { cond: Expr }) | null;
  qualify: (Span & { cond: Expr }) | null;
}

export interface SelectItem extends Span {
  t: 'item';
  expr: Expr;
  alias: string | null;
}

export interface From extends Span {
  items: FromItem[];
}

interface FromItem extends Span {
  /** Null for the first item, `,` for a comma join, else the join words (`left outer join`). */
  join: string | null;
  item: Source;
  on: Expr | null;
  using: string[] | null;
}

/** MATCH_RECOGNIZE's PATTERN (as written, null when absent) and each DEFINE'd row variable's condition. */
interface MatchRecognize {
  pattern: string | null;
  defines: (Span & { name: string; cond: Expr })[];
}

/** `reshaped`: followed by MATCH_RECOGNIZE, which replaces the columns (`match`: what it reads). */
interface Reshaped {
  reshaped?: boolean;
  match?: MatchRecognize;
}

export type Source =
  | (Span & Reshaped & { t: 'table'; name: string; parts: string[]; alias: string | null })
  | (Span & Reshaped & { t: 'derived'; query: Query; alias: string | null })
  | (Span & Reshaped & { t: 'tablefn'; call: Expr; alias: string | null });

interface OrderBy extends Span {
  items: Expr[];
}

interface Limit extends Span {
  kind: 'limit' | 'offset' | 'fetch';
  items: Expr[];
}

interface Jinja extends Span {
  t: 'jinja';
  text: string;
}

export interface PathPart extends Span {
  /** `name`: `.x` (or the first name); `path`: `:x`; `index`: `[x]`. */
  k: 'name' | 'path' | 'index';
  v: string | number;
  /** The name was double-quoted. */
  q?: boolean;
}

interface Literal extends Span {
  t: 'lit';
  kind: 'string' | 'number' | 'bool' | 'null' | 'duration' | 'typed';
  v: string | number | boolean | null;
}

export type Expr =
  | (Span & { t: 'or' | 'and'; items: Expr[] })
  | (Span & { t: 'not'; x: Expr })
  | (Span & { t: 'cmp'; op: string; l: Expr; r: Expr })
  | (Span & { t: 'is'; what: 'null' | 'true' | 'false' | 'distinct'; neg: boolean; l: Expr; r: Expr | null })
  | (Span & { t: 'in'; neg: boolean; l: Expr; list: Expr[] | null; query: Query | null })
  | (Span & {
      t: 'like';
      op: 'like' | 'ilike' | 'rlike' | 'regexp';
      neg: boolean;
      quant: 'any' | 'all' | null;
      l: Expr;
      r: Expr | null;
      list: Expr[] | null;
    })
  | (Span & { t: 'between'; neg: boolean; l: Expr; lo: Expr; hi: Expr })
  | (Span & { t: 'exists' | 'subquery'; query: Query })
  | (Span & { t: 'arith'; op: string; l: Expr; r: Expr })
  | (Span & { t: 'neg'; x: Expr })
  | Call
  | (Span & { t: 'named'; name: string; x: Expr })
  | (Span & { t: 'case'; parts: Expr[] })
  | (Span & { t: 'cast'; x: Expr; type: string })
  | (Span & { t: 'tuple' | 'array'; items: Expr[] })
  | (Span & { t: 'ref'; parts: PathPart[] })
  | (Span & { t: 'path'; x: Expr; parts: PathPart[] })
  | (Span & { t: 'star'; qual: string | null })
  | Jinja
  | Literal;

export interface Call extends Span {
  t: 'call';
  name: string;
  /** Null for an empty argument (Panther macro syntax: `p_occurs_since(1h, , col)`). */
  args: (Expr | null)[];
  distinct: boolean;
  /** `count(*)`: the star is not listed in args. */
  star: boolean;
}
