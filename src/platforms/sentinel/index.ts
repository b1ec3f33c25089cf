import type { PlatformInfo } from '../types.js';

/** Microsoft Sentinel: KQL over Log Analytics tables; a rule's sources are the tables it reads. */
export const sentinel: PlatformInfo = {
  id: 'sentinel',
  name: 'Microsoft Sentinel',
  schema: 'azure-monitor',
  logSources: [{ kind: 'table', written: 'every' }],
};
