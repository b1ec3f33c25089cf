// Prompts: the common jobs of a detection engineer, each naming the tools that answer its steps and
// carrying the facts of the rule it is about, so that the assistant starts from the catalog.
import { completable } from '@modelcontextprotocol/sdk/server/completable.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { GetPromptResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { platformInfo } from '../platforms/registry.js';
import type { CatalogStore } from '../store/read.js';
import { clip, resolveRule } from './common.js';
import { completeEvent, completeFacet, completeRule, completeTechnique } from './completions.js';
import { eventText } from './rule-view.js';

function userText(text: string): GetPromptResult {
  return { messages: [{ role: 'user', content: { type: 'text', text } }] };
}

/** What the catalog knows of a rule, in a few lines the prompt quotes. */
function ruleFacts(store: CatalogStore, selector: string): string {
  const { rule } = resolveRule(store, selector);
  const lines = [
    `Rule ${rule.id}: "${rule.name}" (${platformInfo(rule.platform)?.name ?? rule.platform}, ${rule.language}, severity ${rule.severity || 'unset'})`,
    `Techniques: ${rule.attack.techniques.map((t) => `${t.id} ${t.name}`).join('; ') || 'none'}`,
    `Events: ${rule.events.map(eventText).join(', ') || 'none recognised'}`,
    `Same action on other rules: ${rule.sameAction.length}; similar rules: ${rule.similar?.length ?? 0}`,
    'Query:',
    '```',
    clip(rule.query, 6000),
    '```',
  ];
  return lines.join('\n');
}

export function registerPrompts(server: McpServer, catalog: () => CatalogStore): void {
  const rule = completable(z.string().describe('rule id, native id or path'), (typed) => completeRule(catalog(), typed));
  const platform = (what: string) => completable(z.string().describe(what), (typed) => completeFacet(catalog(), 'platform', typed));

  server.registerPrompt(
    'port_rule',
    {
      title: 'Port a rule to another platform',
      description: 'Rewrite a catalog rule for another platform, starting from the rules that platform already has for the same action.',
      argsSchema: { rule, platform: platform('target platform id (sentinel, elastic, splunk ...)') },
    },
    (args) =>
      userText(
        [
          `Port this detection rule to ${platformInfo(args.platform)?.name ?? args.platform}.`,
          '',
          ruleFacts(catalog(), args.rule),
          '',
          `1. Call find_equivalents with rule "${args.rule}": if ${args.platform} already has a same-action or similar rule, show it and say what it misses before writing anything.`,
          '2. Call get_rule with include ["indicators", "stages"] to see each condition, its role (required, alternative, exclusion) and canonical field.',
          `3. Call top_indicators with platform "${args.platform}" and canonical true to learn how ${args.platform} rules name the same fields.`,
          `4. Write the rule in ${args.platform}'s own file format, keep every exclusion, then check the query with analyze_query (or the whole file with analyze_rule_text) and fix any diagnostic.`,
        ].join('\n'),
      ),
  );

  server.registerPrompt(
    'coverage_gap_plan',
    {
      title: 'Plan coverage for the gaps of a platform',
      description: 'What a platform misses that others detect (techniques, provider events), and a plan of rules to write first.',
      argsSchema: {
        platform: platform('the platform to plan for'),
        technique: completable(z.string().optional().describe('narrow to one ATT&CK technique'), (typed) =>
          completeTechnique(catalog(), typed ?? ''),
        ),
        provider: completable(z.string().optional().describe('narrow to one log provider'), (typed) =>
          completeFacet(catalog(), 'provider', typed ?? ''),
        ),
        event: completable(z.string().optional().describe("narrow to one of the provider's events"), (typed, ctx) =>
          completeEvent(catalog(), typed ?? '', ctx?.arguments?.provider),
        ),
        source: completable(z.string().optional().describe('narrow to rules of one source'), (typed) =>
          completeFacet(catalog(), 'source', typed ?? ''),
        ),
      },
    },
    (args) => {
      const narrow = [
        args.technique && `technique ${args.technique}`,
        args.provider && `provider ${args.provider}`,
        args.event && `event ${args.provider ? `${args.provider}/` : ''}${args.event}`,
        args.source && `source ${args.source}`,
      ].filter(Boolean);
      return userText(
        [
          `Make a plan to close the detection gaps of ${platformInfo(args.platform)?.name ?? args.platform}${narrow.length ? ` for ${narrow.join(', ')}` : ''}.`,
          '',
          `1. compare_platforms with a "${args.platform}" against each other large platform: the techniques and events only the other side covers.`,
          `2. attack_coverage with compare ["${args.platform}", ...] ${args.technique ? `and technique ${args.technique}` : 'and include ["techniques"]'}.`,
          `3. provider_events${args.provider ? ` with provider "${args.provider}"` : ''} and gapsOnly true: events other platforms watch and ${args.platform} does not.`,
          '4. my_coverage_gaps, if the catalog holds your own rules.',
          '5. Rank the gaps by how many public rules cover them and how severe they are; for the top five, name an existing rule to port (find_equivalents) and the log source it needs.',
        ].join('\n'),
      );
    },
  );

  server.registerPrompt(
    'review_rule',
    {
      title: 'Review a rule',
      description: 'A detection engineering review of a catalog rule: logic, exclusions, parse diagnostics, overlap with other rules.',
      argsSchema: { rule },
    },
    (args) =>
      userText(
        [
          'Review this detection rule as a senior detection engineer.',
          '',
          ruleFacts(catalog(), args.rule),
          '',
          `1. get_rule with include ["indicators", "diagnostics", "outputs"]: are conditions too broad or too narrow, exclusions brittle, fields missing from the output?`,
          '2. find_equivalents: do other rules detect the same action better, or is this one a duplicate?',
          '3. find_rules_by_indicator on its rarest indicators: how others write them.',
          'Answer with: verdict, problems by severity, concrete edits to the query.',
        ].join('\n'),
      ),
  );

  server.registerPrompt(
    'explain_alert',
    {
      title: 'Explain an alert',
      description: 'What an alert of a catalog rule means, how to triage it, and its likely false positives.',
      argsSchema: { rule, alert: z.string().optional().describe('the alert or event JSON, if at hand') },
    },
    (args) =>
      userText(
        [
          'An alert of this rule fired. Explain it to an analyst.',
          '',
          ruleFacts(catalog(), args.rule),
          ...(args.alert ? ['', 'The alert:', '```', clip(args.alert, 20000), '```'] : []),
          '',
          'Use get_rule with include ["indicators", "outputs", "metadata"] for the conditions and the fields the alert carries. Say what activity it detects, which fields to check first, ' +
            'benign causes seen for it, the next queries to run, and when to escalate.',
        ].join('\n'),
      ),
  );
}
