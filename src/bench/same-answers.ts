// Whether two servers of the same catalog give byte-identical answers: run before and after a change
// to the serving code (`node dist/bench/same-answers.js http://127.0.0.1:PORT_A http://127.0.0.1:PORT_B`).
// It asks both for every URL the load test uses (search, every rule page, Explore with facets,
// coverage pages), the JSON and CSV answers of the coverage views and Explore's API, and every
// rule's JSON, and prints each answer that differs (status, headers that matter, body bytes; in HTML,
// the static assets' version is left out).
// Exit status 1 when any differs.
import { loadRoutes } from './load.js';

interface Answer {
  status: number;
  type: string;
  location: string;
  body: Buffer;
}

async function answer(url: string): Promise<Answer> {
  const res = await fetch(url, { redirect: 'manual' });
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    location: res.headers.get('location') ?? '',
    body: Buffer.from(await res.arrayBuffer()),
  };
}

/** Every path to compare, relative to the server. */
async function paths(base: string): Promise<string[]> {
  const routes = await loadRoutes(base);
  const relative = routes.flatMap((r) => r.urls.map((u) => u.slice(base.length)));
  const out = new Set(relative);
  for (const path of relative) {
    if (path.startsWith('/rules/')) out.add(`/api${path}`);
    if (path.startsWith('/?')) out.add(`/api/rules${path.slice(1)}`);
    if (path.startsWith('/coverage/')) {
      const api = `/api${path}`;
      out.add(api);
      out.add(`${api}${api.includes('?') ? '&' : '?'}format=csv`);
    }
  }
  for (const extra of [
    '/',
    '/?page=2',
    '/?sort=name&size=100',
    '/?q=nothing-matches-this',
    '/report',
    '/api/report',
    '/coverage/visibility',
    '/mine',
    '/api/mine',
    ...wholeAndFiltered,
  ])
    out.add(extra);
  // Every entity page the index pages link to (actors, campaigns, software, stories, data components, providers).
  for (const index of ['/actors', '/campaigns', '/software', '/stories', '/data-components', '/coverage/providers']) {
    const page = (await answer(`${base}${index}`)).body.toString();
    const links = [...page.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));
    for (const link of new Set(links.filter((l) => l.startsWith(`${index}/`) && !l.includes('?')).slice(0, 40))) {
      out.add(link);
      out.add(`/api${link}`);
    }
  }
  return [...out];
}

/**
 * The views a server may keep per catalog (web/per-catalog.ts), over the whole catalog and filtered, as pages,
 * JSON and CSV: the kept value and the one computed per request must give the same answers.
 */
const wholeAndFiltered = ['', '?platform=sigma', '?q=okta'].flatMap((search) => {
  const and = search ? '&' : '?';
  const views = [
    '/coverage/matrix',
    `/coverage/matrix${search}${and}covered=1`,
    '/coverage/providers',
    '/coverage/providers/okta',
    `/coverage/providers/okta${search}${and}gaps=1`,
    '/coverage/indicators',
    `/coverage/indicators${search}${and}view=canonical`,
    `/coverage/indicators${search}${and}field=Image`,
    '/coverage/compare',
    `/coverage/compare${search}${and}a=elastic&b=splunk`,
    '/coverage/visibility',
    `/coverage/visibility${search}${and}logs=okta`,
    '/actors',
    '/campaigns',
    '/software',
    '/stories',
    '/data-components',
    '/actors/compare?id=G0016,G0007',
  ].map((v) => (v.includes('?') || !search ? v : `${v}${search}`));
  return [
    ...views,
    ...views.map((v) => `/api${v}`),
    ...views.filter((v) => v.startsWith('/coverage')).map((v) => `/api${v}${v.includes('?') ? '&' : '?'}format=csv`),
  ];
});

/** The static assets' version in a page's links: it moves whenever a static file does, whatever the page. */
const assetVersion = /(\/static\/[\w.-]+\?v=)[0-9a-f]+/g;

/** An HTML body with its asset version left out: a change to the static files is not a change to every page. */
function withoutAssetVersion(a: Answer): Answer {
  return a.type.startsWith('text/html') ? { ...a, body: Buffer.from(a.body.toString('utf8').replace(assetVersion, '$1*'), 'utf8') } : a;
}

function differences(x: Answer, y: Answer): string[] {
  const [a, b] = [withoutAssetVersion(x), withoutAssetVersion(y)];
  const out: string[] = [];
  if (a.status !== b.status) out.push(`status ${a.status} / ${b.status}`);
  if (a.type !== b.type) out.push(`content-type ${a.type} / ${b.type}`);
  if (a.location !== b.location) out.push(`location ${a.location} / ${b.location}`);
  if (!a.body.equals(b.body)) {
    let at = 0;
    while (at < a.body.length && a.body[at] === b.body[at]) at++;
    out.push(`body ${a.body.length} / ${b.body.length} bytes, first difference at byte ${at}`);
  }
  return out;
}

async function main(): Promise<void> {
  const [a, b] = process.argv.slice(2).map((u) => u.replace(/\/$/, ''));
  if (!a || !b) {
    console.log('usage: node dist/bench/same-answers.js BASE_URL_A BASE_URL_B');
    process.exitCode = 2;
    return;
  }
  const all = await paths(a);
  let differing = 0;
  for (const path of all) {
    const [x, y] = await Promise.all([answer(`${a}${path}`), answer(`${b}${path}`)]);
    const diff = differences(x, y);
    if (!diff.length) continue;
    differing++;
    if (differing <= 20) console.log(`differs: ${path}: ${diff.join('; ')}`);
  }
  console.log(`${all.length} answers compared, ${differing} differ`);
  if (differing) process.exitCode = 1;
}

await main();
