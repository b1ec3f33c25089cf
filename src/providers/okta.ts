import type { ProviderSpec } from './types.js';

// `user.account.lock`, `system.api_token.create`: what no other provider's names look like.
const oktaEventType = '^[a-z_]+(?:\\.[a-z_]+){2,}$';

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
    splunk: [
      { sources: ['sourcetype:OktaIM2:log', 'eventtype:okta_log'], eventFields: ['eventType', 'All_Changes.command'] },
      // Without a sourcetype, the Change and Authentication data models hold every vendor's names:
      // an Okta event type there (three or more lower-case words joined by periods) is Okta's.
      {
        where: [
          { field: 'All_Changes.command', values: ['*'] },
          { field: 'Authentication.signature', values: ['*'] },
        ],
        eventFields: ['All_Changes.command', 'Authentication.signature'],
        eventPattern: oktaEventType,
      },
    ],
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
