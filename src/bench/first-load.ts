// `npm run bench -- --only first`: the first load of every kind of page on a fresh server, then its
// warm p95, against issue #14's targets (first load <= 300 ms, warm p95 <= 10 ms; page cache off, so
// every answer is rendered). The pages are found as a person finds them: a detail page (a rule, a
// provider, an actor, a CVE) is the first link of its kind on the page before it, so no request
// warms a page's indexes before its own first load is timed.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { cpuMs } from './load.js';

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
];

/** The hrefs and form URLs of a page, unescaped as a browser reads them (`&amp;` only: our paths hold no other entity). */
function hrefs(page: string): string[] {
  return [...page.matchAll(/(?:href|data-url)="([^"]*)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));
}

function startServer(bin: string, db: string): Promise<{ url: string; pid: number; startMs: number; stop: () => void }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'serve', '--db', db, '--port', '0', '--cache-mb', '0'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve({ url: m[1]!, pid: child.pid!, startMs: performance.now() - started, stop: () => child.kill() });
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`the server exited (${code}) before listening`)));
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

export async function benchFirstLoad(opts: { bin: string; db: string; warmRequests: number; loadAverage: () => string }): Promise<void> {
  const server = await startServer(opts.bin, opts.db);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    console.log(
      `\nfirst load of each kind of page on a fresh server (page cache off), then ${opts.warmRequests} warm requests each;` +
        ` targets: first <= ${targets.firstMs} ms, warm p95 <= ${targets.warmP95Ms} ms; load average ${opts.loadAverage()}`,
    );
    console.log(`  server started (catalog read, indexes built) and listening after ${(server.startMs / 1000).toFixed(1)} s`);
    const pages = new Map<string, string>();
    /** Every path of a kind found on its source page (warm requests go round them). */
    const paths = new Map<string, string[]>();
    const misses: string[] = [];
    for (const kind of kinds) {
      const found = kind.path
        ? [kind.path]
        : [...new Set(hrefs(pages.get(kind.from!) ?? '').filter((h) => kind.link!.test(h)))].slice(0, 50);
      if (!found.length) {
        console.log(`  ${kind.label.padEnd(22)} no link of this kind on "${kind.from}": not measured`);
        continue;
      }
      paths.set(kind.label, found);
      const first = await request(agent, `${server.url}${found[0]}`, kind.post);
      pages.set(kind.label, first.body);
      const warm: number[] = [];
      // The server's CPU time per warm request: what a page costs whatever else runs on the machine.
      const cpuBefore = cpuMs(server.pid);
      for (let i = 0; i < opts.warmRequests; i++)
        warm.push((await request(agent, `${server.url}${found[i % found.length]}`, kind.post)).ms);
      const cpuAfter = cpuMs(server.pid);
      const cpu = cpuBefore === undefined || cpuAfter === undefined ? '?' : ((cpuAfter - cpuBefore) / opts.warmRequests).toFixed(1);
      const p50 = percentile(warm, 0.5);
      const p95 = percentile(warm, 0.95);
      const warmTarget = kind.warmP95Ms ?? targets.warmP95Ms;
      const missed = [
        first.status !== 200 ? `status ${first.status}` : '',
        first.ms > targets.firstMs ? 'first' : '',
        p95 > warmTarget ? `warm p95 (target ${warmTarget} ms)` : '',
      ].filter(Boolean);
      if (missed.length) misses.push(`${kind.label} (${missed.join(', ')})`);
      const size = `${(first.body.length / 1024).toFixed(0)} KB`;
      console.log(
        `  ${kind.label.padEnd(22)} first ${first.ms.toFixed(1).padStart(7)} ms  warm p50 ${p50.toFixed(1).padStart(6)} ms  p95 ${p95
          .toFixed(1)
          .padStart(
            6,
          )} ms  CPU ${cpu.padStart(5)} ms/req  ${size.padStart(7)}  ${missed.length ? `MISSED: ${missed.join(', ')}` : 'met'}  ${
          kind.post ? 'POST ' : ''
        }${found[0]}${found.length > 1 ? ` (+${found.length - 1} more warm)` : ''}`,
      );
    }
    console.log(misses.length ? `  targets missed: ${misses.join('; ')}` : '  every target met');
    console.log(`  load average after: ${opts.loadAverage()} (CPU: the server's user + system time over the warm requests, 10 ms ticks)`);
  } finally {
    agent.destroy();
    server.stop();
  }
}
