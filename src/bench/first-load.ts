// `npm run bench -- --only first`: the first load of every kind of page on a fresh server, then its
// warm p95, against issue #14's targets (first load <= 300 ms, warm p95 <= 10 ms; page cache off, so
// every answer is rendered). The pages are found as a person finds them: a detail page (a rule, a
// provider, an actor, a CVE) is the first link of its kind on the page before it, so no request
// warms a page's indexes before its own first load is timed. Every page's JSON twin (`/api/...`) is
// measured too: first-load.test.ts fails when a GET route of the server has no kind here.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { join } from 'node:path';
import type { AttackThreats, ThreatEntity } from '../attack/threats.js';
import { openDatabase, openReadOnly } from '../store/open.js';
import { serverCpuMs } from './load.js';

const targets = { firstMs: 300, warmP95Ms: 10 };

/** A kind of page: where its URL comes from (a fixed path, or the first link matching `link` on an earlier page). */
interface Kind {
  label: string;
  path?: string;
  /** Find the path in the answer of the kind named `from`: the first href (or form `data-url`) matching `link`. */
  from?: string;
  link?: RegExp;
  /** Asked by POST with this body (a form or JSON), not GET. */
  post?: { type: string; body: string };
  /** Its own warm target, where an issue set one (the evaluation API: issue #13's 20 ms). */
  warmP95Ms?: number;
  /** The JSON twin of the kind of this label: its paths under `/api`, `suffix` added (a Navigator layer). */
  twinOf?: string;
  suffix?: string;
  /** A file download (an export of every matching rule, megabytes): measured, judged by the first-load target only. */
  download?: boolean;
}

/** A Sysmon process creation: what the evaluation forms are measured with. */
const sysmonEvent = JSON.stringify({
  Event: {
    System: {
      Provider: { '#attributes': { Name: 'Microsoft-Windows-Sysmon' } },
      EventID: 1,
      Channel: 'Microsoft-Windows-Sysmon/Operational',
    },
    EventData: { Image: 'C:\\Windows\\System32\\whoami.exe', CommandLine: 'whoami /all', ParentImage: 'C:\\Windows\\System32\\cmd.exe' },
  },
});
const asJson = (body: string) => ({ type: 'application/json', body });
/** A short threat report as the form posts it: a group, techniques, a CVE, a tool. */
const threatReport = {
  type: 'application/x-www-form-urlencoded',
  body: new URLSearchParams({
    text: 'APT29 used PowerShell (T1059.001) and scheduled tasks (T1053.005), exploited CVE-2024-1709 and ran Mimikatz for credential dumping (T1003.001).',
  }).toString(),
};

