import { ecsDataset } from './ecs.js';
import type { ProviderSpec } from './types.js';

export const azureActivity: ProviderSpec = {
  id: 'azure-activity',
  name: 'Azure Activity',
  selectors: {
    panther: [
      {
        sources: ['logtype:Azure.MonitorActivity', '*azure_monitoractivity'],
        where: [{ field: 'p_log_type', values: ['Azure.MonitorActivity'] }],
        eventFields: ['operationName'],
      },
    ],
    sigma: [{ sources: ['azure/activitylogs'], eventFields: ['operationName', 'OperationNameValue'] }],
    splunk: [{ sources: ['sourcetype:mscs:azure:audit'], eventFields: ['operationName.localizedValue'] }],
    'azure-monitor': [{ sources: ['AzureActivity'], eventFields: ['OperationNameValue', 'OperationName'] }],
    ecs: [ecsDataset('azure.activitylogs', ['azure.activitylogs.operation_name', 'event.action'])],
    // Not product "Azure Activity": Chronicle's parser gives that name to Entra ID sign-ins too.
    udm: [{ sources: ['log_type:AZURE_ACTIVITY'], eventFields: ['metadata.product_event_type'] }],
  },
};
