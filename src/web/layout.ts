import { html, type HtmlValue, type SafeHtml } from './html.js';

export interface PageOptions {
  title: string;
  /** Which header link is current. */
  nav?: 'explore' | 'coverage' | 'threats' | 'fire' | 'report' | 'changes' | 'mine';
  body: HtmlValue;
}

export interface Assets {
  /** Cache-busting version of the static files. */
  version: string;
  /** Watch mode: the catalog version the page shows (see /api/version). */
  live?: string;
}

/** The page shell: header with brand, search and navigation; static CSS and script only (CSP). */
export function layout(assets: Assets, page: PageOptions): SafeHtml {
  const current = (name: PageOptions['nav']) => (page.nav === name ? html` aria-current="page"` : '');
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${page.title} · RuleAtlas</title>
<link rel="stylesheet" href="/static/style.css?v=${assets.version}">
<script type="module" src="/static/app.js?v=${assets.version}"></script>
${assets.live === undefined ? '' : html`<meta name="ruleatlas-live" content="${assets.live}">`}
</head>
<body>
<header class="top">
  <div class="top-inner">
    <a class="brand" href="/"><span class="brand-mark" aria-hidden="true">&#9670;</span> RuleAtlas</a>
    <nav class="top-nav" aria-label="Main">
      <a href="/"${current('explore')}>Explore</a>
      <a href="/coverage/matrix"${current('coverage')}>Coverage</a>
      <a href="/actors"${current('threats')}>Threats</a>
      <a href="/fire"${current('fire')}>What fires?</a>
      <a href="/report"${current('report')}>Build report</a>
      <a href="/changes"${current('changes')}>Changes</a>
      <a href="/mine"${current('mine')}>Your rules</a>
      <a href="/api/rules">API</a>
    </nav>
  </div>
</header>
<main class="wrap">
${page.body}
</main>
<footer class="foot wrap">RuleAtlas · detection rules catalog · <a href="/api/report">report JSON</a></footer>
</body>
</html>
`;
}
