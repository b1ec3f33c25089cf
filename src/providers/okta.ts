import type { ProviderSpec } from './types.js';

export const okta: ProviderSpec = {
  id: 'okta',
  name: 'Okta',
  selectors: {
    'azure-monitor': [
      { sources: ['OktaSSO', 'Okta_CL', 'OktaV2_CL', 'OktaSSO_CL'], eventFields: ['eventType_s', 'eventType', 'EventOriginalType'] },
    ],
    ecs: [
      {
        sources: ['logs-okta*'],
        where: [
          { field: 'data_stream.dataset', values: ['okta.system'] },
          { field: 'event.dataset', values: ['okta.system'] },
          { field: 'event.module', values: ['okta'] },
        ],
        eventFields: ['event.action', 'okta.event_type'],
      },
    ],
  },
};
