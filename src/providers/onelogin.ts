import type { ProviderSpec } from './types.js';

// OneLogin names events by number (`event_type_id` 5 user logged in, 24 ...).
export const oneLogin: ProviderSpec = {
  id: 'onelogin',
  name: 'OneLogin',
  selectors: {
    panther: [
      {
        sources: ['logtype:OneLogin.Events', '*onelogin_events'],
        where: [{ field: 'p_log_type', values: ['OneLogin.Events'] }],
        eventFields: ['event_type_id'],
      },
    ],
    sigma: [{ sources: ['onelogin/*'], eventFields: ['event_type_id'] }],
    udm: [{ sources: ['product:ONELOGIN_SSO', 'vendor:ONELOGIN', 'log_type:ONELOGIN_SSO'], eventFields: ['metadata.product_event_type'] }],
  },
};
