import { ecsDataset } from './ecs.js';
import type { ProviderSpec } from './types.js';

export const azureActivity: ProviderSpec = {
  id: 'azure-activity',
  name: 'Azure Activity',
  selectors: {
    'azure-monitor': [{ sources: ['AzureActivity'], eventFields: ['OperationNameValue', 'OperationName'] }],
    ecs: [ecsDataset('azure.activitylogs', ['azure.activitylogs.operation_name', 'event.action'])],
  },
};