const kinds: Kind[] = [
  { label: 'Explore (home)', path: '/' },
  { label: 'Explore search', path: '/?q=okta' },
  { label: 'Explore facet', from: 'Explore (home)', link: /^\/\?platform=[^&"]+$/ },
  { label: 'rule page', from: 'Explore (home)', link: /^\/rules\/[^"?#]+$/ },
  { label: 'API search', path: '/api/rules?q=okta' },
  { label: 'coverage matrix', path: '/coverage/matrix' },
  { label: 'coverage providers', path: '/coverage/providers' },
  { label: 'coverage provider', from: 'coverage providers', link: /^\/coverage\/providers\/[^"?#]+$/ },
  { label: 'coverage indicators', path: '/coverage/indicators' },
  { label: 'indicators canonical', path: '/coverage/indicators?view=canonical' },
  { label: 'coverage compare', path: '/coverage/compare' },
  { label: 'coverage visibility', path: '/coverage/visibility' },
  { label: 'actors', path: '/actors' },
  { label: 'actor page', from: 'actors', link: /^\/actors\/[^"?#/]+$/ },
  { label: 'campaigns', path: '/campaigns' },
  { label: 'software', path: '/software' },
  { label: 'CVEs', path: '/cves' },
  { label: 'CVE page', from: 'CVEs', link: /^\/cves\/CVE-[^"?#]+$/ },
  { label: 'changes', path: '/changes' },
  { label: 'fire page', path: '/fire' },
  { label: 'report', path: '/report' },
  { label: 'your rules', path: '/mine' },
  { label: 'rule JSON', from: 'rule page', link: /^\/api\/rules\/[^"?#/]+$/ },
  { label: 'indicators field', from: 'coverage indicators', link: /^\/coverage\/indicators\?field=[^"#&]+$/ },
  { label: 'campaign page', from: 'campaigns', link: /^\/campaigns\/[^"?#/]+$/ },
  // A catalog built without ATT&CK software lists none: then no software page is measured.
  { label: 'software page', from: 'software', link: /^\/software\/[^"?#/]+$/ },
  // Compare is a form, not a link: two groups every ATT&CK bundle holds (APT28, APT29).
  { label: 'actors compare', path: '/actors/compare?id=G0007&id=G0016' },
  { label: 'stories', path: '/stories' },
  { label: 'story page', from: 'stories', link: /^\/stories\/[^"?#/]+$/ },
  { label: 'data components', path: '/data-components' },
  { label: 'data component', from: 'data components', link: /^\/data-components\/[^"?#/]+$/ },
  { label: 'threat report', path: '/threat-report' },
  { label: 'threat report POST', path: '/threat-report', post: threatReport },
  { label: 'Explore Sigma', path: '/?platform=sigma' },
  { label: 'Sigma rule page', from: 'Explore Sigma', link: /^\/rules\/sigma[^"?#]+$/ },
  { label: 'try an event POST', from: 'Sigma rule page', link: /^\/api\/rules\/[^"?#/]+\/test$/, post: asJson(sysmonEvent), warmP95Ms: 20 },
  { label: 'fire POST', path: '/api/fire', post: asJson(sysmonEvent), warmP95Ms: 20 },
  // The JSON twins of the pages (Explore's and the rule page's are above), and what only the API answers.
  ...[
    'coverage matrix',
    'coverage providers',
    'coverage provider',
    'coverage indicators',
    'coverage compare',
    'coverage visibility',
    'actors',
    'actor page',
    'actors compare',
    'campaigns',
    'campaign page',
    'software',
    'software page',
    'CVEs',
    'CVE page',
    'changes',
    'report',
    'your rules',
    'stories',
    'story page',
    'data components',
    'data component',
  ].map((of): Kind => ({ label: `API ${of}`, twinOf: of })),
  // A threat page's Navigator layer.
  ...['actor page', 'campaign page', 'software page', 'story page'].map((of): Kind => ({
    label: `API ${of} layer`,
    twinOf: of,
    suffix: '/layer',
  })),
  { label: 'API version', path: '/api/version' },
  { label: 'API export JSON', path: '/api/export?q=okta&format=json', download: true },
  { label: 'API export Navigator', path: '/api/export?platform=sigma&format=navigator', download: true },
];

/** The kinds that exist only where the catalog has ATT&CK software. */
const softwareKinds = new Set(['software page', 'API software', 'API software page', 'API software page layer']);

/** Does the bench measure the GET route of this path (no query)? A path kind's own path, a link kind's pattern, or a twin's. */
export function benchCovers(pathname: string, among: readonly Kind[] = kinds): boolean {
  const covers = (kind: Kind, path: string): boolean => {
    if (kind.twinOf) {
      const suffix = kind.suffix ?? '';
      if (!path.startsWith('/api/') || !path.endsWith(suffix)) return false;
      const of = among.find((k) => k.label === kind.twinOf);
      return !!of && covers(of, path.slice('/api'.length, path.length - suffix.length));
    }
    if (kind.path) return kind.path.split('?')[0] === path;
    return !!kind.link?.test(path);
  };
  return among.some((kind) => covers(kind, pathname));
}

/** The hrefs and form URLs of a page, unescaped as a browser reads them (`&amp;` only: our paths hold no other entity). */
function hrefs(page: string): string[] {
  return [...page.matchAll(/(?:href|data-url)="([^"]*)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));
}

function startServer(bin: string, db: string): Promise<{ url: string; pid: number; startMs: number; stop: () => void }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'serve', '--db', db, '--port', '0', '--cache-mb', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => (err = (err + String(d)).slice(-2000)));
    child.stdout.on('data', (d) => {
      out += d;
      const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve({ url: m[1]!, pid: child.pid!, startMs: performance.now() - started, stop: () => child.kill() });
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`the server exited (${code}) before listening: ${err.trim()}`)));
  });
}

/** One request over the agent (a GET, or a POST of `post`): status, body and milliseconds to the last byte. */
function request(agent: http.Agent, url: string, post?: Kind['post']): Promise<{ status: number; body: string; ms: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = http
      .request(
        url,
        {
          agent,
          method: post ? 'POST' : 'GET',
          headers: post ? { 'content-type': post.type, 'content-length': Buffer.byteLength(post.body) } : {},
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (d: Buffer) => chunks.push(d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), ms: performance.now() - t0 }));
        },
      )
      .on('error', reject);
    req.end(post?.body);
  });
}

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

interface FirstLoadOptions {
  bin: string;
  db: string;
  warmRequests: number;
  loadAverage: () => string;
  /** A folder for the catalog copy that the software pages are measured on, when the catalog has no software. */
  work: string;
}

export async function benchFirstLoad(opts: FirstLoadOptions): Promise<void> {
  console.log(
    `\nfirst load of each kind of page on a fresh server (page cache off), then ${opts.warmRequests} warm requests each;` +
      ` targets: first <= ${targets.firstMs} ms, warm p95 <= ${targets.warmP95Ms} ms; load average ${opts.loadAverage()}`,
  );
  const misses: string[] = [];
  const measured = await measureKinds(opts, opts.db, kinds, misses);
  if (!measured.has('software page')) {
    // The shared corpus's ATT&CK bundle holds no software (malware, tool): its software pages are the actor
    // pages' code over another list. Measured on a copy of the catalog given one generated software per group.
    // The pages before them are asked once first, unmeasured, so that they find the server as warm as above.
    const copy = await catalogWithSoftware(opts.db, opts.work);
    console.log(
      `  the catalog has no ATT&CK software: its pages measured on a copy with ${copy.count} generated software (one per group, its techniques)`,
    );
    const measuredHere = new Set(['software', ...softwareKinds]);
    const before = kinds.slice(
      0,
      kinds.findIndex((k) => k.label === 'software page'),
    );
    await measureKinds(
      opts,
      copy.db,
      [...before, ...kinds.filter((k) => measuredHere.has(k.label) && !before.includes(k))],
      misses,
      measuredHere,
    );
  }
  console.log(misses.length ? `  targets missed: ${misses.join('; ')}` : '  every target met');
  console.log(`  load average after: ${opts.loadAverage()} (CPU: the server's user + system time over the warm requests, 10 ms ticks)`);
}

/** A copy of the catalog whose ATT&CK data lists, for each group, a software using the group's techniques. */
async function catalogWithSoftware(db: string, work: string): Promise<{ db: string; count: number }> {
  const copy = join(work, 'with-software.db');
  const from = openReadOnly(db);
  try {
    await from.backup(copy);
  } finally {
    from.close();
  }
  const to = openDatabase(copy);
  try {
    const row = to.prepare("SELECT value FROM meta WHERE key = 'attackThreats'").get() as { value: string } | undefined;
    const threats = row ? (JSON.parse(row.value) as AttackThreats) : { groups: [], campaigns: [], software: [], dataComponents: [] };
    threats.software = threats.groups.map((g, i): ThreatEntity => ({
      kind: 'software',
      id: `S${String(9000 + i)}`,
      name: `${g.name} toolkit`,
      aliases: [],
      description: `Generated for the benchmark: the techniques of ${g.name}.`,
      techniques: g.techniques,
      related: [],
    }));
    to.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('attackThreats', ?)").run(JSON.stringify(threats));
    return { db: copy, count: threats.software.length };
  } finally {
    to.close();
  }
}

/**
 * Serve `db` and measure each kind in turn (a link kind's source page among them); the labels measured.
 * A kind outside `only` (when given) is asked once, neither timed nor printed: it warms the server as it would have been.
 */
async function measureKinds(
  opts: FirstLoadOptions,
  db: string,
  which: readonly Kind[],
  misses: string[],
  only?: ReadonlySet<string>,
): Promise<Set<string>> {
  const server = await startServer(opts.bin, db);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    console.log(`  server started (catalog read, indexes built) and listening after ${(server.startMs / 1000).toFixed(1)} s`);
    const pages = new Map<string, string>();
    /** Every path of a kind found on its source page (warm requests go round them). */
    const paths = new Map<string, string[]>();
    for (const kind of which) {
      const found = kind.path
        ? [kind.path]
        : kind.twinOf
          ? (paths.get(kind.twinOf) ?? []).map((p) => `/api${p.replace(/\?|$/, `${kind.suffix ?? ''}$&`)}`)
          : [...new Set(hrefs(pages.get(kind.from!) ?? '').filter((h) => kind.link!.test(h)))].slice(0, 50);
      if (!found.length) {
        if (only && !only.has(kind.label)) continue;
        console.log(`  ${kind.label.padEnd(26)} no link of this kind on "${kind.from ?? kind.twinOf}": not measured`);
        continue;
      }
      paths.set(kind.label, found);
      const first = await request(agent, `${server.url}${found[0]}`, kind.post);
      pages.set(kind.label, first.body);
      if (only && !only.has(kind.label)) continue;
      const warm: number[] = [];
      // The server's CPU time per warm request: what a page costs whatever else runs on the machine.
      const cpuBefore = serverCpuMs(server.pid);
      for (let i = 0; i < opts.warmRequests; i++)
        warm.push((await request(agent, `${server.url}${found[i % found.length]}`, kind.post)).ms);
      const cpuAfter = serverCpuMs(server.pid);
      const cpu = cpuBefore === undefined || cpuAfter === undefined ? '?' : ((cpuAfter - cpuBefore) / opts.warmRequests).toFixed(1);
      const p50 = percentile(warm, 0.5);
      const p95 = percentile(warm, 0.95);
      const warmTarget = kind.warmP95Ms ?? targets.warmP95Ms;
      const missed = [
        first.status !== 200 ? `status ${first.status}` : '',
        first.ms > targets.firstMs ? 'first' : '',
        p95 > warmTarget && !kind.download ? `warm p95 (target ${warmTarget} ms)` : '',
      ].filter(Boolean);
      if (missed.length) misses.push(`${kind.label} (${missed.join(', ')})`);
      const size = `${(first.body.length / 1024).toFixed(0)} KB`;
      console.log(
        `  ${kind.label.padEnd(26)} first ${first.ms.toFixed(1).padStart(7)} ms  warm p50 ${p50.toFixed(1).padStart(6)} ms  p95 ${p95
          .toFixed(1)
          .padStart(
            6,
          )} ms  CPU ${cpu.padStart(5)} ms/req  ${size.padStart(7)}  ${missed.length ? `MISSED: ${missed.join(', ')}` : kind.download ? 'met (a download: no warm target)' : 'met'}  ${
          kind.post ? 'POST ' : ''
        }${found[0]}${found.length > 1 ? ` (+${found.length - 1} more warm)` : ''}`,
      );
    }
    return new Set(paths.keys());
  } finally {
    agent.destroy();
    server.stop();
  }
}
