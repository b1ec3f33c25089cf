import { ecsDataset } from './ecs.js';
import type { ProviderSpec } from './types.js';

export const microsoft365: ProviderSpec = {
  id: 'microsoft-365',
  name: 'Microsoft 365 (Exchange, SharePoint, Teams)',
  selectors: {
    'azure-monitor': [{ sources: ['OfficeActivity', 'ExchangeAdmin'], eventFields: ['Operation'] }],
    ecs: [ecsDataset('o365.audit', ['event.action', 'o365.audit.Operation'])],
  },
};
