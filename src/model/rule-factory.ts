// Test support shared by tests across folders: a complete Rule with overridable fields.
import type { Rule } from './types.js';

export function makeRule(overrides: Partial<Rule> & { nativeId: string }): Rule {
  return {
    id: `${overrides.platform ?? 'sentinel'}:${overrides.nativeId}`,
    platform: 'sentinel',
    format: 'sentinel',
    language: 'kql',
    name: overrides.nativeId,
    description: '',
    severity: 'medium',
    type: 'scheduled',
    status: '',
    authors: [],
    references: [],
    tags: [],
    dataSources: [],
    query: '',
    extra: {},
    diagnostics: [],
    path: `${overrides.nativeId}.yaml`,
    sourceName: 'test',
    body: '',
    attack: { tactics: [], techniques: [] },
    stages: [],
    sources: [],
    parsed: true,
    indicators: [],
    events: [],
    outputFields: [],
    sameAction: [],
    ...overrides,
  };
}
