import type { ProviderSpec } from './types.js';

export const snyk: ProviderSpec = {
  id: 'snyk',
  name: 'Snyk audit',
  selectors: {
    panther: [{ sources: ['logtype:Snyk.*', '*snyk_*'], where: [{ field: 'p_log_type', values: ['Snyk.*'] }], eventFields: ['event'] }],
  },
};
