// Authoring tools: a query or a whole rule file analysed as a build analyses it (analyseRule: the
// language's parser, indicators native and canonical, provider events, outputs, diagnostics), and
// for a rule file, the catalog rules nearest to it.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { analyseRule } from '../analysis/analyse-rule.js';
import { AttackCatalog } from '../attack/catalog.js';
import { type FileOutcome, readRuleFile } from '../catalog/read-file.js';
import { formats } from '../formats/registry.js';
import { languages, prepareLanguages } from '../languages/registry.js';
import type { RawRule, Rule } from '../model/types.js';
import { platformInfo, platforms } from '../platforms/registry.js';
import type { CatalogStore } from '../store/read.js';
import { answer, ArgumentError, readOnly } from './common.js';
import { nearestRules } from './nearest.js';
import { analysisView, eventText } from './rule-view.js';

/** The platform a language's rules run on when none is given: the first format writing it. */
function platformOf(language: string): string {
  return formats.find((f) => f.languages.includes(language))?.platform ?? 'sigma';
}

/** A query alone, as a rule of the platform would hold it. */
function rawQuery(language: string, platform: string, query: string): RawRule {
  return {
    nativeId: 'query',
    platform,
    format: 'query',
    language,
    name: '',
    description: '',
    severity: '',
    type: '',
    status: '',
    authors: [],
    references: [],
    tags: [],
    dataSources: [],
    attackRaw: { tactics: [], techniques: [] },
    query,
    declaredOutputs: [],
    declaredSources: [],
    extra: {},
    diagnostics: [],
  };
}

/** What a fresh analysis tells (corpus fields, which need the catalog, are left out). */
function analysed(rule: Rule) {
  return {
    parsed: rule.parsed,
    sources: rule.sources,
    events: rule.events.map(eventText),
    ...(rule.eventPatterns?.length ? { eventPatterns: rule.eventPatterns.map((p) => `${p.provider} ${p.op} ${p.value}`) } : {}),
    ...analysisView(rule, undefined, true),
  };
}

const analysisSchema = {
  parsed: z.boolean(),
  sources: z.array(z.string()),
  events: z.array(z.string()),
  eventPatterns: z.array(z.string()).optional(),
  stages: z.array(z.object({ kind: z.string(), text: z.string() })),
  indicators: z.array(z.object({ field: z.string(), op: z.string(), value: z.string() }).passthrough()),
  outputs: z.array(z.string()),
  diagnostics: z.array(z.object({ severity: z.string(), message: z.string() }).passthrough()),
};

/** File names tried, in order, when the caller does not name the file: each container a format reads. */
const guessedNames = ['rule.yml', 'rule.toml', 'rule.yaral', 'rule.md'];

function readText(text: string, fileName: string | undefined, related: Record<string, string>): { name: string; outcome: FileOutcome } {
  const read = (name: string) =>
    readRuleFile(
      { path: name, text, readRelated: (p) => related[p] ?? related[p.replace(/^\.\//, '')] },
      { attack: AttackCatalog.empty(), sourceName: 'draft' },
    );
  if (fileName) return { name: fileName, outcome: read(fileName) };
  let first: { name: string; outcome: FileOutcome } | undefined;
  for (const name of guessedNames) {
    const outcome = read(name);
    if (outcome.kind === 'rules') return { name, outcome };
    // An error says more than "no format recognises it" (a YAML file that does not parse).
    if (!first || (first.outcome.kind === 'skipped' && outcome.kind === 'error')) first = { name, outcome };
  }
  return first!;
}

export function registerAuthoringTools(server: McpServer, catalog: () => CatalogStore): void {
  server.registerTool(
    'analyze_query',
    {
      title: 'Analyse a query',
      description:
        "Parse a detection query in one of the catalog's languages and return what a build derives from it: pipeline stages, indicators (field, operator, value, role; with the canonical form), " +
        'provider events, output fields, diagnostics (parse errors with line and column).',
      inputSchema: {
        language: z
          .string()
          .min(1)
          .max(50)
          .describe(`language id: ${languages.map((l) => l.id).join(', ')}`),
        query: z.string().min(1).max(65536).describe('the query text'),
        platform: z.string().max(50).optional().describe("the platform it runs on, for its log schema (default: the language's usual one)"),
      },
      outputSchema: { language: z.string(), platform: z.string(), ...analysisSchema },
      annotations: { title: 'Analyse a query', ...readOnly },
    },
    async (args) => {
      const language = languages.find((l) => l.id === args.language.trim().toLowerCase());
      if (!language) throw new ArgumentError('language', `"${args.language}" is not one of ${languages.map((l) => l.id).join(', ')}`);
      const platform = args.platform ?? platformOf(language.id);
      if (!platformInfo(platform))
        throw new ArgumentError('platform', `"${platform}" is not one of ${platforms.map((p) => p.id).join(', ')}`);
      await prepareLanguages([language.id]);
      const rule = analyseRule(rawQuery(language.id, platform, args.query), {
        attack: AttackCatalog.empty(),
        path: '',
        sourceName: '',
        body: args.query,
      });
      return answer({ language: language.id, platform, ...analysed(rule) });
    },
  );

  server.registerTool(
    'analyze_rule_text',
    {
      title: 'Analyse a rule file',
      description:
        'Read a whole rule file in any supported format (Sentinel YAML, Elastic TOML, Sigma, Splunk ESCU YAML, Chronicle .yaral, Panther YAML, KQL markdown) as a build reads it, ' +
        'and list the catalog rules nearest to each rule in it (same provider events; shared canonical indicators): a duplicate check before adding a rule.',
      inputSchema: {
        text: z.string().min(1).max(1_000_000).describe('the file text'),
        fileName: z
          .string()
          .max(300)
          .optional()
          .describe('its file name (the extension picks YAML, TOML, .yaral or markdown; tried in turn without it)'),
        relatedFiles: z
          .record(z.string().max(300), z.string().max(1_000_000))
          .optional()
          .describe("other files the rule names, by path relative to it (a Panther rule's .py)"),
        nearest: z.number().int().min(0).max(50).optional().describe('nearest catalog rules listed per kind (default 5)'),
      },
      outputSchema: {
        fileName: z.string(),
        problem: z.string().optional(),
        rules: z.array(
          z
            .object({
              name: z.string(),
              platform: z.string(),
              language: z.string(),
              ...analysisSchema,
              nearest: z.object({
                sameAction: z.array(z.object({ id: z.string() }).passthrough()),
                similar: z.array(z.object({ id: z.string() }).passthrough()),
              }),
            })
            .passthrough(),
        ),
      },
      annotations: { title: 'Analyse a rule file', ...readOnly },
    },
    async (args) => {
      await prepareLanguages();
      const { name, outcome } = readText(args.text, args.fileName, args.relatedFiles ?? {});
      if (outcome.kind === 'error') throw new ArgumentError('text', outcome.error.reason);
      if (outcome.kind === 'skipped') throw new ArgumentError('text', `${outcome.skipped.reason} (give fileName with its extension)`);
      const store = catalog();
      const limit = args.nearest ?? 5;
      const rules = outcome.rules.map((rule) => ({
        name: rule.name,
        nativeId: rule.nativeId,
        platform: rule.platform,
        language: rule.language,
        techniques: rule.attack.techniques.map((t) => t.id),
        ...analysed(rule),
        nearest: nearestRules(store, rule, limit),
      }));
      return answer(
        { fileName: name, rules, ...(outcome.problem ? { problem: outcome.problem.reason } : {}) },
        rules.flatMap((r) => [...r.nearest.sameAction, ...r.nearest.similar]),
      );
    },
  );
}
