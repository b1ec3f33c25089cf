import type { ProviderSpec } from './types.js';

export const duo: ProviderSpec = {
  id: 'duo',
  name: 'Duo Security',
  selectors: {
    panther: [
      {
        sources: ['logtype:Duo.Administrator', '*duo_administrator'],
        where: [{ field: 'p_log_type', values: ['Duo.Administrator'] }],
        eventFields: ['action'],
      },
    ],
  },
};
