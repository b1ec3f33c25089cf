import { type ExploreQuery, type FacetName, facetNames } from '../explore/explore.js';
import { html, type SafeHtml } from './html.js';

export function ruleUrl(id: string): string {
  return `/rules/${encodeURIComponent(id)}`;
}

/** The URL search params that reproduce an Explore state (defaults left out). */
export function exploreParams(query: ExploreQuery): URLSearchParams {
  const params = new URLSearchParams();
  if (query.q) params.set('q', query.q);
  for (const facet of facetNames) for (const value of query.filters[facet] ?? []) params.append(facet, value);
  if (query.sort !== 'relevance') params.set('sort', query.sort);
  if (query.dir && query.sort !== 'relevance') params.set('dir', query.dir);
  if (query.pageSize !== 25) params.set('size', String(query.pageSize));
  if (query.duplicates) params.set('duplicates', '1');
  if (query.removed) params.set('removed', '1');
  if (query.since) params.set('since', query.since);
  for (const v of query.indicator ?? []) params.append('indicator', v);
  for (const v of query.canonical ?? []) params.append('canonical', v);
  if (query.more) params.set('more', query.more);
  if (query.page > 1) params.set('page', String(query.page));
  return params;
}

export function exploreUrl(query: ExploreQuery, changes: Partial<ExploreQuery> = {}): string {
  const search = exploreParams({ ...query, ...changes }).toString();
  return search ? `/?${search}` : '/';
}

/** Explore with one facet value switched on or off; back to page 1. */
export function toggleFacetUrl(query: ExploreQuery, facet: FacetName, value: string): string {
  const current = query.filters[facet] ?? [];
  const next = current.includes(value) ? current.filter((v) => v !== value) : [...current, value];
  const filters = { ...query.filters, [facet]: next };
  return exploreUrl(query, { filters, page: 1 });
}

/** Explore filtered by a single facet value, everything else default. */
export function facetUrl(facet: FacetName, value: string): string {
  return `/?${new URLSearchParams({ [facet]: value }).toString()}`;
}

/** A value as application/x-www-form-urlencoded writes it (what URLSearchParams#toString gives). */
export function formEncode(value: string): string {
  // Most values (technique ids, event names) hold none of the characters the two encodings differ on.
  if (!/[!'()~ ]/.test(value)) return encodeURIComponent(value);
  return encodeURIComponent(value)
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replaceAll('%20', '+');
}

/**
 * `toggleFacetUrl` for many values of one facet that are not selected (a sidebar list): the URL
 * around the added value is built once, not once per value.
 */
export function addFacetUrls(query: ExploreQuery, facet: FacetName): (value: string) => string {
  const { head, tail } = aroundAddedValue(encodedParams({ ...query, page: 1 }), facet);
  return (value) => `${head}${formEncode(value)}${tail}`;
}

/**
 * `addFacetUrls` as attribute markup: the URL around the value is escaped once, not once per value,
 * and the value comes encoded and escaped (`Labels.facetValueQueryHtml`: once per catalog).
 */
export function addFacetHrefs(query: ExploreQuery, facet: FacetName): (encodedValue: SafeHtml) => SafeHtml {
  const { head, tail } = addedValueHrefs(query)(facet);
  return (encodedValue) => html`${head}${encodedValue}${tail}`;
}

/**
 * For each facet, the escaped URL of Explore with one more value of it, before and after that value
 * (`addFacetHrefs` in pieces): the query's parameters are encoded once for every facet of a page.
 */
export function addedValueHrefs(query: ExploreQuery): (facet: FacetName) => { head: SafeHtml; tail: SafeHtml } {
  const params = encodedParams({ ...query, page: 1 });
  return (facet) => {
    const { head, tail } = aroundAddedValue(params, facet);
    return { head: html`${head}`, tail: html`${tail}` };
  };
}

/**
 * `exploreUrl(query, { more: facet })` for each facet, escaped: the URL around the facet's name is
 * built once per page (the sidebar links every facet's "more values"). Facet names need no encoding.
 */
export function moreHrefs(query: ExploreQuery): (facet: FacetName) => SafeHtml {
  const marker = 'more-marker';
  const around = exploreUrl(query, { more: marker as FacetName }).split(`more=${marker}`);
  if (around.length !== 2) return (facet) => html`${exploreUrl(query, { more: facet })}`;
  const [head, tail] = [html`${around[0]}`, html`${around[1]}`];
  return (facet) => html`${head}more=${facet}${tail}`;
}

/**
 * Explore URLs that differ in one value (a coverage table's rows: a technique, an event, an indicator),
 * as attribute markup: `hrefs(value)` is `exploreUrl(query, { page: 1, ...changes(value) })`, escaped,
 * the URL around the value built and escaped once, not once per row. Built around a marker value: where
 * the marker does not stand once for the value (an empty value is left out of a URL), per value.
 */
export function exploreHrefs(query: ExploreQuery, changes: (value: string) => Partial<ExploreQuery>): (value: string) => SafeHtml {
  const each = (value: string) => html`${exploreUrl(query, { page: 1, ...changes(value) })}`;
  const marker = '\u0000value\u0000';
  const around = exploreUrl(query, { page: 1, ...changes(marker) }).split(formEncode(marker));
  if (around.length !== 2) return each;
  const [head, tail] = [html`${around[0]}`, html`${around[1]}`];
  return (value) => (value === '' ? each(value) : html`${head}${formEncode(value)}${tail}`);
}

/** An Explore state's query string as URLSearchParams writes it, cut into its `key=value` pairs (an encoded value holds no `&`), and their keys. */
interface EncodedParams {
  keys: string[];
  pairs: string[];
}

function encodedParams(query: ExploreQuery): EncodedParams {
  const params = exploreParams(query);
  const text = params.toString();
  return { keys: [...params.keys()], pairs: text ? text.split('&') : [] };
}

/** The URL of Explore with one more value of `facet`, before and after that value. */
function aroundAddedValue({ keys, pairs }: EncodedParams, facet: FacetName): { head: string; tail: string } {
  // exploreParams lists q, then the facets in facetNames order: the value goes after its facet's current values.
  const upTo = facetNames.indexOf(facet);
  let split = 0;
  while (split < keys.length) {
    const key = keys[split]!;
    const place = facetNames.indexOf(key as FacetName);
    if (key !== 'q' && (place === -1 || place > upTo)) break;
    split++;
  }
  const before = pairs.slice(0, split).join('&');
  const after = pairs.slice(split).join('&');
  return { head: `/?${before ? `${before}&` : ''}${facet}=`, tail: after ? `&${after}` : '' };
}
