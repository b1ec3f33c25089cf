import type { PlatformInfo } from '../types.js';

/**
 * Elastic Security: ECS fields; a rule's sources are its index patterns (and, for EQL, event categories,
 * which name no index). A data stream's dataset names its indexes `logs-<dataset>-<namespace>`.
 */
export const elastic: PlatformInfo = {
  id: 'elastic',
  name: 'Elastic Security',
  schema: 'ecs',
  logSources: [{ kind: 'index', written: 'index-pattern', dataset: true }],
};
