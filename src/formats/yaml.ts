// Every YAML text a rule file holds is loaded here. js-yaml resolves an alias to the same object,
// so a 730-byte file of nested aliases loads quickly, but whatever walks the result (formats,
// JSON, the catalog) sees billions of values: a build grew to 3.9 GB and died. The loaded document
// is measured as a walk would see it (each object counted once, then its expanded size reused: linear
// in what was parsed) and refused past a bound, as is a document that contains itself.
import yaml from 'js-yaml';

/** Values (scalars and collections) a document may expand to: the shared corpus's largest has ~20,000. */
const maxYamlValues = 1_000_000;

/** A file that would cost unbounded work to read: reported on that file, never retried key by key. */
export class WorkLimitError extends Error {}

/** YAML with the JSON schema (dates and `1.0` versions stay as written), bounded as above. */
export function loadYaml(text: string): unknown {
  const doc = yaml.load(text, { schema: yaml.JSON_SCHEMA });
  const values = expandedSize(doc, maxYamlValues);
  if (values > maxYamlValues) {
    throw new WorkLimitError(`too many aliases: the document expands to over ${maxYamlValues} values (limit ${maxYamlValues})`);
  }
  return doc;
}

/** Values `doc` holds counting every alias in full, or Infinity for a cycle; stops once over `limit`. */
function expandedSize(doc: unknown, limit: number): number {
  const sizes = new Map<object, number>();
  const open = new Set<object>();
  const size = (value: unknown): number => {
    if (value === null || typeof value !== 'object') return 1;
    const known = sizes.get(value);
    if (known !== undefined) return known;
    if (open.has(value)) throw new WorkLimitError('an alias refers to a collection that contains it');
    open.add(value);
    let total = 1;
    for (const child of Object.values(value)) {
      total += size(child);
      if (total > limit) break;
    }
    open.delete(value);
    sizes.set(value, total);
    return total;
  };
  return size(doc);
}
