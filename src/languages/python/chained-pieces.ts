// A piece of a piece: `desc.split(" ")[2].split("@")[1]`, the domain of the third word. The first
// split is the field's piece (pieces.ts, `FieldRef.at`); each further split and index is a step in
// `Piece.then`, read only where a module says it reads it (a compared text, compared-texts.ts).
// Elsewhere a chained piece is no test written: its value is not its field's first piece.
import type { FieldRef } from './conditions.js';
import type { Piece } from './pieces.js';

/** One further split of a piece: `.split(separator)[index]`, -1 the last piece. */
export interface PieceStep {
  separator: string;
  index: number;
}

/** At most this many further splits of one piece are read. */
const maxSteps = 4;

/** The one field's piece a further split may follow: split plain (no slice, no strip, no other read). */
function chainable(ref: FieldRef): Piece | undefined {
  if (ref.fields.length !== 1 || ref.after || ref.trimmed || ref.json || ref.guards || ref.converted || ref.lowered) return undefined;
  if (ref.item !== undefined || ref.walked || ref.logTypes) return undefined;
  const name = ref.fields[0]!;
  const piece = ref.at?.[name];
  if (!piece || piece.stripped || piece.from !== undefined || (piece.then?.length ?? 0) >= maxSteps) return undefined;
  return piece;
}

/** Whether `.split(...)` of this ref is a further split of its piece (`chainedPiece` reads it). */
export function isChainable(ref: FieldRef): boolean {
  return chainable(ref) !== undefined;
}

/** `piece.split(separator)[index]`: the ref with the step added; undefined for a ref not chainable. */
export function chainedPiece(ref: FieldRef, separator: string, index: number): FieldRef | undefined {
  const piece = chainable(ref);
  if (!piece || separator === '' || !Number.isInteger(index) || index < -1) return undefined;
  const then = [...(piece.then ?? []), { separator, index }];
  return { ...ref, at: { [ref.fields[0]!]: { ...piece, then } } };
}

/** The piece `steps` keep of a text, or undefined where Python raises (an index past the last piece). */
export function stepped(text: string, steps: readonly PieceStep[]): string | undefined {
  let value = text;
  for (const step of steps) {
    const pieces = value.split(step.separator);
    const index = step.index < 0 ? pieces.length + step.index : step.index;
    if (index < 0 || index >= pieces.length) return undefined;
    value = pieces[index]!;
  }
  return value;
}
