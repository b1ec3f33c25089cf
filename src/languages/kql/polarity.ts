// Which stages state exclusions rather than detections. The side of a query that only removes
// rows (the right of `join kind=leftanti`, the left of `rightanti`, the subquery of `x !in (...)`,
// a `let` table used only there) states values a rule must NOT see: its conditions are negated.
import { negate } from '../../model/predicates.js';
import type { Stage } from '../../model/types.js';
import type { Binding } from './scope.js';

/** Where a stage or a use of a let name was met: under an odd number of exclusions, inside which let body. */
interface Place {
  excluded: boolean;
  body: number | undefined;
  /** The innermost excluded side walked around it (`excluding`, `flipSince`): its stages exclude together. */
  side: number | undefined;
}

/** Counts of stages and uses recorded so far, to flip what a pipeline recorded after the fact. */
export interface Checkpoint {
  stages: number;
  uses: number;
}

export class Polarity {
  private excluded = false;
  private body: number | undefined;
  private side: number | undefined;
  private sides = 0;
  private readonly stagePlaces: Place[] = [];
  private readonly uses: { body: number; place: Place }[] = [];
  private readonly bodyOf = new Map<Binding, number>();
  private bodies = 0;
  private readonly memo = new Map<number, boolean>();

  checkpoint(): Checkpoint {
    return { stages: this.stagePlaces.length, uses: this.uses.length };
  }

  /** A stage was added (in the walker's order). */
  stageAdded(): void {
    this.stagePlaces.push({ excluded: this.excluded, body: this.body, side: this.side });
  }

  /** A let name (table or function) is read here. */
  used(binding: Binding): void {
    const body = this.bodyOf.get(binding);
    if (body !== undefined) this.uses.push({ body, place: { excluded: this.excluded, body: this.body, side: this.side } });
  }

  /** Walk the side of a query whose rows are removed from the result. */
  excluding<T>(walk: () => T): T {
    const outerSide = this.side;
    this.excluded = !this.excluded;
    this.side = this.sides++;
    try {
      return walk();
    } finally {
      this.excluded = !this.excluded;
      this.side = outerSide;
    }
  }

  /** Walk a pipeline whose rows stand beside the others' (a union leg): if excluded, it is a side of its own. */
  ownSide<T>(walk: () => T): T {
    const outerSide = this.side;
    this.side = this.sides++;
    try {
      return walk();
    } finally {
      this.side = outerSide;
    }
  }

  /** `A | join kind=rightanti (B)`: what the pipeline recorded since `from` turns out to be the excluded side. */
  flipSince(from: Checkpoint): void {
    const side = this.sides++;
    for (const place of this.stagePlaces.slice(from.stages)) {
      place.excluded = !place.excluded;
      place.side = side;
    }
    for (const use of this.uses.slice(from.uses)) use.place.excluded = !use.place.excluded;
  }

  /** Walk a let body; its polarity is decided by how the name is used later. */
  letBody(walk: () => Binding): Binding {
    const outer = this.body;
    const outerExcluded = this.excluded;
    const outerSide = this.side;
    const id = this.bodies++;
    this.body = id;
    this.excluded = false;
    this.side = undefined;
    try {
      const binding = walk();
      this.bodyOf.set(binding, id);
      return binding;
    } finally {
      this.body = outer;
      this.excluded = outerExcluded;
      this.side = outerSide;
    }
  }

  /**
   * Negate the conditions of every excluded stage, and number the side each belongs to (an excluding
   * walk, or a let body excluded by its uses): a side removes the rows all its stages' conditions
   * hold for. `stages` are those recorded, in order.
   */
  apply(stages: Stage[]): void {
    const sideNumbers = new Map<string, number>();
    stages.forEach((stage, i) => {
      const place = this.stagePlaces[i];
      if (!place || !stage.condition || !this.isExcluded(place)) return;
      stage.condition = negate(stage.condition);
      // A let body excluded by its uses is one side, but for the union legs in it.
      const key = place.side !== undefined ? `s${place.side}` : `b${place.body}`;
      let side = sideNumbers.get(key);
      if (side === undefined) sideNumbers.set(key, (side = sideNumbers.size));
      stage.excludedSide = side;
    });
  }

  private isExcluded(place: Place): boolean {
    return place.excluded !== (place.body !== undefined && this.bodyExcluded(place.body));
  }

  /** A let body is an exclusion when it is used, and every use is on an excluded side. */
  private bodyExcluded(body: number): boolean {
    const known = this.memo.get(body);
    if (known !== undefined) return known;
    const uses = this.uses.filter((u) => u.body === body);
    const excluded = uses.length > 0 && uses.every((u) => this.isExcluded(u.place));
    this.memo.set(body, excluded);
    return excluded;
  }
}
