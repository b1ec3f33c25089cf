import type { ProviderSpec } from './types.js';

export const microsoft365: ProviderSpec = {
  id: 'microsoft-365',
  name: 'Microsoft 365 (Exchange, SharePoint, Teams)',
  selectors: {
    'azure-monitor': [{ sources: ['OfficeActivity', 'ExchangeAdmin'], eventFields: ['Operation'] }],
    ecs: [
      {
        sources: ['logs-o365.audit*'],
        where: [
          { field: 'data_stream.dataset', values: ['o365.audit'] },
          { field: 'event.dataset', values: ['o365.audit'] },
        ],
        eventFields: ['event.action', 'o365.audit.Operation'],
      },
    ],
  },
};
