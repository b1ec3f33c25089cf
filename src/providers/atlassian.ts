import type { ProviderSpec } from './types.js';

export const atlassian: ProviderSpec = {
  id: 'atlassian',
  name: 'Atlassian organization audit',
  selectors: {
    panther: [
      {
        sources: ['logtype:Atlassian.Audit', '*atlassian_audit'],
        where: [{ field: 'p_log_type', values: ['Atlassian.Audit'] }],
        eventFields: ['attributes.action'],
      },
    ],
  },
};
