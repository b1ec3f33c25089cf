// What `field: value` compares in Kibana KQL (kuery) and Lucene, by the field's mapping type
// (canonical/ecs-field-types.ts): Elasticsearch runs a term or match query whose meaning is the field's.
//
//   keyword, wildcard, unknown   eq, case-sensitive (the whole value, exactly)
//   caseless                     eq, not case-sensitive (a lower-casing normaliser)
//   text, match_only_text        has (the value's words, in order, among the field's analysed words),
//                                not case-sensitive; an unquoted kuery value of several words matches
//                                any of them: has_any over its words
//   ip with a CIDR block         cidr (every address in the block); other ip values stay eq
// Wildcards and regexes on text and caseless fields match lower-cased words or values: not case-sensitive.
import { ecsFieldTypes, ecsMultiFieldTypes, type ElasticFieldType } from '../canonical/ecs-field-types.js';
import type { Operator } from '../model/types.js';

/** The field's mapping type, or undefined when the table does not know it (read as a keyword). */
function elasticFieldType(field: string): ElasticFieldType | undefined {
  const own = ecsFieldTypes.get(field);
  if (own !== undefined) return own;
  const dot = field.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const multi = ecsMultiFieldTypes.get(field.slice(dot + 1));
  return multi !== undefined && ecsFieldTypes.has(field.slice(0, dot)) ? multi : undefined;
}

interface TermComparison {
  op: Operator;
  values: string[];
  caseSensitive: boolean;
}

/** `10.0.0.0/8`, `fe80::/10`: an address (IPv4 or IPv6) and a prefix length. */
const cidrBlock = /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f]*:[0-9a-f:.]*)\/\d{1,3}$/i;

/**
 * How `field: value` compares on the field. `phrase`: the value is one phrase (quoted, or a Lucene
 * term); `words`: an unquoted kuery value, whose words match apart on analysed text.
 */
export function termComparison(field: string, value: string, form: 'phrase' | 'words'): TermComparison {
  switch (elasticFieldType(field)) {
    case 'text': {
      const words = form === 'words' ? value.split(/\s+/).filter((w) => w !== '') : [];
      if (words.length > 1) return { op: 'has_any', values: words, caseSensitive: false };
      return { op: 'has', values: [value], caseSensitive: false };
    }
    case 'caseless':
      return { op: 'eq', values: [value], caseSensitive: false };
    case 'ip':
      if (cidrBlock.test(value)) return { op: 'cidr', values: [value], caseSensitive: true };
      break;
    default:
      break;
  }
  return { op: 'eq', values: [value], caseSensitive: true };
}

/** Whether a wildcard or regex on the field sees the value as written (not lower-cased words or values). */
export function patternCaseSensitive(field: string): boolean {
  const type = elasticFieldType(field);
  return type !== 'text' && type !== 'caseless';
}
