// `f in D[k]` with D a constant dict whose values are collections and k a field
// (`resource["InstanceType"] in APPROVED_TYPES[resource["ImageId"]]`): for each key of D, k holds
// that key and f is in its collection. A k that is no key raises KeyError: the function returns
// no truthy value there, read as false.
import type { Scalar } from '../../model/types.js';
import type { ConstValue } from './values.js';

/** The entries of a constant dict, each value a collection of constants; undefined when one is not (or a key was not read). */
export function collectionEntries(dict: ConstValue | undefined): [Scalar, Scalar[]][] | undefined {
  if (dict?.kind !== 'collection' || !dict.entries || dict.partial || dict.entries.length !== dict.values.length) return undefined;
  const out: [Scalar, Scalar[]][] = [];
  for (const [key, value] of dict.entries) {
    if (value?.kind !== 'collection' || value.partial) return undefined;
    out.push([key, value.values]);
  }
  return out.length > 0 ? out : undefined;
}
