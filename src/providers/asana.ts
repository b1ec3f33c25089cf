import type { ProviderSpec } from './types.js';

export const asana: ProviderSpec = {
  id: 'asana',
  name: 'Asana audit',
  selectors: {
    panther: [
      {
        sources: ['logtype:Asana.Audit', '*asana_audit'],
        where: [{ field: 'p_log_type', values: ['Asana.Audit'] }],
        eventFields: ['event_type'],
      },
    ],
  },
};
