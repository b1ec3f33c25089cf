// Provider catalog gaps, on queries parsed by the real grammars: a log a provider's events are
// filed under, and names a provider logs that rules give only by patterns.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { expandEventPatterns } from '../analysis/event-patterns.js';
import { ruleEventsOf } from '../analysis/events.js';
import { analyseQuery, prepareLanguages } from '../languages/registry.js';
import { platformInfo } from '../platforms/registry.js';
import { providers } from './registry.js';

/** The events of one query after the corpus step, with nothing else in the corpus. */
function eventsOf(language: string, query: string, platform: string, sources: string[] = []): string[] {
  const schema = platformInfo(platform)!.schema;
  const analysis = analyseQuery(language, query, { platform, declaredSources: sources });
  assert.ok(analysis.parsed, `${language} query parses: ${JSON.stringify(analysis.diagnostics)}`);
  const found = ruleEventsOf(analysis.stages, [...new Set([...analysis.sources, ...sources])], schema, providers);
  const rule = { events: found.events, eventPatterns: found.patterns };
  expandEventPatterns([rule], providers);
  return rule.events.map((e) => `${e.provider}/${e.event}`);
}

before(() => prepareLanguages());

test("Panther's table of CrowdStrike FDR events without a schema of their own is the FDR log", () => {
  const query = "SELECT * FROM panther_logs.public.crowdstrike_unknown WHERE event_simpleName IN ('ZipFileWritten', 'GzipFileWritten')";
  assert.deepEqual(eventsOf('sql', query, 'panther'), ['crowdstrike-fdr/ZipFileWritten', 'crowdstrike-fdr/GzipFileWritten']);
});

test('Compute Engine methods named only by wildcards, regexes and terms are known names', () => {
  const insert = 'gcp-audit/v1.compute.firewalls.insert';
  assert.ok(eventsOf('kuery', 'data_stream.dataset:gcp.audit and event.action:*.compute.firewalls.insert', 'elastic').includes(insert));
  assert.ok(
    eventsOf('kql', 'GCPAuditLogs | where MethodName has_any ("firewalls.insert", "firewalls.patch")', 'sentinel').includes(insert),
  );
});
