// Data-model context for `event.udm("name")`.
//
// A language analyses a query string only, yet which log field a UDM name stands for depends on
// the rule's LogTypes, which only the rule's YAML knows. The Panther format therefore hands the
// analyser a table for the Python source it is about to have analysed: `provideDataModel(source,
// table)` right before it returns the rule, and the analyser takes it (`takeDataModel(source)`)
// when it analyses that exact source. Reading a file and analysing its rules happen in one
// synchronous step (catalog/read-file.ts), so the pairing is exact; the map is bounded so that a
// table whose source is never analysed cannot accumulate.

/** UDM name → the log field paths it maps to for the rule's log types (several when they differ). */
export type UdmTable = Record<string, string[]>;

const pending = new Map<string, UdmTable>();
const limit = 64;

export function provideDataModel(pythonSource: string, table: UdmTable): void {
  pending.delete(pythonSource);
  pending.set(pythonSource, table);
  while (pending.size > limit) {
    const oldest = pending.keys().next();
    if (oldest.done) break;
    pending.delete(oldest.value);
  }
}

export function takeDataModel(pythonSource: string): UdmTable | undefined {
  const table = pending.get(pythonSource);
  if (table) pending.delete(pythonSource);
  return table;
}
