// The small AST built by the actions of yaral.peggy. `s`/`e` are offsets into the query.

interface Span {
  s: number;
  e: number;
}

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

/** `any` / `all` in front of a comparison over a repeated field. */
type Quantifier = 'any' | 'all' | null;

export type Expr =
  | ({ t: 'or' | 'and'; items: Expr[] } & Span)
  /** `not x`, or `!x` (bang) as the condition section writes it. */
  | ({ t: 'not'; x: Expr; bang: boolean } & Span)
  | ({ t: 'cmp'; op: CompareOp; l: Expr; r: Expr; nocase: boolean; quant: Quantifier } & Span)
  /** `l in %list`, `l in regex %list`, `l in cidr %list`; neg: `l not in %list`. */
  | ({ t: 'in'; kind: 'in' | 'regex' | 'cidr'; neg: boolean; l: Expr; list: string; nocase: boolean; quant: Quantifier } & Span)
  /** name with its dots (`strings.to_lower`); nocase/quant only when the call stands as a condition. */
  | ({ t: 'call'; name: string; args: Expr[]; nocase: boolean; quant: Quantifier } & Span)
  /** `$e.metadata.event_type`: v = event variable without `$`, path = the UDM path after it. */
  | ({ t: 'field'; v: string; path: string } & Span)
  /** `$name` alone: an event, placeholder, match or outcome variable; also `window_start` / `window_end`. */
  | ({ t: 'var'; name: string } & Span)
  /** `#name`: the count of an event or placeholder variable. */
  | ({ t: 'count'; name: string } & Span)
  /** `%name`: a reference list. */
  | ({ t: 'ref'; name: string } & Span)
  | ({ t: 'arith'; op: '+' | '-' | '*' | '/'; items: [Expr, Expr] } & Span)
  | ({ t: 'neg'; x: Expr } & Span)
  | Literal;

type Literal =
  /** raw: a backquoted string, taken verbatim. */
  | ({ t: 'str'; v: string; raw: boolean } & Span)
  /** `/pattern/`: v is the pattern as written between the slashes. */
  | ({ t: 'regex'; v: string } & Span)
  | ({ t: 'num'; v: number } & Span)
  | ({ t: 'bool'; v: boolean } & Span)
  | ({ t: 'null'; v: null } & Span);

interface Entry extends Span {
  key: string;
  value: Literal;
}

interface Assign extends Span {
  /** Outcome variable without `$`. */
  name: string;
  value: Expr;
}

interface Window extends Span {
  /** `over` (hop, or sliding with an anchor) or `by` (tumbling). */
  type: 'over' | 'by';
  /** `5m` as written. */
  text: string;
  value: number;
  unit: string;
}

/**
 * One section. `s` is the offset of its keyword, `e` the end of its last item (so that
 * trailing comments and blank lines do not belong to it).
 */
export type Section =
  | ({ kind: 'meta' | 'options'; entries: Entry[] } & Span)
  | ({ kind: 'events'; items: Expr[] } & Span)
  | ({
      kind: 'match';
      vars: ({ name: string } & Span)[];
      window: Window;
      /** Sliding window: `over 5m after $e1`. */
      anchor: { rel: 'before' | 'after'; name: string } | null;
    } & Span)
  | ({ kind: 'outcome'; assigns: Assign[] } & Span)
  | ({ kind: 'condition'; expr: Expr } & Span);

export interface RuleAst extends Span {
  name: string;
  sections: Section[];
}
