// Explore's links to the coverage views, carrying the current search and filters.
import type { ExploreQuery } from '../../explore/explore.js';
import { html, type SafeHtml } from '../html.js';
import { exploreParams } from '../urls.js';

export function coverageLinks(query: ExploreQuery): SafeHtml {
  const search = exploreParams({ ...query, page: 1, pageSize: 25, sort: 'relevance' }).toString();
  const to = (path: string) => (search ? `${path}?${search}` : path);
  return html`<p class="muted small coverage-links">Coverage of these rules: <a href="${to('/coverage/matrix')}">ATT&amp;CK matrix</a> · <a href="${to('/coverage/providers')}">providers</a> · <a href="${to('/coverage/indicators')}">indicators</a> · <a href="${to('/coverage/compare')}">compare platforms</a></p>`;
}
