import type { ProviderSpec } from './types.js';

export const tines: ProviderSpec = {
  id: 'tines',
  name: 'Tines audit',
  selectors: {
    panther: [
      {
        sources: ['logtype:Tines.Audit', '*tines_audit'],
        where: [{ field: 'p_log_type', values: ['Tines.Audit'] }],
        eventFields: ['operation_name'],
      },
    ],
  },
};
