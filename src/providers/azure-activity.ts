import type { ProviderSpec } from './types.js';

export const azureActivity: ProviderSpec = {
  id: 'azure-activity',
  name: 'Azure Activity',
  selectors: {
    'azure-monitor': [{ sources: ['AzureActivity'], eventFields: ['OperationNameValue', 'OperationName'] }],
    ecs: [
      {
        sources: ['logs-azure.activitylogs*'],
        where: [
          { field: 'data_stream.dataset', values: ['azure.activitylogs'] },
          { field: 'event.dataset', values: ['azure.activitylogs'] },
        ],
        eventFields: ['azure.activitylogs.operation_name', 'event.action'],
      },
    ],
  },
};
