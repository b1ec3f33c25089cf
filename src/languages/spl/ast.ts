// Shapes of the AST that spl.peggy builds. Every node with `s`/`e` spans [s, e) of the query.

interface Span {
  s: number;
  e: number;
}

/** A value as written: `v` with escapes removed, `q` when it was "double-quoted". */
export interface Val {
  v: string;
  q: boolean;
}

export interface MacroNode extends Span {
  t: 'macro';
  name: string;
  args: string[];
  text: string;
}

export interface SubsearchNode extends Span {
  t: 'sub';
  commands: Command[];
}

// ---- search language ----

export type SearchExpr =
  | ({ t: 'and' | 'or'; items: SearchExpr[] } & Span)
  | ({ t: 'not'; x: SearchExpr } & Span)
  | ({ t: 'group'; x: SearchExpr } & Span)
  | ({ t: 'cmp'; field: Val; op: string; value: Val } & Span)
  | ({ t: 'in'; field: Val; values: (Val | MacroNode)[] } & Span)
  | ({ t: 'term'; value: Val; fn?: 'TERM' | 'CASE' } & Span)
  | MacroNode
  | SubsearchNode;

// ---- eval language ----

export type EvalExpr =
  | ({ t: 'and' | 'or' | 'xor'; items: EvalExpr[] } & Span)
  | ({ t: 'not'; x: EvalExpr } & Span)
  | ({ t: 'group'; x: EvalExpr } & Span)
  | ({ t: 'cmp'; op: string; l: EvalExpr; r: EvalExpr } & Span)
  | ({ t: 'like'; l: EvalExpr; r: EvalExpr } & Span)
  | ({ t: 'in'; neg: boolean; l: EvalExpr; values: EvalExpr[] } & Span)
  | ({ t: 'arith'; op: string; items: EvalExpr[] } & Span)
  | ({ t: 'call'; name: string; args: EvalExpr[] } & Span)
  | ({ t: 'field'; name: string } & Span)
  | ({ t: 'str'; v: string } & Span)
  | ({ t: 'num'; v: number } & Span)
  | MacroNode;

// ---- commands ----

interface Option {
  opt: string;
  value: string;
}

export interface Aggregate extends Span {
  fn: string;
  /** Text inside the parentheses, null for a bare `count`. */
  args: string | null;
  alias: string | null;
}

export type StatsPart =
  | { k: 'by'; fields: string[] }
  | { k: 'sep' }
  | { k: 'opt'; opt: Option }
  | { k: 'agg'; agg: Aggregate }
  | { k: 'macro'; macro: MacroNode }
  | { k: 'from'; dataset: Dataset }
  | { k: 'where'; expr: SearchExpr };

interface Dataset {
  kind: string;
  name: string;
}

interface CommandBase extends Span {
  /** Lower-cased command name (`macro` for a macro used as a command). */
  name: string;
}

export type Command =
  | (CommandBase & { cmd: 'macro'; macro: MacroNode })
  | (CommandBase & { cmd: 'search'; implicit: boolean; expr: SearchExpr | null })
  | (CommandBase & { cmd: 'where'; expr: EvalExpr })
  | (CommandBase & { cmd: 'eval'; assigns: { target: string; expr: EvalExpr }[] })
  | (CommandBase & { cmd: 'tstats' | 'stats'; parts: StatsPart[] })
  | (CommandBase & { cmd: 'table'; fields: string[] })
  | (CommandBase & { cmd: 'fields'; sign: '+' | '-'; fields: string[] })
  | (CommandBase & { cmd: 'rename'; pairs: { from: string; to: string }[] })
  | (CommandBase & {
      cmd: 'lookup';
      table: string;
      inputs: { field: string; alias: string | null }[];
      outputs: { field: string; alias: string | null }[];
      outputNew: boolean;
    })
  | (CommandBase & { cmd: 'inputlookup'; table: string; where: SearchExpr | null })
  | (CommandBase & { cmd: 'rex'; opts: Option[]; regex: string | null })
  | (CommandBase & { cmd: 'regex'; cond: { field: string | null; op: '=' | '!=' | null; regex: string } & Span })
  | (CommandBase & { cmd: 'spath'; opts: Option[]; paths: string[] })
  | (CommandBase & { cmd: 'from'; dataset: Dataset; subsearches: SubsearchNode[] })
  | (CommandBase & { cmd: 'generic'; subsearches: SubsearchNode[] });

export interface QueryAst {
  commands: Command[];
}
