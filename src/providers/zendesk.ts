import type { ProviderSpec } from './types.js';

export const zendesk: ProviderSpec = {
  id: 'zendesk',
  name: 'Zendesk audit',
  selectors: {
    panther: [
      {
        sources: ['logtype:Zendesk.Audit', '*zendesk_audit'],
        where: [{ field: 'p_log_type', values: ['Zendesk.Audit'] }],
        eventFields: ['action'],
      },
    ],
  },
};
