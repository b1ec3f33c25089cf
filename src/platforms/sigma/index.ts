import type { PlatformInfo } from '../types.js';

/** Sigma: generic rules; their logsource (`product:windows`, `service:security`) names no table or index you collect. */
export const sigma: PlatformInfo = {
  id: 'sigma',
  name: 'Sigma',
  schema: 'sigma',
  logSources: [],
};
