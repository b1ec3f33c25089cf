import type { ProviderSpec } from './types.js';

export const okta: ProviderSpec = {
  id: 'okta',
  name: 'Okta',
  selectors: {
    panther: [
      {
        sources: ['logtype:Okta.SystemLog', '*okta_systemlog'],
        where: [{ field: 'p_log_type', values: ['Okta.SystemLog'] }],
        eventFields: ['eventType'],
      },
    ],
    sigma: [{ sources: ['okta/okta'], eventFields: ['eventType'] }],
    // The Change data model keeps Okta's event type as the change's command.
    splunk: [{ sources: ['sourcetype:OktaIM2:log', 'eventtype:okta_log'], eventFields: ['eventType', 'All_Changes.command'] }],
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
    udm: [{ sources: ['log_type:OKTA', 'product:Okta', 'vendor:Okta'], eventFields: ['metadata.product_event_type'] }],
  },
};
