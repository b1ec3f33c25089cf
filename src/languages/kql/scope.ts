// What a `let` name (or a function parameter) stands for, so that later uses can be resolved.
import type { ComputedColumns } from '../../model/computed.js';
import type { OutputField, Scalar } from '../../model/types.js';

export type Binding =
  /** A literal scalar (`let s = "x"`) or list (`let l = dynamic(["a", "b"])`). */
  | { kind: 'values'; values: Scalar[]; list: boolean }
  /**
   * A tabular expression: what it reads and the columns it is known to produce. `values` holds
   * the rows of a one-column datatable, usable on the right of `in`; `computed`, the columns its
   * pipeline computed, so that `T | where flag == 1` after `let T = X | extend flag = iff(...)` reads
   * the conditions defining the flag.
   */
  | { kind: 'tabular'; sources: string[]; outputs: OutputField[]; values?: Scalar[]; computed?: ComputedColumns }
  /**
   * A user function (`let f = (a:string) { ... }`); `tabular` when its body is a table expression.
   * `tableParameters`: positions of parameters the body reads as tables (`table(name)`, `T | ...`),
   * so that a call `f("SigninLogs")` reads SigninLogs.
   */
  | { kind: 'function'; tabular: boolean; sources: string[]; outputs: OutputField[]; tableParameters: number[] }
  /** A function parameter inside the function body; `usedAsTable` is set while walking the body. */
  | { kind: 'parameter'; index: number; usedAsTable: boolean }
  /** A scalar whose value we cannot know statically (`ago(1d)`, `toscalar(...)`). */
  | { kind: 'opaque' };

export class Scope {
  private readonly bindings = new Map<string, Binding>();

  constructor(private readonly parent?: Scope) {}

  define(name: string, binding: Binding): void {
    this.bindings.set(name, binding);
  }

  lookup(name: string): Binding | undefined {
    return this.bindings.get(name) ?? this.parent?.lookup(name);
  }
}
