// Whether two servers of the same catalog give byte-identical answers: run before and after a change
// to the serving code (`node dist/bench/same-answers.js http://127.0.0.1:PORT_A http://127.0.0.1:PORT_B`).
// It asks both for every URL the load test uses (search, every rule page, Explore with facets,
// coverage pages), the JSON and CSV answers of the coverage views and Explore's API, and every
// rule's JSON, and prints each answer that differs (status, headers that matter, body bytes).
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
  ])
    out.add(extra);
  return [...out];
}

function differences(a: Answer, b: Answer): string[] {
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
