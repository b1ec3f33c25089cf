// The AST that esql.peggy builds. Every node carries `s`/`e`: start and end offsets in the query,
// so that stage and predicate texts are exact source slices.

interface Span {
  s: number;
  e: number;
}

type Literal =
  | (Span & { t: 'lit'; kind: 'string'; v: string })
  | (Span & { t: 'lit'; kind: 'number'; v: number })
  | (Span & { t: 'lit'; kind: 'bool'; v: boolean })
  | (Span & { t: 'lit'; kind: 'null'; v: null })
  /** `1 hour`, `5m`: kept as written. */
  | (Span & { t: 'lit'; kind: 'duration'; v: string })
  /** `?`, `?name`, `?1`, `??name`: kept as written. */
  | (Span & { t: 'lit'; kind: 'param'; v: string });

export type Expr =
  | (Span & { t: 'or' | 'and'; items: Expr[] })
  | (Span & { t: 'not'; x: Expr })
  /** `==`, `!=`, `=~`, `<`, `<=`, `>`, `>=`. */
  | (Span & { t: 'cmp'; op: string; l: Expr; r: Expr })
  /** `[NOT] LIKE` / `[NOT] RLIKE`, one pattern or a parenthesised list. */
  | (Span & { t: 'like'; rlike: boolean; neg: boolean; l: Expr; values: Expr[] })
  | (Span & { t: 'in'; neg: boolean; l: Expr; values: Expr[] })
  | (Span & { t: 'isnull'; neg: boolean; l: Expr })
  /** The `:` match operator. */
  | (Span & { t: 'match'; l: Expr; r: Expr })
  /** `name` as written; `star` for `COUNT(*)`. */
  | (Span & { t: 'call'; name: string; args: Expr[]; star: boolean })
  /** Dotted name with backquotes removed. */
  | (Span & { t: 'field'; name: string })
  | Literal
  | (Span & { t: 'cast'; x: Expr; type: string })
  | (Span & { t: 'arith'; op: string; l: Expr; r: Expr })
  | (Span & { t: 'neg'; op: string; x: Expr })
  | (Span & { t: 'list'; items: Expr[] })
  | (Span & { t: 'map'; entries: { key: string; value: Expr }[] });

/** `name = expr` or a bare expression (its column is then named by its text). */
export interface Field extends Span {
  name: string | null;
  x: Expr;
  /** STATS only: `agg WHERE cond`. */
  where?: Expr | null;
}

export interface Pattern extends Span {
  /** Dotted name with backquotes removed; may hold `*`. */
  name: string;
}

interface SortItem extends Span {
  x: Expr;
  order: string | null;
  nulls: string | null;
}

interface CommandBase extends Span {
  /** Offset of the `|` before the command, when there is one. */
  p?: number;
}

export type Command = CommandBase &
  (
    | { cmd: 'from' | 'ts'; indices: string[]; metadata: string[] }
    | { cmd: 'row'; fields: Field[] }
    | { cmd: 'show'; what: string }
    | { cmd: 'where'; cond: Expr }
    | { cmd: 'eval'; fields: Field[] }
    | { cmd: 'stats' | 'inlinestats'; aggs: Field[]; by: Field[] }
    | { cmd: 'keep' | 'drop'; patterns: Pattern[] }
    | { cmd: 'rename'; renames: { from: Pattern; to: Pattern }[] }
    | { cmd: 'dissect'; input: Expr; pattern: string }
    | { cmd: 'grok'; input: Expr; patterns: string[] }
    | { cmd: 'mv_expand'; field: string }
    | { cmd: 'limit'; count: Expr }
    | { cmd: 'sort'; items: SortItem[] }
    | { cmd: 'enrich'; policy: string; on: string | null; with: { name: string | null; field: string }[] }
    | { cmd: 'lookup join'; index: string; on: Expr[] }
    | { cmd: 'sample'; probability: Expr }
    | { cmd: 'change_point'; value: string; key: string | null; as: string[] }
    | { cmd: 'completion'; target: string | null; prompt: Expr }
    | { cmd: 'fork'; branches: Command[][] }
  );

export interface Statement {
  commands: Command[];
}
