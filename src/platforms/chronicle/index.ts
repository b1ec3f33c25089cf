import type { PlatformInfo } from '../types.js';

/** Google SecOps (Chronicle): YARA-L over UDM events; rules are judged by their providers. */
export const chronicle: PlatformInfo = {
  id: 'chronicle',
  name: 'Google SecOps (Chronicle)',
  schema: 'udm',
  logSources: [],
};
