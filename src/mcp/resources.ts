// Resources: a rule's JSON and its file, the build report, an ATT&CK Navigator layer per platform, a canonical
// field's most used values across platforms.
import { type McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { indicatorCoverage } from '../coverage/indicators.js';
import { navigatorLayer } from '../export/navigator.js';
import { matchingRules } from '../export/export.js';
import { ruleJson } from '../model/rule-json.js';
import type { CatalogStore } from '../store/read.js';
import { ArgumentError, exploreQueryOf } from './common.js';
import { parseCoverageParams } from '../web/coverage-params.js';
import { catalogIndicators, coverageRules } from '../web/coverage-routes.js';
import { completeCanonicalField, completeFacet, completeRule } from './completions.js';

/** A template variable as the URI carries it: percent-encoded (a rule id holds `:`), one value. */
function variable(value: string | string[] | undefined, name: string): string {
  const raw = Array.isArray(value) ? value.join(',') : (value ?? '');
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new ArgumentError(name, `"${raw}" is not valid percent-encoding`);
  }
}

/** The layer of every rule: the platform part of ruleatlas://coverage/layer/{platform}. */
const everyPlatform = 'all';

export function registerResources(server: McpServer, catalog: () => CatalogStore): void {
  const ruleOf = (id: string) => {
    const rule = catalog().byId.get(id);
    if (!rule) throw new ArgumentError('id', `no rule with id ${id}`);
    return rule;
  };
  const completeId = { id: (typed: string) => completeRule(catalog(), variable(typed, 'id')).map(encodeURIComponent) };

  server.registerResource(
    'rule',
    new ResourceTemplate('ruleatlas://rules/{id}', { list: undefined, complete: completeId }),
    {
      title: 'Detection rule',
      description:
        'A rule as the JSON API gives it (/api/rules/<id>): metadata, query, stages, indicators, events, links. The id is percent-encoded.',
      mimeType: 'application/json',
    },
    (uri, vars) => {
      const rule = ruleOf(variable(vars.id, 'id'));
      return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(ruleJson(rule)) }] };
    },
  );

  server.registerResource(
    'rule-source',
    new ResourceTemplate('ruleatlas://rules/{id}/source', { list: undefined, complete: completeId }),
    { title: 'Rule file', description: 'The text of the file a rule came from.', mimeType: 'text/plain' },
    (uri, vars) => {
      const rule = ruleOf(variable(vars.id, 'id'));
      return { contents: [{ uri: uri.href, mimeType: 'text/plain', text: catalog().bodyOf(rule) }] };
    },
  );

  server.registerResource(
    'report',
    'ruleatlas://report',
    {
      title: 'Build report',
      description: 'The catalog build report (/api/report): counts, errors, unparsed queries.',
      mimeType: 'application/json',
    },
    (uri) => ({ contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(catalog().report) }] }),
  );

  server.registerResource(
    'navigator-layer',
    new ResourceTemplate('ruleatlas://coverage/layer/{platform}', {
      list: () => ({
        resources: [everyPlatform, ...completeFacet(catalog(), 'platform', '')].map((p) => ({
          uri: `ruleatlas://coverage/layer/${p}`,
          name: `ATT&CK Navigator layer: ${p === everyPlatform ? 'every platform' : p}`,
          mimeType: 'application/json',
        })),
      }),
      complete: { platform: (typed) => [everyPlatform, ...completeFacet(catalog(), 'platform', typed)].filter((p) => p.startsWith(typed)) },
    }),
    {
      title: 'ATT&CK Navigator layer',
      description: `An ATT&CK Navigator 4.5 layer of one platform's rules (or ${everyPlatform}), as /api/export?format=navigator gives it.`,
      mimeType: 'application/json',
    },
    (uri, vars) => {
      const platform = variable(vars.platform, 'platform');
      const query = exploreQueryOf(platform === everyPlatform ? {} : { platform });
      const layer = navigatorLayer(matchingRules(catalog(), query), { name: `ruleatlas: ${platform}` });
      return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(layer) }] };
    },
  );

  server.registerResource(
    'canonical-field',
    new ResourceTemplate('ruleatlas://fields/{field}', {
      list: undefined,
      complete: { field: (typed) => completeCanonicalField(catalog(), variable(typed, 'field')) },
    }),
    {
      title: 'Canonical field',
      description:
        'A field of the shared canonical vocabulary (process.name, file.path, registry.path ...): its most used values across platforms with rule counts per platform, ' +
        'as /api/coverage/indicators?view=canonical&field=<field> gives them.',
      mimeType: 'application/json',
    },
    (uri, vars) => {
      const store = catalog();
      const field = variable(vars.field, 'field');
      const index = catalogIndicators(store);
      if (!index.canonical.fields.some((f) => f.toLowerCase() === field.toLowerCase()))
        throw new ArgumentError('field', `no rule tests the canonical field "${field}"`);
      const rules = coverageRules(store, parseCoverageParams(new URLSearchParams()));
      const coverage = indicatorCoverage(rules, { canonical: true, field, fieldLimit: 1, valueLimit: 50, ruleLimit: 10 }, index);
      return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(coverage) }] };
    },
  );
}
