import type { ProviderSpec } from './types.js';

export const auth0: ProviderSpec = {
  id: 'auth0',
  name: 'Auth0',
  selectors: {
    panther: [
      {
        sources: ['logtype:Auth0.Events', '*auth0_events'],
        where: [{ field: 'p_log_type', values: ['Auth0.Events'] }],
        eventFields: ['data.type'],
      },
    ],
  },
};
