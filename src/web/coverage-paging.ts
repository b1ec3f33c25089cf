// Pages of the long coverage views (indicators: fields; compare: the items of each list). The HTML page
// and its JSON twin take the same `page` and `limit` and hold the same items; the JSON answer says where it
// is (`page`, `pages`, `limit`) and links the pages beside it (`prev`, `next`: null at either end), as a
// JSON API's user expects, instead of megabytes of every item at once.

export interface PageSizes {
  /** Items per page when the request names no `limit`. */
  defaultLimit: number;
  /** The largest `limit` taken; a larger one is read as this. */
  maxLimit: number;
}

/** Indicators: fields per page (each with its most used indicators). */
export const indicatorPageSizes: PageSizes = { defaultLimit: 30, maxLimit: 100 };
/** Compare: items per page of each list (techniques, events, indicators; only A, only B, both). */
export const comparePageSizes: PageSizes = { defaultLimit: 50, maxLimit: 1000 };

export interface Paging {
  page: number;
  limit: number;
  /** Whether the request named its limit (then the links keep it). */
  explicitLimit: boolean;
}

/** `page` (from 1) and `limit` (1 .. the maximum) of a request; anything else is the default. */
export function parsePaging(params: URLSearchParams, sizes: PageSizes): Paging {
  const int = (name: string) => {
    const text = params.get(name)?.trim() ?? '';
    const n = /^\d{1,9}$/.test(text) ? Number(text) : NaN;
    return n >= 1 ? n : undefined;
  };
  const limit = int('limit');
  return {
    page: int('page') ?? 1,
    limit: limit === undefined ? sizes.defaultLimit : Math.min(limit, sizes.maxLimit),
    explicitLimit: limit !== undefined,
  };
}

/** The first item of the page. */
export const pageOffset = (paging: Paging) => (paging.page - 1) * paging.limit;

/** Pages needed for `total` items (at least one, empty or not). */
export const pageCount = (total: number, limit: number) => Math.max(1, Math.ceil(total / limit));

export interface PageLinks {
  prev: string | null;
  next: string | null;
}

/**
 * The neighbouring pages of `path?search`: `search` is the view's own parameters (no paging); the page and an
 * explicit limit are added. A page past the last links back to the last.
 */
export function pageLinks(path: string, search: URLSearchParams, paging: Paging, pages: number): PageLinks {
  const to = (page: number) => {
    const out = new URLSearchParams(search);
    if (page > 1) out.set('page', String(page));
    if (paging.explicitLimit) out.set('limit', String(paging.limit));
    const text = out.toString();
    return text ? `${path}?${text}` : path;
  };
  return {
    prev: paging.page > 1 ? to(Math.min(paging.page - 1, pages)) : null,
    next: paging.page < pages ? to(paging.page + 1) : null,
  };
}

/** What a paged JSON answer adds after the view's own fields. */
export function pageFields(paging: Paging, pages: number, links: PageLinks) {
  return { page: paging.page, pages, limit: paging.limit, prev: links.prev, next: links.next };
}
